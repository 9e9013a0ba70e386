package roster

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// SheetInfo describes one sheet of a workbook, in workbook order.
type SheetInfo struct {
	Index  int
	Name   string
	Hidden bool // state="hidden" or "veryHidden": officers keep old lists there
}

// CellKind is what a cell holds, as the file stores it.
type CellKind uint8

const (
	CellEmpty  CellKind = iota
	CellText            // shared, inline or formula string; every CSV field
	CellNumber          // a number as the file writes it: "45356", "4.30102198503153E+17"
	CellBool            // "1" or "0"
	CellError           // "#N/A", "#VALUE!" …
	CellDate            // a number whose number format is a date or time: Value is the serial
)

// Cell is one cell. Value is the text as stored: the string for text cells,
// the raw number text for numbers and dates (the serial), the cached result
// for formulas. A cell with an empty Value is CellEmpty.
type Cell struct {
	Value string
	Kind  CellKind
}

// Text is the cell as the officer saw it, for writing a row back out (the
// rejected-rows workbook): a date cell as 2024-03-05 rather than its
// serial, a boolean as TRUE or FALSE, anything else as stored.
func (c Cell) Text(date1904 bool) string {
	switch c.Kind {
	case CellDate:
		if d, err := ExcelDate(c.Value, date1904); err == nil {
			return d.String()
		}
	case CellBool:
		if c.Value == "1" {
			return "TRUE"
		}
		if c.Value == "0" {
			return "FALSE"
		}
	}
	return c.Value
}

// Row is one row with at least one non-empty cell. Num is the row number
// as Excel shows it (1-based; for CSV the line the record starts on).
// Cells are indexed by 0-based column; trailing empty cells may be absent.
type Row struct {
	Num   int
	Cells []Cell
}

// Cell returns the cell in column col, or an empty cell.
func (r Row) Cell(col int) Cell {
	if col < 0 || col >= len(r.Cells) {
		return Cell{}
	}
	return r.Cells[col]
}

// Clone returns a copy whose Cells the iterator will not reuse.
func (r Row) Clone() Row {
	return Row{Num: r.Num, Cells: append([]Cell(nil), r.Cells...)}
}

// Empty reports whether no cell holds a value.
func (r Row) Empty() bool {
	for _, c := range r.Cells {
		if c.Value != "" {
			return false
		}
	}
	return true
}

// Options are the choices of opening a file.
type Options struct {
	// Encoding of a CSV file: "" detects it (BOM, then UTF-8 validity,
	// else GB18030); "utf-8"; "gb18030" (also "gbk", "gb2312").
	Encoding string
}

// Book is an open spreadsheet: an xlsx workbook or a CSV file seen as a
// workbook with one sheet. It is safe to read several sheets at once.
type Book struct {
	name   string
	sheets []SheetInfo
	closer io.Closer
	xlsx   *xlsxBook
	csv    *csvBook
}

// Open opens a roster file, recognising the format from its content, not
// its name: officers rename files and systems export HTML as ".xls".
func Open(path string, opt Options) (*Book, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.failed", filepath.Base(path))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.failed", filepath.Base(path))
	}
	b, err := OpenReader(f, st.Size(), filepath.Base(path), opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	b.closer = f
	return b, nil
}

// OpenReader opens a roster held by r (size bytes). name is the file name
// the officer uploaded; a CSV sheet is named after it.
func OpenReader(r io.ReaderAt, size int64, name string, opt Options) (*Book, error) {
	if size <= 0 {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.empty")
	}
	head := make([]byte, min(size, 4096))
	if n, err := r.ReadAt(head, 0); n < len(head) && err != nil && !errors.Is(err, io.EOF) {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.failed", name)
	}
	b := &Book{name: name}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		x, err := openXLSX(r, size)
		if err != nil {
			return nil, err
		}
		b.xlsx, b.sheets = x, x.sheets
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		if oleEncrypted(r, size) {
			return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.encrypted")
		}
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xls_unsupported")
	case bytes.HasPrefix(head, []byte("%PDF")):
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.pdf")
	case isHTMLOrXMLSheet(head):
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.html")
	case isBinary(head):
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.not_spreadsheet")
	default:
		c, err := openCSV(r, size, opt)
		if err != nil {
			return nil, err
		}
		b.csv = c
		sheet := strings.TrimSuffix(name, filepath.Ext(name))
		if sheet == "" {
			sheet = "Sheet1"
		}
		b.sheets = []SheetInfo{{Index: 0, Name: sheet}}
	}
	return b, nil
}

// Sheets lists the sheets in workbook order.
func (b *Book) Sheets() []SheetInfo { return append([]SheetInfo(nil), b.sheets...) }

// Date1904 reports the workbook's 1904 date system (old Mac Excel): its
// serials count from 1904-01-01. Pass it to ParseDateCell.
func (b *Book) Date1904() bool { return b.xlsx != nil && b.xlsx.date1904 }

