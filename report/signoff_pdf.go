package report

import (
	"io"
	"strconv"

	"github.com/nuanxin/nuanxin"
)

// WriteSignOffPDF writes the sheet as an A4 PDF with the TrueType font at
// fontPath (FindCJKFont finds one). Every page repeats the union, the
// title, the header line and the column header, and is numbered
// "第 1 页 共 N 页"; long cells wrap; the total with its 大写 and the
// signature line close the last page.
func WriteSignOffPDF(w io.Writer, s *SignOffSheet, fontPath string) error {
	p, err := newPDF(fontPath, s.OrgName+" "+s.Title)
	if err != nil {
		return err
	}
	t := &table{
		cols: []column{
			{nuanxin.T("report.col.no"), 11, alignCenter},
			{nuanxin.T("report.col.name"), 24, alignCenter},
			{nuanxin.T("report.col.department"), 26, alignLeft},
			{nuanxin.T("report.col.reason"), 33, alignLeft},
			{nuanxin.T("report.col.item"), 32, alignLeft},
			{nuanxin.T("report.col.signature"), 32, alignCenter},
			{nuanxin.T("report.col.date"), 22, alignCenter},
		},
		size:     10.5,
		minRowH:  10, // room for a signature in a pen's hand
		footnote: pageNumber,
	}
	for _, r := range s.Rows {
		signed := ""
		if !r.SignedOn.IsZero() {
			signed = r.SignedOn.String()
		}
		t.rows = append(t.rows, []string{strconv.Itoa(r.No), r.Name, r.Department, r.Reason, r.Item, "", signed})
	}
	meta := []field{
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.ref"), ""), value: s.Ref, blank: blankIf(s.Ref == "")},
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.paid_on"), ""), value: dateText(s.PaidOn)},
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.method"), ""), value: s.Method, blank: blankIf(s.Method == "")},
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.head"), ""), value: s.Head, blank: blankIf(s.Head == "")},
	}
	t.banner = func(p *pdfWriter, page int, y float64, draw bool) (float64, error) {
		for _, l := range []struct {
			text string
			bold bool
			size float64
			gap  float64
		}{{s.OrgName, false, 14, 0.5}, {s.Title, true, 18, 2}} {
			ls := p.wrap(l.text, contentW, l.bold, l.size)
			if draw {
				if _, err := p.lines(marginX, y, contentW, ls, l.bold, l.size, alignCenter); err != nil {
					return y, err
				}
			}
			y += float64(len(ls))*lineHeight(l.size) + l.gap
		}
		y, err := p.spread(y, meta, 10, draw)
		return y + 1.5, err
	}
	footer := []field{
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.clerk"), ""), blank: 24},
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.reviewer"), ""), blank: 24},
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.approver"), ""), blank: 24},
		{label: nuanxin.T("report.colon", nuanxin.T("report.signoff.payer"), ""), value: s.Payer, blank: 24},
	}
	t.trailer = func(p *pdfWriter, y float64, draw bool) (float64, error) {
		y, err := totalRow(p, y, len(s.Rows), s.Total, draw)
		if err != nil {
			return y, err
		}
		return p.spread(y+8, footer, 10.5, draw)
	}
	if err := t.render(p); err != nil {
		return err
	}
	return p.write(w)
}

// blankIf leaves a line to write on for a header value not yet known.
func blankIf(empty bool) float64 {
	if empty {
		return 20
	}
	return 0
}

// totalRow is the full-width ruled row 合计 N 人，金额 ¥…（大写：…）.
func totalRow(p *pdfWriter, y float64, n int, total nuanxin.Money, draw bool) (float64, error) {
	const size = 10.5
	ls := p.wrap(totalLine(n, total), contentW-4, true, size)
	h := float64(len(ls))*lineHeight(size) + 2*cellPadY + 2
	if draw {
		p.gp.RectFromUpperLeft(marginX, y, contentW, h)
		if _, err := p.lines(marginX+2, y+cellPadY+1, contentW-4, ls, true, size, alignLeft); err != nil {
			return y, err
		}
	}
	return y + h, nil
}
