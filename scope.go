package nuanxin

import "strings"

// Role is what a user may do on the subtree a grant covers.
type Role string

const (
	RoleAdmin    Role = "admin"    // 系统管理员
	RoleChair    Role = "chair"    // 工会主席/副主席
	RoleClerk    Role = "clerk"    // 经办人/工会干事
	RoleReviewer Role = "reviewer" // 审核人
	RoleAuditor  Role = "auditor"  // 经审委员
	RoleMember   Role = "member"   // 会员 (self-service)
)

var Roles = []Role{RoleAdmin, RoleChair, RoleClerk, RoleReviewer, RoleAuditor, RoleMember}

func (r Role) Label() string { return T("role." + string(r)) }

// ParseRole accepts the code or the Chinese label.
func ParseRole(s string) (Role, bool) {
	s = strings.TrimSpace(s)
	for _, r := range Roles {
		if s == string(r) || s == r.Label() {
			return r, true
		}
	}
	return "", false
}

// Perm is one thing a role may do. The table below is the whole permission
// model: a newcomer reads it here and nowhere else.
type Perm string

const (
	PermOrgRead     Perm = "org.read"
	PermOrgManage   Perm = "org.manage"
	PermMemberRead  Perm = "member.read"
	PermMemberWrite Perm = "member.write"
	PermRevealID    Perm = "member.reveal" // see the full 身份证号, audited
	PermExport      Perm = "member.export"
	PermUserManage  Perm = "user.manage"
	PermAuditRead   Perm = "audit.read"

	PermCareRead     Perm = "care.read"     // cases, payments, 签收表
	PermCareWrite    Perm = "care.write"    // 经办: draft, submit, batch entry, import, visits
	PermCareReview   Perm = "care.review"   // 审核
	PermCareApprove  Perm = "care.approve"  // 审批
	PermCarePay      Perm = "care.pay"      // 发放, 签收, 公示
	PermPolicyManage Perm = "policy.manage" // adopt packs, local rules, workflow settings

	PermReportRead  Perm = "report.read"  // 统计 and saved 工作总结
	PermReportWrite Perm = "report.write" // write, edit and delete 工作总结
)

var rolePerms = map[Role][]Perm{
	RoleAdmin: {PermOrgRead, PermOrgManage, PermMemberRead, PermMemberWrite, PermRevealID, PermExport, PermUserManage, PermAuditRead,
		PermCareRead, PermPolicyManage, PermReportRead},
	RoleChair: {PermOrgRead, PermMemberRead, PermMemberWrite, PermRevealID, PermExport, PermAuditRead,
		PermCareRead, PermCareWrite, PermCareReview, PermCareApprove, PermCarePay, PermPolicyManage,
		PermReportRead, PermReportWrite},
	RoleClerk: {PermOrgRead, PermMemberRead, PermMemberWrite, PermRevealID, PermExport,
		PermCareRead, PermCareWrite, PermCarePay, PermReportRead, PermReportWrite},
	RoleReviewer: {PermOrgRead, PermMemberRead, PermCareRead, PermCareReview, PermReportRead},
	RoleAuditor:  {PermOrgRead, PermMemberRead, PermAuditRead, PermCareRead, PermReportRead},
	RoleMember:   {},
}

// Has reports whether role r carries permission p.
func (r Role) Has(p Perm) bool {
	for _, x := range rolePerms[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Grant gives a user a role on an org node and its subtree.
type Grant struct {
	ID      int64  `json:"id"`
	UserID  int64  `json:"user_id"`
	Role    Role   `json:"role"`
	OrgID   int64  `json:"org_id"`
	OrgPath string `json:"org_path"`
	OrgName string `json:"org_name"`
}

// Scope is the caller: who they are and where their grants reach. The store
// takes a *Scope on every call and filters by it, so a handler cannot reach a
// record outside it even by mistake.
type Scope struct {
	UserID   int64
	Username string
	MemberID int64 // the member a RoleMember user is, for self-service
	// Name is the user's name as people know it (王会计), shown where the
	// login would mean nothing to a reader: 经办人, 办理记录.
	Name string
	// OwnMemberID is the user's own member record whatever their roles:
	// nobody approves or pays a 慰问 to themselves.
	OwnMemberID int64
	Grants      []Grant
	System      bool // the CLI and the demo generator: everything, audited as "system"
}

// DisplayName is Name, or the login when the user has none.
func (s *Scope) DisplayName() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Username
}

// Self reports whether member id is the caller's own record.
func (s *Scope) Self(memberID int64) bool {
	return memberID != 0 && (s.OwnMemberID == memberID || s.MemberID == memberID)
}

// SystemScope is used by command-line administration, which runs with the
// operator's shell rights on the database itself.
func SystemScope() *Scope { return &Scope{Username: "system", System: true} }

// Paths returns the org paths on which the scope holds p, with nested paths
// removed (a grant on /1/ already covers /1/5/).
func (s *Scope) Paths(p Perm) []string {
	if s == nil {
		return nil
	}
	if s.System {
		return []string{"/"}
	}
	var out []string
	for _, g := range s.Grants {
		if g.Role.Has(p) {
			out = append(out, g.OrgPath)
		}
	}
	return dedupePaths(out)
}

// Can reports whether the scope holds p on the node at path.
func (s *Scope) Can(p Perm, path string) bool {
	for _, root := range s.Paths(p) {
		if strings.HasPrefix(path, root) {
			return true
		}
	}
	return false
}

// CanAny reports whether the scope holds p anywhere (menus use it).
func (s *Scope) CanAny(p Perm) bool { return len(s.Paths(p)) > 0 }

// HasRole reports whether any grant is of role r.
func (s *Scope) HasRole(r Role) bool {
	for _, g := range s.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

func dedupePaths(paths []string) []string {
	var out []string
	for _, p := range paths {
		covered := false
		for _, q := range paths {
			if q != p && strings.HasPrefix(p, q) {
				covered = true
				break
			}
		}
		if !covered && !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
