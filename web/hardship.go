package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

// 困难职工档案: the card of the member page with its 建档 and 结档 forms,
// and the list of files in scope (GET /hardship). Campaigns select from
// the active files through Criteria.HardshipTiers (campaign.go).

func hardshipTierOptions() []option {
	var o []option
	for _, t := range nuanxin.HardshipTiers {
		o = append(o, option{string(t), t.Label()})
	}
	return o
}

func hasValue(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// hardshipRow is one file on the member page with its 结档 form.
type hardshipRow struct {
	F     *nuanxin.HardshipFile
	Close *form
}

// memberHardship is the 困难职工档案 card of a member's page.
type memberHardship struct {
	Rows     []hardshipRow
	CanWrite bool
	Form     *form // 建档
	Tiers    []option
	Alert    string // a 结档 refused for a file without its form (closed already)
}

// memberHardshipOf reads a member's files for their page; nil when the
// caller may not see them. reg and closeForm (for file closeID) carry a
// form sent back with its errors.
func (s *Server) memberHardshipOf(ctx context.Context, sc *nuanxin.Scope, m *nuanxin.Member, reg *form, closeID int64, closeForm *form) (*memberHardship, error) {
	if s.hardship == nil || !sc.Can(nuanxin.PermCareRead, m.OrgPath) {
		return nil, nil
	}
	files, err := s.hardship.FindHardshipFiles(ctx, sc, 0, m.ID)
	if err != nil {
		return nil, err
	}
	mh := &memberHardship{CanWrite: sc.Can(nuanxin.PermCareWrite, m.OrgPath), Tiers: hardshipTierOptions(), Form: reg}
	today := s.today().String()
	for _, f := range files {
		row := hardshipRow{F: f}
		if f.Active && mh.CanWrite {
			if f.ID == closeID && closeForm != nil {
				row.Close, closeForm = closeForm, nil
			} else {
				row.Close = newForm(url.Values{"closed_on": {today}})
			}
		}
		mh.Rows = append(mh.Rows, row)
	}
	if closeForm != nil {
		mh.Alert = strings.Join(append([]string{closeForm.Summary}, closeForm.Other()...), " ")
	}
	if mh.CanWrite && mh.Form == nil {
		mh.Form = newForm(url.Values{"year": {strconv.Itoa(s.today().Year)}})
		mh.Form.Once = newToken()
	}
	return mh, nil
}

// loadHardshipMember reads the member of the path for a 建档/结档 POST: out
// of the caller's 慰问 scope it does not exist.
func (s *Server) loadHardshipMember(r *http.Request) (*nuanxin.Member, error) {
	return s.loadMemberFor(r, nuanxin.PermCareWrite)
}

// handleHardshipRegister opens a file (建档) from the member page.
func (s *Server) handleHardshipRegister(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	m, err := s.loadHardshipMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	f.Once = r.PostForm.Get("_once")
	hf := &nuanxin.HardshipFile{MemberID: m.ID, Tier: nuanxin.HardshipTier(f.Get("tier")), Basis: f.Get("basis")}
	var fe nuanxin.FieldErrors
	if y := strings.TrimSpace(f.Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			fe.Add("year", "hardship.year")
		}
		hf.Year = n
	}
	err = fe.Err()
	if err == nil {
		err = s.onceDo(w, r, func() (string, error) {
			if err := s.hardship.RegisterHardship(r.Context(), sc, hf); err != nil {
				return "", err
			}
			s.setFlash(w, "ui.flash.hardship_registered")
			return fmt.Sprintf("/members/%d#hardship", m.ID), nil
		})
	}
	if err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		f.setErr(err)
		s.memberPage(w, r, statusOf(nuanxin.ErrorCode(err), false), m, &memberData{HardshipForm: f})
	}
}

// handleHardshipClose ends a file of the member (结档: 解困/脱困).
func (s *Server) handleHardshipClose(w http.ResponseWriter, r *http.Request) {
	sc := scopeOf(r)
	m, err := s.loadHardshipMember(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hid, err := pathID(r, "hid")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	files, err := s.hardship.FindHardshipFiles(r.Context(), sc, 0, m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	found := false
	for _, x := range files {
		found = found || x.ID == hid
	}
	if !found {
		s.fail(w, r, nuanxin.NotFound("what.hardship"))
		return
	}
	_ = r.ParseForm()
	f := newForm(r.PostForm)
	var on nuanxin.Date
	var fe nuanxin.FieldErrors
	if v := strings.TrimSpace(f.Get("closed_on")); v != "" {
		if on, err = nuanxin.ParseDate(v); err != nil {
			fe = append(fe, fieldErr("closed_on", err))
		}
	}
	err = fe.Err()
	if err == nil {
		err = s.hardship.CloseHardship(r.Context(), sc, hid, on, f.Get("close_note"))
	}
	if err != nil {
		if !isFormErr(err) {
			s.fail(w, r, err)
			return
		}
		f.setErr(err)
		s.memberPage(w, r, statusOf(nuanxin.ErrorCode(err), false), m, &memberData{HardshipCloseID: hid, HardshipClose: f})
		return
	}
	s.setFlash(w, "ui.flash.hardship_closed")
	redirect(w, r, fmt.Sprintf("/members/%d#hardship", m.ID))
}

// hardshipListData is the list of files in scope.
type hardshipListData struct {
	Rows []*nuanxin.HardshipFile
}

// handleHardshipList lists the 困难职工档案 of the caller's scope.
func (s *Server) handleHardshipList(w http.ResponseWriter, r *http.Request) {
	files, err := s.hardship.FindHardshipFiles(r.Context(), scopeOf(r), 0, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, "hardship_list", nuanxin.T("ui.hardship.title"), "hardship", &hardshipListData{Rows: files})
}
