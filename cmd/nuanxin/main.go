// Command nuanxin is the whole 暖心 platform in one binary: the web server,
// migrations, administration, demo data and the audit check.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/secret"
	"github.com/nuanxin/nuanxin/store"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

const defaultDB = "./data/nuanxin.db"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// NUANXIN_CPUPROFILE=file profiles any command (benchmarks, slow imports).
	if path := os.Getenv("NUANXIN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "错误：", nuanxinMessage(err))
		os.Exit(1)
	}
}

// nuanxinMessage shows application errors in Chinese and anything else as
// it is (an operator at a shell benefits from the detail).
func nuanxinMessage(err error) string {
	if nuanxin.ErrorCode(err) != nuanxin.EINTERNAL {
		if fe := nuanxin.AsFieldErrors(err); len(fe) > 1 {
			var parts []string
			for _, e := range fe {
				parts = append(parts, e.Field+"："+e.Error())
			}
			return strings.Join(parts, "；")
		}
		return nuanxin.ErrorMessage(err)
	}
	return err.Error()
}

type usageError string

func (e usageError) Error() string { return string(e) }

const usage = `暖心 nuanxin — 工会关心关怀工作平台

用法：nuanxin <命令> [参数]

命令：
  serve          启动网页服务（--addr :8080 --db 路径或 postgres:// --demo）
  migrate        升级数据库结构
  org add        新建组织：--name 名称 --kind 类型 [--parent 上级ID或代码] [--code 代码]
  org list       列出组织树
  user add       新建用户：--username 用户名 --name 姓名 --org 组织 [--role 角色] [--password 密码]
  user passwd    重设密码：user passwd 用户名 [--password 密码]
  user grant     授权：user grant 用户名 --role 角色 --org 组织
  user token     生成接口令牌：user token 用户名 [--name 用途]
  demo           生成演示数据：[--members 2000] [--seed 1]
  audit verify   校验审计日志哈希链
  import members --org 组织 文件 [--dry-run] [--json] [--rejected 未导入.xlsx]
                 导入会员花名册（xlsx/CSV）；先用 --dry-run 预检
  import care    --org 组织 文件 [--dry-run] [--json] [--rejected 未导入.xlsx]
                 导入历史慰问登记表（作为已发放记录；违反标准的行给出提示）
  export members --org 组织 -o 文件.xlsx|文件.csv
                 导出会员花名册（身份证号、手机号默认遮盖）
  report summary --org 组织 --from 2026-01-01 --to 2026-12-31 --format docx|html|md -o 文件
                 根据系统记录生成工作总结（-o - 把 md、html 输出到屏幕；--campaign 活动ID 写专项活动总结）
  version        显示版本

每个命令都接受 --db（默认 ./data/nuanxin.db，或环境变量 NUANXIN_DB）
和 --key-file（身份证号加密密钥文件，默认在数据库文件旁；或环境变量 NUANXIN_KEY）。`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "org" || cmd == "user" || cmd == "audit" || cmd == "import" || cmd == "export" || cmd == "report") && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	c, ok := commands[cmd]
	if !ok {
		return usageError(fmt.Sprintf("未知命令 %q\n\n%s", cmd, usage))
	}
	return c(ctx, rest, stdout, stderr)
}

var commands = map[string]func(context.Context, []string, io.Writer, io.Writer) error{
	"serve":          cmdServe,
	"migrate":        cmdMigrate,
	"org add":        cmdOrgAdd,
	"org list":       cmdOrgList,
	"user add":       cmdUserAdd,
	"user passwd":    cmdUserPasswd,
	"user grant":     cmdUserGrant,
	"user token":     cmdUserToken,
	"demo":           cmdDemo,
	"audit verify":   cmdAuditVerify,
	"import members": cmdImportMembers,
	"export members": cmdExportMembers,
	"version": func(_ context.Context, _ []string, out, _ io.Writer) error {
		fmt.Fprintln(out, "nuanxin", Version)
		return nil
	},
}

// dbFlags are the flags every command takes.
type dbFlags struct {
	dsn     string
	keyFile string
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	def := os.Getenv("NUANXIN_DB")
	if def == "" {
		def = defaultDB
	}
	fs.StringVar(&d.dsn, "db", def, "SQLite 数据库文件路径，或 postgres:// 连接串（环境变量 NUANXIN_DB）")
	fs.StringVar(&d.keyFile, "key-file", os.Getenv("NUANXIN_KEY_FILE"), "身份证号加密密钥文件（默认在数据库文件旁）")
}

// dataDir is the directory beside the SQLite file (./data for PostgreSQL),
// where the key file and uploads live.
func (d *dbFlags) dataDir() string {
	if store.IsPostgres(d.dsn) {
		return filepath.Dir(defaultDB)
	}
	return filepath.Dir(d.dsn)
}

// open opens and migrates the store.
func (d *dbFlags) open(ctx context.Context) (*store.DB, error) {
	keyFile := d.keyFile
	if keyFile == "" {
		keyFile = filepath.Join(d.dataDir(), "nuanxin.key")
	}
	key, err := secret.LoadOrCreateKey(keyFile)
	if err != nil {
		return nil, fmt.Errorf("读取加密密钥 %s 失败: %w", keyFile, err)
	}
	box, err := secret.New(key)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, d.dsn, box)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// parse parses flags that may stand before or after positional arguments,
// as people type them ("user passwd zhang --password x").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			var b strings.Builder
			fs.SetOutput(&b)
			fs.PrintDefaults()
			return nil, usageError(fmt.Sprintf("参数错误：%v\n%s", err, b.String()))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func required(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return usageError(fmt.Sprintf("缺少参数 --%s", name))
	}
	return nil
}
