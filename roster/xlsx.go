package roster

// Why a reader of our own: excelize's Rows() decodes the sheet with
// encoding/xml and takes about 45 s for 1,000,000 × 10 rows on a 2-core
// machine (over 4 minutes for the 1,000,000 × 12 benchmark roster, whose 3
// million shared strings it looks up one by one), while merely inflating
// the sheet XML takes about 2–4 s. An import of 1,000,000 × 12 rows must
// finish in 15 s and 500 MB, database included. So the sheet and the
// shared strings (a million names, 身份证号 and phones) are read by a
// hand-written byte scanner over the inflated stream, which is inflated
// on a goroutine of its own; encoding/xml is used only for the small parts
// (workbook, relationships, styles). Rows are streamed: the sheet is never
// held in memory whole. Reading the benchmark roster takes about the time
// of inflating it (reader_bench_test.go).

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	kflate "github.com/klauspost/compress/flate"

	"github.com/nuanxin/nuanxin"
)

const (
	// scanWindow is the scanner's buffer: big reads keep the per-read cost
	// of the inflater low. It grows only for a single token (a cell text)
	// that does not fit, up to maxWindow.
	scanWindow = 256 << 10
	maxWindow  = 64 << 20
	maxColumns = 16384 // XFD, Excel's last column
	maxSST     = 2 << 30
)

// xlsxBook is the workbook part of a Book.
type xlsxBook struct {
	zr       *zip.Reader
	files    map[string]*zip.File
	lower    map[string]*zip.File
	sheets   []SheetInfo
	paths    []string // worksheet part of each sheet
	date1904 bool
	dates    []bool // cellXfs index → number format is a date
	sstPath  string

	sstOnce sync.Once
	sst     *sharedStrings
	sstErr  error

	mu     sync.Mutex
	open   map[*sheetReader]struct{} // closed by Book.Close if the caller did not
	closed bool
}

func openXLSX(r io.ReaderAt, size int64) (*xlsxBook, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
	}
	// klauspost's inflate is a drop-in for compress/flate that inflated the
	// 1M-row benchmark roster's sheet and strings in 1.0 s instead of 1.34.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	x := &xlsxBook{zr: zr, files: map[string]*zip.File{}, lower: map[string]*zip.File{}}
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/")
		x.files[name] = f
		x.lower[strings.ToLower(name)] = f
	}
	if mt := x.file("mimetype"); mt != nil {
		if b, _ := readPart(mt, 256); bytes.HasPrefix(b, []byte("application/vnd.oasis.opendocument.spreadsheet")) {
			return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.ods")
		}
	}

	wbPath := "xl/workbook.xml"
	if rels, err := x.rels("_rels/.rels", ""); err == nil {
		for _, rel := range rels {
			if strings.HasSuffix(rel.typ, "/officeDocument") && x.file(rel.target) != nil {
				wbPath = rel.target
			}
		}
	}
	wb := x.file(wbPath)
	if wb == nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.open.not_xlsx")
	}
	raw, err := readPart(wb, 64<<20)
	if err != nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
	}
	sheets, err := parseWorkbook(raw, &x.date1904)
	if err != nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
	}

	relPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	rels, _ := x.rels(relPath, wbPath)
	byID := map[string]string{}
	stylesPath := ""
	for _, rel := range rels {
		byID[rel.id] = rel.target
		switch {
		case strings.HasSuffix(rel.typ, "/sharedStrings"):
			x.sstPath = rel.target
		case strings.HasSuffix(rel.typ, "/styles"):
			stylesPath = rel.target
		}
	}
	dir := path.Dir(wbPath)
	if x.sstPath == "" && x.file(path.Join(dir, "sharedStrings.xml")) != nil {
		x.sstPath = path.Join(dir, "sharedStrings.xml")
	}
	if stylesPath == "" {
		stylesPath = path.Join(dir, "styles.xml")
	}
	for i, s := range sheets {
		p := byID[s.rid]
		if p == "" { // no relationships part: fall back to the usual name
			p = path.Join(dir, "worksheets", "sheet"+strconv.Itoa(i+1)+".xml")
		}
		x.sheets = append(x.sheets, SheetInfo{Index: i, Name: s.name, Hidden: s.hidden})
		x.paths = append(x.paths, p)
	}
	if len(x.sheets) == 0 {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.no_sheets")
	}
	if f := x.file(stylesPath); f != nil {
		if raw, err := readPart(f, 64<<20); err == nil {
			x.dates = parseDateStyles(raw)
		}
	}
	return x, nil
}

// file finds a part by name; producers disagree on case and slashes.
func (x *xlsxBook) file(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	if f := x.files[name]; f != nil {
		return f
	}
	if f := x.lower[strings.ToLower(name)]; f != nil {
		return f
	}
	if u, err := url.PathUnescape(name); err == nil && u != name {
		return x.lower[strings.ToLower(u)]
	}
	return nil
}

