package store_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// row builds an imported row with the given fields present.
func row(n int, m nuanxin.Member, fields ...string) *nuanxin.MemberRow {
	p := map[string]bool{}
	for _, f := range fields {
		p[f] = true
	}
	return &nuanxin.MemberRow{Row: n, Member: m, Present: p}
}

func importRows(t *testing.T, db *store.DB, s *nuanxin.Scope, org int64, dry bool, rows ...*nuanxin.MemberRow) *nuanxin.ImportReport {
	t.Helper()
	// The importer normalises rows in place: give it copies so a test can
	// import the same rows twice.
	cp := make([]*nuanxin.MemberRow, len(rows))
	for i, r := range rows {
		c := *r
		cp[i] = &c
	}
	rep, err := db.ImportMembers(ctx, s, &nuanxin.SliceRows{Rows: cp}, nuanxin.MemberImportOptions{OrgID: org, DryRun: dry})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func counts(rep *nuanxin.ImportReport) string {
	return fmt.Sprintf("c%d u%d n%d r%d", rep.Created, rep.Updated, rep.Unchanged, rep.Rejected)
}

func memberCount(t *testing.T, db *store.DB, org *nuanxin.Org) int {
	t.Helper()
	l, err := db.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: org.ID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return l.Total
}

func reasons(rep *nuanxin.ImportReport, rowNum int) string {
	var out []string
	for _, e := range rep.Errors {
		if e.Row == rowNum {
			out = append(out, e.Reason)
		}
	}
	return strings.Join(out, "；")
}

var all = []string{"name", "id_number", "phone", "department", "employee_no", "category"}

func TestImportMembersIdempotentAndUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		rows := []*nuanxin.MemberRow{
			row(3, nuanxin.Member{Name: "张三", IDNumber: idn("430102", "19850315", 101), Phone: "138 0013 8000", Department: "运行部", EmployeeNo: "E001", Category: nuanxin.CategoryActive}, all...),
			row(4, nuanxin.Member{Name: "李四", IDNumber: idn("430102", "19900101", 202), Department: "检修部", EmployeeNo: "E002"}, "name", "id_number", "department", "employee_no"),
		}
		dry := importRows(t, db, sys, tr.A.ID, true, rows...)
		if counts(dry) != "c2 u0 n0 r0" || !dry.DryRun {
			t.Fatalf("dry run = %s %+v", counts(dry), dry.Errors)
		}
		if n := memberCount(t, db, tr.A); n != 0 {
			t.Fatalf("dry run wrote %d members", n)
		}
		rep := importRows(t, db, sys, tr.A.ID, false, rows...)
		if counts(rep) != "c2 u0 n0 r0" {
			t.Fatalf("first import = %s %+v", counts(rep), rep.Errors)
		}
		again := importRows(t, db, sys, tr.A.ID, false, rows...)
		if counts(again) != "c0 u0 n2 r0" {
			t.Fatalf("second import = %s %+v", counts(again), again.Errors)
		}
		if n := memberCount(t, db, tr.A); n != 2 {
			t.Fatalf("members after two imports = %d, want 2", n)
		}

		// A changed file: 张三's phone and department change; 李四's row has
		// no phone column, which must not blank anything.
		changed := []*nuanxin.MemberRow{
			row(3, nuanxin.Member{Name: "张三", IDNumber: idn("430102", "19850315", 101), Phone: "13900139000", Department: "燃料部", EmployeeNo: "E001", Category: nuanxin.CategoryActive}, all...),
			row(4, nuanxin.Member{Name: "李四", IDNumber: idn("430102", "19900101", 202), Department: "检修部"}, "name", "id_number", "department"),
		}
		upd := importRows(t, db, sys, tr.A.ID, false, changed...)
		if counts(upd) != "c0 u1 n1 r0" {
			t.Fatalf("changed import = %s %+v", counts(upd), upd.Errors)
		}
		var p nuanxin.ImportRowResult
		for _, r := range upd.Preview {
			if r.Outcome == nuanxin.OutcomeUpdated {
				p = r
			}
		}
		if p.Row != 3 || len(p.Changes) != 2 || p.Changes[0].Field != "phone" || p.Changes[0].New != "139****9000" || p.Changes[1].New != "燃料部" {
			t.Fatalf("update preview = %+v", p)
		}
		l, _ := db.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: tr.A.ID, Query: "张三"})
		if len(l.Members) != 1 || l.Members[0].Phone != "13900139000" || l.Members[0].Department != "燃料部" || l.Members[0].Version != 2 {
			t.Fatalf("张三 after update = %+v", l.Members)
		}
		ev, _, err := db.FindAuditEvents(ctx, sys, nuanxin.AuditFilter{Action: "member.import_update"})
		if err != nil || len(ev) != 1 || !strings.Contains(ev[0].After, "燃料部") || !strings.Contains(ev[0].Before, "运行部") || strings.Contains(ev[0].After, "13900139000") {
			t.Fatalf("audit of the update = %+v %v", ev, err)
		}
	})
}

