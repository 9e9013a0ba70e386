package pinyin

import (
	"slices"
	"sort"
	"testing"
)

func TestKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string // must all be present
		not  []string // must all be absent
	}{
		{"张三", []string{"zhangsan", "zs"}, nil},
		{"单雄信", []string{"shanxiongxin", "sxx", "danxiongxin", "dxx"}, nil},
		{"单田芳", []string{"shantianfang", "stf", "dantianfang", "dtf"}, nil},
		{"曾国藩", []string{"zengguofan", "zgf", "cengguofan", "cgf"}, nil},
		{"解缙", []string{"xiejin", "xj", "jiejin", "jj"}, nil},
		{"仇英", []string{"qiuying", "qy", "chouying", "cy"}, nil},
		{"区家麟", []string{"oujialin", "qujialin"}, nil},
		{"查良镛", []string{"zhaliangyong", "chaliangyong", "zly", "cly"}, nil},
		{"朴槿惠", []string{"piaojinhui", "pujinhui", "pjh"}, nil},
		{"盖聂", []string{"genie", "gainie"}, nil},
		{"乐嘉", []string{"yuejia", "lejia"}, nil},
		{"缪杰", []string{"miaojie", "moujie"}, nil},
		{"翟志刚", []string{"zhaizhigang", "dizhigang", "zzg", "dzg"}, nil},
		{"尉健行", []string{"weijianxing", "yujianxing"}, nil},
		{"华罗庚", []string{"hualuogeng", "hlg"}, nil},
		{"任正非", []string{"renzhengfei", "rzf"}, []string{"linzhengfei"}},
		{"员小明", []string{"yunxiaoming", "yuanxiaoming"}, nil},
		{"覃海洋", []string{"qinhaiyang", "tanhaiyang"}, nil},
		{"种师道", []string{"chongshidao", "zhongshidao"}, nil},
		{"召忽", []string{"shaohu", "zhaohu"}, nil},
		{"欧阳修", []string{"ouyangxiu", "oyx"}, nil},
		{"司马光", []string{"simaguang", "smg"}, nil},
		{"诸葛亮", []string{"zhugeliang", "zgl"}, nil},
		{"上官婉儿", []string{"shangguanwaner", "sgwe"}, nil},
		{"皇甫嵩", []string{"huangfusong", "hfs"}, nil},
		{"万俟卨", []string{"moqixie", "mqx"}, nil},
		{"尉迟恭", []string{"yuchigong", "ycg"}, nil},
		{"吕布", []string{"lvbu", "lb", "lubu"}, nil},
		{"闾丘露薇", []string{"lvqiuluwei", "luqiuluwei", "lqlw"}, nil},
		{"王a", []string{"wanga", "wa"}, nil},
		{"王Ａ", []string{"wanga", "wa"}, nil},
		{" 张 三 ", []string{"zhangsan", "zs"}, nil},
		{"John Smith", []string{"johnsmith", "js"}, nil},
		{"阿依古丽·买买提", []string{"ayigulimaimaiti", "ayglmmt"}, nil},
		{"查尔斯·达尔文", []string{"chaersidaerwen"}, []string{"zhaersidaerwen"}}, // no surname in a transliterated name
	} {
		got := Keys(tc.name)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("Keys(%q) = %v, missing %q", tc.name, got, w)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(got, n) {
				t.Errorf("Keys(%q) = %v, must not contain %q", tc.name, got, n)
			}
		}
	}
}

func TestKeysShape(t *testing.T) {
	for _, name := range []string{"张三", "单雄信", "欧阳修", "吕布", "阿卜杜拉·艾则孜", "王a", "Ｊｏｈｎ", "嗯", "123", "张三3", "〇"} {
		keys := Keys(name)
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "" || seen[k] {
				t.Errorf("Keys(%q) = %v: empty or duplicate key", name, keys)
			}
			seen[k] = true
			for i := 0; i < len(k); i++ {
				if k[i] < 'a' || k[i] > 'z' {
					t.Errorf("Keys(%q) = %v: %q is not lower-case ASCII letters", name, keys, k)
					break
				}
			}
		}
	}
	for _, empty := range []string{"", "   ", "·", "123", "，。"} {
		if k := Keys(empty); k != nil {
			t.Errorf("Keys(%q) = %v, want none", empty, k)
		}
		if s := Sort(empty); s != "" {
			t.Errorf("Sort(%q) = %q, want empty", empty, s)
		}
	}
	// Only the surname has several readings; given names use one.
	if got := Keys("张行"); len(got) != 2 {
		t.Errorf("Keys(张行) = %v, want exactly the full pinyin and the initials", got)
	}
}

func TestSort(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"单田芳", "shantianfang"},
		{"张三", "zhangsan"},
		{"曾国藩", "zengguofan"},
		{"解缙", "xiejin"},
		{"欧阳修", "ouyangxiu"},
		{"万俟卨", "moqixie"},
		{"尉迟恭", "yuchigong"},
		{"吕布", "lvbu"},
		{"王a", "wanga"},
		{"阿依古丽·买买提", "ayigulimaimaiti"},
		{"查尔斯·达尔文", "chaersidaerwen"},
	} {
		if got := Sort(tc.name); got != tc.want {
			t.Errorf("Sort(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if k := Keys(tc.name); len(k) == 0 || k[0] != Sort(tc.name) {
			t.Errorf("Keys(%q)[0] = %v, want the sort key first", tc.name, k)
		}
	}
	names := []string{"张三", "安娜", "曾国藩", "单田芳", "白居易", "欧阳修", "赵六", "蔡伦", "李四", "王五"}
	sort.Slice(names, func(i, j int) bool { return Sort(names[i]) < Sort(names[j]) })
	want := []string{"安娜", "白居易", "蔡伦", "李四", "欧阳修", "单田芳", "王五", "曾国藩", "张三", "赵六"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted = %v, want %v", names, want)
	}
}

func FuzzKeys(f *testing.F) {
	for _, s := range []string{"张三", "单雄信", "欧阳修", "吕布", "王a", "阿卜杜拉·艾则孜", "", "\xff", "ǚ", "A·B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys := Keys(s)
		sortKey := Sort(s)
		if (len(keys) == 0) != (sortKey == "") {
			t.Fatalf("Keys(%q) = %v but Sort = %q", s, keys, sortKey)
		}
		if len(keys) > 0 && keys[0] != sortKey {
			t.Fatalf("Keys(%q)[0] = %q, Sort = %q", s, keys[0], sortKey)
		}
		for _, k := range keys {
			for i := 0; i < len(k); i++ {
				if k[i] < 'a' || k[i] > 'z' {
					t.Fatalf("Keys(%q) = %v: not lower-case ASCII", s, keys)
				}
			}
		}
	})
}

var sink []string

func BenchmarkKeys(b *testing.B) {
	names := []string{"张三", "单雄信", "欧阳修", "王小明", "李建国", "曾国藩", "刘德华", "阿依古丽·买买提"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink = Keys(names[i%len(names)])
	}
}

func BenchmarkSort(b *testing.B) {
	b.ReportAllocs()
	var s string
	for b.Loop() {
		s = Sort("王小明")
	}
	_ = s
}
