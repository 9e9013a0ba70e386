package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

const testOrg = "长沙市芙蓉区示范机械厂工会委员会"

var (
	surnames = []rune("张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗")
	given    = []string{"三", "伟", "秀英", "建国", "小红", "志强", "丽", "海燕", "德胜", "桂兰", "文", "晓明"}
	depts    = []string{"生产一车间", "质量管理部", "办公室", "财务部", "设备动力部（含机修、电工、锅炉房及空压站）", "销售公司华中区域营销中心", "后勤"}
)

// sampleBatch is a paid batch of n cases of every kind, with long
// departments, relatives, hospitals and notes that must not reach a 公示.
func sampleBatch(n int) (*nuanxin.CareBatch, []*nuanxin.CareCase) {
	b := &nuanxin.CareBatch{
		ID: 7, OrgName: "示范机械厂工会", Title: "2026年11月慰问金发放", Ref: "芙机工审〔2026〕18号",
		PaidOn: nuanxin.NewDate(2026, 11, 5), Method: nuanxin.PayCash, Payer: "周桂兰", Head: "welfare",
		NoticeFrom: nuanxin.NewDate(2026, 11, 6), NoticeTo: nuanxin.NewDate(2026, 11, 12),
	}
	var cases []*nuanxin.CareCase
	for i := 0; i < n; i++ {
		c := &nuanxin.CareCase{
			ID: int64(i + 1), MemberID: int64(100 + i),
			MemberName:     string(surnames[i%len(surnames)]) + given[i%len(given)],
			MemberIDMasked: "430102********1234",
			Department:     depts[i%len(depts)],
			EventDate:      nuanxin.NewDate(2026, 10, 1+i%28),
			Status:         nuanxin.CarePaid,
		}
		switch i % 6 {
		case 0:
			c.Category, c.Form, c.Amount = nuanxin.CareIllness, nuanxin.FormCash, 50000
			c.Hospital, c.HospitalDays, c.Surgery = "中南大学湘雅医院", 12, true
			c.Notes = "胃癌手术后化疗"
		case 1:
			c.Category, c.Form, c.Amount, c.Goods = nuanxin.CareBirthday, nuanxin.FormVoucher, 20000, "蛋糕券一张"
		case 2:
			c.Category, c.Form, c.Amount = nuanxin.CareHardship, nuanxin.FormCash, 100000
			c.Reason = "配偶重病住院手术，家庭困难"
		case 3:
			c.Category, c.Form, c.Amount = nuanxin.CareRelativeDeath, nuanxin.FormCash, 30000
			c.RelativeID, c.RelativeName, c.Relation = 9, "刘大山", nuanxin.RelParent
		case 4:
			c.Category, c.Form, c.Amount, c.Goods = nuanxin.CareHoliday, nuanxin.FormGoods, 30000, "大米一袋、食用油一桶"
			c.Holiday, c.HolidayYear = nuanxin.HolidayMidAutumn, 2026
		case 5:
			c.Category, c.Form, c.Amount, c.Goods = "family_illness", nuanxin.FormGoods, 20000, "营养品一箱（医院探视）"
			c.Reason = "家属住院"
		}
		cases = append(cases, c)
	}
	return b, cases
}

func label(c nuanxin.CareCategory) string {
	if c == "family_illness" {
		return "家属住院"
	}
	return c.Label()
}

func TestSignOffFromBatch(t *testing.T) {
	b, cases := sampleBatch(6)
	s := SignOffFromBatch("", b, cases, label)
	if s.OrgName != "示范机械厂工会" || s.Title != "2026年11月慰问金发放签收表" || s.Ref != "芙机工审〔2026〕18号" {
		t.Errorf("header: %q %q %q", s.OrgName, s.Title, s.Ref)
	}
	if s.Method != "现金" || s.Head != "职工集体福利" || s.Payer != "周桂兰" {
		t.Errorf("method/head/payer: %q %q %q", s.Method, s.Head, s.Payer)
	}
	if len(s.Rows) != 6 || s.Total != 250000 {
		t.Fatalf("rows %d total %v", len(s.Rows), s.Total)
	}
	want := []struct{ name, reason, item string }{
		{"张三", "生病住院（中南大学湘雅医院）", "慰问金500.00元"},
		{"王伟", "生日", "蛋糕券一张（价值200.00元）"},
		{"李秀英", "困难慰问（配偶重病住院手术，家庭困难）", "慰问金1,000.00元"},
		{"赵建国（父母 刘大山）", "直系亲属去世", "慰问金300.00元"},
		{"刘小红", "节日慰问（2026年中秋）", "大米一袋、食用油一桶（价值300.00元）"},
		{"陈志强", "家属住院", "营养品一箱（医院探视）（价值200.00元）"},
	}
	for i, w := range want {
		r := s.Rows[i]
		if r.No != i+1 || r.Name != w.name || r.Reason != w.reason || r.Item != w.item {
			t.Errorf("row %d = %+v, want %+v", i+1, r, w)
		}
	}
	if got := SignOffFromBatch("总工会", &nuanxin.CareBatch{PaidOn: nuanxin.NewDate(2026, 3, 2)}, nil, nil); got.Title != "2026年3月慰问发放签收表" || got.OrgName != "总工会" {
		t.Errorf("untitled batch: %q %q", got.Title, got.OrgName)
	}
}

