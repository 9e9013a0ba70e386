package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

const orgCols = `o.id, COALESCE(o.parent_id, 0), o.path, o.name, o.kind, COALESCE(o.code, ''), COALESCE(o.credit_code, ''), o.closed, o.closed_on, o.created_at, o.updated_at`

func scanOrg(sc interface{ Scan(...any) error }, extra ...any) (*nuanxin.Org, error) {
	var o nuanxin.Org
	var created, updated int64
	dest := append([]any{&o.ID, &o.ParentID, &o.Path, &o.Name, &o.Kind, &o.Code, &o.CreditCode, &o.Closed, &o.ClosedOn, &created, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	o.Depth = nuanxin.PathDepth(o.Path)
	return &o, nil
}

// orgInScope loads an org the scope holds perm on; anything else is "not
// found", so an id from another subtree reveals nothing.
func orgInScope(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, id int64) (*nuanxin.Org, error) {
	args := []any{id}
	cond := scopeCond("o.path", s.Paths(perm), &args)
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.id = $1 AND `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.org")
	}
	return o, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) FindOrgByID(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.Org, error) {
	o, err := orgInScope(ctx, cachedReader{db}, s, nuanxin.PermOrgRead, id)
	if err != nil {
		return nil, err
	}
	return o, db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE org_path = $1`, o.Path).Scan(&o.MemberCount)
}

// FindOrgByRef resolves a numeric id or a code.
func (db *DB) FindOrgByRef(ctx context.Context, s *nuanxin.Scope, ref string) (*nuanxin.Org, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if o, err := db.FindOrgByID(ctx, s, id); err == nil {
			return o, nil
		}
	}
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM orgs WHERE code = $1`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.org")
	} else if err != nil {
		return nil, err
	}
	return db.FindOrgByID(ctx, s, id)
}

// FindOrgs lists the orgs in scope in tree order with direct member counts.
func (db *DB) FindOrgs(ctx context.Context, s *nuanxin.Scope, f nuanxin.OrgFilter) ([]*nuanxin.Org, error) {
	var args []any
	where := []string{scopeCond("o.path", s.Paths(nuanxin.PermOrgRead), &args)}
	if f.RootID != 0 {
		root, err := orgInScope(ctx, cachedReader{db}, s, nuanxin.PermOrgRead, f.RootID)
		if err != nil {
			return nil, err
		}
		args = append(args, root.Path, prefixEnd(root.Path))
		where = append(where, fmt.Sprintf("o.path >= $%d AND o.path <= $%d", len(args)-1, len(args)))
	}
	if !f.IncludeClosed {
		where = append(where, "o.closed = FALSE")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+q+"%")
		where = append(where, fmt.Sprintf("o.name LIKE $%d", len(args)))
	}
	q := `SELECT ` + orgCols + `, 0 FROM orgs o WHERE ` + strings.Join(where, " AND ") + ` ORDER BY o.path`
	if f.WithCounts {
		q = `WITH counts AS (SELECT org_id, COUNT(*) AS n FROM members GROUP BY org_id)
		SELECT ` + orgCols + `, COALESCE(c.n, 0) FROM orgs o LEFT JOIN counts c ON c.org_id = o.id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY o.path`
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.Org
	for rows.Next() {
		var n int
		o, err := scanOrg(rows, &n)
		if err != nil {
			return nil, err
		}
		o.MemberCount = n
		out = append(out, o)
	}
	return out, rows.Err()
}

var orgCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// validateOrg checks the fields an officer types.
func validateOrg(o *nuanxin.Org) error {
	var fe nuanxin.FieldErrors
	o.Name = strings.TrimSpace(o.Name)
	o.Code = strings.TrimSpace(o.Code)
	o.CreditCode = nuanxin.NormalizeCreditCode(o.CreditCode)
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		fe.Add("name", "org.name.required")
	case n > 60:
		fe.Add("name", "org.name.too_long")
	}
	if o.Kind.Rank() < 0 {
		fe.Add("kind", "org.kind.invalid")
	}
	if o.Code != "" && !orgCodeRE.MatchString(o.Code) {
		fe.Add("code", "org.code.invalid")
	}
	if o.CreditCode != "" {
		if err := nuanxin.ValidateCreditCode(o.CreditCode); err != nil {
			fe.Add("credit_code", "org.credit_code.invalid")
		}
	}
	return fe.Err()
}

// CreateOrg adds a node under o.ParentID. Only the system scope (the CLI)
// creates roots.
func (db *DB) CreateOrg(ctx context.Context, s *nuanxin.Scope, o *nuanxin.Org) error {
	if err := validateOrg(o); err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		parentPath := "/"
		if o.ParentID == 0 {
			if !s.System {
				return nuanxin.Invalid("parent_id", "org.parent.required")
			}
		} else {
			parent, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, o.ParentID)
			if err != nil {
				return err
			}
			if parent.Closed {
				return nuanxin.Invalid("parent_id", "org.parent.closed")
			}
			if o.Kind.Rank() <= parent.Kind.Rank() {
				return nuanxin.Invalid("kind", "org.kind.below_parent", o.Kind.Label(), parent.Kind.Label())
			}
			parentPath = parent.Path
		}
		if err := tx.checkSiblingName(ctx, o.ParentID, o.Name, 0); err != nil {
			return err
		}
		now := ms(tx.now)
		err := tx.QueryRowContext(ctx, `INSERT INTO orgs (parent_id, path, name, kind, code, credit_code, closed, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $7) RETURNING id`,
			nullID(o.ParentID), "tmp:"+randomToken(), o.Name, o.Kind, nullStr(o.Code), nullStr(o.CreditCode), now).Scan(&o.ID)
		if isUnique(err, "code") {
			return nuanxin.Invalid("code", "org.code.duplicate", o.Code)
		} else if err != nil {
			return err
		}
		o.Path = parentPath + strconv.FormatInt(o.ID, 10) + "/"
		o.Depth = nuanxin.PathDepth(o.Path)
		o.CreatedAt, o.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE orgs SET path = $1 WHERE id = $2`, o.Path, o.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "org.create", "org", o.ID, o.Path, nil, o)
	})
}