// Rows streams a sheet's rows. The sheet is never held in memory whole;
// Close the iterator when done with it early.
func (b *Book) Rows(sheet int) (*Rows, error) {
	if sheet < 0 || sheet >= len(b.sheets) {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.no_sheet", sheet+1, len(b.sheets))
	}
	var src rowSource
	var err error
	if b.xlsx != nil {
		src, err = b.xlsx.rows(sheet)
	} else {
		src, err = b.csv.rows()
	}
	if err != nil {
		return nil, err
	}
	return &Rows{src: src}, nil
}

// Close releases the file (when opened with Open) and the shared strings.
func (b *Book) Close() error {
	if b.xlsx != nil {
		b.xlsx.release()
	}
	if b.closer != nil {
		err := b.closer.Close()
		b.closer = nil
		return err
	}
	return nil
}

// rowSource is one format's row stream.
type rowSource interface {
	// next fills r with the next non-empty row; false at the end.
	next(r *Row) (bool, error)
	close() error
}

// Rows iterates the rows of a sheet that hold at least one value.
//
//	for rows.Next() { r := rows.Row() … }
//	if err := rows.Err(); err != nil { … }
//
// The Cells slice of Row is reused by the next call to Next: copy what you
// keep (Row.Clone). The Value strings themselves are never modified.
type Rows struct {
	src  rowSource
	row  Row
	err  error
	done bool
}

// Next advances to the next row, false at the end or on error.
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	ok, err := r.src.next(&r.row)
	if err != nil {
		r.err = err
	}
	if !ok || err != nil {
		r.done = true
		r.src.close()
		return false
	}
	return true
}

// Row is the current row; valid until the next call to Next.
func (r *Rows) Row() Row { return r.row }

// Err is the error that stopped the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close stops the iteration early and releases the sheet stream.
func (r *Rows) Close() error {
	if r.done {
		return nil
	}
	r.done = true
	return r.src.close()
}

// Head reads up to n non-empty rows from the start of rows, copied so they
// outlive the iterator, for header detection and previews.
func Head(rows *Rows, n int) ([]Row, error) {
	var out []Row
	for len(out) < n && rows.Next() {
		out = append(out, rows.Row().Clone())
	}
	return out, rows.Err()
}

// isBinary reports content that is not text: NUL bytes (UTF-16 text aside,
// which rosters are never saved as) or many control characters.
func isBinary(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return false // UTF-16 BOM: reported by the CSV reader
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	return ctl > len(head)/20
}

// isHTMLOrXMLSheet catches the ".xls" files that web systems export and
// that are really HTML tables or Excel 2003 XML spreadsheets.
func isHTMLOrXMLSheet(head []byte) bool {
	h := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n"))
	for _, p := range []string{"<html", "<!doctype html", "<table", "<meta"} {
		if bytes.HasPrefix(h, []byte(p)) {
			return true
		}
	}
	return bytes.HasPrefix(h, []byte("<?xml")) &&
		(bytes.Contains(h, []byte("urn:schemas-microsoft-com:office:spreadsheet")) || bytes.Contains(h, []byte("<html")))
}

// oleEncrypted reports a password-protected xlsx: Office wraps it in an
// OLE container with an EncryptedPackage stream, which would otherwise be
// mistaken for an .xls. The directory entry name is UTF-16LE.
func oleEncrypted(r io.ReaderAt, size int64) bool {
	name := []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
	const chunk = 1 << 20
	buf := make([]byte, chunk+len(name))
	for off := int64(0); off < size && off < 64<<20; off += chunk {
		n, _ := r.ReadAt(buf, off)
		if bytes.Contains(buf[:n], name) {
			return true
		}
	}
	return false
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.xls_unsupported":      "这是旧版 Excel（.xls）文件，暂不能直接读取。请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入",
		"roster.open.failed":          "无法打开文件“%s”，请重新上传",
		"roster.open.empty":           "文件是空的（0字节），请确认选择了正确的花名册文件后重新上传",
		"roster.open.no_sheet":        "没有第%d个工作表：这个文件共有%d个工作表，请重新选择",
		"roster.open.encrypted":       "这个文件设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码（文件→信息→保护工作簿）后重新保存，再导入",
		"roster.open.pdf":             "这是 PDF 文件，不能导入。请上传 Excel 花名册（.xlsx）或 CSV 文件",
		"roster.open.html":            "这个文件实际是网页格式（多见于从其他系统导出的“.xls”），不能直接读取。请在 Excel 或 WPS 中打开它，“另存为” .xlsx 格式后再导入",
		"roster.open.not_spreadsheet": "这个文件不是表格文件，无法读取。请上传 Excel 花名册（.xlsx）或 CSV 文件",
	})
}
