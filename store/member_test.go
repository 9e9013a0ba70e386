package store_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

func TestMemberCreateValidateDedupe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		clerkA := scopeFor(nuanxin.RoleClerk, tr.A)
		id := idn("430102", "19850315", 12) // even: female
		m := &nuanxin.Member{OrgID: tr.A1.ID, Name: " 张 三 ", IDNumber: strings.ToLower(id), Phone: "+86 138 0013 8000"}
		if err := db.CreateMember(ctx, clerkA, m); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindMemberByID(ctx, clerkA, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "张三" || got.Sex != nuanxin.Female || got.BirthDate != nuanxin.NewDate(1985, 3, 15) || got.Phone != "13800138000" {
			t.Fatalf("derived fields: %+v", got)
		}
		if got.IDMasked != "430102********"+id[14:] || got.IDNumber != "" {
			t.Fatalf("masking: %q %q", got.IDMasked, got.IDNumber)
		}
		// contradicting sex and birth date are refused, naming the fields
		bad := &nuanxin.Member{OrgID: tr.A.ID, Name: "李四", IDNumber: idn("110105", "19900101", 21), Sex: nuanxin.Female, BirthDate: nuanxin.NewDate(1990, 1, 2), Phone: "12345"}
		fe := nuanxin.AsFieldErrors(db.CreateMember(ctx, clerkA, bad))
		for _, f := range []string{"sex", "birth_date", "phone"} {
			if fe.For(f) == "" {
				t.Errorf("no error for %s: %v", f, fe)
			}
		}
		// the same person again in scope: duplicate naming the member
		err = db.CreateMember(ctx, clerkA, &nuanxin.Member{OrgID: tr.A.ID, Name: "张三", IDNumber: id})
		if key(err) != "member.id.duplicate" || !strings.Contains(err.Error(), "张三") {
			t.Fatalf("dup in scope: %v", err)
		}
		// from B's clerk: exists elsewhere, no name leaked
		clerkB := scopeFor(nuanxin.RoleClerk, tr.B)
		err = db.CreateMember(ctx, clerkB, &nuanxin.Member{OrgID: tr.B.ID, Name: "张三", IDNumber: id})
		if key(err) != "member.id.elsewhere" || strings.Contains(err.Error(), "张三") {
			t.Fatalf("dup elsewhere: %v", err)
		}
		// a 15-digit old number is the same person as its 18-digit upgrade
		old15 := "430102850315" + id[14:17]
		err = db.CreateMember(ctx, clerkA, &nuanxin.Member{OrgID: tr.A.ID, Name: "张三", IDNumber: old15})
		if key(err) != "member.id.duplicate" {
			t.Fatalf("15-digit duplicate: %v", err)
		}
		// out of scope reads are not found
		if _, err := db.FindMemberByID(ctx, clerkB, m.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("B reads A's member: %v", err)
		}
		// writes need member.write: a reviewer in A can read, not edit
		rev := scopeFor(nuanxin.RoleReviewer, tr.A)
		if _, err := db.FindMemberByID(ctx, rev, m.ID); err != nil {
			t.Fatal(err)
		}
		got.Notes = "x"
		if err := db.UpdateMember(ctx, rev, got); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("reviewer edits: %v", err)
		}
	})
}

func TestMemberTransferAndHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		clerkA, clerkB := scopeFor(nuanxin.RoleClerk, tr.A), scopeFor(nuanxin.RoleClerk, tr.B)
		id := idn("440304", "19780601", 33)
		m := mustMember(t, db, clerkA, tr.A1.ID, "单雄信", id)

		// B cannot receive a member A still holds
		if _, err := db.ReceiveMember(ctx, clerkB, id, tr.B.ID, nuanxin.Date{}); key(err) != "member.id.not_released" {
			t.Fatalf("receive unreleased: %v", err)
		}
		// A releases (转出 without destination in its scope)
		if _, err := db.RecordEvent(ctx, clerkA, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventTransferOut, Date: nuanxin.NewDate(2026, 6, 1), Notes: "调往检修公司"}); err != nil {
			t.Fatal(err)
		}
		// B creating the person is told to receive, not duplicate
		if err := db.CreateMember(ctx, clerkB, &nuanxin.Member{OrgID: tr.B.ID, Name: "单雄信", IDNumber: id}); key(err) != "member.id.receivable" {
			t.Fatalf("create released: %v", err)
		}
		got, err := db.ReceiveMember(ctx, clerkB, id, tr.B.ID, nuanxin.NewDate(2026, 6, 3))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != m.ID || got.OrgID != tr.B.ID || got.Status != nuanxin.StatusMember {
			t.Fatalf("received: %+v", got)
		}
		if _, err := db.FindMemberByID(ctx, clerkA, m.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("A still reads transferred member: %v", err)
		}
		// found by both readings of 单 in B
		for _, q := range []string{"shanxiongxin", "dxx", "sxx", "单雄"} {
			list, err := db.FindMembers(ctx, clerkB, nuanxin.MemberFilter{Query: q})
			if err != nil || len(list.Members) != 1 {
				t.Fatalf("search %q: %+v %v", q, list, err)
			}
		}
		// lifecycle: retire, then withdraw; death after withdraw allowed; nothing after death
		if _, err := db.RecordEvent(ctx, clerkB, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventRetire, Date: nuanxin.NewDate(2026, 7, 1)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordEvent(ctx, clerkB, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventRestore, Date: nuanxin.NewDate(2026, 7, 2)}); key(err) != "member.event.not_allowed" {
			t.Fatalf("restore while 在会: %v", err)
		}
		if _, err := db.RecordEvent(ctx, clerkB, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventDeath, Date: nuanxin.NewDate(2026, 8, 1)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordEvent(ctx, clerkB, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventWithdraw, Date: nuanxin.NewDate(2026, 8, 2)}); key(err) != "member.event.not_allowed" {
			t.Fatalf("withdraw after death: %v", err)
		}
		if _, err := db.RecordEvent(ctx, clerkB, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventDeath, Date: nuanxin.NewDate(2099, 1, 1)}); key(err) != "member.date.future" {
			t.Fatalf("future date: %v", err)
		}
		evs, err := db.FindMemberEvents(ctx, clerkB, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, string(e.Kind))
		}
		if want := "join,transfer_out,transfer_in,retire,death"; strings.Join(kinds, ",") != want {
			t.Fatalf("history %v want %s", kinds, want)
		}
		final, _ := db.FindMemberByID(ctx, clerkB, m.ID)
		if final.Status != nuanxin.StatusDeceased || final.Category != nuanxin.CategoryRetired {
			t.Fatalf("final state %s %s", final.Status, final.Category)
		}
		// a transfer within one scope moves at once
		adminG := scopeFor(nuanxin.RoleAdmin, tr.Group)
		m2 := mustMember(t, db, adminG, tr.A.ID, "曾国藩", idn("430102", "19700101", 51))
		if _, err := db.RecordEvent(ctx, adminG, m2.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventTransferOut, Date: nuanxin.NewDate(2026, 1, 5), ToOrgID: tr.B.ID}); err != nil {
			t.Fatal(err)
		}
		got2, _ := db.FindMemberByID(ctx, adminG, m2.ID)
		if got2.OrgID != tr.B.ID || got2.Status != nuanxin.StatusMember {
			t.Fatalf("direct transfer: %+v", got2)
		}
	})
}

