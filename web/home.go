package web

import (
	"net/http"
	"net/url"

	"github.com/nuanxin/nuanxin"
)

// countItem is one figure of the 工作台, linking to the list it counts.
type countItem struct {
	Label  string
	Count  int
	Capped bool
	Href   string
	Class  string
}

type homeData struct {
	Members    *countItem
	ByStatus   []countItem
	ByCategory []countItem
	Orgs       *countItem
	Closed     int
	Care       *homeCare // 慰问 待办 (care.go)
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	if !sc.CanAny(nuanxin.PermMemberRead) && !sc.CanAny(nuanxin.PermOrgRead) && sc.MemberID != 0 {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	d := &homeData{}
	if sc.CanAny(nuanxin.PermMemberRead) {
		c, err := s.members.CountMembers(ctx, sc, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Members = &countItem{Label: nuanxin.T("ui.home.members_in"), Count: c.ByStatus[nuanxin.StatusMember], Href: "/members?status=member"}
		for _, st := range nuanxin.MemberStatuses {
			d.ByStatus = append(d.ByStatus, countItem{Label: st.Label(), Count: c.ByStatus[st],
				Href: "/members?" + url.Values{"status": {string(st)}}.Encode()})
		}
		for _, cat := range nuanxin.Categories {
			d.ByCategory = append(d.ByCategory, countItem{Label: cat.Label(), Count: c.ByCategory[cat],
				Href: "/members?" + url.Values{"status": {"member"}, "category": {string(cat)}}.Encode()})
		}
	}
	if sc.CanAny(nuanxin.PermOrgRead) {
		orgs, err := s.orgs.FindOrgs(ctx, sc, nuanxin.OrgFilter{IncludeClosed: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		open := 0
		for _, o := range orgs {
			if o.Closed {
				d.Closed++
			} else {
				open++
			}
		}
		d.Orgs = &countItem{Label: nuanxin.T("ui.home.orgs"), Count: open, Href: "/orgs"}
	}
	d.Care = s.homeCareOf(r)
	s.page(w, r, http.StatusOK, "home", nuanxin.T("ui.nav.home"), "home", d)
}

type meData struct {
	Member    *nuanxin.Member
	Relatives []*nuanxin.Relative
	Events    []*nuanxin.MemberEvent
}

// handleMe is the self-service page of a 会员: their own record.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	d := &meData{}
	if sc.MemberID != 0 {
		m, err := s.members.FindMemberByID(r.Context(), sc, sc.MemberID)
		switch nuanxin.ErrorCode(err) {
		case "":
			d.Member = m
			if rel, err := s.members.FindRelatives(r.Context(), sc, m.ID); err == nil {
				d.Relatives = rel
			} else {
				s.logIfInternal(r, err)
			}
			if ev, err := s.members.FindMemberEvents(r.Context(), sc, m.ID); err == nil {
				d.Events = ev
			} else {
				s.logIfInternal(r, err)
			}
		case nuanxin.ENOTFOUND, nuanxin.EFORBIDDEN:
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.page(w, r, http.StatusOK, "me", nuanxin.T("ui.nav.me"), "me", d)
}
