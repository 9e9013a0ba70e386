package roster

import (
	"io"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// RejectedRow is a row of the user's file that was not imported: its row
// number as Excel showed it, its cells as written, and why.
type RejectedRow struct {
	Row     int
	Cells   []string
	Reasons []string
}

// WriteRejected writes the rows an import refused as a workbook the officer
// can fix and import again: sheet 未导入的行 with the file's own header
// between a leading 原行号 and a trailing 错误原因 column (red, wrapped).
// Every cell is text, so a 身份证号 the officer corrects is not turned
// into a number again; the reader ignores the two extra columns.
//
// A rejected-rows file that is itself imported and rejected again would
// pile up extra columns; its 原行号 and 错误原因 columns are dropped and
// written afresh.
func WriteRejected(w io.Writer, header []string, rows []RejectedRow) error {
	rowTitle := nuanxin.T("roster.write.rejected.row")
	reasonTitle := nuanxin.T("roster.write.rejected.reasons")
	keep := make([]int, 0, len(header))
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r.Cells))
	}
	for i := range width {
		if i < len(header) {
			if h := strings.TrimSpace(header[i]); h == rowTitle || h == reasonTitle {
				continue
			}
		}
		keep = append(keep, i)
	}

	cols := make([]xlsxColumn, 0, len(keep)+2)
	cols = append(cols, xlsxColumn{Width: float64(displayWidth(rowTitle) + 4), Style: styleText})
	for _, i := range keep {
		cols = append(cols, xlsxColumn{Width: rejectedWidth(header, rows, i), Style: styleText})
	}
	cols = append(cols, xlsxColumn{Width: 60, Style: styleReason})
	last := len(cols) - 1

	x := newXLSXStream(w, xlsxProps{Title: nuanxin.T("roster.write.rejected.sheet"), Creator: nuanxin.T("roster.export.creator")})
	ok := false
	defer func() {
		if !ok {
			x.abort()
		}
	}()
	if err := x.startSheet(sheetName(nuanxin.T("roster.write.rejected.sheet"), ""), cols, true); err != nil {
		return err
	}
	x.beginRow()
	x.str(0, rowTitle, styleHeader)
	for j, i := range keep {
		h := ""
		if i < len(header) {
			h = header[i]
		}
		x.str(j+1, h, styleHeader)
	}
	x.str(last, reasonTitle, styleHeader)
	if err := x.endRow(); err != nil {
		return err
	}
	sep := nuanxin.T("roster.write.rejected.sep")
	for _, r := range rows {
		if x.row >= maxSheetRows {
			break // cannot happen with a roster Excel could hold
		}
		x.beginRow()
		if r.Row > 0 {
			x.str(0, strconv.Itoa(r.Row), styleText)
		}
		for j, i := range keep {
			if i < len(r.Cells) {
				x.str(j+1, r.Cells[i], styleText)
			}
		}
		x.str(last, strings.Join(r.Reasons, sep), styleReason)
		if err := x.endRow(); err != nil {
			return err
		}
	}
	if err := x.close(); err != nil {
		return err
	}
	ok = true
	return nil
}

// rejectedWidth fits column i to its header and the first rows' values,
// within bounds: the officer should see a whole 身份证号 without resizing,
// and a long address should not push the reasons off screen.
func rejectedWidth(header []string, rows []RejectedRow, i int) float64 {
	n := 0
	if i < len(header) {
		n = displayWidth(header[i]) + 2 // bold, filter arrow
	}
	for k, r := range rows {
		if k == 1000 {
			break
		}
		if i < len(r.Cells) {
			n = max(n, displayWidth(r.Cells[i]))
		}
	}
	return float64(min(max(n+2, 8), 40))
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.write.rejected.sheet":   "未导入的行",
		"roster.write.rejected.row":     "原行号",
		"roster.write.rejected.reasons": "错误原因",
		"roster.write.rejected.sep":     "；",
	})
}
