package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

func mustEffective(t *testing.T, layers ...Layer) *nuanxin.Policy {
	t.Helper()
	pol, err := Effective(layers)
	if err != nil {
		t.Fatalf("Effective: %v", err)
	}
	return pol
}

// wantInvalid checks err is an *nuanxin.Error with code EINVALID whose
// message contains every part.
func wantInvalid(t *testing.T, err error, parts ...string) {
	t.Helper()
	var e *nuanxin.Error
	if !errors.As(err, &e) || e.Code != nuanxin.EINVALID {
		t.Fatalf("err = %#v, want an EINVALID *nuanxin.Error", err)
	}
	for _, p := range parts {
		if !strings.Contains(e.Error(), p) {
			t.Errorf("message %q lacks %q", e.Error(), p)
		}
	}
}

func TestEffectiveDefault(t *testing.T) {
	pol := mustEffective(t)
	if pol.Pack.Code != DefaultPack || pol.AdoptedBy != "" || len(pol.Rules) != len(nuanxin.CareCategories) {
		t.Errorf("default policy = %+v", pol)
	}
	// The policy is a copy: changing it does not change the next one.
	pol.Rule(nuanxin.CareBirthday).Cap = 1
	pol.Rules[0].Forms[0] = nuanxin.FormCard
	if again := mustEffective(t); again.Rule(nuanxin.CareBirthday).Cap != 0 || again.Rules[0].Forms[0] == nuanxin.FormCard {
		t.Error("Effective shares state between calls")
	}
}

// A 集团工会 adopts the 安徽 pack, a 基层工会 below it tightens 生日, a
// 分工会 below that adds nothing.
func TestEffectiveAdoptAndTighten(t *testing.T) {
	basis := "本工会2025年第一次委员会会议纪要"
	pol := mustEffective(t,
		Layer{OrgName: "安徽某市总工会"},
		Layer{OrgName: "某集团工会", Pack: mustPack(t, "anhui-2018")},
		Layer{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{{
			Category: nuanxin.CareBirthday, Cap: yuan(200), Forms: []nuanxin.CareForm{nuanxin.FormGoods}, Basis: basis,
		}}},
		Layer{OrgName: "某车间分工会"},
	)
	if pol.Pack.Code != "anhui-2018" || pol.AdoptedBy != "某集团工会" {
		t.Errorf("pack %s adopted by %q", pol.Pack.Code, pol.AdoptedBy)
	}
	b := pol.Rule(nuanxin.CareBirthday)
	if b.Cap != yuan(200) || len(b.Forms) != 1 || b.Frequency != nuanxin.FreqBirthdayMonth || b.Source.Title != basis || b.Source.Issuer != "某公司工会" {
		t.Errorf("birthday = %+v", b)
	}
	if w := pol.Rule(nuanxin.CareWedding); w.Cap != yuan(600) || w.Source.Cite() != anhuiCite {
		t.Errorf("wedding = %+v", w)
	}
	if pol.Holiday.YearTotal != yuan(1500) || pol.Holiday.Source.Cite() != anhuiCite {
		t.Errorf("holiday = %+v", pol.Holiday)
	}
	if len(pol.Local) != 0 {
		t.Errorf("Local is the caller's to fill (it has the ids): %+v", pol.Local)
	}

	p := proposal(nuanxin.CareBirthday, yuan(200))
	wantOnly(t, Check(pol, p, nil))
	p.Amount++
	ds := Check(pol, p, nil)
	wantOnly(t, ds, "block:cap")
	if len(ds) == 1 && ds[0].Message != "生日慰问上限200元，本次200.01元，超出0.01元（依据："+basis+"）" {
		t.Error(ds[0].Message)
	}
	p = proposal(nuanxin.CareBirthday, yuan(100))
	p.Form = nuanxin.FormVoucher
	wantOnly(t, Check(pol, p, nil), "block:form")
}

