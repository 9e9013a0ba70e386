package policy

import (
	"maps"
	"slices"

	"github.com/nuanxin/nuanxin"
)

// DefaultPack is the pack in force where no org on the path adopted one:
// the national rules, which name the categories and forms but no amounts.
const DefaultPack = "national-2017"

// Confidence of a figure, as in PolicySource.Confidence.
const (
	ConfidenceVerified    = "V" // several sources agree, or the text of the rule itself
	ConfidenceSecondary   = "S" // one secondary source
	ConfidenceUnconfirmed = "M" // not confirmed: check the province's own document
)

// NationalSource is the national document. The ban on cash, shopping cards
// and vouchers for gifts (不得发放现金、购物卡、代金券) comes from it,
// whichever pack is in force, so the engine cites it for that ban.
var NationalSource = nuanxin.PolicySource{
	Title:      "《基层工会经费收支管理办法》",
	DocNo:      "总工办发〔2017〕32号",
	Issuer:     "中华全国总工会办公厅",
	Date:       nuanxin.NewDate(2017, 12, 15),
	Confidence: ConfidenceVerified,
}

// unconfirmedNote goes on every pack whose 文号 could not be confirmed: the
// officer adopting it should hold the province's document beside it.
const unconfirmedNote = "文件名称、文号或生效日期未能核实，采用前请对照省总工会印发的原文核对各项标准。"

// caps are a province's amounts in 元 (0 = the document states none).
type caps struct {
	birthday, wedding, birth    int64
	illness, illnessSurgery     int64
	retirement, death, relDeath int64
	holidayYear                 int64
	holidayCaps                 map[nuanxin.Holiday]int64
	namedVouchers               bool // 指定商品提货券 allowed for holiday, wedding and birth gifts
}

// shipped are the packs as defined; Packs and Pack hand out copies.
var shipped = []*nuanxin.PolicyPack{
	newPack("national-2017", "全国（2017）", "", NationalSource, NationalSource.Date,
		caps{}, "全国办法只规定慰问的类别和形式，不规定金额；金额以省总工会的规定为准，未采用省级标准的单位须自行确定并从严掌握。"),
	newPack("anhui-2018", "安徽省（2018）", "安徽", nuanxin.PolicySource{
		Title:      "《安徽省基层工会经费收支管理实施办法（试行）》",
		Issuer:     "安徽省总工会",
		Date:       nuanxin.NewDate(2018, 3, 12),
		Confidence: ConfidenceSecondary,
	}, nuanxin.NewDate(2018, 3, 12), caps{
		birthday: 300, wedding: 600, birth: 600, illness: 1000,
		retirement: 1000, death: 2000, relDeath: 1000, holidayYear: 1500,
	}, unconfirmedNote),
	newPack("fujian-2018", "福建省（2018）", "福建", nuanxin.PolicySource{
		Title:      "《福建省基层工会经费收支管理实施办法》",
		Issuer:     "福建省总工会",
		Confidence: ConfidenceUnconfirmed,
	}, nuanxin.Date{}, caps{
		birthday: 300, birth: 500, illness: 500, illnessSurgery: 1000,
		retirement: 500, death: 2000, relDeath: 1000, holidayYear: 1300,
		namedVouchers: true,
	}, unconfirmedNote),
	newPack("sichuan", "四川省", "四川", nuanxin.PolicySource{
		Title:      "四川省总工会关于基层工会经费收支管理的规定（文件名称待核实）",
		Issuer:     "四川省总工会",
		Confidence: ConfidenceUnconfirmed,
	}, nuanxin.Date{}, caps{
		birthday: 300, wedding: 500, birth: 500,
		retirement: 500, death: 2000, relDeath: 1000, holidayYear: 2100,
	}, unconfirmedNote),
	newPack("guizhou", "贵州省", "贵州", nuanxin.PolicySource{
		Title:      "《贵州省基层工会经费收支管理实施细则（暂行）》",
		Issuer:     "贵州省总工会",
		Confidence: ConfidenceSecondary,
	}, nuanxin.Date{}, caps{
		birthday: 300, wedding: 500, birth: 500, illness: 500, illnessSurgery: 1000,
		retirement: 500, death: 2000, relDeath: 1000,
		holidayCaps: map[nuanxin.Holiday]int64{
			nuanxin.HolidayNewYear: 200, nuanxin.HolidaySpring: 500, nuanxin.HolidayQingming: 200,
			nuanxin.HolidayLabour: 200, nuanxin.HolidayDragonBoat: 200, nuanxin.HolidayMidAutumn: 200,
			nuanxin.HolidayNational: 200,
		},
		namedVouchers: true,
	}, unconfirmedNote),
	newPack("guangdong", "广东省（试行）", "广东", nuanxin.PolicySource{
		Title:      "广东省总工会关于基层工会经费收支管理的规定（试行）（文件名称待核实）",
		Issuer:     "广东省总工会",
		Confidence: ConfidenceSecondary,
	}, nuanxin.Date{}, caps{
		wedding: 1000, birth: 1000,
		retirement: 1000, death: 3000, relDeath: 1000,
	}, unconfirmedNote+"本标准为试行，节日、生日、住院慰问未列金额。"),
}

func yuan(n int64) nuanxin.Money { return nuanxin.Money(n * 100) }

