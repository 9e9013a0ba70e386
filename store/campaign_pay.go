package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

// checkBudgets keeps every campaign a payment touches within its budget
// and each suborg within its allotment. It runs in the paying transaction
// with the campaign row locked (PostgreSQL; SQLite has one writer), so two
// suborgs paying at once queue and the second sees the first.
func (db *DB) checkBudgets(ctx context.Context, tx *Tx, cases []*nuanxin.CareCase) error {
	add := map[int64][]*nuanxin.CareCase{}
	var order []int64
	for _, c := range cases {
		if c.CampaignID == 0 {
			continue
		}
		if add[c.CampaignID] == nil {
			order = append(order, c.CampaignID)
		}
		add[c.CampaignID] = append(add[c.CampaignID], c)
	}
	for _, id := range order {
		camp, err := db.campaignInScope(ctx, tx, nuanxin.SystemScope(), nuanxin.PermCareRead, id, true)
		if err != nil {
			return err
		}
		if camp.Status != nuanxin.CampaignApproved {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.not_approved", camp.Name)
		}
		spent, per, err := campaignSpent(ctx, tx, camp)
		if err != nil {
			return err
		}
		var more nuanxin.Money
		perMore := map[int64]nuanxin.Money{}
		for _, c := range add[id] {
			more += c.Amount
			if a := allotmentOf(camp, c.OrgPath); a != nil {
				perMore[a.OrgID] += c.Amount
			}
		}
		if spent+more > camp.Budget {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.budget_exceeded", camp.Name, camp.Budget.Grouped(),
				spent.Grouped(), (camp.Budget - spent).Grouped(), more.Grouped())
		}
		for _, a := range camp.Allotments {
			if perMore[a.OrgID] > 0 && per[a.OrgID]+perMore[a.OrgID] > a.Budget {
				return nuanxin.Errorf(nuanxin.EINVALID, "campaign.allotment_exceeded", a.OrgName, a.Budget.Grouped(),
					per[a.OrgID].Grouped(), (a.Budget - per[a.OrgID]).Grouped(), perMore[a.OrgID].Grouped())
			}
		}
	}
	return nil
}

