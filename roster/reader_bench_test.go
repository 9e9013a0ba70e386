package roster

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/xuri/excelize/v2"
)

// The benchmark roster is built like Excel builds one: 12 columns (序号,
// 姓名, 身份证号码 as text, 性别, 出生日期 as a date-formatted number, 民族,
// 政治面貌, 手机号码 as text, 部门, 岗位, 人员类别, 入会时间), every text in
// the shared strings table in order of first use (so about 3 million
// unique strings for 1M rows: names, 身份证号 and phones), cells with r
// attributes and spans. It is written by our own code with archive/zip at
// the default deflate level, and cached under os.TempDir(), since building
// it takes a while; only benchmarks build it.

const benchVersion = "v1"

var benchFiles sync.Map // rows → path

func benchRoster(b *testing.B, rows int) string {
	b.Helper()
	if p, ok := benchFiles.Load(rows); ok {
		return p.(string)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("nuanxin-roster-bench-%s-%d.xlsx", benchVersion, rows))
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		tmp := path + ".tmp" + strconv.Itoa(os.Getpid())
		if err := writeBenchRoster(tmp, rows); err != nil {
			os.Remove(tmp)
			b.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %v", path, time.Since(start).Round(time.Millisecond))
	}
	benchFiles.Store(rows, path)
	return path
}

