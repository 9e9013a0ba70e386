package roster

import "github.com/nuanxin/nuanxin"

// zh-CN messages of the 慰问登记表 reader and its template. The reader also
// uses the roster's messages where they say the same thing (dates, amounts,
// 身份证号, the example row).
func init() {
	nuanxin.RegisterMessages(map[string]string{
		"roster.care.field.category": "慰问类别",
		"roster.care.field.holiday":  "节日",
		"roster.care.field.date":     "慰问日期",
		"roster.care.field.amount":   "金额（元）",
		"roster.care.field.form":     "慰问形式",
		"roster.care.field.goods":    "物品",
		"roster.care.field.handler":  "经办人",

		"roster.care.header_not_found": "没有找到慰问登记表的表头：前10行中没有一行列名同时包含“姓名”和“金额”或“慰问类别”（以及日期等其他列名）。请确认选择了正确的工作表，或手动指定各列的内容",
		"roster.care.missing_columns":  "表头中缺少必需的列：%s。慰问登记表每一行都要有姓名、慰问类别、慰问日期和金额，请加上这些列（或在列对应中指定）后再导入",

		"roster.care.cell_error":        "单元格是公式错误“%s”，请改正公式或直接填写内容",
		"roster.care.category_required": "请填写慰问类别，如 生日、结婚、生育、住院、退休、去世、直系亲属去世、春节慰问、困难慰问",
		"roster.care.date_required":     "请填写慰问（发放）日期，如 2024-03-05",
		"roster.care.amount_required":   "请填写金额：慰问金填写发放的金额，实物填写物品的价值（元）",
		"roster.care.amount_zero":       "金额为0：请填写实际发放的金额，实物填写物品的价值（元）",
		"roster.care.holiday_invalid":   "节日“%s”不是%s之一，没有按它记录节日，请核对",
		"roster.care.holiday_mismatch":  "节日“%s”与慰问类别“%s”不一致，请核对",
		"roster.care.form_invalid":      "慰问形式“%s”无法识别，请填写以下之一：%s（也可写 现金、转账、蛋糕券、购物卡）；一条记录只能是一种形式",
		"roster.care.form_inferred":     "未填写慰问形式，已按“%s”导入，请核对",

		"roster.care.template.sheet":      "慰问登记表",
		"roster.care.template.title":      "慰问记录导入模板",
		"roster.care.template.example":    "示例行，导入前请删除",
		"roster.care.template.handler":    "李四",
		"roster.care.template.note.name":  "必填。受慰问会员的姓名。",
		"roster.care.template.note.id":    "选填，建议填写。18位居民身份证号码，按它找到会员；不填时按姓名在本单位查找（须不重名）。",
		"roster.care.template.note.cat":   "必填。可从下拉列表选择，也可填写本单位慰问标准中自定义的类别（如 家属住院）。",
		"roster.care.template.note.date":  "必填。慰问或发放的日期。",
		"roster.care.template.note.amt":   "必填。慰问金填写金额，实物填写物品价值，单位为元。",
		"roster.care.template.dv.cat":     "请从下拉列表选择慰问类别，或填写本单位自定义的类别",
		"roster.care.template.dv.form":    "请从下拉列表选择慰问形式",
		"roster.care.template.dv.holiday": "请从下拉列表选择节日",

		"roster.care.template.field.name":      "受慰问会员的真实姓名",
		"roster.care.template.field.id_number": "18位居民身份证号码，末位可为X；按它找到会员。不填时按姓名在导入的工会内查找，重名的必须填写。本列已设为文本格式，请勿改为数字",
		"roster.care.template.field.category":  "填写 %s 之一，也可写 生日慰问、新婚、生小孩、慰问病人、丧葬、父亲去世、春节慰问、送温暖 等常见写法；本单位慰问标准中自定义的类别（如 家属住院）照写",
		"roster.care.template.field.holiday":   "节日慰问填写 %s 之一；也可以直接在慰问类别中写“春节慰问”",
		"roster.care.template.field.date":      "慰问或发放的日期",
		"roster.care.template.field.amount":    "慰问金填写发放金额，实物、购物卡等填写价值，单位为元，可精确到分",
		"roster.care.template.field.form":      "填写 %s 之一；不填时住院、去世、困难慰问按慰问金，其他按实物导入，并给出提示",
		"roster.care.template.field.goods":     "实物的名称和数量，如 水果一篮、牛奶两箱",
		"roster.care.template.field.handler":   "经办（发放）人姓名",
		"roster.care.template.field.notes":     "其他需要说明的情况",

		"roster.care.template.rule.1": "第1行为表头，请勿修改表头文字；带*的列为必填，其余列可以删除，列的顺序可以调整。",
		"roster.care.template.rule.2": "第2行（张三）为示例，导入前请删除。",
		"roster.care.template.rule.3": "每一行是一次已经发放的慰问，导入后记为“已发放”；超出慰问标准的记录照常导入，并标注提示。",
		"roster.care.template.rule.4": "重复导入同一文件不会重复登记：同一会员、类别、日期、金额和形式的记录视为同一条。",
		"roster.care.template.rule.5": "导入前系统会先检查全部行并列出问题；有问题的行可以下载，改正后重新导入。",
	})
}
