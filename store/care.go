package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

const careCols = `c.id, c.org_id, c.org_path, o.name, c.member_id, m.name, m.id_masked, m.department,
	c.member_category, m.status, m.birth_date, COALESCE(c.relative_id, 0), c.relative_name, c.relation,
	c.category, c.holiday, c.holiday_year, c.event_date, c.hospital, c.hospital_days, c.surgery,
	c.form, c.amount, c.goods, c.reason, c.notes, c.visited_on, c.visited_by, c.visit_notes,
	c.status, c.reject_reason, COALESCE(c.campaign_id, 0), c.delivery, COALESCE(c.batch_id, 0), c.paid_on, c.signed_on,
	c.historical, c.warnings_json, c.drafted_by, c.drafted_by_name, c.reviewed_by, c.approved_by,
	c.version, c.created_at, c.updated_at`

const careFrom = ` FROM care_cases c JOIN members m ON m.id = c.member_id JOIN orgs o ON o.id = c.org_id`

func scanCare(sc interface{ Scan(...any) error }) (*nuanxin.CareCase, error) {
	var c nuanxin.CareCase
	var warnings string
	var created, updated int64
	if err := sc.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.OrgName, &c.MemberID, &c.MemberName, &c.MemberIDMasked, &c.Department,
		&c.MemberCategory, &c.MemberStatus, &c.MemberBirth, &c.RelativeID, &c.RelativeName, &c.Relation,
		&c.Category, &c.Holiday, &c.HolidayYear, &c.EventDate, &c.Hospital, &c.HospitalDays, &c.Surgery,
		&c.Form, &c.Amount, &c.Goods, &c.Reason, &c.Notes, &c.VisitedOn, &c.VisitedBy, &c.VisitNotes,
		&c.Status, &c.RejectReason, &c.CampaignID, &c.Delivery, &c.BatchID, &c.PaidOn, &c.SignedOn,
		&c.Historical, &warnings, &c.DraftedBy, &c.DraftedByName, &c.ReviewedBy, &c.ApprovedBy,
		&c.Version, &created, &updated); err != nil {
		return nil, err
	}
	if warnings != "" {
		_ = json.Unmarshal([]byte(warnings), &c.Warnings)
	}
	c.CreatedAt, c.UpdatedAt = fromMS(created), fromMS(updated)
	return &c, nil
}

// careInScope loads a case the scope holds perm on; a member-role user may
// read their own cases. Anything else is "not found".
func careInScope(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, id int64) (*nuanxin.CareCase, error) {
	args := []any{id}
	cond := scopeCond("c.org_path", s.Paths(perm), &args)
	if perm == nuanxin.PermCareRead && s != nil && s.MemberID != 0 {
		args = append(args, s.MemberID)
		cond = "(" + cond + " OR c.member_id = $" + itoa(len(args)) + ")"
	}
	c, err := scanCare(q.QueryRowContext(ctx, `SELECT `+careCols+careFrom+` WHERE c.id = $1 AND `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.care_case")
	}
	return c, err
}

func (db *DB) FindCareCase(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.CareCase, error) {
	return careInScope(ctx, db.read, s, nuanxin.PermCareRead, id)
}

// careWhere is the condition of a case list: scope, then the filter.
func (db *DB) careWhere(ctx context.Context, s *nuanxin.Scope, f nuanxin.CareFilter, withStatus bool) (string, []any, error) {
	var args []any
	var where []string
	paths := s.Paths(nuanxin.PermCareRead)
	if f.MemberID != 0 && s.MemberID == f.MemberID {
		// A member sees their own cases whatever their grants.
		args = append(args, f.MemberID)
		where = append(where, "c.member_id = $1")
	} else {
		where = append(where, scopeCond("c.org_path", paths, &args))
		if f.MemberID != 0 {
			args = append(args, f.MemberID)
			where = append(where, "c.member_id = $"+itoa(len(args)))
		}
	}
	add := func(clause string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(clause, "?", "$"+itoa(len(args))))
	}
	if f.OrgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, f.OrgID)
		if err != nil {
			return "", nil, err
		}
		add("c.org_path >= ?", org.Path)
		add("c.org_path <= ?", prefixEnd(org.Path))
	}
	if f.Category != "" {
		add("c.category = ?", string(f.Category))
	}
	if f.Form != "" {
		add("c.form = ?", string(f.Form))
	}
	if withStatus && f.Status != "" {
		add("c.status = ?", string(f.Status))
	}
	if withStatus && len(f.Statuses) > 0 {
		var ph []string
		for _, st := range f.Statuses {
			args = append(args, string(st))
			ph = append(ph, "$"+itoa(len(args)))
		}
		where = append(where, "c.status IN ("+strings.Join(ph, ",")+")")
	}
	if !f.From.IsZero() {
		add("c.event_date >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("c.event_date <= ?", f.To)
	}
	if f.BatchID != 0 {
		add("c.batch_id = ?", f.BatchID)
	}
	if f.CampaignID != 0 {
		add("c.campaign_id = ?", f.CampaignID)
	}
	if f.DraftedBy != 0 {
		add("c.drafted_by = ?", f.DraftedBy)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, q, strings.ToLower(q)+"%", q+"%")
		n := len(args)
		where = append(where, "(m.employee_no = $"+itoa(n-2)+" OR m.pinyin LIKE $"+itoa(n-1)+" OR m.name LIKE $"+itoa(n)+")")
	}
	return strings.Join(where, " AND "), args, nil
}

