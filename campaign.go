package nuanxin

import (
	"context"
	"time"
)

// CampaignKind is the kind of a 专项活动.
type CampaignKind string

const (
	CampaignWarmth     CampaignKind = "warmth"      // 元旦春节送温暖
	CampaignCooling    CampaignKind = "cooling"     // 夏送清凉
	CampaignHoliday    CampaignKind = "holiday"     // 节日慰问
	CampaignStudentAid CampaignKind = "student_aid" // 金秋助学
	CampaignOther      CampaignKind = "other"       // 其他
)

var CampaignKinds = []CampaignKind{CampaignWarmth, CampaignCooling, CampaignHoliday, CampaignStudentAid, CampaignOther}

func (k CampaignKind) Label() string { return T("campaign.kind." + string(k)) }

// CareCategory is the category of the care cases a campaign of this kind
// pays: a holiday campaign is 节日慰问 under the yearly holiday total;
// 送温暖 is 困难慰问; the rest are 其他.
func (k CampaignKind) CareCategory() CareCategory {
	switch k {
	case CampaignHoliday:
		return CareHoliday
	case CampaignWarmth:
		return CareHardship
	}
	return CareOther
}

// CampaignStatus: a campaign is prepared (roster, budget), then its roster
// is approved and distribution runs, then it is closed.
type CampaignStatus string

const (
	CampaignDraft    CampaignStatus = "draft"    // 筹备中
	CampaignApproved CampaignStatus = "approved" // 发放中
	CampaignClosed   CampaignStatus = "closed"   // 已结束
)

func (s CampaignStatus) Label() string { return T("campaign.status." + string(s)) }

// GoodsItem is one line of a campaign's standard per recipient, or of its
// inventory: 藿香正气液 2盒 at 15元.
type GoodsItem struct {
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Qty       int    `json:"qty"` // per recipient
	UnitValue Money  `json:"unit_value"`
}

// Value is Qty × UnitValue.
func (g GoodsItem) Value() Money { return Money(g.Qty) * g.UnitValue }

// CampaignCriteria select the recipients from the subtree's members. All
// conditions hold together; an empty one does not filter.
type CampaignCriteria struct {
	Categories  []Category `json:"categories,omitempty"`  // 人员类别
	Departments []string   `json:"departments,omitempty"` // 部门 (一线, 高温 …), exact names
	// ChildStudent: members with a child aged 17–20 in the campaign's year
	// whose 学校 is recorded (金秋助学 candidates, checked one by one).
	ChildStudent bool `json:"child_student,omitempty"`
	// HardshipTiers: members with an active 困难职工档案 of the campaign's
	// year in one of these tiers (送温暖).
	HardshipTiers []HardshipTier `json:"hardship_tiers,omitempty"`
	// MemberIDs: an uploaded list.
	MemberIDs []int64 `json:"member_ids,omitempty"`
	// IncludeReserved also takes 保留会籍 members; by default only 在会.
	IncludeReserved bool `json:"include_reserved,omitempty"`
}

// Campaign is a 专项活动: who gets what, within which budget.
type Campaign struct {
	ID          int64            `json:"id"`
	OrgID       int64            `json:"org_id"`
	OrgPath     string           `json:"-"`
	OrgName     string           `json:"org_name,omitempty"`
	Name        string           `json:"name"`
	Kind        CampaignKind     `json:"kind"`
	Holiday     Holiday          `json:"holiday,omitempty"`
	HolidayYear int              `json:"holiday_year,omitempty"`
	From        Date             `json:"from"`
	To          Date             `json:"to"`
	Budget      Money            `json:"budget"`
	Cash        Money            `json:"cash"`  // per recipient
	Goods       []GoodsItem      `json:"goods"` // per recipient
	Head        string           `json:"head"`  // expenditure head of its payments
	Criteria    CampaignCriteria `json:"criteria"`
	Status      CampaignStatus   `json:"status"`
	Notes       string           `json:"notes,omitempty"`
	CreatedBy   int64            `json:"created_by"`
	CreatedAt   time.Time        `json:"created_at"`
	Version     int              `json:"version"`
	Allotments  []*Allotment     `json:"allotments,omitempty"`
}

// PerRecipient is the value one recipient gets: cash plus goods.
func (c *Campaign) PerRecipient() Money {
	v := c.Cash
	for _, g := range c.Goods {
		v += g.Value()
	}
	return v
}

// Allotment is a suborg's share of a campaign: its budget and its quota
// of recipients (0 = no quota).
type Allotment struct {
	OrgID   int64  `json:"org_id"`
	OrgPath string `json:"-"`
	OrgName string `json:"org_name,omitempty"`
	Budget  Money  `json:"budget"`
	Quota   int    `json:"quota,omitempty"`
}

// RosterReport is what generating (or adding to) a roster did.
type RosterReport struct {
	Added    int              `json:"added"`
	Already  int              `json:"already"` // on the roster before
	Excluded []RosterExcluded `json:"excluded"`
	Planned  Money            `json:"planned"` // value of the whole roster after
	// OverBudget names the budget lines the roster would exceed if all were
	// delivered (a warning: payment enforces the budget).
	OverBudget []string `json:"over_budget,omitempty"`
}

// RosterExcluded is a member the criteria selected who cannot receive.
type RosterExcluded struct {
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	OrgName  string `json:"org_name"`
	Reason   string `json:"reason"`
}

// Delivery outcomes of a recipient.
type DeliveryOutcome string

const (
	Delivered   DeliveryOutcome = "delivered"   // 已送达
	Refused     DeliveryOutcome = "refused"     // 拒收
	Unreachable DeliveryOutcome = "unreachable" // 联系不上
)

func (o DeliveryOutcome) Label() string { return T("delivery." + string(o)) }

