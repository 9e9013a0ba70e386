package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

const campaignCols = `c.id, c.org_id, c.org_path, o.name, c.name, c.kind, c.holiday, c.holiday_year, c.date_from, c.date_to,
	c.budget, c.cash, c.goods_json, c.head, c.criteria_json, c.status, c.notes, c.created_by, c.created_at, c.version`

func scanCampaign(sc interface{ Scan(...any) error }) (*nuanxin.Campaign, error) {
	var c nuanxin.Campaign
	var goods, crit string
	var at int64
	if err := sc.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.OrgName, &c.Name, &c.Kind, &c.Holiday, &c.HolidayYear, &c.From, &c.To,
		&c.Budget, &c.Cash, &goods, &c.Head, &crit, &c.Status, &c.Notes, &c.CreatedBy, &at, &c.Version); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(goods), &c.Goods); err != nil {
		return nil, fmt.Errorf("campaign %d goods: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(crit), &c.Criteria); err != nil {
		return nil, fmt.Errorf("campaign %d criteria: %w", c.ID, err)
	}
	c.CreatedAt = fromMS(at)
	return &c, nil
}

// campaignInScope loads a campaign the scope holds perm on, with its
// allotments. forUpdate locks its row on PostgreSQL, which serialises
// everyone paying from its budget.
func (db *DB) campaignInScope(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, id int64, forUpdate bool) (*nuanxin.Campaign, error) {
	args := []any{id}
	cond := scopeCond("c.org_path", s.Paths(perm), &args)
	if perm == nuanxin.PermCareRead {
		// The officers of a suborg that takes part read the campaign they
		// distribute (their cases stay filtered by their own scope).
		for _, p := range s.Paths(perm) {
			args = append(args, p)
			cond += " OR (c.org_path <= $" + itoa(len(args)) + " AND substr($" + itoa(len(args)) + ", 1, length(c.org_path)) = c.org_path)"
		}
		cond = "(" + cond + ")"
	}
	lock := ""
	if forUpdate {
		lock = db.forUpdate()
		if lock != "" {
			lock = " FOR UPDATE OF c"
		}
	}
	c, err := scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM campaigns c JOIN orgs o ON o.id = c.org_id
		WHERE c.id = $1 AND `+cond+lock, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.campaign")
	} else if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT a.org_id, a.org_path, o.name, a.budget, a.quota FROM campaign_allotments a
		JOIN orgs o ON o.id = a.org_id WHERE a.campaign_id = $1 ORDER BY a.org_path`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a nuanxin.Allotment
		if err := rows.Scan(&a.OrgID, &a.OrgPath, &a.OrgName, &a.Budget, &a.Quota); err != nil {
			return nil, err
		}
		c.Allotments = append(c.Allotments, &a)
	}
	return c, rows.Err()
}

func (db *DB) FindCampaign(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.Campaign, error) {
	return db.campaignInScope(ctx, db.read, s, nuanxin.PermCareRead, id, false)
}