func TestImportMembersRejections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		elsewhere := mustMember(t, db, sys, tr.B.ID, "王五", idn("430102", "19800101", 303))
		_ = elsewhere
		mustMember(t, db, sys, tr.A.ID, "赵六", idn("430102", "19810101", 404))
		ada := scopeFor(nuanxin.RoleClerk, tr.A)
		zhao := idn("430102", "19810101", 404)
		rows := []*nuanxin.MemberRow{
			// 2: belongs to 检修公司 (outside A): a transfer candidate.
			row(2, nuanxin.Member{Name: "王五", IDNumber: idn("430102", "19800101", 303)}, "name", "id_number"),
			// 3 and 4: the same person twice in the file.
			row(3, nuanxin.Member{Name: "孙七", IDNumber: idn("430102", "19920101", 505)}, "name", "id_number"),
			row(4, nuanxin.Member{Name: "孙七", IDNumber: idn("430102", "19920101", 505)}, "name", "id_number"),
			// 5: no 身份证号 and no 工号 match.
			row(5, nuanxin.Member{Name: "周八", EmployeeNo: "X9"}, "name", "employee_no"),
			// 6: an unknown 所属工会.
			{Row: 6, Member: nuanxin.Member{Name: "吴九", IDNumber: idn("430102", "19930101", 606)}, Present: map[string]bool{"name": true, "id_number": true}, OrgRef: "不存在的分工会"},
			// 7: into the 分工会 by name.
			{Row: 7, Member: nuanxin.Member{Name: "郑十", IDNumber: idn("430102", "19940101", 707)}, Present: map[string]bool{"name": true, "id_number": true}, OrgRef: "运行部分工会"},
			// 8: a status change is a lifecycle event, not an import.
			row(8, nuanxin.Member{Name: "赵六", IDNumber: zhao, Status: nuanxin.StatusWithdrawn}, "name", "id_number", "status"),
			// 9: a parse error from the reader.
			{Row: 9, Member: nuanxin.Member{Name: "钱一"}, Errors: []nuanxin.RowError{{Row: 9, Column: "C列（身份证号码）", Reason: "身份证号码被 Excel 改成了科学计数法"}}},
			// 10: birth date disagreeing with the 身份证号.
			row(10, nuanxin.Member{Name: "冯二", IDNumber: idn("430102", "19950101", 808), BirthDate: nuanxin.NewDate(1995, 2, 1)}, "name", "id_number", "birth_date"),
		}
		rep := importRows(t, db, ada, tr.A.ID, false, rows...)
		if counts(rep) != "c2 u0 n0 r7" || rep.Transfers != 1 {
			t.Fatalf("report = %s transfers %d: %+v", counts(rep), rep.Transfers, rep.Errors)
		}
		want := map[int]string{
			2:  "其他工会组织的会员",
			4:  "与第3行的身份证号码重复",
			5:  "没有身份证号码",
			6:  "“不存在的分工会”不在发电公司工会之下",
			8:  "不能从“在会”直接改为“退会”",
			9:  "科学计数法",
			10: "出生日期",
		}
		for r, w := range want {
			if got := reasons(rep, r); !strings.Contains(got, w) {
				t.Errorf("row %d reason = %q, want it to contain %q", r, got, w)
			}
		}
		if strings.Contains(reasons(rep, 2), "检修公司") {
			t.Errorf("a clerk of A must not learn where 王五 is: %q", reasons(rep, 2))
		}
		if got := fmt.Sprint(rep.RejectedRows); got != "[2 4 5 6 8 9 10]" {
			t.Errorf("rejected rows = %s", got)
		}
		l, _ := db.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: tr.A1.ID, Query: "郑十"})
		if len(l.Members) != 1 {
			t.Errorf("郑十 not in the 分工会: %+v", l.Members)
		}
		// Updated by a file without a 所属工会 column, 郑十 stays in the 分工会.
		rep = importRows(t, db, ada, tr.A.ID, false,
			row(2, nuanxin.Member{Name: "郑十", IDNumber: idn("430102", "19940101", 707), Post: "值长"}, "name", "id_number", "post"))
		l, _ = db.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: tr.A1.ID, Query: "郑十"})
		if counts(rep) != "c0 u1 n0 r0" || len(l.Members) != 1 || l.Members[0].Post != "值长" || l.Members[0].OrgID != tr.A1.ID {
			t.Errorf("update without 所属工会 = %s, %+v", counts(rep), l.Members)
		}
		// The group admin sees where 王五 is.
		rep = importRows(t, db, sys, tr.A.ID, true, rows[0])
		if !strings.Contains(reasons(rep, 2), "检修公司工会") {
			t.Errorf("the system scope should be told the org: %q", reasons(rep, 2))
		}
	})
}

