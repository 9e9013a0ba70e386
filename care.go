package nuanxin

import (
	"context"
	"io"
	"time"
)

// CareCategory is the kind of a 慰问. The ten below are the ones every union
// uses; a union may add its own (a policy rule with Custom set, for example
// 家属住院) whose code is any lower-case word and whose label the rule gives.
type CareCategory string

const (
	CareBirthday      CareCategory = "birthday"       // 生日
	CareWedding       CareCategory = "wedding"        // 结婚
	CareBirth         CareCategory = "birth"          // 生育
	CareIllness       CareCategory = "illness"        // 生病住院
	CareRetirement    CareCategory = "retirement"     // 退休
	CareDeath         CareCategory = "death"          // 会员去世
	CareRelativeDeath CareCategory = "relative_death" // 直系亲属去世
	CareHoliday       CareCategory = "holiday"        // 节日慰问
	CareHardship      CareCategory = "hardship"       // 困难慰问
	CareOther         CareCategory = "other"          // 其他
)

// CareCategories are the built-in categories in the order forms list them.
var CareCategories = []CareCategory{CareBirthday, CareWedding, CareBirth, CareIllness, CareRetirement,
	CareDeath, CareRelativeDeath, CareHoliday, CareHardship, CareOther}

// Label is the Chinese name; a custom category shows its code until the
// policy that defines it supplies a label (Policy.CategoryLabel).
func (c CareCategory) Label() string {
	if HasMessage("care.category." + string(c)) {
		return T("care.category." + string(c))
	}
	return string(c)
}

// Builtin reports whether c is one of CareCategories.
func (c CareCategory) Builtin() bool { return validEnum(c, CareCategories) }

// ForRelative reports whether the case concerns a 家属 rather than the
// member: the relative must then be named on the case.
func (c CareCategory) ForRelative() bool { return c == CareRelativeDeath }

// CareForm is how a 慰问 is given.
type CareForm string

const (
	FormGoods   CareForm = "goods"   // 实物
	FormCash    CareForm = "cash"    // 慰问金
	FormVoucher CareForm = "voucher" // 蛋糕券/指定商品提货券: a named shop, named goods
	FormCard    CareForm = "card"    // 购物卡/代金券: never allowed for gifts
)

var CareForms = []CareForm{FormGoods, FormCash, FormVoucher, FormCard}

func (f CareForm) Label() string { return T("care.form." + string(f)) }

// Valid reports whether f is one of CareForms.
func (f CareForm) Valid() bool {
	for _, x := range CareForms {
		if x == f {
			return true
		}
	}
	return false
}

// Holiday is one of the seven statutory holidays of 节日慰问.
type Holiday string

const (
	HolidayNewYear    Holiday = "new_year"    // 元旦
	HolidaySpring     Holiday = "spring"      // 春节
	HolidayQingming   Holiday = "qingming"    // 清明
	HolidayLabour     Holiday = "labour"      // 劳动节
	HolidayDragonBoat Holiday = "dragon_boat" // 端午
	HolidayMidAutumn  Holiday = "mid_autumn"  // 中秋
	HolidayNational   Holiday = "national"    // 国庆
)

// Holidays are in calendar order.
var Holidays = []Holiday{HolidayNewYear, HolidaySpring, HolidayQingming, HolidayLabour,
	HolidayDragonBoat, HolidayMidAutumn, HolidayNational}

func (h Holiday) Label() string {
	if h == "" {
		return ""
	}
	return T("holiday." + string(h))
}

// CareStatus is where a case stands in the workflow
// 经办 draft → 提交 → 审核 → 审批 → 发放 → 签收.
type CareStatus string

const (
	CareDraft     CareStatus = "draft"     // 草稿（经办）
	CareSubmitted CareStatus = "submitted" // 已提交，待审核
	CareReviewed  CareStatus = "reviewed"  // 已审核，待审批
	CareApproved  CareStatus = "approved"  // 已审批，待发放
	CarePaid      CareStatus = "paid"      // 已发放，待签收
	CareSigned    CareStatus = "signed"    // 已签收
	CareCancelled CareStatus = "cancelled" // 已作废
)

var CareStatuses = []CareStatus{CareDraft, CareSubmitted, CareReviewed, CareApproved, CarePaid, CareSigned, CareCancelled}

