package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/policy"
)

// PolicyPacks lists the shipped packs.
func (db *DB) PolicyPacks() []*nuanxin.PolicyPack { return policy.Packs() }

// layer is what one org on a path contributes to its policy.
type layer struct {
	orgID   int64
	orgName string
	orgPath string
	pack    string // adopted pack code, or ""
	basis   string
	on      nuanxin.Date
	by      string
	at      int64
	rules   []nuanxin.PolicyRule
	ruleIDs []int64
}

// policyLayers reads the adoptions and local rules of every org on path,
// root first: two small queries, whatever the depth.
func policyLayers(ctx context.Context, q querier, path string) ([]layer, error) {
	ids := nuanxin.PathIDs(path)
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := int64List(ids)
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.name, o.path, COALESCE(a.pack_code, ''), COALESCE(a.basis, ''),
		a.adopted_on, COALESCE(a.created_by, ''), COALESCE(a.created_at, 0)
		FROM orgs o LEFT JOIN policy_adoptions a ON a.org_id = o.id WHERE o.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*layer{}
	for rows.Next() {
		l := &layer{}
		if err := rows.Scan(&l.orgID, &l.orgName, &l.orgPath, &l.pack, &l.basis, &l.on, &l.by, &l.at); err != nil {
			rows.Close()
			return nil, err
		}
		byID[l.orgID] = l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, org_id, rule_json FROM policy_rules WHERE org_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, orgID int64
		var js string
		if err := rows.Scan(&id, &orgID, &js); err != nil {
			return nil, err
		}
		var r nuanxin.PolicyRule
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			return nil, fmt.Errorf("policy rule %d: %w", id, err)
		}
		if l := byID[orgID]; l != nil {
			l.rules = append(l.rules, r)
			l.ruleIDs = append(l.ruleIDs, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]layer, 0, len(ids))
	for _, id := range ids {
		if l := byID[id]; l != nil {
			out = append(out, *l)
		}
	}
	return out, nil
}

// effective merges layers into the policy in force.
func effective(ls []layer) (*nuanxin.Policy, error) {
	pl := make([]policy.Layer, 0, len(ls))
	for _, l := range ls {
		x := policy.Layer{OrgName: l.orgName, Rules: l.rules}
		if l.pack != "" {
			p, ok := policy.Pack(l.pack)
			if !ok {
				return nil, nuanxin.Errorf(nuanxin.EINTERNAL, "policy.pack.unknown", l.pack)
			}
			x.Pack = p
		}
		pl = append(pl, x)
	}
	return policy.Effective(pl)
}

// policyFor is the policy in force for the org at path. Inside a write
// transaction it is read once per path; a transaction that changes the
// policy (AdoptPack, SaveLocalRule …) does not read it through here.
func policyFor(ctx context.Context, q querier, path string) (*nuanxin.Policy, error) {
	tx, _ := q.(*Tx)
	if tx != nil {
		if p, ok := tx.policies[path]; ok {
			return p, nil
		}
	}
	ls, err := policyLayers(ctx, q, path)
	if err != nil {
		return nil, err
	}
	p, err := effective(ls)
	if err == nil && tx != nil {
		if tx.policies == nil {
			tx.policies = map[string]*nuanxin.Policy{}
		}
		tx.policies[path] = p
	}
	return p, err
}

func (db *DB) EffectivePolicy(ctx context.Context, s *nuanxin.Scope, orgID int64, on nuanxin.Date) (*nuanxin.Policy, error) {
	org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
	if err != nil {
		return nil, err
	}
	ls, err := policyLayers(ctx, db.read, org.Path)
	if err != nil {
		return nil, err
	}
	pol, err := effective(ls)
	if err != nil {
		return nil, err
	}
	// The local rules on the path and the adoption in force, for the page
	// that explains the policy.
	for _, l := range ls {
		for i, r := range l.rules {
			pol.Local = append(pol.Local, &nuanxin.LocalRule{ID: l.ruleIDs[i], OrgID: l.orgID, OrgPath: l.orgPath, OrgName: l.orgName, Rule: r})
		}
		if l.pack != "" {
			pol.Adoption = &nuanxin.PolicyAdoption{OrgID: l.orgID, OrgName: l.orgName, PackCode: l.pack, Basis: l.basis,
				AdoptedOn: l.on, CreatedBy: l.by, CreatedAt: fromMS(l.at)}
		}
	}
	return pol, nil
}