func TestWriteSignOffHTML(t *testing.T) {
	s := &SignOffSheet{
		OrgName: testOrg, Title: "2026年11月慰问金发放签收表", Ref: "审〔2026〕3号",
		PaidOn: nuanxin.NewDate(2026, 11, 5), Method: "现金", Payer: "周桂兰", Head: "职工集体福利",
		Rows: []SignOffRow{
			{No: 1, Name: "张三", Department: "生产一车间", Reason: "生病住院", Item: "慰问金500.00元", Amount: 50000},
			{No: 2, Name: "李四<b>", Department: "办公室", Reason: "生日", Item: "蛋糕券一张", Amount: 70000, SignedOn: nuanxin.NewDate(2026, 11, 6)},
		},
		Total: 120000,
	}
	var buf bytes.Buffer
	if err := WriteSignOffHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	for _, want := range []string{
		"<!DOCTYPE html>", `lang="zh-CN"`, testOrg, "2026年11月慰问金发放签收表",
		"审批编号：审〔2026〕3号", "发放日期：2026年11月5日", "发放方式：现金", "支出科目：职工集体福利",
		"<th>序号</th>", "<th>姓名</th>", "<th>部门</th>", "<th>慰问事由</th>", "<th>金额或物品</th>", "<th>签收人签字</th>", "<th>日期</th>",
		"张三", "生产一车间", `慰问金<span class="nw">500.00元</span>`, "李四&lt;b&gt;", "2026-11-06",
		"合计 2 人，金额 ¥1,200.00（大写：壹仟贰佰元整）",
		"经办人：", "审核人：", "审批人：", "发放人：", "周桂兰",
		"size: A4 portrait", "margin: 15mm", "thead { display: table-header-group; }", "break-inside: avoid",
		`"LXGW WenKai"`, `"Noto Serif CJK SC"`, `"SimSun"`, `counter(pages)`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(h, "李四<b>") {
		t.Error("a name is not escaped")
	}
	assertSelfContained(t, h)
}

// assertSelfContained fails when the page would fetch anything: the
// intranet has no internet, and a web font would be a download.
func assertSelfContained(t *testing.T, h string) {
	t.Helper()
	for _, bad := range []string{"http://", "https://", "<link", "<script", "src=", "@import", "url(", "@font-face"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML contains %q: it must not load anything", bad)
		}
	}
}

func testFont(t testing.TB) string {
	t.Helper()
	p, err := FindCJKFont()
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	return p
}

// pdfText runs pdftotext and returns the text of each page.
func pdfText(t testing.TB, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "x.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	return pages
}

