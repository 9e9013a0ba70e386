package demo

import (
	"strconv"
	"strings"
)

// The vocabulary the generator draws from. Weighted lists are written as
// "item*weight" separated by spaces; an item without a weight counts 1.

// surnames weighted per 10,000 people, after the 2020 census and the 公安部
// yearly name reports, nudged towards Hunan (易 谭 彭 曾 龙 向 贺 are common
// there). The 多音字 surnames and compound surnames that pinyin search must
// find under every reading are also placed on fixed positions (special
// below) so that even a 2,000-member demo carries each of them.
const surnameList = `王*712 李*700 张*674 刘*510 陈*461 杨*322 黄*245 赵*200 吴*198 周*191
徐*145 孙*138 马*129 朱*128 胡*116 郭*114 何*106 林*103 高*100 罗*94 郑*81 梁*79 谢*76
宋*71 唐*69 许*65 韩*64 冯*62 邓*62 曹*61 彭*70 曾*65 肖*56 田*53 董*51 袁*50 潘*50 于*49
蒋*48 蔡*47 余*46 杜*45 叶*44 程*43 苏*42 魏*41 吕*40 丁*39 任*38 沈*38 姚*37 卢*36
姜*35 崔*34 钟*33 谭*45 陆*31 汪*30 范*30 金*29 石*28 廖*27 贾*27 夏*26 韦*26 付*26
方*25 白*24 邹*24 孟*23 熊*23 秦*22 邱*22 江*21 尹*21 薛*20 闫*20 段*19 雷*19 侯*18
龙*24 史*17 陶*17 黎*16 贺*22 顾*15 毛*15 郝*14 龚*14 邵*14 万*13 钱*13 严*13 覃*12
武*12 戴*12 莫*11 孔*11 向*16 汤*10 易*18 文*12 常*9 左*6 柳*5 欧*5 聂*5 伍*6 颜*6 符*5
单*4 解*3 仇*2 区*1 查*2 朴*2 欧阳*3 司马*1 诸葛*1 上官*1`

// specialSurnames are given to fixed member positions in every block of 1,000
// (see specialEvery and specialGap): the 多音字 单 (Shàn) 解 (Xiè) 仇 (Qiú) 区 (Ōu) 查 (Zhā)
// 朴 (Piáo) 曾 (Zēng) and the compound surnames.
var specialSurnames = []string{"单", "解", "仇", "区", "查", "朴", "曾", "欧阳", "司马", "诸葛", "上官"}

const (
	specialEvery = 1000
	specialGap   = 90 // positions 7, 97, 187 … of each block
)

// Given names by era of birth and sex: first and second characters of
// two-character names, and one-character names.
type givenPool struct {
	first, second, single []string
	singleShare           float64
}

var givenPools = [3][2]givenPool{ // [era][0 male, 1 female]
	{ // born before 1970
		{
			first:       words("建 国 志 永 德 文 红 卫 振 学 金 玉 长 庆 新 明 光 春 东 海 家 世 立 克 保 云 宝 福 兴 树 胜 忠 跃 正 汉 俊"),
			second:      words("国 华 民 军 平 明 林 强 生 伟 东 成 兵 荣 辉 忠 良 山 发 祥 武 才 富 贵 权 友 全 义 宏 斌 中 清 安 文 祥 元"),
			single:      words("军 伟 强 平 勇 刚 明 斌 华 兵 林 峰 辉 杰 涛 健 东 波 毅 坚 彪 雄"),
			singleShare: 0.25,
		},
		{
			first:       words("秀 桂 玉 凤 美 丽 春 红 淑 翠 素 金 月 小 爱 建 雪 彩 冬 丽 菊 满 腊"),
			second:      words("英 兰 珍 芳 华 梅 琴 云 霞 萍 凤 莲 芬 红 娥 菊 玲 荣 香 清 娟 秀 花"),
			single:      words("英 芳 华 兰 梅 珍 红 琴 萍 霞 玲 燕 娟 莉 敏 静"),
			singleShare: 0.2,
		},
	},
	{ // 1970–1994
		{
			first:       words("志 俊 文 建 晓 海 国 永 明 小 振 德 家 宏 浩 鹏 子 天 嘉 伟 立 正 新 湘 卫 智 高 少"),
			second:      words("伟 强 军 磊 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 杰 峰 亮 龙 林 阳 勇 东 锋 彬 武 松 翔"),
			single:      words("伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 帅 旭 宁 龙 林 欢 阳 亮 锋 毅 兵"),
			singleShare: 0.35,
		},
		{
			first:       words("晓 丽 海 春 秀 雪 小 文 艳 静 佳 雅 美 慧 思 玉 婷 红 湘 丹 利 新 琼"),
			second:      words("丽 敏 静 艳 娟 霞 燕 玲 婷 雪 琳 慧 颖 倩 洁 梅 芳 娜 萍 红 华 英 莉 丹 蓉 君 平 群"),
			single:      words("芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 琳 慧 颖 倩 洁 丹 莉 蓉 娟 芬 璐 佳"),
			singleShare: 0.35,
		},
	},
	{ // 1995 and later
		{
			first:       words("子 浩 宇 俊 梓 博 一 天 嘉 明 思 泽 皓 家 铭 文 晨 雨 奕 锦 承 书 亦 沐"),
			second:      words("轩 宇 涵 睿 泽 浩 然 博 宸 杰 豪 辰 航 阳 鹏 凯 铭 鑫 昊 翔 源 晨 文 川 霖 琛 远"),
			single:      words("浩 宇 轩 睿 泽 然 博 杰 豪 辰 航 鑫 昊 翔 晨 阳 凯 煜 铭 哲 澈"),
			singleShare: 0.2,
		},
		{
			first:       words("欣 梓 雨 子 诗 可 思 佳 一 语 紫 若 馨 雅 梦 晓 心 依 书 沐 芷 艺"),
			second:      words("涵 怡 萱 琪 彤 妍 悦 琳 菲 然 欣 瑶 雯 婷 茜 蕾 璐 诺 宁 晴 桐 瑾"),
			single:      words("涵 怡 萱 琪 彤 妍 悦 琳 菲 瑶 雯 婷 蕾 璐 晴 佳 颖"),
			singleShare: 0.2,
		},
	},
}

