package roster

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// readAllMembers reads every member row of a sheet.
func readAllMembers(t testing.TB, b *Book, sheet int, overrides map[int]Field) []*nuanxin.MemberRow {
	t.Helper()
	mr, err := OpenMembers(b, sheet, overrides)
	if err != nil {
		t.Fatal(err)
	}
	defer mr.Close()
	var out []*nuanxin.MemberRow
	for {
		r, err := mr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
}

func presentList(p map[string]bool) string {
	var out []string
	for k, v := range p {
		if v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// errList renders a row's errors as "C列（…）|id_number|reason", "!" marking warnings.
func errList(errs []nuanxin.RowError) []string {
	var out []string
	for _, e := range errs {
		w := ""
		if e.Warning {
			w = "!"
		}
		out = append(out, w+e.Column+"|"+e.Field+"|"+e.Reason)
	}
	return out
}

func checkRow(t *testing.T, got *nuanxin.MemberRow, row int, want nuanxin.Member, present string, orgRef string, errs ...string) {
	t.Helper()
	if got.Row != row {
		t.Errorf("row %d: got row %d", row, got.Row)
		return
	}
	if got.Member != want {
		t.Errorf("row %d: member\n got %+v\nwant %+v", row, got.Member, want)
	}
	if p := presentList(got.Present); p != present {
		t.Errorf("row %d: present %s, want %s", row, p, present)
	}
	if got.OrgRef != orgRef {
		t.Errorf("row %d: OrgRef %q", row, got.OrgRef)
	}
	if e := errList(got.Errors); !reflect.DeepEqual(e, errs) && !(len(e) == 0 && len(errs) == 0) {
		t.Errorf("row %d: errors\n%q\nwant\n%q", row, e, errs)
	}
	for _, e := range got.Errors {
		if e.Row != row {
			t.Errorf("row %d: error on row %d", row, e.Row)
		}
	}
}

func msg(key string, args ...any) string { return nuanxin.T(key, args...) }

func TestReadMembersLibreOfficeTitle(t *testing.T) {
	b := openFixture(t, "roster-title.xlsx")
	rows := readAllMembers(t, b, 0, nil)
	var nums []int
	for _, r := range rows {
		nums = append(nums, r.Row)
	}
	if !reflect.DeepEqual(nums, []int{4, 5, 6, 9, 10, 11, 12, 13}) {
		t.Fatalf("rows %v", nums)
	}
	const idCol = "C列（*身份证号码(必填)）"
	all := "birth_date,category,department,ethnicity,id_number,join_date,name,phone,political,post,sex"
	checkRow(t, rows[0], 4, nuanxin.Member{Name: "张三", IDNumber: fxID1, Sex: nuanxin.Male, BirthDate: date(1985, 3, 15),
		Ethnicity: "汉族", Political: "中共党员", Phone: "13812345678", Department: "生产部", Post: "操作工",
		Category: nuanxin.CategoryActive, JoinDate: date(2010, 7, 1)}, all, "")
	checkRow(t, rows[1], 5, nuanxin.Member{Name: "李四", Sex: nuanxin.Female, BirthDate: date(1990, 7, 20),
		Ethnicity: "汉族", Political: "群众", Phone: "13812345679", Department: "设备部", Post: "技术员",
		Category: nuanxin.CategoryActive, JoinDate: date(2012, 5, 1)}, all, "",
		idCol+"|id_number|"+msg("id.excel_scientific"),
		"!L列（入会\n时间）|join_date|"+msg("roster.members.partial_date", "2012年5月", "2012年5月1日"))
	checkRow(t, rows[2], 6, nuanxin.Member{Name: "王五", IDNumber: fxID3, Sex: nuanxin.Male, BirthDate: date(1978, 11, 2),
		Ethnicity: "土家族", Political: "群众", Phone: "13900001111", Department: "质量部", Post: "质检员",
		Category: nuanxin.CategoryDispatched, JoinDate: date(2015, 3, 1)}, all, "")
	checkRow(t, rows[3], 9, nuanxin.Member{Name: "赵六", IDNumber: fxID4, Sex: nuanxin.Female, BirthDate: date(1992, 1, 1),
		Ethnicity: "回族", Political: "共青团员", Phone: "13700000001", Department: "财务部", Post: "会计",
		Category: nuanxin.CategoryActive, JoinDate: date(2015, 3, 1), Notes: "调入，原单位XX厂"},
		"birth_date,category,department,ethnicity,id_number,join_date,name,notes,phone,political,post,sex", "")
	checkRow(t, rows[4], 10, nuanxin.Member{Name: "孙七", Sex: nuanxin.Female, BirthDate: date(1988, 7, 7),
		Ethnicity: "汉族", Political: "群众", Phone: "15912345678", Department: "人力资源部", Post: "主管",
		Category: nuanxin.CategoryRetired, JoinDate: date(2008, 8, 8)}, all, "",
		idCol+"|id_number|"+msg("id.excel_scientific"))
	checkRow(t, rows[5], 11, nuanxin.Member{Name: "周八", IDNumber: fxID6, Sex: nuanxin.Female, BirthDate: date(1980, 1, 1),
		Ethnicity: "汉族", Political: "群众", Department: "销售部", Post: "销售代表"}, all, "",
		"H列（联系电话）|phone|"+msg("phone.mobile_length", 5),
		"K列（用工性质）|category|"+msg("roster.category.invalid", "实习生", "在岗、歇岗、退休、劳务派遣、农民工"),
		"L列（入会\n时间）|join_date|"+msg("roster.date.day", "2024-02-30", 2024, 2, 30),
		"D列（性别）|sex|"+msg("roster.members.sex_mismatch", "女", "男"))
	checkRow(t, rows[6], 12, nuanxin.Member{Name: "吴九", Sex: nuanxin.Male, Ethnicity: "汉族", Department: "销售部"},
		"department,ethnicity,name,sex", "", idCol+"|id_number|"+msg("member.id.required"))
	checkRow(t, rows[7], 13, nuanxin.Member{Name: "郑十", IDNumber: fxID7, Sex: nuanxin.Male, BirthDate: date(1975, 6, 18),
		Ethnicity: "汉族", Political: "群众", Phone: "13800001111", Department: "物流部", Post: "司机",
		Category: nuanxin.CategoryActive, JoinDate: date(2000, 1, 1)}, all, "")

	// The messages say where and what: the column as the file titles it.
	if !strings.Contains(nuanxin.RowError(rows[5].Errors[3]).String(), "第11行 D列（性别）：性别“女”与身份证号码不符（身份证号码显示为男）") {
		t.Errorf("message: %s", rows[5].Errors[3])
	}
}

func TestReadMembersLibreOfficeSheets(t *testing.T) {
	b := openFixture(t, "roster-sheets.xlsx")
	rows := readAllMembers(t, b, 2, nil)
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	checkRow(t, rows[0], 9, nuanxin.Member{Name: "陈一", IDNumber: fxID8, Sex: nuanxin.Male, BirthDate: date(1983, 5, 5),
		Phone: "13611112222", Department: "机关", EmployeeNo: "1001", HireDate: date(2005, 7, 1),
		Status: nuanxin.StatusMember, CardNo: "HY001"},
		"birth_date,card_no,department,employee_no,hire_date,id_number,name,org,phone,sex,status", "机关分工会")
	// No 身份证号, but a 工号: the store matches by 工号.
	checkRow(t, rows[1], 10, nuanxin.Member{Name: "林二", Sex: nuanxin.Female, Phone: "13622223333", Department: "一车间",
		EmployeeNo: "1002", Status: nuanxin.StatusReserved}, "department,employee_no,name,org,phone,sex,status", "一车间分工会")
	checkRow(t, rows[2], 11, nuanxin.Member{Name: "黄三", Sex: nuanxin.Male, Department: "一车间", Status: nuanxin.StatusDeceased},
		"department,name,org,sex,status", "一车间分工会", "E列（＊公民身份号码）|id_number|"+msg("roster.members.id_or_empno"))
	checkRow(t, rows[3], 12, nuanxin.Member{Name: "何四", IDNumber: fxID9, Sex: nuanxin.Female, BirthDate: date(1987, 9, 9),
		Phone: "13633334444", Department: "二车间", EmployeeNo: "1004", HireDate: date(2010, 9, 1),
		Status: nuanxin.StatusMember, CardNo: "HY004"},
		"birth_date,card_no,department,employee_no,hire_date,id_number,name,org,phone,sex,status", "二车间分工会")

	rows = readAllMembers(t, b, 3, nil)
	if len(rows) != 2 {
		t.Fatalf("退休会员: %d rows", len(rows))
	}
	checkRow(t, rows[0], 2, nuanxin.Member{Name: "冯五", IDNumber: fxID10, Sex: nuanxin.Male, BirthDate: date(1955, 1, 1),
		Category: nuanxin.CategoryRetired, Phone: "0731-84567890", Notes: "老劳模"},
		"birth_date,category,id_number,name,notes,phone,sex", "")
	checkRow(t, rows[1], 3, nuanxin.Member{Name: "卫六", IDNumber: fxID11, Sex: nuanxin.Female, BirthDate: date(1958, 8, 8),
		Category: nuanxin.CategoryRetired, Phone: "0731-84567891-12"},
		"birth_date,category,id_number,name,phone,sex", "")

	if _, err := OpenMembers(b, 0, nil); errKey(err) != "roster.header.not_found" {
		t.Errorf("说明 sheet: %v", err)
	}
}

func TestReadMembersCSV(t *testing.T) {
	b := openFixture(t, "roster-gb18030.csv")
	rows := readAllMembers(t, b, 0, nil)
	if len(rows) != 5 {
		t.Fatalf("%d rows", len(rows))
	}
	p := "birth_date,category,id_number,name,phone,sex"
	checkRow(t, rows[0], 3, nuanxin.Member{Name: "张三", IDNumber: fxID1, Sex: nuanxin.Male, BirthDate: date(1985, 3, 15),
		Phone: "13812345678", Category: nuanxin.CategoryActive}, p, "")
	checkRow(t, rows[1], 4, nuanxin.Member{Name: "李四", Sex: nuanxin.Female, BirthDate: date(1990, 7, 20),
		Phone: "13812345679", Category: nuanxin.CategoryActive}, p, "", "C列（身份证号码）|id_number|"+msg("id.excel_scientific"))
	checkRow(t, rows[2], 5, nuanxin.Member{Name: "王五", IDNumber: fxID3, Sex: nuanxin.Male, BirthDate: date(1978, 11, 2),
		Phone: "13900001111", Category: nuanxin.CategoryDispatched}, p, "")
	checkRow(t, rows[3], 7, nuanxin.Member{Name: "孙七", Sex: nuanxin.Female, BirthDate: date(1988, 7, 7),
		Category: nuanxin.CategoryMigrant}, p, "",
		"C列（身份证号码）|id_number|"+msg("id.excel_zeroed"),
		"F列（手机号码）|phone|"+msg("roster.phone.scientific", "1.38E+10"))
	checkRow(t, rows[4], 8, nuanxin.Member{Name: "郑,十", IDNumber: fxID7, Sex: nuanxin.Male, BirthDate: date(1975, 6, 18),
		Phone: "13800001111", Category: nuanxin.CategoryLaidOff}, p, "")

	b = openFixture(t, "roster-bom.csv")
	rows = readAllMembers(t, b, 0, nil)
	if len(rows) != 3 || rows[0].Row != 2 || rows[0].Member.Notes != "第一行 第二行" || rows[1].Row != 4 || rows[2].Row != 6 {
		t.Errorf("bom: %+v", rows)
	}
}

// csvMembers reads members from CSV text.
func csvMembers(t *testing.T, text string, overrides map[int]Field) ([]*nuanxin.MemberRow, error) {
	t.Helper()
	b := openBytes(t, []byte(text), "t.csv")
	mr, err := OpenMembers(b, 0, overrides)
	if err != nil {
		return nil, err
	}
	var out []*nuanxin.MemberRow
	for {
		r, err := mr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
}

func TestReadMembersRows(t *testing.T) {
	id := fxID1
	t.Run("skips", func(t *testing.T) {
		rows, err := csvMembers(t, "序号,姓名,身份证号码,性别\n"+
			"1,张三,"+id+",男\n"+
			"2,,,\n"+ // only 序号
			" , ,\u3000,\u00a0\n"+ // spaces only
			"序号,姓名,身份证号码,性别\n"+ // the header again, as printed on each page
			"3,李四,"+fxID2+",女\n"+
			"合计：2人,,,\n"+
			",制表人：王五,,审核：赵六\n"+
			"填表日期：2024年3月5日\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Row != 2 || rows[1].Row != 6 {
			for _, r := range rows {
				t.Logf("%d %+v", r.Row, r.Member)
			}
			t.Fatalf("%d rows", len(rows))
		}
	})
	t.Run("a name that looks like a footer word is kept", func(t *testing.T) {
		rows, _ := csvMembers(t, "姓名,身份证号码\n主席,"+id+"\n", nil)
		if len(rows) != 1 || rows[0].Member.Name != "主席" {
			t.Errorf("%+v", rows)
		}
	})
	t.Run("birth and sex against the number", func(t *testing.T) {
		rows, _ := csvMembers(t, "姓名,身份证号码,出生日期,性别\n"+
			"张三,"+id+",1985-03-16,男\n"+
			"张三,"+id+",1985年3月,男\n"+
			"张三,"+id+",1985年4月,男\n"+
			"张三,,1985年4月,男\n", nil)
		if len(rows) != 4 {
			t.Fatal(len(rows))
		}
		if e := errList(rows[0].Errors); len(e) != 1 || e[0] != "C列（出生日期）|birth_date|"+msg("roster.members.birth_mismatch", "1985年3月16日", "1985年3月15日") {
			t.Errorf("mismatch: %q", e)
		}
		if len(rows[1].Errors) != 0 || rows[1].Member.BirthDate != date(1985, 3, 15) {
			t.Errorf("year-month agreeing with the number: %+v %q", rows[1].Member.BirthDate, errList(rows[1].Errors))
		}
		if e := errList(rows[2].Errors); len(e) != 1 || e[0] != "C列（出生日期）|birth_date|"+msg("roster.members.birth_mismatch", "1985年4月", "1985年3月15日") {
			t.Errorf("year-month mismatch: %q", e)
		}
		e := errList(rows[3].Errors)
		if len(e) != 2 || e[0] != "B列（身份证号码）|id_number|"+msg("member.id.required") ||
			e[1] != "!C列（出生日期）|birth_date|"+msg("roster.members.partial_date", "1985年4月", "1985年4月1日") {
			t.Errorf("no number: %q", e)
		}
	})
	t.Run("missing name", func(t *testing.T) {
		rows, _ := csvMembers(t, "姓名,身份证号码\n,"+id+"\n", nil)
		if e := errList(rows[0].Errors); len(e) != 1 || e[0] != "A列（姓名）|name|"+msg("member.name.required") {
			t.Errorf("%q", e)
		}
	})
	t.Run("no name column", func(t *testing.T) {
		_, err := csvMembers(t, "身份证号码,性别\n"+id+",男\n", nil)
		if errKey(err) != "roster.members.no_name_column" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no id column", func(t *testing.T) {
		_, err := csvMembers(t, "姓名,性别,手机\n张三,男,13812345678\n", nil)
		if errKey(err) != "roster.members.no_id_column" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("codes in number cells", func(t *testing.T) {
		cell := func(v string) Cell { return Cell{Value: v, Kind: CellNumber} }
		for in, want := range map[string]string{"1001": "1001", "1001.0": "1001", "1.001E+3": "1001", "1.5": "1.5", "0012": "0012"} {
			if got := numberText(cell(in), in); got != want {
				t.Errorf("numberText(%q) = %q", in, got)
			}
		}
	})
	t.Run("overrides", func(t *testing.T) {
		rows, err := csvMembers(t, "人名,号码,爱好\n张三,"+id+",篮球\n", map[int]Field{0: FieldName, 1: FieldIDNumber, 2: FieldNotes})
		if err != nil || len(rows) != 1 || rows[0].Member.Name != "张三" || rows[0].Member.Notes != "篮球" || len(rows[0].Errors) != 0 {
			t.Errorf("%v %+v", err, rows)
		}
	})
	t.Run("org names keep their punctuation", func(t *testing.T) {
		rows, _ := csvMembers(t, "姓名,身份证号码,所属工会\n张三,"+id+",\"　一车间（东区）分工会 \"\n", nil)
		if len(rows) != 1 || rows[0].OrgRef != "一车间（东区）分工会" || !rows[0].Present["org"] {
			t.Errorf("%+v", rows)
		}
	})
	t.Run("present maps are shared", func(t *testing.T) {
		rows, _ := csvMembers(t, "姓名,身份证号码,备注\n张三,"+id+",\n李四,"+fxID2+",\n王五,"+fxID3+",x\n", nil)
		if fmt.Sprintf("%p", rows[0].Present) != fmt.Sprintf("%p", rows[1].Present) ||
			presentList(rows[2].Present) != "id_number,name,notes" || presentList(rows[0].Present) != "id_number,name" {
			t.Errorf("present: %v %v %v", rows[0].Present, rows[1].Present, rows[2].Present)
		}
	})
}

func TestReadMembersRaw(t *testing.T) {
	b := openFixture(t, "roster-title.xlsx")
	mr, err := OpenMembers(b, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mr.Close()
	if mr.Header().Row != 3 {
		t.Fatal(mr.Header().Row)
	}
	mr.Next()
	mr.Next()
	if raw := mr.Raw(); raw.Num != 5 || raw.Cells[2].Value != "4.30103199007204E+017" || raw.Cells[2].Kind != CellNumber {
		t.Errorf("raw = %+v", raw)
	}
}

func TestRejectedRows(t *testing.T) {
	b := openFixture(t, "roster-title.xlsx")
	var got []string
	err := RejectedRows(b, 0, 3, []int{5, 7, 10, 11, 40}, func(r Row) error {
		got = append(got, values([]Row{r})[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"3:A=序号|B=姓 名|C=*身份证号码(必填)|D=性别|E=出生日期（格式：2024-01-01）|F=民族|G=政治面貌|H=联系电话|I=所在部门|J=岗位(职务)|K=用工性质|L=入会\n时间|M=爱好|N=备注",
		"5:A=#2|B=李四|C=#4.30103199007204E+017|D=女|E=@33074|F=汉族|G=群众|H=138 1234 5679|I=设备部|J=技术员|K=在职|L=2012年5月",
		"10:A=#6|B=孙七|C=#4.30102198807075E+017|D=女|E=1988-07-07 0:00:00|F=汉族|G=群众|H=#15912345678|I=人力资源部|J=主管|K=退休|L=@39668",
		"11:A=#7|B=周八|C=" + fxID6 + "|D=女|E=@29221|F=汉族|G=群众|H=12345|I=销售部|J=销售代表|K=实习生|L=2024-02-30",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	stop := fmt.Errorf("stop")
	if err := RejectedRows(b, 0, 3, []int{5}, func(Row) error { return stop }); err != stop {
		t.Errorf("fn error not returned: %v", err)
	}
}