func (s CareStatus) Label() string { return T("care.status." + string(s)) }

// Paid reports whether the money or goods have left: the case counts in
// statistics and against caps.
func (s CareStatus) Paid() bool { return s == CarePaid || s == CareSigned }

// Active reports whether the case is on its way or done (not a draft, not
// cancelled): an active case blocks a duplicate at submit.
func (s CareStatus) Active() bool { return s != CareDraft && s != CareCancelled && s != "" }

// CareAction is a workflow step.
type CareAction string

const (
	ActSubmit  CareAction = "submit"  // 提交 (经办)
	ActReview  CareAction = "review"  // 审核
	ActApprove CareAction = "approve" // 审批
	ActReject  CareAction = "reject"  // 驳回: back one step, with a reason
	ActPay     CareAction = "pay"     // 发放
	ActSign    CareAction = "sign"    // 签收
	ActCancel  CareAction = "cancel"  // 作废 (before payment only)
	ActCreate  CareAction = "create"  // 登记 (history only)
	ActImport  CareAction = "import"  // 历史导入 (history only)
	ActVisit   CareAction = "visit"   // 走访 (history only)
)

func (a CareAction) Label() string { return T("care.action." + string(a)) }

// CareCase is one 慰问 of one member (or of the member's relative).
type CareCase struct {
	ID      int64  `json:"id"`
	OrgID   int64  `json:"org_id"` // the member's org when the case was made
	OrgPath string `json:"-"`
	OrgName string `json:"org_name,omitempty"`

	MemberID       int64        `json:"member_id"`
	MemberName     string       `json:"member_name,omitempty"`
	MemberIDMasked string       `json:"member_id_masked,omitempty"`
	Department     string       `json:"department,omitempty"`
	MemberCategory Category     `json:"member_category,omitempty"` // at the time of the case
	MemberStatus   MemberStatus `json:"-"`
	MemberBirth    Date         `json:"-"`
	RelativeID     int64        `json:"relative_id,omitempty"`
	RelativeName   string       `json:"relative_name,omitempty"`
	Relation       Relation     `json:"relation,omitempty"`

	Category    CareCategory `json:"category"`
	Holiday     Holiday      `json:"holiday,omitempty"`      // 节日慰问 only
	HolidayYear int          `json:"holiday_year,omitempty"` // 节日慰问 only
	EventDate   Date         `json:"event_date"`             // 事件日期: birthday, wedding, admission, death …

	// 生病住院
	Hospital     string `json:"hospital,omitempty"`
	HospitalDays int    `json:"hospital_days,omitempty"`
	Surgery      bool   `json:"surgery,omitempty"`

	Form   CareForm `json:"form"`
	Amount Money    `json:"amount"`          // cash, or the value of the goods
	Goods  string   `json:"goods,omitempty"` // 物品: 蛋糕券一张, 水果一篮 …
	Reason string   `json:"reason,omitempty"`
	Notes  string   `json:"notes,omitempty"`

	// 走访: the visit, which the must-visit list watches.
	VisitedOn  Date   `json:"visited_on,omitempty"`
	VisitedBy  string `json:"visited_by,omitempty"`
	VisitNotes string `json:"visit_notes,omitempty"`

	Status       CareStatus `json:"status"`
	RejectReason string     `json:"reject_reason,omitempty"` // the last 驳回
	CampaignID   int64      `json:"campaign_id,omitempty"`
	// Delivery is what happened at the recipient of a campaign case.
	Delivery   DeliveryOutcome `json:"delivery,omitempty"`
	BatchID    int64           `json:"batch_id,omitempty"` // the payment
	PaidOn     Date            `json:"paid_on,omitempty"`
	SignedOn   Date            `json:"signed_on,omitempty"`
	Historical bool            `json:"historical,omitempty"` // imported record of a past payment
	// Warnings are the policy warnings the case was submitted with; the
	// reviewer and approver see them.
	Warnings []Decision `json:"warnings,omitempty"`

	DraftedBy     int64     `json:"drafted_by"`
	DraftedByName string    `json:"drafted_by_name,omitempty"`
	ReviewedBy    int64     `json:"reviewed_by,omitempty"`
	ApprovedBy    int64     `json:"approved_by,omitempty"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Item is what the 签收表 shows under 金额或物品: "500.00元", the goods,
// or both.
func (c *CareCase) Item() string {
	switch {
	case c.Form == FormCash:
		return T("care.item.cash", c.Amount.Grouped())
	case c.Goods != "" && c.Amount > 0:
		return T("care.item.goods_value", c.Goods, c.Amount.Grouped())
	case c.Goods != "":
		return c.Goods
	}
	return T("care.item.value", c.Amount.Grouped())
}

// Subject is who the 慰问 is for, as a sign-off sheet names it: the member,
// or "张三（父亲 张大山）" for a relative.
func (c *CareCase) Subject() string {
	if c.RelativeID != 0 && c.RelativeName != "" {
		return T("care.subject_relative", c.MemberName, c.Relation.Label(), c.RelativeName)
	}
	return c.MemberName
}

// Proposal is what the policy engine sees of the case.
func (c *CareCase) Proposal() CareProposal {
	return CareProposal{
		CaseID: c.ID, Category: c.Category, Holiday: c.Holiday, HolidayYear: c.HolidayYear,
		EventDate: c.EventDate, Form: c.Form, Amount: c.Amount, Surgery: c.Surgery,
		HospitalDays: c.HospitalDays, RelativeID: c.RelativeID, Relation: c.Relation,
		MemberCategory: c.MemberCategory, MemberStatus: c.MemberStatus, MemberBirth: c.MemberBirth,
	}
}

// Prior is the case as history for the policy engine.
func (c *CareCase) Prior() PriorCase {
	return PriorCase{
		ID: c.ID, Category: c.Category, Holiday: c.Holiday, HolidayYear: c.HolidayYear,
		EventDate: c.EventDate, Amount: c.Amount, RelativeID: c.RelativeID, Status: c.Status,
	}
}

// CareStep is one line of a case's history: every transition is kept.
type CareStep struct {
	ID       int64      `json:"id"`
	CaseID   int64      `json:"case_id"`
	Action   CareAction `json:"action"`
	From     CareStatus `json:"from,omitempty"`
	To       CareStatus `json:"to"`
	Reason   string     `json:"reason,omitempty"`
	UserID   int64      `json:"user_id"`
	Username string     `json:"username"`
	At       time.Time  `json:"at"`
}

// PayMethod is how a payment was made.
type PayMethod string

const (
	PayCash     PayMethod = "cash"     // 现金
	PayTransfer PayMethod = "transfer" // 转账
	PayGoods    PayMethod = "goods"    // 实物
)

var PayMethods = []PayMethod{PayCash, PayTransfer, PayGoods}

func (m PayMethod) Label() string { return T("pay.method." + string(m)) }

// ExpenseHead is a 支出科目 of 《基层工会经费收支管理办法》(总工办发〔2017〕32号).
type ExpenseHead struct {
	Code   string
	Parent string // "" for a top-level head
}

func (h ExpenseHead) Label() string { return T("head." + h.Code) }

// ExpenseHeads are the 2017 heads a 慰问 payment is charged to (the leaves
// a case can use, under their parents).
var ExpenseHeads = []ExpenseHead{
	{"activity", ""}, {"welfare", "activity"}, {"culture", "activity"}, {"education", "activity"}, {"other_activity", "activity"},
	{"rights", ""}, {"warmth", "rights"}, {"hardship_aid", "rights"}, {"labour_protection", "rights"}, {"legal_aid", "rights"}, {"other_rights", "rights"},
	{"business", ""}, {"other", ""},
}

// FindExpenseHead returns the head with code, or false.
func FindExpenseHead(code string) (ExpenseHead, bool) {
	for _, h := range ExpenseHeads {
		if h.Code == code {
			return h, true
		}
	}
	return ExpenseHead{}, false
}

// DefaultHead is the head a category is usually charged to: 送温暖 and
// 困难 to their 维权 heads, the rest to 职工集体福利.
func DefaultHead(c CareCategory) string {
	switch c {
	case CareHardship:
		return "hardship_aid"
	}
	return "welfare"
}

// CareBatch is one payment: one or many approved cases paid together on a
// day, by one method, charged to one head. Its 签收表 and 公示 are printed
// from it and the signed sheet's scan is uploaded back onto it.
type CareBatch struct {
	ID      int64     `json:"id"`
	OrgID   int64     `json:"org_id"`
	OrgPath string    `json:"-"`
	OrgName string    `json:"org_name,omitempty"`
	Title   string    `json:"title"`
	Ref     string    `json:"ref,omitempty"` // 审批编号 / 文号 printed in the sheet's header
	PaidOn  Date      `json:"paid_on"`
	Method  PayMethod `json:"method"`
	Payer   string    `json:"payer"`
	Head    string    `json:"head"`
	Cases   int       `json:"cases"`
	Total   Money     `json:"total"`
	Signed  int       `json:"signed"` // cases signed for
	ScanID  int64     `json:"scan_id,omitempty"`
	// 公示 window, set when the notice is published.
	NoticeFrom      Date      `json:"notice_from,omitempty"`
	NoticeTo        Date      `json:"notice_to,omitempty"`
	CampaignID      int64     `json:"campaign_id,omitempty"`
	CreatedBy       int64     `json:"created_by"`
	CreatedByName   string    `json:"created_by_name,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	ObjectionsUntil Date      `json:"objections_until,omitempty"`
}

