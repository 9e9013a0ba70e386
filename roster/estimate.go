package roster

import (
	"bytes"
	"io"
	"strconv"
)

// EstimateRows guesses how many rows a sheet has without reading it all,
// for progress (an ETA) and so that a large first import can build its
// indexes once. An xlsx sheet usually declares its range at the top
// (<dimension ref="A1:L1000002"/>); otherwise, and for CSV, the size of
// the data is divided by the length of the first rows. 0 means no idea.
func (b *Book) EstimateRows(sheet int) int {
	if sheet < 0 || sheet >= len(b.sheets) {
		return 0
	}
	if b.xlsx != nil {
		return b.xlsx.estimateRows(sheet)
	}
	return b.csv.estimateRows()
}

const estimateSample = 64 << 10

func (x *xlsxBook) estimateRows(sheet int) int {
	f := x.file(x.paths[sheet])
	if f == nil {
		return 0
	}
	rc, err := f.Open()
	if err != nil {
		return 0
	}
	defer rc.Close()
	head := make([]byte, estimateSample)
	n, _ := io.ReadFull(rc, head)
	head = head[:n]
	if i := bytes.Index(head, []byte("<dimension ref=\"")); i >= 0 {
		ref := head[i+len("<dimension ref=\""):]
		if j := bytes.IndexByte(ref, '"'); j > 0 {
			ref = ref[:j]
			if k := bytes.IndexByte(ref, ':'); k >= 0 {
				ref = ref[k+1:]
			}
			if rows := bytes.TrimLeft(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZ$"); len(rows) > 0 {
				if v, err := strconv.Atoi(string(rows)); err == nil && v > 1 {
					return v
				}
			}
		}
	}
	rows := bytes.Count(head, []byte("</row>"))
	if rows == 0 || n < estimateSample {
		return rows
	}
	return int(float64(f.UncompressedSize64) / float64(n) * float64(rows))
}

func (c *csvBook) estimateRows() int {
	head := make([]byte, min(c.size, estimateSample))
	n, _ := c.r.ReadAt(head, 0)
	lines := bytes.Count(head[:n], []byte("\n"))
	if int64(n) >= c.size || lines == 0 {
		return lines + 1
	}
	return int(float64(c.size) / float64(n) * float64(lines))
}
