package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// The org tree of the fictitious 华夏能源集团: a 集团工会 with subsidiaries
// (基层工会), their 车间/部门 (分工会) and shift or crew groups (工会小组).

const (
	groupName = "华夏能源集团有限公司工会委员会"
	groupCode = "HX"
	// groupRegion is the 行政区划 in the union's credit code (长沙市岳麓区).
	groupRegion = "430104"
)

// unitTpl is a department with its posts.
type unitTpl struct {
	dept  string
	posts []string // weighted by repetition
}

// branchTpl is a 分工会 of a subsidiary.
type branchTpl struct {
	name   string
	weight uint32 // share of the subsidiary's members
	units  []unitTpl
	teams  []string // 工会小组
}

// baseKind is a kind of subsidiary: its work branches, most important
// first. Every subsidiary also has 机关分工会 and 离退休职工分工会.
type baseKind struct {
	key    string
	work   []*branchTpl
	tech   bool // staff mostly graduates
	weight uint32
}

func unit(dept, posts string) unitTpl { return unitTpl{dept: dept, posts: words(posts)} }

func br(name string, weight uint32, u unitTpl, teams ...string) *branchTpl {
	return &branchTpl{name: name, weight: weight, units: []unitTpl{u}, teams: teams}
}

var officeBranch = &branchTpl{name: "机关分工会", weight: 6, units: []unitTpl{
	unit("办公室", "主任 副主任 文秘*2 档案管理员 行政专员*2"),
	unit("人力资源部", "主任 薪酬专员*2 培训专员 人事专员*2"),
	unit("财务部", "主任 会计*3 出纳 预算专员"),
	unit("党群工作部", "主任 党建专员*2 宣传专员 工会干事*2 团委干事"),
	unit("计划经营部", "主任 计划专员*2 合同管理员 统计员"),
	unit("安全环保部", "主任 安全管理员*2 环保专员"),
	unit("纪委办公室", "主任 纪检干事*2"),
}}

var retireeBranch = &branchTpl{name: "离退休职工分工会", units: []unitTpl{{dept: "离退休职工管理中心"}}}

