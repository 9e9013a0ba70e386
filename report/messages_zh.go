package report

import "github.com/nuanxin/nuanxin"

// zh-CN strings of the printed sheets. Every key starts with "report." so it
// cannot clash with the root ("care.", "head." …) or web ("ui.") catalogs.
func init() {
	nuanxin.RegisterMessages(map[string]string{
		// 签收表
		"report.signoff.suffix":        "签收表",
		"report.signoff.default_title": "%d年%d月慰问发放签收表",
		"report.signoff.ref":           "审批编号",
		"report.signoff.paid_on":       "发放日期",
		"report.signoff.method":        "发放方式",
		"report.signoff.head":          "支出科目",
		"report.signoff.clerk":         "经办人",
		"report.signoff.reviewer":      "审核人",
		"report.signoff.approver":      "审批人",
		"report.signoff.payer":         "发放人",
		"report.signoff.reason":        "%s（%s）",
		"report.signoff.holiday":       "%d年%s",

		"report.col.no":         "序号",
		"report.col.name":       "姓名",
		"report.col.department": "部门",
		"report.col.reason":     "慰问事由",
		"report.col.item":       "金额或物品",
		"report.col.signature":  "签收人签字",
		"report.col.date":       "日期",
		"report.col.category":   "慰问类别",
		"report.col.content":    "发放内容",
		"report.col.amount":     "金额（元）",

		"report.total":      "合计 %d 人，金额 ¥%s（大写：%s）",
		"report.page":       "第 %d 页 共 %d 页",
		"report.blank_date": "　　年　　月　　日",
		"report.colon":      "%s：%s",

		// 公示: the title, the standard wording and the generic categories
		// that stand in for the case's own (no illness, no hospital).
		"report.notice.title":        "关于%s发放情况的公示",
		"report.notice.subject":      "%d年%d月慰问",
		"report.notice.body":         "现将%s发放情况予以公示，公示期为%s至%s。如有异议，请于%s前向工会反映。",
		"report.notice.contact":      "异议受理：%s",
		"report.notice.cat.birthday": "生日慰问",
		"report.notice.cat.wedding":  "结婚慰问",
		"report.notice.cat.birth":    "生育慰问",
		"report.notice.cat.retire":   "退休慰问",
		"report.notice.cat.holiday":  "节日慰问",
		"report.notice.cat.hardship": "困难帮扶",
		"report.notice.cat.generic":  "慰问",
		"report.notice.form.cash":    "慰问金",
		"report.notice.form.goods":   "慰问品",
		"report.notice.form.voucher": "提货券",
		"report.notice.form.card":    "购物卡",
		"report.notice.form.generic": "慰问",

		"report.pdf.creator":     "暖心 工会关心关怀工作平台",
		"report.font.missing":    "没有找到可用于生成 PDF 的中文字体。请安装霞鹜文楷字体（apt-get install fonts-lxgw-wenkai），或设置环境变量 NUANXIN_PDF_FONT，指向一个 TrueType 中文字体文件（.ttf）",
		"report.font.env_bad":    "环境变量 NUANXIN_PDF_FONT 指定的字体“%s”不能使用：%s",
		"report.font.bad":        "字体“%s”不能用于生成 PDF：%s",
		"report.font.not_ttf":    "不是 TrueType 字体（PDF 需要含 glyf 字形表的 .ttf 文件；.ttc 字体集和 CFF 格式的 .otf 都不能使用）",
		"report.font.unreadable": "无法读取文件（%v）",
	})
}