func TestImportMembersMatchByEmployeeNo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		m := &nuanxin.Member{OrgID: tr.A.ID, Name: "张三", IDNumber: idn("430102", "19850315", 101), EmployeeNo: "E001", Category: nuanxin.CategoryActive}
		if err := db.CreateMember(ctx, sys, m); err != nil {
			t.Fatal(err)
		}
		rep := importRows(t, db, sys, tr.A.ID, false,
			row(2, nuanxin.Member{Name: "张三", EmployeeNo: "E001", Post: "值长"}, "name", "employee_no", "post"),
			// Another 身份证号 claiming the same 工号.
			row(3, nuanxin.Member{Name: "张叁", IDNumber: idn("430102", "19860315", 111), EmployeeNo: "E001"}, "name", "id_number", "employee_no"))
		// Row 3 also repeats row 2's 工号 within the file.
		if counts(rep) != "c0 u1 n0 r1" || !strings.Contains(reasons(rep, 3), "第2行的工号") {
			t.Fatalf("report = %s %+v", counts(rep), rep.Errors)
		}
		rep = importRows(t, db, sys, tr.A.ID, false,
			row(3, nuanxin.Member{Name: "张叁", IDNumber: idn("430102", "19860315", 111), EmployeeNo: "E001"}, "name", "id_number", "employee_no"))
		if counts(rep) != "c0 u0 n0 r1" || !strings.Contains(reasons(rep, 3), "工号E001在本单位已属于张三") {
			t.Fatalf("report = %s %+v", counts(rep), rep.Errors)
		}
		got, _ := db.FindMemberByID(ctx, sys, m.ID)
		if got.Post != "值长" {
			t.Fatalf("post = %q", got.Post)
		}
	})
}

// failingSource yields n good rows, then fails like a truncated file.
type failingSource struct{ n, i int }

func (f *failingSource) Next() (*nuanxin.MemberRow, error) {
	if f.i == f.n {
		return nil, errors.New("文件读取中断")
	}
	f.i++
	s := fmt.Sprintf("430102%s%03d", nuanxin.NewDate(1970, 1, 1).AddDays(f.i).Time().Format("20060102"), 100+f.i%800)
	return row(f.i+1, nuanxin.Member{Name: "测试", IDNumber: s + string(nuanxin.IDCheckDigit(s))}, "name", "id_number"), nil
}

