package roster

import (
	"reflect"
	"strings"
	"testing"
)

func TestMatchHeader(t *testing.T) {
	for title, want := range map[string]Field{
		"姓名": FieldName, "姓 名": FieldName, "姓\u3000名": FieldName, " 职工姓名 ": FieldName, "*姓名": FieldName, "＊姓名": FieldName,
		"姓名*": FieldName, "姓名：": FieldName, "员工姓名": FieldName, "名字": FieldName,
		"身份证号码(必填)": FieldIDNumber, "身份证号码（必填）": FieldIDNumber, "*身份证号码\n(18位)": FieldIDNumber,
		"公民身份号码": FieldIDNumber, "身份证": FieldIDNumber, "证件号码": FieldIDNumber, "身份证件号码": FieldIDNumber,
		"【必填】身份证号": FieldIDNumber,
		"性别":       FieldSex, "出生日期（格式：2024-01-01）": FieldBirthDate, "出生年月": FieldBirthDate, "出生年月日": FieldBirthDate,
		"生日": FieldBirthDate, "出生日期:yyyy-mm-dd": FieldBirthDate,
		"民族": FieldEthnicity, "政治面貌": FieldPolitical, "学历": FieldEducation, "文化程度": FieldEducation, "最高学历": FieldEducation,
		"手机": FieldPhone, "手机号": FieldPhone, "手机号码": FieldPhone, "联系电话": FieldPhone, "电话": FieldPhone,
		"联系方式": FieldPhone, "移动电话": FieldPhone, "联系电话（手机）": FieldPhone,
		"人员类别": FieldCategory, "用工性质": FieldCategory, "用工形式": FieldCategory, "人员性质": FieldCategory, "职工类别": FieldCategory,
		"部门": FieldDepartment, "所在部门": FieldDepartment, "所属部门": FieldDepartment, "单位部门": FieldDepartment,
		"科室": FieldDepartment, "车间": FieldDepartment,
		"岗位": FieldPost, "职务": FieldPost, "工种": FieldPost, "岗位(职务)": FieldPost, "岗位（职务）": FieldPost,
		"工号": FieldEmployeeNo, "员工编号": FieldEmployeeNo, "职工编号": FieldEmployeeNo, "员工号": FieldEmployeeNo, "人员编号": FieldEmployeeNo,
		"参加工作时间": FieldHireDate, "参加工作日期": FieldHireDate, "入职时间": FieldHireDate, "入职日期": FieldHireDate, "工作时间": FieldHireDate,
		"入会时间": FieldJoinDate, "入会日期": FieldJoinDate, "入会年月": FieldJoinDate, "入会\n时间": FieldJoinDate,
		"会籍状态": FieldStatus, "会员状态": FieldStatus, "状态": FieldStatus,
		"会员证号": FieldCardNo, "会员卡号": FieldCardNo, "会员证编号": FieldCardNo,
		"备注": FieldNotes, "说明": FieldNotes,
		"所属工会": FieldOrg, "工会组织": FieldOrg, "所在工会": FieldOrg, "分工会": FieldOrg, "工会小组": FieldOrg, "基层工会": FieldOrg,
		"序号": fieldIgnore, "编号": fieldIgnore, "NO.": fieldIgnore, "No": fieldIgnore,
		"爱好": "", "": "", "()": "", "XX公司工会会员花名册": "", "填报单位：XX公司工会": "",
	} {
		if got := matchHeader(title); got != want {
			t.Errorf("matchHeader(%q) = %q, want %q", title, got, want)
		}
	}
}

func textRows(lines ...string) []Row {
	var out []Row
	for i, l := range lines {
		r := Row{Num: i + 1}
		if l != "" {
			for _, v := range strings.Split(l, ",") {
				k := CellText
				if v == "" {
					k = CellEmpty
				}
				r.Cells = append(r.Cells, Cell{Value: v, Kind: k})
			}
		}
		out = append(out, r)
	}
	return out
}

