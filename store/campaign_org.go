package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

const orgRecipientCols = `r.id, r.campaign_id, r.org_id, r.org_path, o.name, r.name, r.contact, r.cash, r.goods, r.goods_value,
	r.outcome, r.delivered_on, r.notes`

func scanOrgRecipient(sc interface{ Scan(...any) error }) (*nuanxin.OrgRecipient, error) {
	var r nuanxin.OrgRecipient
	err := sc.Scan(&r.ID, &r.CampaignID, &r.OrgID, &r.OrgPath, &r.OrgName, &r.Name, &r.Contact, &r.Cash, &r.Goods, &r.GoodsValue,
		&r.Outcome, &r.DeliveredOn, &r.Notes)
	return &r, err
}

// AddOrgRecipients puts organisations on a campaign's roster, each with
// the suborg that delivers to it (inside the campaign's subtree).
func (db *DB) AddOrgRecipients(ctx context.Context, s *nuanxin.Scope, campaignID int64, rs []*nuanxin.OrgRecipient) error {
	if len(rs) == 0 {
		return nuanxin.Invalid("", "care.empty")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, s, nuanxin.PermCareWrite, campaignID, false)
		if err != nil {
			return err
		}
		if c.Status == nuanxin.CampaignClosed {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.closed")
		}
		for i, r := range rs {
			r.Name, r.Contact, r.Goods = strings.TrimSpace(r.Name), strings.TrimSpace(r.Contact), strings.TrimSpace(r.Goods)
			var fe nuanxin.FieldErrors
			if r.Name == "" || utf8.RuneCountInString(r.Name) > 60 {
				fe.Add("name", "campaign.org_name")
			}
			if r.Cash < 0 || r.GoodsValue < 0 || r.Value() <= 0 || r.Value() > maxCareAmount {
				fe.Add("cash", "campaign.standard")
			}
			if r.GoodsValue > 0 && r.Goods == "" {
				fe.Add("goods", "care.goods.required")
			}
			if len(fe) > 0 {
				return rowErr(i+1, r.Name, fe)
			}
			if r.OrgID == 0 {
				r.OrgID = c.OrgID
			}
			org, err := orgInScope(ctx, tx, s, nuanxin.PermCareRead, r.OrgID)
			if err != nil {
				return rowErr(i+1, r.Name, err)
			}
			if !strings.HasPrefix(org.Path, c.OrgPath) {
				return rowErr(i+1, r.Name, nuanxin.Invalid("org_id", "campaign.allotment_org", org.Name))
			}
			r.CampaignID, r.OrgPath, r.OrgName = c.ID, org.Path, org.Name
			if err := tx.QueryRowContext(ctx, `INSERT INTO campaign_org_recipients (campaign_id, org_id, org_path, name, contact,
				cash, goods, goods_value, notes, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
				c.ID, r.OrgID, r.OrgPath, r.Name, r.Contact, int64(r.Cash), r.Goods, int64(r.GoodsValue), r.Notes, s.Username,
				ms(tx.now)).Scan(&r.ID); err != nil {
				return err
			}
		}
		names := make([]string, len(rs))
		for i, r := range rs {
			names[i] = r.Name
		}
		return tx.audit(ctx, "campaign.org_recipients", "campaign", c.ID, c.OrgPath, nil, map[string]any{"added": names})
	})
}

func (db *DB) FindOrgRecipients(ctx context.Context, s *nuanxin.Scope, campaignID int64) ([]*nuanxin.OrgRecipient, error) {
	c, err := db.FindCampaign(ctx, s, campaignID)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+orgRecipientCols+` FROM campaign_org_recipients r JOIN orgs o ON o.id = r.org_id
		WHERE r.campaign_id = $1 ORDER BY r.org_path, r.id`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.OrgRecipient
	for rows.Next() {
		r, err := scanOrgRecipient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeliverToOrgs records what happened at organisations; deliveries count
// against the budget lines under the campaign's lock, as Deliver does.
func (db *DB) DeliverToOrgs(ctx context.Context, s *nuanxin.Scope, campaignID int64, on nuanxin.Date, ds []nuanxin.OrgDelivery) error {
	switch {
	case len(ds) == 0:
		return nuanxin.Invalid("", "care.step.none")
	case on.IsZero():
		return nuanxin.Invalid("on", "care.pay.date")
	case on.After(db.today()):
		return nuanxin.Invalid("on", "care.pay.date_future")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		c, err := db.campaignInScope(ctx, tx, nuanxin.SystemScope(), nuanxin.PermCareRead, campaignID, true)
		if err != nil {
			return err
		}
		if c.Status != nuanxin.CampaignApproved {
			return nuanxin.Errorf(nuanxin.EINVALID, "campaign.not_approved", c.Name)
		}
		spent, per, err := campaignSpent(ctx, tx, c)
		if err != nil {
			return err
		}
		for i, d := range ds {
			r, err := scanOrgRecipient(tx.QueryRowContext(ctx, `SELECT `+orgRecipientCols+` FROM campaign_org_recipients r
				JOIN orgs o ON o.id = r.org_id WHERE r.id = $1 AND r.campaign_id = $2`, d.ID, c.ID))
			if err != nil {
				return rowErr(i+1, "", nuanxin.NotFound("what.campaign"))
			}
			perm := nuanxin.PermCarePay
			if d.Outcome == nuanxin.RemovedOutcome {
				perm = nuanxin.PermCareWrite
			}
			if !s.Can(perm, r.OrgPath) {
				return rowErr(i+1, r.Name, nuanxin.Errorf(nuanxin.EFORBIDDEN, "err.forbidden"))
			}
			if r.Outcome != "" {
				return rowErr(i+1, r.Name, nuanxin.Errorf(nuanxin.EINVALID, "campaign.org_done", r.Name, r.Outcome.Label()))
			}
			switch d.Outcome {
			case nuanxin.Delivered:
				a := allotmentOf(c, r.OrgPath)
				if spent+r.Value() > c.Budget {
					return rowErr(i+1, r.Name, nuanxin.Errorf(nuanxin.EINVALID, "campaign.budget_exceeded", c.Name, c.Budget.Grouped(),
						spent.Grouped(), (c.Budget-spent).Grouped(), r.Value().Grouped()))
				}
				if a != nil && per[a.OrgID]+r.Value() > a.Budget {
					return rowErr(i+1, r.Name, nuanxin.Errorf(nuanxin.EINVALID, "campaign.allotment_exceeded", a.OrgName, a.Budget.Grouped(),
						per[a.OrgID].Grouped(), (a.Budget-per[a.OrgID]).Grouped(), r.Value().Grouped()))
				}
				spent += r.Value()
				if a != nil {
					per[a.OrgID] += r.Value()
				}
			case nuanxin.Refused, nuanxin.Unreachable, nuanxin.RemovedOutcome:
			default:
				return rowErr(i+1, r.Name, nuanxin.Invalid("outcome", "campaign.outcome"))
			}
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_org_recipients SET outcome = $1, delivered_on = $2, notes = $3 WHERE id = $4`,
				string(d.Outcome), on, strings.TrimSpace(d.Notes), r.ID); err != nil {
				return err
			}
			if err := tx.audit(ctx, "campaign.org_delivery", "campaign", c.ID, r.OrgPath, nil, map[string]any{
				"recipient": r.Name, "outcome": string(d.Outcome), "on": on.String(), "value": r.Value().String()}); err != nil {
				return err
			}
		}
		return nil
	})
}
