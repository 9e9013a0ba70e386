package report

import (
	"io"
	"strconv"

	"github.com/nuanxin/nuanxin"
)

// WriteNoticePDF writes the 公示 as an A4 PDF: the title, the standard
// wording (first page), the table with its header on every page, the
// total, and the union and the date at the bottom right.
func WriteNoticePDF(w io.Writer, n *Notice, fontPath string) error {
	p, err := newPDF(fontPath, n.Title)
	if err != nil {
		return err
	}
	t := &table{
		cols: []column{
			{nuanxin.T("report.col.no"), 12, alignCenter},
			{nuanxin.T("report.col.name"), 22, alignCenter},
			{nuanxin.T("report.col.department"), 42, alignLeft},
			{nuanxin.T("report.col.category"), 26, alignCenter},
			{nuanxin.T("report.col.content"), 48, alignCenter},
			{nuanxin.T("report.col.amount"), 30, alignRight},
		},
		size:     10.5,
		minRowH:  7,
		footnote: pageNumber,
	}
	for _, r := range n.Rows {
		t.rows = append(t.rows, []string{strconv.Itoa(r.No), r.Name, r.Department, r.Category, r.Item, r.Amount.Grouped()})
	}
	paras := []string{noticeBody(n)}
	if n.Contact != "" {
		paras = append(paras, nuanxin.T("report.notice.contact", n.Contact))
	}
	t.banner = func(p *pdfWriter, page int, y float64, draw bool) (float64, error) {
		ls := p.wrap(n.Title, contentW, true, 18)
		if draw {
			if _, err := p.lines(marginX, y, contentW, ls, true, 18, alignCenter); err != nil {
				return y, err
			}
		}
		y += float64(len(ls))*lineHeight(18) + 3
		if page > 1 {
			return y, nil
		}
		for _, para := range paras {
			// First-line indent of two characters, as in any Chinese notice.
			ls := p.wrap("　　"+para, contentW, false, 12)
			if draw {
				if _, err := p.lines(marginX, y, contentW, ls, false, 12, alignLeft); err != nil {
					return y, err
				}
			}
			y += float64(len(ls))*lineHeight(12) + 1
		}
		return y + 3, nil
	}
	t.trailer = func(p *pdfWriter, y float64, draw bool) (float64, error) {
		y, err := totalRow(p, y, len(n.Rows), n.Total, draw)
		if err != nil {
			return y, err
		}
		// The union and the date at the bottom right, centred on each
		// other, where the seal goes.
		y += 10
		lines := []string{n.OrgName, dateText(n.Issued)}
		bw := 0.0
		for _, l := range lines {
			bw = max(bw, p.width(l, false, 12))
		}
		x := max(marginX, marginX+contentW-bw-8)
		for _, l := range lines {
			if draw {
				if err := p.text(x, y, bw, l, false, 12, alignCenter); err != nil {
					return y, err
				}
			}
			y += lineHeight(12) * 1.2
		}
		return y, nil
	}
	if err := t.render(p); err != nil {
		return err
	}
	return p.write(w)
}
