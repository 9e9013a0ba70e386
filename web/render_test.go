package web

import (
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
)

// memberRows is hand-written HTML: every value must come out escaped.
func TestMemberRowsEscapes(t *testing.T) {
	m := &nuanxin.Member{ID: 7, Name: `<script>alert("x")</script>`, OrgName: `A&B"分工会`, Department: `<b>'`,
		IDMasked: "430102********1234", Phone: "13800138000", Sex: nuanxin.Male,
		Category: nuanxin.CategoryActive, Status: nuanxin.StatusMember, BirthDate: nuanxin.NewDate(1990, 5, 1)}
	got := string(memberRows([]*nuanxin.Member{m}, nuanxin.NewDate(2026, 11, 24)))
	for _, bad := range []string{"<script>", `A&B"`, "<b>", "13800138000"} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped or unmasked %q in %s", bad, got)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "A&amp;B&#34;分工会", `href="/members/7"`, ">36<", "138****8000", "tag-green", "在会"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
	if empty := string(memberRows(nil, nuanxin.Today())); !strings.Contains(empty, `class="empty"`) {
		t.Errorf("empty table: %s", empty)
	}
}