func TestMemberUpdateStaleAndReveal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		clerk := scopeFor(nuanxin.RoleClerk, tr.A)
		id := idn("510107", "19920229", 77)
		m := mustMember(t, db, clerk, tr.A.ID, "解缙", id)
		a, _ := db.FindMemberByID(ctx, clerk, m.ID)
		b, _ := db.FindMemberByID(ctx, clerk, m.ID)
		a.Department = "运行部"
		if err := db.UpdateMember(ctx, clerk, a); err != nil {
			t.Fatal(err)
		}
		b.Department = "检修部"
		if err := db.UpdateMember(ctx, clerk, b); key(err) != "err.stale" {
			t.Fatalf("stale edit: %v", err)
		}
		// reveal: reviewer may not, clerk may with a reason, and it is audited
		if _, err := db.RevealIDNumber(ctx, scopeFor(nuanxin.RoleReviewer, tr.A), m.ID, "核对"); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("reviewer reveal: %v", err)
		}
		if _, err := db.RevealIDNumber(ctx, clerk, m.ID, " "); key(err) != "member.reveal.reason" {
			t.Fatalf("reveal without reason: %v", err)
		}
		plain, err := db.RevealIDNumber(ctx, clerk, m.ID, "办理医疗互助")
		if err != nil || plain != id {
			t.Fatalf("reveal %q %v", plain, err)
		}
		evs, _, err := db.FindAuditEvents(ctx, sys, nuanxin.AuditFilter{Action: "member.reveal"})
		if err != nil || len(evs) != 1 || evs[0].EntityID != m.ID || !strings.Contains(evs[0].After, "办理医疗互助") {
			t.Fatalf("reveal audit: %+v %v", evs, err)
		}
		// no plain number anywhere in the audit log
		all, _, _ := db.FindAuditEvents(ctx, sys, nuanxin.AuditFilter{Limit: 500})
		for _, e := range all {
			if strings.Contains(e.Before+e.After, id) {
				t.Fatalf("plain 身份证号 in audit %d: %s", e.ID, e.After)
			}
		}
	})
}

func TestMemberSearchAndFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		people := []struct {
			name, id, phone string
			cat             nuanxin.Category
		}{
			{"张三", idn("430102", "19850315", 11), "13800138001", nuanxin.CategoryActive},
			{"张三丰", idn("430102", "19600705", 13), "13800138002", nuanxin.CategoryRetired},
			{"赵四", idn("110105", "19950120", 22), "", nuanxin.CategoryActive},
			{"仇英", idn("310104", "19880808", 31), "", nuanxin.CategoryMigrant},
			{"曾小贤", idn("440304", "19900303", 45), "", nuanxin.CategoryActive},
		}
		ids := map[string]int64{}
		for _, p := range people {
			m := &nuanxin.Member{OrgID: tr.A.ID, Name: p.name, IDNumber: p.id, Phone: p.phone, Category: p.cat, CardNo: "HX" + p.id[12:17]}
			if err := db.CreateMember(ctx, sys, m); err != nil {
				t.Fatal(err)
			}
			ids[p.name] = m.ID
		}
		mustMember(t, db, sys, tr.B.ID, "张三木", idn("430102", "19860101", 15))
		mustMember(t, db, sys, tr.A1.ID, "艾青", idn("330102", "19700101", 17))
		clerk := scopeFor(nuanxin.RoleClerk, tr.A)
		names := func(f nuanxin.MemberFilter) string {
			t.Helper()
			l, err := db.FindMembers(ctx, clerk, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range l.Members {
				out = append(out, m.Name)
			}
			return strings.Join(out, ",")
		}
		cases := []struct {
			f    nuanxin.MemberFilter
			want string
		}{
			{nuanxin.MemberFilter{Query: "zs"}, "张三,赵四,张三丰"}, // not B's 张三木; shorter keys first
			{nuanxin.MemberFilter{Query: "zhangsan"}, "张三,张三丰"},
			{nuanxin.MemberFilter{Query: "ZSF"}, "张三丰"},
			{nuanxin.MemberFilter{Query: "张三"}, "张三,张三丰"},
			{nuanxin.MemberFilter{Query: "chouying"}, "仇英"},
			{nuanxin.MemberFilter{Query: "qy"}, "仇英"},
			{nuanxin.MemberFilter{Query: "cengxiaoxian"}, "曾小贤"},
			{nuanxin.MemberFilter{Query: "z"}, "曾小贤,张三,张三丰,赵四"}, // each once
			{nuanxin.MemberFilter{Query: people[2].id[14:]}, "赵四"},
			{nuanxin.MemberFilter{Query: "138 0013 8002"}, "张三丰"},
			{nuanxin.MemberFilter{Query: people[3].id}, "仇英"},
			{nuanxin.MemberFilter{Query: "HX" + people[4].id[12:17]}, "曾小贤"},
			{nuanxin.MemberFilter{Category: nuanxin.CategoryRetired}, "张三丰"},
			{nuanxin.MemberFilter{Sex: nuanxin.Female}, "赵四"},
			{nuanxin.MemberFilter{BirthMonth: 8}, "仇英"},
			{nuanxin.MemberFilter{AgeMin: 60, Today: nuanxin.NewDate(2026, 11, 24)}, "张三丰"},
			{nuanxin.MemberFilter{AgeMax: 35, Today: nuanxin.NewDate(2026, 11, 24)}, "赵四"},
			{nuanxin.MemberFilter{AgeMax: 36, Today: nuanxin.NewDate(2026, 11, 24)}, "曾小贤,赵四"},
			// org by org in tree order, pinyin within: qiu, zeng, zhang, zhao, then A1's ai
			{nuanxin.MemberFilter{}, "仇英,曾小贤,张三,张三丰,赵四,艾青"},
			{nuanxin.MemberFilter{Limit: 2, Offset: 1}, "曾小贤,张三"},
			{nuanxin.MemberFilter{Query: "zs", OrgID: tr.A1.ID}, ""},
			{nuanxin.MemberFilter{OrgID: tr.A1.ID}, "艾青"},
		}
		for _, c := range cases {
			if got := names(c.f); got != c.want {
				t.Errorf("%+v: got %q want %q", c.f, got, c.want)
			}
		}
		l, _ := db.FindMembers(ctx, clerk, nuanxin.MemberFilter{Limit: 2})
		if l.Total != 6 || l.TotalCapped {
			t.Errorf("total %d capped %v", l.Total, l.TotalCapped)
		}
		if _, err := db.FindMembers(ctx, clerk, nuanxin.MemberFilter{OrgID: tr.B.ID}); code(err) != nuanxin.ENOTFOUND {
			t.Errorf("filter by out-of-scope org: %v", err)
		}
		// a member-role user reads only their own record
		self := &nuanxin.Scope{UserID: 1, Username: "m", MemberID: ids["赵四"], Grants: []nuanxin.Grant{{Role: nuanxin.RoleMember, OrgID: tr.A.ID, OrgPath: tr.A.Path}}}
		if _, err := db.FindMemberByID(ctx, self, ids["赵四"]); err != nil {
			t.Errorf("self read: %v", err)
		}
		if _, err := db.FindMemberByID(ctx, self, ids["张三"]); code(err) != nuanxin.ENOTFOUND {
			t.Errorf("member reads another: %v", err)
		}
		if l, _ := db.FindMembers(ctx, self, nuanxin.MemberFilter{}); len(l.Members) != 0 {
			t.Errorf("member lists others")
		}
	})
}

