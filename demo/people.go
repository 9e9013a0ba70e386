package demo

import (
	"errors"
	"math/rand/v2"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// Shares of the 人员类别, per thousand.
var (
	categories      = []nuanxin.Category{nuanxin.CategoryActive, nuanxin.CategoryRetired, nuanxin.CategoryLaidOff, nuanxin.CategoryDispatched, nuanxin.CategoryMigrant}
	categoryWeights = []uint32{780, 120, 30, 40, 30}
	// maleShare per category: an energy group employs more men.
	maleShare = map[nuanxin.Category]float64{
		nuanxin.CategoryActive: 0.64, nuanxin.CategoryRetired: 0.58, nuanxin.CategoryLaidOff: 0.5,
		nuanxin.CategoryDispatched: 0.55, nuanxin.CategoryMigrant: 0.85,
	}
	// statusWeights per category, over nuanxin.MemberStatuses (在会 保留会籍
	// 转出 退会 去世), per thousand.
	statusWeights = map[nuanxin.Category][]uint32{
		nuanxin.CategoryActive:     {982, 0, 10, 6, 2},
		nuanxin.CategoryRetired:    {940, 0, 5, 5, 50},
		nuanxin.CategoryLaidOff:    {180, 800, 0, 20, 0},
		nuanxin.CategoryDispatched: {940, 0, 30, 30, 0},
		nuanxin.CategoryMigrant:    {920, 0, 30, 50, 0},
	}
)

// nameStyle is how a person's name is formed.
type nameStyle uint8

const (
	styleHan nameStyle = iota
	styleUyghur
	styleTibetan
)

// list is a weighted vocabulary.
type list struct {
	items []string
	p     picker
}

func newList(s string) list {
	items, p := weighted(s)
	return list{items, p}
}

func (l list) pick(r *rand.Rand) string { return l.items[l.p.pick(r)] }

// gen is the member generator. It is not safe for concurrent use: one
// producer goroutine owns it.
type gen struct {
	r    *rand.Rand
	t    *tree
	d    *days
	ids  *idAlloc
	ar   arena
	regs []string
	// regionPick picks from regs; the regions of particular peoples follow
	// with weight 0 and are used by index.
	regionPick                        picker
	yanji, urumqi, lhasa, shenzhen    int
	surnames, ethnicities             list
	eduOld, eduMid, eduYoung, eduTech list
	eduMigrant, eduDispatched         list
	polYoung, polAdult, polLabor      list
	catPick                           picker
	statusPick                        map[nuanxin.Category]picker
	retireeDepts                      map[*base][]string
	n                                 int // members generated so far
	relatives                         int
	login                             *nuanxin.Member
	relSlab                           []nuanxin.Relative
	relPtrs                           []*nuanxin.Relative
	lastJoin                          int // day index of the last member's 入会
}

func newGen(seed int64, t *tree, today nuanxin.Date) *gen {
	g := &gen{
		r:             rand.New(rand.NewPCG(uint64(seed), 0x6e75616e78696e)), // "nuanxin"
		t:             t,
		d:             newDays(today),
		surnames:      newList(surnameList),
		ethnicities:   newList(ethnicityList),
		eduOld:        newList(eduOld),
		eduMid:        newList(eduMid),
		eduYoung:      newList(eduYoung),
		eduTech:       newList(eduTech),
		eduMigrant:    newList(eduMigrant),
		eduDispatched: newList(eduDispatched),
		polYoung:      newList(politicalYoung),
		polAdult:      newList(politicalAdult),
		polLabor:      newList(politicalLabor),
		catPick:       newPicker(categoryWeights),
		statusPick:    map[nuanxin.Category]picker{},
		retireeDepts:  map[*base][]string{},
	}
	var ws []uint32
	for _, f := range strings.Fields(regionList) {
		code, w := splitWeight(f)
		g.regs = append(g.regs, code)
		ws = append(ws, w)
	}
	index := func(code string) int {
		for i, c := range g.regs {
			if c == code {
				return i
			}
		}
		g.regs = append(g.regs, code)
		ws = append(ws, 0)
		return len(g.regs) - 1
	}
	g.yanji, g.urumqi, g.lhasa, g.shenzhen = index(regionYanji), index(regionUrumqi), index(regionLhasa), index(regionShenzhen)
	g.regionPick = newPicker(ws)
	g.ids = newIDAlloc(g.regs, len(g.d.t))
	for c, w := range statusWeights {
		g.statusPick[c] = newPicker(w)
	}
	for _, b := range t.bases {
		var depts []string
		for _, w := range b.work {
			for _, u := range w.tpl.units {
				depts = append(depts, u.dept)
			}
		}
		g.retireeDepts[b] = depts
	}
	return g
}

var errIDsExhausted = errors.New("demo: no fictitious 身份证号 left for a birth date; use fewer members")

// batch generates the next n records. Members and relatives are allocated
// in slabs, strings in the arena: a handful of allocations per batch
// instead of a dozen per record.
func (g *gen) batch(n int) ([]nuanxin.MemberRecord, error) {
	ms := make([]nuanxin.Member, n)
	recs := make([]nuanxin.MemberRecord, n)
	for i := range recs {
		m := &ms[i]
		recs[i].Member = m
		if err := g.member(m, &recs[i]); err != nil {
			return nil, err
		}
		g.n++
	}
	return recs, nil
}

const maxRelatives = 8

// relativeProbes bounds the regions tried for a relative's 身份证号: the
// number is optional, and leaving it out when a birth day is crowded keeps
// numbers free for members.
const relativeProbes = 8 // spouse, three children, two parents, two parents-in-law

func (g *gen) newRelative() *nuanxin.Relative {
	if len(g.relSlab) == cap(g.relSlab) {
		g.relSlab = make([]nuanxin.Relative, 0, 4096)
	}
	g.relSlab = g.relSlab[:len(g.relSlab)+1]
	rel := &g.relSlab[len(g.relSlab)-1]
	g.relPtrs = append(g.relPtrs, rel)
	g.relatives++
	return rel
}

// person is what relatives inherit from a member.
type person struct {
	surname string
	style   nameStyle
	region  int
	birth   int // day index
	male    bool
}

func (g *gen) member(m *nuanxin.Member, rec *nuanxin.MemberRecord) error {
	r := g.r
	cat := categories[g.catPick.pick(r)]
	male := r.Float64() < maleShare[cat]

	// Where: retired members mostly in 离退休职工分工会.
	b := g.t.bases[g.t.basePick.pick(r)]
	var brn *branch
	if cat == nuanxin.CategoryRetired && chance(r, 0.9) {
		brn = b.retiree
	} else {
		brn = b.work[b.workPick.pick(r)]
		if brn == b.office && (cat == nuanxin.CategoryDispatched || cat == nuanxin.CategoryMigrant) {
			brn = b.work[0] // contract labour works on the shop floor
		}
	}
	org := brn.org
	if len(brn.teams) > 0 && chance(r, 0.8) {
		org = brn.teams[r.IntN(len(brn.teams))]
	}
	m.OrgID, m.OrgPath, m.OrgName = org.ID, org.Path, org.Name
	m.Category = cat

	// Who.
	p := person{male: male, style: styleHan}
	if pos := g.n % specialEvery; pos%specialGap == 7 && pos/specialGap < len(specialSurnames) {
		p.surname = specialSurnames[pos/specialGap]
	} else {
		p.surname = g.surnames.pick(r)
	}
	m.Ethnicity = g.ethnicities.pick(r)
	p.region = g.regionPick.pick(r)
	switch {
	case p.surname == "朴":
		m.Ethnicity, p.region = "朝鲜族", g.yanji
	case p.surname == "区" && chance(r, 0.7):
		p.region = g.shenzhen
	case m.Ethnicity == "维吾尔族":
		p.style, p.region = styleUyghur, g.urumqi
	case m.Ethnicity == "藏族":
		p.style, p.region = styleTibetan, g.lhasa
	}
	// A member must have a 身份证号: when every region is used up on the
	// birth day, the nearest day with a free number is taken.
	want := g.d.today - g.ageDays(cat, male)
	for step := 0; ; step++ {
		birth := want + (step+1)/2*(1-2*(step&1)) // want, want-1, want+1, want-2 …
		if step > 2*365 {
			return errIDsExhausted
		}
		if birth < 0 || birth > g.d.today {
			continue
		}
		if reg, seq, ok := g.ids.take(p.region, birth, male, len(g.regs)); ok {
			p.region, p.birth = reg, birth
			m.IDNumber = g.ar.idNumber(g.regs[reg], &g.d.t[birth], seq)
			break
		}
	}
	birth := p.birth
	bd := g.d.t[birth].date
	m.BirthDate = bd
	m.Sex = nuanxin.Female
	if male {
		m.Sex = nuanxin.Male
	}
	m.Name = g.name(p.style, p.surname, male, bd.Year)
	age := bd.AgeOn(g.d.t[g.d.today].date)

	// Schooling, party, work.
	switch {
	case cat == nuanxin.CategoryMigrant:
		m.Education = g.eduMigrant.pick(r)
	case cat == nuanxin.CategoryDispatched:
		m.Education = g.eduDispatched.pick(r)
	case b.kind.tech && cat != nuanxin.CategoryRetired:
		m.Education = g.eduTech.pick(r)
	case bd.Year < 1970:
		m.Education = g.eduOld.pick(r)
	case bd.Year < 1990:
		m.Education = g.eduMid.pick(r)
	default:
		m.Education = g.eduYoung.pick(r)
	}
	switch {
	case cat == nuanxin.CategoryMigrant || cat == nuanxin.CategoryDispatched:
		m.Political = g.polLabor.pick(r)
		if m.Political == "共青团员" && age > 28 {
			m.Political = "群众"
		}
	case age <= 28:
		m.Political = g.polYoung.pick(r)
	default:
		m.Political = g.polAdult.pick(r)
	}
	g.work(m, b, brn, birth, cat)
	m.Status = nuanxin.MemberStatuses[g.statusPick[cat].pick(r)]
	g.lifeEvents(m, rec, birth, cat)
	g.numbers(m, b)
	g.phone(m, cat)
	if chance(r, 0.05) {
		if note := one(r, notePool); male || note != "退役军人" {
			m.Notes = note
		}
	}
	if g.login == nil && b == g.t.bases[0] && cat == nuanxin.CategoryActive && m.Status == nuanxin.StatusMember &&
		age >= 25 && age <= 50 && m.Phone != "" && p.style == styleHan {
		g.login = m
	}

	// Family.
	if len(g.relPtrs)+maxRelatives > cap(g.relPtrs) {
		g.relPtrs = make([]*nuanxin.Relative, 0, 4096)
	}
	start := len(g.relPtrs)
	g.family(p, age, cat)
	if n := len(g.relPtrs); n > start {
		rec.Relatives = g.relPtrs[start:n:n]
	}
	return nil
}

// ageDays draws an age, in days, fitting the category: 在岗 20–60 (women
// mostly under 55), 退休 60–80 (women from 55), 歇岗 40–58, 劳务派遣 20–50,
// 农民工 22–58.
func (g *gen) ageDays(cat nuanxin.Category, male bool) int {
	lo, hi := 20, 60
	switch cat {
	case nuanxin.CategoryActive:
		if !male {
			hi = 55
		}
	case nuanxin.CategoryRetired:
		lo, hi = 60, 80
		if !male {
			lo = 55
		}
	case nuanxin.CategoryLaidOff:
		lo, hi = 40, 58
	case nuanxin.CategoryDispatched:
		lo, hi = 20, 50
	case nuanxin.CategoryMigrant:
		lo, hi = 22, 58
	}
	min, max := spanDays(lo), spanDays(hi)-2
	u := g.r.Float64()
	if cat != nuanxin.CategoryRetired && chance(g.r, 0.5) {
		u = (u + g.r.Float64()) / 2 // more people in the middle years
	}
	return min + int(u*float64(max-min))
}

// work fills department, post, hire and 入会 dates.
func (g *gen) work(m *nuanxin.Member, b *base, brn *branch, birth int, cat nuanxin.Category) {
	r := g.r
	if brn == b.retiree {
		m.Department = one(r, g.retireeDepts[b])
	} else {
		u := &brn.tpl.units[r.IntN(brn.units)]
		m.Department = u.dept
		if (cat == nuanxin.CategoryDispatched || cat == nuanxin.CategoryMigrant) && chance(r, 0.7) {
			m.Post = one(r, auxPosts)
		} else if cat != nuanxin.CategoryRetired {
			m.Post = one(r, u.posts)
		}
	}
	today := g.d.today
	earliest := birth + spanDays(18) + 1
	var hire int
	switch cat {
	case nuanxin.CategoryDispatched, nuanxin.CategoryMigrant:
		hire = today - 30 - r.IntN(8*365)
	default:
		hire = birth + spanDays(hireAge[m.Education]) + r.IntN(3*365)
		if chance(r, 0.15) { // came from another employer
			hire += r.IntN(15 * 365)
		}
		if cat == nuanxin.CategoryRetired {
			hire = min(hire, birth+spanDays(45))
		}
	}
	if hire > today-30 {
		hire = today - 30 - r.IntN(300)
	}
	hire = max(hire, earliest)
	join := hire + min(15+r.IntN(400), today-hire)
	m.HireDate, m.JoinDate = g.d.t[hire].date, g.d.t[join].date
	g.lastJoin = join
}

// lifeEvents writes the history that explains a member's category and
// status: 退休 for the retired, then 保留会籍/转出/退会/去世 as the status
// says, each dated after the one before and not after today.
func (g *gen) lifeEvents(m *nuanxin.Member, rec *nuanxin.MemberRecord, birth int, cat nuanxin.Category) {
	r, today, last := g.r, g.d.today, g.lastJoin
	add := func(kind nuanxin.EventKind, day int, notes string) {
		day = min(max(day, last+1), today)
		last = day
		rec.Events = append(rec.Events, &nuanxin.MemberEvent{Kind: kind, Date: g.d.t[day].date, Notes: notes})
	}
	within := func(years int) int { // a day in the last `years` years, after the previous event
		lo := max(last+1, today-spanDays(years))
		if lo >= today {
			return today
		}
		return lo + r.IntN(today-lo+1)
	}
	if cat == nuanxin.CategoryRetired {
		age := 60
		if m.Sex == nuanxin.Female {
			age = 55
		}
		add(nuanxin.EventRetire, birth+spanDays(age), "")
	}
	switch m.Status {
	case nuanxin.StatusReserved:
		add(nuanxin.EventReserve, within(3), "歇岗期间保留会籍")
	case nuanxin.StatusTransferred:
		add(nuanxin.EventTransferOut, within(2), "调往系统外单位")
	case nuanxin.StatusWithdrawn:
		add(nuanxin.EventWithdraw, within(5), "本人申请")
	case nuanxin.StatusDeceased:
		add(nuanxin.EventDeath, within(3), "")
	}
}

// numbers fills the 工号 (unique within the 基层工会: six digits or more
// from 100001) and the 会员证号 (unique: HX, two digits of the 基层工会 and a
// six-digit sequence).
func (g *gen) numbers(m *nuanxin.Member, b *base) {
	b.seq++
	emp := 100000 + b.seq
	e := g.ar.take(numLen(emp))
	putDigits(e, emp)
	m.EmployeeNo = str(e)
	c := g.ar.take(10)
	copy(c, groupCode)
	putDigits(c[2:4], b.num)
	putDigits(c[4:10], b.seq)
	m.CardNo = str(c)
}

// phone fills a mobile for about nine in ten members; some retired members
// give their home landline. Numbers are random and not checked against real
// subscribers: demo data must never be used to send messages.
func (g *gen) phone(m *nuanxin.Member, cat nuanxin.Category) {
	r := g.r
	share := 0.91
	if cat == nuanxin.CategoryRetired {
		share = 0.85
	}
	if !chance(r, share) {
		return
	}
	if cat == nuanxin.CategoryRetired && chance(r, 0.2) {
		b := g.ar.take(13)
		copy(b, "0731-8")
		putDigits(b[6:], r.IntN(10_000_000))
		m.Phone = str(b)
		return
	}
	m.Phone = g.mobile()
}

func (g *gen) mobile() string {
	b := g.ar.take(11)
	copy(b, one(g.r, phonePrefixes))
	putDigits(b[3:], g.r.IntN(100_000_000))
	return str(b)
}

// era of a birth year for given names.
func era(year int) int {
	switch {
	case year < 1970:
		return 0
	case year < 1995:
		return 1
	}
	return 2
}

// name forms a name in a style.
func (g *gen) name(style nameStyle, surname string, male bool, year int) string {
	r := g.r
	switch style {
	case styleUyghur:
		given := one(r, uyghurFemale)
		if male {
			given = one(r, uyghurMale)
		}
		return g.ar.concat(given, "·"+one(r, uyghurFather))
	case styleTibetan:
		second := one(r, tibetanFem)
		if male {
			second = one(r, tibetanMale)
		}
		return g.ar.concat(one(r, tibetanFirst), second)
	}
	sex := 1
	if male {
		sex = 0
	}
	pool := &givenPools[era(year)][sex]
	if chance(r, pool.singleShare) {
		return g.ar.concat(surname, one(r, pool.single))
	}
	first, second := one(r, pool.first), one(r, pool.second)
	b := g.ar.take(len(surname) + len(first) + len(second))
	n := copy(b, surname)
	n += copy(b[n:], first)
	copy(b[n:], second)
	return str(b)
}

// family adds the spouse, children and parents of a member.
func (g *gen) family(p person, age int, cat nuanxin.Category) {
	r := g.r
	today := g.d.today

	// Spouse.
	married := 0.0
	switch {
	case age < 25:
		married = 0.05
	case age < 28:
		married = 0.3
	case age < 33:
		married = 0.68
	case cat == nuanxin.CategoryRetired:
		married = 0.82 // some are widowed
	default:
		married = 0.88
	}
	var spouse *person
	if chance(r, married) {
		gap := 2*365 + int(r.NormFloat64()*2*365) // husbands are a little older
		gap = min(max(gap, -3*365), 9*365)
		sp := person{male: !p.male, style: p.style, region: p.region}
		if p.style == styleHan {
			sp.region = g.regionPick.pick(r)
		}
		if p.male {
			sp.birth = p.birth + gap
		} else {
			sp.birth = p.birth - gap
		}
		sp.birth = min(max(sp.birth, 0), today-spanDays(20))
		if p.style == styleHan {
			sp.surname = g.surnames.pick(r)
		}
		g.relative(nuanxin.RelSpouse, &sp, 0.85, 0.6)
		spouse = &sp
	}

	// Children.
	hasKids := 0.0
	switch {
	case age < 24:
	case age < 30:
		hasKids = 0.25
	case age < 35:
		hasKids = 0.65
	default:
		hasKids = 0.88
	}
	if chance(r, hasKids) {
		year := g.d.t[p.birth].date.Year
		kids := 1
		switch x := r.Float64(); {
		case year < 1970:
			kids = 1 + b2i(x < 0.5) + b2i(x < 0.15)
		case year < 1980:
			kids = 1 + b2i(x < 0.2)
		default:
			kids = 1 + b2i(x < 0.35) + b2i(x < 0.03)
		}
		firstAge := 23 + r.IntN(10)
		if p.male {
			firstAge += 2
		}
		birth := p.birth + spanDays(firstAge) + r.IntN(365)
		surname := p.surname // the father's, in most families
		if spouse != nil && p.male == chance(r, 0.07) {
			surname = spouse.surname
		}
		for range kids {
			if birth > today {
				break
			}
			c := person{male: chance(r, 0.52), style: p.style, birth: birth, surname: surname}
			c.region = p.region
			if chance(r, 0.4) {
				c.region = g.regionPick.pick(r)
			}
			g.relative(nuanxin.RelChild, &c, 0.8, 0)
			birth += spanDays(2) + r.IntN(4*365)
		}
	}

	// Parents, while they are likely alive and the member still lists them.
	if age <= 55 && chance(r, 0.35) {
		g.parents(p, nuanxin.RelParent)
	}
	if spouse != nil && age <= 50 && chance(r, 0.08) {
		g.parents(*spouse, nuanxin.RelSpouseParent)
	}
}

func (g *gen) parents(child person, rel nuanxin.Relation) {
	r := g.r
	if chance(r, 0.8) {
		f := person{male: true, style: child.style, surname: child.surname, region: child.region,
			birth: child.birth - spanDays(24+r.IntN(11)) - r.IntN(365)}
		g.parent(rel, &f)
	}
	if chance(r, 0.9) {
		mo := person{style: child.style, region: child.region,
			birth: child.birth - spanDays(22+r.IntN(11)) - r.IntN(365)}
		if child.style == styleHan {
			mo.surname = g.surnames.pick(r)
		}
		g.parent(rel, &mo)
	}
}

func (g *gen) parent(rel nuanxin.Relation, p *person) {
	if p.birth < 0 || g.d.today-p.birth > spanDays(92) {
		return
	}
	g.relative(rel, p, 0.5, 0.25)
}

// relative adds a relative; withID and withPhone are the shares that have
// a 身份证号 and a phone on file (children get a phone only as adults).
func (g *gen) relative(rel nuanxin.Relation, p *person, withID, withPhone float64) {
	r := g.r
	x := g.newRelative()
	x.Relation = rel
	d := &g.d.t[p.birth]
	x.BirthDate = d.date
	x.Sex = nuanxin.Female
	if p.male {
		x.Sex = nuanxin.Male
	}
	x.Name = g.name(p.style, p.surname, p.male, d.date.Year)
	if chance(r, withID) {
		if reg, seq, ok := g.ids.take(p.region, p.birth, p.male, relativeProbes); ok {
			x.IDNumber = g.ar.idNumber(g.regs[reg], d, seq)
		}
	}
	age := d.date.AgeOn(g.d.t[g.d.today].date)
	if rel == nuanxin.RelChild {
		x.School = g.school(age)
		if age >= 18 {
			withPhone = 0.45
		}
	}
	if chance(r, withPhone) {
		x.Phone = g.mobile()
	}
}

// school of a child by age. A school leaver of 18 is waiting for the
// admission letter (待录取) or already admitted: the 金秋助学 case.
func (g *gen) school(age int) string {
	r := g.r
	switch {
	case age < 3:
		return ""
	case age < 6:
		return one(r, kinders)
	case age < 12:
		return one(r, primary)
	case age < 15:
		return one(r, midSchools)
	case age < 18:
		return one(r, highSchools)
	case age == 18:
		if chance(r, 0.4) {
			return awaitingAdmission
		}
		return one(r, universities)
	case age <= 22:
		if chance(r, 0.85) {
			return one(r, universities)
		}
	}
	return ""
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
