package nuanxin

import (
	"context"
	"fmt"
	"io"
)

// RowError is one problem with one row of an imported file, located the way
// the officer sees it in Excel: row number as Excel shows it, the column
// (letter and the header as written in the file) and a Chinese reason that
// says what to do. A Warning does not stop the row (historical care
// records, for instance, are stored even when they broke a rule).
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Reason  string `json:"reason"`
	Field   string `json:"-"`
	Warning bool   `json:"-"`
}

// ColumnLabel is how a column is named in reports: "C列（身份证号码）".
func ColumnLabel(letter, header string) string {
	switch {
	case letter == "" && header == "":
		return ""
	case header == "":
		return T("import.column", letter)
	case letter == "":
		return header
	}
	return T("import.column_header", letter, header)
}

func (e RowError) String() string {
	if e.Column == "" {
		return T("import.row_error", e.Row, e.Reason)
	}
	return T("import.row_col_error", e.Row, e.Column, e.Reason)
}

// ImportOutcome is what an import does (or, on a dry run, would do) with a row.
type ImportOutcome string

const (
	OutcomeCreated   ImportOutcome = "created"   // 新增
	OutcomeUpdated   ImportOutcome = "updated"   // 更新
	OutcomeUnchanged ImportOutcome = "unchanged" // 无变化
	OutcomeRejected  ImportOutcome = "rejected"  // 未导入
)

func (o ImportOutcome) Label() string { return T("import.outcome." + string(o)) }

// FieldChange is one field an update changes, for the preview and the audit log.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// ImportRowResult is the outcome of one row, kept for the preview (the
// first MaxPreviewRows of each outcome) and for the rejected-rows file.
type ImportRowResult struct {
	Row      int           `json:"row"`
	Outcome  ImportOutcome `json:"outcome"`
	MemberID int64         `json:"member_id,omitempty"`
	Name     string        `json:"name"`
	IDMasked string        `json:"id_masked,omitempty"`
	Changes  []FieldChange `json:"changes,omitempty"`
	// Transfer is set when the person belongs to an org outside the
	// import's subtree: a 转会 candidate, never a duplicate.
	Transfer string `json:"transfer,omitempty"`
}

// MaxPreviewRows bounds the rows of each outcome an ImportReport keeps.
const MaxPreviewRows = 200

// ImportReport is the result of a dry run or a commit. Errors holds every
// rejected row's reasons (a row may have several) and the warnings.
type ImportReport struct {
	DryRun    bool              `json:"dry_run"`
	Total     int               `json:"total"`
	Created   int               `json:"created"`
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Rejected  int               `json:"rejected"`
	Transfers int               `json:"transfers"`
	Errors    []RowError        `json:"errors"`
	Preview   []ImportRowResult `json:"preview,omitempty"`
	// RejectedRows are the Excel row numbers of the rejected rows, in file
	// order, so the rejected-rows workbook can be cut from the source file.
	RejectedRows []int `json:"rejected_rows,omitempty"`
	// Notes are about the file as a whole: which sheet and header row were
	// read, columns not imported, hidden sheets skipped.
	Notes []string `json:"notes,omitempty"`
}

// Add counts one row's outcome and keeps it for the preview while there is room.
func (r *ImportReport) Add(res ImportRowResult) {
	r.Total++
	n := 0
	switch res.Outcome {
	case OutcomeCreated:
		r.Created++
		n = r.Created
	case OutcomeUpdated:
		r.Updated++
		n = r.Updated
	case OutcomeUnchanged:
		r.Unchanged++
		n = r.Unchanged
	case OutcomeRejected:
		r.Rejected++
		n = r.Rejected
		r.RejectedRows = append(r.RejectedRows, res.Row)
		if res.Transfer != "" {
			r.Transfers++
		}
	}
	if n <= MaxPreviewRows {
		r.Preview = append(r.Preview, res)
	}
}

// Summary is the one-line Chinese summary of a report.
func (r *ImportReport) Summary() string {
	key := "import.summary"
	if r.DryRun {
		key = "import.summary_dry"
	}
	return T(key, r.Total, r.Created, r.Updated, r.Unchanged, r.Rejected)
}

// ImportProgress is what a running import reports as it goes.
type ImportProgress struct {
	Phase string // "read" while parsing and checking, "write" while writing
	Rows  int    // rows done so far
	Total int    // rows in the file when known (0 while unknown)
}

