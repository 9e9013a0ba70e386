package nuanxin

import (
	"cmp"
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Sex as entered or as derived from the 身份证号.
type Sex string

const (
	Male   Sex = "M"
	Female Sex = "F"
)

func (s Sex) Label() string {
	if s == "" {
		return ""
	}
	return T("sex." + string(s))
}

// Category is the 人员类别.
type Category string

const (
	CategoryActive     Category = "active"     // 在岗
	CategoryLaidOff    Category = "laid_off"   // 歇岗
	CategoryRetired    Category = "retired"    // 退休
	CategoryDispatched Category = "dispatched" // 劳务派遣
	CategoryMigrant    Category = "migrant"    // 农民工
)

var Categories = []Category{CategoryActive, CategoryLaidOff, CategoryRetired, CategoryDispatched, CategoryMigrant}

func (c Category) Label() string { return T("category." + string(c)) }

// MemberStatus is the 会籍状态.
type MemberStatus string

const (
	StatusMember      MemberStatus = "member"      // 在会
	StatusReserved    MemberStatus = "reserved"    // 保留会籍
	StatusTransferred MemberStatus = "transferred" // 转出
	StatusWithdrawn   MemberStatus = "withdrawn"   // 退会
	StatusDeceased    MemberStatus = "deceased"    // 去世
)

var MemberStatuses = []MemberStatus{StatusMember, StatusReserved, StatusTransferred, StatusWithdrawn, StatusDeceased}

func (s MemberStatus) Label() string { return T("status." + string(s)) }

// Relation of a 家属 to the member.
type Relation string

const (
	RelSpouse       Relation = "spouse"        // 配偶
	RelChild        Relation = "child"         // 子女
	RelParent       Relation = "parent"        // 父母
	RelSpouseParent Relation = "spouse_parent" // 配偶父母
)

var Relations = []Relation{RelSpouse, RelChild, RelParent, RelSpouseParent}

func (r Relation) Label() string { return T("relation." + string(r)) }

// Direct reports whether the relative is 直系亲属 (配偶/父母/子女) for the
// purpose of 直系亲属去世慰问.
func (r Relation) Direct() bool { return r == RelSpouse || r == RelChild || r == RelParent }

// EventKind is a lifecycle event of a membership.
type EventKind string

const (
	EventJoin        EventKind = "join"         // 入会
	EventTransferIn  EventKind = "transfer_in"  // 转入
	EventTransferOut EventKind = "transfer_out" // 转出
	EventRetire      EventKind = "retire"       // 退休
	EventReserve     EventKind = "reserve"      // 保留会籍
	EventRestore     EventKind = "restore"      // 恢复会籍
	EventWithdraw    EventKind = "withdraw"     // 退会
	EventDeath       EventKind = "death"        // 去世
)

var EventKinds = []EventKind{EventJoin, EventTransferIn, EventTransferOut, EventRetire, EventReserve, EventRestore, EventWithdraw, EventDeath}

func (k EventKind) Label() string { return T("event." + string(k)) }

// Enumerated text fields offered as choices; free text is still accepted.
var (
	Ethnicities       = []string{"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族"}
	PoliticalStatuses = []string{"中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众"}
	Educations        = []string{"博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "技工学校", "高中", "初中", "小学", "其他"}
)

// Member is a 会员. IDNumber holds the plain 身份证号 only while the record is
// being written or after an audited reveal; otherwise it is empty and
// IDMasked is what is shown.
type Member struct {
	ID         int64        `json:"id"`
	OrgID      int64        `json:"org_id"`
	OrgPath    string       `json:"-"`
	OrgName    string       `json:"org_name,omitempty"`
	Name       string       `json:"name"`
	IDNumber   string       `json:"id_number,omitempty"`
	IDMasked   string       `json:"id_masked"`
	Sex        Sex          `json:"sex"`
	BirthDate  Date         `json:"birth_date"`
	Phone      string       `json:"phone,omitempty"`
	Ethnicity  string       `json:"ethnicity,omitempty"`  // 民族
	Political  string       `json:"political,omitempty"`  // 政治面貌
	Education  string       `json:"education,omitempty"`  // 学历
	Category   Category     `json:"category"`             // 人员类别
	Department string       `json:"department,omitempty"` // 部门
	Post       string       `json:"post,omitempty"`       // 岗位
	EmployeeNo string       `json:"employee_no,omitempty"`
	HireDate   Date         `json:"hire_date,omitempty"` // 参加工作/入职日期
	JoinDate   Date         `json:"join_date,omitempty"` // 入会日期
	Status     MemberStatus `json:"status"`
	CardNo     string       `json:"card_no,omitempty"` // 会员证号
	Notes      string       `json:"notes,omitempty"`
	Pinyin     string       `json:"pinyin,omitempty"` // sort key, full pinyin of the usual reading
	Version    int          `json:"version"`          // optimistic lock: a stale edit is a conflict
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// PhoneMasked is the phone as shown by default: 138****5678.
func (m *Member) PhoneMasked() string { return MaskPhone(m.Phone) }

// Age on a day.
func (m *Member) AgeOn(d Date) int {
	if m.BirthDate.IsZero() {
		return 0
	}
	return m.BirthDate.AgeOn(d)
}

// Normalize trims input and fills what the 身份证号 implies (birth date, sex)
// where the officer left it empty. It is called before Validate.
func (m *Member) Normalize() {
	m.Name = normalizeName(m.Name)
	for _, p := range []*string{&m.Ethnicity, &m.Political, &m.Education, &m.Department, &m.Post, &m.EmployeeNo, &m.CardNo, &m.Notes} {
		*p = strings.TrimSpace(*p)
	}
	m.IDNumber = strings.TrimSpace(m.IDNumber)
	if id, err := ParseIDNumber(m.IDNumber); err == nil {
		m.IDNumber = id.Number
		if m.BirthDate.IsZero() {
			m.BirthDate = id.Birth
		}
		if m.Sex == "" {
			m.Sex = id.Sex
		}
	}
	if p, err := NormalizePhone(m.Phone); err == nil {
		m.Phone = p
	}
	if m.Status == "" {
		m.Status = StatusMember
	}
	if m.Category == "" {
		m.Category = CategoryActive
	}
}

// normalizeName trims and removes inner ASCII/full-width spaces that Excel
// and WPS users type between characters (张 三), but keeps the middle dot of
// minority names (阿卜杜拉·艾则孜).
func normalizeName(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " \u3000\t") {
		return s
	}
	if isHan(s) {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u3000' || r == '\t' {
				return -1
			}
			return r
		}, s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func isHan(s string) bool {
	for _, r := range s {
		if r == ' ' || r == '\u3000' || r == '\t' {
			continue
		}
		if r < 0x3400 || r > 0x9fff {
			return false
		}
	}
	return true
}

// Validate checks every field and returns all problems at once. A new member
// must carry a 身份证号; an existing one may keep the stored number (empty
// IDNumber on update means unchanged).
func (m *Member) Validate(isNew bool, today Date) error {
	var fe FieldErrors
	switch n := utf8.RuneCountInString(m.Name); {
	case n == 0:
		fe.Add("name", "member.name.required")
	case n > 40:
		fe.Add("name", "member.name.too_long")
	case strings.ContainsAny(m.Name, "0123456789<>\"'`;"):
		fe.Add("name", "member.name.bad_chars")
	}
	if m.IDNumber == "" {
		if isNew {
			fe.Add("id_number", "member.id.required")
		}
	} else if id, err := parseIDNumber(m.IDNumber, cmp.Or(today, Today())); err != nil {
		fe = append(fe, &Error{Code: EINVALID, Field: "id_number", Key: keyOf(err), Args: argsOf(err)})
	} else {
		if !m.BirthDate.IsZero() && m.BirthDate != id.Birth {
			fe.Add("birth_date", "member.birth.mismatch", id.Birth.String())
		}
		if m.Sex != "" && m.Sex != id.Sex {
			fe.Add("sex", "member.sex.mismatch", id.Sex.Label())
		}
	}
	if m.Sex != "" && m.Sex != Male && m.Sex != Female {
		fe.Add("sex", "member.sex.invalid")
	}
	if !m.BirthDate.IsZero() && m.BirthDate.After(today) {
		fe.Add("birth_date", "member.date.future")
	}
	if m.Phone != "" {
		if _, err := NormalizePhone(m.Phone); err != nil {
			fe = append(fe, &Error{Code: EINVALID, Field: "phone", Key: keyOf(err), Args: argsOf(err)})
		}
	}
	if !validEnum(m.Category, Categories) {
		fe.Add("category", "member.category.invalid")
	}
	if !validEnum(m.Status, MemberStatuses) {
		fe.Add("status", "member.status.invalid")
	}
	for _, d := range []struct {
		field string
		date  Date
	}{{"hire_date", m.HireDate}, {"join_date", m.JoinDate}} {
		if d.date.IsZero() {
			continue
		}
		if d.date.After(today) {
			fe.Add(d.field, "member.date.future")
		} else if !m.BirthDate.IsZero() && d.date.Before(m.BirthDate.AddDays(365*14)) {
			fe.Add(d.field, "member.date.too_young")
		}
	}
	for _, f := range []struct {
		field, value string
		max          int
	}{{"ethnicity", m.Ethnicity, 20}, {"political", m.Political, 20}, {"education", m.Education, 20},
		{"department", m.Department, 100}, {"post", m.Post, 100}, {"employee_no", m.EmployeeNo, 40},
		{"card_no", m.CardNo, 40}, {"notes", m.Notes, 2000}} {
		if utf8.RuneCountInString(f.value) > f.max {
			fe.Add(f.field, "err.too_long", f.max)
		}
	}
	return fe.Err()
}

func validEnum[T comparable](v T, all []T) bool {
	for _, a := range all {
		if a == v {
			return true
		}
	}
	return false
}

func keyOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Key
	}
	return "err.bad_request"
}

