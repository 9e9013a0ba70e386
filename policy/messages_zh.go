package policy

import "github.com/nuanxin/nuanxin"

// zh-CN messages of the policy engine. The keys the store shares with the
// engine (policy.pack.unknown, policy.adopt.looser, policy.rule.*) are in
// the root package's care_messages.go; registering them again would panic.
func init() {
	nuanxin.RegisterMessages(map[string]string{
		"policy.cite": "（依据：%s）",

		// holidays
		"policy.holiday.unknown": "“%s”不是节日慰问的法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）",
		"policy.holiday.year":    "节日年度%d年超出支持范围（%d—%d年）",

		// findings of Check
		"policy.check.status":              "该会员的会籍状态为“%s”，只有在会或保留会籍的会员才能享受慰问",
		"policy.check.eligible":            "%s只适用于%s，该会员的人员类别为“%s”",
		"policy.check.relative_required":   "%s须选择涉及的家属",
		"policy.check.relation":            "%s只适用于会员的%s，所选家属是会员的%s",
		"policy.check.gift_cash":           "%s不得发放现金、购物卡、代金券，本次为“%s”；可用形式：%s",
		"policy.check.form":                "%s不能以“%s”形式发放；可用形式：%s",
		"policy.check.forms_any":           "除购物卡/代金券以外的形式",
		"policy.check.cap":                 "%s上限%s元，本次%s元，超出%s元",
		"policy.check.cap_variant":         "%s（%s）上限%s元，本次%s元，超出%s元",
		"policy.check.surgery":             "手术",
		"policy.check.no_cap":              "%s：“%s”未规定金额上限，请采用本省的慰问标准或由本单位规定金额",
		"policy.check.hospital_days":       "%s须住院满%d天，本次住院%d天",
		"policy.check.frequency_year":      "%s%s，%d年已有一次（事件日期%s，%s）",
		"policy.check.birthday_month":      "生日慰问每年一次，且须在生日当月发放；该会员生日在%d月，本次事件日期在%d月",
		"policy.check.birth_unknown":       "生日慰问须在生日当月发放，该会员未登记出生日期，无法核对",
		"policy.check.per_event":           "%s每次事件一次，同一事件（事件日期%s）已有一次（%s）",
		"policy.check.once":                "%s每人一次，已于%s有过一次（%s）",
		"policy.check.holiday_cap":         "%d年%s节日慰问每人不超过%s元，已发放或在办%s元，还可发放%s元，本次%s元",
		"policy.check.holiday_total":       "%d年节日慰问每人合计不超过%s元，已发放或在办%s元，还可发放%s元，本次%s元",
		"policy.check.holiday_date":        "%d年%s是%s，事件日期%s与之相差%d天，请核对节日和年度",
		"policy.check.holiday_again":       "该会员%d年%s节日慰问已有%d次（合计%s元），请确认不是重复登记",
		"policy.check.death_status":        "该会员的会籍状态为“%s”，请先在会籍变动中登记去世，再办理会员去世慰问",
		"policy.check.retirement_category": "该会员的人员类别为“%s”，不是退休；请先在会籍变动中登记退休，再办理退休慰问",
		"policy.check.unknown":             "未登记",

		// what a local rule or an adopted pack would loosen
		"policy.loosen.cap":                "%s上限%s元，不能放宽为%s元",
		"policy.loosen.cap_none":           "%s上限%s元，不能改为不设上限",
		"policy.loosen.category_cap":       "%s（%s）上限%s元，不能放宽为%s元",
		"policy.loosen.category_cap_none":  "%s（%s）上限%s元，不能改为不设上限",
		"policy.loosen.surgery_cap":        "%s（手术）上限%s元，不能放宽为%s元",
		"policy.loosen.surgery_cap_none":   "%s（手术）上限%s元，不能改为不设上限",
		"policy.loosen.form":               "%s不允许以“%s”形式发放，不能增加该形式",
		"policy.loosen.form_invalid":       "慰问形式“%s”无效",
		"policy.loosen.eligible":           "%s只适用于%s，不能扩大到%s",
		"policy.loosen.eligible_all":       "%s只适用于%s，不能扩大到全体会员",
		"policy.loosen.relation":           "%s只适用于会员的%s，不能扩大到%s",
		"policy.loosen.frequency":          "%s的发放频次为“%s”，不能放宽为“%s”",
		"policy.loosen.hospital_days":      "%s要求住院满%d天，不能降低为%d天",
		"policy.loosen.holiday_total":      "节日慰问每人每年合计上限%s元，不能放宽为%s元",
		"policy.loosen.holiday_total_none": "节日慰问每人每年合计上限%s元，不能改为不设上限",
		"policy.loosen.holiday_cap":        "%s节日慰问上限%s元，不能放宽为%s元",
		"policy.loosen.holiday_cap_none":   "%s节日慰问上限%s元，不能改为不设上限",
		"policy.loosen.new_category":       "上级标准中没有“%s”，不能增加该慰问类别",
		"policy.loosen.not_inherited":      "上级标准中没有“%s”类别；本单位新增的类别须作为自定义类别，写明名称和依据",
		"policy.loosen.card":               "%s不得以购物卡、代金券形式发放",
		"policy.loosen.layer":              "“%s”的慰问标准与上级标准不符：%s",
	})
}
