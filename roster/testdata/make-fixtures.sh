#!/usr/bin/env bash
# Builds the roster reader's fixtures with programs other than excelize:
# LibreOffice writes the xlsx files (from flat-ODS sources this script
# writes, for what CSV cannot express: merged title cells, several sheets
# one of them hidden, formulas with cached values, date-formatted numbers,
# 身份证号 stored as numbers, rich text), iconv writes the GB18030 and
# UTF-16 text files. The outputs are committed, so the tests need neither.
#
#   roster/testdata/make-fixtures.sh [care|roster]   (needs soffice and iconv)
#
# reader_test.go, header_test.go, members_test.go and care_test.go assert exact row
# numbers, fields, values and error columns of what is written here:
# change them together.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p fods

# ---------------------------------------------------------------------------
# 身份证号 with a correct check character (ISO 7064 MOD 11-2).
idcheck() {
  local s=$1 sum=0 i
  local w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
  for ((i = 0; i < 17; i++)); do sum=$((sum + ${s:i:1} * ${w[i]})); done
  local c="10X98765432"
  printf '%s' "${c:sum%11:1}"
}
mkid() { printf '%s%s' "$1$2$3" "$(idcheck "$1$2$3")"; }
# The first sequence from $3 up (step 2 keeps the sex) whose check is X.
mkidx() {
  local seq=$3 id
  while :; do
    id=$(mkid "$1" "$2" "$(printf '%03d' "$seq")")
    [[ ${id:17:1} == X ]] && { printf '%s' "$id"; return; }
    seq=$((seq + 2))
  done
}
fullwidth() { # ASCII digits → full-width digits
  local s=$1 out="" i c
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [0-9]) out+=$(printf "\\uFF1$c") ;; *) out+=$c ;; esac
  done
  printf '%s' "$out"
}

ID1=$(mkid 430102 19850315 301)     # 张三, male
ID2=$(mkid 430103 19900720 402)     # 李四, female (stored as a number)
ID3=$(mkidx 430104 19781102 311)    # 王五, male, ends in X (written as x)
ID4=$(mkid 430102 19920101 022)     # 赵六, female (spaces, full-width digits)
ID5=$(mkid 430102 19880707 512)     # 孙七, female (number, tail zeroed)
ID6=$(mkid 430105 19800101 131)     # 周八, male (the row says 女)
ID7=$(mkid 430111 19750618 215)     # 郑十, male
ID8=$(mkid 110101 19830505 123)     # 陈一, male
ID9=$(mkid 320106 19870909 248)     # 何四, female
ID10=$(mkid 430102 19550101 121)    # 退休 冯五, male
ID11=$(mkid 430102 19580808 222)    # 退休 卫六, female
ID12=$(mkid 440305 19950505 335)    # hidden sheet
ID5ZERO=${ID5:0:15}000
ID4SHOWN="$(fullwidth "${ID4:0:6}") ${ID4:6:8} $(fullwidth "${ID4:14:4}")"

