package summary

import (
	"net/url"
	"strconv"
	"time"

	"github.com/nuanxin/nuanxin"
)

// The links behind figures. The dashboard, the statistics page and the
// 工作总结 all point a figure at the list it counts through these, so a
// click shows exactly the records behind the number.

// CareHref is the care list behind a care figure: the paid cases of the
// subtree and period, narrowed to a category, a form or a month (YYYYMM)
// when given.
func CareHref(f nuanxin.StatsFilter, category nuanxin.CareCategory, form nuanxin.CareForm, month int) string {
	v := url.Values{"paid": {"1"}}
	if f.OrgID != 0 {
		v.Set("org", strconv.FormatInt(f.OrgID, 10))
	}
	p := f.Period
	if month != 0 {
		m := nuanxin.MonthPeriod(month/100, time.Month(month%100))
		if m.From.After(p.From) || p.From.IsZero() {
			p.From = m.From
		}
		if m.To.Before(p.To) || p.To.IsZero() {
			p.To = m.To
		}
	}
	if !p.From.IsZero() {
		v.Set("from", p.From.String())
	}
	if !p.To.IsZero() {
		v.Set("to", p.To.String())
	}
	if category != "" {
		v.Set("category", string(category))
	}
	if form != "" {
		v.Set("form", string(form))
	}
	if f.CampaignID != 0 {
		v.Set("campaign", strconv.FormatInt(f.CampaignID, 10))
	}
	return "/care?" + v.Encode()
}

// CareStatusHref is the care list of one status in a subtree (the 待办
// lines behind the backlog).
func CareStatusHref(orgID int64, st nuanxin.CareStatus) string {
	v := url.Values{"status": {string(st)}}
	if orgID != 0 {
		v.Set("org", strconv.FormatInt(orgID, 10))
	}
	return "/care?" + v.Encode()
}

// MembersHref is the member list of a subtree, by status and category
// when given.
func MembersHref(orgID int64, status nuanxin.MemberStatus, category nuanxin.Category) string {
	v := url.Values{}
	if orgID != 0 {
		v.Set("org", strconv.FormatInt(orgID, 10))
	}
	if status != "" {
		v.Set("status", string(status))
	}
	if category != "" {
		v.Set("category", string(category))
	}
	return withQuery("/members", v)
}

// CampaignHref is a campaign's page.
func CampaignHref(id int64) string { return "/campaigns/" + strconv.FormatInt(id, 10) }

// HardshipHref is the list of 困难职工档案.
func HardshipHref() string { return "/hardship" }

// StatsHref is the statistics page of a subtree and period.
func StatsHref(f nuanxin.StatsFilter) string {
	v := url.Values{}
	if f.OrgID != 0 {
		v.Set("org", strconv.FormatInt(f.OrgID, 10))
	}
	if f.Period.Valid() {
		v.Set("period", f.Period.String())
	}
	if f.CampaignID != 0 {
		v.Set("campaign", strconv.FormatInt(f.CampaignID, 10))
	}
	return withQuery("/stats", v)
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