var baseKinds = map[string]*baseKind{
	"plant": {key: "plant", weight: 10, work: []*branchTpl{
		br("运行部分工会", 10, unit("运行部", "值长 单元长*2 主值班员*4 副值班员*5 巡检员*5 运行专工"),
			"运行一值工会小组", "运行二值工会小组", "运行三值工会小组", "运行四值工会小组", "运行五值工会小组"),
		br("检修一车间分工会", 6, unit("检修一车间", "车间主任 技术员*2 锅炉检修工*5 汽机检修工*5 班长*2"),
			"锅炉班工会小组", "汽机班工会小组"),
		br("燃料部分工会", 5, unit("燃料部", "燃料值班员*4 输煤值班员*4 采制样员*2 燃料管理员 斗轮机司机*2")),
		br("检修二车间分工会", 5, unit("检修二车间", "车间主任 电气检修工*5 热工仪表检修工*4 继电保护工*2 班长*2 技术员")),
		br("化学车间分工会", 3, unit("化学车间", "化学运行值班员*4 化验员*3 水处理值班员*3 技术员")),
		br("设备管理部分工会", 3, unit("设备管理部", "锅炉专工 汽机专工 电气专工 热控专工 点检员*3")),
		br("安全监察部分工会", 2, unit("安全监察部", "安全员*3 安全专工*2 消防专责")),
		br("后勤服务中心分工会", 2, unit("后勤服务中心", "厨师*2 食堂管理员 驾驶员*2 宿舍管理员 保洁员")),
	}},
	"maintenance": {key: "maintenance", weight: 11, work: []*branchTpl{
		br("电气检修车间分工会", 6, unit("电气检修车间", "车间主任 技术员*2 电气检修工*6 继电保护工*3 班长*2"),
			"一次班工会小组", "二次班工会小组", "继保班工会小组"),
		br("锅炉检修车间分工会", 6, unit("锅炉检修车间", "车间主任 技术员*2 锅炉检修工*6 焊工*3 起重工*2 班长*2")),
		br("汽机检修车间分工会", 6, unit("汽机检修车间", "车间主任 技术员*2 汽机检修工*6 钳工*3 班长*2")),
		br("热控检修车间分工会", 4, unit("热控检修车间", "车间主任 技术员 热工仪表检修工*5 班长")),
		br("金属试验所分工会", 2, unit("金属试验所", "所长 金属检验员*3 无损检测员*3")),
		br("项目管理部分工会", 2, unit("项目管理部", "项目经理*2 项目专工*3 造价员*2")),
	}},
	"materials": {key: "materials", weight: 5, work: []*branchTpl{
		br("仓储配送中心分工会", 6, unit("仓储配送中心", "主任 仓库管理员*4 配送员*4 叉车司机*2 班长"),
			"一号库工会小组", "二号库工会小组", "配送班工会小组"),
		br("采购中心分工会", 4, unit("采购中心", "主任 采购员*5 合同专员*2")),
		br("质量检验中心分工会", 2, unit("质量检验中心", "主任 质检员*4")),
		br("招标中心分工会", 2, unit("招标中心", "主任 招标专员*3 评审专员")),
	}},
	"tech": {key: "tech", weight: 4, tech: true, work: []*branchTpl{
		br("研发中心分工会", 6, unit("研发中心", "主任 研发工程师*6 高级工程师*2 测试工程师*2")),
		br("软件开发部分工会", 5, unit("软件开发部", "经理 软件工程师*6 前端工程师*2 测试工程师*2")),
		br("智慧能源事业部分工会", 4, unit("智慧能源事业部", "经理 项目经理*2 实施工程师*4 售前工程师")),
		br("数据中心分工会", 3, unit("数据中心", "主任 运维工程师*4 网络工程师*2 信息安全工程师")),
		br("市场营销部分工会", 2, unit("市场营销部", "经理 客户经理*4 商务专员*2")),
	}},
	"newenergy": {key: "newenergy", weight: 6, work: []*branchTpl{
		br("风电运维部分工会", 6, unit("风电运维部", "场长 风机运维工*6 值班员*3 安全员"),
			"风电运维一班工会小组", "风电运维二班工会小组"),
		br("光伏运维部分工会", 4, unit("光伏运维部", "站长 光伏运维工*5 值班员*2")),
		br("集控中心分工会", 3, unit("集控中心", "主任 集控值班员*5 调度员*2")),
		br("工程管理部分工会", 2, unit("工程管理部", "经理 项目专工*3 造价员")),
	}},
	"coal": {key: "coal", weight: 16, work: []*branchTpl{
		br("综采一队分工会", 6, unit("综采一队", "队长 副队长 采煤机司机*4 支架工*6 电钳工*3 班长*2"),
			"综采一队一班工会小组", "综采一队二班工会小组", "综采一队三班工会小组"),
		br("掘进一队分工会", 5, unit("掘进一队", "队长 副队长 掘进机司机*4 锚杆工*5 电钳工*2 班长*2")),
		br("机电队分工会", 4, unit("机电队", "队长 电钳工*5 绞车司机*2 水泵司机*2")),
		br("综采二队分工会", 5, unit("综采二队", "队长 副队长 采煤机司机*4 支架工*6 电钳工*3 班长*2")),
		br("通风队分工会", 3, unit("通风队", "队长 瓦斯检查员*4 通风工*3 安全员")),
		br("运输队分工会", 3, unit("运输队", "队长 胶带输送机司机*4 信号工*2 把钩工*2")),
		br("选煤厂分工会", 4, unit("选煤厂", "厂长 选煤工*5 化验员*2 装车工*3")),
	}},
	"logistics": {key: "logistics", weight: 6, work: []*branchTpl{
		br("港口作业部分工会", 5, unit("港口作业部", "经理 装卸工*5 门机司机*3 理货员*2"),
			"装卸一班工会小组", "装卸二班工会小组"),
		br("汽车运输队分工会", 4, unit("汽车运输队", "队长 货车司机*6 调度员 维修工*2")),
		br("铁路运输部分工会", 4, unit("铁路运输部", "经理 机车司机*3 调车员*3 信号员*2")),
		br("调度中心分工会", 2, unit("调度中心", "主任 调度员*4 统计员")),
	}},
	"engineering": {key: "engineering", weight: 9, work: []*branchTpl{
		br("第一项目部分工会", 6, unit("第一项目部", "项目经理 技术负责人 施工员*3 安全员*2 质量员 电工*2 焊工*3 架子工*2")),
		br("安装工程部分工会", 5, unit("安装工程部", "经理 安装工*6 焊工*3 起重工*2 技术员*2")),
		br("土建工程部分工会", 4, unit("土建工程部", "经理 施工员*3 测量员*2 资料员 钢筋工*3")),
		br("第二项目部分工会", 5, unit("第二项目部", "项目经理 技术负责人 施工员*3 安全员*2 质量员 电工*2 焊工*3")),
		br("质量安全部分工会", 2, unit("质量安全部", "经理 安全员*3 质量员*2")),
	}},
}

