package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// leaks are what a 公示 must never show: health words, full names,
// relatives' names, 身份证号.
var leaks = []string{"医院", "手术", "病", "住院", "癌", "化疗", "营养品", "去世", "湘雅", "430102", "*1234", "刘大山"}

func TestNoticeFromBatch(t *testing.T) {
	b, cases := sampleBatch(6)
	b.Title = "2026年11月生病住院慰问"
	b.ObjectionsUntil = nuanxin.NewDate(2026, 11, 13)
	n := NoticeFromBatch(testOrg, b, cases, "工会办公室 0731-84567890")
	if n.Title != "关于2026年11月慰问发放情况的公示" {
		t.Errorf("title %q: a health word in the batch title must not reach the notice", n.Title)
	}
	if n.From != b.NoticeFrom || n.To != b.NoticeTo || n.ObjectionsUntil != b.ObjectionsUntil || n.Issued != b.NoticeFrom {
		t.Errorf("dates: %+v", n)
	}
	want := []NoticeRow{
		{1, "张*", "生产一车间", "慰问", "慰问金", 50000},
		{2, "王*", "质量管理部", "生日慰问", "蛋糕券一张", 20000},
		{3, "李*英", "办公室", "困难帮扶", "慰问金", 100000},
		{4, "赵*国", "财务部", "慰问", "慰问金", 30000},
		{5, "刘*红", "设备动力部（含机修、电工、锅炉房及空压站）", "节日慰问", "大米一袋、食用油一桶", 30000},
		{6, "陈*强", "销售公司华中区域营销中心", "慰问", "慰问品", 20000},
	}
	for i, w := range want {
		if n.Rows[i] != w {
			t.Errorf("row %d = %+v, want %+v", i+1, n.Rows[i], w)
		}
	}
	if n.Total != 250000 {
		t.Errorf("total %v", n.Total)
	}

	b.Title = "2026年中秋节慰问签收表"
	if got := NoticeFromBatch(testOrg, b, nil, "").Title; got != "关于2026年中秋节慰问发放情况的公示" {
		t.Errorf("title %q", got)
	}
}

func TestNoticeLeaksNothing(t *testing.T) {
	b, cases := sampleBatch(24)
	b.Title = "2026年11月住院手术慰问"
	n := NoticeFromBatch(testOrg, b, cases, "王老师 0731-84567890")

	var buf bytes.Buffer
	if err := WriteNoticeHTML(&buf, n); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	assertNoLeak(t, "HTML", h, cases)
	assertSelfContained(t, h)
	h += stripTags(h) // the text as a reader sees it, without the nowrap spans
	for _, want := range []string{
		"关于2026年11月慰问发放情况的公示",
		"现将2026年11月慰问发放情况予以公示，公示期为2026年11月6日至2026年11月12日。如有异议，请于2026年11月12日前向工会反映。",
		"异议受理：王老师 0731-84567890", "张*", "李*英", "<th>慰问类别</th>", "困难帮扶",
		squeezeKeep(totalLine(24, n.Total)), testOrg, "2026年11月6日", "thead { display: table-header-group; }",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}

	font := testFont(t)
	buf.Reset()
	if err := WriteNoticePDF(&buf, n, font); err != nil {
		t.Fatal(err)
	}
	saveSample(t, "notice.pdf", buf.Bytes())
	pages := pdfText(t, buf.Bytes())
	text := squeeze(strings.Join(pages, "\n"))
	assertNoLeak(t, "PDF", text, cases)
	for _, want := range []string{"关于2026年11月慰问发放情况的公示", "公示期为2026年11月6日至2026年11月12日", "张*", squeeze(totalLine(24, n.Total)), testOrg} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

func assertNoLeak(t *testing.T, what, text string, cases []*nuanxin.CareCase) {
	t.Helper()
	for _, w := range leaks {
		if strings.Contains(text, w) {
			t.Errorf("%s of the notice contains %q", what, w)
		}
	}
	for _, c := range cases {
		if len([]rune(c.MemberName)) > 1 && strings.Contains(text, c.MemberName) {
			t.Errorf("%s of the notice shows the full name %q", what, c.MemberName)
		}
	}
}

// squeezeKeep is the text as html/template writes it (no escaping needed
// for these characters).
func squeezeKeep(s string) string { return s }

func stripTags(h string) string { return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(h, "") }

func TestNoticeBlankDates(t *testing.T) {
	// A notice printed before the period is set leaves blanks to fill in.
	n := NoticeFromBatch(testOrg, &nuanxin.CareBatch{Title: "2026年春节慰问", PaidOn: nuanxin.NewDate(2026, 2, 1)}, nil, "")
	var buf bytes.Buffer
	if err := WriteNoticeHTML(&buf, n); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stripTags(buf.String()), "公示期为　　年　　月　　日至　　年　　月　　日") {
		t.Errorf("blank period missing:\n%s", buf.String())
	}
}

func TestNoticeCategoriesGeneric(t *testing.T) {
	// Every category, built-in or a union's own, maps to a public label
	// from the closed list.
	allowed := map[string]bool{}
	for _, k := range []string{"birthday", "wedding", "birth", "retire", "holiday", "hardship", "generic"} {
		allowed[nuanxin.T("report.notice.cat."+k)] = true
	}
	for _, c := range append(nuanxin.CareCategories, "family_illness", "surgery", "") {
		got := noticeCategory(c)
		if !allowed[got] || sensitive(got) {
			t.Errorf("%q → %q", c, got)
		}
	}
	if noticeCategory(nuanxin.CareIllness) != "慰问" || noticeCategory(nuanxin.CareHardship) != "困难帮扶" {
		t.Error("illness must read 慰问, hardship 困难帮扶")
	}
}