func (db *DB) FindCareCases(ctx context.Context, s *nuanxin.Scope, f nuanxin.CareFilter) (*nuanxin.CareList, error) {
	cond, args, err := db.careWhere(ctx, s, f, true)
	if err != nil {
		return nil, err
	}
	list := &nuanxin.CareList{}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+careFrom+` WHERE `+cond, args...).Scan(&list.Total); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := db.read.QueryContext(ctx, `SELECT `+careCols+careFrom+` WHERE `+cond+
		` ORDER BY c.event_date DESC, c.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCare(rows)
		if err != nil {
			return nil, err
		}
		list.Cases = append(list.Cases, c)
	}
	return list, rows.Err()
}

func (db *DB) CountCareByStatus(ctx context.Context, s *nuanxin.Scope, f nuanxin.CareFilter) (map[nuanxin.CareStatus]int, error) {
	cond, args, err := db.careWhere(ctx, s, f, false)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT c.status, COUNT(*)`+careFrom+` WHERE `+cond+` GROUP BY c.status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[nuanxin.CareStatus]int{}
	for rows.Next() {
		var st nuanxin.CareStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

func (db *DB) FindCareSteps(ctx context.Context, s *nuanxin.Scope, caseID int64) ([]*nuanxin.CareStep, error) {
	if _, err := careInScope(ctx, db.read, s, nuanxin.PermCareRead, caseID); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, case_id, action, from_status, to_status, reason, user_id, username, at
		FROM care_steps WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.CareStep
	for rows.Next() {
		var st nuanxin.CareStep
		var at int64
		if err := rows.Scan(&st.ID, &st.CaseID, &st.Action, &st.From, &st.To, &st.Reason, &st.UserID, &st.Username, &at); err != nil {
			return nil, err
		}
		st.At = fromMS(at)
		out = append(out, &st)
	}
	return out, rows.Err()
}

var customCategoryRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// maxCareAmount bounds one case: 100万元 is far above any 慰问 and catches
// an amount typed in fen or with extra zeros.
const maxCareAmount = nuanxin.Money(100_000_000)

// MaxCareBatch bounds one batch entry or one transition call.
const MaxCareBatch = 1000

// normalizeCare trims the text fields and checks what needs no database.
func normalizeCare(c *nuanxin.CareCase, today nuanxin.Date) nuanxin.FieldErrors {
	for _, p := range []*string{&c.Goods, &c.Reason, &c.Notes, &c.Hospital, &c.VisitedBy, &c.VisitNotes} {
		*p = strings.TrimSpace(*p)
	}
	var fe nuanxin.FieldErrors
	if c.MemberID == 0 {
		fe.Add("member_id", "care.member.required")
	}
	if c.Category == "" || (!c.Category.Builtin() && !customCategoryRE.MatchString(string(c.Category))) {
		fe.Add("category", "care.category.invalid")
	}
	switch {
	case c.EventDate.IsZero():
		fe.Add("event_date", "care.date.required")
	case c.EventDate.After(today):
		fe.Add("event_date", "care.date.future")
	}
	if !containsForm(c.Form) {
		fe.Add("form", "care.form.invalid")
	}
	switch {
	case c.Amount <= 0:
		fe.Add("amount", "care.amount.invalid")
	case c.Amount > maxCareAmount:
		fe.Add("amount", "care.amount.too_large")
	}
	if (c.Form == nuanxin.FormGoods || c.Form == nuanxin.FormVoucher) && c.Goods == "" {
		fe.Add("goods", "care.goods.required")
	}
	if c.Category == nuanxin.CareHoliday {
		if c.Holiday == "" || !containsHoliday(c.Holiday) {
			fe.Add("holiday", "care.holiday.required")
		}
		if c.HolidayYear == 0 && !c.EventDate.IsZero() {
			c.HolidayYear = c.EventDate.Year
		}
	} else {
		c.Holiday, c.HolidayYear = "", 0
	}
	if c.Category != nuanxin.CareIllness {
		c.Hospital, c.HospitalDays, c.Surgery = "", 0, false
	} else if c.HospitalDays < 0 || c.HospitalDays > 366 {
		fe.Add("hospital_days", "care.hospital.days")
	}
	for _, t := range []struct {
		field, label string
		v            string
		max          int
	}{{"goods", "物品", c.Goods, 100}, {"reason", "慰问事由", c.Reason, 100}, {"notes", "备注", c.Notes, 500},
		{"hospital", "医院", c.Hospital, 60}} {
		if utf8.RuneCountInString(t.v) > t.max {
			fe.Add(t.field, "care.text.too_long", t.label, t.max)
		}
	}
	return fe
}

func containsForm(f nuanxin.CareForm) bool {
	for _, x := range nuanxin.CareForms {
		if x == f {
			return true
		}
	}
	return false
}

func containsHoliday(h nuanxin.Holiday) bool {
	for _, x := range nuanxin.Holidays {
		if x == h {
			return true
		}
	}
	return false
}

// fillMember copies onto the case what the policy needs of the member and
// of the relative concerned, read inside tx.
func fillMember(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, c *nuanxin.CareCase) error {
	m, err := memberInScope(ctx, q, s, perm, c.MemberID)
	if err != nil {
		return err
	}
	c.OrgID, c.OrgPath, c.OrgName = m.OrgID, m.OrgPath, m.OrgName
	c.MemberName, c.MemberIDMasked, c.Department = m.Name, m.IDMasked, m.Department
	c.MemberCategory, c.MemberStatus, c.MemberBirth = m.Category, m.Status, m.BirthDate
	c.RelativeName, c.Relation = "", ""
	if c.RelativeID != 0 {
		err := q.QueryRowContext(ctx, `SELECT name, relation FROM relatives WHERE id = $1 AND member_id = $2`,
			c.RelativeID, c.MemberID).Scan(&c.RelativeName, &c.Relation)
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.Invalid("relative_id", "care.relative.wrong")
		}
		return err
	}
	return nil
}

// history is the person's cases as the policy engine sees them. paidOnly
// reads what has really been paid: the paying transaction checks against
// money that has left, not against cases still on their way.
func history(ctx context.Context, q querier, memberID int64, paidOnly bool) ([]nuanxin.PriorCase, error) {
	cond := "status NOT IN ('draft','cancelled')"
	if paidOnly {
		cond = "status IN ('paid','signed')"
	}
	rows, err := q.QueryContext(ctx, `SELECT id, category, holiday, holiday_year, event_date, amount, COALESCE(relative_id, 0), status
		FROM care_cases WHERE member_id = $1 AND `+cond, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nuanxin.PriorCase
	for rows.Next() {
		var p nuanxin.PriorCase
		if err := rows.Scan(&p.ID, &p.Category, &p.Holiday, &p.HolidayYear, &p.EventDate, &p.Amount, &p.RelativeID, &p.Status); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// checkCase runs the policy on c inside q and returns its decisions. It
// also answers the checks that need the policy: a relative is named where
// the category concerns one.
func checkCase(ctx context.Context, q querier, c *nuanxin.CareCase, paidOnly bool) ([]nuanxin.Decision, error) {
	pol, err := policyFor(ctx, q, c.OrgPath)
	if err != nil {
		return nil, err
	}
	if r := pol.Rule(c.Category); r != nil && r.ForRelative && c.RelativeID == 0 {
		return nil, nuanxin.Invalid("relative_id", "care.relative.required")
	}
	hist, err := history(ctx, q, c.MemberID, paidOnly)
	if err != nil {
		return nil, err
	}
	return policy.Check(pol, c.Proposal(), hist), nil
}

func (db *DB) CheckCare(ctx context.Context, s *nuanxin.Scope, c *nuanxin.CareCase) ([]nuanxin.Decision, error) {
	if fe := normalizeCare(c, db.today()); len(fe) > 0 {
		return nil, fe
	}
	if err := fillMember(ctx, db.read, s, nuanxin.PermCareWrite, c); err != nil {
		return nil, err
	}
	return checkCase(ctx, db.read, c, false)
}

// CreateCareCases records new cases, all or none.
func (db *DB) CreateCareCases(ctx context.Context, s *nuanxin.Scope, cases []*nuanxin.CareCase, opt nuanxin.CareCreate) error {
	if len(cases) == 0 {
		return nuanxin.Invalid("", "care.empty")
	}
	if len(cases) > MaxCareBatch {
		return nuanxin.Invalid("", "care.too_many", MaxCareBatch)
	}
	today := db.today()
	for i, c := range cases {
		if fe := normalizeCare(c, today); len(fe) > 0 {
			if len(cases) == 1 {
				return fe
			}
			return rowErr(i+1, "", fe)
		}
	}
	which := func(i int, name string, err error) error {
		if len(cases) == 1 {
			return err
		}
		return rowErr(i+1, name, err)
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		for i, c := range cases {
			if err := fillMember(ctx, tx, s, nuanxin.PermCareWrite, c); err != nil {
				return which(i, "", err)
			}
			ds, err := checkCase(ctx, tx, c, false)
			if err != nil {
				return which(i, c.MemberName, err)
			}
			if err := heed(ds, opt.AcceptWarnings, i+1, c.MemberName, len(cases)); err != nil {
				return err
			}
			c.Warnings = ds
			c.Status = nuanxin.CareDraft
			if err := tx.insertCare(ctx, c, nuanxin.ActCreate, ""); err != nil {
				return err
			}
			if opt.Submit {
				if err := tx.step(ctx, c, nuanxin.ActSubmit, nuanxin.CareSubmitted, ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// heed turns decisions into an error: any block refuses the case; warnings
// refuse it until the officer has acknowledged them.
func heed(ds []nuanxin.Decision, accept bool, row int, name string, n int) error {
	if len(ds) == 0 || (accept && len(nuanxin.Blocks(ds)) == 0) {
		return nil
	}
	pe := &nuanxin.PolicyError{Decisions: ds, Name: name}
	if n > 1 {
		pe.Row = row
	}
	if blocks := nuanxin.Blocks(ds); len(blocks) > 0 {
		pe.Decisions = blocks
	}
	return pe
}

// rowErr says which case of a batch an error belongs to.
func rowErr(row int, name string, err error) error {
	var pe *nuanxin.PolicyError
	if errors.As(err, &pe) {
		pe.Row = row
		if name != "" {
			pe.Name = name
		}
		return pe
	}
	var e *nuanxin.Error
	var fe nuanxin.FieldErrors
	if errors.As(err, &fe) && len(fe) > 0 {
		e = fe[0]
	} else if !errors.As(err, &e) {
		return err
	}
	prefix := nuanxin.T("care.row_prefix", row)
	if name != "" {
		prefix += name + "："
	}
	return &nuanxin.Error{Code: e.Code, Field: e.Field, Key: "care.row_error", Args: []any{prefix, e.Error()}}
}

func (tx *Tx) insertCare(ctx context.Context, c *nuanxin.CareCase, act nuanxin.CareAction, handler string) error {
	warnings := ""
	if len(c.Warnings) > 0 {
		b, _ := json.Marshal(c.Warnings)
		warnings = string(b)
	}
	if !c.Historical {
		c.DraftedBy, c.DraftedByName = tx.scope.UserID, tx.scope.DisplayName()
	}
	c.Version = 1
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	now := ms(tx.now)
	err := tx.QueryRowContext(ctx, `INSERT INTO care_cases (org_id, org_path, member_id, member_category, relative_id,
		relative_name, relation, category, holiday, holiday_year, event_date, hospital, hospital_days, surgery, form,
		amount, goods, reason, notes, handler, visited_on, visited_by, visit_notes, status, campaign_id, batch_id, paid_on,
		historical, warnings_json, drafted_by, drafted_by_name, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,1,$32,$32)
		RETURNING id`,
		c.OrgID, c.OrgPath, c.MemberID, string(c.MemberCategory), nullID(c.RelativeID), c.RelativeName, string(c.Relation),
		string(c.Category), string(c.Holiday), c.HolidayYear, c.EventDate, c.Hospital, c.HospitalDays, c.Surgery, string(c.Form),
		int64(c.Amount), c.Goods, c.Reason, c.Notes, handler, c.VisitedOn, c.VisitedBy, c.VisitNotes, string(c.Status),
		nullID(c.CampaignID), nullID(c.BatchID), c.PaidOn, c.Historical, warnings, c.DraftedBy, c.DraftedByName, now).Scan(&c.ID)
	if err != nil {
		return err
	}
	if err := tx.addStep(ctx, c.ID, act, "", c.Status, ""); err != nil {
		return err
	}
	if c.Status.Paid() { // an imported historical record
		if err := tx.tallyPaid(ctx, []tallyCase{tallyOf(c)}); err != nil {
			return err
		}
	}
	return tx.audit(ctx, "care."+string(act), "care_case", c.ID, c.OrgPath, nil, careAudit(c))
}

// careAudit is what the audit log keeps of a case: no 身份证号, no phone.
func careAudit(c *nuanxin.CareCase) map[string]any {
	out := map[string]any{
		"member_id": c.MemberID, "member": c.MemberName, "category": string(c.Category),
		"event_date": c.EventDate.String(), "form": string(c.Form), "amount": c.Amount.String(), "status": string(c.Status),
	}
	if c.Goods != "" {
		out["goods"] = c.Goods
	}
	if c.RelativeID != 0 {
		out["relative"] = c.RelativeName
	}
	if c.Holiday != "" {
		out["holiday"] = string(c.Holiday)
		out["holiday_year"] = c.HolidayYear
	}
	return out
}

func (tx *Tx) addStep(ctx context.Context, caseID int64, act nuanxin.CareAction, from, to nuanxin.CareStatus, reason string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO care_steps (case_id, action, from_status, to_status, reason, user_id, username, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, caseID, string(act), string(from), string(to), reason,
		tx.scope.UserID, tx.scope.DisplayName(), ms(tx.now))
	return err
}

// step moves c to status to: the row, the history line and the audit
// entry, in the caller's transaction.
func (tx *Tx) step(ctx context.Context, c *nuanxin.CareCase, act nuanxin.CareAction, to nuanxin.CareStatus, reason string) error {
	from := c.Status
	set := "status = $1, version = version + 1, updated_at = $2"
	args := []any{string(to), ms(tx.now)}
	switch act {
	case nuanxin.ActReview:
		set += ", reviewed_by = $3"
		args = append(args, tx.scope.UserID)
	case nuanxin.ActApprove:
		set += ", approved_by = $3"
		args = append(args, tx.scope.UserID)
	case nuanxin.ActReject:
		set += ", reject_reason = $3"
		args = append(args, reason)
	case nuanxin.ActSubmit:
		set += ", reject_reason = '', reviewed_by = 0, approved_by = 0"
	}
	args = append(args, c.ID, c.Version)
	res, err := tx.ExecContext(ctx, `UPDATE care_cases SET `+set+` WHERE id = $`+itoa(len(args)-1)+` AND version = $`+itoa(len(args)), args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nuanxin.Errorf(nuanxin.ECONFLICT, "err.stale")
	}
	c.Status = to
	c.Version++
	if err := tx.addStep(ctx, c.ID, act, from, to, reason); err != nil {
		return err
	}
	after := map[string]any{"status": string(to)}
	if reason != "" {
		after["reason"] = reason
	}
	return tx.audit(ctx, "care."+string(act), "care_case", c.ID, c.OrgPath, map[string]any{"status": string(from)}, after)
}

// UpdateCareCase saves edits of a draft; the policy is checked again.
func (db *DB) UpdateCareCase(ctx context.Context, s *nuanxin.Scope, c *nuanxin.CareCase, acceptWarnings bool) error {
	if fe := normalizeCare(c, db.today()); len(fe) > 0 {
		return fe
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		old, err := careInScope(ctx, tx, s, nuanxin.PermCareWrite, c.ID)
		if err != nil {
			return err
		}
		if old.Status != nuanxin.CareDraft {
			return nuanxin.Errorf(nuanxin.EINVALID, "care.not_editable", old.MemberName, old.Status.Label())
		}
		if old.Version != c.Version {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "err.stale")
		}
		if err := fillMember(ctx, tx, s, nuanxin.PermCareWrite, c); err != nil {
			return err
		}
		ds, err := checkCase(ctx, tx, c, false)
		if err != nil {
			return err
		}
		if err := heed(ds, acceptWarnings, 0, c.MemberName, 1); err != nil {
			return err
		}
		warnings := ""
		if len(ds) > 0 {
			b, _ := json.Marshal(ds)
			warnings = string(b)
		}
		res, err := tx.ExecContext(ctx, `UPDATE care_cases SET org_id = $1, org_path = $2, member_id = $3, member_category = $4,
			relative_id = $5, relative_name = $6, relation = $7, category = $8, holiday = $9, holiday_year = $10,
			event_date = $11, hospital = $12, hospital_days = $13, surgery = $14, form = $15, amount = $16, goods = $17,
			reason = $18, notes = $19, warnings_json = $20, version = version + 1, updated_at = $21
			WHERE id = $22 AND version = $23`,
			c.OrgID, c.OrgPath, c.MemberID, string(c.MemberCategory), nullID(c.RelativeID), c.RelativeName, string(c.Relation),
			string(c.Category), string(c.Holiday), c.HolidayYear, c.EventDate, c.Hospital, c.HospitalDays, c.Surgery,
			string(c.Form), int64(c.Amount), c.Goods, c.Reason, c.Notes, warnings, ms(tx.now), c.ID, c.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "err.stale")
		}
		c.Version++
		c.Status = old.Status
		c.Warnings = ds
		return tx.audit(ctx, "care.update", "care_case", c.ID, c.OrgPath, careAudit(old), careAudit(c))
	})
}

// stepPerm is the permission each workflow action needs.
var stepPerm = map[nuanxin.CareAction]nuanxin.Perm{
	nuanxin.ActSubmit:  nuanxin.PermCareWrite,
	nuanxin.ActReview:  nuanxin.PermCareReview,
	nuanxin.ActApprove: nuanxin.PermCareApprove,
	nuanxin.ActCancel:  nuanxin.PermCareWrite,
}

// TransitionCare moves cases one step, all or none.
func (db *DB) TransitionCare(ctx context.Context, s *nuanxin.Scope, ids []int64, act nuanxin.CareAction, reason string) error {
	reason = strings.TrimSpace(reason)
	if len(ids) == 0 {
		return nuanxin.Invalid("", "care.step.none")
	}
	if len(ids) > MaxCareBatch {
		return nuanxin.Invalid("", "care.too_many", MaxCareBatch)
	}
	if (act == nuanxin.ActReject || act == nuanxin.ActCancel) && reason == "" {
		return nuanxin.Invalid("reason", "care.reason.required", act.Label())
	}
	if utf8.RuneCountInString(reason) > 200 {
		return nuanxin.Invalid("reason", "care.text.too_long", "理由", 200)
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		settings := map[string]bool{}
		for i, id := range ids {
			if err := tx.transition(ctx, s, id, act, reason, settings); err != nil {
				if len(ids) > 1 {
					return rowErr(i+1, "", err)
				}
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) transition(ctx context.Context, s *nuanxin.Scope, id int64, act nuanxin.CareAction, reason string, oneStepCache map[string]bool) error {
	c, err := careInScope(ctx, tx, s, nuanxin.PermCareRead, id)
	if err != nil {
		return err
	}
	oneStep, ok := oneStepCache[c.OrgPath]
	if !ok {
		if oneStep, err = oneStepAt(ctx, tx, c.OrgPath); err != nil {
			return err
		}
		oneStepCache[c.OrgPath] = oneStep
	}
	notAllowed := nuanxin.Errorf(nuanxin.EINVALID, "care.step.not_allowed", c.MemberName, c.Status.Label(), act.Label())
	var to nuanxin.CareStatus
	perm := stepPerm[act]
	switch act {
	case nuanxin.ActSubmit:
		if c.Status != nuanxin.CareDraft {
			return notAllowed
		}
		to = nuanxin.CareSubmitted
	case nuanxin.ActReview:
		if c.Status != nuanxin.CareSubmitted || oneStep {
			return notAllowed
		}
		to = nuanxin.CareReviewed
	case nuanxin.ActApprove:
		if !(c.Status == nuanxin.CareReviewed || (oneStep && c.Status == nuanxin.CareSubmitted)) {
			return notAllowed
		}
		to = nuanxin.CareApproved
	case nuanxin.ActReject:
		switch {
		case c.Status == nuanxin.CareSubmitted:
			to, perm = nuanxin.CareDraft, nuanxin.PermCareReview
			if oneStep {
				perm = nuanxin.PermCareApprove
			}
		case c.Status == nuanxin.CareReviewed:
			to, perm = nuanxin.CareSubmitted, nuanxin.PermCareApprove
		case c.Status == nuanxin.CareApproved:
			to, perm = nuanxin.CareReviewed, nuanxin.PermCareApprove
			if oneStep {
				to = nuanxin.CareSubmitted
			}
		default:
			return notAllowed
		}
	case nuanxin.ActCancel:
		if c.Status.Paid() || c.Status == nuanxin.CareCancelled {
			return notAllowed
		}
		to = nuanxin.CareCancelled
	default:
		return notAllowed
	}
	if !s.Can(perm, c.OrgPath) {
		return nuanxin.Errorf(nuanxin.EFORBIDDEN, "err.forbidden")
	}
	// Separation of duties (不相容岗位分离): whoever decides on a case did
	// not draft it, is not paid by it, and an approval is a second pair of
	// eyes after the review.
	if act == nuanxin.ActReview || act == nuanxin.ActApprove || act == nuanxin.ActReject {
		if err := tx.separate(c, act); err != nil {
			return err
		}
	}
	if act == nuanxin.ActSubmit || act == nuanxin.ActApprove {
		ds, err := checkCase(ctx, tx, c, false)
		if err != nil {
			return err
		}
		if blocks := nuanxin.Blocks(ds); len(blocks) > 0 {
			return &nuanxin.PolicyError{Decisions: blocks, Name: c.MemberName}
		}
		if act == nuanxin.ActSubmit {
			b, _ := json.Marshal(ds)
			if len(ds) == 0 {
				b = nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE care_cases SET warnings_json = $1 WHERE id = $2`, string(b), c.ID); err != nil {
				return err
			}
		}
	}
	return tx.step(ctx, c, act, to, reason)
}

