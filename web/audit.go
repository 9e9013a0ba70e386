package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/nuanxin/nuanxin"
)

const auditPerPage = 50

// auditActions are the actions the filter offers (labels from the catalog).
var auditActions = []string{
	"member.create", "member.update", "member.reveal", "member.export", "member.event", "member.receive",
	"member.import", "member.import_update",
	"relative.create", "relative.update", "relative.delete",
	"org.create", "org.update", "org.move", "org.close", "org.reopen", "org.delete",
	"user.create", "user.password", "user.own_password", "user.disable", "user.enable", "user.unlock",
	"user.grant", "user.revoke", "user.login", "user.login_failed", "user.locked", "user.logout", "user.token",
	"demo.create",
}

var auditEntities = []string{"member", "relative", "org", "user", "grant"}

// change is one field of an audit entry's before/after.
type change struct {
	Field, Before, After string
}

type auditRow struct {
	E       *nuanxin.AuditEvent
	Changes []change // the first few, shown at once
	More    []change // the rest, folded
}

const auditShown = 4

// auditSkip are bookkeeping fields not worth a line in the change list.
var auditSkip = map[string]bool{"id": true, "created_at": true, "updated_at": true, "version": true,
	"pinyin": true, "org_path": true, "path": true, "depth": true, "member_count": true}

type auditData struct {
	Form     *form
	Rows     []auditRow
	Pager    *pager
	Actions  []option
	Entities []option
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := newForm(q)
	var af nuanxin.AuditFilter
	var fe nuanxin.FieldErrors
	af.Action = strings.TrimSpace(q.Get("action"))
	af.Entity = strings.TrimSpace(q.Get("entity"))
	af.Username = strings.TrimSpace(q.Get("username"))
	if v := strings.TrimSpace(q.Get("entity_id")); v != "" {
		if af.EntityID = formInt(v); af.EntityID <= 0 {
			fe.Add("entity_id", "err.bad_id", v)
		}
	}
	var err error
	if af.From, err = nuanxin.ParseDate(strings.TrimSpace(q.Get("from"))); err != nil {
		fe = append(fe, fieldErr("from", err))
	}
	if af.To, err = nuanxin.ParseDate(strings.TrimSpace(q.Get("to"))); err != nil {
		fe = append(fe, fieldErr("to", err))
	}
	page := 1
	if v := q.Get("page"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 100000 {
			page = n
		}
	}
	d := &auditData{Form: f, Actions: actionOptions(), Entities: entityOptions()}
	status := http.StatusOK
	if len(fe) > 0 {
		f.setErr(fe)
		status = http.StatusUnprocessableEntity
		d.Pager = newPager("/audit", q, 1, auditPerPage, 0, false, "ui.unit.entries")
		s.page(w, r, status, "audit", nuanxin.T("ui.nav.audit"), "audit", d)
		return
	}
	af.Limit, af.Offset = auditPerPage, (page-1)*auditPerPage
	events, total, err := s.audit.FindAuditEvents(r.Context(), scopeOf(r), af)
	if err != nil {
		if isFormErr(err) {
			f.setErr(err)
			s.page(w, r, statusOf(nuanxin.ErrorCode(err), false), "audit", nuanxin.T("ui.nav.audit"), "audit", d)
			return
		}
		s.fail(w, r, err)
		return
	}
	for _, e := range events {
		row := auditRow{E: e, Changes: diffJSON(e.Before, e.After)}
		if len(row.Changes) > auditShown {
			row.Changes, row.More = row.Changes[:auditShown], row.Changes[auditShown:]
		}
		d.Rows = append(d.Rows, row)
	}
	d.Pager = newPager("/audit", q, page, auditPerPage, total, false, "ui.unit.entries")
	s.page(w, r, status, "audit", nuanxin.T("ui.nav.audit"), "audit", d)
}

func actionOptions() []option {
	var o []option
	for _, a := range auditActions {
		o = append(o, option{a, nuanxin.T("audit.action." + a)})
	}
	return o
}

func entityOptions() []option {
	var o []option
	for _, e := range auditEntities {
		o = append(o, option{e, nuanxin.T("what." + e)})
	}
	return o
}

// diffJSON lists the fields that differ between two JSON objects, labelled in
// Chinese where the catalog knows the field. Anything not an object is shown
// whole.
func diffJSON(before, after string) []change {
	var b, a map[string]any
	bok := before == "" || json.Unmarshal([]byte(before), &b) == nil
	aok := after == "" || json.Unmarshal([]byte(after), &a) == nil
	if !bok || !aok {
		return []change{{Field: "", Before: before, After: after}}
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		if !auditSkip[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []change
	for _, k := range names {
		bv, bin := b[k]
		av, ain := a[k]
		bs, as := auditValue(k, jsonText(bv, bin)), auditValue(k, jsonText(av, ain))
		if bs == as {
			continue
		}
		out = append(out, change{Field: fieldLabel(k), Before: bs, After: as})
	}
	return out
}

func jsonText(v any, present bool) string {
	if !present || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return nuanxin.T("ui.yes")
		}
		return nuanxin.T("ui.no")
	}
	bs, _ := json.Marshal(v)
	return string(bs)
}

// auditValue shows enumeration codes by their Chinese label and masks phone
// numbers, so the log reads like the rest of the interface.
func auditValue(field, v string) string {
	if v == "" {
		return v
	}
	switch field {
	case "phone":
		return nuanxin.MaskPhone(v)
	case "category":
		return nuanxin.Category(v).Label()
	case "status":
		if nuanxin.HasMessage("status." + v) {
			return nuanxin.MemberStatus(v).Label()
		}
	case "relation":
		return nuanxin.Relation(v).Label()
	case "role":
		return nuanxin.Role(v).Label()
	case "kind":
		if nuanxin.HasMessage("org.kind." + v) {
			return nuanxin.OrgKind(v).Label()
		}
	case "event":
		return nuanxin.EventKind(v).Label()
	case "sex":
		return nuanxin.Sex(v).Label()
	}
	return v
}

// fieldLabel names a JSON field in Chinese when the catalog has ui.field.<k>.
func fieldLabel(k string) string {
	if key := "ui.field." + k; nuanxin.HasMessage(key) {
		return nuanxin.T(key)
	}
	return k
}
