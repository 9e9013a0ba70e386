package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
)

// The 慰问 JSON API: the same services and permission checks as the pages.
// Amounts come out in fen ("amount": 50000); a case may be sent with
// "amount" in fen or "amount_yuan" as written ("1,200.50"), never a float.

// careInput is one case of a create or check call.
type careInput struct {
	MemberID     *int64  `json:"member_id"`
	Category     *string `json:"category"`
	EventDate    *string `json:"event_date"`
	Holiday      *string `json:"holiday"`
	HolidayYear  *int    `json:"holiday_year"`
	Hospital     *string `json:"hospital"`
	HospitalDays *int    `json:"hospital_days"`
	Surgery      *bool   `json:"surgery"`
	RelativeID   *int64  `json:"relative_id"`
	Form         *string `json:"form"`
	Amount       *int64  `json:"amount"`
	AmountYuan   *string `json:"amount_yuan"`
	Goods        *string `json:"goods"`
	Reason       *string `json:"reason"`
	Notes        *string `json:"notes"`
}

// empty reports whether no field of the case was sent.
func (in *careInput) empty() bool { return *in == careInput{} }

// apply reads the input into c; what cannot be read comes back as field
// errors (the store checks the rest).
func (in *careInput) apply(c *nuanxin.CareCase) nuanxin.FieldErrors {
	var fe nuanxin.FieldErrors
	if in.MemberID != nil {
		c.MemberID = *in.MemberID
	}
	if in.RelativeID != nil {
		c.RelativeID = *in.RelativeID
	}
	c.Category = nuanxin.CareCategory(str(in.Category))
	c.Holiday = nuanxin.Holiday(str(in.Holiday))
	c.Form = nuanxin.CareForm(str(in.Form))
	c.Hospital, c.Goods, c.Reason, c.Notes = str(in.Hospital), str(in.Goods), str(in.Reason), str(in.Notes)
	if in.HolidayYear != nil {
		c.HolidayYear = *in.HolidayYear
	}
	if in.HospitalDays != nil {
		c.HospitalDays = *in.HospitalDays
	}
	if in.Surgery != nil {
		c.Surgery = *in.Surgery
	}
	if d, err := nuanxin.ParseDate(str(in.EventDate)); err != nil {
		fe = append(fe, fieldErr("event_date", err))
	} else {
		c.EventDate = d
	}
	switch {
	case in.Amount != nil && in.AmountYuan != nil:
		fe.Add("amount", "ui.care.api.two_amounts")
	case in.Amount != nil:
		c.Amount = nuanxin.Money(*in.Amount)
	case in.AmountYuan != nil:
		m, err := roster.ParseAmount(*in.AmountYuan)
		if err != nil {
			fe = append(fe, fieldErr("amount_yuan", err))
		} else {
			c.Amount = m
		}
	}
	return fe
}

// careCreateInput is the body of POST /api/v1/care: one case as the body
// itself, or many under "cases" (all or none).
type careCreateInput struct {
	careInput
	Cases          []careInput `json:"cases"`
	Submit         bool        `json:"submit"`
	AcceptWarnings bool        `json:"accept_warnings"`
}