func (x *xlsxBook) release() {
	x.mu.Lock()
	open := x.open
	x.open, x.closed = nil, true
	x.mu.Unlock()
	for r := range open {
		r.close()
	}
	x.sstOnce.Do(func() {})
	x.sst, x.sstErr = nil, errBookClosed
}

var errBookClosed = errors.New("roster: book closed")

func (x *xlsxBook) sharedStrings() (*sharedStrings, error) {
	x.sstOnce.Do(func() {
		if x.sstPath == "" {
			x.sst = &sharedStrings{offs: []uint32{0}}
			return
		}
		f := x.file(x.sstPath)
		if f == nil {
			x.sst = &sharedStrings{offs: []uint32{0}}
			return
		}
		x.sst, x.sstErr = loadSharedStrings(f)
	})
	return x.sst, x.sstErr
}

func (x *xlsxBook) rows(sheet int) (rowSource, error) {
	sst, err := x.sharedStrings()
	if err != nil {
		return nil, err
	}
	f := x.file(x.paths[sheet])
	if f == nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.sheet_missing", x.sheets[sheet].Name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
	}
	ahead := newInflateAhead(rc)
	sr := &sheetReader{rc: ahead, sst: sst, dates: x.dates, name: x.sheets[sheet].Name, book: x}
	sr.sc.init(ahead)
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		ahead.Close()
		return nil, errBookClosed
	}
	if x.open == nil {
		x.open = map[*sheetReader]struct{}{}
	}
	x.open[sr] = struct{}{}
	return sr, nil
}

// inflateAhead inflates a part on its own goroutine, a few blocks ahead
// of the scanner: inflating is more than half the cost of reading a
// sheet, and this way it runs on one core while scanning (and the import
// behind it) runs on another. Close stops the goroutine; Rows closes it at
// the end of the sheet.
type inflateAhead struct {
	rc     io.ReadCloser
	full   chan inflated
	free   chan []byte
	stop   chan struct{}
	exited chan struct{}
	cur    []byte // unread part of the current block
	block  []byte // the current block, to give back
	err    error
	closed bool
}

type inflated struct {
	b   []byte
	err error
}

const aheadBlocks = 4

func newInflateAhead(rc io.ReadCloser) *inflateAhead {
	a := &inflateAhead{rc: rc, full: make(chan inflated, aheadBlocks), free: make(chan []byte, aheadBlocks),
		stop: make(chan struct{}), exited: make(chan struct{})}
	for i := 0; i < aheadBlocks; i++ {
		a.free <- make([]byte, scanWindow)
	}
	go a.run()
	return a
}

func (a *inflateAhead) run() {
	defer close(a.exited)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		n, err := io.ReadFull(a.rc, buf)
		if err == io.ErrUnexpectedEOF {
			err = io.EOF // a short last block
		}
		select {
		case a.full <- inflated{buf[:n], err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *inflateAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.block != nil {
			a.free <- a.block[:cap(a.block)] // never blocks: there are aheadBlocks buffers
			a.block = nil
		}
		if a.err != nil || a.closed {
			if a.err == nil {
				return 0, io.ErrClosedPipe
			}
			return 0, a.err
		}
		blk := <-a.full
		a.cur, a.block, a.err = blk.b, blk.b, blk.err
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

func (a *inflateAhead) Close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	close(a.stop)
	<-a.exited // the zip reader must not be closed under a Read
	return a.rc.Close()
}

// readPart reads a small part whole.
func readPart(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}

type xlsxRel struct{ id, typ, target string }

// rels reads a relationships part; targets are resolved against source
// (absolute "/xl/…" or relative "worksheets/…", "../…").
func (x *xlsxBook) rels(name, source string) ([]xlsxRel, error) {
	f := x.file(name)
	if f == nil {
		return nil, errors.New("no rels")
	}
	raw, err := readPart(f, 16<<20)
	if err != nil {
		return nil, err
	}
	var out []xlsxRel
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		var rel xlsxRel
		external := false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				rel.id = a.Value
			case "Type":
				rel.typ = a.Value
			case "Target":
				rel.target = a.Value
			case "TargetMode":
				external = strings.EqualFold(a.Value, "External")
			}
		}
		if external {
			continue
		}
		rel.target = resolveTarget(source, rel.target)
		out = append(out, rel)
	}
	return out, nil
}

func resolveTarget(source, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Join(path.Dir(source), target)
}

type wbSheet struct {
	name, rid string
	hidden    bool
}

