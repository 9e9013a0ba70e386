package policy

import (
	"slices"
	"testing"

	"github.com/nuanxin/nuanxin"
)

func mustPack(t testing.TB, code string) *nuanxin.PolicyPack {
	t.Helper()
	p, ok := Pack(code)
	if !ok {
		t.Fatalf("no pack %s", code)
	}
	return p
}

var packCodes = []string{"national-2017", "anhui-2018", "fujian-2018", "sichuan", "guizhou", "guangdong"}

func TestPackCodes(t *testing.T) {
	var got []string
	for _, p := range Packs() {
		got = append(got, p.Code)
	}
	if !slices.Equal(got, packCodes) {
		t.Errorf("codes = %v, want %v", got, packCodes)
	}
	if got[0] != DefaultPack {
		t.Errorf("first pack %s, want the default", got[0])
	}
	if _, ok := Pack("beijing"); ok {
		t.Error("Pack(beijing) found")
	}
}

// The caps of domain/policy-sources.md, in 元 (0: the pack states none).
var wantCaps = map[string]map[nuanxin.CareCategory]int64{
	"anhui-2018": {nuanxin.CareBirthday: 300, nuanxin.CareWedding: 600, nuanxin.CareBirth: 600, nuanxin.CareIllness: 1000,
		nuanxin.CareDeath: 2000, nuanxin.CareRelativeDeath: 1000, nuanxin.CareRetirement: 1000},
	"fujian-2018": {nuanxin.CareBirthday: 300, nuanxin.CareWedding: 0, nuanxin.CareBirth: 500, nuanxin.CareIllness: 500,
		nuanxin.CareDeath: 2000, nuanxin.CareRelativeDeath: 1000, nuanxin.CareRetirement: 500},
	"sichuan": {nuanxin.CareBirthday: 300, nuanxin.CareWedding: 500, nuanxin.CareBirth: 500, nuanxin.CareIllness: 0,
		nuanxin.CareDeath: 2000, nuanxin.CareRelativeDeath: 1000, nuanxin.CareRetirement: 500},
	"guizhou": {nuanxin.CareBirthday: 300, nuanxin.CareWedding: 500, nuanxin.CareBirth: 500, nuanxin.CareIllness: 500,
		nuanxin.CareDeath: 2000, nuanxin.CareRelativeDeath: 1000, nuanxin.CareRetirement: 500},
	"guangdong": {nuanxin.CareBirthday: 0, nuanxin.CareWedding: 1000, nuanxin.CareBirth: 1000, nuanxin.CareIllness: 0,
		nuanxin.CareDeath: 3000, nuanxin.CareRelativeDeath: 1000, nuanxin.CareRetirement: 1000},
}

var wantSurgery = map[string]int64{"fujian-2018": 1000, "guizhou": 1000}
var wantHolidayTotal = map[string]int64{"anhui-2018": 1500, "fujian-2018": 1300, "sichuan": 2100}
var wantVouchers = map[string]bool{"fujian-2018": true, "guizhou": true}

func TestPackCaps(t *testing.T) {
	for code, caps := range wantCaps {
		p := mustPack(t, code)
		for cat, want := range caps {
			if r := p.Rule(cat); r == nil || r.Cap != yuan(want) {
				t.Errorf("%s %s cap = %v, want %d元", code, cat, r, want)
			}
		}
		if got := p.Rule(nuanxin.CareIllness).SurgeryCap; got != yuan(wantSurgery[code]) {
			t.Errorf("%s surgery cap = %s", code, got)
		}
		if p.HolidayYearTotal != yuan(wantHolidayTotal[code]) {
			t.Errorf("%s holiday total = %s", code, p.HolidayYearTotal)
		}
		if p.Rule(nuanxin.CareHoliday).Cap != p.HolidayYearTotal {
			t.Errorf("%s holiday rule cap %s != total %s", code, p.Rule(nuanxin.CareHoliday).Cap, p.HolidayYearTotal)
		}
	}
	gz := mustPack(t, "guizhou")
	for _, h := range nuanxin.Holidays {
		want := yuan(200)
		if h == nuanxin.HolidaySpring {
			want = yuan(500)
		}
		if gz.HolidayCaps[h] != want {
			t.Errorf("guizhou %s cap = %s, want %s", h, gz.HolidayCaps[h], want)
		}
	}
	for _, p := range Packs() {
		if p.Code != "guizhou" && len(p.HolidayCaps) > 0 {
			t.Errorf("%s has per-holiday caps %v", p.Code, p.HolidayCaps)
		}
	}
}

func TestNationalPack(t *testing.T) {
	p := mustPack(t, DefaultPack)
	if p.Province != "" || p.DocNo != "总工办发〔2017〕32号" || p.EffectiveFrom != nuanxin.NewDate(2017, 12, 15) {
		t.Errorf("national = %+v", p)
	}
	if p.HolidayYearTotal != 0 || len(p.HolidayCaps) != 0 {
		t.Error("national pack has holiday amounts")
	}
	for _, r := range p.Rules {
		if r.Cap != 0 || r.SurgeryCap != 0 || len(r.CategoryCaps) != 0 {
			t.Errorf("national %s has an amount", r.Category)
		}
		if r.Source.Cite() != "《基层工会经费收支管理办法》（总工办发〔2017〕32号）" {
			t.Errorf("national %s cites %q", r.Category, r.Source.Cite())
		}
	}
}

