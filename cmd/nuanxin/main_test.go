package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs one command line against db and returns what it printed.
func cli(t *testing.T, db string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append(args, "--db", db), &out, &errb)
	return out.String() + errb.String(), err
}

func TestCommandLine(t *testing.T) {
	t.Setenv("NUANXIN_KEY", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")

	out, err := cli(t, db, "org", "add", "--name", "华夏集团工会", "--kind", "集团工会", "--code", "HX")
	if err != nil || !strings.Contains(out, "已新建组织") {
		t.Fatalf("org add: %q %v", out, err)
	}
	// the parent by code, flags in any order, the kind by its code
	if out, err = cli(t, db, "org", "add", "--kind", "base", "--parent", "HX", "--name", "发电公司工会", "--code", "HX-A"); err != nil {
		t.Fatalf("org add child: %q %v", out, err)
	}
	if _, err = cli(t, db, "org", "add", "--name", "错", "--kind", "基层工会", "--parent", "NOPE"); err == nil {
		t.Fatal("unknown parent accepted")
	}
	out, err = cli(t, db, "org", "list")
	if err != nil || !strings.Contains(out, "华夏集团工会") || !strings.Contains(out, "  发电公司工会（基层工会") {
		t.Fatalf("org list: %q %v", out, err)
	}
	out, err = cli(t, db, "user", "add", "--username", "zhang", "--name", "张干事", "--org", "HX-A", "--role", "clerk")
	if err != nil || !strings.Contains(out, "初始密码") || !strings.Contains(out, "经办人") {
		t.Fatalf("user add: %q %v", out, err)
	}
	// positional argument before the flags, as people type it
	if out, err = cli(t, db, "user", "passwd", "zhang", "--password", "Newpass123"); err != nil {
		t.Fatalf("passwd: %q %v", out, err)
	}
	if out, err = cli(t, db, "user", "grant", "zhang", "--role", "审核人", "--org", "HX"); err != nil || !strings.Contains(out, "审核人") {
		t.Fatalf("grant: %q %v", out, err)
	}
	if _, err = cli(t, db, "user", "grant", "zhang", "--role", "boss", "--org", "HX"); err == nil {
		t.Fatal("bad role accepted")
	}
	out, err = cli(t, db, "audit", "verify")
	if err != nil || !strings.Contains(out, "哈希链校验通过") {
		t.Fatalf("audit verify: %q %v", out, err)
	}
	// tampering is named by the same command
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_events SET username = 'mallory' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err = cli(t, db, "audit", "verify"); err == nil || !strings.Contains(err.Error(), "第 2 条") {
		t.Fatalf("tampered audit: %v", err)
	}
	if _, err = cli(t, db, "bogus"); err == nil {
		t.Fatal("unknown command accepted")
	}
	if out, _ = cli(t, db, "version"); !strings.Contains(out, "nuanxin") {
		t.Fatalf("version: %q", out)
	}
}

func TestDemoCommand(t *testing.T) {
	t.Setenv("NUANXIN_KEY", "")
	db := filepath.Join(t.TempDir(), "demo.db")
	out, err := cli(t, db, "demo", "--members", "300")
	if err != nil || !strings.Contains(out, "300 名会员") || !strings.Contains(out, "用户名 admin") {
		t.Fatalf("demo: %q %v", out, err)
	}
	if _, err := cli(t, db, "demo", "--members", "300"); err == nil {
		t.Fatal("demo into a non-empty database accepted")
	}
}