// A 县总工会 adopts 安徽, caps 住院 by member category and adds 家属住院 of
// its own; a 基层工会 below tightens 家属住院.
func TestEffectiveCountyCustomCategory(t *testing.T) {
	countyBasis := "某县总工会第三届会员代表大会第二次会议决议（2024年3月）"
	familyIllness := nuanxin.PolicyRule{
		Category: "relative_illness", Label: "家属住院", Custom: true, ForRelative: true, Basis: countyBasis,
		Cap: yuan(500), Frequency: nuanxin.FreqNaturalYear, Forms: []nuanxin.CareForm{nuanxin.FormCash, nuanxin.FormGoods},
	}
	layers := []Layer{
		{OrgName: "安徽某市总工会"},
		{OrgName: "某县总工会", Pack: mustPack(t, "anhui-2018"), Rules: []nuanxin.PolicyRule{
			{Category: nuanxin.CareIllness, Basis: countyBasis, CategoryCaps: map[nuanxin.Category]nuanxin.Money{
				nuanxin.CategoryActive: yuan(800), nuanxin.CategoryRetired: yuan(300),
			}},
			familyIllness,
		}},
	}
	pol := mustEffective(t, layers...)
	if pol.CategoryLabel("relative_illness") != "家属住院" {
		t.Errorf("label %q", pol.CategoryLabel("relative_illness"))
	}
	illness := func(cat nuanxin.Category, amount nuanxin.Money) nuanxin.CareProposal {
		p := proposal(nuanxin.CareIllness, amount)
		p.MemberCategory = cat
		return p
	}
	tests := []struct {
		name string
		p    nuanxin.CareProposal
		want []string
		msg  string
	}{
		{"在岗 at 800", illness(nuanxin.CategoryActive, yuan(800)), nil, ""},
		{"在岗 over 800", illness(nuanxin.CategoryActive, yuan(800)+1), []string{"block:cap"}, "生病住院慰问（在岗）上限800元，本次800.01元，超出0.01元（依据：" + countyBasis + "）"},
		{"退休 at 300", illness(nuanxin.CategoryRetired, yuan(300)), nil, ""},
		{"退休 over 300", illness(nuanxin.CategoryRetired, yuan(301)), []string{"block:cap"}, "生病住院慰问（退休）上限300元"},
		{"农民工 keeps the pack's 1000", illness(nuanxin.CategoryMigrant, yuan(1000)), nil, ""},
		{"农民工 over 1000", illness(nuanxin.CategoryMigrant, yuan(1000)+1), []string{"block:cap"}, "生病住院慰问上限1000元"},
	}
	family := func(amount nuanxin.Money, relID int64, rel nuanxin.Relation) nuanxin.CareProposal {
		p := proposal("relative_illness", amount)
		p.Form, p.RelativeID, p.Relation = nuanxin.FormCash, relID, rel
		return p
	}
	tests = append(tests, []struct {
		name string
		p    nuanxin.CareProposal
		want []string
		msg  string
	}{
		{"家属住院 at 500", family(yuan(500), 9, nuanxin.RelChild), nil, ""},
		{"家属住院 over 500", family(yuan(500)+1, 9, nuanxin.RelChild), []string{"block:cap"}, "家属住院慰问上限500元，本次500.01元，超出0.01元（依据：" + countyBasis + "）"},
		{"家属住院 without the relative", family(yuan(100), 0, ""), []string{"block:relative"}, "家属住院慰问须选择涉及的家属"},
		{"家属住院 of a parent-in-law", family(yuan(100), 9, nuanxin.RelSpouseParent), []string{"block:relation"}, "家属住院慰问只适用于会员的配偶、父母、子女"},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Check(pol, tt.p, nil)
			wantOnly(t, ds, tt.want...)
			if tt.msg != "" && (len(ds) == 0 || !strings.HasPrefix(ds[0].Message, tt.msg)) {
				t.Errorf("message %v, want prefix %q", ds, tt.msg)
			}
		})
	}
	// Once per natural year per relative.
	seen := []nuanxin.PriorCase{{ID: 1, Category: "relative_illness", EventDate: d("2025-02-01"), Amount: yuan(500), RelativeID: 9, Status: nuanxin.CarePaid}}
	wantOnly(t, Check(pol, family(yuan(100), 9, nuanxin.RelChild), seen), "block:frequency")
	wantOnly(t, Check(pol, family(yuan(100), 10, nuanxin.RelSpouse), seen))

	// A 基层工会 below the county tightens 家属住院 to 400 and the rule now
	// cites its own decision.
	baseBasis := "某公司工会2025年会员代表大会决议"
	pol = mustEffective(t, append(layers, Layer{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{
		{Category: "relative_illness", Cap: yuan(400), Basis: baseBasis},
	}})...)
	wantOnly(t, Check(pol, family(yuan(400), 9, nuanxin.RelChild), nil))
	ds := Check(pol, family(yuan(401), 9, nuanxin.RelChild), nil)
	wantOnly(t, ds, "block:cap")
	if len(ds) == 1 && ds[0].Source != baseBasis {
		t.Errorf("source %q", ds[0].Source)
	}
	if r := pol.Rule("relative_illness"); r.Label != "家属住院" || !r.ForRelative || r.Frequency != nuanxin.FreqNaturalYear {
		t.Errorf("merged custom rule = %+v", r)
	}

	// Loosening it below is refused and names the org.
	_, err := Effective(append(layers, Layer{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{
		{Category: "relative_illness", Cap: yuan(600)},
	}}))
	wantInvalid(t, err, "某公司工会", "家属住院慰问上限500元，不能放宽为600元")
}

