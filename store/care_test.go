package store_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// careWorld is a union with its officers, each a different user, and a
// fixed clock (2026-11-24) so birthdays and years are known.
type careWorld struct {
	db                              *store.DB
	tr                              tree
	clerk, reviewer, chair, auditor *nuanxin.Scope
	zhang, li                       *nuanxin.Member // 张伟 born 1985-03-15 in A1; 李娜 born 1990-11-02 in A
}

var careNow = time.Date(2026, 11, 24, 10, 0, 0, 0, nuanxin.Shanghai)

func newCareWorld(t *testing.T, db *store.DB) *careWorld {
	t.Helper()
	db.Now = func() time.Time { return careNow }
	w := &careWorld{db: db, tr: newTree(t, db)}
	user := func(id int64, role nuanxin.Role, org *nuanxin.Org) *nuanxin.Scope {
		s := scopeFor(role, org)
		s.UserID, s.Username = id, string(role)
		return s
	}
	w.clerk = user(101, nuanxin.RoleClerk, w.tr.A)
	w.reviewer = user(102, nuanxin.RoleReviewer, w.tr.A)
	w.chair = user(103, nuanxin.RoleChair, w.tr.Group)
	w.auditor = user(104, nuanxin.RoleAuditor, w.tr.Group)
	w.zhang = mustMember(t, db, sys, w.tr.A1.ID, "张伟", idn("110101", "19850315", 996))
	w.li = mustMember(t, db, sys, w.tr.A.ID, "李娜", idn("110101", "19901102", 998))
	if err := db.AdoptPack(ctx, sys, w.tr.Group.ID, "anhui-2018", "集团工会2026年第3次主席办公会纪要", nuanxin.NewDate(2026, 1, 5)); err != nil {
		t.Fatalf("adopt: %v", err)
	}
	return w
}

func (w *careWorld) birthday(m *nuanxin.Member, amount nuanxin.Money) *nuanxin.CareCase {
	return &nuanxin.CareCase{MemberID: m.ID, Category: nuanxin.CareBirthday,
		EventDate: nuanxin.NewDate(2026, m.BirthDate.Month, m.BirthDate.Day),
		Form:      nuanxin.FormVoucher, Goods: "蛋糕券一张", Amount: amount}
}

func (w *careWorld) create(t *testing.T, s *nuanxin.Scope, c *nuanxin.CareCase, opt nuanxin.CareCreate) *nuanxin.CareCase {
	t.Helper()
	if err := w.db.CreateCareCases(ctx, s, []*nuanxin.CareCase{c}, opt); err != nil {
		t.Fatalf("create case: %v", err)
	}
	return c
}

func (w *careWorld) step(t *testing.T, s *nuanxin.Scope, c *nuanxin.CareCase, act nuanxin.CareAction, reason string) {
	t.Helper()
	if err := w.db.TransitionCare(ctx, s, []int64{c.ID}, act, reason); err != nil {
		t.Fatalf("%s: %v", act, err)
	}
}

func (w *careWorld) status(t *testing.T, id int64) nuanxin.CareStatus {
	t.Helper()
	c, err := w.db.FindCareCase(ctx, sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func (w *careWorld) pay(s *nuanxin.Scope, ids ...int64) (*nuanxin.CareBatch, error) {
	return w.db.PayCare(ctx, s, nuanxin.PaymentInput{CaseIDs: ids, PaidOn: nuanxin.NewDate(2026, 11, 20),
		Method: nuanxin.PayGoods, Payer: "王会计", Head: "welfare", Ref: "发电工会〔2026〕12号"})
}

func TestCareWorkflowFromDraftToSigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		c := w.create(t, w.clerk, w.birthday(w.zhang, 20000), nuanxin.CareCreate{})
		if c.Status != nuanxin.CareDraft || c.OrgID != w.tr.A1.ID || c.DraftedBy != 101 {
			t.Fatalf("new case: status %s org %d drafted by %d", c.Status, c.OrgID, c.DraftedBy)
		}
		w.step(t, w.clerk, c, nuanxin.ActSubmit, "")
		w.step(t, w.reviewer, c, nuanxin.ActReview, "")
		w.step(t, w.chair, c, nuanxin.ActApprove, "")
		if got := w.status(t, c.ID); got != nuanxin.CareApproved {
			t.Fatalf("after approval: %s", got)
		}
		b, err := w.pay(w.clerk, c.ID)
		if err != nil {
			t.Fatalf("pay: %v", err)
		}
		if b.Total != 20000 || b.Cases != 1 || b.OrgID != w.tr.A1.ID || !strings.Contains(b.Title, "生日") {
			t.Fatalf("batch: %+v", b)
		}
		if err := db.SignCare(ctx, w.clerk, b.ID, nil, nuanxin.NewDate(2026, 11, 21)); err != nil {
			t.Fatalf("sign: %v", err)
		}
		got, cases, err := db.FindCareBatch(ctx, w.auditor, b.ID)
		if err != nil || len(cases) != 1 || got.Signed != 1 || cases[0].Status != nuanxin.CareSigned || cases[0].PaidOn != nuanxin.NewDate(2026, 11, 20) {
			t.Fatalf("batch read back: %+v %v %v", got, cases, err)
		}
		steps, err := db.FindCareSteps(ctx, w.auditor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, s := range steps {
			acts = append(acts, string(s.Action)+":"+s.Username)
		}
		want := "create:clerk submit:clerk review:reviewer approve:chair pay:clerk sign:clerk"
		if strings.Join(acts, " ") != want {
			t.Fatalf("steps %q, want %q", strings.Join(acts, " "), want)
		}
		evs, _, err := db.FindAuditEvents(ctx, sys, nuanxin.AuditFilter{Entity: "care_case", EntityID: c.ID})
		if err != nil || len(evs) != 6 {
			t.Fatalf("audit events of the case: %d %v", len(evs), err)
		}
		if _, brk, err := db.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("audit chain: %v %+v", err, brk)
		}
	})
}

func TestCareRejectGoesBackOneStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		c := w.create(t, w.clerk, w.birthday(w.zhang, 20000), nuanxin.CareCreate{Submit: true})
		if got := w.status(t, c.ID); got != nuanxin.CareSubmitted {
			t.Fatalf("created with submit: %s", got)
		}
		if err := db.TransitionCare(ctx, w.reviewer, []int64{c.ID}, nuanxin.ActReject, " "); key(err) != "care.reason.required" {
			t.Fatalf("reject without reason: %v", err)
		}
		w.step(t, w.reviewer, c, nuanxin.ActReject, "请补充蛋糕券的商家名称")
		got, _ := db.FindCareCase(ctx, w.clerk, c.ID)
		if got.Status != nuanxin.CareDraft || got.RejectReason != "请补充蛋糕券的商家名称" {
			t.Fatalf("after reject from review: %s %q", got.Status, got.RejectReason)
		}
		got.Goods = "好利来蛋糕券一张"
		if err := db.UpdateCareCase(ctx, w.clerk, got, false); err != nil {
			t.Fatalf("edit the draft: %v", err)
		}
		w.step(t, w.clerk, got, nuanxin.ActSubmit, "")
		w.step(t, w.reviewer, got, nuanxin.ActReview, "")
		w.step(t, w.chair, got, nuanxin.ActReject, "金额请按标准核定")
		if s := w.status(t, c.ID); s != nuanxin.CareSubmitted {
			t.Fatalf("reject from approval goes back to review, got %s", s)
		}
		// A reviewer may not send back what waits for the approver, nor
		// approve.
		w.step(t, w.reviewer, got, nuanxin.ActReview, "")
		if err := db.TransitionCare(ctx, w.reviewer, []int64{c.ID}, nuanxin.ActApprove, ""); code(err) != nuanxin.EFORBIDDEN {
			t.Fatalf("reviewer approving: %v", err)
		}
		if err := db.TransitionCare(ctx, w.reviewer, []int64{c.ID}, nuanxin.ActReject, "x"); code(err) != nuanxin.EFORBIDDEN {
			t.Fatalf("reviewer rejecting at approval: %v", err)
		}
		// Editing a case on its way is refused.
		got, _ = db.FindCareCase(ctx, w.clerk, c.ID)
		if err := db.UpdateCareCase(ctx, w.clerk, got, false); key(err) != "care.not_editable" {
			t.Fatalf("edit after submit: %v", err)
		}
		if err := db.TransitionCare(ctx, w.clerk, []int64{c.ID}, nuanxin.ActSubmit, ""); key(err) != "care.step.not_allowed" {
			t.Fatalf("submit twice: %v", err)
		}
	})
}