// MemberRow is one data row of a roster file converted to a Member. Present
// says which fields had a column and a non-empty cell: an import never
// blanks a stored field because a cell was empty. OrgRef is the 所属工会
// cell (an org name or code under the import's org), if the file has one.
type MemberRow struct {
	Row     int
	Member  Member
	Present map[string]bool
	OrgRef  string
	Errors  []RowError // problems found while parsing the cells
	// Columns names the column of each field ("C列（身份证号码）"), the same
	// map for every row of a file, so later checks point where the reader did.
	Columns map[string]string
}

// Rejected reports whether the row has an error that is not a warning.
func (r *MemberRow) Rejected() bool {
	for _, e := range r.Errors {
		if !e.Warning {
			return true
		}
	}
	return false
}

// MemberRowSource streams the rows of a roster file in file order.
type MemberRowSource interface {
	// Next returns the next row, or io.EOF after the last.
	Next() (*MemberRow, error)
}

// MemberImportOptions are the choices of one import.
type MemberImportOptions struct {
	OrgID    int64
	DryRun   bool
	Progress func(ImportProgress)
	// Expected is the number of rows the file holds, when known (from a
	// dry run or the sheet's dimension): it sizes progress reports and
	// lets a large first import build indexes once instead of row by row.
	Expected int
}

// MemberImporter applies a roster to the members of an org subtree: matched
// by 身份证号 (then by 工号 within the org), created, updated or left
// alone, all valid rows in one transaction or none.
type MemberImporter interface {
	ImportMembers(ctx context.Context, s *Scope, src MemberRowSource, opt MemberImportOptions) (*ImportReport, error)
}

// SliceRows is a MemberRowSource over rows already in memory (tests, the API).
type SliceRows struct {
	Rows []*MemberRow
	i    int
}

func (s *SliceRows) Next() (*MemberRow, error) {
	if s.i >= len(s.Rows) {
		return nil, io.EOF
	}
	s.i++
	return s.Rows[s.i-1], nil
}

// ColumnLetter is the Excel column name of a 0-based index: 0 → A, 26 → AA.
func ColumnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = fmt.Sprintf("%c", 'A'+(i-1)%26) + s
	}
	return s
}

// ApplyImport copies the fields an imported row has (present) onto m, the
// stored member, and returns what changed, for the preview and the audit
// log. Empty cells never blank a stored field. The 身份证号 is the match key
// and the org and 会籍状态 change through lifecycle events, so neither is
// copied here; phones in the changes are masked.
func (m *Member) ApplyImport(in *Member, present map[string]bool) []FieldChange {
	var ch []FieldChange
	str := func(field string, dst *string, v string, show func(string) string) {
		if !present[field] || *dst == v {
			return
		}
		if show == nil {
			show = func(s string) string { return s }
		}
		ch = append(ch, FieldChange{Field: field, Old: show(*dst), New: show(v)})
		*dst = v
	}
	date := func(field string, dst *Date, v Date) {
		if !present[field] || *dst == v {
			return
		}
		ch = append(ch, FieldChange{Field: field, Old: dst.String(), New: v.String()})
		*dst = v
	}
	str("name", &m.Name, in.Name, nil)
	if present["sex"] && m.Sex != in.Sex {
		ch = append(ch, FieldChange{Field: "sex", Old: m.Sex.Label(), New: in.Sex.Label()})
		m.Sex = in.Sex
	}
	date("birth_date", &m.BirthDate, in.BirthDate)
	str("ethnicity", &m.Ethnicity, in.Ethnicity, nil)
	str("political", &m.Political, in.Political, nil)
	str("education", &m.Education, in.Education, nil)
	str("phone", &m.Phone, in.Phone, MaskPhone)
	if present["category"] && m.Category != in.Category {
		ch = append(ch, FieldChange{Field: "category", Old: m.Category.Label(), New: in.Category.Label()})
		m.Category = in.Category
	}
	str("department", &m.Department, in.Department, nil)
	str("post", &m.Post, in.Post, nil)
	str("employee_no", &m.EmployeeNo, in.EmployeeNo, nil)
	date("hire_date", &m.HireDate, in.HireDate)
	date("join_date", &m.JoinDate, in.JoinDate)
	str("card_no", &m.CardNo, in.CardNo, nil)
	str("notes", &m.Notes, in.Notes, nil)
	return ch
}