// The local rules of orgs above still hold when an org below adopts a
// pack: adopting a province's pack never undoes a tightening made above.
func TestEffectiveLocalRulesSurviveAdoptionBelow(t *testing.T) {
	groupBasis := "集团工会2024年委员会决议"
	pol := mustEffective(t,
		Layer{OrgName: "某集团工会", Rules: []nuanxin.PolicyRule{
			{Category: nuanxin.CareBirthday, Cap: yuan(200), Basis: groupBasis},
			{Category: "long_service", Label: "长期服务纪念", Custom: true, Basis: groupBasis, Cap: yuan(300), Frequency: nuanxin.FreqOnce, Forms: []nuanxin.CareForm{nuanxin.FormGoods}},
		}},
		Layer{OrgName: "某公司工会", Pack: mustPack(t, "anhui-2018")},
	)
	if pol.AdoptedBy != "某公司工会" {
		t.Errorf("adopted by %q", pol.AdoptedBy)
	}
	if b := pol.Rule(nuanxin.CareBirthday); b.Cap != yuan(200) || b.Source.Title != groupBasis {
		t.Errorf("birthday = %+v", b)
	}
	if r := pol.Rule("long_service"); r == nil || r.Cap != yuan(300) {
		t.Errorf("custom category lost: %+v", r)
	}
	if pol.Rule(nuanxin.CareWedding).Cap != yuan(600) {
		t.Error("pack not applied")
	}
}

func TestEffectivePackBelowPack(t *testing.T) {
	// 广东 states amounts 安徽 keeps below: no looser.
	pol := mustEffective(t,
		Layer{OrgName: "某集团工会", Pack: mustPack(t, "guangdong")},
		Layer{OrgName: "某公司工会", Pack: mustPack(t, "anhui-2018")},
	)
	if pol.Pack.Code != "anhui-2018" || pol.AdoptedBy != "某公司工会" || pol.Rule(nuanxin.CareDeath).Cap != yuan(2000) {
		t.Errorf("policy = %s by %s", pol.Pack.Code, pol.AdoptedBy)
	}
	// The same pack again is no looser.
	mustEffective(t, Layer{OrgName: "甲", Pack: mustPack(t, "anhui-2018")}, Layer{OrgName: "乙", Pack: mustPack(t, "anhui-2018")})

	// 福建 states no amount for 结婚, where 安徽 says 600.
	_, err := Effective([]Layer{
		{OrgName: "某集团工会", Pack: mustPack(t, "anhui-2018")},
		{OrgName: "某公司工会", Pack: mustPack(t, "fujian-2018")},
	})
	wantInvalid(t, err, "某公司工会", "福建省（2018）", "结婚慰问上限600元，不能改为不设上限", "节日慰问不允许以“蛋糕券/指定商品提货券”形式发放")
}