func (db *DB) FindAdoptions(ctx context.Context, s *nuanxin.Scope) ([]*nuanxin.PolicyAdoption, error) {
	var args []any
	cond := scopeCond("o.path", s.Paths(nuanxin.PermCareRead), &args)
	rows, err := db.read.QueryContext(ctx, `SELECT a.org_id, o.name, a.pack_code, a.basis, a.adopted_on, a.created_by, a.created_at
		FROM policy_adoptions a JOIN orgs o ON o.id = a.org_id WHERE `+cond+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.PolicyAdoption
	for rows.Next() {
		var a nuanxin.PolicyAdoption
		var at int64
		if err := rows.Scan(&a.OrgID, &a.OrgName, &a.PackCode, &a.Basis, &a.AdoptedOn, &a.CreatedBy, &at); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMS(at)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// AdoptPack makes a pack apply to an org's subtree. The pack must be no
// looser than one an ancestor adopted, and the local rules already stored
// below must still be tighter than it: otherwise nothing changes.
func (db *DB) AdoptPack(ctx context.Context, s *nuanxin.Scope, orgID int64, code, basis string, on nuanxin.Date) error {
	pack, ok := policy.Pack(code)
	if !ok {
		return nuanxin.Invalid("pack", "policy.pack.unknown", code)
	}
	if on.IsZero() {
		on = db.today()
	}
	basis = strings.TrimSpace(basis)
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermPolicyManage, orgID)
		if err != nil {
			return err
		}
		ls, err := policyLayers(ctx, tx, org.Path)
		if err != nil {
			return err
		}
		above, err := effective(ls[:len(ls)-1])
		if err != nil {
			return err
		}
		if above.AdoptedBy != "" {
			if err := policy.CheckPackNoLooser(above, pack); err != nil {
				return err
			}
		}
		var before any
		if prev := ls[len(ls)-1].pack; prev != "" {
			before = map[string]string{"pack": prev}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO policy_adoptions (org_id, pack_code, basis, adopted_on, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6)
			ON CONFLICT (org_id) DO UPDATE SET pack_code = excluded.pack_code, basis = excluded.basis,
				adopted_on = excluded.adopted_on, created_by = excluded.created_by, created_at = excluded.created_at`,
			org.ID, code, basis, on, s.Username, ms(tx.now)); err != nil {
			return err
		}
		if err := tx.checkSubtreePolicies(ctx, org.Path); err != nil {
			return err
		}
		return tx.audit(ctx, "policy.adopt", "org", org.ID, org.Path, before,
			map[string]any{"pack": code, "name": pack.Name, "basis": basis, "adopted_on": on.String()})
	})
}

// checkSubtreePolicies recomputes the policy of every org under path that
// has an adoption or local rules, so a change above never leaves a rule
// below looser than what is now in force.
func (tx *Tx) checkSubtreePolicies(ctx context.Context, path string) error {
	rows, err := tx.QueryContext(ctx, `SELECT o.path FROM orgs o WHERE o.path >= $1 AND o.path <= $2
		AND (EXISTS (SELECT 1 FROM policy_adoptions a WHERE a.org_id = o.id)
		  OR EXISTS (SELECT 1 FROM policy_rules r WHERE r.org_id = o.id))`, path, prefixEnd(path))
	if err != nil {
		return err
	}
	var paths []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		paths = append(paths, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range paths {
		ls, err := policyLayers(ctx, tx, p)
		if err != nil {
			return err
		}
		if _, err := effective(ls); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) RemoveAdoption(ctx context.Context, s *nuanxin.Scope, orgID int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermPolicyManage, orgID)
		if err != nil {
			return err
		}
		var code string
		err = tx.QueryRowContext(ctx, `DELETE FROM policy_adoptions WHERE org_id = $1 RETURNING pack_code`, org.ID).Scan(&code)
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.NotFound("what.policy")
		} else if err != nil {
			return err
		}
		if err := tx.checkSubtreePolicies(ctx, org.Path); err != nil {
			return err
		}
		return tx.audit(ctx, "policy.remove", "org", org.ID, org.Path, map[string]string{"pack": code}, nil)
	})
}

// SaveLocalRule adds or replaces the org's own rule for a category, after
// checking it against what the org inherits: tighter, never looser.
func (db *DB) SaveLocalRule(ctx context.Context, s *nuanxin.Scope, orgID int64, r nuanxin.PolicyRule) (*nuanxin.LocalRule, error) {
	r.Label = strings.TrimSpace(r.Label)
	r.Basis = strings.TrimSpace(r.Basis)
	var out *nuanxin.LocalRule
	err := db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermPolicyManage, orgID)
		if err != nil {
			return err
		}
		ls, err := policyLayers(ctx, tx, org.Path)
		if err != nil {
			return err
		}
		// The parent is everything in force without this org's own rule of
		// the category (a replacement is checked against what is inherited).
		own := &ls[len(ls)-1]
		var before *nuanxin.PolicyRule
		for i := 0; i < len(own.rules); i++ {
			if own.rules[i].Category == r.Category {
				prev := own.rules[i]
				before = &prev
				own.rules = append(own.rules[:i:i], own.rules[i+1:]...)
				own.ruleIDs = append(own.ruleIDs[:i:i], own.ruleIDs[i+1:]...)
				break
			}
		}
		parent, err := effective(ls)
		if err != nil {
			return err
		}
		if err := policy.CheckTighter(parent, r); err != nil {
			return err
		}
		js, err := json.Marshal(r)
		if err != nil {
			return err
		}
		out = &nuanxin.LocalRule{OrgID: org.ID, OrgPath: org.Path, OrgName: org.Name, Rule: r, CreatedBy: s.Username, CreatedAt: tx.now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO policy_rules (org_id, category, rule_json, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5)
			ON CONFLICT (org_id, category) DO UPDATE SET rule_json = excluded.rule_json,
				created_by = excluded.created_by, created_at = excluded.created_at
			RETURNING id`, org.ID, string(r.Category), string(js), s.Username, ms(tx.now)).Scan(&out.ID); err != nil {
			return err
		}
		if err := tx.checkSubtreePolicies(ctx, org.Path); err != nil {
			return err
		}
		return tx.audit(ctx, "policy.rule_save", "policy_rule", out.ID, org.Path, before, r)
	})
	return out, err
}

func (db *DB) DeleteLocalRule(ctx context.Context, s *nuanxin.Scope, id int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		var orgID int64
		var js string
		err := tx.QueryRowContext(ctx, `SELECT org_id, rule_json FROM policy_rules WHERE id = $1`, id).Scan(&orgID, &js)
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.NotFound("what.policy")
		} else if err != nil {
			return err
		}
		org, err := orgInScope(ctx, tx, s, nuanxin.PermPolicyManage, orgID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM policy_rules WHERE id = $1`, id); err != nil {
			return err
		}
		// Removing a tightening may leave a lower org's rule looser than
		// what now applies to it; refuse rather than break the subtree.
		if err := tx.checkSubtreePolicies(ctx, org.Path); err != nil {
			return err
		}
		return tx.audit(ctx, "policy.rule_delete", "policy_rule", id, org.Path, js, nil)
	})
}

// int64List renders "$1,$2,…" for an IN list.
func int64List(ids []int64) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", i+1)
		args[i] = id
	}
	return b.String(), args
}