// baseSpec is one subsidiary of the group, in the order they are added as
// the demo grows.
type baseSpec struct {
	company string // 公司名称; the union is 公司名称+工会委员会
	code    string
	kind    string
	region  string // 行政区划 for the credit code
	credit  bool   // carries a 统一社会信用代码
}

var baseSpecs = []baseSpec{
	{"华夏能源发电有限公司", "HX-FD", "plant", "430111", true},
	{"华夏能源检修有限公司", "HX-JX", "maintenance", "430104", true},
	{"华夏能源物资有限公司", "HX-WZ", "materials", "430105", false},
	{"华夏能源科技有限公司", "HX-KJ", "tech", "430104", true},
	{"华夏能源新能源有限公司", "HX-XNY", "newenergy", "430103", false},
	{"华夏能源煤业有限公司", "HX-MY", "coal", "431382", false},
	{"华夏能源物流有限公司", "HX-WL", "logistics", "430602", false},
	{"华夏能源工程建设有限公司", "HX-GC", "engineering", "430102", false},
	{"华夏能源湘潭发电有限公司", "HX-XT", "plant", "430304", true},
	{"华夏能源岳阳发电有限公司", "HX-YY", "plant", "430611", false},
	{"华夏能源株洲发电有限公司", "HX-ZZ", "plant", "430211", false},
	{"华夏能源常德发电有限公司", "HX-CD", "plant", "430703", false},
	{"华夏能源衡阳发电有限公司", "HX-HY", "plant", "430408", false},
	{"华夏能源益阳发电有限公司", "HX-YIY", "plant", "430903", false},
	{"华夏能源郴州发电有限公司", "HX-CZ", "plant", "431003", false},
	{"华夏能源邵阳发电有限公司", "HX-SY", "plant", "430511", false},
	{"华夏能源耒阳发电有限公司", "HX-LY", "plant", "430481", false},
	{"华夏能源石门发电有限公司", "HX-SM", "plant", "430726", false},
	{"华夏能源华容发电有限公司", "HX-HR", "plant", "430623", false},
	{"华夏能源娄底发电有限公司", "HX-LD", "plant", "431302", false},
	{"华夏能源怀化发电有限公司", "HX-HH", "plant", "431202", false},
	{"华夏能源永州发电有限公司", "HX-YZ", "plant", "431103", false},
	{"华夏能源张家界发电有限公司", "HX-ZJJ", "plant", "430802", false},
	{"华夏能源宁乡发电有限公司", "HX-NX", "plant", "430182", false},
}

// Size of the tree: about one 基层工会 per membersPerBase members and one
// 分工会 per membersPerBranch, within the bounds below. At 1,000,000 members
// the tree has 24 基层工会 and about 300 orgs in all.
const (
	membersPerBase   = 400
	membersPerBranch = 80
	minBases         = 2
	minBranches      = 3 // one work branch, 机关, 离退休
)

// branch is a 分工会 as created, with its groups.
type branch struct {
	org   *nuanxin.Org
	tpl   *branchTpl
	teams []*nuanxin.Org
	units int
}

// base is a 基层工会 as created.
type base struct {
	org      *nuanxin.Org
	spec     *baseSpec
	kind     *baseKind
	num      int // 1-based, the two digits after HX in card numbers
	work     []*branch
	workPick picker
	office   *branch
	retiree  *branch
	seq      int // members so far: employee and card numbers
}

type tree struct {
	root     *nuanxin.Org
	bases    []*base
	basePick picker
	orgs     int
}