func TestEffectiveHolidayLocalTotal(t *testing.T) {
	pol := mustEffective(t,
		Layer{OrgName: "某集团工会", Pack: mustPack(t, "anhui-2018")},
		Layer{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{{Category: nuanxin.CareHoliday, Cap: yuan(1000), Basis: "公司工会2025年预算决议"}}},
	)
	if pol.Holiday.YearTotal != yuan(1000) || pol.Rule(nuanxin.CareHoliday).Cap != yuan(1000) || pol.Holiday.Source.Title != "公司工会2025年预算决议" {
		t.Errorf("holiday = %+v", pol.Holiday)
	}
	history := []nuanxin.PriorCase{holidayCase(1, nuanxin.HolidaySpring, 2025, yuan(800), nuanxin.CarePaid)}
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidayMidAutumn, 2025, yuan(200)), history))
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidayMidAutumn, 2025, yuan(200)+1), history), "block:holiday_total")

	// 贵州 keeps its per-holiday caps under a local yearly total.
	pol = mustEffective(t, Layer{OrgName: "某公司工会", Pack: mustPack(t, "guizhou"), Rules: []nuanxin.PolicyRule{
		{Category: nuanxin.CareHoliday, Cap: yuan(600), Basis: "会议纪要"},
	}})
	if pol.Holiday.YearTotal != yuan(600) || pol.Holiday.PerHoliday[nuanxin.HolidaySpring] != yuan(500) {
		t.Errorf("holiday = %+v", pol.Holiday)
	}
	history = []nuanxin.PriorCase{holidayCase(1, nuanxin.HolidaySpring, 2026, yuan(500), nuanxin.CarePaid)}
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidayDragonBoat, 2026, yuan(100)), history))
	wantOnly(t, Check(pol, holidayProposal(nuanxin.HolidayDragonBoat, 2026, yuan(101)), history), "block:holiday_total")

	_, err := Effective([]Layer{
		{OrgName: "某集团工会", Pack: mustPack(t, "anhui-2018")},
		{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{{Category: nuanxin.CareHoliday, Cap: yuan(2000)}}},
	})
	wantInvalid(t, err, "某公司工会", "节日慰问每人每年合计上限1500元，不能放宽为2000元")
}

// parentWith is the 安徽 policy with some rules changed, as the parent of
// a rule being saved.
func parentWith(t *testing.T, change func(pol *nuanxin.Policy)) *nuanxin.Policy {
	pol := policyOf(t, "anhui-2018")
	if change != nil {
		change(pol)
	}
	return pol
}

func TestCheckTighterRejects(t *testing.T) {
	fujian := policyOf(t, "fujian-2018")
	withIllness := func(f func(r *nuanxin.PolicyRule)) *nuanxin.Policy {
		return parentWith(t, func(pol *nuanxin.Policy) { f(pol.Rule(nuanxin.CareIllness)) })
	}
	tests := []struct {
		name   string
		parent *nuanxin.Policy
		rule   nuanxin.PolicyRule
		field  string
		want   string
	}{
		{"cap", nil, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Cap: yuan(500)},
			"cap", "生日慰问上限300元，不能放宽为500元"},
		{"cap by a fen", nil, nuanxin.PolicyRule{Category: nuanxin.CareDeath, Cap: yuan(2000) + 1},
			"cap", "会员去世慰问上限2000元，不能放宽为2000.01元"},
		{"surgery cap", fujian, nuanxin.PolicyRule{Category: nuanxin.CareIllness, SurgeryCap: yuan(1200)},
			"surgery_cap", "生病住院慰问（手术）上限1000元，不能放宽为1200元"},
		{"surgery cap above a plain cap", nil, nuanxin.PolicyRule{Category: nuanxin.CareIllness, SurgeryCap: yuan(1500)},
			"surgery_cap", "生病住院慰问（手术）上限1000元，不能放宽为1500元"},
		{"category cap", withIllness(func(r *nuanxin.PolicyRule) {
			r.CategoryCaps = map[nuanxin.Category]nuanxin.Money{nuanxin.CategoryRetired: yuan(300)}
		}), nuanxin.PolicyRule{Category: nuanxin.CareIllness, CategoryCaps: map[nuanxin.Category]nuanxin.Money{nuanxin.CategoryRetired: yuan(400)}},
			"category_caps", "生病住院慰问（退休）上限300元，不能放宽为400元"},
		{"category cap above the plain cap", nil, nuanxin.PolicyRule{Category: nuanxin.CareIllness, CategoryCaps: map[nuanxin.Category]nuanxin.Money{nuanxin.CategoryActive: yuan(1200)}},
			"category_caps", "生病住院慰问（在岗）上限1000元，不能放宽为1200元"},
		{"form", nil, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Forms: []nuanxin.CareForm{nuanxin.FormGoods, nuanxin.FormCash}},
			"forms", "生日慰问不允许以“慰问金”形式发放，不能增加该形式"},
		{"card for other", nil, nuanxin.PolicyRule{Category: nuanxin.CareOther, Forms: []nuanxin.CareForm{nuanxin.FormCard}},
			"forms", "其他慰问不允许以“购物卡/代金券”形式发放"},
		{"eligible", withIllness(func(r *nuanxin.PolicyRule) { r.Eligible = []nuanxin.Category{nuanxin.CategoryActive} }),
			nuanxin.PolicyRule{Category: nuanxin.CareIllness, Eligible: []nuanxin.Category{nuanxin.CategoryActive, nuanxin.CategoryRetired}},
			"eligible", "生病住院慰问只适用于在岗，不能扩大到退休"},
		{"relations", nil, nuanxin.PolicyRule{Category: nuanxin.CareRelativeDeath, Relations: []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelSpouseParent}},
			"relations", "直系亲属去世慰问只适用于会员的配偶、父母、子女，不能扩大到配偶父母"},
		{"frequency per event", nil, nuanxin.PolicyRule{Category: nuanxin.CareIllness, Frequency: nuanxin.FreqPerEvent},
			"frequency", "生病住院慰问的发放频次为“每自然年一次”，不能放宽为“每次事件一次”"},
		{"birthday month", nil, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Frequency: nuanxin.FreqYearly},
			"frequency", "生日慰问的发放频次为“每年一次，限生日当月”，不能放宽为“每年一次”"},
		{"retirement once", nil, nuanxin.PolicyRule{Category: nuanxin.CareRetirement, Frequency: nuanxin.FreqYearly},
			"frequency", "退休慰问的发放频次为“每人一次”"},
		{"hospital days", withIllness(func(r *nuanxin.PolicyRule) { r.MinHospitalDays = 3 }),
			nuanxin.PolicyRule{Category: nuanxin.CareIllness, MinHospitalDays: 2},
			"min_hospital_days", "生病住院慰问要求住院满3天，不能降低为2天"},
		{"holiday total", nil, nuanxin.PolicyRule{Category: nuanxin.CareHoliday, Cap: yuan(1600)},
			"cap", "节日慰问每人每年合计上限1500元，不能放宽为1600元"},
		{"holiday voucher", nil, nuanxin.PolicyRule{Category: nuanxin.CareHoliday, Forms: []nuanxin.CareForm{nuanxin.FormVoucher}},
			"forms", "节日慰问不允许以“蛋糕券/指定商品提货券”形式发放"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := tt.parent
			if parent == nil {
				parent = policyOf(t, "anhui-2018")
			}
			err := CheckTighter(parent, tt.rule)
			wantInvalid(t, err, tt.want)
			var e *nuanxin.Error
			if errors.As(err, &e) && (e.Field != tt.field || e.Key != "policy.rule.looser") {
				t.Errorf("field %q key %q, want %q policy.rule.looser", e.Field, e.Key, tt.field)
			}
		})
	}
}

