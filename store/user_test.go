package store_test

import (
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

func TestUsersLoginLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		u := &nuanxin.User{Username: "clerk1", Name: "王干事", HomeOrgID: tr.A.ID}
		if err := db.CreateUser(ctx, sys, u, "short"); nuanxin.AsFieldErrors(err).For("password") == "" {
			t.Fatalf("weak password accepted: %v", err)
		}
		if err := db.CreateUser(ctx, sys, u, "Secret123"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, sys, &nuanxin.User{Username: "clerk1", Name: "x", HomeOrgID: tr.A.ID}, "Secret123"); key(err) != "user.username.taken" {
			t.Fatalf("dup username: %v", err)
		}
		if _, err := db.Grant(ctx, sys, u.ID, nuanxin.RoleClerk, tr.A.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "clerk1", "wrong", "127.0.0.1"); key(err) != "user.login.failed" {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := db.Authenticate(ctx, "nobody", "wrong", "127.0.0.1"); key(err) != "user.login.failed" {
			t.Fatalf("unknown user: %v", err)
		}
		got, err := db.Authenticate(ctx, "clerk1", "Secret123", "127.0.0.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("login: %v", err)
		}
		token, sess, err := db.CreateSession(ctx, u.ID, "127.0.0.1", "test")
		if err != nil || sess.CSRFToken == "" {
			t.Fatal(err)
		}
		_, scope, err := db.SessionScope(ctx, token)
		if err != nil || !scope.Can(nuanxin.PermMemberWrite, tr.A1.Path) || scope.Can(nuanxin.PermMemberRead, tr.B.Path) {
			t.Fatalf("scope: %+v %v", scope, err)
		}
		// five wrong passwords lock the account, even for the right one
		for i := 0; i < nuanxin.MaxFailedLogins; i++ {
			db.Authenticate(ctx, "clerk1", "wrong", "127.0.0.1")
		}
		if _, err := db.Authenticate(ctx, "clerk1", "Secret123", "127.0.0.1"); key(err) != "user.login.locked" {
			t.Fatalf("after lockout: %v", err)
		}
		// the lock ends by itself
		real := db.Now
		db.Now = func() time.Time { return real().Add(nuanxin.LockoutDuration + time.Minute) }
		if _, err := db.Authenticate(ctx, "clerk1", "Secret123", "127.0.0.1"); err != nil {
			t.Fatalf("after lock expiry: %v", err)
		}
		db.Now = real
		// an admin reset ends sessions and forces a change
		if err := db.SetPassword(ctx, scopeFor(nuanxin.RoleAdmin, tr.Group), u.ID, "Another456"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionScope(ctx, token); code(err) != nuanxin.EUNAUTHORIZED {
			t.Fatalf("session survived reset: %v", err)
		}
		got, _ = db.Authenticate(ctx, "clerk1", "Another456", "")
		if got == nil || !got.MustChangePassword {
			t.Fatalf("must change after reset: %+v", got)
		}
		// disabled users cannot log in
		if err := db.SetUserDisabled(ctx, sys, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "clerk1", "Another456", ""); key(err) != "user.login.disabled" {
			t.Fatalf("disabled login: %v", err)
		}
	})
}

func TestGrantsStayInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		adminA := &nuanxin.User{Username: "admina", Name: "甲管理员", HomeOrgID: tr.A.ID}
		if err := db.CreateUser(ctx, sys, adminA, "Secret123"); err != nil {
			t.Fatal(err)
		}
		g, err := db.Grant(ctx, sys, adminA.ID, nuanxin.RoleAdmin, tr.A.ID)
		if err != nil {
			t.Fatal(err)
		}
		sA := scopeFor(nuanxin.RoleAdmin, tr.A)
		sA.UserID = adminA.ID
		// A's admin creates a user in A and grants within A only
		u := &nuanxin.User{Username: "clerk.a1", Name: "乙", HomeOrgID: tr.A1.ID}
		if err := db.CreateUser(ctx, sA, u, "Secret123"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Grant(ctx, sA, u.ID, nuanxin.RoleClerk, tr.A1.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Grant(ctx, sA, u.ID, nuanxin.RoleClerk, tr.B.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("grant outside scope: %v", err)
		}
		if _, err := db.Grant(ctx, sA, u.ID, nuanxin.RoleClerk, tr.A1.ID); key(err) != "user.grant.duplicate" {
			t.Fatalf("dup grant: %v", err)
		}
		if err := db.CreateUser(ctx, sA, &nuanxin.User{Username: "outsider", Name: "丙", HomeOrgID: tr.B.ID}, "Secret123"); err == nil {
			t.Fatal("created user in B")
		}
		users, err := db.FindUsers(ctx, sA)
		if err != nil || len(users) != 2 {
			t.Fatalf("users in A: %d %v", len(users), err)
		}
		if err := db.Revoke(ctx, sA, adminA.ID, g.ID); key(err) != "user.grant.self_admin" {
			t.Fatalf("self revoke: %v", err)
		}
		tok, err := db.CreateAPIToken(ctx, sA, u.ID, "报表脚本")
		if err != nil {
			t.Fatal(err)
		}
		ts, err := db.TokenScope(ctx, tok.Token)
		if err != nil || ts.UserID != u.ID || !ts.Can(nuanxin.PermMemberWrite, tr.A1.Path) {
			t.Fatalf("token scope %+v %v", ts, err)
		}
		if _, err := db.TokenScope(ctx, tok.Token+"x"); code(err) != nuanxin.EUNAUTHORIZED {
			t.Fatalf("bad token: %v", err)
		}
	})
}

func TestAuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		mustMember(t, db, sys, tr.A.ID, "张三", idn("430102", "19850315", 11))
		n, brk, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil || n < 5 {
			t.Fatalf("intact chain: %d %+v %v", n, brk, err)
		}
		// an auditor of A sees A's events, not B's
		evs, total, err := db.FindAuditEvents(ctx, scopeFor(nuanxin.RoleAuditor, tr.A), nuanxin.AuditFilter{})
		if err != nil || total == 0 {
			t.Fatalf("auditor events: %v", err)
		}
		for _, e := range evs {
			if e.OrgPath == tr.B.Path {
				t.Fatalf("auditor of A sees B's event %d", e.ID)
			}
		}
		if _, _, err := db.FindAuditEvents(ctx, scopeFor(nuanxin.RoleClerk, tr.A), nuanxin.AuditFilter{}); code(err) != nuanxin.EFORBIDDEN {
			t.Fatalf("clerk reads audit: %v", err)
		}
		// tampering with entry 3 is found and named
		if _, err := db.ExecForTest(ctx, `UPDATE audit_events SET after_json = '{"name":"李四"}' WHERE id = 3`); err != nil {
			t.Fatal(err)
		}
		_, brk, err = db.VerifyAudit(ctx)
		if err != nil || brk == nil || brk.ID != 3 {
			t.Fatalf("tamper: %+v %v", brk, err)
		}
		// deleting an entry is found too
		db.ExecForTest(ctx, `UPDATE audit_events SET after_json = (SELECT after_json FROM audit_events WHERE id = 1) WHERE id = 3`)
		db2 := storetest.Open(t)
		newTree(t, db2)
		db2.ExecForTest(ctx, `DELETE FROM audit_events WHERE id = 2`)
		_, brk, _ = db2.VerifyAudit(ctx)
		if brk == nil || brk.ID != 3 {
			t.Fatalf("deletion: %+v", brk)
		}
	})
}