func parseWorkbook(raw []byte, date1904 *bool) ([]wbSheet, error) {
	var out []wbSheet
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			if len(out) > 0 { // trailing garbage after the sheet list
				return out, nil
			}
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			for _, a := range se.Attr {
				if a.Name.Local == "date1904" {
					*date1904 = a.Value == "1" || strings.EqualFold(a.Value, "true")
				}
			}
		case "sheet":
			var s wbSheet
			for _, a := range se.Attr {
				switch {
				case a.Name.Local == "name":
					s.name = a.Value
				case a.Name.Local == "state":
					s.hidden = a.Value == "hidden" || a.Value == "veryHidden"
				case a.Name.Local == "id" && a.Name.Space != "":
					s.rid = a.Value // r:id, whichever namespace (transitional or strict)
				}
			}
			out = append(out, s)
		}
	}
}

// parseDateStyles maps each cellXfs index to whether its number format
// shows a date, so a number cell styled as a date becomes CellDate.
func parseDateStyles(raw []byte) []bool {
	var ss struct {
		NumFmts []struct {
			ID   string `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			ID string `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal(raw, &ss); err != nil {
		return nil
	}
	custom := map[int]bool{}
	for _, f := range ss.NumFmts {
		if id, err := strconv.Atoi(strings.TrimSpace(f.ID)); err == nil {
			custom[id] = IsDateFormat(f.Code)
		}
	}
	out := make([]bool, len(ss.Xfs))
	for i, xf := range ss.Xfs {
		id, err := strconv.Atoi(strings.TrimSpace(xf.ID))
		if err != nil {
			continue
		}
		if d, ok := custom[id]; ok {
			out[i] = d
		} else {
			out[i] = builtinDateFormat(id)
		}
	}
	return out
}

// builtinDateFormat: the built-in number formats that show dates or times,
// including the CJK ones (27–36, 50–58) that Chinese Excel and WPS use for
// 2024年3月5日 and the like.
func builtinDateFormat(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// IsDateFormat reports whether a custom number format code shows a date or
// time: a y, m, d or h outside quoted literals ("年"), brackets ([$-804],
// [Red]) and escapes (\d). Only the first section (positive numbers) counts.
func IsDateFormat(code string) bool {
	if strings.EqualFold(code, "General") {
		return false
	}
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			if i+1 < len(code) {
				_, n := utf8.DecodeRuneInString(code[i+1:])
				i += n
			}
		case ';':
			return false
		case 'y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H':
			return true
		}
	}
	return false
}

// sharedStrings holds the workbook's strings compactly: one string with
// every text back to back and the offsets between them, not a []string
// (a million strings would cost a million headers and allocations).
type sharedStrings struct {
	data string
	offs []uint32 // string i is data[offs[i]:offs[i+1]]
}

func (s *sharedStrings) len() int { return len(s.offs) - 1 }

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.offs)-1 {
		return "", false
	}
	return s.data[s.offs[i]:s.offs[i+1]], true
}

func loadSharedStrings(f *zip.File) (*sharedStrings, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
	}
	ahead := newInflateAhead(rc)
	defer ahead.Close()
	return parseSharedStrings(ahead, f.UncompressedSize64)
}

// parseSharedStrings reads a sharedStrings part; size is its claimed
// inflated size, a hint only.
func parseSharedStrings(r io.Reader, size uint64) (*sharedStrings, error) {
	var sc xmlScanner
	sc.init(r)
	// The text is at most about half the XML (<si><t>…</t></si> around each).
	hint := int(min(size/2, 256<<20))
	data := make([]byte, 0, max(hint, 4096))
	offs := make([]uint32, 1, 1024)
	var t scanTag
	inSI := false
	for {
		if !inSI {
			if sc.end-sc.pos < fastMin {
				sc.fill()
			}
			if text, n, ok := fastSI(sc.buf[sc.pos:sc.end]); ok {
				data = append(data, text...)
				offs = append(offs, uint32(len(data)))
				sc.pos += n
				if len(data) > maxSST {
					return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.sst_too_large")
				}
				continue
			}
		}
		err := sc.nextTag(&t)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
		}
		switch {
		case t.is("sst") && !t.end:
			if n, ok := t.attrInt("uniqueCount"); ok && n > 0 && n < 1<<24 {
				offs = make([]uint32, 1, n+1)
			}
		case t.is("si"):
			switch {
			case t.end:
				inSI = false
				offs = append(offs, uint32(len(data)))
			case t.selfClose:
				offs = append(offs, uint32(len(data)))
			default:
				inSI = true
			}
		case t.is("t") && inSI && !t.end && !t.selfClose:
			if data, err = sc.readText(data, true); err != nil {
				return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
			}
			if len(data) > maxSST {
				return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.sst_too_large")
			}
		case t.is("rPh") && !t.end && !t.selfClose:
			// Phonetic guide (拼音/furigana) that WPS and Excel keep for
			// Chinese: not part of the cell's text.
			if err := sc.skipElement("rPh"); err != nil {
				return nil, nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.broken")
			}
		}
	}
	var s string
	if cap(data)-len(data) > len(data)/4 {
		s = string(data) // give the unused part of the guess back
	} else if len(data) > 0 {
		// data is never written again: share its bytes instead of copying.
		s = unsafe.String(unsafe.SliceData(data), len(data))
	}
	return &sharedStrings{data: s, offs: offs}, nil
}