var (
	benchSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	benchGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红燕鹏辉建国志文斌宇浩凯俊峰琳晶雪颖慧婷欣怡子涵梓轩宏亮成海波林华春梅东升晓光")
	benchEthnic   = []string{"汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "土家族", "苗族", "回族", "壮族"}
	benchPolitics = []string{"群众", "群众", "群众", "中共党员", "中共党员", "共青团员", "中共预备党员"}
	benchDepts    = func() []string {
		var out []string
		for _, w := range []string{"生产", "设备", "质量", "安全", "财务", "人力资源", "行政", "销售", "采购", "物流"} {
			for i := 1; i <= 5; i++ {
				out = append(out, fmt.Sprintf("%s部第%d车间", w, i))
			}
		}
		return out
	}()
	benchPosts   = []string{"操作工", "技术员", "班组长", "工程师", "会计", "出纳", "司机", "仓管员", "质检员", "电工", "焊工", "钳工", "销售代表", "主管", "经理"}
	benchCats    = []string{"在岗", "在岗", "在岗", "在岗", "退休", "劳务派遣", "农民工", "歇岗"}
	benchRegions = []string{"430102", "430103", "430104", "430111", "430121", "110101", "310104", "320106", "440305", "510104", "420102", "360102"}
)

type benchSST struct {
	data []byte
	offs []int
	idx  map[string]int
}

func (s *benchSST) add(v string) int {
	if s.idx != nil {
		if i, ok := s.idx[v]; ok {
			return i
		}
		s.idx[v] = len(s.offs)
	}
	s.offs = append(s.offs, len(s.data))
	s.data = append(s.data, v...)
	return len(s.offs) - 1
}

func writeBenchRoster(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	part := func(name, body string) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, body)
		}
		return err
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	if err := part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`); err != nil {
		return err
	}
	if err := part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`); err != nil {
		return err
	}
	if err := part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<workbook `+ns+` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`); err != nil {
		return err
	}
	if err := part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`); err != nil {
		return err
	}
	if err := part("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<styleSheet `+ns+`><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`); err != nil {
		return err
	}

	// One table, deduplicated like Excel's; names, 身份证号 and phones are
	// unique by construction and skip the map.
	sst := &benchSST{idx: map[string]int{}}
	nameIdx := make([]int32, 1_280_000)
	for i := range nameIdx {
		nameIdx[i] = -1
	}

	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	bw.WriteString(`<worksheet ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:L` + strconv.Itoa(rows+1) + `"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="13.5"/><cols><col min="3" max="3" width="20" customWidth="1"/></cols><sheetData>`)

	var buf []byte
	cell := func(col byte, row int) {
		buf = append(buf, `<c r="`...)
		buf = append(buf, col)
		buf = strconv.AppendInt(buf, int64(row), 10)
		buf = append(buf, '"')
	}
	shared := func(col byte, row, idx int) {
		cell(col, row)
		buf = append(buf, ` t="s"><v>`...)
		buf = strconv.AppendInt(buf, int64(idx), 10)
		buf = append(buf, `</v></c>`...)
	}
	num := func(col byte, row, style int, v int) {
		cell(col, row)
		if style > 0 {
			buf = append(buf, ` s="`...)
			buf = strconv.AppendInt(buf, int64(style), 10)
			buf = append(buf, '"')
		}
		buf = append(buf, `><v>`...)
		buf = strconv.AppendInt(buf, int64(v), 10)
		buf = append(buf, `</v></c>`...)
	}
	startRow := func(row int) {
		buf = append(buf, `<row r="`...)
		buf = strconv.AppendInt(buf, int64(row), 10)
		buf = append(buf, `" spans="1:12">`...)
	}

	startRow(1)
	for i, h := range []string{"序号", "姓名", "身份证号码", "性别", "出生日期", "民族", "政治面貌", "手机号码", "部门", "岗位", "人员类别", "入会时间"} {
		shared(byte('A'+i), 1, sst.add(h))
	}
	buf = append(buf, `</row>`...)

	base := time.Date(1962, 1, 1, 0, 0, 0, 0, time.UTC)
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	name := make([]rune, 0, 3)
	for i := 0; i < rows; i++ {
		r := i + 2
		h := uint64(i)*2654435761 + 12345
		startRow(r)
		num('A', r, 0, i+1)

		nk := int(h % uint64(len(nameIdx)))
		if nameIdx[nk] < 0 {
			name = append(name[:0], benchSurnames[nk%len(benchSurnames)], benchGiven[(nk/len(benchSurnames))%len(benchGiven)])
			if (nk/(len(benchSurnames)*len(benchGiven)))%2 == 1 {
				name = append(name, benchGiven[(nk/(len(benchSurnames)*len(benchGiven)*2))%len(benchGiven)])
			}
			s := string(name)
			sst.offs = append(sst.offs, len(sst.data)) // unique by construction: no map entry
			sst.data = append(sst.data, s...)
			nameIdx[nk] = int32(len(sst.offs) - 1)
		}
		shared('B', r, int(nameIdx[nk]))

		seq := i % 1000
		birth := base.AddDate(0, 0, (i/1000)*14+int(h>>40)%14)
		id17 := benchRegions[h%uint64(len(benchRegions))] + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
		id := id17 + string(nuanxin.IDCheckDigit(id17))
		shared('C', r, sst.addUnique(id))
		sex := "女"
		if seq%2 == 1 {
			sex = "男"
		}
		shared('D', r, sst.add(sex))
		num('E', r, 1, int(birth.Sub(epoch).Hours()/24))
		shared('F', r, sst.add(benchEthnic[h>>8%uint64(len(benchEthnic))]))
		shared('G', r, sst.add(benchPolitics[h>>12%uint64(len(benchPolitics))]))
		phone := fmt.Sprintf("1%c%09d", "35789"[i%5], (uint64(i)*7919)%1_000_000_000)
		shared('H', r, sst.addUnique(phone))
		shared('I', r, sst.add(benchDepts[h>>16%uint64(len(benchDepts))]))
		shared('J', r, sst.add(benchPosts[h>>20%uint64(len(benchPosts))]))
		shared('K', r, sst.add(benchCats[h>>24%uint64(len(benchCats))]))
		join := birth.AddDate(20+int(h>>28%10), int(h>>32%12), 0)
		num('L', r, 2, int(join.Sub(epoch).Hours()/24))
		buf = append(buf, `</row>`...)
		if len(buf) > 1<<20 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	bw.Write(buf)
	bw.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}

	w, err = zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw = bufio.NewWriterSize(w, 1<<20)
	n := len(sst.offs)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst %s count="%d" uniqueCount="%d">`, ns, rows*11+12, n)
	for i := 0; i < n; i++ {
		end := len(sst.data)
		if i+1 < n {
			end = sst.offs[i+1]
		}
		bw.WriteString("<si><t>")
		bw.Write(sst.data[sst.offs[i]:end]) // no character here needs escaping
		bw.WriteString("</t></si>")
	}
	bw.WriteString("</sst>")
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// addUnique appends a string known to be new.
func (s *benchSST) addUnique(v string) int {
	s.offs = append(s.offs, len(s.data))
	s.data = append(s.data, v...)
	return len(s.offs) - 1
}

// xmlSize is the inflated size of the sheet and shared strings.
func xmlSize(b *testing.B, path string) int64 {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	var n int64
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" || f.Name == "xl/sharedStrings.xml" {
			n += int64(f.UncompressedSize64)
		}
	}
	return n
}

var (
	benchMu      sync.Mutex
	benchResults = map[string]time.Duration{} // "ours/1000000" → time per read
)

func recordBench(b *testing.B, key string, start time.Time) {
	per := time.Since(start) / time.Duration(b.N)
	benchMu.Lock()
	benchResults[key] = per
	benchMu.Unlock()
}

// printRatio reports how much faster our reader is than excelize's, once
// both benchmarks of a size have run.
func printRatio(b *testing.B, rows int) {
	benchMu.Lock()
	defer benchMu.Unlock()
	ours, ok1 := benchResults["ours/"+strconv.Itoa(rows)]
	theirs, ok2 := benchResults["excelize/"+strconv.Itoa(rows)]
	if ok1 && ok2 {
		fmt.Printf("roster: %d rows × 12: our reader %v, excelize Rows %v: %.1f× faster\n",
			rows, ours.Round(time.Millisecond), theirs.Round(time.Millisecond), float64(theirs)/float64(ours))
	}
}

func benchRead(b *testing.B, rows int) {
	path := benchRoster(b, rows)
	b.SetBytes(xmlSize(b, path))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		book, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		rs, err := book.Rows(0)
		if err != nil {
			b.Fatal(err)
		}
		n, cells := 0, 0
		for rs.Next() {
			n++
			cells += len(rs.Row().Cells)
		}
		if err := rs.Err(); err != nil {
			b.Fatal(err)
		}
		book.Close()
		if n != rows+1 || cells != 12*(rows+1) {
			b.Fatalf("read %d rows, %d cells", n, cells)
		}
	}
	b.StopTimer()
	recordBench(b, "ours/"+strconv.Itoa(rows), start)
	b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
	printRatio(b, rows)
}

func benchExcelize(b *testing.B, rows int) {
	path := benchRoster(b, rows)
	b.SetBytes(xmlSize(b, path))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rs, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rs.Next() {
			if _, err := rs.Columns(); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rs.Close()
		f.Close()
		if n != rows+1 {
			b.Fatalf("excelize read %d rows", n)
		}
	}
	b.StopTimer()
	recordBench(b, "excelize/"+strconv.Itoa(rows), start)
	b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
	printRatio(b, rows)
}

// benchInflate is the floor: inflating the two big parts and nothing else.
func benchInflate(b *testing.B, rows int) {
	path := benchRoster(b, rows)
	b.SetBytes(xmlSize(b, path))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "xl/worksheets/sheet1.xml" || f.Name == "xl/sharedStrings.xml" {
				rc, _ := f.Open()
				io.CopyBuffer(io.Discard, rc, make([]byte, 256<<10))
				rc.Close()
			}
		}
		zr.Close()
	}
}

// benchMembers is the whole reading side of an import: header detection
// and every row turned into a checked nuanxin.MemberRow.
func benchMembers(b *testing.B, rows int) {
	path := benchRoster(b, rows)
	b.SetBytes(xmlSize(b, path))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		book, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		mr, err := OpenMembers(book, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		n, bad := 0, 0
		for {
			r, err := mr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
			if r.Rejected() {
				bad++
			}
		}
		book.Close()
		if n != rows || bad != 0 {
			b.Fatalf("%d rows, %d rejected", n, bad)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

func BenchmarkInflate100k(b *testing.B)      { benchInflate(b, 100_000) }
func BenchmarkReadXLSX100k(b *testing.B)     { benchRead(b, 100_000) }
func BenchmarkExcelizeRows100k(b *testing.B) { benchExcelize(b, 100_000) }
func BenchmarkReadMembers100k(b *testing.B)  { benchMembers(b, 100_000) }
func BenchmarkInflate1M(b *testing.B)        { benchInflate(b, 1_000_000) }
func BenchmarkReadXLSX1M(b *testing.B)       { benchRead(b, 1_000_000) }
func BenchmarkExcelizeRows1M(b *testing.B)   { benchExcelize(b, 1_000_000) }
func BenchmarkReadMembers1M(b *testing.B)    { benchMembers(b, 1_000_000) }
