package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

// Limits of a saved 工作总结.
const (
	maxSummaryTitle  = 80
	maxSummaryBlocks = 2000
	maxSummaryText   = 200000 // runes over all blocks
)

const summaryCols = `s.id, s.org_id, s.org_path, o.name, s.period_from, s.period_to, COALESCE(s.campaign_id, 0), s.title, s.author,
	s.date, s.blocks_json, s.created_at, s.updated_by, s.updated_at, s.version`

func scanSummary(sc interface{ Scan(...any) error }, withBlocks bool) (*nuanxin.Summary, error) {
	var sum nuanxin.Summary
	var blocks string
	var created, updated int64
	if err := sc.Scan(&sum.ID, &sum.OrgID, &sum.OrgPath, &sum.OrgName, &sum.Period.From, &sum.Period.To, &sum.CampaignID,
		&sum.Title, &sum.Author, &sum.Date, &blocks, &created, &sum.UpdatedBy, &updated, &sum.Version); err != nil {
		return nil, err
	}
	sum.CreatedAt, sum.UpdatedAt = fromMS(created), fromMS(updated)
	if withBlocks {
		if err := json.Unmarshal([]byte(blocks), &sum.Blocks); err != nil {
			return nil, err
		}
	}
	return &sum, nil
}

// summaryBody checks a summary and returns its body as stored.
func summaryBody(sum *nuanxin.Summary) (string, error) {
	if err := validateSummary(sum); err != nil {
		return "", err
	}
	b, err := json.Marshal(sum.Blocks)
	return string(b), err
}

// validateSummary checks what an officer may have typed.
func validateSummary(sum *nuanxin.Summary) error {
	sum.Title, sum.Author = strings.TrimSpace(sum.Title), strings.TrimSpace(sum.Author)
	var fe nuanxin.FieldErrors
	switch n := utf8.RuneCountInString(sum.Title); {
	case n == 0:
		fe.Add("title", "summary.title.empty")
	case n > maxSummaryTitle:
		fe.Add("title", "summary.title.too_long", maxSummaryTitle)
	}
	if utf8.RuneCountInString(sum.Author) > maxSummaryTitle {
		fe.Add("author", "summary.title.too_long", maxSummaryTitle)
	}
	if len(sum.Blocks) > maxSummaryBlocks {
		fe.Add("blocks", "summary.too_long", maxSummaryBlocks)
	}
	total := 0
	for i, b := range sum.Blocks {
		switch b.Kind {
		case nuanxin.BlockHeading, nuanxin.BlockSubheading, nuanxin.BlockParagraph:
		default:
			fe.Add("blocks", "summary.block.kind", i+1)
		}
		for _, r := range b.Runs {
			total += utf8.RuneCountInString(r.Text)
		}
	}
	if total > maxSummaryText {
		fe.Add("blocks", "summary.too_long", maxSummaryBlocks)
	}
	if !sum.Period.Valid() {
		fe.Add("period", "period.invalid", sum.Period.String())
	}
	return fe.Err()
}

// CreateSummary saves a summary generated for an org the caller may write
// reports for.
func (db *DB) CreateSummary(ctx context.Context, s *nuanxin.Scope, sum *nuanxin.Summary) error {
	blocks, err := summaryBody(sum)
	if err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermReportWrite, sum.OrgID)
		if err != nil {
			return err
		}
		sum.OrgPath, sum.OrgName = org.Path, org.Name
		sum.CreatedAt, sum.UpdatedAt, sum.UpdatedBy, sum.Version = tx.now, tx.now, s.DisplayName(), 1
		if err := tx.QueryRowContext(ctx, `INSERT INTO summaries (org_id, org_path, period_from, period_to, campaign_id, title, author,
			date, blocks_json, created_by, created_at, updated_by, updated_at, version)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$11,1) RETURNING id`,
			org.ID, org.Path, sum.Period.From, sum.Period.To, nullID(sum.CampaignID), sum.Title, sum.Author, sum.Date,
			blocks, s.UserID, ms(tx.now), sum.UpdatedBy).Scan(&sum.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "summary.create", "summary", sum.ID, org.Path, nil,
			map[string]any{"title": sum.Title, "period": sum.Period.String()})
	})
}

// UpdateSummary saves the officer's edits of the title, 落款 and body.
func (db *DB) UpdateSummary(ctx context.Context, s *nuanxin.Scope, sum *nuanxin.Summary) error {
	blocks, err := summaryBody(sum)
	if err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		old, err := summaryInScope(ctx, tx, s, nuanxin.PermReportWrite, sum.ID)
		if err != nil {
			return err
		}
		if old.Version != sum.Version {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "summary.stale", old.UpdatedBy)
		}
		res, err := tx.ExecContext(ctx, `UPDATE summaries SET title = $1, author = $2, date = $3, blocks_json = $4, updated_by = $5,
			updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8`,
			sum.Title, sum.Author, sum.Date, blocks, s.DisplayName(), ms(tx.now), sum.ID, sum.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "summary.stale", old.UpdatedBy)
		}
		sum.Version++
		sum.OrgID, sum.OrgPath, sum.OrgName, sum.Period, sum.CampaignID = old.OrgID, old.OrgPath, old.OrgName, old.Period, old.CampaignID
		sum.UpdatedBy, sum.UpdatedAt, sum.CreatedAt = s.DisplayName(), tx.now, old.CreatedAt
		return tx.audit(ctx, "summary.update", "summary", sum.ID, old.OrgPath,
			map[string]any{"title": old.Title, "version": old.Version}, map[string]any{"title": sum.Title, "version": sum.Version})
	})
}

func summaryInScope(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, id int64) (*nuanxin.Summary, error) {
	args := []any{id}
	cond := scopeCond("s.org_path", s.Paths(perm), &args)
	sum, err := scanSummary(q.QueryRowContext(ctx, `SELECT `+summaryCols+` FROM summaries s JOIN orgs o ON o.id = s.org_id
		WHERE s.id = $1 AND `+cond, args...), true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.summary")
	}
	return sum, err
}

// FindSummary reads a saved summary with its body.
func (db *DB) FindSummary(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.Summary, error) {
	return summaryInScope(ctx, db.read, s, nuanxin.PermReportRead, id)
}

// FindSummaries lists saved summaries (without their bodies), newest
// edit first.
func (db *DB) FindSummaries(ctx context.Context, s *nuanxin.Scope, f nuanxin.SummaryFilter) ([]*nuanxin.Summary, int, error) {
	var args []any
	cond := scopeCond("s.org_path", s.Paths(nuanxin.PermReportRead), &args)
	if f.OrgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermReportRead, f.OrgID)
		if err != nil {
			return nil, 0, err
		}
		args = append(args, org.Path, prefixEnd(org.Path))
		cond += " AND s.org_path >= $" + itoa(len(args)-1) + " AND s.org_path <= $" + itoa(len(args))
	}
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM summaries s WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := db.read.QueryContext(ctx, `SELECT `+summaryCols+` FROM summaries s JOIN orgs o ON o.id = s.org_id WHERE `+cond+`
		ORDER BY s.updated_at DESC, s.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*nuanxin.Summary
	for rows.Next() {
		sum, err := scanSummary(rows, false)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, sum)
	}
	return out, total, rows.Err()
}

// DeleteSummary removes a saved summary.
func (db *DB) DeleteSummary(ctx context.Context, s *nuanxin.Scope, id int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		old, err := summaryInScope(ctx, tx, s, nuanxin.PermReportWrite, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM summaries WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.audit(ctx, "summary.delete", "summary", id, old.OrgPath, map[string]any{"title": old.Title}, nil)
	})
}