// fastSI reads the plain form of a shared string, <si><t>text</t></si>,
// straight from the window. Rich text, phonetic runs, entities, escapes
// and an item cut by the window's end return false: the general path
// takes them.
func fastSI(b []byte) (text []byte, n int, ok bool) {
	i := 0
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	if len(b)-i < 7 || string(b[i:i+7]) != "<si><t>" {
		return nil, 0, false
	}
	i += 7
	j := bytes.IndexByte(b[i:], '<')
	if j < 0 {
		return nil, 0, false
	}
	text = b[i : i+j]
	if bytes.IndexByte(text, '&') >= 0 || bytes.IndexByte(text, '_') >= 0 {
		return nil, 0, false
	}
	i += j
	if len(b)-i < 9 || string(b[i:i+9]) != "</t></si>" {
		return nil, 0, false
	}
	return text, i + 9, true
}

// ---------------------------------------------------------------------------
// The byte scanner.

var errBadXML = errors.New("roster: malformed xml")

// xmlScanner walks XML tokens in a window over a stream. Offsets are
// relative to pos, so a refill (which moves the unread bytes to the front
// of the window) leaves them valid. Slices it hands out (tag names,
// attribute values) are valid until the next call.
type xmlScanner struct {
	r   io.Reader
	buf []byte
	pos int
	end int
	eof bool
	err error
}

func (s *xmlScanner) init(r io.Reader) {
	s.r = r
	s.buf = make([]byte, scanWindow)
}

