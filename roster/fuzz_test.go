package roster

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// Fuzz targets: run with go test -fuzz FuzzX ./roster. Without -fuzz they
// run their seeds as ordinary tests.

func checkCellErr(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := err.(*nuanxin.Error)
	if !ok || e.Code != nuanxin.EINVALID || !nuanxin.HasMessage(e.Key) {
		t.Fatalf("error %#v is not a catalogued EINVALID *nuanxin.Error", err)
	}
	if field != "" && e.Field != field {
		t.Fatalf("error field %q, want %q", e.Field, field)
	}
}

// testSerial is the 1900-system serial of a date after 1900-02-28.
func testSerial(d nuanxin.Date) int {
	return int(d.Time().Sub(nuanxin.Date{Year: 1899, Month: 12, Day: 30}.Time()).Hours() / 24)
}

func FuzzParseDateCell(f *testing.F) {
	for _, s := range []string{"45356", "45356.5", "60", "0", "2958465", "1e308", "NaN", "-1", "2024-03-05", "2024/3/5",
		"2024.3.5", "2024年3月5日", "2024年3月5号", "20240305", "2024-3-5 0:00:00", "2024-03", "2024年3月", "２０２４－０３－０５",
		"2024-02-30", "1899-12-31", "05/03/2024", "2024年", "年月日", "2024-03-05T08:00:00Z", "\u3000 2024 - 3 - 5 "} {
		for _, k := range []CellKind{CellText, CellNumber, CellDate} {
			f.Add(s, uint8(k), false)
		}
	}
	f.Add("0", uint8(CellDate), true)
	f.Fuzz(func(t *testing.T, v string, kind uint8, d1904 bool) {
		c := Cell{Value: v, Kind: CellKind(kind % 6)}
		d, partial, err := ParseDateCell(c, d1904)
		if err != nil {
			checkCellErr(t, err, "")
			return
		}
		if d.IsZero() {
			if NormalizeText(v) != "" && c.Kind == CellText {
				t.Fatalf("%q: zero date without error", v)
			}
			return
		}
		if d.Before(minDate) || d.After(maxDate) {
			t.Fatalf("%q: %v outside 1900–2100", v, d)
		}
		if partial && d.Day != 1 {
			t.Fatalf("%q: partial date %v not on the 1st", v, d)
		}
		// A date read back from each form we print gives the same date.
		for _, s := range []string{d.String(), d.Chinese(), strings.ReplaceAll(d.String(), "-", "/")} {
			got, p, err := ParseDateCell(Cell{Value: s, Kind: CellText}, false)
			if err != nil || got != d || p {
				t.Fatalf("%q → %v; %q → %v, %v, %v", v, d, s, got, p, err)
			}
		}
		if d.After(nuanxin.Date{Year: 1900, Month: 3, Day: 1}) {
			serial := testSerial(d)
			got, _, err := ParseDateCell(Cell{Value: strconv.Itoa(serial), Kind: CellDate}, false)
			if err != nil || got != d {
				t.Fatalf("%v → serial %d → %v, %v", d, serial, got, err)
			}
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1200", "1,200.50", "1200元", "￥1,200", "¥1200.5", "1200.00元", "壹仟贰佰元整", "1.2万", "1.2万元",
		"-5", "1200.505", "0.01", "壹万零伍拾元伍角陆分", "伍角", "拾元", "叁亿元整", "两千三百元", "999999999999.99", ".5", "1e3",
		"零元整", "壹贰", "佰", "人民币壹仟元", "(100)", "1,2,3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseAmount(s)
		if err != nil {
			checkCellErr(t, err, "amount")
			return
		}
		if m < 0 || m >= maxYuan*100 {
			t.Fatalf("%q → %d out of range", s, m)
		}
		// Re-formatted, in every form, it parses to the same fen.
		for _, r := range []string{m.String(), m.Grouped(), m.String() + "元", "￥" + m.Grouped(), chineseAmount(int64(m))} {
			got, err := ParseAmount(r)
			if err != nil || got != m {
				t.Fatalf("%q → %d; %q → %d, %v", s, m, r, got, err)
			}
		}
	})
}

func FuzzParseIDCell(f *testing.F) {
	for _, s := range []string{fxID1, fxID3, strings.ToLower(fxID3), "430102850315302", "4.30102198503153E+17",
		"4.3010219850315302E+17", "4.30103199007204E+017", "430102198503153000", "430102198503153024", "４３０１０２ １９８５",
		"'" + fxID1, "=\"" + fxID1 + "\"", "", "x", "11010119000101001X"} {
		f.Add(s, uint8(CellText))
		f.Add(s, uint8(CellNumber))
	}
	f.Fuzz(func(t *testing.T, v string, kind uint8) {
		id, err := ParseIDCell(Cell{Value: v, Kind: CellKind(kind % 6)})
		if err != nil {
			checkCellErr(t, err, "id_number")
			return
		}
		if len(id) != 18 || nuanxin.IDCheckDigit(id[:17]) != id[17] {
			t.Fatalf("%q → %q is not a valid 18-character number", v, id)
		}
		if again, err := ParseIDCell(Cell{Value: id, Kind: CellText}); err != nil || again != id {
			t.Fatalf("%q → %q → %q, %v", v, id, again, err)
		}
		if CellKind(kind%6) == CellNumber && strings.ContainsAny(v, "Ee") {
			t.Fatalf("%q: a number in scientific notation accepted as %q", v, id)
		}
	})
}

func FuzzParsePhoneCell(f *testing.F) {
	for _, s := range []string{"13812345678", "1.3812345678E+10", "1.38123E+10", "138 1234 5678", "+86 138-1234-5678",
		"0731-84567890", "(0731)84567890转123", "１３８１２３４５６７８", "13812345678.0", "1.5E-3", "", "8613812345678",
		"010-12345678-123", "+861012345678"} {
		f.Add(s, uint8(CellText))
		f.Add(s, uint8(CellNumber))
	}
	f.Fuzz(func(t *testing.T, v string, kind uint8) {
		p, err := ParsePhoneCell(Cell{Value: v, Kind: CellKind(kind % 6)})
		if err != nil {
			checkCellErr(t, err, "phone")
			return
		}
		again, err := nuanxin.NormalizePhone(p)
		if err != nil || again != p {
			t.Fatalf("%q → %q is not in stored form (%q, %v)", v, p, again, err)
		}
		if again, err := ParsePhoneCell(Cell{Value: p, Kind: CellText}); err != nil || again != p {
			t.Fatalf("%q → %q → %q, %v", v, p, again, err)
		}
	})
}

// FuzzXLSXSheetScanner feeds arbitrary bytes to the worksheet scanner and
// the shared strings parser: no panic, no hang, and rows that keep the
// Rows contract.
func FuzzXLSXSheetScanner(f *testing.F) {
	for _, s := range []string{
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row></sheetData></worksheet>`,
		`<sheetData><row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>x</t></rPh></is></c><c><f>1</f><v>2</v></c></row></sheetData>`,
		`<sheetData><row r="3"><c r="XFD3" t="str"><v>&amp;&#x41;_x0041_</v></c><c r="A3" s="1"/></row><row r="2"/></sheetData>`,
		`<x:sheetData><x:row><x:c r="B2" t="b"><x:v>1</x:v></x:c></x:row></x:sheetData>`,
		`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<&>]]></t></is></c></row>`,
		`<sst count="2"><si><t>a</t></si><si><r><t>b</t></r><r><t xml:space="preserve"> c</t></r><rPh><t>d</t></rPh></si><si/></sst>`,
		`<sheetData><row r="1"><c r="A1" t="s"><v>99999999999</v></c></row></sheetData>`,
		`<!-- --><?pi?><!DOCTYPE x><sheetData><row r='1'><c r='A1'><v>1</v></c></row></sheetData>`,
		`<sheetData><row r="1"><c r="A1" t="s`, "<", "<a", "<a b", "<a b=", "<a b='", "</", "<!--", "<![CDATA[", "<?",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sst, err := parseSharedStrings(bytes.NewReader(data), uint64(len(data)))
		if err == nil {
			for i := 0; i < sst.len(); i++ {
				if _, ok := sst.get(i); !ok {
					t.Fatal("sst index")
				}
			}
		} else {
			sst = newSST([]string{"x", "", "姓名"})
		}
		sr := &sheetReader{sst: sst, dates: []bool{false, true}, name: "S"}
		sr.sc.init(bytes.NewReader(data))
		rs := &Rows{src: sr}
		n := 0
		for rs.Next() {
			r := rs.Row()
			if len(r.Cells) == 0 || r.Cells[len(r.Cells)-1].Kind == CellEmpty {
				t.Fatalf("row %d: trailing empty cells or none", r.Num)
			}
			for _, c := range r.Cells {
				if (c.Value == "") != (c.Kind == CellEmpty) || c.Kind > CellDate {
					t.Fatalf("row %d: cell %+v breaks the contract", r.Num, c)
				}
			}
			if len(r.Cells) > maxColumns {
				t.Fatalf("%d cells", len(r.Cells))
			}
			if n++; n > len(data) {
				t.Fatal("more rows than bytes")
			}
		}
		if err := rs.Err(); err != nil {
			checkCellErr(t, err, "")
		}
	})
}