// separate enforces the separation of duties on a decision about c.
func (tx *Tx) separate(c *nuanxin.CareCase, act nuanxin.CareAction) error {
	s := tx.scope
	if s.System {
		return nil
	}
	if s.Self(c.MemberID) {
		return nuanxin.Errorf(nuanxin.EFORBIDDEN, "care.step.own_case", c.MemberName)
	}
	if act == nuanxin.ActReject {
		return nil // sending back one's own case is harmless
	}
	if c.DraftedBy == s.UserID {
		return nuanxin.Errorf(nuanxin.EFORBIDDEN, "care.step.own_draft", c.MemberName)
	}
	if act == nuanxin.ActApprove && c.ReviewedBy == s.UserID {
		return nuanxin.Errorf(nuanxin.EFORBIDDEN, "care.step.same_reviewer", c.MemberName)
	}
	return nil
}

// oneStepAt reads the workflow setting in force at path: the nearest
// ancestor's (or the org's own).
func oneStepAt(ctx context.Context, q querier, path string) (bool, error) {
	ids := nuanxin.PathIDs(path)
	in, args := int64List(ids)
	rows, err := q.QueryContext(ctx, `SELECT org_id, one_step FROM care_settings WHERE org_id IN (`+in+`)`, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	set := map[int64]bool{}
	for rows.Next() {
		var id int64
		var one bool
		if err := rows.Scan(&id, &one); err != nil {
			return false, err
		}
		set[id] = one
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if v, ok := set[ids[i]]; ok {
			return v, rows.Err()
		}
	}
	return false, rows.Err()
}

func (db *DB) CareSettings(ctx context.Context, s *nuanxin.Scope, orgID int64) (*nuanxin.CareSettings, error) {
	org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
	if err != nil {
		return nil, err
	}
	one, err := oneStepAt(ctx, db.read, org.Path)
	if err != nil {
		return nil, err
	}
	return &nuanxin.CareSettings{OrgID: org.ID, OneStep: one}, nil
}

func (db *DB) SetCareSettings(ctx context.Context, s *nuanxin.Scope, cs nuanxin.CareSettings) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermPolicyManage, cs.OrgID)
		if err != nil {
			return err
		}
		before, err := oneStepAt(ctx, tx, org.Path)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_settings (org_id, one_step) VALUES ($1,$2)
			ON CONFLICT (org_id) DO UPDATE SET one_step = excluded.one_step`, org.ID, cs.OneStep); err != nil {
			return err
		}
		return tx.audit(ctx, "care.settings", "org", org.ID, org.Path,
			map[string]bool{"one_step": before}, map[string]bool{"one_step": cs.OneStep})
	})
}

// RecordVisit records the 走访 of a case.
func (db *DB) RecordVisit(ctx context.Context, s *nuanxin.Scope, caseID int64, on nuanxin.Date, by, notes string) error {
	by, notes = strings.TrimSpace(by), strings.TrimSpace(notes)
	var fe nuanxin.FieldErrors
	switch {
	case on.IsZero():
		fe.Add("visited_on", "care.visit.date")
	case on.After(db.today()):
		fe.Add("visited_on", "care.date.future")
	}
	if by == "" {
		fe.Add("visited_by", "care.visit.by")
	}
	if utf8.RuneCountInString(notes) > 500 {
		fe.Add("visit_notes", "care.text.too_long", "走访情况", 500)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		c, err := careInScope(ctx, tx, s, nuanxin.PermCareWrite, caseID)
		if err != nil {
			return err
		}
		if c.Status == nuanxin.CareCancelled {
			return nuanxin.Errorf(nuanxin.EINVALID, "care.step.not_allowed", c.MemberName, c.Status.Label(), nuanxin.ActVisit.Label())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_cases SET visited_on = $1, visited_by = $2, visit_notes = $3,
			updated_at = $4 WHERE id = $5`, on, by, notes, ms(tx.now), c.ID); err != nil {
			return err
		}
		if err := tx.addStep(ctx, c.ID, nuanxin.ActVisit, c.Status, c.Status, on.String()+" "+by); err != nil {
			return err
		}
		return tx.audit(ctx, "care.visit", "care_case", c.ID, c.OrgPath,
			map[string]string{"visited_on": c.VisitedOn.String(), "visited_by": c.VisitedBy},
			map[string]string{"visited_on": on.String(), "visited_by": by, "notes": notes})
	})
}
