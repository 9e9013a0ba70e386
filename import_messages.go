package nuanxin

func init() {
	RegisterMessages(map[string]string{
		"import.column":            "%s列",
		"import.column_header":     "%s列（%s）",
		"import.row_error":         "第%d行：%s",
		"import.row_col_error":     "第%d行 %s：%s",
		"import.outcome.created":   "新增",
		"import.outcome.updated":   "更新",
		"import.outcome.unchanged": "无变化",
		"import.outcome.rejected":  "未导入",
		"import.summary":           "共%d行：新增%d人，更新%d人，无变化%d人，未导入%d行",
		"import.summary_dry":       "预检共%d行：将新增%d人，将更新%d人，无变化%d人，不能导入%d行（尚未写入任何数据）",
		"import.dup_in_file":       "与第%d行的身份证号码重复，同一人只能出现一次",
		"import.dup_empno_in_file": "与第%d行的工号重复",
		"import.transfer":          "此人是%s的会员，不能重复建档；如已调入本单位，请由原单位办理转出后在会员页面“接收转入”",
		"import.transfer_released": "此人已由原单位办理转出或退会，请在会员页面“接收转入”，不要重复导入",
		"import.transfer_hidden":   "此人已是其他工会组织的会员，不能重复建档；请联系上级工会办理转会",
		"import.empno_conflict":    "工号%s在本单位已属于%s（身份证号不同），请核对",
		"import.no_id_no_match":    "没有身份证号码，也没有按工号找到本单位的会员；新会员必须填写身份证号码",
		"import.org_unknown":       "所属工会“%s”不在%s之下，请填写下级工会的名称或代码",
		"import.org_closed":        "所属工会“%s”已撤销，不能导入会员",
		"import.card_taken":        "会员证号%s已被其他会员使用",
		"import.status_transition": "会籍状态不能从“%s”直接改为“%s”，请在会员页面办理会籍变动",
	})
}

func init() {
	RegisterMessages(map[string]string{
		"import.dup_card_in_file":           "与第%d行的会员证号重复",
		"import.new_status":                 "新会员的会籍状态只能是“在会”或“保留会籍”；已退会、转出或去世的人员不必导入",
		"import.event_note":                 "名册导入",
		"import.warning":                    "提示：%s",
		"import.other_org":                  "其他工会组织",
		"import.stale":                      "第%d行的会员在导入期间被他人修改，本次导入没有写入任何数据，请重新导入",
		"audit.action.member.import":        "导入新增会员",
		"audit.action.member.import_update": "导入更新会员",
	})
}

func init() {
	RegisterMessages(map[string]string{
		"member.export.unmasked_forbidden": "导出完整身份证号需要“查看完整身份证号”的权限",
	})
}

func init() {
	RegisterMessages(map[string]string{
		"import.masked_no_match":  "身份证号码是隐藏中间位的（如导出的名册），本单位没有姓名和号码都对得上的会员；新会员请填写完整的身份证号码",
		"import.masked_ambiguous": "身份证号码是隐藏中间位的，本单位有%d位同名且号码前后几位相同的会员，无法确定是哪一位；请填写完整的身份证号码",
	})
}

func init() {
	RegisterMessages(map[string]string{
		"import.same_member": "与第%d行是同一位会员，同一人只能出现一次",
	})
}