func fieldsOf(cols []Column) string {
	var b []string
	for _, c := range cols {
		b = append(b, c.Letter+":"+string(c.Field))
	}
	return strings.Join(b, " ")
}

func TestDetectHeaderFixtures(t *testing.T) {
	for _, tc := range []struct {
		file                           string
		sheet                          int
		row                            int
		columns, unknown, dup, ignored string
		wantErr                        string
		titleOf                        Field
		title                          string
	}{
		{file: "roster-title.xlsx", row: 3,
			columns: "A: B:name C:id_number D:sex E:birth_date F:ethnicity G:political H:phone I:department J:post K:category L:join_date M: N:notes",
			unknown: "M:", ignored: "A:", titleOf: FieldIDNumber, title: "*身份证号码(必填)"},
		{file: "roster-sheets.xlsx", sheet: 2, row: 8,
			columns: "A:employee_no B:name C:phone D:department E:id_number F:sex G:birth_date H:hire_date I:status J:org K:card_no L:",
			ignored: "L:", titleOf: FieldIDNumber, title: "＊公民身份号码"},
		{file: "roster-sheets.xlsx", sheet: 3, row: 1,
			columns: "A:name B:id_number C:sex D:birth_date E:category F:phone G:notes"},
		{file: "roster-sheets.xlsx", sheet: 1, row: 1, columns: "A:name B:id_number"},
		{file: "roster-sheets.xlsx", sheet: 0, wantErr: "roster.header.not_found"},
		{file: "roster-gb18030.csv", row: 2, columns: "A: B:name C:id_number D:sex E:birth_date F:phone G:category", ignored: "A:"},
		{file: "roster-bom.csv", row: 1, columns: "A:name B:id_number C:sex D:birth_date E:notes"},
	} {
		b := openFixture(t, tc.file)
		rows, err := b.Rows(tc.sheet)
		if err != nil {
			t.Fatal(err)
		}
		head, err := Head(rows, HeaderScanRows)
		rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		h, err := DetectHeader(head, nil)
		if tc.wantErr != "" {
			if errKey(err) != tc.wantErr {
				t.Errorf("%s/%d: err = %v", tc.file, tc.sheet, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s/%d: %v", tc.file, tc.sheet, err)
		}
		if h.Row != tc.row || fieldsOf(h.Columns) != tc.columns || fieldsOf(h.Unknown) != tc.unknown ||
			fieldsOf(h.Duplicate) != tc.dup || fieldsOf(h.Ignored) != tc.ignored {
			t.Errorf("%s/%d: row %d\ncolumns %s\nunknown %s\ndup %s\nignored %s", tc.file, tc.sheet, h.Row,
				fieldsOf(h.Columns), fieldsOf(h.Unknown), fieldsOf(h.Duplicate), fieldsOf(h.Ignored))
		}
		if tc.titleOf != "" {
			if c, ok := h.Column(tc.titleOf); !ok || c.Title != tc.title {
				t.Errorf("%s: title of %s = %q", tc.file, tc.titleOf, c.Title)
			}
		}
	}
}

func TestDetectHeader(t *testing.T) {
	t.Run("duplicates", func(t *testing.T) {
		h, err := DetectHeader(textRows("姓名,身份证号码,联系电话,手机号码,姓名"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if fieldsOf(h.Columns) != "A:name B:id_number C:phone D: E:" || fieldsOf(h.Duplicate) != "D:phone E:name" {
			t.Errorf("columns %s dup %s", fieldsOf(h.Columns), fieldsOf(h.Duplicate))
		}
		if !h.Has(FieldPhone) || h.Has(FieldNotes) {
			t.Error("Has")
		}
		if c, _ := h.Column(FieldPhone); c.Label() != "C列（联系电话）" {
			t.Errorf("label %q", c.Label())
		}
	})
	t.Run("most recognised row wins", func(t *testing.T) {
		h, err := DetectHeader(textRows("姓名,身份证号", "", "序号,姓名,身份证号码,性别,出生日期"), nil)
		if err != nil || h.Row != 3 {
			t.Fatalf("%v %v", h, err)
		}
	})
	t.Run("needs name or id", func(t *testing.T) {
		_, err := DetectHeader(textRows("性别,民族,部门,岗位"), nil)
		if errKey(err) != "roster.header.not_found" {
			t.Errorf("err = %v", err)
		}
		_, err = DetectHeader(textRows("姓名,爱好"), nil)
		if errKey(err) != "roster.header.not_found" {
			t.Errorf("one field: err = %v", err)
		}
	})
	t.Run("only the first ten non-empty rows", func(t *testing.T) {
		lines := []string{}
		for i := 0; i < 10; i++ {
			lines = append(lines, "说明", "")
		}
		lines = append(lines, "姓名,身份证号码")
		if _, err := DetectHeader(textRows(lines...), nil); errKey(err) != "roster.header.not_found" {
			t.Errorf("11th non-empty row taken as header: %v", err)
		}
		h, err := DetectHeader(textRows(append(lines[2:], "")...), nil)
		if err != nil || h.Row != 19 {
			t.Errorf("10th non-empty row: %v %v", h, err)
		}
	})
	t.Run("overrides", func(t *testing.T) {
		// Headers no alias knows become readable with the officer's mapping.
		rows := textRows("标题", "人名,号码,电话,部门,备注,爱好")
		if _, err := DetectHeader(rows, nil); err == nil {
			t.Fatal("no header without mapping")
		}
		h, err := DetectHeader(rows, map[int]Field{0: FieldName, 1: FieldIDNumber, 4: "", 5: FieldNotes})
		if err != nil {
			t.Fatal(err)
		}
		if h.Row != 2 || fieldsOf(h.Columns) != "A:name B:id_number C:phone D:department E: F:notes" ||
			fieldsOf(h.Ignored) != "E:" || len(h.Duplicate) != 0 || len(h.Unknown) != 0 {
			t.Errorf("row %d columns %s ignored %s dup %s unknown %s", h.Row, fieldsOf(h.Columns), fieldsOf(h.Ignored),
				fieldsOf(h.Duplicate), fieldsOf(h.Unknown))
		}
		// A mapping wins over an alias: the alias column becomes the duplicate.
		h, err = DetectHeader(textRows("姓名,身份证号码,联系电话,手机号码"), map[int]Field{3: FieldPhone, 0: "name"})
		if err != nil {
			t.Fatal(err)
		}
		if fieldsOf(h.Columns) != "A:name B:id_number C: D:phone" || fieldsOf(h.Duplicate) != "C:phone" {
			t.Errorf("columns %s dup %s", fieldsOf(h.Columns), fieldsOf(h.Duplicate))
		}
		// A mapping of an unknown field name is not trusted.
		h, _ = DetectHeader(textRows("姓名,身份证号码,xx"), map[int]Field{2: "salary"})
		if fieldsOf(h.Unknown) != "C:" || h.Columns[2].Field != "" {
			t.Errorf("unknown mapping: %s", fieldsOf(h.Columns))
		}
		// A mapping for a column with no title still names the column.
		h, _ = DetectHeader(textRows("姓名,身份证号码,,"), map[int]Field{3: FieldPhone})
		if c, ok := h.Column(FieldPhone); !ok || c.Letter != "D" || c.Title != "" || c.Label() != "D列" {
			t.Errorf("untitled mapped column: %+v", c)
		}
	})
	t.Run("stable order", func(t *testing.T) {
		a, _ := DetectHeader(textRows("姓名,身份证号码,电话"), map[int]Field{2: FieldPhone, 1: FieldIDNumber})
		for i := 0; i < 20; i++ {
			b, _ := DetectHeader(textRows("姓名,身份证号码,电话"), map[int]Field{2: FieldPhone, 1: FieldIDNumber})
			if !reflect.DeepEqual(a, b) {
				t.Fatal("DetectHeader depends on map order")
			}
		}
	})
}