func TestWriteSignOffPDF(t *testing.T) {
	font := testFont(t)
	b, cases := sampleBatch(60)
	s := SignOffFromBatch(testOrg, b, cases, label)
	var buf bytes.Buffer
	if err := WriteSignOffPDF(&buf, s, font); err != nil {
		t.Fatal(err)
	}
	saveSample(t, "signoff.pdf", buf.Bytes())
	pages := pdfText(t, buf.Bytes())
	if len(pages) < 2 {
		t.Fatalf("60 rows on %d page(s)", len(pages))
	}
	t.Logf("60 rows: %d pages, %d bytes", len(pages), buf.Len())
	for i, p := range pages {
		flat := squeeze(p)
		for _, want := range []string{testOrg, "2026年11月慰问金发放签收表", "序号", "签收人签字", fmt.Sprintf("第%d页共%d页", i+1, len(pages))} {
			if !strings.Contains(flat, want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, p)
			}
		}
	}
	all := squeeze(strings.Join(pages, ""))
	wantTotal := squeeze(totalLine(60, s.Total))
	for _, want := range []string{"合计60人", s.Total.Capital(), wantTotal, "经办人：", "发放人：周桂兰", "审批编号：芙机工审〔2026〕18号"} {
		if !strings.Contains(all, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if !strings.Contains(squeeze(pages[len(pages)-1]), "合计") {
		t.Error("the total is not on the last page")
	}
	// Every row is there once, 序号 1 to 60, with its name.
	for i, r := range s.Rows {
		name := strings.SplitN(r.Name, "（", 2)[0]
		if !strings.Contains(all, name) {
			t.Errorf("row %d: %q missing", i+1, name)
		}
	}
}

func TestSignOffPDFEmptyAndLong(t *testing.T) {
	font := testFont(t)
	long := strings.Repeat("设备动力部机修班", 8)
	s := &SignOffSheet{OrgName: testOrg, Title: "测试签收表", Rows: []SignOffRow{
		{No: 1, Name: "欧阳娜娜·阿依古丽", Department: long, Reason: strings.Repeat("节日慰问", 10), Item: "大米一袋、食用油一桶、牛奶两箱、苹果一箱（价值1,234.56元）", Amount: 123456},
	}, Total: 123456}
	for _, sheet := range []*SignOffSheet{s, {OrgName: testOrg, Title: "空表"}} {
		var buf bytes.Buffer
		if err := WriteSignOffPDF(&buf, sheet, font); err != nil {
			t.Fatal(err)
		}
		saveSample(t, sheet.Title+".pdf", buf.Bytes())
		all := squeeze(strings.Join(pdfText(t, buf.Bytes()), ""))
		if !strings.Contains(all, squeeze(totalLine(len(sheet.Rows), sheet.Total))) {
			t.Errorf("%s: no total in\n%s", sheet.Title, all)
		}
	}
}

func TestWrap(t *testing.T) {
	font := testFont(t)
	p, err := newPDF(font, "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s string
		w float64
	}{
		{"设备动力部（含机修、电工、锅炉房及空压站），以及其他辅助班组。", 23},
		{"大米一袋、食用油一桶（价值1,234.56元）", 27},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ", 20},
		{"慰问金500.00元", 27},
	} {
		ls := p.wrap(tc.s, tc.w, false, 10.5)
		if strings.Join(ls, "") != strings.ReplaceAll(tc.s, " ", "") {
			t.Errorf("%q wrapped to %q: text lost", tc.s, ls)
		}
		for _, l := range ls {
			if w := p.width(l, false, 10.5); w > tc.w+0.01 {
				t.Errorf("%q: line %q is %.1fmm, wider than %.1fmm", tc.s, l, w, tc.w)
			}
			if r := []rune(l); len(r) > 0 && strings.ContainsRune("，。、；：）》", r[0]) {
				t.Errorf("%q: line %q starts with closing punctuation", tc.s, l)
			}
			if r := []rune(l); len(r) > 0 && strings.ContainsRune("（《", r[len(r)-1]) {
				t.Errorf("%q: line %q ends with opening punctuation", tc.s, l)
			}
		}
		if tc.s == "大米一袋、食用油一桶（价值1,234.56元）" || tc.s == "慰问金500.00元" {
			for _, l := range ls {
				if regexp.MustCompile(`^[\d.,]+元?$|[\d.,]$`).MatchString(l) && !strings.HasSuffix(tc.s, l) {
					t.Errorf("%q: a number is cut: %q", tc.s, ls)
				}
			}
		}
	}
}

func TestFindCJKFont(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ttf")
	os.WriteFile(bad, []byte("not a font at all"), 0o644)
	ttc := filepath.Join(dir, "x.ttc")
	os.WriteFile(ttc, append([]byte("ttcf"), make([]byte, 20)...), 0o644)

	for _, p := range []string{bad, ttc, filepath.Join(dir, "missing.ttf")} {
		t.Setenv(FontEnv, p)
		if _, err := FindCJKFont(); err == nil || !strings.Contains(err.Error(), "NUANXIN_PDF_FONT") {
			t.Errorf("%s: err = %v", p, err)
		}
	}

	// Nothing installed: the error says what to do.
	t.Setenv(FontEnv, "")
	saveDirs, saveKnown := fontDirs, knownFonts
	defer func() { fontDirs, knownFonts = saveDirs, saveKnown }()
	fontDirs, knownFonts = []string{dir}, []string{filepath.Join(dir, "LXGWWenKai-Regular.ttf")}
	_, err := FindCJKFont()
	if err == nil || !strings.Contains(err.Error(), "fonts-lxgw-wenkai") || !strings.Contains(err.Error(), "NUANXIN_PDF_FONT") {
		t.Errorf("no font: err = %v", err)
	}
	// Not where Debian puts it: the walk finds the regular face, not Mono
	// or Light.
	fontDirs, knownFonts = saveDirs, nil
	if p, err := FindCJKFont(); err == nil && !strings.HasSuffix(p, "/LXGWWenKai-Regular.ttf") && strings.Contains(p, "WenKai") {
		t.Errorf("walk picked %s", p)
	}
	fontDirs, knownFonts = saveDirs, saveKnown

	// gopdf cannot embed a collection: a clear error, not a panic.
	err = WriteSignOffPDF(io.Discard, &SignOffSheet{}, ttc)
	if err == nil || !strings.Contains(err.Error(), "TrueType") {
		t.Errorf("ttc: %v", err)
	}

	// The real one, when the machine has it; the env var wins.
	real, err := FindCJKFont()
	if err != nil {
		t.Skip(err)
	}
	t.Logf("font: %s", real)
	if strings.Contains(strings.ToLower(real), "mono") || !strings.HasSuffix(strings.ToLower(real), ".ttf") {
		t.Errorf("picked %s", real)
	}
	t.Setenv(FontEnv, real)
	if got, err := FindCJKFont(); got != real || err != nil {
		t.Errorf("env: %q, %v", got, err)
	}
}

func TestSignOffPDFLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	font := testFont(t)
	b, cases := sampleBatch(2000)
	s := SignOffFromBatch(testOrg, b, cases, label)
	var buf bytes.Buffer
	if err := WriteSignOffPDF(&buf, s, font); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	t.Logf("2000 rows: %d pages, %.1f MB", len(pages), float64(buf.Len())/1e6)
	if last := squeeze(pages[len(pages)-1]); !strings.Contains(last, s.Total.Capital()) {
		t.Errorf("last page lacks the total")
	}
}

