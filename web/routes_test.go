package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// target is what a matrix row acts on: the request, and a name that must
// never appear in a 404 answer (the record's own name).
type target struct {
	rq     req
	secret string
}

// matrixRow is one route of the route table with the exact status each role
// gets, in the order admin chair clerk reviewer auditor member anon, on a
// record inside the roles' scope (org A) and outside it (org B). Routes
// without a record have the same answer both ways ("out" empty).
type matrixRow struct {
	method, pattern string
	build           func(f *fixture, in bool) target
	in, out         string
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func (f *fixture) pick(in bool) (*nuanxin.Org, *nuanxin.Member, *nuanxin.User) {
	if in {
		return f.A, f.MA, f.UA
	}
	return f.B, f.MB, f.UB
}

func plain(method, path string) func(*fixture, bool) target {
	return func(*fixture, bool) target { return target{rq: req{method: method, path: path}} }
}

func newMemberForm(org *nuanxin.Org) url.Values {
	n := next()
	return url.Values{"_once": {newToken()}, "org_id": {id(org.ID)}, "name": {"新会员" + string(rune('甲'+n%10))},
		"id_number": {idNumber(n)}, "category": {"active"}, "status": {"member"}, "phone": {"13800138000"}}
}

func memberEditForm(m *nuanxin.Member) url.Values {
	return url.Values{"name": {m.Name}, "version": {strconv.Itoa(m.Version)}, "category": {string(m.Category)},
		"phone": {"13700001111"}, "department": {"检修部"}, "join_date": {m.JoinDate.String()}}
}

// freshMember is a new member of A (in) or B (out), for rows that change it.
func (f *fixture) freshMember(in bool) *nuanxin.Member {
	org, _, _ := f.pick(in)
	return f.member(org.ID, "临时会员"+string(rune('子'+next()%10)))
}

func (f *fixture) freshOrg(in bool) *nuanxin.Org {
	org, _, _ := f.pick(in)
	return f.org(org.ID, fmt.Sprintf("临时分工会%d", next()), nuanxin.OrgBranch)
}

func (f *fixture) freshUser(in bool) *nuanxin.User {
	org, _, _ := f.pick(in)
	return f.user(org.ID, fmt.Sprintf("tmp%d", next()), fmt.Sprintf("临时用户%d", next()))
}

func matrix() []matrixRow {
	// the payment, policy and care import rows live beside their tests
	return append(baseMatrix(), append(payRows(), append(polRows(), append(careImpRowsMatrix(), append(campaignRows(), append(campaignOrgRows(), append(hardshipRows(), append(summaryRows(), statsRows()...)...)...)...)...)...)...)...)
}

func baseMatrix() []matrixRow {
	return []matrixRow{
		{"GET", "/static/{file...}", plain("GET", "/static/app.css"), "200 200 200 200 200 200 200", ""},
		{"GET", "/login", plain("GET", "/login"), "303 303 303 303 303 303 200", ""},
		{"POST", "/login", func(f *fixture, _ bool) target {
			return target{rq: req{method: "POST", path: "/login", form: url.Values{"username": {"loginuser"}, "password": {testPassword}}}}
		}, "303 303 303 303 303 303 303", ""},
		{"POST", "/logout", plain("POST", "/logout"), "303 303 303 303 303 303 303", ""},
		{"GET", "/account/password", plain("GET", "/account/password"), "200 200 200 200 200 200 303", ""},
		{"POST", "/account/password", func(f *fixture, _ bool) target {
			return target{rq: req{method: "POST", path: "/account/password",
				form: url.Values{"old_password": {"wrong-0ld"}, "new_password": {"NewPassw0rd"}, "new_password2": {"NewPassw0rd"}}}}
		}, "422 422 422 422 422 422 303", ""},
		{"GET", "/{$}", plain("GET", "/"), "200 200 200 200 200 303 303", ""},
		{"GET", "/me", plain("GET", "/me"), "200 200 200 200 200 200 303", ""},

		{"GET", "/members", plain("GET", "/members"), "200 200 200 200 200 403 303", ""},
		{"GET", "/members/new", plain("GET", "/members/new"), "200 200 200 403 403 403 303", ""},
		{"POST", "/members", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/members", form: newMemberForm(org)}}
		}, "303 303 303 403 403 403 303", "404 404 404 403 403 403 303"},
		{"POST", "/members/receive", func(f *fixture, in bool) target {
			// a member released (转出) by B, received into A (in) or B (out)
			m := f.member(f.B.ID, "转出会员")
			id := idNumber(next())
			_ = id
			full, err := f.db.RevealIDNumber(bg, sys, m.ID, "test")
			if err != nil {
				f.t.Fatal(err)
			}
			if _, err := f.db.RecordEvent(bg, sys, m.ID, nuanxin.MemberEventInput{Kind: nuanxin.EventTransferOut, Date: nuanxin.Today()}); err != nil {
				f.t.Fatal(err)
			}
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/members/receive", form: url.Values{"_once": {newToken()},
				"id_number": {full}, "org_id": {id64(org.ID)}}}}
		}, "303 303 303 403 403 403 303", "404 404 404 403 403 403 303"},
		{"GET", "/members/import", plain("GET", "/members/import"), "200 200 200 403 403 403 303", ""},
		{"POST", "/members/import", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: uploadReq(org, "花名册.xlsx", rosterXLSX(f.t, importRows("矩阵", 1))), secret: org.Name}
		}, "303 303 303 403 403 403 303", "404 404 404 403 403 403 303"},
		{"GET", "/members/template.xlsx", plain("GET", "/members/template.xlsx"), "200 200 200 403 403 403 303", ""},
		{"GET", "/members/export.xlsx", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/members/export.xlsx?org=" + id(org.ID)}, secret: org.Name}
		}, "200 200 200 403 403 403 303", "404 404 404 403 403 403 303"},
		{"GET", "/members/export.csv", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/members/export.csv?org=" + id(org.ID)}, secret: org.Name}
		}, "200 200 200 403 403 403 303", "404 404 404 403 403 403 303"},
		{"POST", "/members/export", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/members/export", form: url.Values{"org": {id(org.ID)}, "format": {"csv"}, "reason": {"报送上级工会"}}}, secret: org.Name}
		}, "200 200 200 403 403 403 303", "404 404 404 403 403 403 303"},
		{"GET", "/members/print", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/members/print?org=" + id(org.ID)}, secret: org.Name}
		}, "200 200 200 403 403 403 303", "404 404 404 403 403 403 303"},
		{"GET", "/members/{id}", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/members/" + id(m.ID)}, secret: m.Name}
		}, "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/members/{id}/edit", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/members/" + id(m.ID) + "/edit"}, secret: m.Name}
		}, "200 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/edit", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			return target{rq: req{method: "POST", path: "/members/" + id(m.ID) + "/edit", form: memberEditForm(m)}, secret: m.Name}
		}, "303 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/reveal", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/members/" + id(m.ID) + "/reveal", form: url.Values{"reason": {"核对信息"}}}, secret: m.Name}
		}, "200 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/events", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			return target{rq: req{method: "POST", path: "/members/" + id(m.ID) + "/events",
				form: url.Values{"_once": {newToken()}, "kind": {"reserve"}, "date": {nuanxin.Today().String()}}}, secret: m.Name}
		}, "303 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/members/{id}/relatives/new", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/members/" + id(m.ID) + "/relatives/new"}, secret: m.Name}
		}, "200 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/relatives", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/members/" + id(m.ID) + "/relatives",
				form: url.Values{"_once": {newToken()}, "relation": {"child"}, "name": {"小明"}, "birth_date": {"2015-06-01"}}}, secret: m.Name}
		}, "303 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/members/{id}/relatives/{rid}/edit", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			r := f.relative(m, "家属甲")
			return target{rq: req{method: "GET", path: fmt.Sprintf("/members/%d/relatives/%d/edit", m.ID, r.ID)}, secret: m.Name}
		}, "200 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/relatives/{rid}/edit", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			r := f.relative(m, "家属乙")
			return target{rq: req{method: "POST", path: fmt.Sprintf("/members/%d/relatives/%d/edit", m.ID, r.ID),
				form: url.Values{"relation": {"child"}, "name": {"家属丙"}, "school": {"实验小学"}}}, secret: m.Name}
		}, "303 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/members/{id}/relatives/{rid}/delete", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			r := f.relative(m, "家属丁")
			return target{rq: req{method: "POST", path: fmt.Sprintf("/members/%d/relatives/%d/delete", m.ID, r.ID)}, secret: m.Name}
		}, "303 303 303 404 404 404 303", "404 404 404 404 404 404 303"},

		// Import jobs belong to the user who uploaded: "in" is a job of the
		// clerk (everyone else, the admin too, gets 404), "out" a job of a
		// user who is none of the roles.
		{"GET", "/imports/{id}", jobRow("", false, false), "404 404 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/imports/{id}/progress", jobRow("/progress", false, false), "404 404 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/imports/{id}/options", jobRow("/options", false, false), "404 404 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/imports/{id}/check", jobRow("/check", false, false), "404 404 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/imports/{id}/commit", jobRow("/commit", true, false), "404 404 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/imports/{id}/rejected.xlsx", jobRow("/rejected.xlsx", true, true), "404 404 200 404 404 404 303", "404 404 404 404 404 404 303"},

		{"GET", "/orgs", plain("GET", "/orgs"), "200 200 200 200 200 403 303", ""},
		{"POST", "/orgs", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/orgs", form: url.Values{"_once": {newToken()}, "parent_id": {id(org.ID)},
				"name": {fmt.Sprintf("新分工会%d", next())}, "kind": {"branch"}}}, secret: org.Name}
		}, "303 403 403 403 403 403 303", "404 403 403 403 403 403 303"},
		{"GET", "/orgs/{id}", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/orgs/" + id(org.ID)}, secret: org.Name}
		}, "200 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/orgs/{id}/edit", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			return target{rq: req{method: "POST", path: "/orgs/" + id(o.ID) + "/edit",
				form: url.Values{"name": {o.Name + "改"}, "kind": {"branch"}, "code": {""}}}, secret: o.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/orgs/{id}/move", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			return target{rq: req{method: "POST", path: "/orgs/" + id(o.ID) + "/move", form: url.Values{"parent_id": {id(f.A.ID)}}}, secret: o.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/orgs/{id}/close", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			return target{rq: req{method: "POST", path: "/orgs/" + id(o.ID) + "/close", form: url.Values{"closed_on": {nuanxin.Today().String()}}}, secret: o.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/orgs/{id}/reopen", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			if err := f.db.CloseOrg(bg, sys, o.ID, nuanxin.Today()); err != nil {
				f.t.Fatal(err)
			}
			return target{rq: req{method: "POST", path: "/orgs/" + id(o.ID) + "/reopen"}, secret: o.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/orgs/{id}/delete", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			return target{rq: req{method: "POST", path: "/orgs/" + id(o.ID) + "/delete"}, secret: o.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},

		{"GET", "/users", plain("GET", "/users"), "200 403 403 403 403 403 303", ""},
		{"GET", "/users/new", plain("GET", "/users/new"), "200 403 403 403 403 403 303", ""},
		{"POST", "/users", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/users", form: url.Values{"_once": {newToken()}, "username": {fmt.Sprintf("new%d", next())},
				"name": {"新用户"}, "home_org_id": {id(org.ID)}, "password": {testPassword}, "password2": {testPassword}}}}
		}, "303 403 403 403 403 403 303", "422 403 403 403 403 403 303"},
		{"GET", "/users/{id}", func(f *fixture, in bool) target {
			_, _, u := f.pick(in)
			return target{rq: req{method: "GET", path: "/users/" + id(u.ID)}, secret: u.Name}
		}, "200 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/grants", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			return target{rq: req{method: "POST", path: "/users/" + id(u.ID) + "/grants",
				form: url.Values{"_once": {newToken()}, "role": {"reviewer"}, "org_id": {id(f.A.ID)}}}, secret: u.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/grants/{gid}/revoke", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			org, _, _ := f.pick(in)
			g, err := f.db.Grant(bg, sys, u.ID, nuanxin.RoleClerk, org.ID)
			if err != nil {
				f.t.Fatal(err)
			}
			return target{rq: req{method: "POST", path: fmt.Sprintf("/users/%d/grants/%d/revoke", u.ID, g.ID)}, secret: u.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/password", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			return target{rq: req{method: "POST", path: "/users/" + id(u.ID) + "/password",
				form: url.Values{"password": {"Another1pass"}, "password2": {"Another1pass"}}}, secret: u.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/disable", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			return target{rq: req{method: "POST", path: "/users/" + id(u.ID) + "/disable"}, secret: u.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/enable", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			return target{rq: req{method: "POST", path: "/users/" + id(u.ID) + "/enable"}, secret: u.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/unlock", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			return target{rq: req{method: "POST", path: "/users/" + id(u.ID) + "/unlock"}, secret: u.Name}
		}, "303 404 404 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/users/{id}/tokens", func(f *fixture, in bool) target {
			u := f.freshUser(in)
			return target{rq: req{method: "POST", path: "/users/" + id(u.ID) + "/tokens",
				form: url.Values{"_once": {newToken()}, "token_name": {"同步"}}}, secret: u.Name}
		}, "200 404 404 404 404 404 303", "404 404 404 404 404 404 303"},

		{"GET", "/audit", plain("GET", "/audit"), "200 200 403 403 200 403 303", ""},

		// 慰问 cases (care_test.go has the builders). "in" acts on a case of
		// org A, "out" on one of org B; every row that changes a case makes a
		// fresh one.
		{"GET", "/care", plain("GET", "/care"), "200 200 200 200 200 403 303", ""},
		{"POST", "/care/transition", func(f *fixture, in bool) target {
			c := f.careCase(f.freshMember(in), nuanxin.CareDraft)
			return target{rq: req{method: "POST", path: "/care/transition", form: url.Values{"ids": {id(c.ID)},
				"action": {"submit"}, "back": {"/care"}}}, secret: c.MemberName}
		}, "403 303 303 403 403 403 303", "404 404 404 404 404 403 303"},
		{"GET", "/care/new", plain("GET", "/care/new"), "403 200 200 403 403 403 303", ""},
		{"POST", "/care", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			return target{rq: req{method: "POST", path: "/care", form: careForm(m)}, secret: m.Name}
		}, "403 303 303 403 403 403 303", "403 404 404 403 403 403 303"},
		{"POST", "/care/check", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/care/check", form: careForm(m)}, secret: m.Name}
		}, "403 200 200 403 403 403 303", "403 200 200 403 403 403 303"},
		{"GET", "/care/members", plain("GET", "/care/members?member_q=zsf"), "403 200 200 403 403 403 303", ""},
		{"GET", "/care/batch", plain("GET", "/care/batch"), "403 200 200 403 403 403 303", ""},
		{"POST", "/care/batch", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			m := f.numberedMember(org)
			v := careForm(m)
			v.Del("member_id")
			v.Set("org_id", id(org.ID))
			v.Set("names", m.EmployeeNo)
			v.Set("do", "save")
			return target{rq: req{method: "POST", path: "/care/batch", form: v}, secret: m.Name}
		}, "403 303 303 403 403 403 303", "403 422 422 403 403 403 303"},
		{"GET", "/care/todo", plain("GET", "/care/todo"), "200 200 200 200 200 403 303", ""},
		{"GET", "/care/{id}", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			c := f.careCase(m, nuanxin.CareDraft)
			return target{rq: req{method: "GET", path: "/care/" + id(c.ID)}, secret: m.Name}
		}, "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/care/edit/{id}", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			c := f.careCase(m, nuanxin.CareDraft)
			return target{rq: req{method: "GET", path: "/care/edit/" + id(c.ID)}, secret: m.Name}
		}, "404 200 200 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/{id}/edit", func(f *fixture, in bool) target {
			c := f.careCase(f.freshMember(in), nuanxin.CareDraft)
			v := careForm(&nuanxin.Member{ID: c.MemberID})
			v.Set("version", strconv.Itoa(c.Version))
			v.Set("goods", "床上四件套")
			return target{rq: req{method: "POST", path: "/care/" + id(c.ID) + "/edit", form: v}, secret: c.MemberName}
		}, "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/{id}/transition", func(f *fixture, in bool) target {
			c := f.careCase(f.freshMember(in), nuanxin.CareDraft)
			return target{rq: req{method: "POST", path: "/care/" + id(c.ID) + "/transition", form: url.Values{"action": {"submit"}}}, secret: c.MemberName}
		}, "403 303 303 403 403 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/{id}/visit", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			c := f.careCase(m, nuanxin.CareDraft)
			return target{rq: req{method: "POST", path: "/care/" + id(c.ID) + "/visit",
				form: url.Values{"visited_on": {nuanxin.Today().String()}, "visited_by": {"王主席"}}}, secret: m.Name}
		}, "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"POST", "/care/{id}/attachments", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			c := f.careCase(m, nuanxin.CareDraft)
			return target{rq: req{method: "POST", path: "/care/" + id(c.ID) + "/attachments", form: url.Values{"kind": {"photo"}},
				file: &upfile{field: "file", name: "走访.png", data: tinyPNG}}, secret: m.Name}
		}, "404 303 303 404 404 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/attachments/{id}", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			a := f.careAttachment(f.careCase(m, nuanxin.CareDraft))
			return target{rq: req{method: "GET", path: "/attachments/" + id(a.ID)}, secret: m.Name}
		}, "200 200 200 200 200 404 303", "404 404 404 404 404 404 303"},
		{"GET", "/api/v1/care", plain("GET", "/api/v1/care"), "200 200 200 200 200 403 401", ""},
		{"POST", "/api/v1/care", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			return target{rq: req{method: "POST", path: "/api/v1/care", json: careJSON(m)}, secret: m.Name}
		}, "403 201 201 403 403 403 401", "403 404 404 403 403 403 401"},
		{"POST", "/api/v1/care/check", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/api/v1/care/check", json: careJSON(m)}, secret: m.Name}
		}, "403 200 200 403 403 403 401", "403 404 404 403 403 403 401"},
		{"GET", "/api/v1/care/todo", plain("GET", "/api/v1/care/todo"), "200 200 200 200 200 403 401", ""},
		{"GET", "/api/v1/care/{id}", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			c := f.careCase(m, nuanxin.CareDraft)
			return target{rq: req{method: "GET", path: "/api/v1/care/" + id(c.ID)}, secret: m.Name}
		}, "200 200 200 200 200 404 401", "404 404 404 404 404 404 401"},
		{"POST", "/api/v1/care/{id}/transition", func(f *fixture, in bool) target {
			c := f.careCase(f.freshMember(in), nuanxin.CareDraft)
			return target{rq: req{method: "POST", path: "/api/v1/care/" + id(c.ID) + "/transition", json: `{"action":"submit"}`}, secret: c.MemberName}
		}, "403 200 200 403 403 404 401", "404 404 404 404 404 404 401"},

		{"GET", "/api/v1/orgs", plain("GET", "/api/v1/orgs"), "200 200 200 200 200 403 401", ""},
		{"POST", "/api/v1/orgs", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/api/v1/orgs",
				json: fmt.Sprintf(`{"parent_id":%d,"name":"接口分工会%d","kind":"branch"}`, org.ID, next())}, secret: org.Name}
		}, "201 403 403 403 403 403 401", "404 403 403 403 403 403 401"},
		{"GET", "/api/v1/orgs/{id}", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/api/v1/orgs/" + id(org.ID)}, secret: org.Name}
		}, "200 200 200 200 200 404 401", "404 404 404 404 404 404 401"},
		{"PATCH", "/api/v1/orgs/{id}", func(f *fixture, in bool) target {
			o := f.freshOrg(in)
			return target{rq: req{method: "PATCH", path: "/api/v1/orgs/" + id(o.ID), json: `{"code":"X` + id(next()) + `"}`}, secret: o.Name}
		}, "200 404 404 404 404 404 401", "404 404 404 404 404 404 401"},
		{"GET", "/api/v1/members", plain("GET", "/api/v1/members"), "200 200 200 200 200 403 401", ""},
		{"POST", "/api/v1/members", func(f *fixture, in bool) target {
			org, _, _ := f.pick(in)
			return target{rq: req{method: "POST", path: "/api/v1/members",
				json: fmt.Sprintf(`{"org_id":%d,"name":"接口会员","id_number":"%s"}`, org.ID, idNumber(next()))}, secret: org.Name}
		}, "201 201 201 403 403 403 401", "404 404 404 403 403 403 401"},
		{"GET", "/api/v1/members/{id}", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/api/v1/members/" + id(m.ID)}, secret: m.Name}
		}, "200 200 200 200 200 404 401", "404 404 404 404 404 404 401"},
		{"PUT", "/api/v1/members/{id}", func(f *fixture, in bool) target {
			m := f.freshMember(in)
			return target{rq: req{method: "PUT", path: "/api/v1/members/" + id(m.ID),
				json: fmt.Sprintf(`{"version":%d,"department":"接口部"}`, m.Version)}, secret: m.Name}
		}, "200 200 200 404 404 404 401", "404 404 404 404 404 404 401"},
		{"GET", "/api/v1/members/{id}/relatives", func(f *fixture, in bool) target {
			_, m, _ := f.pick(in)
			return target{rq: req{method: "GET", path: "/api/v1/members/" + id(m.ID) + "/relatives"}, secret: m.Name}
		}, "200 200 200 200 200 404 401", "404 404 404 404 404 404 401"},
	}
}

