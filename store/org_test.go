package store_test

import (
	"strconv"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

func TestOrgTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		if tr.A1.Path != tr.Group.Path+itoa(tr.A.ID)+"/"+itoa(tr.A1.ID)+"/" {
			t.Fatalf("A1 path = %q", tr.A1.Path)
		}
		// kinds go strictly down
		err := db.CreateOrg(ctx, sys, &nuanxin.Org{ParentID: tr.A1.ID, Name: "错误层级", Kind: nuanxin.OrgBase})
		if key(err) != "org.kind.below_parent" {
			t.Fatalf("base under branch: %v", err)
		}
		// duplicate code and sibling name
		if err := db.CreateOrg(ctx, sys, &nuanxin.Org{ParentID: tr.Group.ID, Name: "新公司工会", Kind: nuanxin.OrgBase, Code: "HX-A"}); key(err) != "org.code.duplicate" {
			t.Fatalf("dup code: %v", err)
		}
		if err := db.CreateOrg(ctx, sys, &nuanxin.Org{ParentID: tr.Group.ID, Name: "发电公司工会", Kind: nuanxin.OrgBase}); key(err) != "org.name.duplicate" {
			t.Fatalf("dup name: %v", err)
		}
		// bad credit code is refused, good one kept
		if err := db.CreateOrg(ctx, sys, &nuanxin.Org{ParentID: tr.Group.ID, Name: "物资公司工会", Kind: nuanxin.OrgBase, CreditCode: "91350100M000100Y4A"}); nuanxin.AsFieldErrors(err).For("credit_code") == "" {
			t.Fatalf("bad credit code accepted: %v", err)
		}
		// by ref
		if o, err := db.FindOrgByRef(ctx, sys, "HX-A1"); err != nil || o.ID != tr.A1.ID {
			t.Fatalf("by code: %v %v", o, err)
		}
		if o, err := db.FindOrgByRef(ctx, sys, itoa(tr.B.ID)); err != nil || o.ID != tr.B.ID {
			t.Fatalf("by id: %v %v", o, err)
		}
		// a clerk of A sees A and A1 only
		clerk := scopeFor(nuanxin.RoleClerk, tr.A)
		orgs, err := db.FindOrgs(ctx, clerk, nuanxin.OrgFilter{})
		if err != nil || len(orgs) != 2 || orgs[0].ID != tr.A.ID || orgs[1].ID != tr.A1.ID {
			t.Fatalf("clerk orgs: %v %v", orgs, err)
		}
		if _, err := db.FindOrgByID(ctx, clerk, tr.B.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("out of scope org: %v", err)
		}
		// a clerk cannot manage orgs; an admin of A cannot create under B
		if err := db.CreateOrg(ctx, clerk, &nuanxin.Org{ParentID: tr.A.ID, Name: "x", Kind: nuanxin.OrgBranch}); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("clerk creates org: %v", err)
		}
		adminA := scopeFor(nuanxin.RoleAdmin, tr.A)
		if err := db.CreateOrg(ctx, adminA, &nuanxin.Org{ParentID: tr.B.ID, Name: "x", Kind: nuanxin.OrgBranch}); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("admin A creates under B: %v", err)
		}
		if err := db.CreateOrg(ctx, adminA, &nuanxin.Org{Name: "新顶级", Kind: nuanxin.OrgGroup}); key(err) != "org.parent.required" {
			t.Fatalf("non-system root: %v", err)
		}
	})
}

func TestOrgMoveCloseDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		team := mustOrg(t, db, sys, tr.A1.ID, "运行一值工会小组", nuanxin.OrgTeam, "")
		m := mustMember(t, db, sys, team.ID, "张三丰", idn("430102", "19850315", 11))

		// moving A1 (with its team and member) under B rewrites every path
		moved, err := db.MoveOrg(ctx, sys, tr.A1.ID, tr.B.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantPath := tr.B.Path + itoa(tr.A1.ID) + "/"
		if moved.Path != wantPath {
			t.Fatalf("moved path %q want %q", moved.Path, wantPath)
		}
		got, _ := db.FindOrgByID(ctx, sys, team.ID)
		if got.Path != wantPath+itoa(team.ID)+"/" {
			t.Fatalf("team path %q", got.Path)
		}
		// the member now belongs to B's subtree: B's clerk finds it by pinyin, A's does not
		list, err := db.FindMembers(ctx, scopeFor(nuanxin.RoleClerk, tr.B), nuanxin.MemberFilter{Query: "zsf"})
		if err != nil || len(list.Members) != 1 || list.Members[0].ID != m.ID {
			t.Fatalf("B search after move: %+v %v", list, err)
		}
		list, _ = db.FindMembers(ctx, scopeFor(nuanxin.RoleClerk, tr.A), nuanxin.MemberFilter{Query: "zsf"})
		if len(list.Members) != 0 {
			t.Fatalf("A still sees moved member")
		}
		// cannot move into own subtree, cannot move root
		if _, err := db.MoveOrg(ctx, sys, tr.A1.ID, team.ID); err == nil {
			t.Fatal("moved into own subtree")
		}
		if _, err := db.MoveOrg(ctx, sys, tr.Group.ID, tr.B.ID); key(err) != "org.move.root" {
			t.Fatalf("moved root: %v", err)
		}
		// a node with members cannot be deleted, only closed
		if err := db.DeleteOrg(ctx, sys, team.ID); key(err) != "org.delete.has_members" {
			t.Fatalf("delete with members: %v", err)
		}
		if err := db.CloseOrg(ctx, sys, tr.A1.ID, nuanxin.Date{}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindOrgByID(ctx, sys, team.ID)
		if !got.Closed {
			t.Fatal("closing A1 did not close its team")
		}
		if err := db.CreateMember(ctx, sys, &nuanxin.Member{OrgID: team.ID, Name: "李四", IDNumber: idn("110105", "19900101", 21)}); key(err) != "member.org.closed" {
			t.Fatalf("member into closed org: %v", err)
		}
		if _, err := db.FindMemberByID(ctx, sys, m.ID); err != nil {
			t.Fatalf("member lost with closed org: %v", err)
		}
		// an empty node can be deleted
		empty := mustOrg(t, db, sys, tr.B.ID, "临时分工会", nuanxin.OrgBranch, "")
		if err := db.DeleteOrg(ctx, sys, empty.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindOrgByID(ctx, sys, empty.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("deleted org still there: %v", err)
		}
		// reopen needs an open parent
		if err := db.ReopenOrg(ctx, sys, team.ID); key(err) != "org.parent.closed" {
			t.Fatalf("reopen under closed parent: %v", err)
		}
		if err := db.ReopenOrg(ctx, sys, tr.A1.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