// Several loosenings at once are all named, in one message.
func TestCheckTighterNamesEveryLoosening(t *testing.T) {
	err := CheckTighter(policyOf(t, "anhui-2018"), nuanxin.PolicyRule{
		Category: nuanxin.CareBirthday, Cap: yuan(500), Forms: []nuanxin.CareForm{nuanxin.FormCash}, Frequency: nuanxin.FreqPerEvent,
	})
	wantInvalid(t, err, "生日慰问上限300元，不能放宽为500元；生日慰问不允许以“慰问金”形式发放，不能增加该形式；生日慰问的发放频次为")
}

func TestCheckTighterAccepts(t *testing.T) {
	anhui := policyOf(t, "anhui-2018")
	national := policyOf(t, DefaultPack)
	tests := []struct {
		name   string
		parent *nuanxin.Policy
		rule   nuanxin.PolicyRule
	}{
		{"lower cap", anhui, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Cap: yuan(200)}},
		{"equal cap", anhui, nuanxin.PolicyRule{Category: nuanxin.CareBirthday, Cap: yuan(300)}},
		{"an amount where the pack states none", national, nuanxin.PolicyRule{Category: nuanxin.CareWedding, Cap: yuan(5000)}},
		{"fewer forms", anhui, nuanxin.PolicyRule{Category: nuanxin.CareIllness, Forms: []nuanxin.CareForm{nuanxin.FormGoods}}},
		{"stricter frequency", anhui, nuanxin.PolicyRule{Category: nuanxin.CareIllness, Frequency: nuanxin.FreqOnce}},
		{"fewer member categories", anhui, nuanxin.PolicyRule{Category: nuanxin.CareIllness, Eligible: []nuanxin.Category{nuanxin.CategoryActive}}},
		{"category caps", anhui, nuanxin.PolicyRule{Category: nuanxin.CareIllness, CategoryCaps: map[nuanxin.Category]nuanxin.Money{
			nuanxin.CategoryActive: yuan(800), nuanxin.CategoryRetired: yuan(300)}}},
		{"surgery variant below the cap", anhui, nuanxin.PolicyRule{Category: nuanxin.CareIllness, SurgeryCap: yuan(1000)}},
		{"more hospital days", anhui, nuanxin.PolicyRule{Category: nuanxin.CareIllness, MinHospitalDays: 3}},
		{"fewer relations", anhui, nuanxin.PolicyRule{Category: nuanxin.CareRelativeDeath, Relations: []nuanxin.Relation{nuanxin.RelSpouse}}},
		{"lower holiday total", anhui, nuanxin.PolicyRule{Category: nuanxin.CareHoliday, Cap: yuan(1000)}},
		{"nil parent is the national one", nil, nuanxin.PolicyRule{Category: nuanxin.CareDeath, Cap: yuan(9000)}},
		{"custom category", anhui, nuanxin.PolicyRule{Category: "relative_illness", Label: "家属住院", Custom: true,
			ForRelative: true, Basis: "会员代表大会决议", Cap: yuan(500)}},
	}
	for _, tt := range tests {
		if err := CheckTighter(tt.parent, tt.rule); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestCheckTighterCustom(t *testing.T) {
	ok := nuanxin.PolicyRule{Category: "relative_illness", Label: "家属住院", Custom: true, Basis: "会员代表大会决议"}
	tests := []struct {
		name  string
		edit  func(r *nuanxin.PolicyRule)
		key   string
		field string
	}{
		{"upper case code", func(r *nuanxin.PolicyRule) { r.Category = "Relative-Illness" }, "policy.rule.code", "category"},
		{"Chinese code", func(r *nuanxin.PolicyRule) { r.Category = "家属住院" }, "policy.rule.code", "category"},
		{"empty code", func(r *nuanxin.PolicyRule) { r.Category = "" }, "policy.rule.code", "category"},
		{"built-in code", func(r *nuanxin.PolicyRule) { r.Category = nuanxin.CareIllness }, "policy.rule.builtin_base", "category"},
		{"no label", func(r *nuanxin.PolicyRule) { r.Label = "  " }, "policy.rule.label", "label"},
		{"no basis", func(r *nuanxin.PolicyRule) { r.Basis = "" }, "policy.rule.basis", "basis"},
		{"cards", func(r *nuanxin.PolicyRule) { r.Forms = []nuanxin.CareForm{nuanxin.FormCard} }, "policy.loosen.card", "forms"},
		{"bad form", func(r *nuanxin.PolicyRule) { r.Forms = []nuanxin.CareForm{"gold"} }, "policy.loosen.form_invalid", "forms"},
		{"new category not marked custom", func(r *nuanxin.PolicyRule) { r.Custom = false }, "policy.loosen.not_inherited", "category"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CloneRule(ok)
			tt.edit(&r)
			err := CheckTighter(policyOf(t, "anhui-2018"), r)
			var e *nuanxin.Error
			if !errors.As(err, &e) || e.Code != nuanxin.EINVALID || e.Key != tt.key || e.Field != tt.field {
				t.Fatalf("err = %#v, want %s on %s", err, tt.key, tt.field)
			}
			if msg := e.Error(); msg == e.Key || strings.Contains(msg, "%!") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestCheckPackNoLooser(t *testing.T) {
	anhui := policyOf(t, "anhui-2018")
	tests := []struct {
		name   string
		parent *nuanxin.Policy
		pack   string
		want   []string // nil: accepted
	}{
		{"same pack", anhui, "anhui-2018", nil},
		{"stricter everywhere", policyOf(t, "guangdong"), "anhui-2018", nil},
		{"no amounts below amounts", anhui, "guangdong", []string{
			"生日慰问上限300元，不能改为不设上限", "生病住院慰问上限1000元，不能改为不设上限",
			"会员去世慰问上限2000元，不能放宽为3000元", "节日慰问每人每年合计上限1500元，不能改为不设上限"}},
		{"per-holiday caps adding up above the total", anhui, "guizhou", []string{"节日慰问每人每年合计上限1500元，不能放宽为1700元"}},
		{"a yearly total above a per-holiday cap", policyOf(t, "guizhou"), "anhui-2018", []string{"春节节日慰问上限500元，不能放宽为1500元"}},
		{"the national pack below a province", anhui, DefaultPack, []string{"结婚慰问上限600元，不能改为不设上限"}},
		{"nil parent", nil, "guangdong", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPackNoLooser(tt.parent, mustPack(t, tt.pack))
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantInvalid(t, err, tt.want...)
			var e *nuanxin.Error
			if errors.As(err, &e) && (e.Key != "policy.adopt.looser" || e.Field != "pack_code") {
				t.Errorf("key %s field %s", e.Key, e.Field)
			}
		})
	}
	// A pack adding a category the parent does not have is looser.
	p := mustPack(t, "anhui-2018")
	p.Rules = append(p.Rules, nuanxin.PolicyRule{Category: "spa", Label: "疗休养", Source: p.Source})
	wantInvalid(t, CheckPackNoLooser(anhui, p), "上级标准中没有“疗休养”")
	// A parent's own category the pack lacks is not.
	withCustom := mustEffective(t, Layer{OrgName: "甲", Pack: mustPack(t, "anhui-2018"), Rules: []nuanxin.PolicyRule{
		{Category: "relative_illness", Label: "家属住院", Custom: true, Basis: "决议"}}})
	if err := CheckPackNoLooser(withCustom, mustPack(t, "anhui-2018")); err != nil {
		t.Error(err)
	}
}

// A stored rule that no longer fits (the pack above changed after it was
// saved) is reported with the org, never applied.
func TestEffectiveReportsStoredLoosening(t *testing.T) {
	_, err := Effective([]Layer{
		{OrgName: "某集团工会", Pack: mustPack(t, "anhui-2018")},
		{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{{Category: nuanxin.CareBirthday, Cap: yuan(500)}}},
	})
	wantInvalid(t, err, "“某公司工会”的慰问标准与上级标准不符", "生日慰问上限300元，不能放宽为500元")

	_, err = Effective([]Layer{{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{{Category: "spa", Label: "疗休养"}}}})
	wantInvalid(t, err, "某公司工会", "上级标准中没有“spa”类别")
}

// A tightening that leaves no form at all removes the category.
func TestEffectiveEmptyMeetDropsCategory(t *testing.T) {
	pol := mustEffective(t,
		Layer{OrgName: "某集团工会", Rules: []nuanxin.PolicyRule{{Category: nuanxin.CareIllness, Forms: []nuanxin.CareForm{nuanxin.FormCash}}}},
		Layer{OrgName: "某公司工会", Pack: func() *nuanxin.PolicyPack {
			p := mustPack(t, "anhui-2018")
			p.Rule(nuanxin.CareIllness).Forms = []nuanxin.CareForm{nuanxin.FormGoods}
			return p
		}()},
	)
	if pol.Rule(nuanxin.CareIllness) != nil {
		t.Error("illness survives with no form allowed")
	}
	wantOnly(t, Check(pol, proposal(nuanxin.CareIllness, 100), nil), "block:category")
}

// A local rule's zero fields keep what is in force above: a lower org
// setting only an amount does not drop the day limit, forms, member
// categories or frequency set above it.
func TestEffectiveZeroFieldsInherit(t *testing.T) {
	pol := mustEffective(t,
		Layer{OrgName: "某集团工会", Pack: mustPack(t, "anhui-2018"), Rules: []nuanxin.PolicyRule{{
			Category: nuanxin.CareIllness, MinHospitalDays: 3, Forms: []nuanxin.CareForm{nuanxin.FormCash},
			Eligible: []nuanxin.Category{nuanxin.CategoryActive, nuanxin.CategoryRetired}, Frequency: nuanxin.FreqOnce,
		}}},
		Layer{OrgName: "某公司工会", Rules: []nuanxin.PolicyRule{{Category: nuanxin.CareIllness, Cap: yuan(800)}}},
	)
	r := pol.Rule(nuanxin.CareIllness)
	if r.Cap != yuan(800) || r.MinHospitalDays != 3 || len(r.Forms) != 1 || len(r.Eligible) != 2 || r.Frequency != nuanxin.FreqOnce {
		t.Errorf("merged = %+v", r)
	}
	// Without a source or basis of its own the rule still cites the pack.
	if r.Source.Cite() != anhuiCite {
		t.Errorf("source = %q", r.Source.Cite())
	}
	p := proposal(nuanxin.CareIllness, yuan(800))
	p.HospitalDays = 2
	wantOnly(t, Check(pol, p, nil), "block:hospital_days")
}