func argsOf(err error) []any {
	if e, ok := err.(*Error); ok {
		return e.Args
	}
	return nil
}

// Relative is a 家属 of a member.
type Relative struct {
	ID        int64    `json:"id"`
	MemberID  int64    `json:"member_id"`
	Relation  Relation `json:"relation"`
	Name      string   `json:"name"`
	IDNumber  string   `json:"id_number,omitempty"`
	IDMasked  string   `json:"id_masked,omitempty"`
	Sex       Sex      `json:"sex,omitempty"`
	BirthDate Date     `json:"birth_date,omitempty"`
	School    string   `json:"school,omitempty"` // children: school or university
	Phone     string   `json:"phone,omitempty"`
	Notes     string   `json:"notes,omitempty"`
}

// Normalize fills birth date and sex from the 身份证号 where empty.
func (r *Relative) Normalize() {
	r.Name = normalizeName(r.Name)
	r.School = strings.TrimSpace(r.School)
	r.Notes = strings.TrimSpace(r.Notes)
	r.IDNumber = strings.TrimSpace(r.IDNumber)
	if id, err := ParseIDNumber(r.IDNumber); err == nil {
		r.IDNumber = id.Number
		if r.BirthDate.IsZero() {
			r.BirthDate = id.Birth
		}
		if r.Sex == "" {
			r.Sex = id.Sex
		}
	}
	if p, err := NormalizePhone(r.Phone); err == nil {
		r.Phone = p
	}
}

