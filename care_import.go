package nuanxin

import "context"

// CareRow is one data row of a 慰问登记表 (姓名, 身份证号, 类别, 日期, 金额,
// 形式, 经办人, 备注), parsed. The store finds the member by 身份证号 (or by
// name when the file has no number and the name is unique in the subtree).
type CareRow struct {
	Row      int
	Name     string
	IDNumber string // normalised 18 digits, or "" (or masked, from an export)
	Category CareCategory
	// CategoryText is the cell as written, for custom categories the
	// union's policy names (家属住院).
	CategoryText string
	Holiday      Holiday
	Date         Date
	Amount       Money
	Form         CareForm
	Goods        string
	Handler      string // 经办人 as written; kept on the record
	Notes        string
	Errors       []RowError
	Columns      map[string]string
}

// Rejected reports whether the row has an error that is not a warning.
func (r *CareRow) Rejected() bool {
	for _, e := range r.Errors {
		if !e.Warning {
			return true
		}
	}
	return false
}

// CareRowSource streams the rows of a 慰问登记表 in file order.
type CareRowSource interface {
	Next() (*CareRow, error) // io.EOF after the last
}

// CareImportOptions are the choices of one care import.
type CareImportOptions struct {
	OrgID    int64
	DryRun   bool
	Progress func(ImportProgress)
}

// CareImporter enters historical care records as paid (已发放). A rule a
// record breaks is a warning on its row, not a rejection: it happened and
// the record must be true. Importing the same file twice changes nothing
// (a record with the same member, category, date, amount and form is
// unchanged).
type CareImporter interface {
	ImportCare(ctx context.Context, s *Scope, src CareRowSource, opt CareImportOptions) (*ImportReport, error)
}
