package nuanxin

import "testing"

func TestMaskIDNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"43010219850101123X", "430102********123X"},
		{"110105194912310021", "110105********0021"},
		{" 110105194912310021 ", "110105********0021"},
		{"430102850101123", "***********1123"},
		{"12345", "*2345"},
		{"1234", "1234"},
		{"", ""},
		{"   ", ""},
	} {
		if got := MaskIDNumber(tc.in); got != tc.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+86 138-1234-5678", "138****5678"},
		{"0731-84567890", "0731-****7890"},
		{"073184567890", "0731-****7890"},
		{"010-12345678", "010-****5678"},
		{"0755-2345678", "0755-***5678"},
		{"0731-84567890-123", "0731-****7890"},
		{"not a phone 5678", "************5678"},
		{"123", "123"},
		{"", ""},
	} {
		if got := MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	m := &Member{Phone: "13812345678"}
	if got := m.PhoneMasked(); got != "138****5678" {
		t.Errorf("PhoneMasked = %q", got)
	}
}

func TestMaskName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"张三", "张*"},
		{"王小明", "王*明"},
		{"司马相如", "司**如"},
		{"欧阳小锋", "欧**锋"},
		{"爱新觉罗溥仪", "爱****仪"},
		{" 张 三 ", "张*"},
		{"张\u3000小\u3000明", "张*明"},
		{"阿卜杜拉·艾则孜", "阿**拉·艾*孜"},
		{"买买提•吐尔逊", "买*提·吐*逊"},
		{"迪丽热巴・迪力木拉提", "迪**巴·迪***提"},
		{"阿依古丽 · 买买提", "阿**丽·买*提"},
		{"尼格买提·热合曼·阿不都", "尼**提·热*曼·阿*都"},
		{"John Smith", "J**n S***h"},
		{"李", "李"},
		{"", ""},
		{"  ", ""},
	} {
		if got := MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIsMaskedIDNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"430102********1234": true, "430102********123X": true, " 110105****0017 ": true,
		"430102198503151234": false, "430102**********": false, "****************1234": false, "138****5678": false, "": false,
	} {
		if got := IsMaskedIDNumber(s); got != want {
			t.Errorf("IsMaskedIDNumber(%q) = %v", s, got)
		}
	}
}
