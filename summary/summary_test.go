package summary

import (
	"context"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// figures is a StatsService with fixed answers, to test the wording and
// the derived problems on their own (the store's figures are tested
// against hand counts in store/stats_test.go and end to end below).
type figures struct {
	total    nuanxin.CareStat
	cats     []nuanxin.CareStat
	forms    []nuanxin.CareStat
	cov      []nuanxin.OrgCoverage
	camps    []nuanxin.CampaignFigure
	backlog  nuanxin.Backlog
	members  nuanxin.MemberFigures
	events   map[nuanxin.EventKind]int
	hardship map[nuanxin.HardshipTier]int
}

func (f *figures) MemberFigures(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) (*nuanxin.MemberFigures, error) {
	return &f.members, nil
}
func (f *figures) MemberEvents(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) (map[nuanxin.EventKind]int, error) {
	return f.events, nil
}
func (f *figures) CareTotal(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) (nuanxin.CareStat, error) {
	return f.total, nil
}
func (f *figures) CareByCategory(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) ([]nuanxin.CareStat, error) {
	return f.cats, nil
}
func (f *figures) CareByForm(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) ([]nuanxin.CareStat, error) {
	return f.forms, nil
}
func (f *figures) CareByMonth(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) ([]nuanxin.CareStat, error) {
	return nil, nil
}
func (f *figures) CarePivot(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) (*nuanxin.CarePivot, error) {
	return &nuanxin.CarePivot{}, nil
}
func (f *figures) Coverage(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) ([]nuanxin.OrgCoverage, error) {
	return f.cov, nil
}
func (f *figures) Campaigns(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) ([]nuanxin.CampaignFigure, error) {
	return f.camps, nil
}
func (f *figures) Backlog(context.Context, *nuanxin.Scope, nuanxin.StatsFilter, nuanxin.Date) (*nuanxin.Backlog, error) {
	return &f.backlog, nil
}
func (f *figures) HardshipFigures(context.Context, *nuanxin.Scope, nuanxin.StatsFilter) (map[nuanxin.HardshipTier]int, error) {
	return f.hardship, nil
}

func write(t *testing.T, f *figures) *nuanxin.Summary {
	t.Helper()
	org := &nuanxin.Org{ID: 2, Path: "/1/2/", Name: "发电公司工会"}
	in := &Input{Scope: nuanxin.SystemScope(), Org: org, Parent: &nuanxin.Org{ID: 1, Name: "华夏集团工会"},
		Filter: nuanxin.StatsFilter{OrgID: 2, Period: nuanxin.YearPeriod(2026)}, Today: nuanxin.NewDate(2026, 12, 28), Stats: f}
	d := &Draft{}
	for _, s := range Sections() {
		if err := s.Write(context.Background(), in, d); err != nil {
			t.Fatal(err)
		}
	}
	return assemble(in, Request{}, d)
}

func TestSummaryWordsTheFigures(t *testing.T) {
	f := &figures{
		total: nuanxin.CareStat{Cases: 40, Persons: 35, Amount: 3256000},
		cats: []nuanxin.CareStat{
			{Key: "illness", Label: "生病住院", Cases: 32, Persons: 30, Amount: 2560000},
			{Key: "birthday", Label: "生日", Cases: 8, Persons: 8, Amount: 696000},
		},
		forms:   []nuanxin.CareStat{{Key: "cash", Label: "慰问金", Amount: 2560000}, {Key: "goods", Label: "实物", Amount: 696000}},
		members: nuanxin.MemberFigures{ByStatus: map[nuanxin.MemberStatus]int{"member": 120}, ByCategory: map[nuanxin.Category]int{"active": 100, "retired": 20}},
		events:  map[nuanxin.EventKind]int{"join": 6},
	}
	sum := write(t, f)
	text := sum.Text()
	for _, want := range []string{
		"发电公司工会2026年工作总结",
		"2026年，发电公司工会在华夏集团工会和同级党组织的坚强领导下",
		"累计慰问会员35人、40人次，发放慰问金品合计3.26万元。现将有关情况总结如下：",
		"一、主要工作及成效",
		"（一）加强会员发展和会籍管理",
		"截至2026年12月28日，发电公司工会共有在会会员120人，其中在岗100人、退休20人。全年新发展会员6人。",
		"（二）做实会员日常慰问",
		"全年共慰问会员35人、40人次，发放慰问金品合计3.26万元，其中慰问金2.56万元、实物6,960元。",
		"慰问生病住院会员32人次，发放慰问金2.56万元；为会员送上生日慰问8人",
		"二、存在的问题和不足",
		"三、下一步工作打算",
		"提前谋划元旦（2027年1月1日）、春节（2027年2月6日）等节日慰问",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	// The figures link to the lists behind them.
	var found bool
	for _, b := range sum.Blocks {
		for _, r := range b.Runs {
			if r.Text == "32人次" {
				found = r.Href == "/care?category=illness&from=2026-01-01&org=2&paid=1&to=2026-12-31"
			}
		}
	}
	if !found {
		t.Fatalf("32人次 does not link to the illness cases")
	}
}

func TestSummaryDerivesProblemsAndPlans(t *testing.T) {
	f := &figures{
		total: nuanxin.CareStat{Cases: 12, Persons: 12, Amount: 240000},
		cats:  []nuanxin.CareStat{{Key: "birthday", Label: "生日", Cases: 12, Persons: 12, Amount: 240000}},
		cov: []nuanxin.OrgCoverage{
			{OrgID: 5, OrgName: "检修分工会", Members: 40, Persons: 0},
			{OrgID: 6, OrgName: "燃料分工会", Members: 50, Persons: 2},
			{OrgID: 7, OrgName: "运行分工会", Members: 30, Persons: 10},
		},
		backlog: nuanxin.Backlog{Lines: []nuanxin.BacklogLine{
			{Status: "approved", Count: 4, Overdue: 3},
			{Status: "paid", Count: 5, Amount: 100000, Overdue: 2},
		}},
		camps: []nuanxin.CampaignFigure{{ID: 9, Name: "2026年夏送清凉", Status: "closed", Budget: 10000000, Spent: 4000000, Persons: 200,
			From: nuanxin.NewDate(2026, 7, 1), To: nuanxin.NewDate(2026, 8, 31)}},
		hardship: map[nuanxin.HardshipTier]int{"deep": 2, "relative": 5},
	}
	text := write(t, f).Text()
	for _, want := range []string{
		"一是慰问工作开展不平衡，全年检修分工会尚未开展慰问。",
		"二是部分单位慰问覆盖面偏低，燃料分工会（4.0%）明显低于平均水平（10.0%）。",
		"三是审批发放不够及时，截至2026年12月28日，等待超过30天的已审批待发放3件。",
		"四是签收手续有待完善，截至2026年12月28日，已发放未签收5人次、金额1,000元，其中2人次已超过30天。",
		"五是“2026年夏送清凉”预算执行率仅为40.0%，结余6万元",
		"组织开展“2026年夏送清凉”活动（2026年7月1日至2026年8月31日），慰问会员200人，发放4万元，占预算10万元的40.0%。",
		"建立困难职工档案7人，其中深度困难2人、相对困难5人。",
		"聚焦覆盖面偏低的单位",
		"加快慰问审核审批和发放",
		"做好困难职工档案年度复核",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
}

func TestYuan(t *testing.T) {
	for m, want := range map[nuanxin.Money]string{
		2560000: "2.56万元", 2564900: "2.56万元", 2565000: "2.57万元", 1000000: "1万元", 12340000: "12.34万元", 149775580000: "149,775.58万元",
		320000: "3,200元", 8650: "86.50元", 0: "0元", 999999: "9,999.99元", 1001000: "1万元", 1010000: "1.01万元",
	} {
		if got := yuan(m); got != want {
			t.Errorf("yuan(%d) = %s, want %s", m, got, want)
		}
	}
}

// A campaign's summary describes the campaign and its suborgs; a suborg
// its criteria left out is not reported as a shortfall.
func TestCampaignSummary(t *testing.T) {
	f := &figures{
		total: nuanxin.CareStat{Cases: 408, Persons: 408, Amount: 2448000},
		cov: []nuanxin.OrgCoverage{
			{OrgID: 5, OrgName: "离退休职工分工会", Members: 40},
			{OrgID: 6, OrgName: "运行部分工会", Members: 200, Persons: 166, Cases: 166, Amount: 996000},
		},
		camps: []nuanxin.CampaignFigure{{ID: 1, Name: "2026年夏送清凉", Status: "approved", Budget: 3000000, Spent: 2448000, Persons: 408,
			From: nuanxin.NewDate(2026, 7, 1), To: nuanxin.NewDate(2026, 8, 31)}},
	}
	org := &nuanxin.Org{ID: 2, Path: "/1/2/", Name: "发电公司工会"}
	c := &nuanxin.Campaign{ID: 1, OrgID: 2, OrgPath: "/1/2/", Name: "2026年夏送清凉", From: nuanxin.NewDate(2026, 7, 1), To: nuanxin.NewDate(2026, 8, 31)}
	in := &Input{Scope: nuanxin.SystemScope(), Org: org, Campaign: c,
		Filter: nuanxin.StatsFilter{OrgID: 2, CampaignID: 1, Period: nuanxin.Period{From: c.From, To: c.To}}, Today: nuanxin.NewDate(2026, 11, 24), Stats: f}
	d := &Draft{}
	for _, s := range Sections() {
		if err := s.Write(context.Background(), in, d); err != nil {
			t.Fatal(err)
		}
	}
	text := assemble(in, Request{}, d).Text()
	for _, want := range []string{
		"发电公司工会2026年夏送清凉活动总结",
		"“2026年夏送清凉”活动期间，发电公司工会",
		"（一）扎实开展专项活动",
		"慰问会员408人，发放2.45万元，占预算3万元的81.6%。",
		"分单位看：运行部分工会166人、9,960元。",
		"已于2026年8月31日到期，但仍处于发放中",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	for _, not := range []string{"离退休职工分工会", "做实会员日常慰问", "加强会员发展"} {
		if strings.Contains(text, not) {
			t.Errorf("%q in a campaign's summary:\n%s", not, text)
		}
	}
}