var _ = io.EOF

func TestImportMembersAllOrNothing(t *testing.T) {
	// The large-import path (indexes dropped and rebuilt inside the
	// transaction) from 1,000 rows, so both paths are exercised here.
	defer store.SetBulkImportRows(1000)()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		indexes, err := db.IndexesForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// More than one batch is written before the source fails.
		_, err = db.ImportMembers(ctx, sys, &failingSource{n: 12000}, nuanxin.MemberImportOptions{OrgID: tr.A.ID, Expected: 12000})
		if err == nil || !strings.Contains(err.Error(), "文件读取中断") {
			t.Fatalf("err = %v", err)
		}
		if n := memberCount(t, db, tr.A); n != 0 {
			t.Fatalf("a failed import left %d members", n)
		}
		if n, _ := db.IndexesForTest(ctx); n != indexes {
			t.Fatalf("indexes after a failed import: %d, want %d", n, indexes)
		}
		rep, err := db.ImportMembers(ctx, sys, &limitSource{&failingSource{n: 1 << 30}, 12000}, nuanxin.MemberImportOptions{OrgID: tr.A.ID, Expected: 12000})
		if err != nil || rep.Created != 12000 {
			t.Fatalf("import = %+v %v", rep, err)
		}
		if n := memberCount(t, db, tr.A); n != 12000 {
			t.Fatalf("members = %d", n)
		}
		if n, _ := db.IndexesForTest(ctx); n != indexes {
			t.Fatalf("indexes after a large import: %d, want %d", n, indexes)
		}
		// Found by the search, so the keys and their index are whole.
		l, err := db.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: tr.A.ID, Query: "cs"})
		if err != nil || l.Total != store.SearchTotalCap || !l.TotalCapped {
			t.Fatalf("search after a large import = %+v %v", l, err)
		}
	})
}

type limitSource struct {
	src *failingSource
	n   int
}

func (l *limitSource) Next() (*nuanxin.MemberRow, error) {
	if l.src.i == l.n {
		return nil, io.EOF
	}
	return l.src.Next()
}

func TestExportMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		mustMember(t, db, sys, tr.A.ID, "张三", idn("430102", "19850315", 101))
		mustMember(t, db, sys, tr.A1.ID, "李四", idn("430102", "19860315", 202))
		mustMember(t, db, sys, tr.B.ID, "王五", idn("430102", "19870315", 303))
		collect := func(s *nuanxin.Scope, f nuanxin.MemberFilter, unmasked bool) ([]string, error) {
			var got []string
			_, err := db.ExportMembers(ctx, s, f, nuanxin.MemberExport{Unmasked: unmasked, Reason: "上报市总工会"}, func(m *nuanxin.Member) error {
				got = append(got, m.Name+":"+m.IDNumber+":"+m.IDMasked)
				return nil
			})
			return got, err
		}
		clerk := scopeFor(nuanxin.RoleClerk, tr.A)
		got, err := collect(clerk, nuanxin.MemberFilter{}, false)
		if err != nil || fmt.Sprint(got) != "[张三::"+nuanxin.MaskIDNumber(idn("430102", "19850315", 101))+" 李四::"+nuanxin.MaskIDNumber(idn("430102", "19860315", 202))+"]" {
			t.Fatalf("masked export = %v %v", got, err)
		}
		got, err = collect(clerk, nuanxin.MemberFilter{Query: "ls"}, true)
		if err != nil || len(got) != 1 || !strings.HasPrefix(got[0], "李四:"+idn("430102", "19860315", 202)) {
			t.Fatalf("unmasked search export = %v %v", got, err)
		}
		if _, err := collect(scopeFor(nuanxin.RoleAuditor, tr.A), nuanxin.MemberFilter{}, false); nuanxin.ErrorCode(err) != nuanxin.EFORBIDDEN {
			t.Fatalf("auditor export err = %v", err)
		}
		if _, err := collect(clerk, nuanxin.MemberFilter{OrgID: tr.B.ID}, false); nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND {
			t.Fatalf("out-of-scope export err = %v", err)
		}
		ev, _, _ := db.FindAuditEvents(ctx, sys, nuanxin.AuditFilter{Action: "member.export"})
		if len(ev) != 2 || !strings.Contains(ev[0].After, `"unmasked":true`) || !strings.Contains(ev[0].After, `"count":1`) {
			t.Fatalf("export audit = %+v", ev)
		}
	})
}

func TestImportMembersMaskedRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		zhang := mustMember(t, db, sys, tr.A.ID, "张三", idn("430102", "19850315", 101))
		mustMember(t, db, sys, tr.B.ID, "李四", idn("430102", "19860315", 202))
		// What a masked export gives back, with the department edited.
		rows := []*nuanxin.MemberRow{
			row(2, nuanxin.Member{Name: "张三", IDMasked: zhang.IDMasked, Department: "燃料部"}, "name", "department"),
			// 李四 is in another org: a masked number finds nobody here.
			row(3, nuanxin.Member{Name: "李四", IDMasked: nuanxin.MaskIDNumber(idn("430102", "19860315", 202))}, "name"),
			// The same person again, by full number.
			row(4, nuanxin.Member{Name: "张三", IDNumber: idn("430102", "19850315", 101)}, "name", "id_number"),
		}
		rep := importRows(t, db, sys, tr.A.ID, false, rows...)
		if counts(rep) != "c0 u1 n0 r2" || !strings.Contains(reasons(rep, 3), "隐藏中间位") || !strings.Contains(reasons(rep, 4), "与第2行是同一位会员") {
			t.Fatalf("report = %s %+v", counts(rep), rep.Errors)
		}
		got, _ := db.FindMemberByID(ctx, sys, zhang.ID)
		if got.Department != "燃料部" {
			t.Fatalf("department = %q", got.Department)
		}
	})
}

