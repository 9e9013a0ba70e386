package policy

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
)

func policyOf(t testing.TB, code string) *nuanxin.Policy {
	t.Helper()
	if code == DefaultPack {
		pol, err := Effective(nil)
		if err != nil {
			t.Fatal(err)
		}
		return pol
	}
	pol, err := Effective([]Layer{{OrgName: "测试集团工会", Pack: mustPack(t, code)}})
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// proposal is a case of category c that every shipped pack accepts but
// for its amount: the right form, month, relative and standing.
func proposal(c nuanxin.CareCategory, amount nuanxin.Money) nuanxin.CareProposal {
	p := nuanxin.CareProposal{
		CaseID: 100, Category: c, EventDate: d("2025-05-20"), Form: nuanxin.FormGoods, Amount: amount,
		MemberCategory: nuanxin.CategoryActive, MemberStatus: nuanxin.StatusMember, MemberBirth: d("1985-05-12"),
	}
	switch c {
	case nuanxin.CareIllness:
		p.Form, p.HospitalDays = nuanxin.FormCash, 5
	case nuanxin.CareRetirement:
		p.MemberCategory = nuanxin.CategoryRetired
	case nuanxin.CareDeath:
		p.Form, p.MemberStatus = nuanxin.FormCash, nuanxin.StatusDeceased
	case nuanxin.CareRelativeDeath:
		p.Form, p.RelativeID, p.Relation = nuanxin.FormCash, 7, nuanxin.RelParent
	case nuanxin.CareHoliday:
		p.Holiday, p.HolidayYear, p.EventDate = nuanxin.HolidayDragonBoat, 2025, d("2025-05-28")
	case nuanxin.CareHardship, nuanxin.CareOther:
		p.Form = nuanxin.FormCash
	}
	return p
}

func codes(ds []nuanxin.Decision) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d.Level)+":"+d.Code)
	}
	return out
}

func find(ds []nuanxin.Decision, level nuanxin.DecisionLevel, code string) *nuanxin.Decision {
	for i := range ds {
		if ds[i].Level == level && ds[i].Code == code {
			return &ds[i]
		}
	}
	return nil
}

func wantOnly(t *testing.T, ds []nuanxin.Decision, want ...string) {
	t.Helper()
	if got := codes(ds); !slices.Equal(got, want) {
		t.Errorf("decisions %v, want %v", got, want)
		for _, d := range ds {
			t.Logf("  %s", d.Message)
		}
	}
}

const anhuiCite = "《安徽省基层工会经费收支管理实施办法（试行）》"

// Every category against every pack: exactly at the cap passes, one fen
// over blocks and says the cap, the amount and the document; a category
// the pack puts no amount on warns; hardship and other never do.
func TestCheckCapsEveryPack(t *testing.T) {
	for _, code := range packCodes {
		pol := policyOf(t, code)
		for _, c := range nuanxin.CareCategories {
			if c == nuanxin.CareHoliday {
				continue // TestCheckHolidayEveryPack
			}
			t.Run(code+"/"+string(c), func(t *testing.T) {
				r := pol.Rule(c)
				limit := r.Cap
				switch {
				case limit > 0:
					wantOnly(t, Check(pol, proposal(c, limit), nil))
					ds := Check(pol, proposal(c, limit+1), nil)
					wantOnly(t, ds, "block:cap")
					if len(ds) == 1 {
						msg := ds[0].Message
						for _, s := range []string{careName(pol, c), "上限" + yuanText(limit) + "元", "本次" + yuanText(limit+1) + "元", "超出0.01元", "（依据：" + r.Source.Cite() + "）"} {
							if !strings.Contains(msg, s) {
								t.Errorf("message %q lacks %q", msg, s)
							}
						}
						if ds[0].Source != r.Source.Cite() {
							t.Errorf("source %q", ds[0].Source)
						}
					}
				case slices.Contains(cappedCategories, c):
					wantOnly(t, Check(pol, proposal(c, yuan(100000)), nil), "warn:no_cap")
				default:
					wantOnly(t, Check(pol, proposal(c, yuan(100000)), nil))
				}
			})
		}
	}
}

func TestCheckCapMessage(t *testing.T) {
	ds := Check(policyOf(t, "anhui-2018"), proposal(nuanxin.CareBirthday, 30001), nil)
	want := "生日慰问上限300元，本次300.01元，超出0.01元（依据：" + anhuiCite + "）"
	if len(ds) != 1 || ds[0].Message != want {
		t.Errorf("got %v, want %q", ds, want)
	}
}

