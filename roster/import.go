package roster

import (
	"context"
	"io"
	"sort"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// ImportOptions are the officer's choices about a file: which sheet, which
// encoding (CSV), and column mappings that override the detected header.
type ImportOptions struct {
	Sheet    int           // index into Book.Sheets(); -1 picks the first visible sheet with a header
	Encoding string        // CSV only: "" detects, "utf-8", "gb18030"
	Mapping  map[int]Field // column index → field ("" = ignore), from the mapping form
}

// Inspection is what the officer sees before a dry run: the sheets, the
// header found on the chosen one and a few data rows under it.
type Inspection struct {
	Sheets    []SheetInfo
	Sheet     int
	Header    *Header
	HeaderErr error // why no header was found on the chosen sheet
	Sample    []Row // up to SampleRows data rows after the header
	Date1904  bool  // the workbook's date system, for showing date cells
}

// SampleRows is how many data rows Inspect shows.
const SampleRows = 5

// headerScan is how many rows the header may sit under (title rows, a
// 填报单位 line, blank rows).
const headerScan = 10

// Inspect opens the file, picks the sheet and finds its header.
func Inspect(path string, opt ImportOptions) (*Inspection, error) {
	b, err := Open(path, Options{Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	in := &Inspection{Sheets: b.Sheets(), Date1904: b.Date1904()}
	sheet, head, h, herr, err := pickSheet(b, opt)
	if err != nil {
		return nil, err
	}
	in.Sheet, in.Header, in.HeaderErr = sheet, h, herr
	if h != nil {
		for _, r := range head {
			if r.Num > h.Row && !r.Empty() && len(in.Sample) < SampleRows {
				in.Sample = append(in.Sample, r)
			}
		}
	}
	return in, nil
}

// pickSheet is pickSheetWith the roster's header detection.
func pickSheet(b *Book, opt ImportOptions) (int, []Row, *Header, error, error) {
	return pickSheetWith(b, opt, DetectHeader)
}

// pickSheetWith is pickSheet with the header detection of a kind of file:
// the sheet opt names, or with Sheet -1 the first visible sheet detect
// finds a header on, else the first visible sheet (and why it has none).
func pickSheetWith(b *Book, opt ImportOptions, detect func([]Row, map[int]Field) (*Header, error)) (int, []Row, *Header, error, error) {
	sheets := b.Sheets()
	try := func(i int) ([]Row, *Header, error, error) {
		rows, err := b.Rows(i)
		if err != nil {
			return nil, nil, nil, err
		}
		defer rows.Close()
		head, err := Head(rows, headerScan+SampleRows)
		if err != nil {
			return nil, nil, nil, err
		}
		h, herr := detect(head, opt.Mapping)
		return head, h, herr, nil
	}
	if opt.Sheet >= 0 {
		if opt.Sheet >= len(sheets) {
			return 0, nil, nil, nil, nuanxin.Invalid("sheet", "roster.import.no_sheet", opt.Sheet+1)
		}
		head, h, herr, err := try(opt.Sheet)
		return opt.Sheet, head, h, herr, err
	}
	first := -1
	var firstHead []Row
	var firstErr error
	for _, s := range sheets {
		if s.Hidden {
			continue
		}
		head, h, herr, err := try(s.Index)
		if err != nil {
			return 0, nil, nil, nil, err
		}
		if h != nil {
			return s.Index, head, h, nil, nil
		}
		if first < 0 {
			first, firstHead, firstErr = s.Index, head, herr
		}
	}
	if first < 0 {
		return 0, nil, nil, nil, nuanxin.Invalid("sheet", "roster.import.no_visible_sheet")
	}
	return first, firstHead, nil, firstErr, nil
}

// ImportMembers reads the file and applies it through imp (the store):
// a dry run or a commit, as mo says.
func ImportMembers(ctx context.Context, imp nuanxin.MemberImporter, s *nuanxin.Scope, path string, opt ImportOptions, mo nuanxin.MemberImportOptions) (*nuanxin.ImportReport, error) {
	b, err := Open(path, Options{Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	sheet, _, h, herr, err := pickSheet(b, opt)
	if err != nil {
		return nil, err
	}
	if h == nil {
		return nil, herr
	}
	rows, err := b.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if mo.Expected == 0 {
		mo.Expected = max(0, b.EstimateRows(sheet)-h.Row)
	}
	src, end := prefetch(ReadMembers(rows, h, b.Date1904()))
	defer end()
	notes := FileNotes(b.Sheets(), sheet, h)
	// Once the last row is read, the file and its shared strings (150 MB
	// for a million-row roster) are let go while the store builds its
	// indexes and commits.
	src = &onEOF{src: src, fn: func() { rows.Close(); b.Close() }}
	rep, err := imp.ImportMembers(ctx, s, src, mo)
	if err != nil {
		return nil, err
	}
	rep.Notes = append(notes, rep.Notes...)
	return rep, nil
}

// FileNotes say what was read of a file: the sheet and header row, the
// hidden sheets, and every column that was not imported and why.
func FileNotes(sheets []SheetInfo, sheet int, h *Header) []string {
	var notes []string
	if sheet < len(sheets) {
		notes = append(notes, nuanxin.T("roster.import.note_sheet", sheets[sheet].Name, h.Row))
	}
	var hidden []string
	for _, s := range sheets {
		if s.Hidden && s.Index != sheet {
			hidden = append(hidden, s.Name)
		}
	}
	if len(hidden) > 0 {
		notes = append(notes, nuanxin.T("roster.import.note_hidden", strings.Join(hidden, "、")))
	}
	for _, c := range h.Unknown {
		notes = append(notes, nuanxin.T("roster.import.note_unknown", c.Label()))
	}
	for _, c := range h.Duplicate {
		notes = append(notes, nuanxin.T("roster.import.note_duplicate", c.Label(), c.Field.Title()))
	}
	return notes
}

// WriteRejectedRows writes the rejected rows of a report, cut from the
// original file with their reasons, as an xlsx the officer fixes and
// imports again.
func WriteRejectedRows(w io.Writer, path string, opt ImportOptions, rep *nuanxin.ImportReport) error {
	b, err := Open(path, Options{Encoding: opt.Encoding})
	if err != nil {
		return err
	}
	defer b.Close()
	sheet, _, h, herr, err := pickSheet(b, opt)
	if err != nil {
		return err
	}
	if h == nil {
		return herr
	}
	return writeRejectedFrom(w, b, sheet, h, rep)
}

// writeRejectedFrom cuts the rejected rows of rep (and the header row)
// from a sheet and writes them with their reasons (warnings are not
// reasons: a warned row was imported).
func writeRejectedFrom(w io.Writer, b *Book, sheet int, h *Header, rep *nuanxin.ImportReport) error {
	why := map[int][]string{}
	for _, e := range rep.Errors {
		if e.Warning {
			continue
		}
		r := e.Reason
		if e.Column != "" {
			r = e.Column + "：" + r
		}
		why[e.Row] = append(why[e.Row], r)
	}
	nums := append([]int(nil), rep.RejectedRows...)
	sort.Ints(nums)
	var header []string
	var out []RejectedRow
	err := RejectedRows(b, sheet, h.Row, nums, func(r Row) error {
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = c.Text(b.Date1904()) // dates as 2024-03-05, not serials
		}
		if r.Num == h.Row {
			header = cells
			return nil
		}
		out = append(out, RejectedRow{Row: r.Num, Cells: cells, Reasons: why[r.Num]})
		return nil
	})
	if err != nil {
		return err
	}
	return WriteRejected(w, header, out)
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.import.no_sheet":         "文件中没有第%d个工作表",
		"roster.import.no_visible_sheet": "文件中没有可见的工作表",
		"roster.import.note_sheet":       "读取工作表“%s”，表头在第%d行",
		"roster.import.note_hidden":      "隐藏的工作表没有读取：%s",
		"roster.import.note_unknown":     "%s未能识别，没有导入；如需导入，请在网页上为它选择对应字段",
		"roster.import.note_duplicate":   "%s与前面的列同为“%s”，没有导入",
	})
}

// prefetch reads src on its own goroutine, a chunk of rows ahead, so
// parsing the file runs on one core while the store checks and writes on
// another. end stops the reader and waits for it, so the file can be
// closed after.
func prefetch(src nuanxin.MemberRowSource) (_ nuanxin.MemberRowSource, end func()) {
	const chunk = 512
	ch := make(chan prefetched, 16)
	stop := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer close(ch)
		buf := make([]*nuanxin.MemberRow, 0, chunk)
		for {
			r, err := src.Next()
			if r != nil {
				buf = append(buf, r)
			}
			if err != nil || len(buf) == chunk {
				select {
				case ch <- prefetched{buf, err}:
				case <-stop:
					return
				}
				if err != nil {
					return
				}
				buf = make([]*nuanxin.MemberRow, 0, chunk)
			}
		}
	}()
	return &prefetchSource{ch: ch}, func() {
		close(stop)
		<-exited
	}
}

type prefetched struct {
	rows []*nuanxin.MemberRow
	err  error // io.EOF after the last chunk
}

type prefetchSource struct {
	ch  chan prefetched
	cur prefetched
	i   int
}

func (p *prefetchSource) Next() (*nuanxin.MemberRow, error) {
	for p.i >= len(p.cur.rows) {
		if p.cur.err != nil {
			return nil, p.cur.err
		}
		c, ok := <-p.ch
		if !ok {
			return nil, io.EOF
		}
		p.cur, p.i = c, 0
	}
	p.i++
	return p.cur.rows[p.i-1], nil
}

// onEOF calls fn once, when src reports its end.
type onEOF struct {
	src  nuanxin.MemberRowSource
	fn   func()
	done bool
}

func (o *onEOF) Next() (*nuanxin.MemberRow, error) {
	r, err := o.src.Next()
	if err == io.EOF && !o.done {
		o.done = true
		o.fn()
	}
	return r, err
}
