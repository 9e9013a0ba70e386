package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

const hardshipCols = `h.id, h.member_id, m.name, h.org_id, h.org_path, o.name, h.tier, h.year, h.basis, h.active,
	h.closed_on, h.close_note, h.created_by, h.created_at`

func scanHardship(sc interface{ Scan(...any) error }) (*nuanxin.HardshipFile, error) {
	var f nuanxin.HardshipFile
	var at int64
	err := sc.Scan(&f.ID, &f.MemberID, &f.MemberName, &f.OrgID, &f.OrgPath, &f.OrgName, &f.Tier, &f.Year, &f.Basis, &f.Active,
		&f.ClosedOn, &f.CloseNote, &f.CreatedBy, &at)
	f.CreatedAt = fromMS(at)
	return &f, err
}

const hardshipFrom = ` FROM hardship_files h JOIN members m ON m.id = h.member_id JOIN orgs o ON o.id = h.org_id`

// RegisterHardship opens a 困难职工档案: one active file per member and year.
func (db *DB) RegisterHardship(ctx context.Context, s *nuanxin.Scope, f *nuanxin.HardshipFile) error {
	f.Basis = strings.TrimSpace(f.Basis)
	var fe nuanxin.FieldErrors
	valid := false
	for _, t := range nuanxin.HardshipTiers {
		valid = valid || t == f.Tier
	}
	if !valid {
		fe.Add("tier", "hardship.tier.invalid")
	}
	if f.Year < 2000 || f.Year > db.today().Year+1 {
		fe.Add("year", "hardship.year")
	}
	if f.Basis == "" || utf8.RuneCountInString(f.Basis) > 500 {
		fe.Add("basis", "hardship.basis")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		m, err := memberInScope(ctx, tx, s, nuanxin.PermCareWrite, f.MemberID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM hardship_files WHERE member_id = $1 AND year = $2 AND active`,
			m.ID, f.Year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nuanxin.Invalid("year", "hardship.duplicate", f.Year)
		}
		f.OrgID, f.OrgPath, f.OrgName, f.MemberName = m.OrgID, m.OrgPath, m.OrgName, m.Name
		f.Active, f.CreatedBy, f.CreatedAt = true, s.DisplayName(), tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO hardship_files (member_id, org_id, org_path, tier, year, basis, active,
			created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,TRUE,$7,$8) RETURNING id`,
			m.ID, f.OrgID, f.OrgPath, string(f.Tier), f.Year, f.Basis, f.CreatedBy, ms(tx.now)).Scan(&f.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "hardship.register", "member", m.ID, m.OrgPath, nil,
			map[string]any{"file": f.ID, "tier": string(f.Tier), "year": f.Year})
	})
}

// CloseHardship ends a file (解困/脱困).
func (db *DB) CloseHardship(ctx context.Context, s *nuanxin.Scope, id int64, on nuanxin.Date, note string) error {
	note = strings.TrimSpace(note)
	var fe nuanxin.FieldErrors
	if on.IsZero() || on.After(db.today()) {
		fe.Add("closed_on", "care.date.required")
	}
	if note == "" || utf8.RuneCountInString(note) > 200 {
		fe.Add("close_note", "hardship.close_note")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		args := []any{id}
		cond := scopeCond("h.org_path", s.Paths(nuanxin.PermCareWrite), &args)
		f, err := scanHardship(tx.QueryRowContext(ctx, `SELECT `+hardshipCols+hardshipFrom+` WHERE h.id = $1 AND `+cond, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.NotFound("what.hardship")
		} else if err != nil {
			return err
		}
		if !f.Active {
			return nuanxin.Errorf(nuanxin.EINVALID, "hardship.closed", f.ClosedOn.Chinese())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hardship_files SET active = FALSE, closed_on = $1, close_note = $2 WHERE id = $3`,
			on, note, f.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "hardship.close", "member", f.MemberID, f.OrgPath, map[string]any{"file": f.ID, "active": true},
			map[string]any{"file": f.ID, "active": false, "closed_on": on.String(), "note": note})
	})
}

func (db *DB) FindHardshipFiles(ctx context.Context, s *nuanxin.Scope, orgID, memberID int64) ([]*nuanxin.HardshipFile, error) {
	var args []any
	where := []string{scopeCond("h.org_path", s.Paths(nuanxin.PermCareRead), &args)}
	if memberID != 0 {
		args = append(args, memberID)
		where = append(where, "h.member_id = $"+itoa(len(args)))
	}
	if orgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
		if err != nil {
			return nil, err
		}
		args = append(args, org.Path, prefixEnd(org.Path))
		where = append(where, "h.org_path >= $"+itoa(len(args)-1)+" AND h.org_path <= $"+itoa(len(args)))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+hardshipCols+hardshipFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY h.year DESC, h.id DESC LIMIT 2000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.HardshipFile
	for rows.Next() {
		f, err := scanHardship(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