func TestCheckSurgeryCap(t *testing.T) {
	for _, code := range []string{"fujian-2018", "guizhou"} {
		pol := policyOf(t, code)
		p := proposal(nuanxin.CareIllness, yuan(1000))
		p.Surgery = true
		wantOnly(t, Check(pol, p, nil))
		p.Amount++
		ds := Check(pol, p, nil)
		wantOnly(t, ds, "block:cap")
		if len(ds) == 1 && !strings.Contains(ds[0].Message, "生病住院慰问（手术）上限1000元") {
			t.Errorf("%s: %s", code, ds[0].Message)
		}
		p.Surgery, p.Amount = false, yuan(501)
		wantOnly(t, Check(pol, p, nil), "block:cap")
	}
	// A pack without a surgery variant keeps its cap for surgery.
	p := proposal(nuanxin.CareIllness, yuan(1001))
	p.Surgery = true
	wantOnly(t, Check(policyOf(t, "anhui-2018"), p, nil), "block:cap")
}

// Forms: exactly what the rule allows; cash and cards for gifts are
// refused citing the national ban, whatever a pack says.
func TestCheckFormsEveryPack(t *testing.T) {
	for _, code := range packCodes {
		pol := policyOf(t, code)
		for _, c := range nuanxin.CareCategories {
			r := pol.Rule(c)
			gift := slices.Contains(giftCategories, c)
			for _, f := range nuanxin.CareForms {
				p := proposal(c, 100)
				p.Form = f
				ds := Check(pol, p, nil)
				blocked := find(ds, nuanxin.Block, "form")
				allowed := r.AllowsForm(f) && !(gift && f == nuanxin.FormCard)
				if allowed == (blocked != nil) {
					t.Errorf("%s %s %s: allowed %v, decisions %v", code, c, f, allowed, codes(ds))
					continue
				}
				if blocked == nil {
					continue
				}
				if gift && (f == nuanxin.FormCash || f == nuanxin.FormCard) {
					if !strings.Contains(blocked.Message, "不得发放现金、购物卡、代金券") || blocked.Source != NationalSource.Cite() {
						t.Errorf("%s %s %s: %q (%s)", code, c, f, blocked.Message, blocked.Source)
					}
				} else if !strings.Contains(blocked.Message, "不能以“"+f.Label()+"”形式发放") {
					t.Errorf("%s %s %s: %q", code, c, f, blocked.Message)
				}
			}
		}
	}
	// Named-goods vouchers for a holiday: 福建 yes, 安徽 no.
	p := proposal(nuanxin.CareHoliday, yuan(100))
	p.Form = nuanxin.FormVoucher
	wantOnly(t, Check(policyOf(t, "fujian-2018"), p, nil))
	wantOnly(t, Check(policyOf(t, "anhui-2018"), p, nil), "block:form")
}

// A pack that lists cards for a gift is overruled.
func TestCheckCardNeverAGift(t *testing.T) {
	pol := policyOf(t, "anhui-2018")
	pol.Rule(nuanxin.CareBirthday).Forms = []nuanxin.CareForm{nuanxin.FormGoods, nuanxin.FormCard}
	p := proposal(nuanxin.CareBirthday, 100)
	p.Form = nuanxin.FormCard
	wantOnly(t, Check(pol, p, nil), "block:form")
}

func prior(id int64, c nuanxin.CareCategory, on string, amount nuanxin.Money, s nuanxin.CareStatus) nuanxin.PriorCase {
	return nuanxin.PriorCase{ID: id, Category: c, EventDate: d(on), Amount: amount, Status: s}
}

