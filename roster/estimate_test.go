package roster

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestEstimateRows(t *testing.T) {
	// LibreOffice writes the dimension: the estimate is exact.
	b, err := Open("testdata/roster-title.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := b.Rows(0)
	last := 0
	for rows.Next() {
		last = rows.Row().Num
	}
	rows.Close()
	if got := b.EstimateRows(0); got < last || got > last+5 {
		t.Errorf("xlsx estimate = %d, last row %d", got, last)
	}
	b.Close()

	// Excelize's stream writer writes no dimension: the estimate comes
	// from the data size.
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	for i := 1; i <= 5000; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"张三", "430102198503151234", i})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	b, err = OpenReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "x.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.EstimateRows(0); got < 4000 || got > 6000 {
		t.Errorf("xlsx estimate without dimension = %d, want about 5000", got)
	}
	b.Close()

	csv := "姓名,身份证号码\n" + strings.Repeat("张三,430102198503151234\n", 20000)
	path := t.TempDir() + "/r.csv"
	os.WriteFile(path, []byte(csv), 0o600)
	b, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.EstimateRows(0); got < 19000 || got > 21000 {
		t.Errorf("csv estimate = %d, want about 20001", got)
	}
	b.Close()
}