func TestCareSeparationOfDuties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		// 李娜 is both a member and the 分管副主席 who reviews and approves.
		both := &nuanxin.Scope{UserID: 200, Username: "lina", Name: "李娜", OwnMemberID: w.li.ID, Grants: []nuanxin.Grant{
			{Role: nuanxin.RoleChair, OrgID: w.tr.A.ID, OrgPath: w.tr.A.Path}}}
		own := w.create(t, both, w.birthday(w.zhang, 20000), nuanxin.CareCreate{Submit: true})
		if err := db.TransitionCare(ctx, both, []int64{own.ID}, nuanxin.ActReview, ""); key(err) != "care.step.own_draft" {
			t.Fatalf("reviewing one's own draft: %v", err)
		}
		forHer := w.create(t, w.clerk, w.birthday(w.li, 20000), nuanxin.CareCreate{Submit: true})
		if err := db.TransitionCare(ctx, both, []int64{forHer.ID}, nuanxin.ActReview, ""); key(err) != "care.step.own_case" {
			t.Fatalf("reviewing a case that pays oneself: %v", err)
		}
		w.step(t, w.reviewer, forHer, nuanxin.ActReview, "")
		if err := db.TransitionCare(ctx, both, []int64{forHer.ID}, nuanxin.ActApprove, ""); key(err) != "care.step.own_case" {
			t.Fatalf("approving a case that pays oneself: %v", err)
		}
		w.step(t, w.chair, forHer, nuanxin.ActApprove, "")
		if _, err := w.pay(both, forHer.ID); key(err) != "care.step.own_case" {
			t.Fatalf("paying oneself: %v", err)
		}
		// The same person may not review and then approve.
		rc := &nuanxin.Scope{UserID: 300, Username: "wang", Grants: []nuanxin.Grant{{Role: nuanxin.RoleChair, OrgID: w.tr.A.ID, OrgPath: w.tr.A.Path}}}
		c := w.create(t, w.clerk, &nuanxin.CareCase{MemberID: w.zhang.ID, Category: nuanxin.CareWedding,
			EventDate: nuanxin.NewDate(2026, 10, 1), Form: nuanxin.FormGoods, Goods: "床上用品一套", Amount: 50000}, nuanxin.CareCreate{Submit: true})
		w.step(t, rc, c, nuanxin.ActReview, "")
		if err := db.TransitionCare(ctx, rc, []int64{c.ID}, nuanxin.ActApprove, ""); key(err) != "care.step.same_reviewer" {
			t.Fatalf("approving what one reviewed: %v", err)
		}
		// A batch is all or none: one refused case leaves the other untouched.
		zhao := mustMember(t, db, sys, w.tr.A.ID, "赵六", idn("110101", "19930101", 995))
		ok := w.create(t, w.clerk, &nuanxin.CareCase{MemberID: zhao.ID, Category: nuanxin.CareWedding,
			EventDate: nuanxin.NewDate(2026, 10, 2), Form: nuanxin.FormGoods, Goods: "床上用品一套", Amount: 50000}, nuanxin.CareCreate{Submit: true})
		err := db.TransitionCare(ctx, both, []int64{ok.ID, own.ID}, nuanxin.ActReview, "")
		if err == nil || !strings.Contains(err.Error(), "第2条") {
			t.Fatalf("batch review with one refused: %v", err)
		}
		if s := w.status(t, ok.ID); s != nuanxin.CareSubmitted {
			t.Fatalf("the other case moved: %s", s)
		}
	})
}

func TestCareOneStepApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		if err := db.SetCareSettings(ctx, w.clerk, nuanxin.CareSettings{OrgID: w.tr.A.ID, OneStep: true}); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("a clerk changing the workflow: %v", err)
		}
		if err := db.SetCareSettings(ctx, w.chair, nuanxin.CareSettings{OrgID: w.tr.A.ID, OneStep: true}); err != nil {
			t.Fatal(err)
		}
		cs, _ := db.CareSettings(ctx, w.clerk, w.tr.A1.ID)
		if !cs.OneStep {
			t.Fatal("the 分工会 does not inherit one-step approval")
		}
		c := w.create(t, w.clerk, w.birthday(w.zhang, 20000), nuanxin.CareCreate{Submit: true})
		if err := db.TransitionCare(ctx, w.reviewer, []int64{c.ID}, nuanxin.ActReview, ""); key(err) != "care.step.not_allowed" {
			t.Fatalf("review in a one-step union: %v", err)
		}
		todo, err := db.CareTodo(ctx, w.chair, 0, nuanxin.Date{})
		if err != nil || todo.ToApprove != 1 || todo.ToReview != 0 {
			t.Fatalf("chair's todo: %+v %v", todo, err)
		}
		w.step(t, w.chair, c, nuanxin.ActApprove, "")
		if s := w.status(t, c.ID); s != nuanxin.CareApproved {
			t.Fatalf("one-step approve: %s", s)
		}
		// Elsewhere in the group the two steps still apply.
		m := mustMember(t, db, sys, w.tr.B.ID, "赵敏", idn("110101", "19880808", 997))
		clerkB := scopeFor(nuanxin.RoleClerk, w.tr.B)
		c2 := w.create(t, clerkB, w.birthday(m, 20000), nuanxin.CareCreate{Submit: true})
		if err := db.TransitionCare(ctx, w.chair, []int64{c2.ID}, nuanxin.ActApprove, ""); key(err) != "care.step.not_allowed" {
			t.Fatalf("approve without review in a two-step union: %v", err)
		}
	})
}

func TestCarePolicyBlocksAndWarnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		var pe *nuanxin.PolicyError
		// 安徽: birthday at most 300元.
		err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{w.birthday(w.zhang, 30001)}, nuanxin.CareCreate{})
		if !errors.As(err, &pe) || !pe.Blocked() || !strings.Contains(err.Error(), "300") {
			t.Fatalf("over the cap: %v", err)
		}
		cash := w.birthday(w.zhang, 20000)
		cash.Form, cash.Goods = nuanxin.FormCash, ""
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{cash}, nuanxin.CareCreate{}); !errors.As(err, &pe) || !pe.Blocked() {
			t.Fatalf("cash for a birthday: %v", err)
		}
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{w.birthday(w.zhang, 30000)}, nuanxin.CareCreate{Submit: true}); err != nil {
			t.Fatalf("exactly at the cap: %v", err)
		}
		// A second birthday gift the same year is refused at submit.
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{w.birthday(w.zhang, 10000)}, nuanxin.CareCreate{Submit: true}); !errors.As(err, &pe) || !pe.Blocked() {
			t.Fatalf("second birthday gift: %v", err)
		}
		// A death case for a member not recorded as deceased warns: saved
		// only once the officer accepts.
		death := &nuanxin.CareCase{MemberID: w.li.ID, Category: nuanxin.CareDeath, EventDate: nuanxin.NewDate(2026, 11, 1),
			Form: nuanxin.FormCash, Amount: 200000}
		err = db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{death}, nuanxin.CareCreate{})
		if !errors.As(err, &pe) || pe.Blocked() {
			t.Fatalf("a warning must hold the case back: %v", err)
		}
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{death}, nuanxin.CareCreate{AcceptWarnings: true}); err != nil {
			t.Fatalf("accepting the warning: %v", err)
		}
		got, _ := db.FindCareCase(ctx, w.reviewer, death.ID)
		if len(got.Warnings) == 0 || got.Warnings[0].Level != nuanxin.Warn {
			t.Fatalf("the reviewer must see the warning: %+v", got.Warnings)
		}
		// Batch entry is all or none; the error names the row.
		births := []*nuanxin.CareCase{
			{MemberID: w.zhang.ID, Category: nuanxin.CareBirth, EventDate: nuanxin.NewDate(2026, 11, 3), Form: nuanxin.FormGoods, Goods: "母婴用品", Amount: 60000},
			{MemberID: w.li.ID, Category: nuanxin.CareBirth, EventDate: nuanxin.NewDate(2026, 11, 5), Form: nuanxin.FormGoods, Goods: "母婴用品", Amount: 60001},
		}
		err = db.CreateCareCases(ctx, w.clerk, births, nuanxin.CareCreate{})
		if !errors.As(err, &pe) || pe.Row != 2 || !strings.Contains(err.Error(), "第2条") {
			t.Fatalf("batch with a bad second row: %v", err)
		}
		list, _ := db.FindCareCases(ctx, w.clerk, nuanxin.CareFilter{Category: nuanxin.CareBirth})
		if list.Total != 0 {
			t.Fatalf("half a batch was stored: %d", list.Total)
		}
		// Out of scope: a clerk of A cannot record for a member of B.
		m := mustMember(t, db, sys, w.tr.B.ID, "赵敏", idn("110101", "19880808", 997))
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{w.birthday(m, 100)}, nuanxin.CareCreate{}); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
		// Field checks come back all at once.
		err = db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{{MemberID: w.zhang.ID, Category: nuanxin.CareHoliday,
			EventDate: nuanxin.NewDate(2027, 1, 1), Form: nuanxin.FormGoods}}, nuanxin.CareCreate{})
		fe := nuanxin.AsFieldErrors(err)
		if fe.For("event_date") == "" || fe.For("amount") == "" || fe.For("holiday") == "" || fe.For("goods") == "" {
			t.Fatalf("field errors: %v", err)
		}
	})
}