func TestCheckFrequency(t *testing.T) {
	pol := policyOf(t, "anhui-2018")
	rel := func(pc nuanxin.PriorCase, id int64) nuanxin.PriorCase { pc.RelativeID = id; return pc }
	tests := []struct {
		name    string
		p       nuanxin.CareProposal
		history []nuanxin.PriorCase
		want    []string
	}{
		{"birthday month", func() nuanxin.CareProposal {
			p := proposal(nuanxin.CareBirthday, 100)
			p.EventDate = d("2025-06-01")
			return p
		}(), nil, []string{"block:birthday_month"}},
		{"birthday twice a year", proposal(nuanxin.CareBirthday, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareBirthday, "2025-05-02", 100, nuanxin.CarePaid)}, []string{"block:frequency"}},
		{"birthday last year", proposal(nuanxin.CareBirthday, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareBirthday, "2024-05-12", 100, nuanxin.CareSigned)}, nil},
		{"drafts, cancelled and itself do not count", proposal(nuanxin.CareBirthday, 100), []nuanxin.PriorCase{
			prior(1, nuanxin.CareBirthday, "2025-05-02", 100, nuanxin.CareDraft),
			prior(2, nuanxin.CareBirthday, "2025-05-02", 100, nuanxin.CareCancelled),
			prior(100, nuanxin.CareBirthday, "2025-05-20", 100, nuanxin.CareSubmitted),
			prior(3, nuanxin.CareWedding, "2025-05-20", 100, nuanxin.CarePaid),
		}, nil},
		{"a case on its way counts", proposal(nuanxin.CareBirthday, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareBirthday, "2025-05-02", 100, nuanxin.CareSubmitted)}, []string{"block:frequency"}},
		{"birth date unknown", func() nuanxin.CareProposal {
			p := proposal(nuanxin.CareBirthday, 100)
			p.MemberBirth = nuanxin.Date{}
			return p
		}(), nil, []string{"warn:birthday_month"}},
		{"illness natural year", proposal(nuanxin.CareIllness, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareIllness, "2025-01-03", 100, nuanxin.CareApproved)}, []string{"block:frequency"}},
		{"illness last year", proposal(nuanxin.CareIllness, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareIllness, "2024-12-30", 100, nuanxin.CarePaid)}, nil},
		{"wedding same event", proposal(nuanxin.CareWedding, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareWedding, "2025-05-20", 100, nuanxin.CarePaid)}, []string{"block:frequency"}},
		{"wedding another marriage", proposal(nuanxin.CareWedding, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareWedding, "2015-05-20", 100, nuanxin.CarePaid)}, nil},
		{"birth same day twice (the same birth)", proposal(nuanxin.CareBirth, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareBirth, "2025-05-20", 100, nuanxin.CarePaid)}, []string{"block:frequency"}},
		{"relative death same relative", proposal(nuanxin.CareRelativeDeath, 100),
			[]nuanxin.PriorCase{rel(prior(1, nuanxin.CareRelativeDeath, "2025-05-20", 100, nuanxin.CarePaid), 7)}, []string{"block:frequency"}},
		{"relative death another relative", proposal(nuanxin.CareRelativeDeath, 100),
			[]nuanxin.PriorCase{rel(prior(1, nuanxin.CareRelativeDeath, "2025-05-20", 100, nuanxin.CarePaid), 8)}, nil},
		{"death once", proposal(nuanxin.CareDeath, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareDeath, "2025-05-19", 100, nuanxin.CareReviewed)}, []string{"block:frequency"}},
		{"retirement once", proposal(nuanxin.CareRetirement, 100),
			[]nuanxin.PriorCase{prior(1, nuanxin.CareRetirement, "2019-03-01", 100, nuanxin.CareSigned)}, []string{"block:frequency"}},
		{"hardship any number", proposal(nuanxin.CareHardship, 100), []nuanxin.PriorCase{
			prior(1, nuanxin.CareHardship, "2025-01-20", 100, nuanxin.CarePaid),
			prior(2, nuanxin.CareHardship, "2025-03-20", 100, nuanxin.CarePaid),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Check(pol, tt.p, tt.history)
			wantOnly(t, ds, tt.want...)
			for _, d := range ds {
				if !strings.HasSuffix(d.Message, "（依据："+anhuiCite+"）") {
					t.Errorf("message does not cite the rule: %s", d.Message)
				}
			}
		})
	}
}

func TestCheckBirthdayMessage(t *testing.T) {
	p := proposal(nuanxin.CareBirthday, 100)
	p.EventDate = d("2025-07-01")
	ds := Check(policyOf(t, "anhui-2018"), p, nil)
	want := "生日慰问每年一次，且须在生日当月发放；该会员生日在5月，本次事件日期在7月（依据：" + anhuiCite + "）"
	if len(ds) != 1 || ds[0].Message != want {
		t.Errorf("got %v\nwant %s", ds, want)
	}
}