// campaignSpent is what a campaign has paid, in all and per allotment.
func campaignSpent(ctx context.Context, q querier, c *nuanxin.Campaign) (nuanxin.Money, map[int64]nuanxin.Money, error) {
	rows, err := q.QueryContext(ctx, `SELECT org_path, SUM(amount) FROM care_cases WHERE campaign_id = $1
		AND status IN ('paid','signed') GROUP BY org_path`, c.ID)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var total nuanxin.Money
	per := map[int64]nuanxin.Money{}
	add := func(rows interface {
		Next() bool
		Scan(...any) error
	}) error {
		for rows.Next() {
			var p string
			var amt nuanxin.Money
			if err := rows.Scan(&p, &amt); err != nil {
				return err
			}
			total += amt
			if a := allotmentOf(c, p); a != nil {
				per[a.OrgID] += amt
			}
		}
		return nil
	}
	if err := add(rows); err != nil {
		return 0, nil, err
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	// Organisations delivered to are spent too.
	orgs, err := q.QueryContext(ctx, `SELECT org_path, SUM(cash + goods_value) FROM campaign_org_recipients
		WHERE campaign_id = $1 AND outcome = 'delivered' GROUP BY org_path`, c.ID)
	if err != nil {
		return 0, nil, err
	}
	defer orgs.Close()
	if err := add(orgs); err != nil {
		return 0, nil, err
	}
	return total, per, orgs.Err()
}

// checkSpent refuses budget lines below what is already paid.
func (db *DB) checkSpent(ctx context.Context, tx *Tx, c *nuanxin.Campaign) error {
	spent, per, err := campaignSpent(ctx, tx, c)
	if err != nil {
		return err
	}
	if spent > c.Budget {
		return nuanxin.Invalid("budget", "campaign.budget_below_spent", spent.Grouped())
	}
	for _, a := range c.Allotments {
		if per[a.OrgID] > a.Budget {
			return nuanxin.Invalid("allotments", "campaign.allotment_below_spent", a.OrgName, per[a.OrgID].Grouped())
		}
	}
	return nil
}

// Deliver records a round of distribution: the delivered are paid as one
// batch (its 签收表), the refused and unreachable are closed with their
// outcome. All or nothing.
func (db *DB) Deliver(ctx context.Context, s *nuanxin.Scope, in nuanxin.DeliveryInput) (*nuanxin.CareBatch, error) {
	in.Payer = strings.TrimSpace(in.Payer)
	if len(in.Deliveries) == 0 {
		return nil, nuanxin.Invalid("", "care.step.none")
	}
	var b *nuanxin.CareBatch
	err := db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, nuanxin.SystemScope(), nuanxin.PermCareRead, in.CampaignID, false)
		if err != nil {
			return err
		}
		var paid []int64
		for i, d := range in.Deliveries {
			switch d.Outcome {
			case nuanxin.Delivered:
				paid = append(paid, d.CaseID)
				continue
			case nuanxin.Refused, nuanxin.Unreachable:
			default:
				return rowErr(i+1, "", nuanxin.Invalid("outcome", "campaign.outcome"))
			}
			cc, err := careInScope(ctx, tx, s, nuanxin.PermCarePay, d.CaseID)
			if err != nil {
				return rowErr(i+1, "", err)
			}
			if cc.CampaignID != c.ID || cc.Status != nuanxin.CareApproved {
				return rowErr(i+1, cc.MemberName, nuanxin.Errorf(nuanxin.EINVALID, "care.step.not_allowed",
					cc.MemberName, cc.Status.Label(), d.Outcome.Label()))
			}
			notes := strings.TrimSpace(d.Notes)
			if utf8.RuneCountInString(notes) > 200 {
				notes = string([]rune(notes)[:200])
			}
			if _, err := tx.ExecContext(ctx, `UPDATE care_cases SET delivery = $1 WHERE id = $2`, string(d.Outcome), cc.ID); err != nil {
				return err
			}
			reason := d.Outcome.Label()
			if notes != "" {
				reason += "：" + notes
			}
			if err := tx.step(ctx, cc, nuanxin.ActCancel, nuanxin.CareCancelled, reason); err != nil {
				return err
			}
		}
		if len(paid) == 0 {
			return nil
		}
		for _, id := range paid {
			cc, err := careInScope(ctx, tx, s, nuanxin.PermCarePay, id)
			if err != nil {
				return err
			}
			if cc.CampaignID != c.ID {
				return nuanxin.Errorf(nuanxin.EINVALID, "campaign.not_in", cc.MemberName, c.Name)
			}
		}
		method := in.Method
		if method == "" {
			method = nuanxin.PayGoods
			if c.Cash > 0 {
				method = nuanxin.PayCash
			}
		}
		p := nuanxin.PaymentInput{CaseIDs: paid, PaidOn: in.On, Method: method, Payer: in.Payer, Head: c.Head}
		if fe := validatePayment(&p, db.today(), len(paid)); len(fe) > 0 {
			return fe
		}
		b, err = db.pay(ctx, tx, s, p)
		if err != nil {
			return err
		}
		// One batch per suborg round: its 签收表 is the suborg's.
		title := nuanxin.T("campaign.batch_title", c.Name, b.OrgName)
		if _, err := tx.ExecContext(ctx, `UPDATE care_batches SET title = $1 WHERE id = $2`, title, b.ID); err != nil {
			return err
		}
		b.Title = title
		return nil
	})
	return b, err
}

