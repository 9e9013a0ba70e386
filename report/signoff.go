// Package report prints what a union hands out and files: the 签收表 that
// members sign when they receive a 慰问, and the 公示 posted afterwards. Each
// comes as a standalone printable HTML page (embedded CSS, system fonts, no
// external requests: it must work on an intranet) and as a PDF.
package report

import (
	"strings"

	"github.com/nuanxin/nuanxin"
)

// SignOffSheet is a 签收表: one line per 慰问 of a payment batch, with a
// blank for the recipient's signature. It is internal (filed with the
// voucher), so it may name the category and the hospital; the 公示 may not.
type SignOffSheet struct {
	OrgName string
	Title   string // 2026年11月慰问金发放签收表
	Ref     string // 审批编号
	PaidOn  nuanxin.Date
	Method  string // 发放方式, already a label: 现金
	Payer   string // 发放人
	Head    string // 支出科目, already a label: 职工集体福利
	Rows    []SignOffRow
	Total   nuanxin.Money
}

// SignOffRow is one recipient.
type SignOffRow struct {
	No         int
	Name       string
	Department string
	Reason     string // 慰问事由
	Item       string // 金额或物品
	Amount     nuanxin.Money
	SignedOn   nuanxin.Date // printed when already known, else left for the signer
}

// SignOffFromBatch builds the sheet of a batch, rows in the order of cases
// (the caller's order is the 序号). orgName falls back to the batch's org;
// categoryLabel names a union's own categories (Policy.CategoryLabel) and
// may be nil. Total is the sum of the rows, so the sheet always adds up.
func SignOffFromBatch(orgName string, b *nuanxin.CareBatch, cases []*nuanxin.CareCase, categoryLabel func(nuanxin.CareCategory) string) *SignOffSheet {
	if categoryLabel == nil {
		categoryLabel = nuanxin.CareCategory.Label
	}
	s := &SignOffSheet{
		OrgName: firstNonEmpty(orgName, b.OrgName),
		Title:   signOffTitle(b),
		Ref:     b.Ref,
		PaidOn:  b.PaidOn,
		Payer:   b.Payer,
	}
	if b.Method != "" {
		s.Method = b.Method.Label()
	}
	if b.Head != "" {
		s.Head = b.Head
		if nuanxin.HasMessage("head." + b.Head) {
			s.Head = nuanxin.T("head." + b.Head)
		}
	}
	for i, c := range cases {
		s.Rows = append(s.Rows, SignOffRow{
			No:         i + 1,
			Name:       c.Subject(),
			Department: c.Department,
			Reason:     signOffReason(c, categoryLabel(c.Category)),
			Item:       c.Item(),
			Amount:     c.Amount,
			SignedOn:   c.SignedOn,
		})
		s.Total += c.Amount
	}
	return s
}

// signOffTitle is the batch title made into a sheet title: "2026年11月生日
// 慰问" becomes "2026年11月生日慰问签收表"; a batch without a title is named
// by its month.
func signOffTitle(b *nuanxin.CareBatch) string {
	t := strings.TrimSpace(b.Title)
	if t == "" {
		return nuanxin.T("report.signoff.default_title", b.PaidOn.Year, int(b.PaidOn.Month))
	}
	if suffix := nuanxin.T("report.signoff.suffix"); !strings.Contains(t, suffix) {
		t += suffix
	}
	return t
}

// signOffReason is the 慰问事由: the category with what tells the case apart
// (the hospital, the holiday) or the officer's own reason.
func signOffReason(c *nuanxin.CareCase, label string) string {
	detail := strings.TrimSpace(c.Reason)
	if detail == "" {
		switch c.Category {
		case nuanxin.CareIllness:
			detail = strings.TrimSpace(c.Hospital)
		case nuanxin.CareHoliday:
			if c.Holiday != "" && c.HolidayYear > 0 {
				detail = nuanxin.T("report.signoff.holiday", c.HolidayYear, c.Holiday.Label())
			} else {
				detail = c.Holiday.Label()
			}
		}
	}
	switch {
	case detail == "" || detail == label:
		return label
	case strings.Contains(detail, label):
		return detail // the reason already says 生病住院…
	}
	return nuanxin.T("report.signoff.reason", label, detail)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// totalLine is 合计 N 人，金额 ¥1,200.00（大写：壹仟贰佰元整）.
func totalLine(n int, total nuanxin.Money) string {
	return nuanxin.T("report.total", n, total.Grouped(), total.Capital())
}

// dateText is 2026年11月5日, or blanks to fill in by hand.
func dateText(d nuanxin.Date) string {
	if d.IsZero() {
		return nuanxin.T("report.blank_date")
	}
	return d.Chinese()
}