func holidayCase(id int64, h nuanxin.Holiday, year int, amount nuanxin.Money, s nuanxin.CareStatus) nuanxin.PriorCase {
	on, _ := HolidayDate(h, year)
	return nuanxin.PriorCase{ID: id, Category: nuanxin.CareHoliday, Holiday: h, HolidayYear: year, EventDate: on, Amount: amount, Status: s}
}

func holidayProposal(h nuanxin.Holiday, year int, amount nuanxin.Money) nuanxin.CareProposal {
	p := proposal(nuanxin.CareHoliday, amount)
	p.Holiday, p.HolidayYear = h, year
	p.EventDate, _ = HolidayDate(h, year)
	p.EventDate = p.EventDate.AddDays(-5)
	return p
}

// One holiday of each pack: at the yearly total passes, one fen over
// blocks; packs without holiday amounts warn.
func TestCheckHolidayEveryPack(t *testing.T) {
	for _, code := range packCodes {
		pol := policyOf(t, code)
		limit := pol.Holiday.YearTotal
		if c := pol.Holiday.PerHoliday[nuanxin.HolidayMidAutumn]; c > 0 {
			limit = c
		}
		p := holidayProposal(nuanxin.HolidayMidAutumn, 2026, limit)
		if limit == 0 {
			p.Amount = yuan(5000)
			wantOnly(t, Check(pol, p, nil), "warn:no_cap")
			continue
		}
		wantOnly(t, Check(pol, p, nil))
		p.Amount++
		ds := Check(pol, p, nil)
		if len(nuanxin.Blocks(ds)) != 1 || !strings.HasPrefix(ds[0].Code, "holiday_") || ds[0].Source != pol.Holiday.Source.Cite() {
			t.Errorf("%s: %v", code, ds)
		}
	}
}

func TestCheckHolidayYearTotal(t *testing.T) {
	pol := policyOf(t, "anhui-2018")
	history := []nuanxin.PriorCase{
		holidayCase(1, nuanxin.HolidaySpring, 2025, yuan(500), nuanxin.CareSigned),
		holidayCase(2, nuanxin.HolidayDragonBoat, 2025, yuan(300), nuanxin.CareApproved),
		holidayCase(3, nuanxin.HolidayMidAutumn, 2024, yuan(600), nuanxin.CarePaid),    // another year
		holidayCase(4, nuanxin.HolidayQingming, 2025, yuan(1000), nuanxin.CareDraft),   // a draft
		holidayCase(5, nuanxin.HolidayLabour, 2025, yuan(1000), nuanxin.CareCancelled), // cancelled
		prior(6, nuanxin.CareBirthday, "2025-05-12", yuan(300), nuanxin.CarePaid),      // not a holiday
		// 元旦 2026 given in December 2025 counts in 2026, not 2025.
		{ID: 7, Category: nuanxin.CareHoliday, Holiday: nuanxin.HolidayNewYear, HolidayYear: 2026, EventDate: d("2025-12-28"), Amount: yuan(500), Status: nuanxin.CarePaid},
	}
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidayMidAutumn, 2025, yuan(700)), history))
	ds := Check(pol, holidayProposal(nuanxin.HolidayMidAutumn, 2025, yuan(700)+1), history)
	wantOnly(t, ds, "block:holiday_total")
	want := "2025年节日慰问每人合计不超过1500元，已发放或在办800元，还可发放700元，本次700.01元（依据：" + anhuiCite + "）"
	if len(ds) == 1 && ds[0].Message != want {
		t.Errorf("message %q\nwant    %q", ds[0].Message, want)
	}
	// 2026 has 500 of 1500 used.
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidaySpring, 2026, yuan(1000)), history))
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidaySpring, 2026, yuan(1000)+1), history), "block:holiday_total")
	// Over the total already: nothing remains, never a negative figure.
	over := append(history, holidayCase(8, nuanxin.HolidayNational, 2025, yuan(900), nuanxin.CarePaid))
	ds = Check(pol, holidayProposal(nuanxin.HolidayMidAutumn, 2025, yuan(1)), over)
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "还可发放0元") {
		t.Errorf("%v", ds)
	}
	// A second 端午 in 2025 within the total: a warning to look for a duplicate.
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidayDragonBoat, 2025, yuan(100)), history), "warn:holiday_again")
}

