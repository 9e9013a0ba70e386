package roster

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// readBack opens a written file with this package's reader and returns
// the header and member rows of the first sheet.
func readBack(t *testing.T, name string, b []byte) (*Header, []*nuanxin.MemberRow) {
	t.Helper()
	book, err := OpenReader(bytes.NewReader(b), int64(len(b)), name, Options{})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer book.Close()
	mr, err := OpenMembers(book, 0, nil)
	if err != nil {
		t.Fatalf("header of %s: %v", name, err)
	}
	defer mr.Close()
	var rows []*nuanxin.MemberRow
	for {
		r, err := mr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		cp := *r
		rows = append(rows, &cp)
	}
	return mr.Header(), rows
}

// An unmasked export, xlsx or CSV, imports back to the same members.
func TestExportRoundTrip(t *testing.T) {
	ms := make([]*nuanxin.Member, 12)
	for i := range ms {
		ms[i] = new(nuanxin.Member)
		genMember(ms[i], i)
	}
	ms[0].Notes = "  含,逗号\n和换行  "
	opt := ExportOptions{Unmasked: true}
	var x, c bytes.Buffer
	if _, err := ExportXLSX(&x, nil, sliceSource(ms...), opt); err != nil {
		t.Fatal(err)
	}
	if _, err := ExportCSV(&c, nil, sliceSource(ms...), opt); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"export.xlsx": x.Bytes(), "export.csv": c.Bytes()} {
		h, rows := readBack(t, name, b)
		if len(h.Unknown) != 0 || len(h.Duplicate) != 0 || h.Row != 1 {
			t.Errorf("%s: header row %d, unknown %v, duplicate %v", name, h.Row, h.Unknown, h.Duplicate)
		}
		for _, f := range MemberFields {
			if !h.Has(f) {
				t.Errorf("%s: no column for %s", name, f)
			}
		}
		if len(rows) != len(ms) {
			t.Fatalf("%s: %d rows, want %d", name, len(rows), len(ms))
		}
		for i, r := range rows {
			if len(r.Errors) != 0 {
				t.Errorf("%s row %d: %v", name, r.Row, r.Errors)
			}
			want := *ms[i]
			want.ID, want.OrgID, want.OrgName, want.IDMasked = 0, 0, "", ""
			got := r.Member
			got.IDMasked = ""
			// The reader turns line breaks in free text into spaces;
			// that is its business, not the writer's.
			want.Notes = cleanText(want.Notes)
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
				t.Errorf("%s row %d:\n got %+v\nwant %+v", name, r.Row, got, want)
			}
			if r.OrgRef != ms[i].OrgName {
				t.Errorf("%s row %d: org %q, want %q", name, r.Row, r.OrgRef, ms[i].OrgName)
			}
		}
	}
}

// The template's header is recognised whole and its example row is a valid
// member.
func TestTemplateRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	h, rows := readBack(t, "template.xlsx", buf.Bytes())
	if len(h.Unknown) != 0 || len(h.Columns) != len(MemberFields) {
		t.Errorf("header: %d columns, unknown %v", len(h.Columns), h.Unknown)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows, want the example", len(rows))
	}
	m := rows[0].Member
	// Every cell parses; the only error is the one that stops the example
	// itself from being imported.
	if len(rows[0].Errors) != 1 || !strings.Contains(rows[0].Errors[0].Reason, "示例行") || m.Name != "张三" || m.IDNumber != ExampleIDNumber() || m.Sex != nuanxin.Male ||
		m.BirthDate != nuanxin.NewDate(1990, 3, 7) || m.Phone != "13800000000" || m.Category != nuanxin.CategoryActive ||
		m.Status != nuanxin.StatusMember || m.EmployeeNo != "000123" || m.HireDate != nuanxin.NewDate(2012, 7, 1) {
		t.Errorf("example row: %+v, errors %v", m, rows[0].Errors)
	}
	m.Normalize()
	if err := m.Validate(true, nuanxin.Today()); err != nil {
		t.Errorf("example row invalid: %v", err)
	}
}

// A corrected rejected-rows file imports again; 原行号 and 错误原因 are
// columns the reader leaves out.
func TestRejectedRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	err := WriteRejected(&buf, []string{"姓名", "身份证号码", "入职日期"}, []RejectedRow{
		{Row: 4, Cells: []string{"李四", ExampleIDNumber(), "2024-03-05"}, Reasons: []string{"C列：日期不正确"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h, rows := readBack(t, "rejected.xlsx", buf.Bytes())
	if h.Has(FieldNotes) || !h.Has(FieldIDNumber) {
		t.Errorf("header: %+v", h)
	}
	if len(rows) != 1 || rows[0].Member.Name != "李四" || rows[0].Member.IDNumber != ExampleIDNumber() ||
		rows[0].Member.HireDate != nuanxin.NewDate(2024, 3, 5) {
		t.Fatalf("rows: %+v", rows)
	}
}