func (s *Server) apiCareList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, page, fe := parseCareFilter(q)
	perPage := carePerPage
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fe.Add("per_page", "ui.api.per_page")
		} else {
			perPage = n
		}
	}
	if err := fe.Err(); err != nil {
		s.apiFail(w, r, err)
		return
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	list, err := s.care.FindCareCases(r.Context(), scopeOf(r), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	items := list.Cases
	if items == nil {
		items = []*nuanxin.CareCase{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": list.Total, "page": page, "per_page": perPage})
}

func (s *Server) apiCareCreate(w http.ResponseWriter, r *http.Request) {
	var in careCreateInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	inputs := in.Cases
	switch {
	case len(inputs) > 0 && !in.careInput.empty():
		s.apiFail(w, r, nuanxin.Invalid("cases", "ui.care.api.both"))
		return
	case len(inputs) == 0:
		inputs = []careInput{in.careInput}
	}
	cases := make([]*nuanxin.CareCase, len(inputs))
	for i := range inputs {
		c := &nuanxin.CareCase{}
		if fe := inputs[i].apply(c); len(fe) > 0 {
			err := error(fe)
			if len(inputs) > 1 {
				err = nuanxin.Invalid(fe[0].Field, "care.row_error", nuanxin.T("care.row_prefix", i+1), fe[0].Error())
			}
			s.apiFail(w, r, err)
			return
		}
		cases[i] = c
	}
	opt := nuanxin.CareCreate{Submit: in.Submit, AcceptWarnings: in.AcceptWarnings}
	if err := s.care.CreateCareCases(r.Context(), scopeOf(r), cases, opt); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if len(cases) == 1 {
		w.Header().Set("Location", "/api/v1/care/"+strconv.FormatInt(cases[0].ID, 10))
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": cases, "total": len(cases)})
}

// careOut is a case with its history, as GET /api/v1/care/{id} returns it.
type careOut struct {
	*nuanxin.CareCase
	Steps []*nuanxin.CareStep `json:"steps"`
}

func (s *Server) apiCare(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadCase(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	steps, err := s.care.FindCareSteps(r.Context(), scopeOf(r), c.ID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if steps == nil {
		steps = []*nuanxin.CareStep{}
	}
	writeJSON(w, http.StatusOK, careOut{c, steps})
}

func (s *Server) apiCareTransition(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadCase(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	var in struct {
		Action string `json:"action"`
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	act := nuanxin.CareAction(strings.TrimSpace(in.Action))
	if !listActions[act] || act == nuanxin.ActPay {
		s.apiFail(w, r, nuanxin.Invalid("action", "ui.care.api.action"))
		return
	}
	ctx, sc := r.Context(), scopeOf(r)
	if err := s.care.TransitionCare(ctx, sc, []int64{c.ID}, act, in.Reason); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if c, err = s.care.FindCareCase(ctx, sc, c.ID); err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// apiCareCheck runs the policy on cases as POST /api/v1/care would get them
// (the same body), storing nothing: one case answers its decisions, many
// answer one line each.
func (s *Server) apiCareCheck(w http.ResponseWriter, r *http.Request) {
	var in careCreateInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if len(in.Cases) > 0 && !in.careInput.empty() {
		s.apiFail(w, r, nuanxin.Invalid("cases", "ui.care.api.both"))
		return
	}
	type line struct {
		Row       int                `json:"row"`
		Decisions []nuanxin.Decision `json:"decisions"`
		Blocked   bool               `json:"blocked"`
	}
	check := func(row int, ci *careInput) (*line, error) {
		c := &nuanxin.CareCase{}
		if fe := ci.apply(c); len(fe) > 0 {
			return nil, fe
		}
		ds, err := s.care.CheckCare(r.Context(), scopeOf(r), c)
		if err != nil {
			return nil, err
		}
		if ds == nil {
			ds = []nuanxin.Decision{}
		}
		return &line{row, ds, len(nuanxin.Blocks(ds)) > 0}, nil
	}
	if len(in.Cases) == 0 {
		l, err := check(0, &in.careInput)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"decisions": l.Decisions, "blocked": l.Blocked})
		return
	}
	items, blocked := make([]*line, len(in.Cases)), false
	for i := range in.Cases {
		l, err := check(i+1, &in.Cases[i])
		if err != nil {
			if e := nuanxin.AsFieldErrors(err); len(e) > 0 {
				err = nuanxin.Invalid(e[0].Field, "care.row_error", nuanxin.T("care.row_prefix", i+1), e[0].Error())
			}
			s.apiFail(w, r, err)
			return
		}
		items[i], blocked = l, blocked || l.Blocked
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "blocked": blocked})
}

func (s *Server) apiCareTodo(w http.ResponseWriter, r *http.Request) {
	var org int64
	if v := r.URL.Query().Get("org"); v != "" {
		if org = formInt(v); org <= 0 {
			s.apiFail(w, r, nuanxin.Invalid("org", "err.bad_id", v))
			return
		}
	}
	t, err := s.care.CareTodo(r.Context(), scopeOf(r), org, s.today())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	visits := t.MustVisit
	if visits == nil {
		visits = []*nuanxin.MustVisit{}
	}
	counts := map[string]int{}
	for _, k := range visitKinds {
		counts[string(k)] = t.MustVisitCounts[k]
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"to_submit": t.ToSubmit, "to_review": t.ToReview, "to_approve": t.ToApprove, "to_pay": t.ToPay,
		"to_sign": t.ToSign, "must_visit": visits, "must_visit_counts": counts,
	})
}