func TestCheckGuizhouPerHoliday(t *testing.T) {
	pol := policyOf(t, "guizhou")
	spring := holidayCase(1, nuanxin.HolidaySpring, 2026, yuan(300), nuanxin.CarePaid)
	tests := []struct {
		name    string
		p       nuanxin.CareProposal
		history []nuanxin.PriorCase
		want    []string
	}{
		{"spring at 500", holidayProposal(nuanxin.HolidaySpring, 2026, yuan(500)), nil, nil},
		{"spring over 500", holidayProposal(nuanxin.HolidaySpring, 2026, yuan(500)+1), nil, []string{"block:holiday_cap"}},
		{"dragon boat at 200", holidayProposal(nuanxin.HolidayDragonBoat, 2026, yuan(200)), nil, nil},
		{"dragon boat over 200", holidayProposal(nuanxin.HolidayDragonBoat, 2026, yuan(200)+1), nil, []string{"block:holiday_cap"}},
		{"spring topped up to 500", holidayProposal(nuanxin.HolidaySpring, 2026, yuan(200)), []nuanxin.PriorCase{spring}, []string{"warn:holiday_again"}},
		{"spring topped up over 500", holidayProposal(nuanxin.HolidaySpring, 2026, yuan(201)), []nuanxin.PriorCase{spring}, []string{"block:holiday_cap", "warn:holiday_again"}},
		{"other holidays do not use up spring", holidayProposal(nuanxin.HolidaySpring, 2026, yuan(500)), []nuanxin.PriorCase{
			holidayCase(2, nuanxin.HolidayNewYear, 2026, yuan(200), nuanxin.CarePaid),
			holidayCase(3, nuanxin.HolidayQingming, 2026, yuan(200), nuanxin.CarePaid),
		}, nil},
		{"last year's spring does not count", holidayProposal(nuanxin.HolidaySpring, 2026, yuan(500)),
			[]nuanxin.PriorCase{holidayCase(1, nuanxin.HolidaySpring, 2025, yuan(500), nuanxin.CarePaid)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOnly(t, Check(pol, tt.p, tt.history), tt.want...)
		})
	}
	ds := Check(pol, holidayProposal(nuanxin.HolidaySpring, 2026, yuan(201)), []nuanxin.PriorCase{spring})
	want := "2026年春节节日慰问每人不超过500元，已发放或在办300元，还可发放200元，本次201元（依据：《贵州省基层工会经费收支管理实施细则（暂行）》）"
	if ds[0].Message != want {
		t.Errorf("message %q\nwant    %q", ds[0].Message, want)
	}
}

func TestCheckHolidayInput(t *testing.T) {
	pol := policyOf(t, "anhui-2018")
	p := holidayProposal(nuanxin.HolidayMidAutumn, 2025, 100)
	p.Holiday = ""
	wantOnly(t, Check(pol, p, nil), "block:holiday")
	p = holidayProposal(nuanxin.HolidayMidAutumn, 2025, 100)
	p.HolidayYear = 0
	wantOnly(t, Check(pol, p, nil), "block:holiday")
	p.Holiday, p.HolidayYear = "christmas", 2025
	ds := Check(pol, p, nil)
	wantOnly(t, ds, "block:holiday")
	if len(ds) == 1 && !strings.Contains(ds[0].Message, "christmas") {
		t.Error(ds[0].Message)
	}
	// 45 days from the holiday is fine, 46 asks.
	p = holidayProposal(nuanxin.HolidayMidAutumn, 2025, 100)
	mid, _ := HolidayDate(nuanxin.HolidayMidAutumn, 2025)
	for _, off := range []int{-45, 0, 45} {
		p.EventDate = mid.AddDays(off)
		wantOnly(t, Check(pol, p, nil))
	}
	for _, off := range []int{-46, 46, 200} {
		p.EventDate = mid.AddDays(off)
		ds := Check(pol, p, nil)
		wantOnly(t, ds, "warn:holiday_date")
		if len(ds) == 1 && !strings.Contains(ds[0].Message, "2025年中秋是2025年10月6日") {
			t.Error(ds[0].Message)
		}
	}
}