// Delivery records what happened at one recipient.
type Delivery struct {
	CaseID  int64
	Outcome DeliveryOutcome
	Notes   string
}

// DeliveryInput records a round of distribution in one suborg: the
// delivered become one payment batch (its 签收表), the others are closed
// with their outcome.
type DeliveryInput struct {
	CampaignID int64
	On         Date
	Payer      string
	Method     PayMethod
	Deliveries []Delivery
}

// InventoryLine is one goods item of a campaign: received, handed out
// (delivered recipients × quantity), left.
type InventoryLine struct {
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	UnitValue Money  `json:"unit_value"`
	Received  int    `json:"received"`
	HandedOut int    `json:"handed_out"`
	Left      int    `json:"left"`
}

// CampaignLine is one row of a campaign summary: a suborg (or the total).
type CampaignLine struct {
	OrgID       int64  `json:"org_id"`
	OrgName     string `json:"org_name"`
	Budget      Money  `json:"budget"` // allotment; 0 = none
	Quota       int    `json:"quota,omitempty"`
	Planned     int    `json:"planned"` // on the roster, not removed
	Delivered   int    `json:"delivered"`
	Refused     int    `json:"refused"`
	Unreachable int    `json:"unreachable"`
	Pending     int    `json:"pending"`
	Orgs        int    `json:"orgs,omitempty"` // of Planned, organisations
	Cash        Money  `json:"cash"`           // paid
	GoodsValue  Money  `json:"goods_value"`    // paid
}

// Spent is cash plus goods value paid.
func (l CampaignLine) Spent() Money { return l.Cash + l.GoodsValue }

// CampaignSummary is the campaign against its budget, per suborg.
type CampaignSummary struct {
	Campaign  *Campaign       `json:"campaign"`
	Lines     []CampaignLine  `json:"lines"`
	Total     CampaignLine    `json:"total"`
	Inventory []InventoryLine `json:"inventory"`
}

// OrgRecipient is an organisation that receives in a campaign (a
// community gets goods plus cash). It is not a member, so not a care case,
// but it counts against the budget and the responsible suborg's allotment.
type OrgRecipient struct {
	ID          int64           `json:"id"`
	CampaignID  int64           `json:"campaign_id"`
	OrgID       int64           `json:"org_id"` // the suborg that delivers
	OrgPath     string          `json:"-"`
	OrgName     string          `json:"org_name,omitempty"`
	Name        string          `json:"name"` // 某某社区
	Contact     string          `json:"contact,omitempty"`
	Cash        Money           `json:"cash"`
	Goods       string          `json:"goods,omitempty"`
	GoodsValue  Money           `json:"goods_value"`
	Outcome     DeliveryOutcome `json:"outcome,omitempty"` // "" = pending; "removed"
	DeliveredOn Date            `json:"delivered_on,omitempty"`
	Notes       string          `json:"notes,omitempty"`
}

// Value is cash plus goods value.
func (r *OrgRecipient) Value() Money { return r.Cash + r.GoodsValue }

// RemovedOutcome marks an organisation taken off the roster.
const RemovedOutcome DeliveryOutcome = "removed"

// OrgDelivery records what happened at one organisation.
type OrgDelivery struct {
	ID      int64
	Outcome DeliveryOutcome
	Notes   string
}

// CampaignService runs 专项活动 from criteria to ledger. A person's
// payment in a campaign is a care case linked to it, so no figure is
// counted twice.
type CampaignService interface {
	CreateCampaign(ctx context.Context, s *Scope, c *Campaign) error
	UpdateCampaign(ctx context.Context, s *Scope, c *Campaign) error
	FindCampaign(ctx context.Context, s *Scope, id int64) (*Campaign, error)
	FindCampaigns(ctx context.Context, s *Scope, orgID int64) ([]*Campaign, error)
	// GenerateRoster adds every member the criteria select (and the quotas
	// allow) as a draft case of the campaign, each checked against the
	// policy; those refused are reported, not added.
	GenerateRoster(ctx context.Context, s *Scope, campaignID int64) (*RosterReport, error)
	AddRecipient(ctx context.Context, s *Scope, campaignID, memberID int64, reason string) (*RosterReport, error)
	RemoveRecipient(ctx context.Context, s *Scope, caseID int64, reason string) error
	// ApproveCampaign approves the roster in one decision (the chair, not
	// whoever prepared it): every draft case of it becomes 待发放.
	ApproveCampaign(ctx context.Context, s *Scope, campaignID int64) error
	// Deliver records a round of distribution; the payment is checked
	// against the policy, the budget and the suborg's allotment inside the
	// transaction that records it.
	Deliver(ctx context.Context, s *Scope, in DeliveryInput) (*CareBatch, error)
	ReceiveGoods(ctx context.Context, s *Scope, campaignID int64, name string, qty int) error
	CampaignSummary(ctx context.Context, s *Scope, campaignID int64) (*CampaignSummary, error)
	// CampaignRoster streams the roster of a suborg (0 = all) in 签收表
	// order: org, then name; removed people are left out.
	CampaignRoster(ctx context.Context, s *Scope, campaignID, orgID int64, fn func(*CareCase) error) error
	CloseCampaign(ctx context.Context, s *Scope, campaignID int64) error

	AddOrgRecipients(ctx context.Context, s *Scope, campaignID int64, rs []*OrgRecipient) error
	FindOrgRecipients(ctx context.Context, s *Scope, campaignID int64) ([]*OrgRecipient, error)
	// DeliverToOrgs records deliveries to organisations on a day, within
	// the budget lines like Deliver; Outcome RemovedOutcome takes one off.
	DeliverToOrgs(ctx context.Context, s *Scope, campaignID int64, on Date, ds []OrgDelivery) error
}