// FindCampaigns lists the campaigns of the scope (or of a subtree), and
// the campaigns of the orgs above that a suborg takes part in.
func (db *DB) FindCampaigns(ctx context.Context, s *nuanxin.Scope, orgID int64) ([]*nuanxin.Campaign, error) {
	var args []any
	cond := scopeCond("c.org_path", s.Paths(nuanxin.PermCareRead), &args)
	// A 分工会's officers see the group's campaign they distribute.
	part := scopeCond("a.org_path", s.Paths(nuanxin.PermCareRead), &args)
	where := "(" + cond + " OR EXISTS (SELECT 1 FROM campaign_allotments a WHERE a.campaign_id = c.id AND " + part + "))"
	if orgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
		if err != nil {
			return nil, err
		}
		args = append(args, org.Path, prefixEnd(org.Path))
		where += " AND c.org_path >= $" + itoa(len(args)-1) + " AND c.org_path <= $" + itoa(len(args))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+campaignCols+` FROM campaigns c JOIN orgs o ON o.id = c.org_id
		WHERE `+where+` ORDER BY c.date_from DESC, c.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// validateCampaign checks what needs no database and fills the dates of a
// holiday campaign from the lunar calendar when they are not given.
func validateCampaign(c *nuanxin.Campaign) nuanxin.FieldErrors {
	c.Name, c.Notes = strings.TrimSpace(c.Name), strings.TrimSpace(c.Notes)
	var fe nuanxin.FieldErrors
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 60 {
		fe.Add("name", "campaign.name")
	}
	if !validCampaignKind(c.Kind) {
		fe.Add("kind", "campaign.kind")
	}
	if c.Kind == nuanxin.CampaignHoliday {
		day, err := policy.HolidayDate(c.Holiday, c.HolidayYear)
		if err != nil {
			fe.Add("holiday", "care.holiday.required")
		} else if c.From.IsZero() && c.To.IsZero() {
			// Holiday gifts go out in the fortnight before the holiday.
			c.From, c.To = nuanxin.DateOf(day.Time().AddDate(0, 0, -14)), day
		}
	} else {
		c.Holiday, c.HolidayYear = "", 0
	}
	if c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From) {
		fe.Add("from", "campaign.period")
	}
	if c.Budget <= 0 {
		fe.Add("budget", "campaign.budget")
	}
	if c.Cash < 0 {
		fe.Add("cash", "care.amount.invalid")
	}
	for i := range c.Goods {
		g := &c.Goods[i]
		g.Name, g.Unit = strings.TrimSpace(g.Name), strings.TrimSpace(g.Unit)
		if g.Name == "" || g.Qty <= 0 || g.UnitValue < 0 {
			fe.Add("goods", "campaign.goods", i+1)
			break
		}
	}
	if c.PerRecipient() <= 0 {
		fe.Add("cash", "campaign.standard")
	}
	if c.Head == "" {
		c.Head = nuanxin.DefaultHead(c.Kind.CareCategory())
		if c.Kind == nuanxin.CampaignWarmth {
			c.Head = "warmth"
		}
	}
	if _, ok := nuanxin.FindExpenseHead(c.Head); !ok {
		fe.Add("head", "care.pay.head")
	}
	seen := map[int64]bool{}
	var sum nuanxin.Money
	for _, a := range c.Allotments {
		if a.Budget < 0 || a.Quota < 0 || seen[a.OrgID] {
			fe.Add("allotments", "campaign.allotment")
			break
		}
		seen[a.OrgID] = true
		sum += a.Budget
	}
	if sum > c.Budget {
		fe.Add("allotments", "campaign.allotments_over", c.Budget.Grouped(), sum.Grouped())
	}
	return fe
}

func validCampaignKind(k nuanxin.CampaignKind) bool {
	for _, x := range nuanxin.CampaignKinds {
		if x == k {
			return true
		}
	}
	return false
}

// CreateCampaign records a campaign in preparation with its budget lines.
func (db *DB) CreateCampaign(ctx context.Context, s *nuanxin.Scope, c *nuanxin.Campaign) error {
	if fe := validateCampaign(c); len(fe) > 0 {
		return fe
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermCareWrite, c.OrgID)
		if err != nil {
			return err
		}
		c.OrgPath, c.OrgName = org.Path, org.Name
		c.Status, c.Version, c.CreatedBy, c.CreatedAt = nuanxin.CampaignDraft, 1, s.UserID, tx.now
		goods, _ := json.Marshal(nonNilGoods(c.Goods))
		crit, _ := json.Marshal(c.Criteria)
		if err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (org_id, org_path, name, kind, holiday, holiday_year,
			date_from, date_to, budget, cash, goods_json, head, criteria_json, status, notes, created_by, created_at, updated_at, version)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17,1) RETURNING id`,
			c.OrgID, c.OrgPath, c.Name, string(c.Kind), string(c.Holiday), c.HolidayYear, c.From, c.To, int64(c.Budget),
			int64(c.Cash), string(goods), c.Head, string(crit), string(c.Status), c.Notes, c.CreatedBy, ms(tx.now)).Scan(&c.ID); err != nil {
			return err
		}
		if err := tx.saveAllotments(ctx, s, c); err != nil {
			return err
		}
		return tx.audit(ctx, "campaign.create", "campaign", c.ID, c.OrgPath, nil, campaignAudit(c))
	})
}