// Validate checks a relative. The 身份证号 is optional (young children and
// elderly parents often have none on file) but must be valid when given.
func (r *Relative) Validate(today Date) error {
	var fe FieldErrors
	if n := utf8.RuneCountInString(r.Name); n == 0 {
		fe.Add("name", "member.name.required")
	} else if n > 40 {
		fe.Add("name", "member.name.too_long")
	}
	if !validEnum(r.Relation, Relations) {
		fe.Add("relation", "relative.relation.invalid")
	}
	if r.IDNumber != "" {
		if id, err := ParseIDNumber(r.IDNumber); err != nil {
			fe = append(fe, &Error{Code: EINVALID, Field: "id_number", Key: keyOf(err), Args: argsOf(err)})
		} else if !r.BirthDate.IsZero() && r.BirthDate != id.Birth {
			fe.Add("birth_date", "member.birth.mismatch", id.Birth.String())
		}
	}
	if !r.BirthDate.IsZero() && r.BirthDate.After(today) {
		fe.Add("birth_date", "member.date.future")
	}
	if r.Phone != "" {
		if _, err := NormalizePhone(r.Phone); err != nil {
			fe = append(fe, &Error{Code: EINVALID, Field: "phone", Key: keyOf(err), Args: argsOf(err)})
		}
	}
	if utf8.RuneCountInString(r.School) > 100 {
		fe.Add("school", "err.too_long", 100)
	}
	return fe.Err()
}

// MemberEvent is one line of a membership's history. Events are appended,
// never edited, so the history stays true.
type MemberEvent struct {
	ID        int64     `json:"id"`
	MemberID  int64     `json:"member_id"`
	Kind      EventKind `json:"kind"`
	Date      Date      `json:"date"`
	FromOrgID int64     `json:"from_org_id,omitempty"`
	ToOrgID   int64     `json:"to_org_id,omitempty"`
	FromOrg   string    `json:"from_org,omitempty"`
	ToOrg     string    `json:"to_org,omitempty"`
	Notes     string    `json:"notes,omitempty"`
	By        string    `json:"by,omitempty"` // username who recorded it
	CreatedAt time.Time `json:"created_at"`
}

