package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
)

var ctx = context.Background()

var sys = nuanxin.SystemScope()

// idn makes a checksum-valid 身份证号 from region, birth date (YYYYMMDD) and
// sequence (3 digits; odd = male).
func idn(region, birth string, seq int) string {
	s := fmt.Sprintf("%s%s%03d", region, birth, seq)
	return s + string(nuanxin.IDCheckDigit(s))
}

// tree is a small union: a 集团工会 with two 基层工会, one with a 分工会.
type tree struct {
	Group, A, B, A1 *nuanxin.Org
}

func mustOrg(t testing.TB, db *store.DB, s *nuanxin.Scope, parent int64, name string, kind nuanxin.OrgKind, code string) *nuanxin.Org {
	t.Helper()
	o := &nuanxin.Org{ParentID: parent, Name: name, Kind: kind, Code: code}
	if err := db.CreateOrg(ctx, s, o); err != nil {
		t.Fatalf("create org %s: %v", name, err)
	}
	return o
}

func newTree(t *testing.T, db *store.DB) tree {
	var tr tree
	tr.Group = mustOrg(t, db, sys, 0, "华夏集团工会", nuanxin.OrgGroup, "HX")
	tr.A = mustOrg(t, db, sys, tr.Group.ID, "发电公司工会", nuanxin.OrgBase, "HX-A")
	tr.B = mustOrg(t, db, sys, tr.Group.ID, "检修公司工会", nuanxin.OrgBase, "HX-B")
	tr.A1 = mustOrg(t, db, sys, tr.A.ID, "运行部分工会", nuanxin.OrgBranch, "HX-A1")
	return tr
}

func mustMember(t *testing.T, db *store.DB, s *nuanxin.Scope, org int64, name, id string) *nuanxin.Member {
	t.Helper()
	m := &nuanxin.Member{OrgID: org, Name: name, IDNumber: id, Category: nuanxin.CategoryActive, JoinDate: nuanxin.NewDate(2010, 1, 1)}
	if err := db.CreateMember(ctx, s, m); err != nil {
		t.Fatalf("create member %s: %v", name, err)
	}
	return m
}

// scopeFor is a user's scope with one grant.
func scopeFor(role nuanxin.Role, org *nuanxin.Org) *nuanxin.Scope {
	return &nuanxin.Scope{UserID: 9999, Username: string(role) + "-test",
		Grants: []nuanxin.Grant{{Role: role, OrgID: org.ID, OrgPath: org.Path, OrgName: org.Name}}}
}

func code(err error) string { return nuanxin.ErrorCode(err) }

func key(err error) string {
	if fe := nuanxin.AsFieldErrors(err); len(fe) > 0 {
		return fe[0].Key
	}
	if e, ok := err.(*nuanxin.Error); ok {
		return e.Key
	}
	return ""
}
