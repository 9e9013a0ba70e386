// Package pinyin makes the search and sort keys of Chinese names, on top of
// github.com/mozillazg/go-pinyin's dictionary.
//
// A name is searched by its full pinyin (zhangsan) or its initials (zs).
// Surnames are where readings go wrong: go-pinyin's default reading of 单 is
// dan, of 曾 ceng, of 解 jie, but as surnames they are mostly shan, zeng and
// xie. A curated surname table therefore wins for the first character (or
// the first two, for compound surnames such as 欧阳 and 万俟), and every
// reading used as a surname becomes a search key, so an officer who types
// danxiongxin still finds 单雄信. Given-name characters take go-pinyin's
// usual reading.
package pinyin

import (
	"strings"
	"unicode/utf8"

	gopinyin "github.com/mozillazg/go-pinyin"
)

// surnames lists the readings of single-character surnames whose surname
// reading differs from go-pinyin's default reading or which are read more
// than one way. The first reading is the usual one (Sort uses it).
var surnames = map[rune][]string{
	'单': {"shan", "dan"},
	'曾': {"zeng", "ceng"},
	'解': {"xie", "jie"},
	'仇': {"qiu", "chou"},
	'区': {"ou", "qu"},
	'查': {"zha", "cha"},
	'朴': {"piao", "pu"},
	'盖': {"ge", "gai"},
	'乐': {"yue", "le"},
	'缪': {"miao", "mou"},
	'翟': {"zhai", "di"},
	'尉': {"wei", "yu"},
	'华': {"hua"},
	'任': {"ren"},
	'员': {"yun", "yuan"},
	'覃': {"qin", "tan"},
	'种': {"chong", "zhong"},
	'召': {"shao", "zhao"},
	'薄': {"bo", "bao"},
	'卜': {"bu", "bo"},
	'阚': {"kan", "han"},
	'繁': {"po", "fan"},
	'折': {"she", "zhe"},
	'句': {"gou", "ju"},
	'秘': {"bi", "mi"},
	'隗': {"wei", "kui"},
	'佴': {"nai", "er"},
	'粘': {"nian", "zhan"},
	'藏': {"zang", "cang"},
	'都': {"du", "dou"},
	'能': {"nai", "neng"},
	'祭': {"zhai", "ji"},
	'角': {"jue", "jiao"},
	'牟': {"mou", "mu"},
	'郇': {"huan", "xun"},
	'费': {"fei", "bi"},
	'谌': {"chen", "shen"},
	'莘': {"shen", "xin"},
	'洗': {"xian", "xi"},
	'蕃': {"pi", "fan"},
	'柏': {"bai", "bo"},
	'长': {"chang", "zhang"},
}

