// Package demo builds the demo union of 暖心: the fictitious 华夏能源集团
// with its subsidiaries' unions, workshops and shift groups, members with
// plausible Chinese names, clearly fictitious but checksum-valid 身份证号
// (see idnum.go for the marker), relatives, and the logins to try it with.
//
// The same generator scales from the 2,000 members of `nuanxin demo` to the
// 1,000,000 of the benchmark: records are made by one producer goroutine in
// batches and handed to the store's bulk writer while the next batch is made.
// Output depends only on Options (Seed, Members, Today), never on timing.
package demo

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/nuanxin/nuanxin"
)

// Sink is where the demo goes: the store.
type Sink interface {
	nuanxin.OrgService
	nuanxin.UserService
	nuanxin.BulkMemberWriter
}

// Options of Generate. The zero value makes the standard demo.
type Options struct {
	Members  int                   // default DefaultMembers, at most MaxMembers
	Seed     int64                 // default DefaultSeed, so the demo is reproducible
	Today    nuanxin.Date          // default nuanxin.Today()
	Progress func(done, total int) // optional, called after each batch is written
}

// Login is a demo account; the CLI prints them once.
type Login struct{ Username, Password, Role, Org string }

// Result tells what was made.
type Result struct {
	Orgs, Members, Relatives int
	Logins                   []Login
}

const (
	DefaultMembers = 2000
	DefaultSeed    = 20240501
	MaxMembers     = 2_000_000 // see idnum.go: the fictitious 身份证号 run out at about 2.9 million
	// BatchSize is the number of records per BulkCreateMembers call.
	BatchSize = 20000
)

func init() {
	nuanxin.RegisterMessages(map[string]string{
		"demo.exists":      "演示数据已存在（组织代码 %s），不能重复生成",
		"demo.members":     "演示会员人数应在1到%d之间",
		"demo.today":       "演示数据的基准日期应在2000年以后",
		"demo.user.admin":  "系统管理员",
		"demo.user.member": "会员自助",
	})
}

// Generate builds the demo union into sink with the system scope: the org
// tree, the users with their grants, and the members with their relatives.
// It refuses to run when the group union's code is already taken.
func Generate(ctx context.Context, sink Sink, opt Options) (*Result, error) {
	if opt.Members == 0 {
		opt.Members = DefaultMembers
	}
	if opt.Members < 0 || opt.Members > MaxMembers {
		return nil, nuanxin.Invalid("members", "demo.members", MaxMembers)
	}
	if opt.Seed == 0 {
		opt.Seed = DefaultSeed
	}
	if opt.Today.IsZero() {
		opt.Today = nuanxin.Today()
	}
	if opt.Today.Year < 2000 {
		return nil, nuanxin.Invalid("today", "demo.today")
	}
	sys := nuanxin.SystemScope()

	switch _, err := sink.FindOrgByRef(ctx, sys, groupCode); {
	case err == nil:
		return nil, nuanxin.Errorf(nuanxin.ECONFLICT, "demo.exists", groupCode)
	case nuanxin.ErrorCode(err) != nuanxin.ENOTFOUND:
		return nil, fmt.Errorf("demo: look up org %s: %w", groupCode, err)
	}

	// The tree and the staff draw from their own stream, so that the
	// members of a seed stay the same when the tree changes size.
	side := rand.New(rand.NewPCG(uint64(opt.Seed), 0x7472656573)) // "trees"
	t, err := buildTree(ctx, sink, sys, opt.Members, side)
	if err != nil {
		return nil, err
	}
	res := &Result{Orgs: t.orgs}
	home := t.bases[0].org
	for _, s := range []struct {
		user string
		role nuanxin.Role
		org  *nuanxin.Org
	}{
		{"admin", nuanxin.RoleAdmin, t.root},
		{"chair", nuanxin.RoleChair, home},
		{"clerk", nuanxin.RoleClerk, home},
		{"reviewer", nuanxin.RoleReviewer, home},
		{"auditor", nuanxin.RoleAuditor, t.root},
	} {
		name := nuanxin.T("demo.user.admin")
		if s.role != nuanxin.RoleAdmin {
			name = staffName(side)
		}
		l, err := addUser(ctx, sink, sys, &nuanxin.User{Username: s.user, Name: name, HomeOrgID: s.org.ID}, s.role, s.org)
		if err != nil {
			return nil, err
		}
		res.Logins = append(res.Logins, l)
	}

	g := newGen(opt.Seed, t, opt.Today)
	if err := g.run(ctx, sink, sys, opt, res); err != nil {
		return nil, err
	}

	if m := g.login; m != nil {
		if m.ID == 0 {
			if err := findMemberID(ctx, sink, sys, m); err != nil {
				return nil, err
			}
		}
		org := &nuanxin.Org{ID: m.OrgID, Name: m.OrgName}
		l, err := addUser(ctx, sink, sys, &nuanxin.User{Username: "member", Name: m.Name, HomeOrgID: m.OrgID, MemberID: m.ID}, nuanxin.RoleMember, org)
		if err != nil {
			return nil, err
		}
		res.Logins = append(res.Logins, l)
	}
	return res, nil
}