// MemberFilter is the member list's filter bar.
type MemberFilter struct {
	OrgID      int64 // subtree root; 0 = the whole scope
	Query      string
	Category   Category
	Status     MemberStatus
	Sex        Sex
	AgeMin     int // inclusive, 0 = none
	AgeMax     int // inclusive, 0 = none
	BirthMonth int // 1..12, 0 = any
	Offset     int
	Limit      int
	Today      Date // for age bands; zero = Today()
}

// MemberList is one page of members. Total is exact up to TotalCap; beyond it
// TotalCapped is set and the page shows "N+" (counting a million rows for
// every keystroke buys nothing).
type MemberList struct {
	Members     []*Member
	Total       int
	TotalCapped bool
}

// MemberCounts are the roster figures of a subtree: how many members in
// each 会籍状态, and how many 在会 members in each 人员类别.
type MemberCounts struct {
	Total      int
	ByStatus   map[MemberStatus]int
	ByCategory map[Category]int // 在会 members only
}

// MemberEventInput records a lifecycle event through MemberService.RecordEvent.
type MemberEventInput struct {
	Kind    EventKind
	Date    Date
	ToOrgID int64 // transfer_out within the caller's scope moves the member
	Notes   string
}

// MemberService keeps members, relatives and their history.
type MemberService interface {
	FindMemberByID(ctx context.Context, s *Scope, id int64) (*Member, error)
	FindMembers(ctx context.Context, s *Scope, f MemberFilter) (*MemberList, error)
	// CountMembers counts the members of a subtree (0 = the whole scope) by
	// status and category in one pass.
	CountMembers(ctx context.Context, s *Scope, orgID int64) (*MemberCounts, error)
	// CreateMember adds a member. A 身份证号 already on record anywhere is a
	// conflict; if that member was released (转出/退会) the error says the
	// member can be received with ReceiveMember.
	CreateMember(ctx context.Context, s *Scope, m *Member) error
	// UpdateMember saves edits; m.Version must match the stored one.
	UpdateMember(ctx context.Context, s *Scope, m *Member) error
	// RevealIDNumber returns the plain 身份证号 and writes an audit event.
	RevealIDNumber(ctx context.Context, s *Scope, memberID int64, reason string) (string, error)
	// RecordEvent appends a lifecycle event and applies it (status, org).
	RecordEvent(ctx context.Context, s *Scope, memberID int64, in MemberEventInput) (*MemberEvent, error)
	// ReceiveMember takes a member released by another org (status 转出 or
	// 退会) into toOrgID by 身份证号: a transfer, never a duplicate.
	ReceiveMember(ctx context.Context, s *Scope, idNumber string, toOrgID int64, on Date) (*Member, error)
	FindMemberEvents(ctx context.Context, s *Scope, memberID int64) ([]*MemberEvent, error)
	// ExportMembers streams every member f selects, in roster order, and
	// audits the export; Unmasked needs the reveal permission and a reason
	// and fills IDNumber.
	ExportMembers(ctx context.Context, s *Scope, f MemberFilter, x MemberExport, fn func(*Member) error) (int, error)
	MemberImporter

	FindRelatives(ctx context.Context, s *Scope, memberID int64) ([]*Relative, error)
	CreateRelative(ctx context.Context, s *Scope, r *Relative) error
	UpdateRelative(ctx context.Context, s *Scope, r *Relative) error
	DeleteRelative(ctx context.Context, s *Scope, memberID, relativeID int64) error
}

// MemberExport says how a roster leaves the system: masked by default;
// with the full 身份证号 only for a stated, audited reason.
type MemberExport struct {
	Unmasked bool
	Reason   string
	Format   string // xlsx, csv or print, for the audit log
}

// MemberRecord is a member with relatives, as bulk loaders (demo generator,
// roster import) produce them.
type MemberRecord struct {
	Member    *Member
	Relatives []*Relative
	// Events after 入会 (which the writer records itself from JoinDate),
	// in date order: 退休, 转出, 去世 … so the history matches the status.
	Events []*MemberEvent
}

// BulkMemberWriter inserts many new members fast, in batches inside one
// transaction each. Records must be valid and normalised already.
type BulkMemberWriter interface {
	BulkCreateMembers(ctx context.Context, s *Scope, recs []MemberRecord) error
}