// fill reads more input, compacting and, for a token larger than the
// window, growing it. False at the end of input or on an error.
func (s *xmlScanner) fill() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxWindow {
			s.err = errTooLarge
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

var errTooLarge = errors.New("roster: token too large")

// byteAt returns the byte at pos+off, reading more input as needed.
func (s *xmlScanner) byteAt(off int) (byte, bool) {
	if p := s.pos + off; p < s.end {
		return s.buf[p], true
	}
	return s.slowByteAt(off)
}

func (s *xmlScanner) slowByteAt(off int) (byte, bool) {
	for s.pos+off >= s.end {
		if !s.fill() {
			return 0, false
		}
	}
	return s.buf[s.pos+off], true
}

// find returns the offset of the first c at or after off, or -1.
func (s *xmlScanner) find(off int, c byte) int {
	for {
		if p := s.pos + off; p < s.end {
			if i := bytes.IndexByte(s.buf[p:s.end], c); i >= 0 {
				return off + i
			}
			off = s.end - s.pos
		}
		if !s.fill() {
			return -1
		}
	}
}

// findSeq returns the offset of the first seq at or after off, or -1.
func (s *xmlScanner) findSeq(off int, seq string) int {
	for {
		i := s.find(off, seq[0])
		if i < 0 {
			return -1
		}
		if s.hasPrefixAt(i, seq) {
			return i
		}
		off = i + 1
	}
}

func (s *xmlScanner) hasPrefixAt(off int, p string) bool {
	for s.pos+off+len(p) > s.end {
		if !s.fill() {
			return false
		}
	}
	return string(s.buf[s.pos+off:s.pos+off+len(p)]) == p
}

// failure turns the end of input into the error that explains it.
func (s *xmlScanner) failure() error {
	if s.err != nil {
		return s.err
	}
	return io.ErrUnexpectedEOF
}

const maxAttrs = 8

type scanTag struct {
	name      []byte // local name (prefix stripped: x:c is c)
	end       bool   // </name>
	selfClose bool   // <name/>
	nattr     int
	attrs     [maxAttrs]scanAttr
}

type scanAttr struct{ name, value []byte }

func (t *scanTag) is(name string) bool { return string(t.name) == name }

func (t *scanTag) attr(name string) ([]byte, bool) {
	for i := 0; i < t.nattr; i++ {
		if string(t.attrs[i].name) == name {
			return t.attrs[i].value, true
		}
	}
	return nil, false
}

func (t *scanTag) attrInt(name string) (int, bool) {
	v, ok := t.attr(name)
	if !ok {
		return 0, false
	}
	return atoiBytes(v)
}

// atoiBytes parses a small non-negative decimal (up to 9 digits).
func atoiBytes(b []byte) (int, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// nextTag skips character data, comments, processing instructions and
// declarations to the next element tag and parses it. io.EOF at the end.
func (s *xmlScanner) nextTag(t *scanTag) error {
	for {
		i := s.find(0, '<')
		if i < 0 {
			if s.err != nil {
				return s.err
			}
			return io.EOF
		}
		s.pos += i
		c, ok := s.byteAt(1)
		if !ok {
			return s.failure()
		}
		switch c {
		case '?':
			j := s.findSeq(2, "?>")
			if j < 0 {
				return s.failure()
			}
			s.pos += j + 2
			continue
		case '!':
			var j int
			switch {
			case s.hasPrefixAt(0, "<!--"):
				if j = s.findSeq(4, "-->"); j >= 0 {
					j += 3
				}
			case s.hasPrefixAt(0, "<![CDATA["):
				if j = s.findSeq(9, "]]>"); j >= 0 {
					j += 3
				}
			default:
				if j = s.find(2, '>'); j >= 0 {
					j++
				}
			}
			if j < 0 {
				return s.failure()
			}
			s.pos += j
			continue
		}
		return s.parseTag(t)
	}
}

// parseTag parses the tag at pos ('<' …) and moves past it.
func (s *xmlScanner) parseTag(t *scanTag) error {
	t.end, t.selfClose, t.nattr = false, false, 0
	off := 1
	if c, _ := s.byteAt(1); c == '/' {
		t.end = true
		off = 2
	}
	nameStart := off
	for {
		c, ok := s.byteAt(off)
		if !ok {
			return s.failure()
		}
		if isXMLSpace(c) || c == '>' || c == '/' {
			break
		}
		if c == ':' {
			nameStart = off + 1
		}
		off++
	}
	nameEnd := off
	if nameEnd == nameStart && !t.end {
		return errBadXML
	}
	var spans [maxAttrs][4]int
	if t.end {
		j := s.find(off, '>')
		if j < 0 {
			return s.failure()
		}
		off = j + 1
	} else {
	attrs:
		for {
			c, ok := s.byteAt(off)
			for ok && isXMLSpace(c) {
				off++
				c, ok = s.byteAt(off)
			}
			if !ok {
				return s.failure()
			}
			switch c {
			case '>':
				off++
				break attrs
			case '/':
				if c2, _ := s.byteAt(off + 1); c2 != '>' {
					return errBadXML
				}
				t.selfClose = true
				off += 2
				break attrs
			}
			an := off
			for {
				if c == ':' {
					an = off + 1
				}
				off++
				if c, ok = s.byteAt(off); !ok {
					return s.failure()
				}
				if c == '=' || isXMLSpace(c) || c == '>' || c == '/' {
					break
				}
			}
			ae := off
			for ok && isXMLSpace(c) {
				off++
				c, ok = s.byteAt(off)
			}
			if c != '=' {
				return errBadXML
			}
			off++
			c, ok = s.byteAt(off)
			for ok && isXMLSpace(c) {
				off++
				c, ok = s.byteAt(off)
			}
			if c != '"' && c != '\'' {
				return errBadXML
			}
			j := s.find(off+1, c)
			if j < 0 {
				return s.failure()
			}
			if t.nattr < maxAttrs {
				spans[t.nattr] = [4]int{an, ae, off + 1, j}
				t.nattr++
			}
			off = j + 1
		}
	}
	// Every byte of the tag is in the window now: hand out slices.
	b := s.buf[s.pos:]
	t.name = b[nameStart:nameEnd]
	for i := 0; i < t.nattr; i++ {
		sp := spans[i]
		t.attrs[i] = scanAttr{name: b[sp[0]:sp[1]], value: b[sp[2]:sp[3]]}
	}
	s.pos += off
	return nil
}

// skipElement skips to the end tag of the element just opened.
func (s *xmlScanner) skipElement(name string) error {
	var t scanTag
	depth := 1
	for {
		if err := s.nextTag(&t); err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if !t.is(name) || t.selfClose {
			continue
		}
		if t.end {
			if depth--; depth == 0 {
				return nil
			}
		} else {
			depth++
		}
	}
}

// readText appends the character data at pos (up to the next tag) to dst,
// decoding entities and CDATA; xstr also decodes the _xHHHH_ escapes of
// OOXML strings (_x000D_ for a carriage return).
func (s *xmlScanner) readText(dst []byte, xstr bool) ([]byte, error) {
	start := len(dst)
	for {
		i := s.find(0, '<')
		if i < 0 {
			return dst, s.failure()
		}
		dst = appendUnescaped(dst, s.buf[s.pos:s.pos+i])
		s.pos += i
		switch {
		case s.hasPrefixAt(0, "<![CDATA["):
			j := s.findSeq(9, "]]>")
			if j < 0 {
				return dst, s.failure()
			}
			dst = append(dst, s.buf[s.pos+9:s.pos+j]...)
			s.pos += j + 3
			continue
		case s.hasPrefixAt(0, "<!--"):
			j := s.findSeq(4, "-->")
			if j < 0 {
				return dst, s.failure()
			}
			s.pos += j + 3
			continue
		}
		break
	}
	if xstr && bytes.Contains(dst[start:], []byte("_x")) {
		dst = append(dst[:start], decodeXEscapes(dst[start:])...)
	}
	return dst, nil
}

// appendUnescaped appends text with the XML entities decoded; an unknown
// entity is kept as written.
func appendUnescaped(dst, text []byte) []byte {
	for {
		i := bytes.IndexByte(text, '&')
		if i < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:i]...)
		text = text[i:]
		j := bytes.IndexByte(text, ';')
		if j < 0 || j > 12 {
			dst = append(dst, '&')
			text = text[1:]
			continue
		}
		ent := text[1:j]
		switch string(ent) {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				dst = append(dst, text[:j+1]...)
				text = text[j+1:]
				continue
			}
			dst = utf8.AppendRune(dst, r)
		}
		text = text[j+1:]
	}
}