// run makes the members in a producer goroutine and writes them batch by
// batch, so generating batch k+1 overlaps with writing batch k.
func (g *gen) run(ctx context.Context, sink Sink, sys *nuanxin.Scope, opt Options, res *Result) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		recs      []nuanxin.MemberRecord
		relatives int
		err       error
	}
	ch := make(chan batch, 2)
	go func() {
		defer close(ch)
		for done := 0; done < opt.Members; {
			n := min(BatchSize, opt.Members-done)
			before := g.relatives
			recs, err := g.batch(n)
			select {
			case ch <- batch{recs, g.relatives - before, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			done += n
		}
	}()
	drain := func() {
		cancel()
		for range ch {
		}
	}
	for b := range ch {
		if b.err != nil {
			drain()
			return b.err
		}
		if err := sink.BulkCreateMembers(ctx, sys, b.recs); err != nil {
			drain()
			return fmt.Errorf("demo: write members %d–%d: %w", res.Members+1, res.Members+len(b.recs), err)
		}
		res.Members += len(b.recs)
		res.Relatives += b.relatives
		if opt.Progress != nil {
			opt.Progress(res.Members, opt.Members)
		}
	}
	return ctx.Err()
}

// memberFinder is what findMemberID needs when the bulk writer does not
// report the ids it assigned.
type memberFinder interface {
	FindMembers(ctx context.Context, s *nuanxin.Scope, f nuanxin.MemberFilter) (*nuanxin.MemberList, error)
}

func findMemberID(ctx context.Context, sink Sink, sys *nuanxin.Scope, m *nuanxin.Member) error {
	mf, ok := sink.(memberFinder)
	if !ok {
		return errors.New("demo: the bulk writer did not set member ids and the sink cannot find members")
	}
	list, err := mf.FindMembers(ctx, sys, nuanxin.MemberFilter{OrgID: m.OrgID, Query: m.CardNo, Limit: 10})
	if err != nil {
		return fmt.Errorf("demo: find member %s: %w", m.CardNo, err)
	}
	for _, x := range list.Members {
		if x.CardNo == m.CardNo {
			m.ID = x.ID
			return nil
		}
	}
	return fmt.Errorf("demo: member %s not found after writing", m.CardNo)
}

func addUser(ctx context.Context, sink Sink, sys *nuanxin.Scope, u *nuanxin.User, role nuanxin.Role, org *nuanxin.Org) (Login, error) {
	pw := Password()
	u.MustChangePassword = false
	if err := sink.CreateUser(ctx, sys, u, pw); err != nil {
		return Login{}, fmt.Errorf("demo: create user %s: %w", u.Username, err)
	}
	if _, err := sink.Grant(ctx, sys, u.ID, role, org.ID); err != nil {
		return Login{}, fmt.Errorf("demo: grant %s to %s: %w", role, u.Username, err)
	}
	return Login{Username: u.Username, Password: pw, Role: string(role), Org: org.Name}, nil
}

// staffName is a name for a union officer.
func staffName(r *rand.Rand) string {
	g := &gen{r: r, surnames: newList(surnameList)}
	male := chance(r, 0.5)
	return g.name(styleHan, g.surnames.pick(r), male, 1970+r.IntN(20))
}

// passwordAlphabet leaves out characters that are easily misread when
// copied from a terminal: 0 O o 1 l I.
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

// Password returns a random 12-character password of letters and digits
// with at least one of each, from crypto/rand.
func Password() string {
	for {
		b := make([]byte, 12)
		var letter, digit bool
		for i := range b {
			c := passwordAlphabet[randIndex(len(passwordAlphabet))]
			b[i] = c
			if c >= '0' && c <= '9' {
				digit = true
			} else {
				letter = true
			}
		}
		if letter && digit {
			return string(b)
		}
	}
}

// randIndex is a uniform index below n from crypto/rand.
func randIndex(n int) int {
	var b [1]byte
	limit := 256 - 256%n
	for {
		if _, err := crand.Read(b[:]); err != nil {
			panic(err) // crypto/rand.Read never fails on a supported platform
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
