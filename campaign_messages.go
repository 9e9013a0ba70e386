package nuanxin

// zh-CN messages of 专项活动.
func init() {
	RegisterMessages(map[string]string{
		"what.campaign": "专项活动",

		"campaign.kind.warmth":      "送温暖",
		"campaign.kind.cooling":     "送清凉",
		"campaign.kind.holiday":     "节日慰问",
		"campaign.kind.student_aid": "金秋助学",
		"campaign.kind.other":       "其他专项活动",

		"campaign.status.draft":    "筹备中",
		"campaign.status.approved": "发放中",
		"campaign.status.closed":   "已结束",

		"delivery.delivered":   "已送达",
		"delivery.refused":     "拒收",
		"delivery.unreachable": "联系不上",

		"campaign.name":                  "请填写活动名称（最多60个字）",
		"campaign.kind":                  "请选择活动类型",
		"campaign.period":                "请填写活动起止日期（结束日期不早于开始日期）",
		"campaign.budget":                "请填写活动预算（大于0）",
		"campaign.goods":                 "第%d项物品：请填写名称、每人数量（大于0）和单价",
		"campaign.standard":              "请填写每人慰问金额或物品",
		"campaign.allotment":             "各单位预算分配有误：同一单位只能分配一次，金额和名额不能为负",
		"campaign.allotments_over":       "各单位分配合计%s元，超过活动总预算%s元",
		"campaign.allotment_org":         "“%s”不是本活动组织的下级单位，不能分配预算",
		"campaign.closed":                "该活动已结束，不能再修改",
		"campaign.standard_locked":       "名单已有%d人，不能再修改慰问标准或活动类型；如需调整，请先移出名单",
		"campaign.reason":                "请填写理由",
		"campaign.member_outside":        "该会员不在本活动范围内，或会籍状态不是在会/保留会籍，或已在名单中",
		"campaign.added_by_hand":         "手工增加：%s",
		"campaign.quota_full":            "%s名额%d人已满",
		"campaign.over_total":            "名单合计%[2]s元，超过活动预算%[1]s元，发放时将按预算控制",
		"campaign.over_allotment":        "%s名单合计%[3]s元，超过分配预算%[2]s元，发放时将按预算控制",
		"campaign.remove":                "移出名单",
		"campaign.removed":               "移出名单：%s",
		"campaign.own":                   "该活动由您筹备，名单须由另一位负责人审批",
		"campaign.nothing_to_approve":    "名单中没有待审批的人员，请先生成名单",
		"campaign.approved_step":         "专项活动“%s”名单审批通过",
		"campaign.not_approved":          "专项活动“%s”的名单尚未审批，不能发放",
		"campaign.budget_exceeded":       "超出预算：专项活动“%s”预算%s元，已发放%s元，还可发放%s元，本次%s元",
		"campaign.allotment_exceeded":    "超出分配预算：%s分配%s元，已发放%s元，还可发放%s元，本次%s元",
		"campaign.budget_below_spent":    "预算不能低于已发放金额%s元",
		"campaign.allotment_below_spent": "%s的分配预算不能低于已发放金额%s元",
		"campaign.outcome":               "请选择发放结果（已送达/拒收/联系不上）",
		"campaign.not_in":                "%s不在专项活动“%s”的名单中",
		"campaign.batch_title":           "%s（%s）",
		"campaign.qty":                   "请填写数量",
		"campaign.goods_unknown":         "“%s”不是本活动的慰问物品",
		"campaign.total":                 "合计",

		"audit.action.campaign.create":  "新建专项活动",
		"audit.action.campaign.update":  "修改专项活动",
		"audit.action.campaign.roster":  "生成活动名单",
		"audit.action.campaign.approve": "审批活动名单",
		"audit.action.campaign.close":   "结束专项活动",
		"audit.action.campaign.receive": "物品入库",
	})
}