// Names of 维吾尔族 and 藏族 members follow their own customs: a given name
// and the father's name joined by the middle dot, or two Tibetan names.
var (
	uyghurMale   = words("艾力 买买提 阿卜杜拉 吐尔逊 艾则孜 热合曼 努尔 阿迪力 伊力哈木 库尔班")
	uyghurFemale = words("古丽娜尔 阿依古丽 帕提古丽 热依拉 迪丽娜尔 阿孜古丽 米热 努尔古丽")
	uyghurFather = words("艾买提 吐尔洪 肉孜 买买提 阿不都 依明 热西提 玉素甫 克然木 艾山")
	tibetanFirst = words("扎西 次仁 格桑 多吉 旦增 洛桑 达瓦 平措 尼玛 索朗")
	tibetanMale  = words("多吉 次仁 旺堆 顿珠 罗布 平措 扎西 尼玛 群培")
	tibetanFem   = words("卓玛 央金 拉姆 曲珍 德吉 白珍 措姆 桑姆 普赤")
)

// regions are real 行政区划代码 of districts and counties. The demo union is
// headquartered in 长沙, so two thirds of its people were registered in Hunan.
// Weights per region.
const regionList = `
430102*3 430103*3 430104*3 430105*3 430111*3 430112*2 430121*2 430181*2 430182*2
430202*2 430203*2 430204*1 430211*1 430281*2
430302*2 430304*2 430321*1 430381*1 430382*1
430405*1 430406*1 430407*1 430408*1 430412*1 430421*1 430426*1 430481*1 430482*1
430502*1 430503*1 430511*1 430581*1
430602*2 430603*1 430611*1 430621*1 430623*1 430626*1 430681*1 430682*1
430702*1 430703*1 430721*1 430723*1 430725*1 430726*1 430781*1
430802*1 430811*1
430902*1 430903*1 430921*1 430922*1 430923*1 430981*1
431002*1 431003*1 431021*1 431081*1
431102*1 431103*1 431202*1 431281*1
431302*1 431321*1 431322*1 431381*1 431382*1 433101*1
110101*1 110102*1 110105*1 110108*1 120101*1 120104*1 130102*1 130104*1 140105*1
150102*1 210102*1 210202*1 220102*1 230102*1 310101*1 310104*1 310115*1 320102*1
320106*1 330102*1 330106*1 340104*1 350102*1 350203*1 360102*2 360103*2 370102*1
370202*1 410102*1 410105*1 420102*2 420106*2 420111*2 440103*2 440106*2 440304*2
440305*2 450103*1 460106*1 500103*2 500106*2 510104*2 510107*2 520102*2 530102*1
610103*1 620102*1 630102*1 640104*1`

// Regions reserved for names of particular peoples.
const (
	regionYanji    = "222401" // 延吉市, 朝鲜族 朴
	regionUrumqi   = "650102" // 乌鲁木齐市天山区
	regionLhasa    = "540102" // 拉萨市城关区
	regionShenzhen = "440304" // 福田区, 区 is a Cantonese surname
)

const ethnicityList = `汉族*9150 土家族*300 苗族*200 侗族*80 瑶族*50 回族*70 壮族*40 满族*50
蒙古族*30 白族*20 朝鲜族*10 彝族*10 藏族*6 维吾尔族*6`

