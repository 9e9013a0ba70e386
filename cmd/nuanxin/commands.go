package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/demo"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/web"
)

var sys = nuanxin.SystemScope()

func cmdServe(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	addr := fs.String("addr", envOr("NUANXIN_ADDR", ":8080"), "监听地址")
	withDemo := fs.Bool("demo", false, "数据库为空时生成演示数据并打印管理员账号")
	secure := fs.Bool("secure-cookies", os.Getenv("NUANXIN_SECURE_COOKIES") == "1", "仅通过 HTTPS 发送会话 Cookie（部署在 HTTPS 之后时开启）")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		orgs, err := db.FindOrgs(ctx, sys, nuanxin.OrgFilter{IncludeClosed: true})
		if err != nil {
			return err
		}
		if len(orgs) == 0 {
			if err := runDemo(ctx, db, demo.Options{}, out); err != nil {
				return err
			}
		} else {
			fmt.Fprintln(out, "数据库中已有数据，跳过演示数据生成。")
		}
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv := &http.Server{
		Addr: *addr,
		Handler: web.New(web.Config{
			Orgs: db, Members: db, Users: db, Audit: db, Care: db, Policy: db, Campaigns: db, Hardship: db, Stats: db, Summaries: db, WithIP: store.WithIP,
			// Uploaded rosters hold personal data: keep them beside the
			// database (mode 0700), not in a shared temp directory.
			UploadDir: filepath.Join(d.dataDir(), "uploads"),
			Version:   Version, SecureCookies: *secure, Logger: logger,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w", *addr, err)
	}
	fmt.Fprintf(out, "暖心已启动：http://%s （数据库：%s）\n", displayAddr(ln.Addr()), describeDSN(d.dsn))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") {
		return "localhost:" + strings.TrimPrefix(s, "[::]:")
	}
	if strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + strings.TrimPrefix(s, "0.0.0.0:")
	}
	return s
}