// compoundSurnames are two-character surnames taken as one surname, with
// the syllables of their surname reading (ü written as such, like the
// dictionary, so that both lv and lu keys are made).
var compoundSurnames = map[[2]rune][]string{
	{'欧', '阳'}: {"ou", "yang"}, {'司', '马'}: {"si", "ma"}, {'诸', '葛'}: {"zhu", "ge"}, {'上', '官'}: {"shang", "guan"},
	{'皇', '甫'}: {"huang", "fu"}, {'万', '俟'}: {"mo", "qi"}, {'尉', '迟'}: {"yu", "chi"}, {'司', '徒'}: {"si", "tu"},
	{'东', '方'}: {"dong", "fang"}, {'独', '孤'}: {"du", "gu"}, {'南', '宫'}: {"nan", "gong"}, {'夏', '侯'}: {"xia", "hou"},
	{'令', '狐'}: {"ling", "hu"}, {'长', '孙'}: {"zhang", "sun"}, {'宇', '文'}: {"yu", "wen"}, {'慕', '容'}: {"mu", "rong"},
	{'公', '孙'}: {"gong", "sun"}, {'轩', '辕'}: {"xuan", "yuan"}, {'端', '木'}: {"duan", "mu"}, {'西', '门'}: {"xi", "men"},
	{'澹', '台'}: {"tan", "tai"}, {'公', '冶'}: {"gong", "ye"}, {'太', '史'}: {"tai", "shi"}, {'申', '屠'}: {"shen", "tu"},
	{'钟', '离'}: {"zhong", "li"}, {'闻', '人'}: {"wen", "ren"}, {'赫', '连'}: {"he", "lian"}, {'呼', '延'}: {"hu", "yan"},
	{'濮', '阳'}: {"pu", "yang"}, {'淳', '于'}: {"chun", "yu"}, {'百', '里'}: {"bai", "li"}, {'东', '郭'}: {"dong", "guo"},
	{'拓', '跋'}: {"tuo", "ba"}, {'司', '空'}: {"si", "kong"}, {'第', '五'}: {"di", "wu"}, {'乐', '正'}: {"yue", "zheng"},
	{'谷', '梁'}: {"gu", "liang"}, {'羊', '舌'}: {"yang", "she"}, {'梁', '丘'}: {"liang", "qiu"}, {'左', '丘'}: {"zuo", "qiu"},
	{'公', '西'}: {"gong", "xi"}, {'仲', '孙'}: {"zhong", "sun"}, {'巫', '马'}: {"wu", "ma"}, {'鲜', '于'}: {"xian", "yu"},
	{'闾', '丘'}: {"lü", "qiu"}, {'亓', '官'}: {"qi", "guan"}, {'司', '寇'}: {"si", "kou"}, {'颛', '孙'}: {"zhuan", "sun"},
	{'壤', '驷'}: {"rang", "si"}, {'公', '良'}: {"gong", "liang"}, {'漆', '雕'}: {"qi", "diao"}, {'宰', '父'}: {"zai", "fu"},
	{'夹', '谷'}: {"jia", "gu"}, {'段', '干'}: {"duan", "gan"}, {'微', '生'}: {"wei", "sheng"}, {'公', '羊'}: {"gong", "yang"},
	{'东', '门'}: {"dong", "men"}, {'南', '门'}: {"nan", "men"}, {'呼', '衍'}: {"hu", "yan"}, {'宗', '政'}: {"zong", "zheng"},
}

// Keys returns the search keys of a name: for every plausible reading, the
// full pinyin without tones or spaces (zhangsan) and the initials (zs).
// ü is written v as input methods do (lvbu), with a u spelling added
// (lubu). ASCII letters are kept lower-cased; the middle dot of minority
// names, digits and punctuation are dropped. Keys are distinct, lower-case
// ASCII; an empty name has none.
func Keys(name string) []string {
	toks, alts := analyse(name)
	if len(toks) == 0 {
		return nil
	}
	keys := make([]string, 0, 2*len(alts)+1)
	add := func(k string) {
		if k == "" {
			return
		}
		for _, have := range keys {
			if have == k {
				return
			}
		}
		keys = append(keys, k)
	}
	hasV := false
	for _, t := range toks {
		hasV = hasV || isUmlaut(t)
	}
	for _, a := range alts {
		for _, s := range a.surname {
			hasV = hasV || isUmlaut(s)
		}
	}
	var b strings.Builder
	for _, alt := range alts {
		add(join(&b, alt, toks, false))
		add(initials(&b, alt, toks))
		if hasV {
			add(join(&b, alt, toks, true))
		}
	}
	return keys
}

// Sort returns the sort key of a name: the full pinyin of its usual reading
// with the surname read as a surname, no spaces (单田芳 → shantianfang).
func Sort(name string) string {
	toks, alts := analyse(name)
	if len(toks) == 0 {
		return ""
	}
	var b strings.Builder
	return join(&b, alts[0], toks, false)
}

// An alternative is a reading of the surname part: the syllables that
// replace the first n tokens.
type alternative struct {
	surname []string
	n       int
}

