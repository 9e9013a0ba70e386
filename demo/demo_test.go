package demo

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
)

// fakeSink keeps what Generate writes in memory. The embedded interfaces
// are nil: a method the generator should not call panics.
type fakeSink struct {
	nuanxin.OrgService
	nuanxin.UserService

	mu       sync.Mutex
	orgs     []*nuanxin.Org
	users    []*nuanxin.User
	grants   []nuanxin.Grant
	recs     []nuanxin.MemberRecord
	discard  bool  // drop members (benchmarks)
	failAt   int   // fail the BulkCreateMembers call with this number (1-based)
	calls    int   // BulkCreateMembers calls
	nextID   int64 // member ids
	noMember bool  // leave Member.ID unset
}

func (f *fakeSink) FindOrgByRef(_ context.Context, _ *nuanxin.Scope, ref string) (*nuanxin.Org, error) {
	for _, o := range f.orgs {
		if o.Code == ref || strconv.FormatInt(o.ID, 10) == ref {
			return o, nil
		}
	}
	return nil, nuanxin.NotFound("what.org")
}

func (f *fakeSink) CreateOrg(_ context.Context, s *nuanxin.Scope, o *nuanxin.Org) error {
	if !s.System {
		return errors.New("not system scope")
	}
	for _, x := range f.orgs {
		if x.Code == o.Code {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "org.code.duplicate", o.Code)
		}
	}
	o.ID = int64(len(f.orgs) + 1)
	o.Path = "/" + strconv.FormatInt(o.ID, 10) + "/"
	if o.ParentID != 0 {
		o.Path = f.orgs[o.ParentID-1].Path + strconv.FormatInt(o.ID, 10) + "/"
	}
	f.orgs = append(f.orgs, o)
	return nil
}

func (f *fakeSink) CreateUser(_ context.Context, s *nuanxin.Scope, u *nuanxin.User, password string) error {
	if !s.System {
		return errors.New("not system scope")
	}
	u.ID = int64(len(f.users) + 1)
	f.users = append(f.users, u)
	return nil
}

func (f *fakeSink) Grant(_ context.Context, s *nuanxin.Scope, userID int64, role nuanxin.Role, orgID int64) (*nuanxin.Grant, error) {
	g := nuanxin.Grant{ID: int64(len(f.grants) + 1), UserID: userID, Role: role, OrgID: orgID}
	f.grants = append(f.grants, g)
	return &g, nil
}

func (f *fakeSink) BulkCreateMembers(_ context.Context, s *nuanxin.Scope, recs []nuanxin.MemberRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls == f.failAt {
		return errors.New("disk full")
	}
	if f.discard {
		return nil
	}
	for _, r := range recs {
		if !f.noMember {
			f.nextID++
			r.Member.ID = f.nextID
		}
	}
	f.recs = append(f.recs, recs...)
	return nil
}

// sinkWithFinder also finds members, as the store does.
type sinkWithFinder struct {
	*fakeSink
}

func (f sinkWithFinder) FindMembers(_ context.Context, _ *nuanxin.Scope, q nuanxin.MemberFilter) (*nuanxin.MemberList, error) {
	l := &nuanxin.MemberList{}
	for i, r := range f.recs {
		if r.Member.CardNo == q.Query {
			m := *r.Member
			m.ID = int64(i + 1)
			l.Members = append(l.Members, &m)
		}
	}
	return l, nil
}

var testToday = nuanxin.Date{Year: 2025, Month: time.September, Day: 1}