// PaymentInput records a payment of approved cases.
type PaymentInput struct {
	CaseIDs []int64
	PaidOn  Date
	Method  PayMethod
	Payer   string
	Head    string
	Title   string // default: the categories and the month
	Ref     string
}

// Attachment is a file on a case or a batch: photos of the visit, the
// signed sheet's scan.
type Attachment struct {
	ID          int64     `json:"id"`
	Owner       string    `json:"owner"` // "case" or "batch"
	OwnerID     int64     `json:"owner_id"`
	Kind        string    `json:"kind"` // photo, scan, other
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxAttachment is the largest file accepted (a phone photo or a scanned
// A4 page fits easily).
const MaxAttachment = 20 << 20

// CareFilter selects cases for the list.
type CareFilter struct {
	OrgID      int64 // subtree root; 0 = whole scope
	MemberID   int64
	Category   CareCategory
	Form       CareForm
	Status     CareStatus
	Statuses   []CareStatus // any of
	From, To   Date         // event date range, inclusive
	Query      string       // member name, pinyin or 工号
	BatchID    int64
	CampaignID int64
	DraftedBy  int64 // user id: 我的草稿
	Offset     int
	Limit      int
}

// CareList is one page of cases.
type CareList struct {
	Cases []*CareCase
	Total int
}

// CareSettings are an org's workflow choices; a subtree inherits the
// nearest ancestor's.
type CareSettings struct {
	OrgID int64 `json:"org_id"`
	// OneStep: a small union approves in one step (提交 → 审批), without 审核.
	OneStep bool `json:"one_step"`
}

// CareCreate are the choices of creating cases.
type CareCreate struct {
	// Submit sends the new cases straight on to review.
	Submit bool
	// AcceptWarnings: the officer has seen the policy warnings and goes on.
	// Without it a case with warnings is not saved and the warnings are
	// returned (a *PolicyError).
	AcceptWarnings bool
}

// CareTodo is what is waiting for the caller: the badges and the
// must-visit list (五必访).
type CareTodo struct {
	ToSubmit  int // my drafts and cases sent back to me
	ToReview  int
	ToApprove int
	ToPay     int
	ToSign    int // paid, not yet signed for
	// MustVisit lists the first MaxMustVisit people of each kind, oldest
	// event first; MustVisitCounts has the full count of each kind.
	MustVisit       []*MustVisit
	MustVisitCounts map[MustVisitKind]int
	// MustVisitCapped marks the kinds counted up to MaxMustVisitCount only
	// (a big subtree's birthdays of the month): shown as "1000+".
	MustVisitCapped map[MustVisitKind]bool
}

// MaxMustVisit bounds each kind of the must-visit list.
const MaxMustVisit = 100

// MaxMustVisitCount bounds the counting of each kind: past it the exact
// number helps nobody and costs a scan of the subtree.
const MaxMustVisitCount = 1000

// MustVisitKind is a line of the 五必访 list.
type MustVisitKind string

const (
	VisitHospital MustVisitKind = "hospital" // in hospital, not yet visited
	VisitDeath    MustVisitKind = "death"    // died, no 慰问 yet
	VisitBirth    MustVisitKind = "birth"    // birth, not yet visited
	VisitWedding  MustVisitKind = "wedding"  // wedding, not yet visited
	VisitBirthday MustVisitKind = "birthday" // birthday this month, nothing given
)

func (k MustVisitKind) Label() string { return T("visit.kind." + string(k)) }

// MustVisit is one person to visit, with the days since the event.
type MustVisit struct {
	Kind       MustVisitKind `json:"kind"`
	MemberID   int64         `json:"member_id"`
	MemberName string        `json:"member_name"`
	OrgName    string        `json:"org_name"`
	CaseID     int64         `json:"case_id,omitempty"`
	EventDate  Date          `json:"event_date"`
	Days       int           `json:"days"` // since the event; negative for a birthday still to come
	Detail     string        `json:"detail,omitempty"`
}

// CareService keeps care cases, their workflow and payments.
type CareService interface {
	FindCareCase(ctx context.Context, s *Scope, id int64) (*CareCase, error)
	FindCareCases(ctx context.Context, s *Scope, f CareFilter) (*CareList, error)
	FindCareSteps(ctx context.Context, s *Scope, caseID int64) ([]*CareStep, error)
	// CheckCare runs the policy on a proposed case (not stored) and returns
	// its decisions, for the form before submit.
	CheckCare(ctx context.Context, s *Scope, c *CareCase) ([]Decision, error)
	// CreateCareCases records new cases (batch entry: ten births this month)
	// all together or none. A case that breaks a rule is refused with a
	// *PolicyError naming the rule and 文号.
	CreateCareCases(ctx context.Context, s *Scope, cases []*CareCase, opt CareCreate) error
	// UpdateCareCase edits a draft (or a case sent back to draft).
	UpdateCareCase(ctx context.Context, s *Scope, c *CareCase, acceptWarnings bool) error
	// TransitionCare moves cases one step (submit, review, approve, reject,
	// cancel), all or none; reason is required for reject and cancel.
	TransitionCare(ctx context.Context, s *Scope, ids []int64, act CareAction, reason string) error
	// PayCare records the payment of approved cases as one batch; the policy
	// is checked again inside the paying transaction.
	PayCare(ctx context.Context, s *Scope, p PaymentInput) (*CareBatch, error)
	// SignCare marks cases of a batch as signed for (all of them when ids is
	// empty).
	SignCare(ctx context.Context, s *Scope, batchID int64, ids []int64, on Date) error
	// RecordVisit records the 走访 of a case.
	RecordVisit(ctx context.Context, s *Scope, caseID int64, on Date, by, notes string) error

	FindCareBatch(ctx context.Context, s *Scope, id int64) (*CareBatch, []*CareCase, error)
	FindCareBatches(ctx context.Context, s *Scope, orgID int64, offset, limit int) ([]*CareBatch, int, error)
	// PublishNotice sets the 公示 period and objection window of a batch.
	PublishNotice(ctx context.Context, s *Scope, batchID int64, from, to Date) error

	AddAttachment(ctx context.Context, s *Scope, a *Attachment, r io.Reader) error
	FindAttachments(ctx context.Context, s *Scope, owner string, ownerID int64) ([]*Attachment, error)
	// OpenAttachment returns the file's bytes and records nothing: opening
	// a photo is not a sensitive read.
	OpenAttachment(ctx context.Context, s *Scope, id int64) (*Attachment, []byte, error)

	CareTodo(ctx context.Context, s *Scope, orgID int64, today Date) (*CareTodo, error)
	// CareTodoCounts is CareTodo without the must-visit list: one grouped
	// query, cheap enough for the menu badge on every page.
	CareTodoCounts(ctx context.Context, s *Scope, orgID int64) (*CareTodo, error)
	// CountCareByStatus counts the cases f selects per status (f.Status
	// and f.Statuses are ignored), for the list's status tabs.
	CountCareByStatus(ctx context.Context, s *Scope, f CareFilter) (map[CareStatus]int, error)
	CareSettings(ctx context.Context, s *Scope, orgID int64) (*CareSettings, error)
	SetCareSettings(ctx context.Context, s *Scope, cs CareSettings) error

	CareImporter
}