func nonNilGoods(g []nuanxin.GoodsItem) []nuanxin.GoodsItem {
	if g == nil {
		return []nuanxin.GoodsItem{}
	}
	return g
}

func campaignAudit(c *nuanxin.Campaign) map[string]any {
	out := map[string]any{"name": c.Name, "kind": string(c.Kind), "from": c.From.String(), "to": c.To.String(),
		"budget": c.Budget.String(), "cash": c.Cash.String(), "goods": c.Goods, "criteria": c.Criteria, "status": string(c.Status)}
	var al []map[string]any
	for _, a := range c.Allotments {
		al = append(al, map[string]any{"org_id": a.OrgID, "budget": a.Budget.String(), "quota": a.Quota})
	}
	if al != nil {
		out["allotments"] = al
	}
	return out
}

// saveAllotments replaces the budget lines; each is a suborg strictly
// under the campaign's org.
func (tx *Tx) saveAllotments(ctx context.Context, s *nuanxin.Scope, c *nuanxin.Campaign) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_allotments WHERE campaign_id = $1`, c.ID); err != nil {
		return err
	}
	for _, a := range c.Allotments {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermCareRead, a.OrgID)
		if err != nil {
			return err
		}
		if org.Path == c.OrgPath || !strings.HasPrefix(org.Path, c.OrgPath) {
			return nuanxin.Invalid("allotments", "campaign.allotment_org", org.Name)
		}
		a.OrgPath, a.OrgName = org.Path, org.Name
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_allotments (campaign_id, org_id, org_path, budget, quota)
			VALUES ($1,$2,$3,$4,$5)`, c.ID, a.OrgID, a.OrgPath, int64(a.Budget), a.Quota); err != nil {
			return err
		}
	}
	return nil
}

