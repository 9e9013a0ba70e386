package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

func TestGeneratedRosterReadsInExcelize(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRosterXLSX(&buf, 5); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("花名册")
	if err != nil {
		t.Fatal(err)
	}
	_, id, birth, _ := Person(4)
	if len(rows) != 7 || rows[1][2] != "身份证号码" || rows[6][2] != id || rows[6][4] != birth.String() {
		t.Fatalf("rows = %q", rows)
	}
	if _, err := nuanxin.ParseIDNumber(id); err != nil {
		t.Fatal(err)
	}
}

// peakRSS resets the kernel's high-water mark of this process and returns
// a function that reads it (VmHWM), so the figure is of what runs between.
func peakRSS() func() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return func() int64 {
		b, _ := os.ReadFile("/proc/self/status")
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
				return kb >> 10
			}
		}
		return 0
	}
}

func benchImport(b *testing.B, n int, open func(testing.TB) *store.DB, compare bool) {
	path, err := RosterFile(n)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := open(b)
		org := &nuanxin.Org{Name: "华夏能源发电公司工会", Kind: nuanxin.OrgBase, Code: "FD"}
		if err := db.CreateOrg(context.Background(), nuanxin.SystemScope(), org); err != nil {
			b.Fatal(err)
		}
		peak := peakRSS()
		b.StartTimer()
		start := time.Now()
		rep, err := roster.ImportMembers(context.Background(), db, nuanxin.SystemScope(), path, roster.ImportOptions{Sheet: -1},
			nuanxin.MemberImportOptions{OrgID: org.ID})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		if rep.Created != n {
			b.Fatalf("created %d of %d: %+v", rep.Created, n, rep.Errors[:min(5, len(rep.Errors))])
		}
		b.ReportMetric(float64(n)/took.Seconds(), "rows/s")
		b.ReportMetric(float64(peak()), "peakRSS-MB")
		fmt.Printf("import %d rows (%s): %.2f s, %.0f rows/s, peak RSS %d MB\n", n, db.Dialect(), took.Seconds(), float64(n)/took.Seconds(), peak())
		if compare {
			start := time.Now()
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("花名册")
			if err != nil {
				b.Fatal(err)
			}
			cells := 0
			for rows.Next() {
				c, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				cells += len(c)
			}
			rows.Close()
			f.Close()
			ex := time.Since(start)
			fmt.Printf("excelize Rows() loop alone over the same file: %.2f s (%d cells); whole import / excelize loop = %.2f\n",
				ex.Seconds(), cells, took.Seconds()/ex.Seconds())
		}
		b.StartTimer()
	}
}

// storetest.Open is a SQLite file on disk, as in production.
var sqliteAt = storetest.Open

func BenchmarkImportXLSX100k(b *testing.B) { benchImport(b, 100_000, sqliteAt, false) }
func BenchmarkImportXLSX1M(b *testing.B) {
	benchImport(b, 1_000_000, sqliteAt, os.Getenv("NUANXIN_BENCH_EXCELIZE") != "")
}
func BenchmarkImportXLSX1MPostgres(b *testing.B) {
	benchImport(b, 1_000_000, storetest.OpenPostgres, false)
}
func BenchmarkImportXLSX100kPostgres(b *testing.B) {
	benchImport(b, 100_000, storetest.OpenPostgres, false)
}