func generate(t testing.TB, n int, seed int64) (*fakeSink, *Result) {
	t.Helper()
	f := &fakeSink{}
	res, err := Generate(context.Background(), f, Options{Members: n, Seed: seed, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	return f, res
}

func TestGenerate(t *testing.T) {
	f, res := generate(t, 0, 0) // the defaults: 2,000 members
	if res.Members != DefaultMembers || len(f.recs) != DefaultMembers {
		t.Fatalf("members: result %d, written %d, want %d", res.Members, len(f.recs), DefaultMembers)
	}
	if res.Orgs != len(f.orgs) {
		t.Errorf("result says %d orgs, %d created", res.Orgs, len(f.orgs))
	}
	rels := 0
	for _, r := range f.recs {
		rels += len(r.Relatives)
	}
	if res.Relatives != rels {
		t.Errorf("result says %d relatives, %d written", res.Relatives, rels)
	}
	t.Logf("%d orgs, %d members, %d relatives", res.Orgs, res.Members, res.Relatives)
	checkTree(t, f.orgs)
	checkMembers(t, f)
	checkLogins(t, f, res)
}

func checkTree(t *testing.T, orgs []*nuanxin.Org) {
	byID := map[int64]*nuanxin.Org{}
	codes := map[string]bool{}
	kinds := map[nuanxin.OrgKind]int{}
	credit := 0
	for _, o := range orgs {
		byID[o.ID] = o
		if codes[o.Code] || o.Code == "" {
			t.Errorf("org code %q empty or used twice", o.Code)
		}
		codes[o.Code] = true
		kinds[o.Kind]++
		if n := len([]rune(o.Name)); n == 0 || n > 60 {
			t.Errorf("org name %q", o.Name)
		}
		if o.CreditCode != "" {
			credit++
			if err := nuanxin.ValidateCreditCode(o.CreditCode); err != nil {
				t.Errorf("%s: credit code %s: %v", o.Name, o.CreditCode, err)
			}
			if !strings.HasPrefix(o.CreditCode, "81") {
				t.Errorf("%s: credit code %s is not a union's (81…)", o.Name, o.CreditCode)
			}
		}
	}
	roots := 0
	for _, o := range orgs {
		if o.ParentID == 0 {
			roots++
			if o.Kind != nuanxin.OrgGroup || o.Code != "HX" {
				t.Errorf("root %s is %s", o.Name, o.Kind)
			}
			continue
		}
		p := byID[o.ParentID]
		if p == nil {
			t.Fatalf("%s: parent %d missing", o.Name, o.ParentID)
		}
		if o.Kind.Rank() != p.Kind.Rank()+1 {
			t.Errorf("%s (%s) under %s (%s): kinds must go one step down", o.Name, o.Kind, p.Name, p.Kind)
		}
		if !strings.HasPrefix(o.Code, p.Code+"-") {
			t.Errorf("code %s not under %s", o.Code, p.Code)
		}
	}
	if roots != 1 {
		t.Errorf("%d roots", roots)
	}
	if kinds[nuanxin.OrgBase] != 5 || kinds[nuanxin.OrgTeam] == 0 || credit < 3 {
		t.Errorf("kinds %v, %d credit codes: want 5 基层工会, some 工会小组, a few credit codes", kinds, credit)
	}
	perBase := map[int64]int{}
	for _, o := range orgs {
		if o.Kind == nuanxin.OrgBranch {
			perBase[o.ParentID]++
		}
	}
	for id, n := range perBase {
		if n < 3 || n > 6 {
			t.Errorf("%s has %d 分工会, want 3–6", byID[id].Name, n)
		}
	}
}

func checkMembers(t *testing.T, f *fakeSink) {
	orgs := map[int64]*nuanxin.Org{}
	for _, o := range f.orgs {
		orgs[o.ID] = o
	}
	baseOf := func(id int64) *nuanxin.Org {
		o := orgs[id]
		for o.Kind != nuanxin.OrgBase {
			o = orgs[o.ParentID]
		}
		return o
	}
	ids := map[string]string{}
	cards := map[string]bool{}
	empNos := map[string]bool{}
	surnames := map[string]int{}
	var retired, retiredInRetiree, jinqiu, spouses, children, parents, phones int
	checkID := func(who, n string, birth nuanxin.Date, sex nuanxin.Sex) {
		id, err := nuanxin.ParseIDNumber(n)
		if err != nil {
			t.Fatalf("%s: %s: %v", who, n, err)
		}
		if id.Number != n || id.Birth != birth || id.Sex != sex {
			t.Fatalf("%s: %s gives %s %s, record has %s %s", who, n, id.Birth, id.Sex, birth, sex)
		}
		if seq := n[14:17]; seq < "996" {
			t.Fatalf("%s: %s lacks the demo marker 996–999", who, n)
		}
		if prev, dup := ids[n]; dup {
			t.Fatalf("身份证号 %s given to %s and %s", n, prev, who)
		}
		ids[n] = who
	}
	for _, r := range f.recs {
		m := r.Member
		who := m.Name + " " + m.CardNo
		checkID(who, m.IDNumber, m.BirthDate, m.Sex)
		c := *m
		c.Normalize()
		if !reflect.DeepEqual(&c, m) {
			t.Fatalf("%s is not normalised:\n%+v\n%+v", who, m, &c)
		}
		if err := m.Validate(true, testToday); err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if cards[m.CardNo] || len(m.CardNo) != 10 || !strings.HasPrefix(m.CardNo, "HX") {
			t.Fatalf("card number %q repeated or malformed", m.CardNo)
		}
		cards[m.CardNo] = true
		key := baseOf(m.OrgID).Code + m.EmployeeNo
		if empNos[key] || m.EmployeeNo == "" {
			t.Fatalf("工号 %s repeated in %s", m.EmployeeNo, baseOf(m.OrgID).Name)
		}
		empNos[key] = true
		if m.OrgPath != orgs[m.OrgID].Path || m.Department == "" {
			t.Fatalf("%s: org path %q dept %q", who, m.OrgPath, m.Department)
		}
		if !m.HireDate.After(m.BirthDate.AddDays(365*18+4)) || m.JoinDate.Before(m.HireDate) || m.JoinDate.After(testToday) {
			t.Fatalf("%s: born %s hired %s joined %s", who, m.BirthDate, m.HireDate, m.JoinDate)
		}
		age := m.AgeOn(testToday)
		switch m.Category {
		case nuanxin.CategoryActive:
			if age < 20 || age > 60 {
				t.Errorf("%s: 在岗 at %d", who, age)
			}
		case nuanxin.CategoryRetired:
			retired++
			if orgs[m.OrgID].Name == "离退休职工分工会" {
				retiredInRetiree++
			}
			if age < 55 || age > 80 || m.Post != "" {
				t.Errorf("%s: 退休 at %d, post %q", who, age, m.Post)
			}
		}
		if m.Phone != "" {
			phones++
		}
		for _, s := range specialSurnames {
			if strings.HasPrefix(m.Name, s) {
				surnames[s]++
			}
		}
		for _, rel := range r.Relatives {
			rwho := who + " " + string(rel.Relation) + " " + rel.Name
			if rel.IDNumber != "" {
				checkID(rwho, rel.IDNumber, rel.BirthDate, rel.Sex)
			}
			if err := rel.Validate(testToday); err != nil {
				t.Fatalf("%s: %v", rwho, err)
			}
			if rel.BirthDate.IsZero() || rel.Sex == "" {
				t.Fatalf("%s: no birth date or sex", rwho)
			}
			d := rel.BirthDate.Year - m.BirthDate.Year
			switch rel.Relation {
			case nuanxin.RelSpouse:
				spouses++
				if d < -10 || d > 10 || rel.Sex == m.Sex {
					t.Errorf("%s: spouse born %s, member %s", rwho, rel.BirthDate, m.BirthDate)
				}
			case nuanxin.RelChild:
				children++
				if d < 20 || d > 50 {
					t.Errorf("%s: child born %s, member %s", rwho, rel.BirthDate, m.BirthDate)
				}
				if rel.BirthDate.AgeOn(testToday) == 18 && (rel.School == awaitingAdmission || strings.Contains(rel.School, "大学") || strings.Contains(rel.School, "学院")) {
					jinqiu++
				}
			case nuanxin.RelParent:
				parents++
				if d > -20 || d < -50 {
					t.Errorf("%s: parent born %s, member %s", rwho, rel.BirthDate, m.BirthDate)
				}
			case nuanxin.RelSpouseParent: // of a spouse up to nine years younger
				parents++
				if d > -10 || d < -50 {
					t.Errorf("%s: parent born %s, member %s", rwho, rel.BirthDate, m.BirthDate)
				}
			}
		}
	}
	for _, s := range specialSurnames {
		if surnames[s] == 0 {
			t.Errorf("no member with surname %s", s)
		}
	}
	if retiredInRetiree*10 < retired*8 {
		t.Errorf("%d of %d retired members in 离退休职工分工会", retiredInRetiree, retired)
	}
	n := len(f.recs)
	if phones < n*85/100 || phones > n*95/100 {
		t.Errorf("%d of %d members with a phone, want about 90%%", phones, n)
	}
	if jinqiu < 5 || spouses < n/2 || children < n/2 || parents < n/10 {
		t.Errorf("%d 18-year-old children leaving school, %d spouses, %d children, %d parents", jinqiu, spouses, children, parents)
	}
	t.Logf("%d spouses, %d children (%d at 18 for 金秋助学), %d parents, %d of %d 退休 in 离退休职工分工会",
		spouses, children, jinqiu, parents, retiredInRetiree, retired)
}

func checkLogins(t *testing.T, f *fakeSink, res *Result) {
	want := map[string]nuanxin.Role{"admin": nuanxin.RoleAdmin, "chair": nuanxin.RoleChair, "clerk": nuanxin.RoleClerk,
		"reviewer": nuanxin.RoleReviewer, "auditor": nuanxin.RoleAuditor, "member": nuanxin.RoleMember}
	if len(res.Logins) != len(want) || len(f.users) != len(want) || len(f.grants) != len(want) {
		t.Fatalf("logins %+v, %d users, %d grants", res.Logins, len(f.users), len(f.grants))
	}
	for i, l := range res.Logins {
		u, g := f.users[i], f.grants[i]
		if want[l.Username] != nuanxin.Role(l.Role) || u.Username != l.Username || g.UserID != u.ID || g.Role != want[l.Username] {
			t.Errorf("login %+v, user %+v, grant %+v", l, u, g)
		}
		if u.MustChangePassword || u.Name == "" || u.HomeOrgID == 0 || l.Org == "" {
			t.Errorf("user %+v", u)
		}
		if len(l.Password) != 12 || strings.IndexAny(l.Password, "0123456789") < 0 ||
			strings.Trim(l.Password, passwordAlphabet) != "" || strings.Trim(l.Password, "0123456789") == "" {
			t.Errorf("password %q", l.Password)
		}
		switch l.Username {
		case "admin", "auditor":
			if g.OrgID != 1 {
				t.Errorf("%s granted on org %d, want the 集团工会", l.Username, g.OrgID)
			}
		case "member":
			if u.MemberID == 0 {
				t.Fatal("member login without member id")
			}
			m := f.recs[u.MemberID-1].Member
			if m.ID != u.MemberID || g.OrgID != m.OrgID || u.Name != m.Name || m.Status != nuanxin.StatusMember {
				t.Errorf("member login %+v for %+v", u, m)
			}
		default:
			if g.OrgID != f.orgs[1].ID || f.orgs[1].Kind != nuanxin.OrgBase {
				t.Errorf("%s granted on org %d, want the first 基层工会", l.Username, g.OrgID)
			}
		}
	}
}

func TestCategoryShares(t *testing.T) {
	f, _ := generate(t, 20000, 7)
	want := map[nuanxin.Category]float64{nuanxin.CategoryActive: .78, nuanxin.CategoryRetired: .12,
		nuanxin.CategoryLaidOff: .03, nuanxin.CategoryDispatched: .04, nuanxin.CategoryMigrant: .03}
	got := map[nuanxin.Category]int{}
	status := map[nuanxin.MemberStatus]int{}
	for _, r := range f.recs {
		got[r.Member.Category]++
		status[r.Member.Status]++
	}
	for c, w := range want {
		share := float64(got[c]) / float64(len(f.recs))
		if share < w-0.015 || share > w+0.015 {
			t.Errorf("%s: %.3f, want %.2f", c.Label(), share, w)
		}
	}
	for _, s := range nuanxin.MemberStatuses {
		if status[s] == 0 {
			t.Errorf("no member %s", s.Label())
		}
	}
	if status[nuanxin.StatusMember] < len(f.recs)*9/10 {
		t.Errorf("statuses %v: most should be 在会", status)
	}
}

func TestDeterministic(t *testing.T) {
	a, ra := generate(t, 3000, 42)
	b, rb := generate(t, 3000, 42)
	c, _ := generate(t, 3000, 43)
	if !reflect.DeepEqual(a.recs, b.recs) || !reflect.DeepEqual(a.orgs, b.orgs) || ra.Relatives != rb.Relatives {
		t.Error("two runs with one seed differ")
	}
	if reflect.DeepEqual(a.recs[0].Member, c.recs[0].Member) {
		t.Error("another seed gives the same members")
	}
	if ra.Logins[0].Password == rb.Logins[0].Password {
		t.Error("passwords repeat between runs")
	}
}

func TestScales(t *testing.T) {
	for _, tc := range []struct{ members, maxOrgs int }{{1, 20}, {2000, 60}, {20000, 400}, {1_000_000, 600}, {MaxMembers, 600}} {
		f := &fakeSink{}
		tr, err := buildTree(context.Background(), f, nuanxin.SystemScope(), tc.members, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if tr.orgs > tc.maxOrgs || tr.orgs != len(f.orgs) {
			t.Errorf("%d members: %d orgs, want at most %d", tc.members, tr.orgs, tc.maxOrgs)
		}
		t.Logf("%d members: %d 基层工会, %d orgs", tc.members, len(tr.bases), tr.orgs)
	}
}

func TestSmallAndProgress(t *testing.T) {
	f := &fakeSink{}
	var calls []int
	n := 2*BatchSize + 1
	res, err := Generate(context.Background(), f, Options{Members: n, Today: testToday,
		Progress: func(done, total int) {
			if total != n {
				t.Errorf("total %d", total)
			}
			calls = append(calls, done)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(calls, []int{BatchSize, 2 * BatchSize, n}) || res.Members != n {
		t.Errorf("progress %v, %d members", calls, res.Members)
	}
	if _, err := Generate(context.Background(), f, Options{Members: 10}); nuanxin.ErrorCode(err) != nuanxin.ECONFLICT {
		t.Errorf("second demo into one database: %v", err)
	}
	if _, err := Generate(context.Background(), &fakeSink{}, Options{Members: MaxMembers + 1}); nuanxin.ErrorCode(err) != nuanxin.EINVALID {
		t.Errorf("too many members: %v", err)
	}
	if _, res := generate(t, 1, 0); res.Members != 1 {
		t.Errorf("one member: %+v", res)
	}
}

func TestSinkError(t *testing.T) {
	f := &fakeSink{failAt: 2}
	_, err := Generate(context.Background(), f, Options{Members: 3 * BatchSize, Today: testToday})
	if err == nil || !strings.Contains(err.Error(), "disk full") || f.calls != 2 {
		t.Errorf("err %v after %d calls", err, f.calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, &fakeSink{}, Options{Members: 3 * BatchSize, Today: testToday}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestMemberIDLookedUp(t *testing.T) {
	f := &fakeSink{noMember: true}
	res, err := Generate(context.Background(), sinkWithFinder{f}, Options{Members: 500, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	u := f.users[len(f.users)-1]
	if u.Username != "member" || u.MemberID == 0 || f.recs[u.MemberID-1].Member.Name != u.Name || len(res.Logins) != 6 {
		t.Errorf("member user %+v", u)
	}
	if _, err := Generate(context.Background(), &fakeSink{noMember: true}, Options{Members: 500, Today: testToday}); err == nil {
		t.Error("no member id and no way to find it: want an error")
	}
}

func TestCreditCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		b := make([]byte, 17)
		for i := range b {
			b[i] = creditAlphabet[r.IntN(len(creditAlphabet))]
		}
		if got, want := creditCheck(string(b)), nuanxin.CreditCheckChar(string(b)); got != want {
			t.Fatalf("%s: %c, want %c", b, got, want)
		}
	}
	// 组织机构代码 (GB 11714): 12345678 weighs 201, 201 mod 11 = 3, check 11-3 = 8.
	if c := orgCodeCheck([]byte("12345678")); c != '8' {
		t.Errorf("org code check %c", c)
	}
}

func TestPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p := Password()
		if len(p) != 12 || seen[p] || strings.Trim(p, passwordAlphabet) != "" {
			t.Fatalf("password %q", p)
		}
		seen[p] = true
	}
}

// BenchmarkGenerate measures generation alone: b.N batches of 10,000
// records, sink not involved.
func BenchmarkGenerate(b *testing.B) {
	const batch = 10_000
	f := &fakeSink{discard: true}
	tr, err := buildTree(context.Background(), f, nuanxin.SystemScope(), 1_000_000, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	g := newGen(DefaultSeed, tr, testToday)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if g.n+batch > MaxMembers {
			b.StopTimer()
			for _, x := range tr.bases {
				x.seq = 0
			}
			g = newGen(DefaultSeed, tr, testToday)
			b.StartTimer()
		}
		if _, err := g.batch(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(g.relatives)/float64(g.n), "relatives/member")
}

// Every status and the 退休 category are explained by the history, in date
// order, after 入会 and not after today.
func TestHistoryMatchesStatus(t *testing.T) {
	f, _ := generate(t, 5000, 11)
	today := testToday
	want := map[nuanxin.MemberStatus]nuanxin.EventKind{
		nuanxin.StatusReserved: nuanxin.EventReserve, nuanxin.StatusTransferred: nuanxin.EventTransferOut,
		nuanxin.StatusWithdrawn: nuanxin.EventWithdraw, nuanxin.StatusDeceased: nuanxin.EventDeath,
	}
	withEvents := 0
	for _, r := range f.recs {
		m := r.Member
		var kinds []nuanxin.EventKind
		prev := m.JoinDate
		for _, e := range r.Events {
			// strictly after the previous event, unless both fell on today
			if !e.Date.After(prev) && e.Date != today || e.Date.After(today) {
				t.Fatalf("%s: %s on %s, previous %s", m.Name, e.Kind, e.Date, prev)
			}
			prev = e.Date
			kinds = append(kinds, e.Kind)
		}
		if len(kinds) > 0 {
			withEvents++
		}
		if (m.Category == nuanxin.CategoryRetired) != (len(kinds) > 0 && kinds[0] == nuanxin.EventRetire) {
			t.Fatalf("%s: category %s, history %v", m.Name, m.Category, kinds)
		}
		if k, ok := want[m.Status]; ok && (len(kinds) == 0 || kinds[len(kinds)-1] != k) {
			t.Fatalf("%s: status %s, history %v", m.Name, m.Status, kinds)
		}
		if m.Status == nuanxin.StatusMember && len(kinds) > 0 && kinds[len(kinds)-1] != nuanxin.EventRetire {
			t.Fatalf("%s: 在会 with history %v", m.Name, kinds)
		}
	}
	if withEvents < 300 {
		t.Fatalf("only %d members have a history beyond 入会", withEvents)
	}
}