// TestImportMembersBulkWrite checks what a first import writes through the
// bulk path (SQLite: its own session settings, rows without ids, derived
// keys and events) field by field, and that the writer is left as it was.
func TestImportMembersBulkWrite(t *testing.T) {
	defer store.SetBulkImportRows(1000)()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		surnames := []string{"张", "单", "欧阳", "曾", "吕"}
		given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚文华红鹏飞田贤布一鸣春生秋冬东西南北山水")
		const n = 1234 // more than two multi-row INSERTs, a partial one last
		var rows []*nuanxin.MemberRow
		for i := 0; i < n; i++ {
			birth := nuanxin.NewDate(1970, 1, 1).AddDays(i)
			name := surnames[i%len(surnames)] + string(given[i/5%len(given)]) + string(given[i/200%len(given)])
			m := nuanxin.Member{Name: name, IDNumber: idn("430102", birth.Time().Format("20060102"), 100+i%800),
				Category: nuanxin.CategoryActive, Department: "运行部", Phone: fmt.Sprintf("139%08d", i), JoinDate: nuanxin.NewDate(2001, 2, 3)}
			fields := []string{"name", "id_number", "category", "department", "phone", "join_date"}
			if i%100 == 7 {
				m.Status = nuanxin.StatusReserved
				fields = append(fields, "status")
			}
			if i%3 == 0 {
				m.JoinDate = nuanxin.Date{} // the 入会 event falls back to today
			}
			r := row(i+3, m, fields...)
			if i%50 == 9 {
				r.OrgRef = "HX-A1"
			}
			rows = append(rows, r)
		}
		rep := importRows(t, db, sys, tr.A.ID, false, rows...)
		if counts(rep) != fmt.Sprintf("c%d u0 n0 r0", n) {
			t.Fatalf("import = %s %+v", counts(rep), rep.Errors[:min(3, len(rep.Errors))])
		}
		// Ids follow the file.
		var prev int64
		for _, p := range rep.Preview {
			if p.MemberID <= prev {
				t.Fatalf("row %d got id %d after %d", p.Row, p.MemberID, prev)
			}
			prev = p.MemberID
		}
		first := rep.Preview[0].MemberID
		for _, i := range []int{0, 7, 9, 300, n - 1} {
			in := rows[i].Member
			m, err := db.FindMemberByID(ctx, sys, first+int64(i))
			if err != nil {
				t.Fatal(err)
			}
			wantOrg, wantStatus := tr.A.ID, nuanxin.StatusMember
			if i%50 == 9 {
				wantOrg = tr.A1.ID
			}
			if i%100 == 7 {
				wantStatus = nuanxin.StatusReserved
			}
			if m.Name != in.Name || m.OrgID != wantOrg || m.Status != wantStatus || m.Phone != in.Phone || m.Department != "运行部" ||
				m.Category != nuanxin.CategoryActive || m.JoinDate != in.JoinDate || m.BirthDate.IsZero() || m.Sex == "" ||
				m.IDMasked != nuanxin.MaskIDNumber(in.IDNumber) || m.Pinyin == "" || m.Version != 1 {
				t.Fatalf("row %d stored as %+v", i, m)
			}
			if id, err := db.RevealIDNumber(ctx, sys, m.ID, "核对"); err != nil || id != in.IDNumber {
				t.Fatalf("row %d: 身份证号 %q %v", i, id, err)
			}
			ev, err := db.FindMemberEvents(ctx, sys, m.ID)
			if err != nil || len(ev) == 0 || ev[0].Kind != nuanxin.EventJoin || ev[0].ToOrgID != wantOrg {
				t.Fatalf("row %d events %+v %v", i, ev, err)
			}
			if (i%100 == 7) != (len(ev) == 2 && ev[1].Kind == nuanxin.EventReserve) {
				t.Fatalf("row %d events %+v", i, ev)
			}
			if in.JoinDate.IsZero() == (ev[0].Date == in.JoinDate) {
				t.Fatalf("row %d joined %s, event on %s", i, in.JoinDate, ev[0].Date)
			}
			// Found by name and by pinyin: the keys were written.
			for _, q := range []string{m.Name, m.Pinyin} {
				l, err := db.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: wantOrg, Query: q})
				found := false
				for _, x := range l.Members {
					found = found || x.ID == m.ID
				}
				if err != nil || !found {
					t.Fatalf("row %d not found by %q: %v", i, q, err)
				}
			}
		}
		if db.Dialect() != store.SQLite {
			return
		}
		// The writer's settings are back, CHECK constraints included.
		for name, want := range map[string]string{"foreign_keys": "1", "ignore_check_constraints": "0", "temp_store": "2"} {
			if v, err := db.WriterPragmaForTest(ctx, name); err != nil || v != want {
				t.Fatalf("PRAGMA %s = %q %v after the import, want %s", name, v, err, want)
			}
		}
		if _, err := db.ExecForTest(ctx, `UPDATE members SET category = 'bogus' WHERE id = $1`, first); err == nil {
			t.Fatal("CHECK constraint not enforced after the import")
		}
	})
}

func TestBulkValues(t *testing.T) {
	for d := nuanxin.NewDate(1899, 12, 25); d.Year < 2101; d = d.AddDays(37) {
		if got := store.RawDateForTest(d); got != d.String() {
			t.Fatalf("%v: %v", d, got)
		}
	}
	if got := store.RawDateForTest(nuanxin.Date{}); got != nil {
		t.Fatalf("zero date: %v", got)
	}
	db := storetest.Open(t)
	id := idn("430102", "19850315", 101)
	hash, masked, tail, opened, err := db.SealHashedForTest(id)
	if err != nil || opened != id || masked != nuanxin.MaskIDNumber(id) || tail != id[14:] || len(hash) != 32 {
		t.Fatalf("sealHashed = %q %q %q %q %v", hash, masked, tail, opened, err)
	}
}
