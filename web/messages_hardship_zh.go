package web

import "github.com/nuanxin/nuanxin"

// zh-CN strings of the 困难职工档案 pages (hardship.go): the member page's
// card, the 建档/结档 forms, the list, and the campaign form's criterion.
// The domain's labels and errors (hardship.*) are in the root catalog.
func init() {
	nuanxin.RegisterMessages(map[string]string{
		"ui.hardship.nav":          "困难职工",
		"ui.hardship.title":        "困难职工档案",
		"ui.hardship.total":        "共%d份",
		"ui.hardship.none":         "暂无困难职工档案",
		"ui.hardship.list_none":    "还没有困难职工档案。在会员页面可以为困难职工建档。",
		"ui.hardship.f.tier":       "困难类别",
		"ui.hardship.f.year":       "建档年度",
		"ui.hardship.f.basis":      "认定依据",
		"ui.hardship.f.status":     "状态",
		"ui.hardship.f.by":         "建档人",
		"ui.hardship.f.member":     "会员",
		"ui.hardship.f.org":        "所在单位",
		"ui.hardship.f.closed_on":  "结档日期",
		"ui.hardship.f.close_note": "解困/脱困情况",
		"ui.hardship.basis_ph":     "家庭人均月收入、刚性支出、致困原因等",
		"ui.hardship.active":       "在档",
		"ui.hardship.closed":       "已结档",
		"ui.hardship.closed_on":    "%s结档",
		"ui.hardship.register":     "建档",
		"ui.hardship.new":          "困难职工建档",
		"ui.hardship.close":        "结档",
		"ui.hardship.close_submit": "确认结档",
		"ui.hardship.view":         "查看会员",

		"ui.flash.hardship_registered": "困难职工档案已建立",
		"ui.flash.hardship_closed":     "困难职工档案已结档",

		"ui.campaign.f.hardship":           "困难职工档案",
		"ui.campaign.hardship_help":        "勾选后只选有本年度在档困难职工档案的会员；不选表示不限",
		"ui.campaign.hardship_help_warmth": "按本年度在档的困难职工档案选人",
		"ui.campaign.crit.hardship":        "困难职工档案：%s",
	})
}
