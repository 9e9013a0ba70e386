package nuanxin

// zh-CN messages of the 身份证号 parser and the phone normaliser. The
// 统一社会信用代码 check uses org.credit_code.invalid from messages_zh.go.
func init() {
	RegisterMessages(map[string]string{
		"id.empty":               "请填写身份证号码",
		"id.length":              "身份证号码应为18位（第一代身份证为15位），现在是%d位，请核对是否漏填或多填了数字",
		"id.bad_char":            "身份证号码中有不应出现的字符“%s”：只能填写数字，18位号码的最后一位可以是X，请核对",
		"id.checksum":            "身份证号码校验不通过，很可能有数字输错或前后颠倒，请对照身份证逐位核对",
		"id.region":              "身份证号码前两位“%s”不是有效的省份代码，请核对号码开头",
		"id.birth":               "身份证号码中的出生日期“%s”不是有效日期，请核对号码中表示出生年月日的部分",
		"id.birth_future":        "身份证号码中的出生日期（%s）晚于今天，号码可能输错了，请核对",
		"id.birth_too_early":     "身份证号码中的出生日期（%s）早于1900年，号码可能输错了，请核对",
		"id.excel_scientific":    "身份证号码变成了科学计数法（如4.30102E+17）：表格把这一列当作数字存储，后面的数字已经丢失，无法恢复。请把该列单元格格式设为“文本”，再重新录入完整的18位号码",
		"id.excel_zeroed":        "身份证号码末尾几位变成了0：表格把这个单元格当作数字存储，只保留了前15位，后面的数字已经丢失。请把该列单元格格式设为“文本”，再重新录入完整的18位号码",
		"phone.empty":            "请填写电话号码",
		"phone.invalid":          "电话号码不正确：手机号应为11位、以1开头；固定电话请带区号，如0731-84567890",
		"phone.bad_char":         "电话号码中有不应出现的字符“%s”：请只填写数字，固定电话的区号和号码之间可以用“-”隔开",
		"phone.foreign":          "目前只能登记中国大陆的电话号码（可带+86），请核对国家或地区代码",
		"phone.mobile_length":    "手机号码应为11位，现在是%d位，请核对是否漏填或多填了数字",
		"phone.mobile_prefix":    "手机号码不能以“%s”开头：手机号以13～19开头，请核对",
		"phone.mobile_extension": "手机号码没有分机号，请只填写11位手机号码",
		"phone.no_area_code":     "固定电话请加上区号，如0731-84567890",
		"phone.area_code":        "固定电话的区号“%s”不正确：区号以0开头，北京、上海等为3位（如010、021），其他地区为4位（如0731），请核对",
		"phone.local":            "固定电话号码应为区号加7～8位号码，如0731-84567890，请核对",
		"phone.extension":        "分机号应为1～6位数字，如0731-84567890-123",
	})
}