// analyse splits a name into tokens (one toned pinyin syllable per Han
// character, one lower-case word per run of ASCII letters) and lists the
// readings of its surname, the usual one first.
func analyse(name string) (toks []string, alts []alternative) {
	var runes [2]rune // the first two characters, when they are Han
	han := 0          // how many leading tokens are Han
	dotted := false
	word := -1 // start of the current ASCII word in buf
	var buf []byte
	flush := func() {
		if word >= 0 {
			toks = append(toks, string(buf[word:]))
			word = -1
		}
	}
	for _, r := range name {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r >= 'a' && r <= 'z' {
			if word < 0 {
				buf = buf[:0]
				word = 0
			}
			buf = append(buf, byte(r))
			continue
		}
		flush()
		if py, ok := reading(r); ok {
			if han == len(toks) && han < 2 {
				runes[han] = r
				han++
			}
			toks = append(toks, py)
			continue
		}
		if isDot(r) {
			dotted = true
		}
	}
	flush()
	if len(toks) == 0 {
		return nil, nil
	}
	if dotted || han == 0 {
		return toks, []alternative{{}}
	}
	if han == 2 && len(toks) >= 3 {
		if syl, ok := compoundSurnames[runes]; ok {
			alts = append(alts, alternative{surname: syl, n: 2})
		}
	}
	if readings, ok := surnames[runes[0]]; ok {
		for _, r := range readings {
			alts = append(alts, alternative{surname: []string{r}, n: 1})
		}
	} else {
		alts = append(alts, alternative{})
	}
	return toks, alts
}

// reading returns go-pinyin's usual (first) reading of a Han character,
// with tone marks.
func reading(r rune) (string, bool) {
	if r < 0x3000 {
		return "", false
	}
	v, ok := gopinyin.PinyinDict[int(r)]
	if !ok || v == "" {
		return "", false
	}
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return v, true
}

// join writes the full pinyin of an alternative.
func join(b *strings.Builder, alt alternative, toks []string, uForV bool) string {
	b.Reset()
	for _, s := range alt.surname {
		writePlain(b, s, uForV)
	}
	for _, t := range toks[alt.n:] {
		writePlain(b, t, uForV)
	}
	return b.String()
}

// initials writes the first letter of every syllable and word.
func initials(b *strings.Builder, alt alternative, toks []string) string {
	b.Reset()
	for _, s := range alt.surname {
		b.WriteByte(s[0])
	}
	for _, t := range toks[alt.n:] {
		r, _ := utf8.DecodeRuneInString(t)
		if c := plain(r, false); c != 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// writePlain writes a toned syllable without its tone marks: ā → a,
// ǚ → v (or u), ḿ → m; combining marks are dropped.
func writePlain(b *strings.Builder, s string, uForV bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if c := plain(r, uForV); c != 0 {
			b.WriteByte(c)
		}
		i += size - 1
	}
}

// plain maps a pinyin letter to ASCII, 0 for marks that are dropped.
func plain(r rune, uForV bool) byte {
	if r < utf8.RuneSelf {
		return byte(r)
	}
	switch r {
	case 'ā', 'á', 'ǎ', 'à':
		return 'a'
	case 'ē', 'é', 'ě', 'è', 'ê', 'ế', 'ề', 'ễ', 'ể', 'ệ':
		return 'e'
	case 'ī', 'í', 'ǐ', 'ì':
		return 'i'
	case 'ō', 'ó', 'ǒ', 'ò':
		return 'o'
	case 'ū', 'ú', 'ǔ', 'ù':
		return 'u'
	case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		if uForV {
			return 'u'
		}
		return 'v'
	case 'ń', 'ň', 'ǹ':
		return 'n'
	case 'ḿ':
		return 'm'
	}
	return 0
}

func isUmlaut(s string) bool {
	return strings.ContainsAny(s, "üǖǘǚǜ")
}

// isDot reports the middle dots of minority and foreign names and the
// look-alikes input methods produce.
func isDot(r rune) bool {
	switch r {
	case '·', '•', '・', '･', '‧', '∙', '⋅', '●', '.':
		return true
	}
	return false
}
