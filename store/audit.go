package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// audit appends an event to the chain inside tx. before and after are
// marshalled to JSON; callers pass masked copies, never plain 身份证号.
func (tx *Tx) audit(ctx context.Context, action, entity string, entityID int64, orgPath string, before, after any) error {
	e := &nuanxin.AuditEvent{
		Action: action, Entity: entity, EntityID: entityID, OrgPath: orgPath,
		Before: toJSON(before), After: toJSON(after),
	}
	return tx.appendAudit(ctx, e)
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

type ipKey struct{}

// WithIP attaches the client address to ctx so audit entries record it.
func WithIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, ipKey{}, ip)
}

func (tx *Tx) appendAudit(ctx context.Context, e *nuanxin.AuditEvent) error {
	// Taking the head row first serialises writers: PostgreSQL holds its row
	// lock until commit; SQLite has one writer anyway. Once a transaction
	// holds the head, its later events follow on in memory and the head is
	// written once, at commit (see withTx): a batch of 500 cases costs one
	// statement per event instead of three.
	var prev string
	if tx.auditHeld {
		e.ID, prev = tx.auditSeq+1, tx.auditHash
	} else if err := tx.QueryRowContext(ctx,
		`UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.ID, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e.At = tx.now
	if tx.scope != nil {
		e.UserID, e.Username = tx.scope.UserID, tx.scope.Username
	}
	if e.Username == "" {
		e.Username = "system"
	}
	if ip, ok := ctx.Value(ipKey{}).(string); ok && e.IP == "" {
		e.IP = ip
	}
	e.PrevHash = prev
	e.Hash = auditHash(e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events
		(id, at, user_id, username, action, entity, entity_id, org_path, before_json, after_json, ip, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
		e.ID, ms(e.At), e.UserID, e.Username, e.Action, e.Entity, e.EntityID, e.OrgPath,
		e.Before, e.After, e.IP, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	tx.auditHeld, tx.auditSeq, tx.auditHash = true, e.ID, e.Hash
	return nil
}

// flushAudit writes the head of the chain as the transaction left it.
func (tx *Tx) flushAudit(ctx context.Context) error {
	if !tx.auditHeld {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, tx.auditSeq, tx.auditHash)
	return err
}

// auditHash covers every stored field and the previous hash. The encoding
// is a JSON array so no field boundary is ambiguous.
func auditHash(e *nuanxin.AuditEvent) string {
	b, _ := json.Marshal([]any{
		e.PrevHash, strconv.FormatInt(e.ID, 10), strconv.FormatInt(ms(e.At), 10),
		strconv.FormatInt(e.UserID, 10), e.Username, e.Action, e.Entity,
		strconv.FormatInt(e.EntityID, 10), e.OrgPath, e.Before, e.After, e.IP,
	})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RecordAudit writes an event that stands alone (login, export).
func (db *DB) RecordAudit(ctx context.Context, s *nuanxin.Scope, e *nuanxin.AuditEvent) error {
	return db.withTx(ctx, s, func(tx *Tx) error { return tx.appendAudit(ctx, e) })
}

const auditCols = `id, at, user_id, username, action, entity, entity_id, org_path, before_json, after_json, ip, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }) (*nuanxin.AuditEvent, error) {
	var e nuanxin.AuditEvent
	var at int64
	err := sc.Scan(&e.ID, &at, &e.UserID, &e.Username, &e.Action, &e.Entity, &e.EntityID,
		&e.OrgPath, &e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash)
	e.At = fromMS(at)
	return &e, err
}

// FindAuditEvents lists events newest first. An auditor sees the events
// that happened in their subtrees; events with no org (logins) are shown to
// scopes holding audit.read at a root.
func (db *DB) FindAuditEvents(ctx context.Context, s *nuanxin.Scope, f nuanxin.AuditFilter) ([]*nuanxin.AuditEvent, int, error) {
	paths := s.Paths(nuanxin.PermAuditRead)
	if len(paths) == 0 {
		return nil, 0, nuanxin.Errorf(nuanxin.EFORBIDDEN, "err.forbidden")
	}
	var args []any
	cond := scopeCond("org_path", paths, &args)
	if ok, _ := db.holdsRoot(ctx, paths); ok {
		cond = "(" + cond + " OR org_path = '')"
	}
	where := []string{cond}
	add := func(clause string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(clause, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		add("entity_id = ?", f.EntityID)
	}
	if f.Username != "" {
		add("username = ?", f.Username)
	}
	if !f.From.IsZero() {
		add("at >= ?", startOfDay(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", startOfDay(f.To.AddDays(1)))
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := db.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM audit_events WHERE %s ORDER BY id DESC LIMIT $%d OFFSET $%d`,
		auditCols, w, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*nuanxin.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

func startOfDay(d nuanxin.Date) int64 {
	return d.Time().Add(-8 * 60 * 60 * 1e9).UnixMilli() // 00:00 Asia/Shanghai
}

// holdsRoot reports whether one of the paths is a root org ("/N/").
func (db *DB) holdsRoot(ctx context.Context, paths []string) (bool, error) {
	for _, p := range paths {
		if p == "/" || nuanxin.PathDepth(p) == 0 {
			return true, nil
		}
	}
	return false, nil
}

// VerifyAudit recomputes every hash in order and checks each entry links to
// the one before. It streams, so a long log needs no memory.
func (db *DB) VerifyAudit(ctx context.Context) (int, *nuanxin.AuditBreak, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_events ORDER BY id`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	n, prev, prevID := 0, "", int64(0)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, nil, err
		}
		switch {
		case e.ID != prevID+1:
			return n, &nuanxin.AuditBreak{ID: e.ID, Reason: fmt.Sprintf("编号不连续：%d 之后应为 %d，缺少记录", prevID, prevID+1)}, nil
		case e.PrevHash != prev:
			return n, &nuanxin.AuditBreak{ID: e.ID, Reason: "前序哈希与上一条记录不符（上一条被改动或删除）"}, nil
		case auditHash(e) != e.Hash:
			return n, &nuanxin.AuditBreak{ID: e.ID, Reason: "本条内容与其哈希不符（本条被改动）"}, nil
		}
		prev, prevID = e.Hash, e.ID
		n++
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	var headSeq int64
	var headHash string
	if err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil && err != sql.ErrNoRows {
		return n, nil, err
	}
	if headSeq != prevID || headHash != prev {
		return n, &nuanxin.AuditBreak{ID: prevID + 1, Reason: fmt.Sprintf("日志末尾被截断：应有 %d 条，实有 %d 条", headSeq, prevID)}, nil
	}
	return n, nil, nil
}