func id64(n int64) string { return id(n) }

// jobRow acts on an import job of the clerk (in) or of another user (out);
// dry runs the dry run first, bad adds a row the dry run rejects.
func jobRow(suffix string, dry, bad bool) func(*fixture, bool) target {
	return func(f *fixture, in bool) target {
		rows := importRows("任务", 2)
		if bad {
			rows = append(rows, []string{"坏号码", badIDNumber})
		}
		owner, sc := f.UB, sys
		if in {
			owner, sc = f.users["clerk"].U, f.scopeFor("clerk")
		}
		j := f.newJob(owner, f.A, rosterXLSX(f.t, rows), dry, sc)
		method := "GET"
		if suffix == "/options" || suffix == "/check" || suffix == "/commit" {
			method = "POST"
		}
		return target{rq: req{method: method, path: "/imports/" + j.ID + suffix}, secret: j.FileName}
	}
}

// TestRouteMatrix walks every route × every role × inside/outside scope and
// asserts the exact status. The route table is the source: a route without
// a row, or a row without a route, fails.
func TestRouteMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { routeMatrix(t, newFixtureOn(t, db)) })
}

func routeMatrix(t *testing.T, f *fixture) {
	rows := map[string]matrixRow{}
	for _, r := range matrix() {
		rows[r.method+" "+r.pattern] = r
	}
	for _, rt := range f.srv.routes() {
		key := rt.Method + " " + rt.Pattern
		if _, ok := rows[key]; !ok {
			t.Errorf("route %s has no row in the permission matrix", key)
		}
		delete(rows, key)
	}
	for key := range rows {
		t.Errorf("matrix row %s has no route", key)
	}
	cases := 0
	for _, row := range matrix() {
		for _, in := range []bool{true, false} {
			want := row.in
			where := "in"
			if !in {
				if row.out == "" {
					continue
				}
				want, where = row.out, "out"
			}
			codes := strings.Fields(want)
			if len(codes) != len(roles) {
				t.Fatalf("%s %s: %d codes for %d roles", row.method, row.pattern, len(codes), len(roles))
			}
			for i, role := range roles {
				tg := row.build(f, in)
				w := f.do(role, tg.rq)
				cases++
				if got := strconv.Itoa(w.Code); got != codes[i] {
					t.Errorf("%s %s (%s scope) as %s: status %s, want %s\n%s", row.method, tg.rq.path, where, role, got, codes[i], snippet(w.Body.String()))
					continue
				}
				body := w.Body.String()
				// out of scope, a 404 must not carry the record (inside, the
				// name may well appear: the user's own org is in the top bar).
				if !in && w.Code == http.StatusNotFound && tg.secret != "" && strings.Contains(body, tg.secret) {
					t.Errorf("%s %s as %s: 404 body names the record %q", row.method, tg.rq.path, role, tg.secret)
				}
				if role == "anon" && row.pattern != "/login" && w.Code == http.StatusSeeOther && !strings.HasPrefix(w.Header().Get("Location"), "/login") {
					t.Errorf("%s %s as anon: redirect to %q, want /login", row.method, tg.rq.path, w.Header().Get("Location"))
				}
				if role != "anon" && row.pattern != "/logout" && w.Code == http.StatusSeeOther && strings.HasPrefix(w.Header().Get("Location"), "/login") {
					t.Errorf("%s %s as %s: sent to the login page", row.method, tg.rq.path, role)
				}
				if w.Code >= 500 && codes[i] != "503" { // 503: a PDF without a CJK font installed
					t.Errorf("%s %s as %s: server error", row.method, tg.rq.path, role)
				}
			}
		}
	}
	t.Logf("%d routes, %d cases", len(f.srv.routes()), cases)
}

// snippet shortens a body for a failure message: the error text if any.
func snippet(body string) string {
	for _, marker := range []string{`class="result-msg">`, `"message":"`, `class="alert alert-error" role="alert"><strong>`, `class="alert alert-error" role="alert">`, `class="form-error"`} {
		if i := strings.Index(body, marker); i >= 0 {
			end := min(len(body), i+len(marker)+300)
			return body[i:end]
		}
	}
	if len(body) > 300 {
		return body[:300]
	}
	return body
}
