package nuanxin

import (
	"context"
	"time"
)

// HardshipTier is the tier of a 困难职工档案 (常态化帮扶): 深度困难 when the
// household's disposable income less rigid expenses, per month and head,
// is below the local 低保; 相对困难 below twice it; 意外致困 after a disaster,
// accident or serious illness costing more than 80% of a year's income.
type HardshipTier string

const (
	TierDeep     HardshipTier = "deep"     // 深度困难
	TierRelative HardshipTier = "relative" // 相对困难
	TierAccident HardshipTier = "accident" // 意外致困
)

var HardshipTiers = []HardshipTier{TierDeep, TierRelative, TierAccident}

func (t HardshipTier) Label() string { return T("hardship.tier." + string(t)) }

// HardshipFile is a member's 困难职工档案 for a year: 建档 with the tier and
// the basis it was assessed on, then 解困/脱困 when it ends. Campaigns such
// as 送温暖 select their recipients from the active files.
type HardshipFile struct {
	ID         int64        `json:"id"`
	MemberID   int64        `json:"member_id"`
	MemberName string       `json:"member_name,omitempty"`
	OrgID      int64        `json:"org_id"`
	OrgPath    string       `json:"-"`
	OrgName    string       `json:"org_name,omitempty"`
	Tier       HardshipTier `json:"tier"`
	Year       int          `json:"year"`
	Basis      string       `json:"basis"` // 家庭收入、刚性支出、认定依据
	Active     bool         `json:"active"`
	ClosedOn   Date         `json:"closed_on,omitempty"`
	CloseNote  string       `json:"close_note,omitempty"` // 解困/脱困 and why
	CreatedBy  string       `json:"created_by,omitempty"`
	CreatedAt  time.Time    `json:"created_at"`
}

// HardshipService keeps the 困难职工档案.
type HardshipService interface {
	// RegisterHardship opens a file for a member and year; one active file
	// per member and year.
	RegisterHardship(ctx context.Context, s *Scope, f *HardshipFile) error
	// CloseHardship ends a file (解困/脱困) with the date and a note.
	CloseHardship(ctx context.Context, s *Scope, id int64, on Date, note string) error
	// FindHardshipFiles lists the files of a member (memberID ≠ 0) or of a
	// subtree (orgID, 0 = the whole scope), newest first.
	FindHardshipFiles(ctx context.Context, s *Scope, orgID, memberID int64) ([]*HardshipFile, error)
}