// newPack builds a pack from the categories every province shares (the
// national list) and the province's amounts. Every rule cites the pack's
// document: the provinces restate the national categories with amounts.
func newPack(code, name, province string, src nuanxin.PolicySource, from nuanxin.Date, c caps, notes string) *nuanxin.PolicyPack {
	gift := []nuanxin.CareForm{nuanxin.FormGoods}
	if c.namedVouchers {
		gift = []nuanxin.CareForm{nuanxin.FormGoods, nuanxin.FormVoucher}
	}
	money := []nuanxin.CareForm{nuanxin.FormCash, nuanxin.FormGoods}
	voucherNote := ""
	if c.namedVouchers {
		voucherNote = "提货券须为指定商店、指定商品，不得为通用代金券"
	}
	rule := func(cat nuanxin.CareCategory, capYuan int64, f nuanxin.Frequency, forms []nuanxin.CareForm, note string) nuanxin.PolicyRule {
		return nuanxin.PolicyRule{
			Category: cat, Cap: yuan(capYuan), Frequency: f,
			Forms: slices.Clone(forms), Source: src, Note: note,
		}
	}
	illness := rule(nuanxin.CareIllness, c.illness, nuanxin.FreqNaturalYear, money, "")
	illness.SurgeryCap = yuan(c.illnessSurgery)
	relDeath := rule(nuanxin.CareRelativeDeath, c.relDeath, nuanxin.FreqPerEvent, money, "直系亲属限配偶、父母、子女")
	relDeath.ForRelative = true
	relDeath.Relations = []nuanxin.Relation{nuanxin.RelSpouse, nuanxin.RelParent, nuanxin.RelChild}

	// The holiday rule's Cap mirrors the yearly total (see HolidayLimits):
	// one figure, shown the same way as every other category's cap.
	holiday := rule(nuanxin.CareHoliday, c.holidayYear, nuanxin.FreqAny, gift, voucherNote)
	p := &nuanxin.PolicyPack{
		Code: code, Version: 1, Name: name, Province: province,
		Issuer: src.Issuer, DocNo: src.DocNo, Source: src, EffectiveFrom: from,
		Rules: []nuanxin.PolicyRule{
			rule(nuanxin.CareBirthday, c.birthday, nuanxin.FreqBirthdayMonth,
				[]nuanxin.CareForm{nuanxin.FormGoods, nuanxin.FormVoucher}, "生日蛋糕等实物，或指定蛋糕店的蛋糕券"),
			rule(nuanxin.CareWedding, c.wedding, nuanxin.FreqPerEvent, gift, voucherNote),
			rule(nuanxin.CareBirth, c.birth, nuanxin.FreqPerEvent, gift, voucherNote),
			illness,
			rule(nuanxin.CareRetirement, c.retirement, nuanxin.FreqOnce, []nuanxin.CareForm{nuanxin.FormGoods}, "退休离岗纪念品"),
			rule(nuanxin.CareDeath, c.death, nuanxin.FreqOnce, money, ""),
			relDeath,
			holiday,
			rule(nuanxin.CareHardship, 0, nuanxin.FreqAny, money, ""),
			// 其他: any form but 购物卡 (an empty Forms list), no cap.
			rule(nuanxin.CareOther, 0, nuanxin.FreqAny, nil, ""),
		},
		HolidayYearTotal: yuan(c.holidayYear),
		HolidaySource:    src,
		Notes:            notes,
	}
	if len(c.holidayCaps) > 0 {
		p.HolidayCaps = map[nuanxin.Holiday]nuanxin.Money{}
		for h, v := range c.holidayCaps {
			p.HolidayCaps[h] = yuan(v)
		}
	}
	return p
}

// Packs returns copies of the shipped packs, the national one first: a
// caller may change its copy without touching the shipped rules.
func Packs() []*nuanxin.PolicyPack {
	out := make([]*nuanxin.PolicyPack, len(shipped))
	for i, p := range shipped {
		out[i] = ClonePack(p)
	}
	return out
}

// Pack returns a copy of the shipped pack with code.
func Pack(code string) (*nuanxin.PolicyPack, bool) {
	for _, p := range shipped {
		if p.Code == code {
			return ClonePack(p), true
		}
	}
	return nil, false
}

// ClonePack is a deep copy of p (nil for nil).
func ClonePack(p *nuanxin.PolicyPack) *nuanxin.PolicyPack {
	if p == nil {
		return nil
	}
	c := *p
	c.Rules = cloneRules(p.Rules)
	c.HolidayCaps = maps.Clone(p.HolidayCaps)
	return &c
}

// CloneRule is a deep copy of r: its slices and map are its own.
func CloneRule(r nuanxin.PolicyRule) nuanxin.PolicyRule {
	r.Eligible = slices.Clone(r.Eligible)
	r.Relations = slices.Clone(r.Relations)
	r.Forms = slices.Clone(r.Forms)
	r.CategoryCaps = maps.Clone(r.CategoryCaps)
	return r
}

func cloneRules(rs []nuanxin.PolicyRule) []nuanxin.PolicyRule {
	if rs == nil {
		return nil
	}
	out := make([]nuanxin.PolicyRule, len(rs))
	for i, r := range rs {
		out[i] = CloneRule(r)
	}
	return out
}
