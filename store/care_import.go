package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

// errDryRun rolls back a dry run that did everything a commit does, so the
// officer sees exactly what the commit would do (including what earlier
// rows of the same file do to the checks of later ones).
var errDryRun = errors.New("dry run")

// careKey identifies a historical record: the same member, category, day,
// amount and form is the same 慰问 (a second import of a file is a no-op).
type careKey struct {
	member   int64
	category nuanxin.CareCategory
	date     nuanxin.Date
	amount   nuanxin.Money
	form     nuanxin.CareForm
}

// ImportCare enters historical care records as paid, all valid rows in one
// transaction. A rule a record breaks is a warning on its row.
func (db *DB) ImportCare(ctx context.Context, s *nuanxin.Scope, src nuanxin.CareRowSource, opt nuanxin.CareImportOptions) (*nuanxin.ImportReport, error) {
	rep := &nuanxin.ImportReport{DryRun: opt.DryRun, Errors: []nuanxin.RowError{}}
	org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareWrite, opt.OrgID)
	if err != nil {
		return nil, err
	}
	today := db.today()
	err = db.withTx(ctx, s, func(tx *Tx) error {
		im := &careImport{tx: tx, db: db, org: org, rep: rep, seen: map[careKey]int{}, pols: map[string]*nuanxin.Policy{}}
		for {
			row, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if err := im.row(ctx, row, today); err != nil {
				return err
			}
			if opt.Progress != nil && rep.Total%500 == 0 {
				opt.Progress(nuanxin.ImportProgress{Phase: "write", Rows: rep.Total})
			}
		}
		if opt.Progress != nil {
			opt.Progress(nuanxin.ImportProgress{Phase: "write", Rows: rep.Total, Total: rep.Total})
		}
		if rep.Created > 0 {
			if err := tx.audit(ctx, "care.import", "org", org.ID, org.Path, nil,
				map[string]int{"created": rep.Created, "unchanged": rep.Unchanged, "rejected": rep.Rejected}); err != nil {
				return err
			}
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, err
	}
	return rep, nil
}

// decisionField points a rule's finding at the column the officer would
// look at: a cap at the amount, a frequency at the date.
var decisionField = map[string]string{
	"cap": "amount", "no_cap": "amount", "holiday_cap": "amount", "holiday_total": "amount",
	"frequency": "date", "birthday_month": "date", "holiday_date": "date", "holiday_again": "date",
	"form": "form", "category": "category", "holiday": "category", "eligible": "name", "status": "name",
	"death_status": "category", "retirement_category": "category",
}

type careImport struct {
	tx   *Tx
	db   *DB
	org  *nuanxin.Org
	rep  *nuanxin.ImportReport
	seen map[careKey]int // → first row
	pols map[string]*nuanxin.Policy
}

func (im *careImport) policy(ctx context.Context, path string) (*nuanxin.Policy, error) {
	if p, ok := im.pols[path]; ok {
		return p, nil
	}
	p, err := policyFor(ctx, im.tx, path)
	if err != nil {
		return nil, err
	}
	im.pols[path] = p
	return p, nil
}

// row imports one record; errors of the row go to the report, and only a
// database failure is returned.
func (im *careImport) row(ctx context.Context, r *nuanxin.CareRow, today nuanxin.Date) error {
	res := nuanxin.ImportRowResult{Row: r.Row, Name: r.Name}
	errs := append([]nuanxin.RowError(nil), r.Errors...)
	reject := func(field, key string, args ...any) {
		errs = append(errs, nuanxin.RowError{Row: r.Row, Column: r.Columns[field], Field: field, Reason: nuanxin.T(key, args...)})
	}
	finish := func(outcome nuanxin.ImportOutcome) {
		res.Outcome = outcome
		for _, e := range errs {
			if !e.Warning && outcome != nuanxin.OutcomeRejected {
				continue
			}
			im.rep.Errors = append(im.rep.Errors, e)
		}
		im.rep.Add(res)
	}
	if r.Rejected() {
		finish(nuanxin.OutcomeRejected)
		return nil
	}
	m, err := im.member(ctx, r, reject)
	if err != nil {
		return err
	}
	if m == nil {
		finish(nuanxin.OutcomeRejected)
		return nil
	}
	res.MemberID, res.IDMasked, res.Name = m.ID, m.IDMasked, m.Name
	pol, err := im.policy(ctx, m.OrgPath)
	if err != nil {
		return err
	}
	cat := r.Category
	if cat == "" {
		// A category of the union's own (家属住院) is found by its label.
		for _, rule := range pol.Rules {
			if rule.Label != "" && rule.Label == strings.TrimSpace(r.CategoryText) {
				cat = rule.Category
			}
		}
		if cat == "" {
			reject("category", "care.category.unknown", r.CategoryText)
			finish(nuanxin.OutcomeRejected)
			return nil
		}
	}
	c := &nuanxin.CareCase{MemberID: m.ID, Category: cat, Holiday: r.Holiday, EventDate: r.Date, Form: r.Form,
		Amount: r.Amount, Goods: r.Goods, Notes: r.Notes, Historical: true, Status: nuanxin.CarePaid, PaidOn: r.Date,
		OrgID: m.OrgID, OrgPath: m.OrgPath, OrgName: m.OrgName, MemberName: m.Name, MemberCategory: m.Category,
		MemberStatus: m.Status, MemberBirth: m.BirthDate}
	if cat == nuanxin.CareHoliday && c.Holiday == "" {
		// Old registers often say just 节日慰问: take the holiday the date
		// belongs to, and say so.
		c.Holiday, c.HolidayYear = policy.NearestHoliday(r.Date)
		errs = append(errs, nuanxin.RowError{Row: r.Row, Column: r.Columns["category"], Field: "category", Warning: true,
			Reason: nuanxin.T("care.import.holiday_guess", c.Holiday.Label(), c.HolidayYear)})
	}
	for _, e := range normalizeCare(c, today) {
		// An old register seldom names the goods; the record stays true
		// without them.
		if e.Field == "goods" {
			continue
		}
		field := e.Field
		if field == "event_date" {
			field = "date"
		}
		errs = append(errs, nuanxin.RowError{Row: r.Row, Column: r.Columns[field], Field: field, Reason: e.Error()})
	}
	if (&nuanxin.CareRow{Errors: errs}).Rejected() {
		finish(nuanxin.OutcomeRejected)
		return nil
	}
	key := careKey{m.ID, c.Category, c.EventDate, c.Amount, c.Form}
	if first, ok := im.seen[key]; ok {
		reject("", "care.import.duplicate", first)
		finish(nuanxin.OutcomeRejected)
		return nil
	}
	im.seen[key] = r.Row
	var existing int64
	err = im.tx.QueryRowContext(ctx, `SELECT id FROM care_cases WHERE member_id = $1 AND category = $2 AND event_date = $3
		AND amount = $4 AND form = $5 AND status <> 'cancelled' LIMIT 1`,
		m.ID, string(c.Category), c.EventDate, int64(c.Amount), string(c.Form)).Scan(&existing)
	if err == nil {
		finish(nuanxin.OutcomeUnchanged)
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	hist, err := history(ctx, im.tx, m.ID, false)
	if err != nil {
		return err
	}
	// It happened: a broken rule is reported, not refused.
	c.Warnings = policy.Check(pol, c.Proposal(), hist)
	for _, d := range c.Warnings {
		f := decisionField[d.Code]
		errs = append(errs, nuanxin.RowError{Row: r.Row, Column: r.Columns[f], Field: f, Warning: true,
			Reason: nuanxin.T("care.import.rule", d.Message)})
	}
	if err := im.tx.insertCare(ctx, c, nuanxin.ActImport, r.Handler); err != nil {
		return fmt.Errorf("row %d: %w", r.Row, err)
	}
	res.MemberID = m.ID
	finish(nuanxin.OutcomeCreated)
	return nil
}

// member finds the person of a row: by 身份证号, by masked number and name,
// or by name alone when it is unique in the subtree.
func (im *careImport) member(ctx context.Context, r *nuanxin.CareRow, reject func(string, string, ...any)) (*nuanxin.Member, error) {
	tx, org := im.tx, im.org
	sub := `m.org_path >= $2 AND m.org_path <= $3`
	var rows *sql.Rows
	var err error
	switch {
	case r.IDNumber != "" && !nuanxin.IsMaskedIDNumber(r.IDNumber):
		var m *nuanxin.Member
		m, err = scanMember(tx.QueryRowContext(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id
			WHERE m.id_hash = $1`, im.db.hash(r.IDNumber)))
		if errors.Is(err, sql.ErrNoRows) {
			reject("id_number", "care.import.member", nuanxin.MaskIDNumber(r.IDNumber))
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(m.OrgPath, org.Path) {
			name := nuanxin.T("care.import.other_org")
			if im.tx.scope.Can(nuanxin.PermCareRead, m.OrgPath) {
				name = m.OrgName
			}
			reject("id_number", "care.import.outside", name)
			return nil, nil
		}
		if r.Name != "" && r.Name != m.Name {
			reject("name", "care.import.name_mismatch", r.Name, m.Name)
			return nil, nil
		}
		return m, nil
	case r.IDNumber != "":
		rows, err = tx.QueryContext(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id
			WHERE m.name = $1 AND `+sub+` AND m.id_masked = $4`, r.Name, org.Path, prefixEnd(org.Path), r.IDNumber)
	default:
		rows, err = tx.QueryContext(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id
			WHERE m.name = $1 AND `+sub, r.Name, org.Path, prefixEnd(org.Path))
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []*nuanxin.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		found = append(found, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		reject("name", "care.import.no_name", r.Name)
	default:
		reject("name", "care.import.by_name", len(found), r.Name)
	}
	return nil, nil
}
