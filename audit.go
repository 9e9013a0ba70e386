package nuanxin

import (
	"context"
	"time"
)

// AuditEvent is one entry of the append-only 审计日志. Each entry carries
// the hash of the previous one, so any edit or deletion breaks the chain
// and `nuanxin audit verify` names the first broken entry.
type AuditEvent struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id,omitempty"`
	Username string    `json:"username"`
	Action   string    `json:"action"` // member.create, member.reveal, org.move …
	Entity   string    `json:"entity"` // member, org, user …
	EntityID int64     `json:"entity_id,omitempty"`
	OrgPath  string    `json:"org_path,omitempty"` // where it happened, for scoped reading
	Before   string    `json:"before,omitempty"`   // JSON, sensitive values masked
	After    string    `json:"after,omitempty"`
	IP       string    `json:"ip,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

func (e *AuditEvent) ActionLabel() string { return T("audit.action." + e.Action) }

// AuditFilter narrows the auditor's page.
type AuditFilter struct {
	Action   string
	Entity   string
	EntityID int64
	Username string
	From, To Date
	Offset   int
	Limit    int
}

// AuditBreak names the first entry whose hash does not match.
type AuditBreak struct {
	ID     int64
	Reason string
}

// AuditService reads and verifies the log. Writing happens inside the store
// transaction of each change, never separately.
type AuditService interface {
	FindAuditEvents(ctx context.Context, s *Scope, f AuditFilter) ([]*AuditEvent, int, error)
	// RecordAudit writes an event that has no other change with it (a login,
	// an export).
	RecordAudit(ctx context.Context, s *Scope, e *AuditEvent) error
	// VerifyAudit walks the whole chain; nil break means it is intact.
	VerifyAudit(ctx context.Context) (checked int, brk *AuditBreak, err error)
}
