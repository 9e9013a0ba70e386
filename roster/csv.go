package roster

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvBook is a CSV (or tab-separated text) file seen as a one-sheet book.
type csvBook struct {
	r     io.ReaderAt
	size  int64
	skip  int64             // byte-order mark
	enc   encoding.Encoding // nil: UTF-8
	comma rune
	sep   bool // first line is Excel's "sep=;" hint
}

func openCSV(r io.ReaderAt, size int64, opt Options) (*csvBook, error) {
	c := &csvBook{r: r, size: size}
	head := make([]byte, min(size, 64<<10))
	n, _ := r.ReadAt(head, 0)
	head = head[:n]

	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		c.skip = 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		// Excel's "Unicode text" (UTF-16LE, tab-separated).
		c.enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		c.enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(opt.Encoding), "-", "")) {
	case "":
		if c.skip == 0 && c.enc == nil && !isUTF8(r, size) {
			c.enc = simplifiedchinese.GB18030
		}
	case "utf8":
		c.enc = nil
	case "gb18030", "gbk", "gb2312", "cp936":
		c.enc, c.skip = simplifiedchinese.GB18030, 0
	default:
		return nil, nuanxin.Invalid("encoding", "roster.csv.encoding", opt.Encoding)
	}

	text := head[c.skip:]
	if c.enc != nil {
		// Invalid or cut bytes (the 64 KB cut may split a character) decode
		// as U+FFFD, which is fine for counting delimiters.
		text, _, _ = transform.Bytes(c.enc.NewDecoder(), text)
	}
	c.comma, c.sep = detectDelimiter(text)
	return c, nil
}

// isUTF8 decides the encoding of a file without a BOM: UTF-8 when the text
// around the first non-ASCII bytes is valid UTF-8, else GB18030 (what WPS
// and Chinese Excel write for "CSV"). GB18030 Chinese is essentially never
// valid UTF-8, so a window of 64 KB decides.
func isUTF8(r io.ReaderAt, size int64) bool {
	const chunk = 1 << 20
	buf := make([]byte, chunk)
	for off := int64(0); off < size; off += chunk {
		n, _ := r.ReadAt(buf, off)
		b := buf[:n]
		i := 0
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		if i == len(b) {
			continue
		}
		// Everything before i is ASCII, so b[i] starts a rune; a window
		// cut short (by the 64 KB limit or the chunk) may split the last one.
		w := b[i:min(len(b), i+64<<10)]
		if i+len(w) < len(b) || off+int64(n) < size {
			if ls := lastRuneStart(w); ls < len(w) && !utf8.FullRune(w[ls:]) {
				w = w[:ls]
			}
		}
		return utf8.Valid(w)
	}
	return true
}

func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return len(b)
}

// detectDelimiter picks comma, tab or semicolon: the one found most often
// outside quotes in the first lines (title rows have none, data rows have
// the same count). Excel's "sep=X" first line decides by itself.
func detectDelimiter(text []byte) (rune, bool) {
	if line, _, _ := bytes.Cut(text, []byte("\n")); bytes.HasPrefix(line, []byte("sep=")) {
		if r, _ := utf8.DecodeRune(line[4:]); r != utf8.RuneError && r != '\r' && r != '\n' {
			return r, true
		}
	}
	cands := []rune{',', '\t', ';'}
	counts := make([]int, len(cands))
	lines := 0
	inQuote := false
	for _, r := range string(text) {
		if lines >= 20 {
			break
		}
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '\n':
			lines++
		default:
			for i, c := range cands {
				if r == c {
					counts[i]++
				}
			}
		}
	}
	best := 0
	for i := range cands {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return cands[best], false
}

func (c *csvBook) rows() (rowSource, error) {
	var in io.Reader = io.NewSectionReader(c.r, c.skip, c.size-c.skip)
	if c.enc != nil {
		in = transform.NewReader(in, c.enc.NewDecoder())
	}
	cr := csv.NewReader(bufio.NewReaderSize(in, 256<<10))
	cr.Comma = c.comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{r: cr, sep: c.sep}, nil
}

type csvRows struct {
	r     *csv.Reader
	cells []Cell
	sep   bool
	done  bool
}

func (c *csvRows) next(row *Row) (bool, error) {
	for !c.done {
		rec, err := c.r.Read()
		if err == io.EOF {
			c.done = true
			return false, nil
		}
		if err != nil {
			c.done = true
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if errors.Is(err, transform.ErrShortSrc) || line == 0 {
				return false, nuanxin.Errorf(nuanxin.EINVALID, "roster.csv.unreadable")
			}
			return false, nuanxin.Errorf(nuanxin.EINVALID, "roster.csv.bad", line)
		}
		line, _ := c.r.FieldPos(0)
		if c.sep {
			c.sep = false
			if line == 1 && len(rec) > 0 && strings.HasPrefix(rec[0], "sep=") {
				continue
			}
		}
		c.cells = c.cells[:0]
		last := -1
		for i, f := range rec {
			k := CellText
			if f == "" {
				k = CellEmpty
			} else {
				last = i
			}
			c.cells = append(c.cells, Cell{Value: f, Kind: k})
		}
		if last < 0 {
			continue // ",,,,": a blank line as Excel saves it
		}
		row.Num, row.Cells = line, c.cells[:last+1]
		return true, nil
	}
	return false, nil
}

func (c *csvRows) close() error {
	c.done = true
	return nil
}

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.csv.encoding":   "不支持的文字编码“%s”：请选择“自动识别”、UTF-8 或 GB18030（GBK）",
		"roster.csv.bad":        "CSV 文件第%d行格式有误（可能是引号不成对），请在 Excel 或 WPS 中打开检查该行后重新保存，再导入",
		"roster.csv.unreadable": "CSV 文件无法读取，可能已损坏。请在 Excel 或 WPS 中打开，确认内容正常后另存为 .xlsx 再导入",
	})
}