// UpdateCampaign edits a campaign in preparation. The standard per
// recipient cannot change once a roster exists (the cases carry it).
func (db *DB) UpdateCampaign(ctx context.Context, s *nuanxin.Scope, c *nuanxin.Campaign) error {
	if fe := validateCampaign(c); len(fe) > 0 {
		return fe
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		old, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareWrite, c.ID, false)
		if err != nil {
			return err
		}
		if old.Version != c.Version {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "err.stale")
		}
		if old.Status == nuanxin.CampaignClosed {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.closed")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM care_cases WHERE campaign_id = $1 AND status <> 'cancelled'`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 && (old.PerRecipient() != c.PerRecipient() || old.Cash != c.Cash || old.Kind != c.Kind ||
			old.Holiday != c.Holiday || old.HolidayYear != c.HolidayYear) {
			return nuanxin.Invalid("cash", "campaign.standard_locked", n)
		}
		c.OrgID, c.OrgPath, c.OrgName, c.Status = old.OrgID, old.OrgPath, old.OrgName, old.Status
		goods, _ := json.Marshal(nonNilGoods(c.Goods))
		crit, _ := json.Marshal(c.Criteria)
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET name = $1, kind = $2, holiday = $3, holiday_year = $4, date_from = $5,
			date_to = $6, budget = $7, cash = $8, goods_json = $9, head = $10, criteria_json = $11, notes = $12, updated_at = $13,
			version = version + 1 WHERE id = $14`, c.Name, string(c.Kind), string(c.Holiday), c.HolidayYear, c.From, c.To,
			int64(c.Budget), int64(c.Cash), string(goods), c.Head, string(crit), c.Notes, ms(tx.now), c.ID); err != nil {
			return err
		}
		if err := tx.saveAllotments(ctx, s, c); err != nil {
			return err
		}
		// A smaller budget than what is already paid would be a lie.
		if err := db.checkSpent(ctx, tx, c); err != nil {
			return err
		}
		c.Version++
		return tx.audit(ctx, "campaign.update", "campaign", c.ID, c.OrgPath, campaignAudit(old), campaignAudit(c))
	})
}

// candidate is a member the criteria select.
type candidate struct {
	id                 int64
	name, orgName      string
	orgID              int64
	orgPath            string
	category           nuanxin.Category
	status             nuanxin.MemberStatus
	birth              nuanxin.Date
	pinyin, department string
}

// GenerateRoster adds the members the criteria select as draft cases.
func (db *DB) GenerateRoster(ctx context.Context, s *nuanxin.Scope, campaignID int64) (*nuanxin.RosterReport, error) {
	var rep *nuanxin.RosterReport
	err := db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareWrite, campaignID, false)
		if err != nil {
			return err
		}
		if c.Status == nuanxin.CampaignClosed {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.closed")
		}
		cands, err := db.candidates(ctx, tx, c, c.Criteria, c.Criteria.MemberIDs)
		if err != nil {
			return err
		}
		rep, err = db.addToRoster(ctx, tx, s, c, cands, "")
		return err
	})
	return rep, err
}

// AddRecipient puts one member on the roster by hand, with the reason.
func (db *DB) AddRecipient(ctx context.Context, s *nuanxin.Scope, campaignID, memberID int64, reason string) (*nuanxin.RosterReport, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, nuanxin.Invalid("reason", "campaign.reason")
	}
	var rep *nuanxin.RosterReport
	err := db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareWrite, campaignID, false)
		if err != nil {
			return err
		}
		if c.Status == nuanxin.CampaignClosed {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.closed")
		}
		if _, err := memberInScope(ctx, tx, s, nuanxin.PermCareWrite, memberID); err != nil {
			return err
		}
		// By hand, the criteria do not apply; the subtree, the status and
		// the policy still do.
		cands, err := db.candidates(ctx, tx, c, nuanxin.CampaignCriteria{IncludeReserved: true}, []int64{memberID})
		if err != nil {
			return err
		}
		if len(cands) == 0 {
			return nuanxin.Invalid("member_id", "campaign.member_outside")
		}
		rep, err = db.addToRoster(ctx, tx, s, c, cands, nuanxin.T("campaign.added_by_hand", reason))
		return err
	})
	return rep, err
}

// candidates runs the criteria over the campaign's subtree: members not
// yet on its roster, in roster order.
func (db *DB) candidates(ctx context.Context, q querier, c *nuanxin.Campaign, cr nuanxin.CampaignCriteria, ids []int64) ([]candidate, error) {
	args := []any{c.OrgPath, prefixEnd(c.OrgPath), c.ID}
	where := []string{"m.org_path >= $1", "m.org_path <= $2",
		"NOT EXISTS (SELECT 1 FROM care_cases x WHERE x.campaign_id = $3 AND x.member_id = m.id AND x.status <> 'cancelled')"}
	statuses := "'member'"
	if cr.IncludeReserved {
		statuses += ",'reserved'"
	}
	where = append(where, "m.status IN ("+statuses+")")
	inList := func(col string, vals []any) {
		var ph []string
		for _, v := range vals {
			args = append(args, v)
			ph = append(ph, "$"+itoa(len(args)))
		}
		where = append(where, col+" IN ("+strings.Join(ph, ",")+")")
	}
	if len(cr.Categories) > 0 {
		var v []any
		for _, x := range cr.Categories {
			v = append(v, string(x))
		}
		inList("m.category", v)
	}
	if len(cr.Departments) > 0 {
		var v []any
		for _, x := range cr.Departments {
			v = append(v, strings.TrimSpace(x))
		}
		inList("m.department", v)
	}
	if len(ids) > 0 {
		var v []any
		for _, x := range ids {
			v = append(v, x)
		}
		inList("m.id", v)
	}
	if len(cr.HardshipTiers) > 0 {
		// An active 困难职工档案 of the campaign's year (送温暖 in January
		// goes by the file of the year it starts in).
		var ph []string
		for _, t := range cr.HardshipTiers {
			args = append(args, string(t))
			ph = append(ph, "$"+itoa(len(args)))
		}
		args = append(args, c.From.Year)
		where = append(where, `EXISTS (SELECT 1 FROM hardship_files h WHERE h.member_id = m.id AND h.active
			AND h.tier IN (`+strings.Join(ph, ",")+`) AND h.year = $`+itoa(len(args))+`)`)
	}
	if cr.ChildStudent {
		year := c.From.Year
		args = append(args, nuanxin.NewDate(year-20, 1, 1), nuanxin.NewDate(year-17, 12, 31))
		where = append(where, `EXISTS (SELECT 1 FROM relatives r WHERE r.member_id = m.id AND r.relation = 'child'
			AND r.school <> '' AND r.birth_date >= $`+itoa(len(args)-1)+` AND r.birth_date <= $`+itoa(len(args))+`)`)
	}
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.name, o.name, m.org_id, m.org_path, m.category, m.status, m.birth_date, m.pinyin, m.department
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+strings.Join(where, " AND ")+` ORDER BY m.org_path, m.pinyin, m.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var k candidate
		if err := rows.Scan(&k.id, &k.name, &k.orgName, &k.orgID, &k.orgPath, &k.category, &k.status, &k.birth, &k.pinyin, &k.department); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// allotmentOf is the budget line a member's org falls under: the deepest