// planSize returns the number of 基层工会 and 分工会 per 基层工会 for n members.
func planSize(n int) (bases, branches int) {
	bases = min(max((n+membersPerBase/2)/membersPerBase, minBases), len(baseSpecs))
	branches = max((n/bases+membersPerBranch/2)/membersPerBranch, minBranches)
	return bases, branches
}

// buildTree creates the orgs through the sink.
func buildTree(ctx context.Context, sink nuanxin.OrgService, s *nuanxin.Scope, members int, r *rand.Rand) (*tree, error) {
	t := &tree{}
	create := func(o *nuanxin.Org) error {
		if o.CreditCode != "" {
			if err := nuanxin.ValidateCreditCode(o.CreditCode); err != nil {
				return fmt.Errorf("demo: generated credit code %s for %s: %w", o.CreditCode, o.Name, err)
			}
		}
		if err := sink.CreateOrg(ctx, s, o); err != nil {
			return fmt.Errorf("demo: create org %s: %w", o.Name, err)
		}
		t.orgs++
		return nil
	}

	t.root = &nuanxin.Org{Name: groupName, Kind: nuanxin.OrgGroup, Code: groupCode, CreditCode: unionCreditCode(groupRegion, r)}
	if err := create(t.root); err != nil {
		return nil, err
	}
	nBases, perBase := planSize(members)
	var baseWeights []uint32
	for i := range nBases {
		spec := &baseSpecs[i]
		kind := baseKinds[spec.kind]
		b := &base{spec: spec, kind: kind, num: i + 1}
		b.org = &nuanxin.Org{ParentID: t.root.ID, Name: spec.company + "工会委员会", Kind: nuanxin.OrgBase, Code: spec.code}
		if spec.credit {
			b.org.CreditCode = unionCreditCode(spec.region, r)
		}
		if err := create(b.org); err != nil {
			return nil, err
		}
		nWork := min(perBase-2, len(kind.work))
		tpls := append(append([]*branchTpl{}, kind.work[:nWork]...), officeBranch, retireeBranch)
		var ws []uint32
		for j, tpl := range tpls {
			o := &nuanxin.Org{ParentID: b.org.ID, Name: tpl.name, Kind: nuanxin.OrgBranch,
				Code: spec.code + "-" + twoDigits(j+1)}
			if err := create(o); err != nil {
				return nil, err
			}
			brn := &branch{org: o, tpl: tpl, units: len(tpl.units)}
			for k, name := range tpl.teams {
				to := &nuanxin.Org{ParentID: o.ID, Name: name, Kind: nuanxin.OrgTeam, Code: o.Code + "-" + twoDigits(k+1)}
				if err := create(to); err != nil {
					return nil, err
				}
				brn.teams = append(brn.teams, to)
			}
			switch tpl {
			case retireeBranch:
				b.retiree = brn
			case officeBranch:
				b.office = brn
				b.work = append(b.work, brn)
				ws = append(ws, tpl.weight)
			default:
				b.work = append(b.work, brn)
				ws = append(ws, tpl.weight)
			}
		}
		b.workPick = newPicker(ws)
		t.bases = append(t.bases, b)
		baseWeights = append(baseWeights, kind.weight)
	}
	t.basePick = newPicker(baseWeights)
	return t, nil
}

func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }

// 统一社会信用代码 (GB 32100-2015): 登记管理部门 8 (工会) and 机构类别 1
// (基层工会), the 6-digit 行政区划, a 9-character 组织机构代码 (GB 11714:
// eight characters and a check) and the check character over all of it.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func unionCreditCode(region string, r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("81")
	b.WriteString(region)
	body := make([]byte, 8)
	for i := range body {
		body[i] = byte('0' + r.IntN(10))
	}
	b.Write(body)
	b.WriteByte(orgCodeCheck(body))
	b.WriteByte(creditCheck(b.String()))
	return b.String()
}

// orgCodeCheck is the check character of a GB 11714 组织机构代码 over its
// first eight characters (digits here).
func orgCodeCheck(body []byte) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// creditCheck is the 18th character of a credit code over the first 17.
func creditCheck(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(creditAlphabet, first17[i]) * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c]
}