// describeDSN hides a PostgreSQL password in what is printed.
func describeDSN(dsn string) string {
	if store.IsPostgres(dsn) {
		if i := strings.Index(dsn, "@"); i > 0 {
			if j := strings.Index(dsn, "://"); j > 0 && j < i {
				return dsn[:j+3] + "***" + dsn[i:]
			}
		}
	}
	return dsn
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func cmdMigrate(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(out, "数据库结构已是最新。")
	return nil
}

func cmdOrgAdd(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("org add", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	name := fs.String("name", "", "组织名称")
	kind := fs.String("kind", "", "类型：总工会/集团工会/基层工会/分工会/工会小组（或 federation/group/base/branch/team）")
	parent := fs.String("parent", "", "上级组织 ID 或代码")
	code := fs.String("code", "", "组织代码（可选，唯一）")
	credit := fs.String("credit-code", "", "统一社会信用代码（可选）")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := required("name", *name); err != nil {
		return err
	}
	k, ok := nuanxin.ParseOrgKind(*kind)
	if !ok {
		return usageError("--kind 应为 总工会/集团工会/基层工会/分工会/工会小组 之一")
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	o := &nuanxin.Org{Name: *name, Kind: k, Code: *code, CreditCode: *credit}
	if *parent != "" {
		p, err := db.FindOrgByRef(ctx, sys, *parent)
		if err != nil {
			return err
		}
		o.ParentID = p.ID
	}
	if err := db.CreateOrg(ctx, sys, o); err != nil {
		return err
	}
	fmt.Fprintf(out, "已新建组织 %d：%s（%s）\n", o.ID, o.Name, o.Kind.Label())
	return nil
}

func cmdOrgList(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("org list", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	closed := fs.Bool("all", false, "包括已撤销的组织")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := db.FindOrgs(ctx, sys, nuanxin.OrgFilter{IncludeClosed: *closed, WithCounts: true})
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		fmt.Fprintln(out, "还没有组织。用 nuanxin org add 新建，或 nuanxin demo 生成演示数据。")
	}
	for _, o := range orgs {
		extra := ""
		if o.Code != "" {
			extra = " 代码 " + o.Code
		}
		if o.Closed {
			extra += " [已撤销]"
		}
		fmt.Fprintf(out, "%6d  %s%s（%s，会员 %d 人）%s\n", o.ID, strings.Repeat("  ", o.Depth), o.Name, o.Kind.Label(), o.MemberCount, extra)
	}
	return nil
}

func cmdUserAdd(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	username := fs.String("username", "", "用户名")
	name := fs.String("name", "", "姓名")
	orgRef := fs.String("org", "", "所属组织 ID 或代码")
	role := fs.String("role", "", "同时授予的角色：admin/chair/clerk/reviewer/auditor/member")
	password := fs.String("password", "", "初始密码（不填则随机生成并显示一次）")
	memberID := fs.Int64("member", 0, "该用户本人的会员编号（会员自助登录用）")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	for _, r := range []struct{ n, v string }{{"username", *username}, {"name", *name}, {"org", *orgRef}} {
		if err := required(r.n, r.v); err != nil {
			return err
		}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.FindOrgByRef(ctx, sys, *orgRef)
	if err != nil {
		return err
	}
	pw, generated := *password, false
	if pw == "" {
		pw, generated = randomPassword(), true
	}
	u := &nuanxin.User{Username: *username, Name: *name, HomeOrgID: org.ID, MemberID: *memberID, MustChangePassword: generated}
	if err := db.CreateUser(ctx, sys, u, pw); err != nil {
		return err
	}
	fmt.Fprintf(out, "已新建用户 %s（%s），所属 %s\n", u.Username, u.Name, org.Name)
	if *role != "" {
		r, ok := nuanxin.ParseRole(*role)
		if !ok {
			return usageError("--role 应为 admin/chair/clerk/reviewer/auditor/member 之一")
		}
		if _, err := db.Grant(ctx, sys, u.ID, r, org.ID); err != nil {
			return err
		}
		fmt.Fprintf(out, "已授予 %s：%s\n", org.Name, r.Label())
	}
	if generated {
		fmt.Fprintf(out, "初始密码：%s （仅显示这一次，首次登录须修改）\n", pw)
	}
	return nil
}

func cmdUserPasswd(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	password := fs.String("password", "", "新密码（不填则随机生成并显示一次）")
	db, u, err := openForUser(ctx, fs, &d, args, "用法：nuanxin user passwd 用户名 [--password 新密码]")
	if err != nil {
		return err
	}
	defer db.Close()
	pw := *password
	if pw == "" {
		pw = randomPassword()
	}
	if err := db.SetPassword(ctx, sys, u.ID, pw); err != nil {
		return err
	}
	if err := db.UnlockUser(ctx, sys, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(out, "已重设 %s 的密码", u.Username)
	if *password == "" {
		fmt.Fprintf(out, "：%s （仅显示这一次）", pw)
	}
	fmt.Fprintln(out)
	return nil
}

func cmdUserGrant(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("user grant", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	role := fs.String("role", "", "角色：admin/chair/clerk/reviewer/auditor/member")
	orgRef := fs.String("org", "", "组织 ID 或代码（角色覆盖其全部下级）")
	db, u, err := openForUser(ctx, fs, &d, args, "用法：nuanxin user grant 用户名 --role 角色 --org 组织")
	if err != nil {
		return err
	}
	defer db.Close()
	r, ok := nuanxin.ParseRole(*role)
	if !ok {
		return usageError("--role 应为 admin/chair/clerk/reviewer/auditor/member 之一")
	}
	if err := required("org", *orgRef); err != nil {
		return err
	}
	org, err := db.FindOrgByRef(ctx, sys, *orgRef)
	if err != nil {
		return err
	}
	if _, err := db.Grant(ctx, sys, u.ID, r, org.ID); err != nil {
		return err
	}
	fmt.Fprintf(out, "已授予 %s 在 %s 的角色：%s\n", u.Username, org.Name, r.Label())
	return nil
}

func cmdUserToken(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("user token", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	name := fs.String("name", "命令行生成", "令牌用途")
	db, u, err := openForUser(ctx, fs, &d, args, "用法：nuanxin user token 用户名 [--name 用途]")
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := db.CreateAPIToken(ctx, sys, u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "接口令牌（仅显示这一次）：%s\n用法：curl -H 'Authorization: Bearer %s' http://localhost:8080/api/v1/orgs\n", t.Token, t.Token)
	return nil
}

func cmdDemo(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	members := fs.Int("members", 2000, "会员人数")
	seed := fs.Int64("seed", 1, "随机种子（相同种子生成相同数据）")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *members < 1 || *members > demo.MaxMembers {
		return usageError(fmt.Sprintf("--members 应在 1 到 %d 之间", demo.MaxMembers))
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := db.FindOrgs(ctx, sys, nuanxin.OrgFilter{IncludeClosed: true})
	if err != nil {
		return err
	}
	if len(orgs) > 0 {
		return errors.New("数据库中已有组织，演示数据只能生成到空数据库中；请换一个 --db 路径")
	}
	return runDemo(ctx, db, demo.Options{Members: *members, Seed: *seed}, out)
}

func runDemo(ctx context.Context, db *store.DB, opt demo.Options, out io.Writer) error {
	start := time.Now()
	tty := isTerminal(out)
	opt.Progress = func(done, total int) {
		if tty {
			fmt.Fprintf(out, "\r生成演示数据 %d / %d", done, total)
		}
	}
	var res *demo.Result
	err := db.BulkLoad(ctx, func() (err error) {
		res, err = demo.Generate(ctx, db, opt)
		return err
	})
	if tty {
		fmt.Fprintln(out)
	}
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(out, "演示数据已生成：%d 个组织，%d 名会员，%d 名家属，用时 %.1f 秒（%.0f 人/秒）\n",
		res.Orgs, res.Members, res.Relatives, el.Seconds(), float64(res.Members)/el.Seconds())
	// A year of 慰问 goes through the real services (policy, workflow,
	// audit), after the bulk load, as officers would have entered it.
	care, err := demo.GenerateCare(ctx, db, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "演示慰问记录：%d 条，发放批次 %d 个，专项活动 %d 个（采用%s慰问标准）\n", care.Cases, care.Batches, care.Campaigns, care.Pack)
	fmt.Fprintln(out, "登录账号（密码仅显示这一次，请妥善保存）：")
	for _, l := range res.Logins {
		role := l.Role
		if r, ok := nuanxin.ParseRole(l.Role); ok {
			role = r.Label()
		}
		fmt.Fprintf(out, "  用户名 %-10s 密码 %-14s %s（%s）\n", l.Username, l.Password, role, l.Org)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func cmdAuditVerify(ctx context.Context, args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	var d dbFlags
	d.register(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	n, brk, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		return fmt.Errorf("审计日志被破坏：第 %d 条记录 —— %s（此前 %d 条完好）", brk.ID, brk.Reason, n)
	}
	fmt.Fprintf(out, "审计日志完整：共 %d 条记录，哈希链校验通过。\n", n)
	return nil
}

// randomPassword is 12 letters and digits without look-alikes (0/O, 1/l).
func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		b := make([]byte, 12)
		rand.Read(b)
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		s := string(b)
		if strings.ContainsAny(s, "23456789") && strings.IndexFunc(s, func(r rune) bool { return r > '9' }) >= 0 {
			return s
		}
	}
}

// openForUser parses a "user VERB USERNAME [flags]" command line, opens the
// store and finds the user.
func openForUser(ctx context.Context, fs *flag.FlagSet, d *dbFlags, args []string, usage string) (*store.DB, *nuanxin.User, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if len(pos) != 1 {
		return nil, nil, usageError(usage)
	}
	db, err := d.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, err := db.FindUserByName(ctx, sys, pos[0])
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, u, nil
}