// ReceiveGoods records goods received for a campaign (a delivery from the
// supplier); a negative quantity corrects a count.
func (db *DB) ReceiveGoods(ctx context.Context, s *nuanxin.Scope, campaignID int64, name string, qty int) error {
	name = strings.TrimSpace(name)
	if qty == 0 {
		return nuanxin.Invalid("qty", "campaign.qty")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareWrite, campaignID, false)
		if err != nil {
			return err
		}
		known := false
		for _, g := range c.Goods {
			known = known || g.Name == name
		}
		if !known {
			return nuanxin.Invalid("name", "campaign.goods_unknown", name)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_receipts (campaign_id, name, qty, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5)`, c.ID, name, qty, s.Username, ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, "campaign.receive", "campaign", c.ID, c.OrgPath, nil, map[string]any{"goods": name, "qty": qty})
	})
}

// CampaignSummary is the campaign against its budget, per suborg: the
// allotments, or the orgs directly under the campaign's when it has none.
func (db *DB) CampaignSummary(ctx context.Context, s *nuanxin.Scope, campaignID int64) (*nuanxin.CampaignSummary, error) {
	c, err := db.FindCampaign(ctx, s, campaignID)
	if err != nil {
		return nil, err
	}
	sum := &nuanxin.CampaignSummary{Campaign: c}
	lines := map[int64]*nuanxin.CampaignLine{}
	var order []int64
	lineOf := func(path, name string, id int64) *nuanxin.CampaignLine {
		if a := allotmentOf(c, path); a != nil {
			id, name = a.OrgID, a.OrgName
		}
		l := lines[id]
		if l == nil {
			l = &nuanxin.CampaignLine{OrgID: id, OrgName: name}
			lines[id] = l
			order = append(order, id)
		}
		return l
	}
	for _, a := range c.Allotments {
		l := lineOf(a.OrgPath, a.OrgName, a.OrgID)
		l.Budget, l.Quota = a.Budget, a.Quota
	}
	// Group by the org one level under the campaign's (or the campaign's
	// own org for its direct members).
	depth := nuanxin.PathDepth(c.OrgPath)
	rows, err := db.read.QueryContext(ctx, `SELECT cc.org_path, cc.status, cc.delivery, COUNT(*), COALESCE(SUM(cc.amount), 0)
		FROM care_cases cc WHERE cc.campaign_id = $1 GROUP BY cc.org_path, cc.status, cc.delivery`, c.ID)
	if err != nil {
		return nil, err
	}
	type group struct {
		path     string
		status   nuanxin.CareStatus
		delivery nuanxin.DeliveryOutcome
		n        int
		amount   nuanxin.Money
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.path, &g.status, &g.delivery, &g.n, &g.amount); err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := db.orgNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		ids := nuanxin.PathIDs(g.path)
		id := ids[len(ids)-1]
		if len(ids) > depth+1 {
			id = ids[depth+1]
		}
		l := lineOf(g.path, names[id], id)
		switch {
		case g.status.Paid():
			l.Planned += g.n
			l.Delivered += g.n
			// Every recipient gets the campaign's standard: its cash part
			// and its goods part are known per case.
			cash := nuanxin.Money(g.n) * c.Cash
			if cash > g.amount {
				cash = g.amount
			}
			l.Cash += cash
			l.GoodsValue += g.amount - cash
		case g.status == nuanxin.CareCancelled && g.delivery == nuanxin.Refused:
			l.Refused += g.n
			l.Planned += g.n
		case g.status == nuanxin.CareCancelled && g.delivery == nuanxin.Unreachable:
			l.Unreachable += g.n
			l.Planned += g.n
		case g.status == nuanxin.CareCancelled:
			// taken off the roster
		default:
			l.Pending += g.n
			l.Planned += g.n
		}
	}
	orgRecs, err := db.FindOrgRecipients(ctx, s, c.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range orgRecs {
		ids := nuanxin.PathIDs(r.OrgPath)
		id := ids[len(ids)-1]
		if len(ids) > depth+1 {
			id = ids[depth+1]
		}
		l := lineOf(r.OrgPath, names[id], id)
		switch r.Outcome {
		case nuanxin.RemovedOutcome:
			continue
		case nuanxin.Delivered:
			l.Delivered++
			l.Cash += r.Cash
			l.GoodsValue += r.GoodsValue
		case nuanxin.Refused:
			l.Refused++
		case nuanxin.Unreachable:
			l.Unreachable++
		default:
			l.Pending++
		}
		l.Planned++
		l.Orgs++
	}
	for _, id := range order {
		l := lines[id]
		sum.Lines = append(sum.Lines, *l)
		t := &sum.Total
		t.Planned += l.Planned
		t.Delivered += l.Delivered
		t.Refused += l.Refused
		t.Unreachable += l.Unreachable
		t.Pending += l.Pending
		t.Cash += l.Cash
		t.GoodsValue += l.GoodsValue
		t.Orgs += l.Orgs
	}
	sum.Total.OrgName = nuanxin.T("campaign.total")
	sum.Total.Budget = c.Budget
	// Inventory: received against handed out (delivered × quantity).
	recv := map[string]int{}
	rows, err = db.read.QueryContext(ctx, `SELECT name, SUM(qty) FROM campaign_receipts WHERE campaign_id = $1 GROUP BY name`, c.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			rows.Close()
			return nil, err
		}
		recv[name] = n
	}
	rows.Close()
	for _, g := range c.Goods {
		out := g.Qty * sum.Total.Delivered
		sum.Inventory = append(sum.Inventory, nuanxin.InventoryLine{Name: g.Name, Unit: g.Unit, UnitValue: g.UnitValue,
			Received: recv[g.Name], HandedOut: out, Left: recv[g.Name] - out})
	}
	return sum, rows.Err()
}

// orgNames maps every org id to its name (the tree is small: thousands).
func (db *DB) orgNames(ctx context.Context) (map[int64]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name FROM orgs`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

func (db *DB) CampaignRoster(ctx context.Context, s *nuanxin.Scope, campaignID, orgID int64, fn func(*nuanxin.CareCase) error) error {
	c, err := db.FindCampaign(ctx, s, campaignID)
	if err != nil {
		return err
	}
	args := []any{c.ID}
	cond := scopeCond("c.org_path", s.Paths(nuanxin.PermCareRead), &args)
	if orgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
		if err != nil {
			return err
		}
		args = append(args, org.Path, prefixEnd(org.Path))
		cond += " AND c.org_path >= $" + itoa(len(args)-1) + " AND c.org_path <= $" + itoa(len(args))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+careCols+careFrom+` WHERE c.campaign_id = $1 AND c.status <> 'cancelled' AND `+cond+
		` ORDER BY c.org_path, m.pinyin, c.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		cc, err := scanCare(rows)
		if err != nil {
			return err
		}
		if err := fn(cc); err != nil {
			return err
		}
	}
	return rows.Err()
}