func TestPackRules(t *testing.T) {
	goods, cash, voucher, card := nuanxin.FormGoods, nuanxin.FormCash, nuanxin.FormVoucher, nuanxin.FormCard
	for _, p := range Packs() {
		if len(p.Rules) != len(nuanxin.CareCategories) {
			t.Errorf("%s has %d rules", p.Code, len(p.Rules))
		}
		for _, c := range nuanxin.CareCategories {
			if p.Rule(c) == nil {
				t.Errorf("%s lacks %s", p.Code, c)
			}
		}
		gift := []nuanxin.CareForm{goods}
		if wantVouchers[p.Code] {
			gift = []nuanxin.CareForm{goods, voucher}
		}
		want := map[nuanxin.CareCategory]struct {
			forms []nuanxin.CareForm
			freq  nuanxin.Frequency
		}{
			nuanxin.CareBirthday:      {[]nuanxin.CareForm{goods, voucher}, nuanxin.FreqBirthdayMonth},
			nuanxin.CareWedding:       {gift, nuanxin.FreqPerEvent},
			nuanxin.CareBirth:         {gift, nuanxin.FreqPerEvent},
			nuanxin.CareIllness:       {[]nuanxin.CareForm{cash, goods}, nuanxin.FreqNaturalYear},
			nuanxin.CareRetirement:    {[]nuanxin.CareForm{goods}, nuanxin.FreqOnce},
			nuanxin.CareDeath:         {[]nuanxin.CareForm{cash, goods}, nuanxin.FreqOnce},
			nuanxin.CareRelativeDeath: {[]nuanxin.CareForm{cash, goods}, nuanxin.FreqPerEvent},
			nuanxin.CareHoliday:       {gift, nuanxin.FreqAny},
			nuanxin.CareHardship:      {[]nuanxin.CareForm{cash, goods}, nuanxin.FreqAny},
			nuanxin.CareOther:         {nil, nuanxin.FreqAny},
		}
		for _, r := range p.Rules {
			w := want[r.Category]
			if !slices.Equal(r.Forms, w.forms) || r.Frequency != w.freq {
				t.Errorf("%s %s: forms %v freq %q, want %v %q", p.Code, r.Category, r.Forms, r.Frequency, w.forms, w.freq)
			}
			if r.AllowsForm(card) {
				t.Errorf("%s %s allows cards", p.Code, r.Category)
			}
			if len(r.Eligible) != 0 {
				t.Errorf("%s %s limits member categories", p.Code, r.Category)
			}
			if r.ForRelative != (r.Category == nuanxin.CareRelativeDeath) {
				t.Errorf("%s %s ForRelative = %v", p.Code, r.Category, r.ForRelative)
			}
			if r.Custom {
				t.Errorf("%s %s is custom", p.Code, r.Category)
			}
		}
		rd := p.Rule(nuanxin.CareRelativeDeath)
		if !slices.Equal(rd.Relations, []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild}) {
			t.Errorf("%s relative death relations = %v", p.Code, rd.Relations)
		}
	}
}

// Every shipped rule says where it comes from; an unconfirmed document
// says so in the pack's notes, and a 文号 only appears with a verified
// source (none of the provinces' could be confirmed).
func TestPackSources(t *testing.T) {
	for _, p := range Packs() {
		if p.Source.Title == "" || p.Name == "" || p.Version < 1 || p.HolidaySource.Title == "" {
			t.Errorf("%s: incomplete pack %+v", p.Code, p)
		}
		if !slices.Contains([]string{ConfidenceVerified, ConfidenceSecondary, ConfidenceUnconfirmed}, p.Source.Confidence) {
			t.Errorf("%s confidence %q", p.Code, p.Source.Confidence)
		}
		if p.Source.Confidence != ConfidenceVerified && p.Notes == "" {
			t.Errorf("%s: unverified source without a note", p.Code)
		}
		if p.DocNo != "" && p.Source.Confidence != ConfidenceVerified {
			t.Errorf("%s: 文号 %s on an unverified source", p.Code, p.DocNo)
		}
		for _, r := range p.Rules {
			if r.Source.Title == "" || r.Source.Issuer == "" || r.Source.Confidence == "" {
				t.Errorf("%s %s: source %+v", p.Code, r.Category, r.Source)
			}
			if r.Source.Cite() == "" {
				t.Errorf("%s %s cites nothing", p.Code, r.Category)
			}
		}
	}
}

func TestPacksAreCopies(t *testing.T) {
	ps := Packs()
	for _, p := range ps {
		p.Name = "x"
		p.HolidayYearTotal = 1
		for i := range p.Rules {
			p.Rules[i].Cap = 1
			if len(p.Rules[i].Forms) > 0 {
				p.Rules[i].Forms[0] = nuanxin.FormCard
			}
			if len(p.Rules[i].Relations) > 0 {
				p.Rules[i].Relations[0] = nuanxin.RelSpouseParent
			}
		}
		for h := range p.HolidayCaps {
			p.HolidayCaps[h] = 1
		}
		p.Rules = p.Rules[:1]
	}
	gz, _ := Pack("guizhou")
	gz.HolidayCaps[nuanxin.HolidaySpring] = 99999
	gz.Rules[0].Forms = append(gz.Rules[0].Forms[:0], nuanxin.FormCash)

	TestPackCaps(t)
	TestPackRules(t)
	if p := mustPack(t, "anhui-2018"); p.Name != "安徽省（2018）" {
		t.Errorf("name changed: %s", p.Name)
	}
}