func TestCheckStanding(t *testing.T) {
	pol := policyOf(t, "anhui-2018")
	with := func(c nuanxin.CareCategory, f func(*nuanxin.CareProposal)) nuanxin.CareProposal {
		p := proposal(c, 100)
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    nuanxin.CareProposal
		want []string
	}{
		{"withdrawn", with(nuanxin.CareBirthday, func(p *nuanxin.CareProposal) { p.MemberStatus = nuanxin.StatusWithdrawn }), []string{"block:status"}},
		{"transferred", with(nuanxin.CareIllness, func(p *nuanxin.CareProposal) { p.MemberStatus = nuanxin.StatusTransferred }), []string{"block:status"}},
		{"reserved", with(nuanxin.CareIllness, func(p *nuanxin.CareProposal) { p.MemberStatus = nuanxin.StatusReserved }), nil},
		{"deceased birthday", with(nuanxin.CareBirthday, func(p *nuanxin.CareProposal) { p.MemberStatus = nuanxin.StatusDeceased }), []string{"block:status"}},
		{"death of a deceased member", proposal(nuanxin.CareDeath, 100), nil},
		{"death not yet recorded", with(nuanxin.CareDeath, func(p *nuanxin.CareProposal) { p.MemberStatus = nuanxin.StatusMember }), []string{"warn:death_status"}},
		{"death of a withdrawn member", with(nuanxin.CareDeath, func(p *nuanxin.CareProposal) { p.MemberStatus = nuanxin.StatusWithdrawn }), []string{"block:status", "warn:death_status"}},
		{"retirement not yet recorded", with(nuanxin.CareRetirement, func(p *nuanxin.CareProposal) { p.MemberCategory = nuanxin.CategoryActive }), []string{"warn:retirement_category"}},
		{"relative missing", with(nuanxin.CareRelativeDeath, func(p *nuanxin.CareProposal) { p.RelativeID = 0 }), []string{"block:relative"}},
		{"relative not direct", with(nuanxin.CareRelativeDeath, func(p *nuanxin.CareProposal) { p.Relation = nuanxin.RelSpouseParent }), []string{"block:relation"}},
		{"unknown category", with("relative_illness", func(*nuanxin.CareProposal) {}), []string{"block:category"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOnly(t, Check(pol, tt.p, nil), tt.want...)
		})
	}
	ds := Check(pol, with("relative_illness", func(*nuanxin.CareProposal) {}), nil)
	if want := "慰问类别“relative_illness”不在本单位适用的慰问标准中（依据：" + anhuiCite + "）"; ds[0].Message != want {
		t.Errorf("message %q\nwant    %q", ds[0].Message, want)
	}
	ds = Check(pol, with(nuanxin.CareRelativeDeath, func(p *nuanxin.CareProposal) { p.Relation = nuanxin.RelSpouseParent }), nil)
	if want := "直系亲属去世慰问只适用于会员的配偶、父母、子女，所选家属是会员的配偶父母（依据：" + anhuiCite + "）"; ds[0].Message != want {
		t.Errorf("message %q\nwant    %q", ds[0].Message, want)
	}
}

// Blocks come first whatever order the checks found them in.
func TestCheckOrder(t *testing.T) {
	pol := policyOf(t, DefaultPack)
	p := proposal(nuanxin.CareBirthday, 100)
	p.EventDate = d("2025-09-01") // the no-amount warning is found before the month block
	p.Form = nuanxin.FormCash
	ds := Check(pol, p, nil)
	wantOnly(t, ds, "block:form", "block:birthday_month", "warn:no_cap")
	for i := 0; i < 20; i++ {
		if again := Check(pol, p, nil); !slices.Equal(codes(again), codes(ds)) {
			t.Fatal("unstable order")
		}
	}
	// A nil policy is the national one.
	if got := Check(nil, p, nil); !slices.Equal(codes(got), codes(ds)) {
		t.Errorf("nil policy: %v", codes(got))
	}
}