// charRef decodes #NNN and #xHH.
func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var v uint64
	var err error
	if ent[1] == 'x' || ent[1] == 'X' {
		v, err = strconv.ParseUint(string(ent[2:]), 16, 32)
	} else {
		v, err = strconv.ParseUint(string(ent[1:]), 10, 32)
	}
	if err != nil || v > utf8.MaxRune {
		return 0, false
	}
	return rune(v), true
}

// decodeXEscapes decodes _xHHHH_ (a UTF-16 unit in hex); _x005F_ is how a
// literal underscore before xHHHH_ is written.
func decodeXEscapes(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if r, ok := xEscape(b[i:]); ok {
			i += 7
			if r >= 0xD800 && r < 0xDC00 { // a surrogate pair is two escapes
				if r2, ok := xEscape(b[i:]); ok && r2 >= 0xDC00 && r2 < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
					i += 7
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}

func xEscape(b []byte) (rune, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// ---------------------------------------------------------------------------
// Worksheet rows.

// Cell types of the t attribute.
const (
	typNumber byte = iota
	typShared
	typInline
	typStr
	typBool
	typError
	typDate
)

func cellType(v []byte) byte {
	switch string(v) {
	case "s":
		return typShared
	case "inlineStr":
		return typInline
	case "str":
		return typStr
	case "b":
		return typBool
	case "e":
		return typError
	case "d":
		return typDate
	}
	return typNumber
}

type span struct{ start, end int32 }

// sheetReader streams the rows of one worksheet.
type sheetReader struct {
	sc     xmlScanner
	rc     io.ReadCloser
	sst    *sharedStrings
	dates  []bool
	name   string
	book   *xlsxBook
	mu     sync.Mutex // close may come from Book.Close
	state  int        // 0 before <sheetData>, 1 inside, 2 done
	rowNum int
	t      scanTag
	cells  []Cell
	spans  []span // where each cell's text is in arena, start -1 if not there
	arena  []byte // the row's decoded non-shared texts
}

func (r *sheetReader) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = 2
	if r.rc == nil {
		return nil
	}
	err := r.rc.Close()
	r.rc = nil
	if r.book != nil {
		r.book.mu.Lock()
		delete(r.book.open, r)
		r.book.mu.Unlock()
	}
	return err
}

// broken reports a damaged sheet, saying where.
func (r *sheetReader) broken(err error) error {
	r.state = 2
	if err == errTooLarge {
		return nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.too_large", r.name, r.rowNum)
	}
	return nuanxin.Errorf(nuanxin.EINVALID, "roster.xlsx.sheet_broken", r.name, r.rowNum)
}

func (r *sheetReader) next(row *Row) (bool, error) {
	t := &r.t
	for r.state == 0 {
		if err := r.sc.nextTag(t); err != nil {
			if err == io.EOF {
				r.state = 2
				return false, nil
			}
			return false, r.broken(err)
		}
		if t.is("sheetData") && !t.end {
			r.state = 1
			if t.selfClose {
				r.state = 2
			}
		}
	}
	for r.state == 1 {
		if err := r.sc.nextTag(t); err != nil {
			if err == io.EOF { // a sheet cut short after a whole row: keep what is there
				r.state = 2
				return false, nil
			}
			return false, r.broken(err)
		}
		if t.is("sheetData") && t.end {
			r.state = 2
			return false, nil
		}
		if !t.is("row") || t.end {
			continue
		}
		num := r.rowNum + 1
		if n, ok := t.attrInt("r"); ok && n > 0 {
			num = n
		}
		r.rowNum = num
		if t.selfClose {
			continue
		}
		ok, err := r.readRow()
		if err != nil {
			return false, r.broken(err)
		}
		if ok {
			row.Num, row.Cells = num, r.cells
			return true, nil
		}
	}
	return false, nil
}

// readRow reads the cells up to </row>; false when none holds a value.
func (r *sheetReader) readRow() (bool, error) {
	r.cells, r.spans, r.arena = r.cells[:0], r.spans[:0], r.arena[:0]
	t := &r.t
	col := -1
	for {
		if r.sc.end-r.sc.pos < fastMin {
			r.sc.fill()
		}
		if n, ok := r.fastCell(r.sc.buf[r.sc.pos:r.sc.end], &col); ok {
			r.sc.pos += n
			continue
		}
		if err := r.sc.nextTag(t); err != nil {
			if err == io.EOF {
				return false, io.ErrUnexpectedEOF
			}
			return false, err
		}
		if t.end {
			if t.is("row") {
				break
			}
			continue
		}
		if !t.is("c") {
			if !t.selfClose && t.is("extLst") {
				if err := r.sc.skipElement("extLst"); err != nil {
					return false, err
				}
			}
			continue
		}
		c, typ, style := col+1, typNumber, -1
		for i := 0; i < t.nattr; i++ {
			a := &t.attrs[i]
			switch string(a.name) {
			case "r":
				if n, ok := refColumn(a.value); ok {
					c = n
				}
			case "t":
				typ = cellType(a.value)
			case "s":
				if n, ok := atoiBytes(a.value); ok {
					style = n
				}
			}
		}
		col = c
		if t.selfClose || c >= maxColumns {
			if !t.selfClose {
				if err := r.sc.skipElement("c"); err != nil {
					return false, err
				}
			}
			continue
		}
		cell, sp, err := r.readCell(typ, style)
		if err != nil {
			return false, err
		}
		for len(r.cells) <= c {
			r.cells = append(r.cells, Cell{})
			r.spans = append(r.spans, span{-1, -1})
		}
		r.cells[c], r.spans[c] = cell, sp
	}
	// One string for the row's own texts; cells are slices of it.
	if len(r.arena) > 0 {
		s := string(r.arena)
		for i, sp := range r.spans {
			if sp.start >= 0 {
				r.cells[i].Value = s[sp.start:sp.end]
			}
		}
	}
	last := -1
	for i := range r.cells {
		if r.cells[i].Value == "" {
			r.cells[i].Kind = CellEmpty
		} else {
			last = i
		}
	}
	r.cells = r.cells[:last+1]
	return last >= 0, nil
}

// fastMin is how much input the fast path wants in the window: more than
// any cell it handles.
const fastMin = 4096

// fastCell reads the cells Excel, WPS and LibreOffice write for plain
// values straight from the window, without the general tokenizer:
//
//	<c r="B2" s="3" t="s"><v>12</v></c>   <c r="C2" s="1"/>
//
// Anything else (formulas, inline strings, entities, other attributes,
// a cell cut by the window's end) returns false having changed nothing,
// and the general path takes it.
func (r *sheetReader) fastCell(b []byte, col *int) (int, bool) {
	i := 0
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	if len(b)-i < 8 || b[i] != '<' || b[i+1] != 'c' || b[i+2] != ' ' {
		return 0, false
	}
	i += 3
	c, typ, style := *col+1, typNumber, -1
	for {
		for i < len(b) && b[i] == ' ' {
			i++
		}
		if i+4 > len(b) {
			return 0, false
		}
		if b[i] == '>' {
			i++
			break
		}
		if b[i] == '/' {
			if b[i+1] != '>' {
				return 0, false
			}
			*col = c // an empty (styled) cell
			return i + 2, true
		}
		name := b[i]
		if b[i+1] != '=' || b[i+2] != '"' {
			return 0, false
		}
		i += 3
		j := i
		for j < len(b) && b[j] != '"' {
			j++
		}
		if j == len(b) {
			return 0, false
		}
		v := b[i:j]
		switch name {
		case 'r':
			n, ok := refColumn(v)
			if !ok {
				return 0, false
			}
			c = n
		case 's':
			n, ok := atoiBytes(v)
			if !ok {
				return 0, false
			}
			style = n
		case 't':
			typ = cellType(v)
			if typ == typInline || typ == typStr { // may need unescaping: the general path
				return 0, false
			}
		default:
			return 0, false
		}
		i = j + 1
	}
	if c >= maxColumns || len(b)-i < 3 || string(b[i:i+3]) != "<v>" {
		return 0, false
	}
	i += 3
	vs := i
	for i < len(b) && b[i] != '<' {
		if b[i] == '&' {
			return 0, false
		}
		i++
	}
	ve := i
	if len(b)-i < 8 || string(b[i:i+8]) != "</v></c>" {
		return 0, false
	}
	i += 8

	var cell Cell
	sp := span{-1, -1}
	switch typ {
	case typShared:
		n, ok := atoiBytes(b[vs:ve])
		if !ok {
			return 0, false // the general path reports it
		}
		v, found := r.sst.get(n)
		if !found {
			return 0, false
		}
		cell = Cell{Value: v, Kind: CellText}
	default:
		sp = span{int32(len(r.arena)), int32(len(r.arena) + ve - vs)}
		r.arena = append(r.arena, b[vs:ve]...)
		switch typ {
		case typBool:
			cell.Kind = CellBool
		case typError:
			cell.Kind = CellError
		case typDate:
			cell.Kind = CellText
		default:
			cell.Kind = CellNumber
			if style >= 0 && style < len(r.dates) && r.dates[style] {
				cell.Kind = CellDate
			}
		}
	}
	for len(r.cells) <= c {
		r.cells = append(r.cells, Cell{})
		r.spans = append(r.spans, span{-1, -1})
	}
	r.cells[c], r.spans[c] = cell, sp
	*col = c
	return i, true
}

// readCell reads a cell's content up to </c>. The value is either set
// (shared string) or left in the arena at the returned span.
func (r *sheetReader) readCell(typ byte, style int) (Cell, span, error) {
	t := &r.t
	sp := span{-1, -1}
	var cell Cell
	inIs := false
	for {
		if err := r.sc.nextTag(t); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return cell, sp, err
		}
		if t.end {
			if t.is("c") {
				break
			}
			if t.is("is") {
				inIs = false
			}
			continue
		}
		if t.selfClose {
			continue
		}
		var err error
		switch string(t.name) {
		case "v":
			start := len(r.arena)
			r.arena, err = r.sc.readText(r.arena, typ == typStr)
			if err != nil {
				return cell, sp, err
			}
			if typ == typShared {
				text := r.arena[start:]
				i, ok := atoiBytes(text)
				blank := len(bytes.TrimSpace(text)) == 0
				r.arena = r.arena[:start]
				if v, found := r.sst.get(i); ok && found {
					cell.Value = v
				} else if !blank {
					return cell, sp, errBadSharedIndex
				}
				continue
			}
			sp = span{int32(start), int32(len(r.arena))}
		case "t":
			if !inIs {
				continue
			}
			start := len(r.arena)
			if sp.start < 0 {
				sp.start = int32(start)
			}
			r.arena, err = r.sc.readText(r.arena, true)
			sp.end = int32(len(r.arena))
		case "is":
			inIs = true
		case "f", "rPh", "extLst":
			err = r.sc.skipElement(string(t.name))
		}
		if err != nil {
			return cell, sp, err
		}
	}
	switch typ {
	case typShared, typInline, typStr, typDate:
		cell.Kind = CellText
	case typBool:
		cell.Kind = CellBool
	case typError:
		cell.Kind = CellError
	default:
		cell.Kind = CellNumber
		if style >= 0 && style < len(r.dates) && r.dates[style] {
			cell.Kind = CellDate
		}
	}
	return cell, sp, nil
}

var errBadSharedIndex = errors.New("roster: shared string index out of range")

// refColumn parses the column of a cell reference: "B2" → 1.
func refColumn(ref []byte) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		if i == 3 {
			return 0, false
		}
		n = n*26 + int(c-'A'+1)
	}
	if i == 0 || n > maxColumns {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return n - 1, true
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.xlsx.broken":        "文件已损坏，无法读取（不是完整的 .xlsx 文件）。请在 Excel 或 WPS 中打开它，确认内容正常后“另存为” .xlsx 再导入",
		"roster.xlsx.no_sheets":     "这个 Excel 文件中没有工作表，请确认选择了正确的花名册文件",
		"roster.xlsx.sheet_missing": "工作表“%s”的内容在文件中缺失，文件可能已损坏。请在 Excel 或 WPS 中打开后重新保存再导入",
		"roster.xlsx.sheet_broken":  "工作表“%s”在第%d行附近已损坏，无法继续读取。请在 Excel 或 WPS 中打开，确认内容正常后重新保存再导入",
		"roster.xlsx.too_large":     "工作表“%s”第%d行附近有一个单元格内容过大，无法读取，请检查该行",
		"roster.xlsx.sst_too_large": "文件中的文字内容过多，超出了可以读取的范围。请把花名册拆分成几个文件分别导入",
		"roster.open.ods":           "这是 .ods 格式的表格，暂不能直接读取。请在 WPS 或 LibreOffice 中“另存为” .xlsx 格式后再导入",
		"roster.open.not_xlsx":      "这个文件是压缩包或 Word、PowerPoint 文档，不是 Excel 表格。请上传 Excel 花名册（.xlsx）或 CSV 文件",
	})
}