// squeeze drops the spaces pdftotext puts between glyphs and columns.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\t' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// saveSample keeps an output for a look when NUANXIN_REPORT_SAMPLES names
// a directory.
func saveSample(t testing.TB, name string, b []byte) {
	if dir := os.Getenv("NUANXIN_REPORT_SAMPLES"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Log(err)
		}
	}
}

// TestSamplesHTML writes the HTML pages for a look in a browser (only with
// NUANXIN_REPORT_SAMPLES set).
func TestSamplesHTML(t *testing.T) {
	if os.Getenv("NUANXIN_REPORT_SAMPLES") == "" {
		t.Skip("NUANXIN_REPORT_SAMPLES not set")
	}
	b, cases := sampleBatch(60)
	var buf bytes.Buffer
	if err := WriteSignOffHTML(&buf, SignOffFromBatch(testOrg, b, cases, label)); err != nil {
		t.Fatal(err)
	}
	saveSample(t, "signoff.html", buf.Bytes())
	buf.Reset()
	if err := WriteNoticeHTML(&buf, NoticeFromBatch(testOrg, b, cases[:24], "工会办公室 0731-84567890")); err != nil {
		t.Fatal(err)
	}
	saveSample(t, "notice.html", buf.Bytes())
}

// TestMessages checks that every "report." key the code uses is in the
// catalog and every key in the catalog is used.
func TestMessages(t *testing.T) {
	used := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "messages_zh.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"(report\.[a-z_.]+)"`).FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
			if !nuanxin.HasMessage(m[1]) {
				t.Errorf("%s uses %s, which is not in the catalog", f, m[1])
			}
		}
	}
	src, _ := os.ReadFile("messages_zh.go")
	for _, m := range regexp.MustCompile(`"(report\.[a-z_.]+)":`).FindAllStringSubmatch(string(src), -1) {
		if !used[m[1]] {
			t.Errorf("%s is in the catalog but not used", m[1])
		}
	}
}

// BenchmarkSignOffPDF2000 times a 2,000-row 签收表 PDF (the font is loaded
// each time, as a request does).
//
//	go test -run XXX -bench SignOffPDF2000 ./report
func BenchmarkSignOffPDF2000(b *testing.B) {
	font, err := FindCJKFont()
	if err != nil {
		b.Skip(err)
	}
	bt, cases := sampleBatch(2000)
	s := SignOffFromBatch(testOrg, bt, cases, label)
	for i := 0; i < b.N; i++ {
		if err := WriteSignOffPDF(io.Discard, s, font); err != nil {
			b.Fatal(err)
		}
	}
}