func TestCheckEligibleAndHospitalDays(t *testing.T) {
	pol, err := Effective([]Layer{{OrgName: "黄埔区某工会", Pack: mustPack(t, "anhui-2018"), Rules: []nuanxin.PolicyRule{{
		Category: nuanxin.CareIllness, Eligible: []nuanxin.Category{nuanxin.CategoryActive}, MinHospitalDays: 3,
		Basis: "2024年工会委员会会议纪要",
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	p := proposal(nuanxin.CareIllness, yuan(1000))
	p.HospitalDays = 3
	wantOnly(t, Check(pol, p, nil))
	p.HospitalDays = 2
	ds := Check(pol, p, nil)
	wantOnly(t, ds, "block:hospital_days")
	if len(ds) == 1 && ds[0].Message != "生病住院慰问须住院满3天，本次住院2天（依据：2024年工会委员会会议纪要）" {
		t.Error(ds[0].Message)
	}
	p.HospitalDays, p.MemberCategory = 3, nuanxin.CategoryRetired
	wantOnly(t, Check(pol, p, nil), "block:eligible")
}

var keyLiteral = regexp.MustCompile(`"((?:policy|care)\.[a-z_.]+[a-z_])"`)

// Every message key the package uses is in the catalog, and every key it
// registers is used.
func TestMessageKeys(t *testing.T) {
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "messages_zh.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 40 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if !nuanxin.HasMessage(k) {
			t.Errorf("message key %s is not registered", k)
		}
	}
	src, _ := os.ReadFile("messages_zh.go")
	for _, m := range keyLiteral.FindAllStringSubmatch(string(src), -1) {
		if !used[m[1]] {
			t.Errorf("registered key %s is never used", m[1])
		}
	}
	// Labels the messages rely on.
	for _, c := range nuanxin.CareCategories {
		if !nuanxin.HasMessage("care.category." + string(c)) {
			t.Errorf("no label for %s", c)
		}
	}
}

// No decision message shows a bare key or a fmt error.
func TestMessagesRendered(t *testing.T) {
	var all []nuanxin.Decision
	for _, code := range packCodes {
		pol := policyOf(t, code)
		for _, c := range nuanxin.CareCategories {
			for _, f := range nuanxin.CareForms {
				p := proposal(c, yuan(100000))
				p.Form, p.MemberStatus, p.MemberBirth = f, nuanxin.StatusWithdrawn, nuanxin.Date{}
				all = append(all, Check(pol, p, benchHistory())...)
			}
		}
	}
	for _, d := range all {
		if strings.Contains(d.Message, "%!") || strings.Contains(d.Message, "policy.") || d.Message == "" {
			t.Errorf("%s: %q", d.Code, d.Message)
		}
	}
}

// benchHistory is 100 cases of one member over five years: every category,
// every status.
func benchHistory() []nuanxin.PriorCase {
	statuses := []nuanxin.CareStatus{nuanxin.CarePaid, nuanxin.CareSigned, nuanxin.CareApproved, nuanxin.CareDraft, nuanxin.CareCancelled}
	var out []nuanxin.PriorCase
	for i := 0; i < 100; i++ {
		year := 2020 + i%5
		c := nuanxin.CareCategories[i%len(nuanxin.CareCategories)]
		pc := nuanxin.PriorCase{
			ID: int64(i + 1), Category: c, EventDate: nuanxin.NewDate(year, time.Month(1+i%12), 1+i%28),
			Amount: nuanxin.Money(10000 + i*100), Status: statuses[i%len(statuses)],
		}
		if c == nuanxin.CareHoliday {
			pc.Holiday, pc.HolidayYear = nuanxin.Holidays[i%len(nuanxin.Holidays)], year
		}
		if c == nuanxin.CareRelativeDeath {
			pc.RelativeID = int64(i % 3)
		}
		out = append(out, pc)
	}
	return out
}

func BenchmarkCheck100(b *testing.B) {
	pol := policyOf(b, "guizhou")
	history := benchHistory()
	p := holidayProposal(nuanxin.HolidayMidAutumn, 2022, yuan(150))
	if ds := Check(pol, p, history); len(ds) == 0 {
		b.Fatal("the benchmark case should find the earlier 2022 中秋")
	}
	b.ReportAllocs()
	for b.Loop() {
		Check(pol, p, history)
	}
}

func ExampleCheck() {
	pol, _ := Effective([]Layer{{OrgName: "某集团工会", Pack: func() *nuanxin.PolicyPack { p, _ := Pack("anhui-2018"); return p }()}})
	p := nuanxin.CareProposal{
		Category: nuanxin.CareBirthday, EventDate: nuanxin.NewDate(2025, 6, 3), Form: nuanxin.FormGoods,
		Amount: 35000, MemberStatus: nuanxin.StatusMember, MemberBirth: nuanxin.NewDate(1988, 5, 9),
	}
	for _, d := range Check(pol, p, nil) {
		fmt.Println(d.Level, d.Code, d.Message)
	}
	// Output:
	// block cap 生日慰问上限300元，本次350元，超出50元（依据：《安徽省基层工会经费收支管理实施办法（试行）》）
	// block birthday_month 生日慰问每年一次，且须在生日当月发放；该会员生日在5月，本次事件日期在6月（依据：《安徽省基层工会经费收支管理实施办法（试行）》）
}