// allotment on its path, or nil.
func allotmentOf(c *nuanxin.Campaign, path string) *nuanxin.Allotment {
	var best *nuanxin.Allotment
	for _, a := range c.Allotments {
		if strings.HasPrefix(path, a.OrgPath) && (best == nil || len(a.OrgPath) > len(best.OrgPath)) {
			best = a
		}
	}
	return best
}

// caseBulkRows bounds the rows of one multi-row insert of cases (SQLite
// allows 32,766 bound values; a case row binds 20).
const caseBulkRows = 1000

// addToRoster checks each candidate against the quota and the policy and
// inserts the accepted as draft cases, in bulk: a roster of 100,000 is one
// statement per thousand rows, one history line per case and one audit
// entry for the whole roster.
func (db *DB) addToRoster(ctx context.Context, tx *Tx, s *nuanxin.Scope, c *nuanxin.Campaign, cands []candidate, note string) (*nuanxin.RosterReport, error) {
	rep := &nuanxin.RosterReport{Excluded: []nuanxin.RosterExcluded{}}
	cat := c.Kind.CareCategory()
	event := c.From
	if c.Kind == nuanxin.CampaignHoliday {
		if d, err := policy.HolidayDate(c.Holiday, c.HolidayYear); err == nil && !d.After(db.today()) {
			event = d
		}
	}
	form := nuanxin.FormGoods
	if c.Cash > 0 {
		form = nuanxin.FormCash
	}
	var goodsText []string
	for _, g := range c.Goods {
		goodsText = append(goodsText, fmt.Sprintf("%s%d%s", g.Name, g.Qty, g.Unit))
	}
	goods := strings.Join(goodsText, "、")
	amount := c.PerRecipient()
	// Roster counts per allotment so far, for the quotas.
	counts := map[int64]int{}
	rows, err := tx.QueryContext(ctx, `SELECT org_path FROM care_cases WHERE campaign_id = $1 AND status <> 'cancelled'`, c.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, err
		}
		rep.Already++
		if a := allotmentOf(c, p); a != nil {
			counts[a.OrgID]++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hist, err := db.categoryHistory(ctx, tx, c, cat)
	if err != nil {
		return nil, err
	}
	var accepted []*nuanxin.CareCase
	for _, k := range cands {
		if a := allotmentOf(c, k.orgPath); a != nil && a.Quota > 0 {
			if counts[a.OrgID] >= a.Quota {
				rep.Excluded = append(rep.Excluded, nuanxin.RosterExcluded{MemberID: k.id, Name: k.name, OrgName: k.orgName,
					Reason: nuanxin.T("campaign.quota_full", a.OrgName, a.Quota)})
				continue
			}
		}
		cc := &nuanxin.CareCase{OrgID: k.orgID, OrgPath: k.orgPath, OrgName: k.orgName, MemberID: k.id, MemberName: k.name,
			MemberCategory: k.category, MemberStatus: k.status, MemberBirth: k.birth, Department: k.department,
			Category: cat, EventDate: event, Form: form, Amount: amount, Goods: goods, Reason: c.Name, Notes: note,
			CampaignID: c.ID, Status: nuanxin.CareDraft}
		if cat == nuanxin.CareHoliday {
			cc.Holiday, cc.HolidayYear = c.Holiday, c.HolidayYear
		}
		pol, err := policyFor(ctx, tx, k.orgPath)
		if err != nil {
			return nil, err
		}
		ds := policy.Check(pol, cc.Proposal(), hist[k.id])
		if blocks := nuanxin.Blocks(ds); len(blocks) > 0 {
			rep.Excluded = append(rep.Excluded, nuanxin.RosterExcluded{MemberID: k.id, Name: k.name, OrgName: k.orgName,
				Reason: blocks[0].Message})
			continue
		}
		cc.Warnings = ds
		if a := allotmentOf(c, k.orgPath); a != nil {
			counts[a.OrgID]++
		}
		accepted = append(accepted, cc)
	}
	if err := tx.insertCasesBulk(ctx, accepted); err != nil {
		return nil, err
	}
	rep.Added = len(accepted)
	if err := db.plannedAgainstBudget(ctx, tx, c, rep); err != nil {
		return nil, err
	}
	if rep.Added > 0 || len(rep.Excluded) > 0 {
		if err := tx.audit(ctx, "campaign.roster", "campaign", c.ID, c.OrgPath, nil, map[string]any{
			"added": rep.Added, "excluded": len(rep.Excluded), "note": note}); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// categoryHistory reads, in one query, the history that matters for the
// campaign's category of every member of its subtree: for 节日慰问 the
// holiday cases of the year (the yearly total spans campaigns), for the
// others the cases of the category.
func (db *DB) categoryHistory(ctx context.Context, q querier, c *nuanxin.Campaign, cat nuanxin.CareCategory) (map[int64][]nuanxin.PriorCase, error) {
	args := []any{c.OrgPath, prefixEnd(c.OrgPath), string(cat)}
	extra := ""
	if cat == nuanxin.CareHoliday {
		args = append(args, c.HolidayYear)
		extra = " AND x.holiday_year = $4"
	}
	// The subtree condition is on the member's current org: history follows
	// the person, not the org that paid.
	rows, err := q.QueryContext(ctx, `SELECT x.member_id, x.id, x.category, x.holiday, x.holiday_year, x.event_date, x.amount,
		COALESCE(x.relative_id, 0), x.status
		FROM care_cases x JOIN members m ON m.id = x.member_id
		WHERE m.org_path >= $1 AND m.org_path <= $2 AND x.category = $3 AND x.status NOT IN ('draft','cancelled')`+extra, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]nuanxin.PriorCase{}
	for rows.Next() {
		var mid int64
		var p nuanxin.PriorCase
		if err := rows.Scan(&mid, &p.ID, &p.Category, &p.Holiday, &p.HolidayYear, &p.EventDate, &p.Amount, &p.RelativeID, &p.Status); err != nil {
			return nil, err
		}
		out[mid] = append(out[mid], p)
	}
	return out, rows.Err()
}

// insertCasesBulk inserts new draft cases with their 登记 history lines.
func (tx *Tx) insertCasesBulk(ctx context.Context, cases []*nuanxin.CareCase) error {
	const cols = 20
	now := ms(tx.now)
	for start := 0; start < len(cases); start += caseBulkRows {
		part := cases[start:min(start+caseBulkRows, len(cases))]
		var b strings.Builder
		b.WriteString(`INSERT INTO care_cases (org_id, org_path, member_id, member_category, category, holiday, holiday_year,
			event_date, form, amount, goods, reason, notes, status, campaign_id, warnings_json, drafted_by, drafted_by_name,
			created_at, updated_at) VALUES `)
		args := make([]any, 0, len(part)*cols)
		for i, c := range part {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j := 1; j <= cols; j++ {
				if j > 1 {
					b.WriteByte(',')
				}
				// SQLite looks named parameters ($N) up in a list, which is
				// quadratic in a 20,000-value statement; ? is positional.
				if tx.db.dialect == SQLite {
					b.WriteByte('?')
				} else {
					b.WriteByte('$')
					b.WriteString(itoa(i*cols + j))
				}
			}
			b.WriteByte(')')
			warnings := ""
			if len(c.Warnings) > 0 {
				w, _ := json.Marshal(c.Warnings)
				warnings = string(w)
			}
			c.DraftedBy, c.DraftedByName, c.Version = tx.scope.UserID, tx.scope.DisplayName(), 1
			c.CreatedAt, c.UpdatedAt = tx.now, tx.now
			args = append(args, c.OrgID, c.OrgPath, c.MemberID, string(c.MemberCategory), string(c.Category), string(c.Holiday),
				c.HolidayYear, c.EventDate, string(c.Form), int64(c.Amount), c.Goods, c.Reason, c.Notes, string(c.Status),
				c.CampaignID, warnings, c.DraftedBy, c.DraftedByName, now, now)
		}
		b.WriteString(` RETURNING id`)
		rows, err := tx.Tx.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// RETURNING order is not promised by either database; ids are
		// ascending in insert order on both, so sorting restores it.
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for i, c := range part {
			c.ID = ids[i]
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_steps (case_id, action, from_status, to_status, reason, user_id, username, at)
			SELECT id, 'create', '', 'draft', '', $1, $2, $3 FROM care_cases WHERE id >= $4 AND id <= $5 AND campaign_id = $6`,
			tx.scope.UserID, tx.scope.DisplayName(), now, ids[0], ids[len(ids)-1], part[0].CampaignID); err != nil {
			return err
		}
	}
	return nil
}

// plannedAgainstBudget totals the roster and names the budget lines it
// would exceed if everyone received.
func (db *DB) plannedAgainstBudget(ctx context.Context, q querier, c *nuanxin.Campaign, rep *nuanxin.RosterReport) error {
	rows, err := q.QueryContext(ctx, `SELECT org_path, amount FROM care_cases WHERE campaign_id = $1 AND status <> 'cancelled'`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	per := map[int64]nuanxin.Money{}
	for rows.Next() {
		var p string
		var amt nuanxin.Money
		if err := rows.Scan(&p, &amt); err != nil {
			return err
		}
		rep.Planned += amt
		if a := allotmentOf(c, p); a != nil {
			per[a.OrgID] += amt
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if rep.Planned > c.Budget {
		rep.OverBudget = append(rep.OverBudget, nuanxin.T("campaign.over_total", c.Budget.Grouped(), rep.Planned.Grouped()))
	}
	for _, a := range c.Allotments {
		if per[a.OrgID] > a.Budget {
			rep.OverBudget = append(rep.OverBudget, nuanxin.T("campaign.over_allotment", a.OrgName, a.Budget.Grouped(), per[a.OrgID].Grouped()))
		}
	}
	return nil
}

// RemoveRecipient takes a person off the roster (before payment), with the
// reason.
func (db *DB) RemoveRecipient(ctx context.Context, s *nuanxin.Scope, caseID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nuanxin.Invalid("reason", "campaign.reason")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		cc, err := careInScope(ctx, tx, s, nuanxin.PermCareWrite, caseID)
		if err != nil {
			return err
		}
		if cc.CampaignID == 0 || cc.Status.Paid() || cc.Status == nuanxin.CareCancelled {
			return nuanxin.Errorf(nuanxin.EINVALID, "care.step.not_allowed", cc.MemberName, cc.Status.Label(), nuanxin.T("campaign.remove"))
		}
		return tx.step(ctx, cc, nuanxin.ActCancel, nuanxin.CareCancelled, nuanxin.T("campaign.removed", reason))
	})
}

// ApproveCampaign approves the whole roster in one decision by someone
// other than whoever prepared the campaign.
func (db *DB) ApproveCampaign(ctx context.Context, s *nuanxin.Scope, campaignID int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareRead, campaignID, true)
		if err != nil {
			return err
		}
		if !s.Can(nuanxin.PermCareApprove, c.OrgPath) {
			return nuanxin.Errorf(nuanxin.EFORBIDDEN, "err.forbidden")
		}
		if c.Status == nuanxin.CampaignClosed {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.closed")
		}
		if !s.System && c.CreatedBy == s.UserID {
			return nuanxin.Errorf(nuanxin.EFORBIDDEN, "campaign.own")
		}
		var first, last int64
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM care_cases
			WHERE campaign_id = $1 AND status = 'draft'`, c.ID).Scan(&n, &first, &last); err != nil {
			return err
		}
		if n == 0 {
			// A campaign for organisations only has no member roster; its
			// list of organisations is what is approved.
			var orgs int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_org_recipients WHERE campaign_id = $1`, c.ID).Scan(&orgs); err != nil {
				return err
			}
			if orgs == 0 || c.Status == nuanxin.CampaignApproved {
				return nuanxin.Errorf(nuanxin.EINVALID, "campaign.nothing_to_approve")
			}
		}
		now := ms(tx.now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_steps (case_id, action, from_status, to_status, reason, user_id, username, at)
			SELECT id, 'approve', 'draft', 'approved', $1, $2, $3, $4 FROM care_cases WHERE campaign_id = $5 AND status = 'draft'`,
			nuanxin.T("campaign.approved_step", c.Name), s.UserID, s.DisplayName(), now, c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_cases SET status = 'approved', approved_by = $1, version = version + 1,
			updated_at = $2 WHERE campaign_id = $3 AND status = 'draft'`, s.UserID, now, c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'approved', updated_at = $1, version = version + 1 WHERE id = $2`,
			now, c.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "campaign.approve", "campaign", c.ID, c.OrgPath, map[string]string{"status": string(c.Status)},
			map[string]any{"status": "approved", "cases": n, "first_case": first, "last_case": last})
	})
}

func (db *DB) CloseCampaign(ctx context.Context, s *nuanxin.Scope, campaignID int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareWrite, campaignID, true)
		if err != nil {
			return err
		}
		if c.Status == nuanxin.CampaignClosed {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.closed")
		}
		// Whoever was not reached by the end is closed with the campaign,
		// so nothing stays 待发放 against a finished budget.
		now := ms(tx.now)
		reason := nuanxin.T("campaign.closed_unpaid")
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_steps (case_id, action, from_status, to_status, reason, user_id, username, at)
			SELECT id, 'cancel', status, 'cancelled', $1, $2, $3, $4 FROM care_cases
			WHERE campaign_id = $5 AND status IN ('draft','submitted','reviewed','approved')`,
			reason, s.UserID, s.DisplayName(), now, c.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE care_cases SET status = 'cancelled', version = version + 1, updated_at = $1
			WHERE campaign_id = $2 AND status IN ('draft','submitted','reviewed','approved')`, now, c.ID)
		if err != nil {
			return err
		}
		left, _ := res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'closed', updated_at = $1, version = version + 1 WHERE id = $2`,
			now, c.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "campaign.close", "campaign", c.ID, c.OrgPath, map[string]string{"status": string(c.Status)},
			map[string]any{"status": "closed", "unpaid_cancelled": left})
	})
}