func TestRelatives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		clerk := scopeFor(nuanxin.RoleClerk, tr.A)
		id := idn("430102", "19850315", 11)
		m := mustMember(t, db, clerk, tr.A.ID, "张三", id)
		child := &nuanxin.Relative{MemberID: m.ID, Relation: nuanxin.RelChild, Name: "张小明", IDNumber: idn("430102", "20080901", 19), School: "长沙市一中"}
		if err := db.CreateRelative(ctx, clerk, child); err != nil {
			t.Fatal(err)
		}
		if child.BirthDate != nuanxin.NewDate(2008, 9, 1) || child.Sex != nuanxin.Male {
			t.Fatalf("derived: %+v", child)
		}
		if err := db.CreateRelative(ctx, clerk, &nuanxin.Relative{MemberID: m.ID, Relation: nuanxin.RelSpouse, Name: "李四", IDNumber: id}); key(err) != "relative.id.self" {
			t.Fatalf("self as relative: %v", err)
		}
		if err := db.CreateRelative(ctx, clerk, &nuanxin.Relative{MemberID: m.ID, Relation: "cousin", Name: "王五"}); nuanxin.AsFieldErrors(err).For("relation") == "" {
			t.Fatalf("bad relation: %v", err)
		}
		if err := db.CreateRelative(ctx, scopeFor(nuanxin.RoleClerk, tr.B), &nuanxin.Relative{MemberID: m.ID, Relation: nuanxin.RelSpouse, Name: "王五"}); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("out of scope relative: %v", err)
		}
		if err := db.CreateRelative(ctx, clerk, &nuanxin.Relative{MemberID: m.ID, Relation: nuanxin.RelSpouse, Name: "王芳"}); err != nil {
			t.Fatal(err)
		}
		child.School = "中南大学"
		child.IDNumber = ""
		if err := db.UpdateRelative(ctx, clerk, child); err != nil {
			t.Fatal(err)
		}
		rs, err := db.FindRelatives(ctx, clerk, m.ID)
		if err != nil || len(rs) != 2 || rs[0].Relation != nuanxin.RelSpouse || rs[1].School != "中南大学" || rs[1].IDMasked == "" {
			t.Fatalf("relatives: %+v %v", rs, err)
		}
		if err := db.DeleteRelative(ctx, clerk, m.ID, rs[0].ID); err != nil {
			t.Fatal(err)
		}
		if rs, _ := db.FindRelatives(ctx, clerk, m.ID); len(rs) != 1 {
			t.Fatalf("after delete: %d", len(rs))
		}
	})
}

// One member per 身份证号 even when two officers submit at once.
func TestMemberConcurrentDuplicate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		id := idn("430102", "19850315", 11)
		var wg sync.WaitGroup
		errs := make(chan error, 10)
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.CreateMember(ctx, sys, &nuanxin.Member{OrgID: tr.A.ID, Name: "张三", IDNumber: id})
			}()
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			if err == nil {
				ok++
			} else if code(err) != nuanxin.ECONFLICT {
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d creates succeeded", ok)
		}
	})
}

func TestBulkCreateMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		var recs []nuanxin.MemberRecord
		for i := 0; i < 1200; i++ {
			m := &nuanxin.Member{OrgID: tr.A1.ID, Name: "王伟", IDNumber: idn("110105", "19900101", 0), Category: nuanxin.CategoryActive, Status: nuanxin.StatusMember}
			m.IDNumber = idn("1101"+twoDigits(i/1000), "1990"+monthDay(i), i%1000)
			m.Normalize()
			recs = append(recs, nuanxin.MemberRecord{Member: m, Relatives: []*nuanxin.Relative{{Relation: nuanxin.RelSpouse, Name: "李娜"}}})
		}
		recs[1].Member.JoinDate = nuanxin.NewDate(2010, 1, 1)
		recs[1].Events = []*nuanxin.MemberEvent{{Kind: nuanxin.EventTransferOut, Date: nuanxin.NewDate(2024, 5, 1), Notes: "调出"}}
		if err := db.BulkCreateMembers(ctx, sys, recs); err != nil {
			t.Fatal(err)
		}
		evs, err := db.FindMemberEvents(ctx, sys, recs[1].Member.ID)
		if err != nil || len(evs) != 2 || evs[0].Kind != nuanxin.EventJoin || evs[1].Kind != nuanxin.EventTransferOut ||
			evs[1].FromOrgID != tr.A1.ID || evs[1].Notes != "调出" {
			t.Fatalf("bulk history: %+v %v", evs, err)
		}
		l, err := db.FindMembers(ctx, scopeFor(nuanxin.RoleClerk, tr.A), nuanxin.MemberFilter{OrgID: tr.A1.ID})
		if err != nil || l.Total != 1200 || l.TotalCapped {
			t.Fatalf("after bulk: %v %v", l.Total, err)
		}
		// a search counts up to its cap and says so
		l, err = db.FindMembers(ctx, scopeFor(nuanxin.RoleClerk, tr.A), nuanxin.MemberFilter{Query: "ww"})
		if err != nil || l.Total != store.SearchTotalCap || !l.TotalCapped || len(l.Members) != 20 {
			t.Fatalf("capped search: %v %v %v", l.Total, l.TotalCapped, err)
		}
		c, err := db.CountMembers(ctx, scopeFor(nuanxin.RoleClerk, tr.A), 0)
		if err != nil || c.Total != 1200 || c.ByStatus[nuanxin.StatusMember] != 1200 || c.ByCategory[nuanxin.CategoryActive] != 1200 {
			t.Fatalf("counts: %+v %v", c, err)
		}
		if c, _ := db.CountMembers(ctx, scopeFor(nuanxin.RoleClerk, tr.B), 0); c.Total != 0 {
			t.Fatalf("B counts A's members: %+v", c)
		}
		rs, _ := db.FindRelatives(ctx, sys, recs[5].Member.ID)
		if len(rs) != 1 || rs[0].Name != "李娜" {
			t.Fatalf("bulk relatives: %+v", rs)
		}
		// a batch with a number already on record goes in not at all
		dup := &nuanxin.Member{OrgID: tr.A.ID, Name: "新人", IDNumber: idn("310104", "19880808", 31), Category: nuanxin.CategoryActive}
		again := &nuanxin.Member{OrgID: tr.A.ID, Name: "重复", IDNumber: recs[0].Member.IDNumber, Category: nuanxin.CategoryActive}
		if again.IDNumber == "" {
			again.IDNumber = idn("1101"+twoDigits(0), "1990"+monthDay(0), 0)
		}
		err = db.BulkCreateMembers(ctx, sys, []nuanxin.MemberRecord{{Member: dup}, {Member: again}})
		if code(err) != nuanxin.ECONFLICT {
			t.Fatalf("bulk dup: %v", err)
		}
		if l, _ := db.FindMembers(ctx, sys, nuanxin.MemberFilter{Query: "新人"}); len(l.Members) != 0 {
			t.Fatal("half-written bulk batch")
		}
		if n, brk, err := db.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
			t.Fatalf("audit after bulk: %d %v %v", n, brk, err)
		}
	})
}

func twoDigits(i int) string { return string([]byte{byte('0' + i/10%10), byte('0' + i%10)}) }

func monthDay(i int) string {
	m, d := i%12+1, i%28+1
	return twoDigits(m) + twoDigits(d)
}

// BulkLoad suspends the secondary indexes and always puts them back, even
// when the load fails; uniqueness holds throughout.
func TestBulkLoadRestoresIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTree(t, db)
		before, err := db.IndexesForTest(ctx)
		if err != nil || before < 5 {
			t.Fatalf("indexes before: %d %v", before, err)
		}
		id := idn("430102", "19850315", 11)
		err = db.BulkLoad(ctx, func() error {
			during, _ := db.IndexesForTest(ctx)
			if during >= before {
				t.Errorf("indexes not suspended: %d", during)
			}
			m := &nuanxin.Member{OrgID: tr.A.ID, Name: "张三", IDNumber: id, Category: nuanxin.CategoryActive}
			if err := db.BulkCreateMembers(ctx, sys, []nuanxin.MemberRecord{{Member: m}}); err != nil {
				return err
			}
			dup := &nuanxin.Member{OrgID: tr.A.ID, Name: "张三", IDNumber: id, Category: nuanxin.CategoryActive}
			return db.BulkCreateMembers(ctx, sys, []nuanxin.MemberRecord{{Member: dup}})
		})
		if code(err) != nuanxin.ECONFLICT {
			t.Fatalf("duplicate during bulk load: %v", err)
		}
		if after, _ := db.IndexesForTest(ctx); after != before {
			t.Fatalf("indexes after a failed load: %d, want %d", after, before)
		}
		if l, _ := db.FindMembers(ctx, sys, nuanxin.MemberFilter{Query: "zs"}); len(l.Members) != 1 {
			t.Fatalf("search after bulk load: %d", len(l.Members))
		}
	})
}