func (tx *Tx) checkSiblingName(ctx context.Context, parentID int64, name string, selfID int64) error {
	var n int
	q := `SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND name = $2 AND id <> $3 AND closed = FALSE`
	args := []any{parentID, name, selfID}
	if parentID == 0 {
		q = `SELECT COUNT(*) FROM orgs WHERE parent_id IS NULL AND name = $1 AND id <> $2 AND closed = FALSE`
		args = []any{name, selfID}
	}
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nuanxin.Invalid("name", "org.name.duplicate", name)
	}
	return nil
}

func (db *DB) UpdateOrg(ctx context.Context, s *nuanxin.Scope, id int64, u nuanxin.OrgUpdate) (*nuanxin.Org, error) {
	var out *nuanxin.Org
	err := db.withTx(ctx, s, func(tx *Tx) error {
		before, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, id)
		if err != nil {
			return err
		}
		o := *before
		if u.Name != nil {
			o.Name = *u.Name
		}
		if u.Code != nil {
			o.Code = *u.Code
		}
		if u.CreditCode != nil {
			o.CreditCode = *u.CreditCode
		}
		if u.Kind != nil {
			o.Kind = *u.Kind
		}
		if err := validateOrg(&o); err != nil {
			return err
		}
		if o.Kind != before.Kind {
			if err := tx.checkKindFits(ctx, &o); err != nil {
				return err
			}
		}
		if o.Name != before.Name {
			if err := tx.checkSiblingName(ctx, o.ParentID, o.Name, o.ID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE orgs SET name = $1, code = $2, credit_code = $3, kind = $4, updated_at = $5 WHERE id = $6`,
			o.Name, nullStr(o.Code), nullStr(o.CreditCode), o.Kind, ms(tx.now), o.ID)
		if isUnique(err, "code") {
			return nuanxin.Invalid("code", "org.code.duplicate", o.Code)
		} else if err != nil {
			return err
		}
		o.UpdatedAt = tx.now
		out = &o
		return tx.audit(ctx, "org.update", "org", o.ID, o.Path, before, &o)
	})
	return out, err
}

// checkKindFits keeps levels strictly decreasing down the tree.
func (tx *Tx) checkKindFits(ctx context.Context, o *nuanxin.Org) error {
	if o.ParentID != 0 {
		var pk nuanxin.OrgKind
		if err := tx.QueryRowContext(ctx, `SELECT kind FROM orgs WHERE id = $1`, o.ParentID).Scan(&pk); err != nil {
			return err
		}
		if o.Kind.Rank() <= pk.Rank() {
			return nuanxin.Invalid("kind", "org.kind.below_parent", o.Kind.Label(), pk.Label())
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT kind FROM orgs WHERE parent_id = $1`, o.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ck nuanxin.OrgKind
		if err := rows.Scan(&ck); err != nil {
			return err
		}
		if ck.Rank() <= o.Kind.Rank() {
			return nuanxin.Invalid("kind", "org.kind.children", o.Kind.Label())
		}
	}
	return rows.Err()
}

// MoveOrg re-parents a node. The paths of the node, its descendants, their
// members and search keys are rewritten in the same transaction, so a scope
// check never sees a half-moved subtree.
func (db *DB) MoveOrg(ctx context.Context, s *nuanxin.Scope, id, newParentID int64) (*nuanxin.Org, error) {
	var out *nuanxin.Org
	err := db.withTx(ctx, s, func(tx *Tx) error {
		tx.authChanged = true // grants carry org paths
		o, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, id)
		if err != nil {
			return err
		}
		if o.ParentID == 0 {
			return nuanxin.Invalid("parent_id", "org.move.root")
		}
		parent, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, newParentID)
		if err != nil {
			return err
		}
		if strings.HasPrefix(parent.Path, o.Path) {
			return nuanxin.Invalid("parent_id", "org.move.into_self")
		}
		if parent.Closed {
			return nuanxin.Invalid("parent_id", "org.parent.closed")
		}
		if o.Kind.Rank() <= parent.Kind.Rank() {
			return nuanxin.Invalid("parent_id", "org.kind.below_parent", o.Kind.Label(), parent.Kind.Label())
		}
		if err := tx.checkSiblingName(ctx, parent.ID, o.Name, o.ID); err != nil {
			return nuanxin.Invalid("parent_id", "org.name.duplicate", o.Name)
		}
		oldPath, newPath := o.Path, parent.Path+strconv.FormatInt(o.ID, 10)+"/"
		cut := len(oldPath) + 1 // substr is 1-based; paths are ASCII
		// Audit entries keep the path they were written with: the chain
		// hashes it, and the log records where things happened at the time.
		for _, q := range []string{
			`UPDATE orgs SET path = $1 || substr(path, $2) WHERE path >= $3 AND path <= $4`,
			`UPDATE members SET org_path = $1 || substr(org_path, $2) WHERE org_path >= $3 AND org_path <= $4`,
			`UPDATE member_keys SET org_path = $1 || substr(org_path, $2) WHERE org_path >= $3 AND org_path <= $4`,
		} {
			if _, err := tx.ExecContext(ctx, q, newPath, cut, oldPath, prefixEnd(oldPath)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orgs SET parent_id = $1, updated_at = $2 WHERE id = $3`, parent.ID, ms(tx.now), o.ID); err != nil {
			return err
		}
		after := *o
		after.ParentID, after.Path, after.Depth = parent.ID, newPath, nuanxin.PathDepth(newPath)
		out = &after
		return tx.audit(ctx, "org.move", "org", o.ID, newPath,
			map[string]any{"parent_id": o.ParentID, "path": oldPath},
			map[string]any{"parent_id": parent.ID, "path": newPath})
	})
	return out, err
}

// CloseOrg closes a node and everything under it (撤销). Members keep their
// records; a closed org takes no new members.
func (db *DB) CloseOrg(ctx context.Context, s *nuanxin.Scope, id int64, on nuanxin.Date) error {
	if on.IsZero() {
		on = nuanxin.DateOf(db.Now().In(nuanxin.Shanghai))
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		o, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, id)
		if err != nil {
			return err
		}
		if o.Closed {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orgs SET closed = TRUE, closed_on = $1, updated_at = $2
			WHERE path >= $3 AND path <= $4 AND closed = FALSE`, on, ms(tx.now), o.Path, prefixEnd(o.Path)); err != nil {
			return err
		}
		return tx.audit(ctx, "org.close", "org", o.ID, o.Path, nil, map[string]any{"closed_on": on})
	})
}

// ReopenOrg reopens one node whose parent is open.
func (db *DB) ReopenOrg(ctx context.Context, s *nuanxin.Scope, id int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		o, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, id)
		if err != nil {
			return err
		}
		if !o.Closed {
			return nil
		}
		if o.ParentID != 0 {
			var closed bool
			if err := tx.QueryRowContext(ctx, `SELECT closed FROM orgs WHERE id = $1`, o.ParentID).Scan(&closed); err != nil {
				return err
			}
			if closed {
				return nuanxin.Invalid("parent_id", "org.parent.closed")
			}
		}
		if err := tx.checkSiblingName(ctx, o.ParentID, o.Name, o.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orgs SET closed = FALSE, closed_on = NULL, updated_at = $1 WHERE id = $2`, ms(tx.now), o.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "org.reopen", "org", o.ID, o.Path, nil, nil)
	})
}

// DeleteOrg removes a node created by mistake: no members ever recorded in
// it, no child orgs, no users or grants. Anything else can only be closed.
func (db *DB) DeleteOrg(ctx context.Context, s *nuanxin.Scope, id int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		o, err := orgInScope(ctx, tx, s, nuanxin.PermOrgManage, id)
		if err != nil {
			return err
		}
		var members, children, users int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM members WHERE org_path >= $1 AND org_path <= $2),
			(SELECT COUNT(*) FROM orgs WHERE parent_id = $3),
			(SELECT COUNT(*) FROM users WHERE home_org_id = $3) + (SELECT COUNT(*) FROM grants WHERE org_id = $3)
				+ (SELECT COUNT(*) FROM member_events WHERE from_org_id = $3 OR to_org_id = $3)`,
			o.Path, prefixEnd(o.Path), o.ID).Scan(&members, &children, &users); err != nil {
			return err
		}
		switch {
		case members > 0:
			return nuanxin.Errorf(nuanxin.ECONFLICT, "org.delete.has_members", members)
		case children > 0:
			return nuanxin.Errorf(nuanxin.ECONFLICT, "org.delete.has_children")
		case users > 0:
			return nuanxin.Errorf(nuanxin.ECONFLICT, "org.delete.has_users")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM orgs WHERE id = $1`, o.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "org.delete", "org", o.ID, o.Path, o, nil)
	})
}