// approvedBirthdays makes n approved birthday cases for one member, as two
// officers entering the same gift on different days would: each draft is
// legitimate on its own, and only payment decides.
func approvedBirthdays(t *testing.T, w *careWorld, m *nuanxin.Member, n int) []int64 {
	t.Helper()
	cases := make([]*nuanxin.CareCase, n)
	for i := range cases {
		cases[i] = w.birthday(m, 20000)
	}
	if err := w.db.CreateCareCases(ctx, w.clerk, cases, nuanxin.CareCreate{}); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, n)
	for i, c := range cases {
		ids[i] = c.ID
	}
	if _, err := w.db.ExecForTest(ctx, `UPDATE care_cases SET status = 'approved' WHERE member_id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestCareConcurrentPaymentsPayOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		ids := approvedBirthdays(t, w, w.zhang, 50)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var paid, blocked int
		var other []error
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func(i int, id int64) {
				defer wg.Done()
				payer := &nuanxin.Scope{UserID: int64(500 + i), Username: "payer", Grants: w.clerk.Grants}
				<-start
				_, err := w.pay(payer, id)
				mu.Lock()
				defer mu.Unlock()
				var pe *nuanxin.PolicyError
				switch {
				case err == nil:
					paid++
				case errors.As(err, &pe) && pe.Blocked():
					blocked++
				default:
					other = append(other, err)
				}
			}(i, id)
		}
		close(start)
		wg.Wait()
		if paid != 1 || blocked != 49 || len(other) != 0 {
			t.Fatalf("paid %d, blocked %d, other errors %v", paid, blocked, other)
		}
		st, err := db.CareByCategory(ctx, sys, nuanxin.StatsFilter{})
		if err != nil || len(st) != 1 || st[0].Cases != 1 || st[0].Amount != 20000 {
			t.Fatalf("stats after the race: %+v %v", st, err)
		}
	})
}

func TestCarePolicyAdoptionAndLocalRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		// Below 安徽 (birthday 300), the national pack (no amounts) is looser.
		if err := db.AdoptPack(ctx, w.chair, w.tr.A.ID, "national-2017", "", nuanxin.Date{}); code(err) != nuanxin.EINVALID {
			t.Fatalf("adopting a looser pack below: %v", err)
		}
		if err := db.AdoptPack(ctx, w.chair, w.tr.A.ID, "no-such-pack", "", nuanxin.Date{}); code(err) != nuanxin.EINVALID {
			t.Fatalf("unknown pack: %v", err)
		}
		if err := db.AdoptPack(ctx, w.clerk, w.tr.A.ID, "anhui-2018", "", nuanxin.Date{}); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("a clerk adopting: %v", err)
		}
		pol, err := db.EffectivePolicy(ctx, w.clerk, w.tr.A1.ID, nuanxin.Date{})
		if err != nil || pol.Pack.Code != "anhui-2018" || pol.AdoptedBy != w.tr.Group.Name ||
			pol.Adoption == nil || pol.Adoption.Basis != "集团工会2026年第3次主席办公会纪要" || pol.Adoption.AdoptedOn != nuanxin.NewDate(2026, 1, 5) {
			t.Fatalf("inherited policy: %+v %v", pol, err)
		}
		tight := *pol.Rule(nuanxin.CareBirthday)
		tight.Cap = 20000
		if _, err := db.SaveLocalRule(ctx, w.chair, w.tr.A.ID, tight); err != nil {
			t.Fatalf("tightening: %v", err)
		}
		loose := tight
		loose.Cap = 40000
		if _, err := db.SaveLocalRule(ctx, w.chair, w.tr.A1.ID, loose); code(err) != nuanxin.EINVALID {
			t.Fatalf("loosening below a tightening: %v", err)
		}
		err = db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{w.birthday(w.zhang, 25000)}, nuanxin.CareCreate{})
		var pe *nuanxin.PolicyError
		if !errors.As(err, &pe) || !pe.Blocked() || !strings.Contains(err.Error(), "200") {
			t.Fatalf("the tightened cap must apply in the subtree: %v", err)
		}
		// The group's own category (家属住院, 500元) with its basis.
		own := nuanxin.PolicyRule{Category: "family_illness", Label: "家属住院", Custom: true, ForRelative: true,
			Relations: []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild},
			Cap:       50000, Frequency: nuanxin.FreqNaturalYear, Forms: []nuanxin.CareForm{nuanxin.FormCash, nuanxin.FormGoods},
			Basis: "2025年会员代表大会决议"}
		noBasis := own
		noBasis.Basis = ""
		if _, err := db.SaveLocalRule(ctx, w.chair, w.tr.Group.ID, noBasis); code(err) != nuanxin.EINVALID {
			t.Fatalf("own category without basis: %v", err)
		}
		if _, err := db.SaveLocalRule(ctx, w.chair, w.tr.Group.ID, own); err != nil {
			t.Fatalf("own category: %v", err)
		}
		rel := &nuanxin.Relative{MemberID: w.zhang.ID, Relation: nuanxin.RelParent, Name: "张大山"}
		if err := db.CreateRelative(ctx, sys, rel); err != nil {
			t.Fatal(err)
		}
		fc := &nuanxin.CareCase{MemberID: w.zhang.ID, Category: "family_illness", EventDate: nuanxin.NewDate(2026, 11, 10),
			Form: nuanxin.FormCash, Amount: 50000}
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{fc}, nuanxin.CareCreate{}); key(err) != "care.relative.required" {
			t.Fatalf("a relative case without the relative: %v", err)
		}
		fc.RelativeID = rel.ID
		if err := db.CreateCareCases(ctx, w.clerk, []*nuanxin.CareCase{fc}, nuanxin.CareCreate{}); err != nil {
			t.Fatalf("own category case: %v", err)
		}
		if !strings.Contains(fc.Subject(), "张大山") {
			t.Fatalf("subject %q", fc.Subject())
		}
		// Removing the group's pack would leave A's 200元 tightening under
		// the national pack: allowed (tighter than no amount).
		if err := db.RemoveAdoption(ctx, w.chair, w.tr.Group.ID); err != nil {
			t.Fatalf("remove adoption: %v", err)
		}
		pol, _ = db.EffectivePolicy(ctx, w.clerk, w.tr.A1.ID, nuanxin.Date{})
		if pol.Pack.Code != "national-2017" || pol.Rule(nuanxin.CareBirthday).Cap != 20000 {
			t.Fatalf("after removal: pack %s birthday cap %v", pol.Pack.Code, pol.Rule(nuanxin.CareBirthday).Cap)
		}
	})
}

func TestCareStatsAndTodo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		ill := w.create(t, w.clerk, &nuanxin.CareCase{MemberID: w.zhang.ID, Category: nuanxin.CareIllness,
			EventDate: nuanxin.NewDate(2026, 11, 14), Hospital: "市第一人民医院", HospitalDays: 6, Surgery: true,
			Form: nuanxin.FormCash, Amount: 100000}, nuanxin.CareCreate{Submit: true})
		bd := w.create(t, w.clerk, w.birthday(w.li, 30000), nuanxin.CareCreate{Submit: true})
		wed := w.create(t, w.clerk, &nuanxin.CareCase{MemberID: w.li.ID, Category: nuanxin.CareWedding,
			EventDate: nuanxin.NewDate(2026, 10, 1), Form: nuanxin.FormGoods, Goods: "床上用品", Amount: 60000}, nuanxin.CareCreate{Submit: true})
		for _, c := range []*nuanxin.CareCase{ill, bd, wed} {
			w.step(t, w.reviewer, c, nuanxin.ActReview, "")
			w.step(t, w.chair, c, nuanxin.ActApprove, "")
		}
		todo, err := db.CareTodo(ctx, w.clerk, 0, nuanxin.Date{})
		if err != nil || todo.ToPay != 3 {
			t.Fatalf("clerk's todo before payment: %+v %v", todo, err)
		}
		counts, err := db.CareTodoCounts(ctx, w.clerk, 0)
		if err != nil || counts.ToPay != 3 || len(counts.MustVisit) != 0 {
			t.Fatalf("counts only: %+v %v", counts, err)
		}
		draft := w.create(t, w.clerk, &nuanxin.CareCase{MemberID: w.zhang.ID, Category: nuanxin.CareOther,
			EventDate: nuanxin.NewDate(2026, 11, 1), Form: nuanxin.FormCash, Amount: 5000}, nuanxin.CareCreate{})
		byStatus, err := db.CountCareByStatus(ctx, w.auditor, nuanxin.CareFilter{Status: nuanxin.CareDraft})
		if err != nil || byStatus[nuanxin.CareApproved] != 3 || byStatus[nuanxin.CareDraft] != 1 {
			t.Fatalf("counts by status: %v %v", byStatus, err)
		}
		mine, _ := db.FindCareCases(ctx, w.clerk, nuanxin.CareFilter{DraftedBy: w.clerk.UserID, Status: nuanxin.CareDraft})
		others, _ := db.FindCareCases(ctx, w.clerk, nuanxin.CareFilter{DraftedBy: w.reviewer.UserID})
		if mine.Total != 1 || mine.Cases[0].ID != draft.ID || others.Total != 0 {
			t.Fatalf("drafted by: mine %d, others %d", mine.Total, others.Total)
		}
		batch, err := w.pay(w.clerk, ill.ID, bd.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			// Signing one case of a batch leaves the others as they were.
			if err := db.SignCare(ctx, w.clerk, batch.ID, []int64{ill.ID}, nuanxin.NewDate(2026, 11, 22)); err != nil {
				t.Fatal(err)
			}
			if a, b := w.status(t, ill.ID), w.status(t, bd.ID); a != nuanxin.CareSigned || b != nuanxin.CarePaid {
				t.Fatalf("signing one case: %s and %s", a, b)
			}
		}()
		byCat, err := db.CareByCategory(ctx, w.auditor, nuanxin.StatsFilter{Period: nuanxin.YearPeriod(2026)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]nuanxin.CareStat{}
		for _, s := range byCat {
			got[s.Key] = s
		}
		if len(byCat) != 2 || got["illness"].Amount != 100000 || got["birthday"].Cases != 1 || got["birthday"].Label != "生日" {
			t.Fatalf("by category (the unpaid wedding must not count): %+v", byCat)
		}
		byForm, _ := db.CareByForm(ctx, w.auditor, nuanxin.StatsFilter{OrgID: w.tr.A1.ID})
		if len(byForm) != 1 || byForm[0].Key != "cash" || byForm[0].Amount != 100000 {
			t.Fatalf("by form in A1: %+v", byForm)
		}
		todo, _ = db.CareTodo(ctx, w.clerk, 0, nuanxin.Date{})
		if todo.ToPay != 1 || todo.ToSign != 2 {
			t.Fatalf("after payment: %+v", todo)
		}
		kinds := func(t *nuanxin.CareTodo) map[nuanxin.MustVisitKind]*nuanxin.MustVisit {
			out := map[nuanxin.MustVisitKind]*nuanxin.MustVisit{}
			for _, v := range t.MustVisit {
				out[v.Kind] = v
			}
			return out
		}
		mv := kinds(todo)
		if h := mv[nuanxin.VisitHospital]; h == nil || h.Days != 10 || h.CaseID != ill.ID {
			t.Fatalf("hospital visit: %+v", h)
		}
		if b := mv[nuanxin.VisitBirthday]; b != nil {
			t.Fatalf("李娜 has her birthday gift, 张伟 was born in March: %+v", b)
		}
		if err := db.RecordVisit(ctx, w.clerk, ill.ID, nuanxin.NewDate(2026, 11, 15), "王主席、刘干事", "带去慰问金，病情稳定"); err != nil {
			t.Fatal(err)
		}
		// 王芳, born in November, has had nothing; 张伟 dies.
		mustMember(t, db, sys, w.tr.A.ID, "王芳", idn("110101", "19921120", 994))
		if _, err := db.RecordEvent(ctx, sys, w.zhang.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventDeath, Date: nuanxin.NewDate(2026, 11, 22)}); err != nil {
			t.Fatal(err)
		}
		todo, _ = db.CareTodo(ctx, w.clerk, 0, nuanxin.Date{})
		mv = kinds(todo)
		if mv[nuanxin.VisitHospital] != nil || todo.MustVisitCounts[nuanxin.VisitHospital] != 0 {
			t.Fatalf("the visited case is still listed: %+v", todo.MustVisit)
		}
		if d := mv[nuanxin.VisitDeath]; d == nil || d.MemberID != w.zhang.ID || d.Days != 2 {
			t.Fatalf("death without 慰问: %+v", d)
		}
		if b := mv[nuanxin.VisitBirthday]; b == nil || b.MemberName != "王芳" || b.EventDate != nuanxin.NewDate(2026, 11, 20) || b.Days != 4 {
			t.Fatalf("birthday this month: %+v", b)
		}
		if wv := mv[nuanxin.VisitWedding]; wv == nil || wv.CaseID != wed.ID {
			t.Fatalf("wedding not visited: %+v", wv)
		}
	})
}

func TestCareAttachmentsAndNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		c := w.create(t, w.clerk, w.birthday(w.zhang, 20000), nuanxin.CareCreate{Submit: true})
		w.step(t, w.reviewer, c, nuanxin.ActReview, "")
		w.step(t, w.chair, c, nuanxin.ActApprove, "")
		b, err := w.pay(w.clerk, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
		a := &nuanxin.Attachment{Owner: "batch", OwnerID: b.ID, Kind: "scan", Name: "签收表.png"}
		if err := db.AddAttachment(ctx, w.clerk, a, bytes.NewReader(png)); err != nil {
			t.Fatal(err)
		}
		bad := &nuanxin.Attachment{Owner: "batch", OwnerID: b.ID, Kind: "scan", Name: "x.exe"}
		if err := db.AddAttachment(ctx, w.clerk, bad, strings.NewReader("MZ this is not a picture")); key(err) != "care.attachment.type" {
			t.Fatalf("an executable as a scan: %v", err)
		}
		if err := db.AddAttachment(ctx, w.clerk, &nuanxin.Attachment{Owner: "batch", OwnerID: b.ID}, io.LimitReader(zeros{}, nuanxin.MaxAttachment+10)); key(err) != "care.attachment.too_large" {
			t.Fatalf("too large: %v", err)
		}
		got, _, _ := db.FindCareBatch(ctx, w.auditor, b.ID)
		if got.ScanID != a.ID {
			t.Fatalf("scan id %d, want %d", got.ScanID, a.ID)
		}
		meta, data, err := db.OpenAttachment(ctx, w.auditor, a.ID)
		if err != nil || !bytes.Equal(data, png) || meta.ContentType != "image/png" {
			t.Fatalf("open: %+v %v", meta, err)
		}
		outsider := scopeFor(nuanxin.RoleClerk, w.tr.B)
		if _, _, err := db.OpenAttachment(ctx, outsider, a.ID); code(err) != nuanxin.ENOTFOUND {
			t.Fatalf("outside the subtree: %v", err)
		}
		if err := db.PublishNotice(ctx, w.clerk, b.ID, nuanxin.NewDate(2026, 11, 25), nuanxin.NewDate(2026, 11, 20)); key(err) != "care.notice.period" {
			t.Fatalf("backwards period: %v", err)
		}
		if err := db.PublishNotice(ctx, w.clerk, b.ID, nuanxin.NewDate(2026, 11, 25), nuanxin.NewDate(2026, 12, 1)); err != nil {
			t.Fatal(err)
		}
		got, _, _ = db.FindCareBatch(ctx, w.clerk, b.ID)
		if got.ObjectionsUntil != nuanxin.NewDate(2026, 12, 1) {
			t.Fatalf("objections until %v", got.ObjectionsUntil)
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	return len(p), nil
}

type careRows struct {
	rows []*nuanxin.CareRow
	i    int
}

func (r *careRows) Next() (*nuanxin.CareRow, error) {
	if r.i >= len(r.rows) {
		return nil, io.EOF
	}
	r.i++
	return r.rows[r.i-1], nil
}

func TestImportCareHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCareWorld(t, db)
		rows := func() *careRows {
			cols := map[string]string{"name": "A列（姓名）", "id_number": "B列（身份证号）", "category": "C列（类别）", "date": "D列（日期）", "amount": "E列（金额）"}
			return &careRows{rows: []*nuanxin.CareRow{
				{Row: 3, Name: "张伟", IDNumber: idn("110101", "19850315", 996), Category: nuanxin.CareIllness, Date: nuanxin.NewDate(2025, 6, 1), Amount: 100000, Form: nuanxin.FormCash, Handler: "刘干事", Columns: cols},
				// 1500元 for a birthday breaks the 300元 cap: stored with a warning.
				{Row: 4, Name: "李娜", Category: nuanxin.CareBirthday, Date: nuanxin.NewDate(2025, 11, 2), Amount: 150000, Form: nuanxin.FormGoods, Columns: cols},
				{Row: 5, Name: "查无此人", Category: nuanxin.CareBirthday, Date: nuanxin.NewDate(2025, 11, 2), Amount: 100, Form: nuanxin.FormGoods, Columns: cols},
				{Row: 6, Name: "张伟", IDNumber: idn("110101", "19850315", 996), Category: nuanxin.CareIllness, Date: nuanxin.NewDate(2025, 6, 1), Amount: 100000, Form: nuanxin.FormCash, Columns: cols},
				{Row: 7, Name: "张伟", CategoryText: "家属住院", Date: nuanxin.NewDate(2025, 7, 1), Amount: 50000, Form: nuanxin.FormCash, Columns: cols},
			}}
		}
		rep, err := db.ImportCare(ctx, w.clerk, rows(), nuanxin.CareImportOptions{OrgID: w.tr.A.ID, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 2 || rep.Rejected != 3 {
			t.Fatalf("dry run: %+v", rep)
		}
		if list, _ := db.FindCareCases(ctx, sys, nuanxin.CareFilter{}); list.Total != 0 {
			t.Fatalf("a dry run stored %d cases", list.Total)
		}
		var warned, dup, unknown bool
		for _, e := range rep.Errors {
			switch {
			case e.Row == 4 && e.Warning && strings.Contains(e.Reason, "300"):
				warned = true
			case e.Row == 6 && strings.Contains(e.Reason, "第3行"):
				dup = true
			case e.Row == 7 && e.Column == "C列（类别）":
				unknown = true
			}
		}
		if !warned || !dup || !unknown {
			t.Fatalf("row errors: %+v", rep.Errors)
		}
		rep, err = db.ImportCare(ctx, w.clerk, rows(), nuanxin.CareImportOptions{OrgID: w.tr.A.ID})
		if err != nil || rep.Created != 2 {
			t.Fatalf("commit: %+v %v", rep, err)
		}
		// History is paid with nothing left to sign.
		if todo, _ := db.CareTodoCounts(ctx, w.clerk, 0); todo.ToSign != 0 {
			t.Fatalf("historical records wait for signatures: %+v", todo)
		}
		list, _ := db.FindCareCases(ctx, w.auditor, nuanxin.CareFilter{})
		for _, c := range list.Cases {
			if c.Status != nuanxin.CarePaid || !c.Historical || c.PaidOn != c.EventDate {
				t.Fatalf("historical record: %+v", c)
			}
		}
		rep, err = db.ImportCare(ctx, w.clerk, rows(), nuanxin.CareImportOptions{OrgID: w.tr.A.ID})
		if err != nil || rep.Created != 0 || rep.Unchanged != 2 {
			t.Fatalf("second import must change nothing: %+v %v", rep, err)
		}
	})
}
