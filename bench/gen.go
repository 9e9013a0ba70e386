// Package bench holds the end-to-end benchmarks of the issue targets and
// the generator of their input files. The figures are printed by
// `go test -bench . -run XXX -benchtime 1x ./bench`; nothing here runs in
// a plain `go test ./...` beyond a small check of the generator.
package bench

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/nuanxin/nuanxin"
)

var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "单", "欧阳"}
	given    = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强", "海燕", "晓东", "雪梅", "国庆", "春生", "子涵", "一鸣"}
	depts    = []string{"运行部", "检修部", "燃料部", "安监部", "财务部", "综合办公室", "人力资源部", "营销中心", "生产技术部", "物资部"}
	posts    = []string{"值长", "主值", "副值", "巡检", "检修工", "技术员", "会计", "文员", "班长", "专责"}
	ethnic   = []string{"汉族", "汉族", "汉族", "汉族", "汉族", "回族", "满族", "壮族", "土家族", "苗族"}
	politic  = []string{"中共党员", "群众", "群众", "共青团员", "群众"}
	cats     = []string{"在岗", "在岗", "在岗", "在岗", "退休", "劳务派遣", "农民工"}
	regions  = []string{"430102", "430103", "430104", "110105", "310101", "440106", "510107", "340102"}
)

// RosterHeader is the header of the generated roster (12 columns).
var RosterHeader = []string{"序号", "姓名", "身份证号码", "性别", "出生日期", "民族", "政治面貌", "手机号码", "部门", "岗位", "人员类别", "入会时间"}

// Person i of a generated roster: a fictitious, checksum-valid 身份证号
// unique for every i below 14,000 × 899.
func Person(i int) (name, id string, birth nuanxin.Date, male bool) {
	birth = nuanxin.NewDate(1960, 1, 1).AddDays(i % 14000)
	seq := 100 + i/14000
	s := regions[i%len(regions)] + fmt.Sprintf("%04d%02d%02d", birth.Year, birth.Month, birth.Day) + strconv.Itoa(seq)
	id = s + string(nuanxin.IDCheckDigit(s))
	male = seq%2 == 1
	name = surnames[i%len(surnames)] + given[(i/7)%len(given)]
	return
}

// WriteRosterXLSX writes an n-row roster the way Excel saves one: a title
// row, the header on row 2, text in the shared-string table, dates as
// styled serial numbers. It is written by hand (not by the code under
// test, not by excelize's StreamWriter, which writes inline strings).
func WriteRosterXLSX(w io.Writer, n int) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return flate.NewWriter(out, flate.BestSpeed) })
	put := func(name, body string) error {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, body)
		return err
	}
	files := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/styles.xml":              `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy\-mm\-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"} {
		if err := put(name, files[name]); err != nil {
			return err
		}
	}

	// Shared strings: every distinct text once, in first-use order.
	index := map[string]int{}
	var table []string
	sst := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(table)
		table = append(table, s)
		return len(table) - 1
	}
	// The sheet is written first into a temp file because the table is
	// complete only after the last row.
	tmp, err := os.CreateTemp("", "roster-sheet-*.xml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:L` + strconv.Itoa(n+2) + `"/><sheetData>`)
	bw.WriteString(`<row r="1"><c r="A1" t="s"><v>` + strconv.Itoa(sst("华夏能源发电公司工会会员花名册")) + `</v></c></row><row r="2">`)
	for j, h := range RosterHeader {
		fmt.Fprintf(bw, `<c r="%s2" t="s"><v>%d</v></c>`, nuanxin.ColumnLetter(j), sst(h))
	}
	bw.WriteString(`</row>`)
	serial := func(d nuanxin.Date) int { return int(d.Time().Sub(nuanxin.NewDate(1899, 12, 30).Time()).Hours() / 24) }
	for i := 0; i < n; i++ {
		r := strconv.Itoa(i + 3)
		name, id, birth, male := Person(i)
		sex := "女"
		if male {
			sex = "男"
		}
		joined := nuanxin.NewDate(birth.Year+18+i%9, time.Month(1+i%12), 1+i%28) // never after 2025
		bw.WriteString(`<row r="` + r + `">`)
		bw.WriteString(`<c r="A` + r + `"><v>` + strconv.Itoa(i+1) + `</v></c>`)
		bw.WriteString(`<c r="B` + r + `" t="s"><v>` + strconv.Itoa(sst(name)) + `</v></c>`)
		bw.WriteString(`<c r="C` + r + `" s="2" t="s"><v>` + strconv.Itoa(sst(id)) + `</v></c>`)
		bw.WriteString(`<c r="D` + r + `" t="s"><v>` + strconv.Itoa(sst(sex)) + `</v></c>`)
		bw.WriteString(`<c r="E` + r + `" s="1"><v>` + strconv.Itoa(serial(birth)) + `</v></c>`)
		bw.WriteString(`<c r="F` + r + `" t="s"><v>` + strconv.Itoa(sst(ethnic[i%len(ethnic)])) + `</v></c>`)
		bw.WriteString(`<c r="G` + r + `" t="s"><v>` + strconv.Itoa(sst(politic[i%len(politic)])) + `</v></c>`)
		bw.WriteString(`<c r="H` + r + `" s="2" t="s"><v>` + strconv.Itoa(sst(fmt.Sprintf("13%09d", i))) + `</v></c>`)
		bw.WriteString(`<c r="I` + r + `" t="s"><v>` + strconv.Itoa(sst(depts[i%len(depts)])) + `</v></c>`)
		bw.WriteString(`<c r="J` + r + `" t="s"><v>` + strconv.Itoa(sst(posts[(i/3)%len(posts)])) + `</v></c>`)
		bw.WriteString(`<c r="K` + r + `" t="s"><v>` + strconv.Itoa(sst(cats[i%len(cats)])) + `</v></c>`)
		bw.WriteString(`<c r="L` + r + `" s="1"><v>` + strconv.Itoa(serial(joined)) + `</v></c>`)
		bw.WriteString(`</row>`)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	f, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, tmp); err != nil {
		return err
	}
	f, err = zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	sw := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(sw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(table), len(table))
	for _, s := range table {
		sw.WriteString(`<si><t>` + s + `</t></si>`) // generated text has no XML specials
	}
	sw.WriteString(`</sst>`)
	if err := sw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// RosterFile returns the path of a cached generated roster of n rows,
// writing it on first use.
func RosterFile(n int) (string, error) {
	path := fmt.Sprintf("%s/nuanxin-roster-%d.xlsx", os.TempDir(), n)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	if err := WriteRosterXLSX(f, n); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// PersonName is the name of Person(i).
func PersonName(i int) string {
	name, _, _, _ := Person(i)
	return name
}
