// Package roster reads and writes 会员花名册 files (and reads 慰问登记表,
// the historical care records, with the same machinery) as unions really
// keep them: xlsx from Excel and WPS, CSV in UTF-8 or GB18030, title rows,
// header variants, numbers Excel has damaged. It knows formats and cells,
// never the database.
package roster

import (
	"strings"

	"github.com/nuanxin/nuanxin"
)

// Field is a member field a roster column can hold. The values are the
// nuanxin.Member JSON names, which are also the form and error field names.
type Field string

const (
	FieldName       Field = "name"
	FieldIDNumber   Field = "id_number"
	FieldSex        Field = "sex"
	FieldBirthDate  Field = "birth_date"
	FieldEthnicity  Field = "ethnicity"
	FieldPolitical  Field = "political"
	FieldEducation  Field = "education"
	FieldPhone      Field = "phone"
	FieldCategory   Field = "category"
	FieldDepartment Field = "department"
	FieldPost       Field = "post"
	FieldEmployeeNo Field = "employee_no"
	FieldHireDate   Field = "hire_date"
	FieldJoinDate   Field = "join_date"
	FieldStatus     Field = "status"
	FieldCardNo     Field = "card_no"
	FieldNotes      Field = "notes"
	FieldOrg        Field = "org" // 所属工会: an org name or code under the import's org
)

// MemberFields is the column order of the template and of exports.
var MemberFields = []Field{FieldName, FieldIDNumber, FieldSex, FieldBirthDate, FieldEthnicity, FieldPolitical,
	FieldEducation, FieldPhone, FieldCategory, FieldDepartment, FieldPost, FieldEmployeeNo, FieldHireDate,
	FieldJoinDate, FieldStatus, FieldCardNo, FieldOrg, FieldNotes}

// Title is the canonical Chinese header of the field, as the template writes it.
// The 慰问登记表's own fields (care_*) have their titles among the care messages.
func (f Field) Title() string {
	if k, ok := strings.CutPrefix(string(f), "care_"); ok {
		return nuanxin.T("roster.care.field." + k)
	}
	return nuanxin.T("roster.field." + string(f))
}

// Required reports whether a new member's row must have the field.
func (f Field) Required() bool { return f == FieldName || f == FieldIDNumber }

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.field.name":        "姓名",
		"roster.field.id_number":   "身份证号码",
		"roster.field.sex":         "性别",
		"roster.field.birth_date":  "出生日期",
		"roster.field.ethnicity":   "民族",
		"roster.field.political":   "政治面貌",
		"roster.field.education":   "学历",
		"roster.field.phone":       "手机号码",
		"roster.field.category":    "人员类别",
		"roster.field.department":  "部门",
		"roster.field.post":        "岗位",
		"roster.field.employee_no": "工号",
		"roster.field.hire_date":   "参加工作时间",
		"roster.field.join_date":   "入会时间",
		"roster.field.status":      "会籍状态",
		"roster.field.card_no":     "会员证号",
		"roster.field.notes":       "备注",
		"roster.field.org":         "所属工会",
	})
}
