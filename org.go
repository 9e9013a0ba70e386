package nuanxin

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// OrgKind is the level of a 工会组织 in the tree.
type OrgKind string

const (
	OrgFederation OrgKind = "federation" // 总工会
	OrgGroup      OrgKind = "group"      // 集团工会
	OrgBase       OrgKind = "base"       // 基层工会
	OrgBranch     OrgKind = "branch"     // 分工会
	OrgTeam       OrgKind = "team"       // 工会小组
)

// OrgKinds lists the kinds from the top of the tree down.
var OrgKinds = []OrgKind{OrgFederation, OrgGroup, OrgBase, OrgBranch, OrgTeam}

// Rank is the level: 0 for 总工会 … 4 for 工会小组, -1 if unknown.
func (k OrgKind) Rank() int {
	for i, v := range OrgKinds {
		if v == k {
			return i
		}
	}
	return -1
}

func (k OrgKind) Label() string { return T("org.kind." + string(k)) }

// ParseOrgKind accepts the code (base) or the Chinese name (基层工会).
func ParseOrgKind(s string) (OrgKind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range OrgKinds {
		if s == string(k) || s == k.Label() {
			return k, true
		}
	}
	return "", false
}

// Org is a 工会组织: one node of the tree. Path is the materialised path of
// ids from the root, "/1/5/12/", so a subtree is a prefix match.
type Org struct {
	ID         int64     `json:"id"`
	ParentID   int64     `json:"parent_id,omitempty"`
	Path       string    `json:"path"`
	Name       string    `json:"name"`
	Kind       OrgKind   `json:"kind"`
	Code       string    `json:"code,omitempty"`        // the union's own short code, unique
	CreditCode string    `json:"credit_code,omitempty"` // 统一社会信用代码
	Closed     bool      `json:"closed"`
	ClosedOn   Date      `json:"closed_on,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`

	// Read-only, filled by listings.
	Depth       int `json:"depth"`
	MemberCount int `json:"member_count"`
}

// Depth of a path: "/1/" is 0, "/1/5/" is 1.
func PathDepth(path string) int { return strings.Count(path, "/") - 2 }

// ParentPath returns the path of the parent, or "" for a root.
func ParentPath(path string) string {
	p := strings.TrimSuffix(path, "/")
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return ""
	}
	return p[:i+1]
}

// PathIDs returns the ids along a path, root first.
func PathIDs(path string) []int64 {
	var ids []int64
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// OrgUpdate carries the editable fields; nil means unchanged.
type OrgUpdate struct {
	Name       *string
	Code       *string
	CreditCode *string
	Kind       *OrgKind
}

// OrgFilter narrows FindOrgs. Root, when set, limits to that subtree.
type OrgFilter struct {
	RootID        int64
	IncludeClosed bool
	Query         string // name contains
	// WithCounts fills MemberCount. It scans the member table, so the
	// layout's tree leaves it off and the org management page turns it on.
	WithCounts bool
}

// OrgService is the org tree. Every method takes the caller's scope.
type OrgService interface {
	FindOrgByID(ctx context.Context, s *Scope, id int64) (*Org, error)
	// FindOrgByRef resolves an id or a code, as the CLI's ORG arguments are.
	FindOrgByRef(ctx context.Context, s *Scope, ref string) (*Org, error)
	// FindOrgs returns the orgs in scope in tree order (by path), with depth
	// and, when asked, direct member counts.
	FindOrgs(ctx context.Context, s *Scope, f OrgFilter) ([]*Org, error)
	CreateOrg(ctx context.Context, s *Scope, o *Org) error
	UpdateOrg(ctx context.Context, s *Scope, id int64, u OrgUpdate) (*Org, error)
	// MoveOrg re-parents a node; its whole subtree moves in one transaction.
	MoveOrg(ctx context.Context, s *Scope, id, newParentID int64) (*Org, error)
	// CloseOrg closes a node and its subtree; members stay on record.
	CloseOrg(ctx context.Context, s *Scope, id int64, on Date) error
	ReopenOrg(ctx context.Context, s *Scope, id int64) error
	// DeleteOrg removes an empty node: no members, no child orgs, no grants.
	DeleteOrg(ctx context.Context, s *Scope, id int64) error
}