# ---------------------------------------------------------------------------
# Flat ODS helpers. Cells: s text, n number, d STYLE date, e empty.
esc() { local v=${1//&/&amp;}; v=${v//</&lt;}; v=${v//>/&gt;}; printf '%s' "${v//\"/&quot;}"; }
s() { printf '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' "$(esc "$1")"; }
n() { printf '<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>' "$1" "$1"; }
d() { printf '<table:table-cell table:style-name="%s" office:value-type="date" office:date-value="%s"><text:p>%s</text:p></table:table-cell>' "$1" "$2" "$2"; }
e() { printf '<table:table-cell/>'; }
merged() { # merged TEXT over N columns
  printf '<table:table-cell office:value-type="string" table:number-columns-spanned="%s" table:number-rows-spanned="1"><text:p>%s</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="%s"/>' "$2" "$(esc "$1")" $(($2 - 1))
}
row() { printf '<table:table-row>'; printf '%s' "$@"; printf '</table:table-row>\n'; }
emptyrow() { printf '<table:table-row><table:table-cell table:number-columns-repeated="14"/></table:table-row>\n'; }

fods_head() {
  cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="N1" number:language="zh" number:country="CN"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>
  <number:date-style style:name="N2"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <number:date-style style:name="N3" number:language="zh" number:country="CN"><number:year number:style="long"/><number:text>/</number:text><number:month/><number:text>/</number:text><number:day/></number:date-style>
  <number:date-style style:name="N4"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text></number:date-style>
  <style:style style:name="cn" style:family="table-cell" style:data-style-name="N1"/>
  <style:style style:name="iso" style:family="table-cell" style:data-style-name="N2"/>
  <style:style style:name="zh" style:family="table-cell" style:data-style-name="N3"/>
  <style:style style:name="ym" style:family="table-cell" style:data-style-name="N4"/>
  <style:style style:name="shown" style:family="table"><style:table-properties table:display="true"/></style:style>
  <style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/></style:style>
  <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
EOF
}
fods_tail() { printf ' </office:spreadsheet></office:body>\n</office:document>\n'; }

# ---------------------------------------------------------------------------
# roster-title.xlsx: the roster as a union office keeps it. Title rows and
# merged cells above the header on row 3, header variants (spaces, a
# required *, hints in brackets, a line break), an unknown column, blank
# and 序号-only rows, formulas, dates as date-formatted numbers and as
# every kind of text, damaged 身份证号, footers.
{
  fods_head
  printf '<table:table table:name="会员花名册" table:style-name="shown">\n'
  row "$(merged 'XX公司工会会员花名册' 14)"
  row "$(merged '填报单位：XX公司工会（盖章）' 6)" "$(e)" "$(merged '填报日期：2024年3月5日' 7)"
  row "$(s 序号)" "$(s '姓 名')" "$(s '*身份证号码(必填)')" "$(s 性别)" "$(s '出生日期（格式：2024-01-01）')" \
    "$(s 民族)" "$(s 政治面貌)" "$(s 联系电话)" "$(s 所在部门)" "$(s '岗位(职务)')" "$(s 用工性质)" \
    '<table:table-cell office:value-type="string"><text:p>入会</text:p><text:p>时间</text:p></table:table-cell>' \
    "$(s 爱好)" "$(s 备注)"
  row "$(n 1)" "$(s 张三)" "$(s "$ID1")" "$(s 男)" "$(d iso 1985-03-15)" "$(s 汉族)" "$(s 中共党员)" \
    "$(n 13812345678)" "$(s 生产部)" "$(s 操作工)" "$(s 合同工)" "$(d cn 2010-07-01)" "$(s 篮球)" "$(e)"
  row "$(n 2)" '<table:table-cell office:value-type="string"><text:p>李<text:span text:style-name="B">四</text:span></text:p></table:table-cell>' \
    "$(n "$ID2")" "$(s 女)" "$(d iso 1990-07-20)" "$(s 汉族)" "$(s 群众)" "$(s '138 1234 5679')" "$(s 设备部)" \
    "$(s 技术员)" "$(s 在职)" "$(s 2012年5月)" "$(e)" "$(e)"
  row "$(n 3)" '<table:table-cell table:formula="of:=CONCATENATE(&quot;王&quot;;&quot;五&quot;)" office:value-type="string" office:string-value="王五"><text:p>王五</text:p></table:table-cell>' \
    "$(s "${ID3:0:17}x")" "$(s M)" "$(s 1978年11月2日)" "$(s 土家族)" "$(s 群众)" "$(s '+86 139 0000 1111')" \
    "$(s 质量部)" "$(s 质检员)" "$(s 劳务派遣)" "$(s 2015.3.1)" "$(e)" "$(e)"
  emptyrow
  row "$(n 4)"
  row "$(n 5)" "$(s 赵六)" "$(s "$ID4SHOWN")" "$(s F)" "$(s 1992/1/1)" "$(s 回族)" "$(s 共青团员)" \
    '<table:table-cell table:formula="of:=13700000000+1" office:value-type="float" office:value="13700000001"><text:p>13700000001</text:p></table:table-cell>' \
    "$(s 财务部)" "$(s 会计)" "$(s 正式工)" "$(s 20150301)" "$(e)" "$(s '调入，原单位XX厂')"
  row "$(n 6)" "$(s 孙七)" "$(n "$ID5ZERO")" "$(s 女)" "$(s '1988-07-07 0:00:00')" "$(s 汉族)" "$(s 群众)" \
    "$(n 15912345678)" "$(s 人力资源部)" "$(s 主管)" "$(s 退休)" "$(d iso 2008-08-08)" "$(e)" "$(e)"
  row "$(n 7)" "$(s 周八)" "$(s "$ID6")" "$(s 女)" "$(d iso 1980-01-01)" "$(s 汉族)" "$(s 群众)" \
    "$(s 12345)" "$(s 销售部)" "$(s 销售代表)" "$(s 实习生)" "$(s 2024-02-30)" "$(e)" "$(e)"
  row "$(n 8)" "$(s 吴九)" "$(e)" "$(s 男)" "$(e)" "$(s 汉族)" "$(e)" "$(e)" "$(s 销售部)"
  row "$(n 9)" "$(s 郑十)" "$(s "$ID7")" "$(s 男性)" "$(s 1975-06)" "$(s 汉族)" "$(s 群众)" "$(s 13800001111)" \
    "$(s 物流部)" "$(s 司机)" "$(s 在岗)" "$(d zh 2000-01-01)" "$(e)" "$(e)"
  emptyrow
  row "$(merged '合计：9人' 3)"
  row "$(s '制表人：张三')" "$(e)" "$(e)" "$(e)" "$(s '审核人：李四')"
  printf '</table:table>\n'
  fods_tail
} >fods/roster-title.fods

# ---------------------------------------------------------------------------
# roster-sheets.xlsx: several sheets. 说明 (no header), 旧名单 (hidden),
# 在职会员 (header on row 8 under notes, columns in an odd order, 工号),
# 退休会员 (header on row 1).
{
  fods_head
  printf '<table:table table:name="说明" table:style-name="shown">\n'
  row "$(s 填表说明)"
  row "$(s '1. 身份证号码一列请先设置为“文本”格式再录入。')"
  row "$(s '2. 在职会员与退休会员分别填写。')"
  printf '</table:table>\n'

  printf '<table:table table:name="旧名单" table:style-name="hidden">\n'
  row "$(s 姓名)" "$(s 身份证号)"
  row "$(s 老会员)" "$(s "$ID12")"
  printf '</table:table>\n'

  printf '<table:table table:name="在职会员" table:style-name="shown">\n'
  row "$(merged 'XX集团工会在职会员名册' 12)"
  row
  row "$(s '说明：本表由各分工会填报，请勿修改表头')"
  row
  row "$(s '注：带*为必填项')"
  row
  row "$(s '填报单位：一分厂工会')" "$(e)" "$(e)" "$(s '单位：人')"
  row "$(s 工号)" "$(s 会员姓名)" "$(s 手机号码)" "$(s 所属部门)" "$(s '＊公民身份号码')" "$(s 性别)" "$(s 出生年月)" \
    "$(s 参加工作时间)" "$(s 会籍状态)" "$(s 所属工会)" "$(s 会员证号)" "$(s 编号)"
  row "$(n 1001)" "$(s 陈一)" "$(n 13611112222)" "$(s 机关)" "$(s "$ID8")" "$(s 男)" "$(d ym 1983-05-05)" \
    "$(d zh 2005-07-01)" "$(s 在会)" "$(s 机关分工会)" "$(s HY001)" "$(n 1)"
  row "$(n 1002)" "$(s 林二)" "$(n 13622223333)" "$(s 一车间)" "$(e)" "$(s 女)" "$(e)" "$(e)" "$(s 保留会籍)" \
    "$(s 一车间分工会)" "$(e)" "$(n 2)"
  row "$(e)" "$(s 黄三)" "$(e)" "$(s 一车间)" "$(e)" "$(s 男)" "$(e)" "$(e)" "$(s 已故)" "$(s 一车间分工会)" "$(e)" "$(n 3)"
  row "$(n 1004)" "$(s 何四)" "$(s 1.3633334444E+10)" "$(s 二车间)" "$(s "$ID9")" "$(s 女)" "$(d ym 1987-09-09)" \
    "$(s 2010年9月1号)" "$(s 正常)" "$(s 二车间分工会)" "$(s HY004)" "$(n 4)"
  printf '</table:table>\n'

  printf '<table:table table:name="退休会员" table:style-name="shown">\n'
  row "$(s 姓名)" "$(s 身份证号码)" "$(s 性别)" "$(s 出生日期)" "$(s 人员类别)" "$(s 联系方式)" "$(s 备注)"
  row "$(s 冯五)" "$(s "$ID10")" "$(s 男)" "$(d cn 1955-01-01)" "$(s 退休)" "$(s '0731-84567890')" "$(s 老劳模)"
  row "$(s 卫六)" "$(s "$ID11")" "$(s 女)" "$(d cn 1958-08-08)" "$(s 离退休)" "$(s '(0731)8456 7891转12')" "$(e)"
  printf '</table:table>\n'
  fods_tail
} >fods/roster-sheets.fods

# ---------------------------------------------------------------------------
# Text files.

# GB18030, CRLF, a title row, damaged numbers as text, a blank record
# (",,,"), a last line without a line break.
{
  printf 'XX公司工会会员花名册,,,,,,\r\n'
  printf '序号,姓名,身份证号码,性别,出生日期,手机号码,人员类别\r\n'
  printf '1,张三,%s,男,1985-03-15,13812345678,在岗\r\n' "$ID1"
  printf '2,李四,4.30103E+17,女,1990/7/20,138-1234-5679,在职\r\n'
  printf '3,王五,%s,M,1978年11月2日,+86 13900001111,派遣工\r\n' "${ID3:0:17}x"
  printf ',,,,,,\r\n'
  printf '4,孙七,%s,F,19880707,1.38E+10,农民工\r\n' "$ID5ZERO"
  printf '5,"郑,十",%s,男,1975.6.18,13800001111,内退' "$ID7"
} | iconv -f UTF-8 -t GB18030 >roster-gb18030.csv

# UTF-8 with a BOM, LF, required markers in the header, a quoted note over
# two lines (the record's row number is its first line).
{
  printf '\xEF\xBB\xBF'
  printf '*姓名,*身份证号码,性别,出生日期,备注\n'
  printf '张三,%s,男,1985-03-15,"第一行\n第二行"\n' "$ID1"
  printf '李四,%s,女,1990-07-20,"含逗号,的备注"\n' "$ID2"
  printf '\n'
  printf '"王五",%s,男,1978-11-02,\n' "$ID3"
} >roster-bom.csv

# Semicolons (commas inside the values must not fool the detection).
{
  printf '姓名;身份证号码;手机号码;备注\n'
  printf '张三;%s;13812345678;慰问金1,200元\n' "$ID1"
  printf '李四;%s;13812345679;"分号;在引号里"\n' "$ID2"
} >roster-semicolon.csv

# Excel's "Unicode text": UTF-16LE with a BOM, tab-separated, CRLF.
{
  printf '姓名\t身份证号码\t性别\r\n'
  printf '张三\t%s\t男\r\n' "$ID1"
  printf '李四\t%s\t女\r\n' "$ID2"
} | iconv -f UTF-8 -t UTF-16 >roster-utf16.txt

# ---------------------------------------------------------------------------
# 慰问登记表 fixtures (care_test.go asserts them).

f() { # FORMULA VALUE: a number formula with the result it cached
  printf '<table:table-cell table:formula="of:=%s" office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>' "$(esc "$1")" "$2" "$2"
}
ferr() { # FORMULA: a formula whose result is an error
  printf '<table:table-cell table:formula="of:=%s" office:value-type="float"><text:p>#DIV/0!</text:p></table:table-cell>' "$(esc "$1")"
}
IDMASKED="${ID8:0:6}********${ID8:14:4}"

# care-title.xlsx: years of 慰问 as a union office keeps them. A 说明
# sheet first, the 登记表 with a merged title and its header on row 3
# (variants: 金额（元）, 发放形式, 慰问品, 经手人, a signature column),
# categories and forms as officers write them, dates as date cells and
# text, amounts as numbers, text, 壹仟元整 and formulas (LibreOffice caches
# 0.1*3*1000 as 300 where Excel writes 300.00000000000006; one is an
# error), damaged 身份证号, the header repeated as
# printed on each page, a 合计 row with its SUM and a 制表人 footer; a
# hidden sheet of the year before.
{
  fods_head
  printf '<table:table table:name="说明" table:style-name="shown">\n'
  row "$(s 填表说明)"
  row "$(s '1. 每次慰问填写一行，金额单位为元。')"
  printf '</table:table>\n'

  printf '<table:table table:name="慰问登记表" table:style-name="shown">\n'
  row "$(merged 'XX公司工会2024年慰问登记表' 11)"
  row "$(merged '填报单位：XX公司工会' 5)" "$(e)" "$(e)" "$(e)" "$(e)" "$(e)" "$(s '单位：元')"
  hdr=("$(s 序号)" "$(s 姓名)" "$(s 身份证号码)" "$(s 慰问类别)" "$(s 慰问日期)" "$(s 金额（元）)" "$(s 发放形式)" \
    "$(s 慰问品)" "$(s 经手人)" "$(s 备注)" "$(s 领取人签字)")
  row "${hdr[@]}"
  row "$(n 1)" "$(s 张三)" "$(s "$ID1")" "$(s 生日慰问)" "$(d iso 2024-03-15)" "$(n 200)" "$(s 实物)" "$(s 生日蛋糕)" "$(s 王会计)" "$(e)" "$(e)"
  row "$(n 2)" "$(s 李四)" "$(n "$ID2")" "$(s 新婚)" "$(s 2024年5月1日)" "$(f '300+200' 500)" "$(s 慰问金)" "$(e)" "$(s 王会计)" "$(e)" "$(e)"
  row "$(n 3)" "$(s 王五)" "$(s "${ID3:0:17}x")" "$(s '住院（手术）')" "$(s 2024/6/3)" "$(s '1,000.00元')" "$(e)" "$(e)" "$(e)" "$(s '手术，住院7天')" "$(e)"
  row "$(n 4)" "$(s 赵六)" "$(s "$ID4SHOWN")" "$(s 春节慰问)" "$(d cn 2024-02-05)" "$(n 300)" "$(s 购物卡)" "$(e)" "$(s 王会计)" "$(e)" "$(e)"
  emptyrow
  row "$(n 5)" "$(s 孙七)" "$(e)" "$(s 2025年春节)" "$(d zh 2025-01-20)" "$(s 壹仟元整)" "$(s 转账)" "$(e)" "$(e)" "$(e)" "$(e)"
  row "$(n 6)" "$(s 周八)" "$(s "$ID6")" "$(s 家属住院)" "$(s 2024-07)" "$(n 800)" "$(s 现金)" "$(e)" "$(e)" "$(e)" "$(e)"
  row "$(n 7)" "$(s 吴九)" "$(s "$ID7")" "$(e)" "$(d iso 2024-09-17)" "$(n 0)" "$(s 实物)" "$(s 水果一篮)" "$(e)" "$(e)" "$(e)"
  row "$(n 8)" "$(s 郑十)" "$(s "$IDMASKED")" "$(s 父亲去世)" "$(d iso 2024-10-08)" "$(f '0.1*3*1000' 300.00000000000006)" "$(s 慰问金)" "$(e)" "$(e)" "$(e)" "$(e)"
  row "${hdr[@]}"
  row "$(n 9)" "$(s 陈一)" "$(s "$ID8")" "$(s 困难)" "$(s 2024.12.20)" "$(n 2000)" "$(s 慰问金)" "$(e)" "$(s 王会计)" "$(s 送温暖)" "$(e)"
  row "$(n 10)" "$(s 何四)" "$(s "$ID9")" "$(s 中秋)" "$(d iso 2024-09-17)" "$(n 200)" "$(s 月饼券)" "$(s 月饼一盒)" "$(e)" "$(e)" "$(e)"
  row "$(n 11)" "$(s 冯五)" "$(s "$ID10")" "$(s 退休)" "$(d iso 2024-01-31)" "$(ferr '1/0')" "$(s 实物)" "$(e)" "$(e)" "$(e)" "$(e)"
  emptyrow
  row "$(s 合计)" "$(e)" "$(e)" "$(e)" "$(e)" "$(f 'SUM([.F4:.F17])' 6300)"
  row "$(s '制表人：张三')" "$(e)" "$(e)" "$(e)" "$(s '审核人：李四')"
  printf '</table:table>\n'

  printf '<table:table table:name="2023年" table:style-name="hidden">\n'
  row "$(s 姓名)" "$(s 身份证号)" "$(s 类别)" "$(s 日期)" "$(s 金额)"
  row "$(s 卫六)" "$(s "$ID11")" "$(s 生日)" "$(d iso 2023-08-08)" "$(n 200)"
  printf '</table:table>\n'
  fods_tail
} >fods/care-title.fods

# care-gb18030.csv: a 登记表 saved as CSV from WPS (GB18030, CRLF): header
# variants (慰问项目, 发放日期, 慰问金), a 节日 column, a 身份证号 Excel turned
# into 4.30103E+17, a bad date, a holiday that is not one of the seven,
# an amount with a thousands comma, a 合计 line.
{
  printf 'XX公司工会慰问发放登记表,,,,,,,\r\n'
  printf '姓名,身份证号,慰问项目,节日,发放日期,慰问金,慰问形式,经办人\r\n'
  printf '张三,%s,节日慰问,端午,2024-06-10,200,实物,王会计\r\n' "$ID1"
  printf '李四,4.30103E+17,生日,,2024-07-20,150,蛋糕券,王会计\r\n'
  printf '王五,,节日慰问,,2024-02-09,300,,\r\n'
  printf '赵六,%s,其他,,2024/13/01,100,实物,\r\n' "$ID4"
  printf '周八,%s,结婚,春节,20240210,"1,200",现金,\r\n' "$ID6"
  printf '孙七,%s,节日慰问,元宵,2024-02-24,100,实物,\r\n' "$ID5"
  printf '合计,,,,,1950,,\r\n'
} | iconv -f UTF-8 -t GB18030 >care-gb18030.csv

# ---------------------------------------------------------------------------
profile=$(mktemp -d /tmp/lo-profile-XXXXXX)
trap 'rm -rf "$profile"' EXIT
# "make-fixtures.sh care" converts only the care workbooks: LibreOffice
# writes different bytes on every run, and the roster ones need not change.
case ${1:-all} in
care) convert=(fods/care-title.fods) ;;
roster) convert=(fods/roster-title.fods fods/roster-sheets.fods) ;;
*) convert=(fods/roster-title.fods fods/roster-sheets.fods fods/care-title.fods) ;;
esac
for f in "${convert[@]}"; do
  soffice --headless "-env:UserInstallation=file://$profile" --convert-to xlsx --outdir . "$f" >/dev/null
done
ls -l roster-*.xlsx roster-*.csv roster-*.txt care-*.xlsx care-*.csv
