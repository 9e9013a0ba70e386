package nuanxin

// zh-CN messages of the figures, periods and saved 工作总结.
func init() {
	RegisterMessages(map[string]string{
		"what.summary": "工作总结",
		"stats.total":  "合计",

		"period.year":    "%d年",
		"period.half.1":  "%d年上半年",
		"period.half.2":  "%d年下半年",
		"period.month":   "%d年%d月",
		"period.span":    "%s至%s",
		"period.invalid": "统计期间“%s”无法识别：请写成 2026、2026上半年、2026-03，或“2026-01-01~2026-06-30”这样的起止日期（不超过十年）",

		"summary.title.empty":    "请填写标题",
		"summary.title.too_long": "标题不能超过%d个字",
		"summary.too_long":       "正文太长（不能超过%d段）",
		"summary.block.kind":     "第%d段的类型无法识别",
		"summary.stale":          "这份工作总结已被%s修改，请刷新后再改",
	})
}
