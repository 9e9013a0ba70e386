package report

import (
	"strings"

	"github.com/nuanxin/nuanxin"
)

// Notice is a 公示: the published list of who received what, posted for an
// objection period. It is public, so under 个人信息保护法 it shows masked
// names and nothing about anyone's health: no 身份证号, no phone, no
// hospital, no illness, only a generic category.
type Notice struct {
	OrgName         string
	Title           string       // 关于2026年11月生日慰问发放情况的公示
	Subject         string       // what is published, for the body text: 2026年11月生日慰问
	From, To        nuanxin.Date // 公示期
	ObjectionsUntil nuanxin.Date
	Contact         string // 异议受理：联系人/电话
	Rows            []NoticeRow
	Total           nuanxin.Money
	Issued          nuanxin.Date
}

// NoticeRow is one recipient. Name is masked (张*三) by NoticeFromBatch;
// a caller that fills rows itself must mask them too.
type NoticeRow struct {
	No         int
	Name       string
	Department string
	Category   string // generic: 生日慰问, 困难帮扶, 慰问
	Item       string // 慰问金, 慰问品, or the goods when harmless
	Amount     nuanxin.Money
}

// NoticeFromBatch builds the 公示 of a batch, mirroring SignOffFromBatch.
// The period and objection deadline come from the batch (PublishNotice);
// the deadline defaults to the last day, the issue date to the first.
// contact is who takes objections (联系人/电话), printed as given: pass an
// office line, not a personal mobile.
//
// Nothing from the case's free text (reason, notes, hospital) is used, and
// the batch title only when it says nothing about health: the categories
// come from a closed list of our own labels.
func NoticeFromBatch(orgName string, b *nuanxin.CareBatch, cases []*nuanxin.CareCase, contact string) *Notice {
	subject := noticeSubject(b)
	n := &Notice{
		OrgName:         firstNonEmpty(orgName, b.OrgName),
		Title:           nuanxin.T("report.notice.title", subject),
		Subject:         subject,
		From:            b.NoticeFrom,
		To:              b.NoticeTo,
		ObjectionsUntil: b.ObjectionsUntil,
		Contact:         strings.TrimSpace(contact),
		Issued:          b.NoticeFrom,
	}
	if n.ObjectionsUntil.IsZero() {
		n.ObjectionsUntil = b.NoticeTo
	}
	for i, c := range cases {
		name := c.MemberName // the member, never the relative: the relative's name is not published
		n.Rows = append(n.Rows, NoticeRow{
			No:         i + 1,
			Name:       nuanxin.MaskName(name),
			Department: c.Department,
			Category:   noticeCategory(c.Category),
			Item:       noticeItem(c),
			Amount:     c.Amount,
		})
		n.Total += c.Amount
	}
	return n
}

// noticeSubject is what the notice is about: the batch title without
// "签收表", or the month when the title is empty or would disclose health
// (a batch the store titled "11月生病住院慰问").
func noticeSubject(b *nuanxin.CareBatch) string {
	t := strings.TrimSpace(b.Title)
	t = strings.TrimSpace(strings.TrimSuffix(t, nuanxin.T("report.signoff.suffix")))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "发放"), "情况")
	if t == "" || sensitive(t) {
		return nuanxin.T("report.notice.subject", b.PaidOn.Year, int(b.PaidOn.Month))
	}
	return t
}

// noticeCategory maps a category to its public label. Illness, death and
// anything a union made up (家属住院) become plain 慰问.
func noticeCategory(c nuanxin.CareCategory) string {
	switch c {
	case nuanxin.CareBirthday:
		return nuanxin.T("report.notice.cat.birthday")
	case nuanxin.CareWedding:
		return nuanxin.T("report.notice.cat.wedding")
	case nuanxin.CareBirth:
		return nuanxin.T("report.notice.cat.birth")
	case nuanxin.CareRetirement:
		return nuanxin.T("report.notice.cat.retire")
	case nuanxin.CareHoliday:
		return nuanxin.T("report.notice.cat.holiday")
	case nuanxin.CareHardship:
		return nuanxin.T("report.notice.cat.hardship")
	}
	return nuanxin.T("report.notice.cat.generic")
}

// noticeItem is what was given: the goods of a gift (蛋糕券一张) when the
// category is a public one and the text names nothing medical, else only
// the form (慰问金, 慰问品): goods for a patient (营养品) tell too much.
func noticeItem(c *nuanxin.CareCase) string {
	generic := noticeCategory(c.Category) == nuanxin.T("report.notice.cat.generic")
	if g := strings.TrimSpace(c.Goods); g != "" && c.Form != nuanxin.FormCash && !generic && !sensitive(g) {
		return g
	}
	switch c.Form {
	case nuanxin.FormCash:
		return nuanxin.T("report.notice.form.cash")
	case nuanxin.FormGoods:
		return nuanxin.T("report.notice.form.goods")
	case nuanxin.FormVoucher:
		return nuanxin.T("report.notice.form.voucher")
	case nuanxin.FormCard:
		return nuanxin.T("report.notice.form.card")
	}
	return nuanxin.T("report.notice.form.generic")
}

// sensitiveWords disclose health or a death in a public list. The list is
// a backstop for titles and goods; the labels never come from case text.
var sensitiveWords = []string{"医院", "病", "住院", "手术", "癌", "瘤", "诊", "疗", "药", "伤", "残", "孕", "流产",
	"去世", "逝", "丧", "亡", "医", "护理", "康复", "ICU", "营养品"}

func sensitive(s string) bool {
	for _, w := range sensitiveWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