// Education by era (born before 1970 / 1970–1989 / 1990 on) and for the
// groups whose schooling differs.
var (
	eduOld        = `初中*15 高中*25 技工学校*15 中等专科*20 大学专科*15 大学本科*9 硕士研究生*1`
	eduMid        = `初中*3 高中*10 技工学校*12 中等专科*15 大学专科*25 大学本科*30 硕士研究生*5`
	eduYoung      = `高中*4 技工学校*8 中等专科*6 大学专科*30 大学本科*42 硕士研究生*9 博士研究生*1`
	eduTech       = `大学专科*10 大学本科*58 硕士研究生*27 博士研究生*5`
	eduMigrant    = `小学*5 初中*50 高中*25 中等专科*10 技工学校*10`
	eduDispatched = `初中*10 高中*30 中等专科*20 大学专科*30 大学本科*10`
)

// Age at first employment by education.
var hireAge = map[string]int{
	"博士研究生": 29, "硕士研究生": 25, "大学本科": 22, "大学专科": 21, "中等专科": 19,
	"技工学校": 19, "高中": 19, "初中": 18, "小学": 18, "其他": 18,
}

var (
	politicalYoung = `共青团员*35 中共党员*12 中共预备党员*3 群众*50`
	politicalAdult = `中共党员*280 中共预备党员*5 群众*700 民盟盟员*2 民建会员*1 民进会员*1 农工党党员*2 九三学社社员*2 致公党党员*1 无党派人士*3`
	politicalLabor = `中共党员*5 共青团员*8 群众*87`
)

// Auxiliary posts of 劳务派遣 and 农民工 members.
var auxPosts = words("辅助工*4 保洁员*2 装卸工*2 驾驶员 保安员*2 厨师 绿化工 仓库搬运工 巡检辅助工*2")

var (
	universities = words(`湖南大学 中南大学 湖南师范大学 长沙理工大学 湘潭大学 湖南农业大学 中南林业科技大学
南华大学 湖南科技大学 吉首大学 湖南工业大学 长沙学院 湖南工程学院 华北电力大学 武汉大学 华中科技大学
国防科技大学 中山大学 西安交通大学 东南大学 浙江大学 重庆大学 三峡大学 长沙电力职业技术学院
湖南电气职业技术学院 湖南铁道职业技术学院 湖南工业职业技术学院`)
	highSchools = words("长沙市第一中学 湖南师范大学附属中学 长郡中学 雅礼中学 明德中学 湘潭市第一中学 岳阳市第一中学 株洲市第二中学 常德市第一中学 衡阳市第八中学")
	midSchools  = words("长沙市第十一中学 雅礼实验中学 长郡双语实验学校 南雅中学 湘潭市第四中学 岳阳市第十中学 株洲市南方中学")
	primary     = words("砂子塘小学 育才小学 实验小学 第一师范附属小学 博才小学 东方红小学 燕山小学 枫树山小学")
	kinders     = words("机关幼儿园 育英幼儿园 电力幼儿园 七色花幼儿园 金色童年幼儿园")
)

// School a child is at: 待录取 marks a school leaver waiting for the
// admission letter (the 金秋助学 case).
const awaitingAdmission = "待录取"

var phonePrefixes = words(`130*3 131*3 132*2 133*2 134*2 135*4 136*4 137*4 138*5 139*5 150*3 151*3 152*2
153*2 155*2 156*2 157*2 158*3 159*3 166*1 173*1 175*1 176*1 177*1 178*1 180*2 181*2 182*2 183*2
184*1 185*2 186*3 187*3 188*3 189*3 191*1 193*1 195*1 198*2 199*2`)

// Notes a few members carry.
var notePool = words("退役军人*30 市级劳动模范*3 省部级劳动模范*1 集团公司劳动模范*4 湖南省五一劳动奖章获得者*1 技术能手*3 首席技师*1")

// words splits a weighted list and repeats every item by its weight, so a
// uniform pick from the result is the weighted pick. Only for small weights.
func words(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		item, w := splitWeight(f)
		for range w {
			out = append(out, item)
		}
	}
	return out
}

func splitWeight(f string) (string, uint32) {
	item, ws, ok := strings.Cut(f, "*")
	if !ok {
		return f, 1
	}
	w, err := strconv.ParseUint(ws, 10, 32)
	if err != nil || w == 0 {
		panic("demo: bad weight in " + f)
	}
	return item, uint32(w)
}

// weighted parses a weighted list into items and a picker over them.
func weighted(s string) ([]string, picker) {
	var items []string
	var ws []uint32
	for _, f := range strings.Fields(s) {
		item, w := splitWeight(f)
		items = append(items, item)
		ws = append(ws, w)
	}
	return items, newPicker(ws)
}
