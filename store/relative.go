package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nuanxin/nuanxin"
)

const relativeCols = `id, member_id, relation, name, id_masked, COALESCE(sex, ''), birth_date, school, COALESCE(phone, ''), notes`

func scanRelative(sc interface{ Scan(...any) error }) (*nuanxin.Relative, error) {
	var r nuanxin.Relative
	err := sc.Scan(&r.ID, &r.MemberID, &r.Relation, &r.Name, &r.IDMasked, &r.Sex, &r.BirthDate, &r.School, &r.Phone, &r.Notes)
	return &r, err
}

func (db *DB) FindRelatives(ctx context.Context, s *nuanxin.Scope, memberID int64) ([]*nuanxin.Relative, error) {
	if _, err := memberInScope(ctx, cachedReader{db}, s, nuanxin.PermMemberRead, memberID); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+relativeCols+` FROM relatives WHERE member_id = $1
		ORDER BY CASE relation WHEN 'spouse' THEN 1 WHEN 'child' THEN 2 WHEN 'parent' THEN 3 ELSE 4 END, birth_date, id`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.Relative
	for rows.Next() {
		r, err := scanRelative(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// checkRelative validates r against its member.
func (db *DB) checkRelative(ctx context.Context, tx *Tx, r *nuanxin.Relative) (*nuanxin.Member, error) {
	r.Normalize()
	if err := r.Validate(db.today()); err != nil {
		return nil, err
	}
	m, err := memberInScope(ctx, tx, tx.scope, nuanxin.PermMemberWrite, r.MemberID)
	if err != nil {
		return nil, err
	}
	if r.IDNumber != "" {
		var self int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE id = $1 AND id_hash = $2`, m.ID, db.hash(r.IDNumber)).Scan(&self); err != nil {
			return nil, err
		}
		if self > 0 {
			return nil, nuanxin.Invalid("id_number", "relative.id.self")
		}
	}
	return m, nil
}

func (db *DB) CreateRelative(ctx context.Context, s *nuanxin.Scope, r *nuanxin.Relative) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		m, err := db.checkRelative(ctx, tx, r)
		if err != nil {
			return err
		}
		sec := db.seal(r.IDNumber)
		now := ms(tx.now)
		if err := tx.QueryRowContext(ctx, `INSERT INTO relatives (member_id, relation, name, id_enc, id_hash, id_masked, sex, birth_date, school, phone, notes, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) RETURNING id`,
			r.MemberID, r.Relation, r.Name, sec.enc, nullStr(sec.hash), sec.masked, nullStr(string(r.Sex)), r.BirthDate,
			r.School, nullStr(r.Phone), r.Notes, now).Scan(&r.ID); err != nil {
			return err
		}
		r.IDMasked, r.IDNumber = sec.masked, ""
		return tx.audit(ctx, "relative.create", "member", m.ID, m.OrgPath, nil, maskedRelative(r))
	})
}

// UpdateRelative saves an edit; an empty IDNumber keeps the stored one.
func (db *DB) UpdateRelative(ctx context.Context, s *nuanxin.Scope, r *nuanxin.Relative) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		m, err := db.checkRelative(ctx, tx, r)
		if err != nil {
			return err
		}
		before, err := scanRelative(tx.QueryRowContext(ctx, `SELECT `+relativeCols+` FROM relatives WHERE id = $1 AND member_id = $2`, r.ID, m.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.NotFound("what.relative")
		} else if err != nil {
			return err
		}
		if r.IDNumber != "" {
			sec := db.seal(r.IDNumber)
			if _, err := tx.ExecContext(ctx, `UPDATE relatives SET id_enc = $1, id_hash = $2, id_masked = $3 WHERE id = $4`,
				sec.enc, sec.hash, sec.masked, r.ID); err != nil {
				return err
			}
			r.IDMasked = sec.masked
		} else {
			r.IDMasked = before.IDMasked
		}
		if _, err := tx.ExecContext(ctx, `UPDATE relatives SET relation = $1, name = $2, sex = $3, birth_date = $4, school = $5, phone = $6, notes = $7, updated_at = $8 WHERE id = $9`,
			r.Relation, r.Name, nullStr(string(r.Sex)), r.BirthDate, r.School, nullStr(r.Phone), r.Notes, ms(tx.now), r.ID); err != nil {
			return err
		}
		r.IDNumber = ""
		return tx.audit(ctx, "relative.update", "member", m.ID, m.OrgPath, maskedRelative(before), maskedRelative(r))
	})
}

func (db *DB) DeleteRelative(ctx context.Context, s *nuanxin.Scope, memberID, relativeID int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		m, err := memberInScope(ctx, tx, s, nuanxin.PermMemberWrite, memberID)
		if err != nil {
			return err
		}
		before, err := scanRelative(tx.QueryRowContext(ctx, `SELECT `+relativeCols+` FROM relatives WHERE id = $1 AND member_id = $2`, relativeID, m.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.NotFound("what.relative")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM relatives WHERE id = $1`, relativeID); err != nil {
			return err
		}
		return tx.audit(ctx, "relative.delete", "member", m.ID, m.OrgPath, maskedRelative(before), nil)
	})
}

// maskedRelative is the copy written to the audit log.
func maskedRelative(r *nuanxin.Relative) *nuanxin.Relative {
	c := *r
	c.IDNumber = ""
	c.Phone = nuanxin.MaskPhone(r.Phone)
	return &c
}
