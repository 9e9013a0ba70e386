package store_test

import (
	"path/filepath"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// 00005 rebuilds the SQLite members table (the hash's UNIQUE becomes a
// named index): the members, everything that refers to them and every
// index must come through, and nothing may cascade.
func TestMigrationMemberHashIndex(t *testing.T) {
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "old.db"), storetest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateToForTest(ctx, 4); err != nil {
		t.Fatal(err)
	}
	tr := newTree(t, db)
	id := idn("110101", "19800101", 1)
	a := mustMember(t, db, sys, tr.A.ID, "张三", id)
	mustMember(t, db, sys, tr.A1.ID, "李四", idn("110101", "19810101", 3))
	if err := db.CreateRelative(ctx, sys, &nuanxin.Relative{MemberID: a.ID, Relation: nuanxin.RelSpouse, Name: "王五"}); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		n, err := db.QueryIntForTest(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tables := []string{"members", "member_keys", "relatives", "member_events", "audit_events"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = count("SELECT COUNT(*) FROM " + tb)
	}
	idx := count(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'`)

	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if n := count("SELECT COUNT(*) FROM " + tb); n != before[tb] {
			t.Errorf("%s: %d rows after the migration, %d before", tb, n, before[tb])
		}
	}
	if n := count(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'`); n != idx {
		t.Errorf("members has %d indexes, %d before", n, idx)
	}
	if n := count(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'members_id_hash' AND sql LIKE 'CREATE UNIQUE INDEX%'`); n != 1 {
		t.Error("no unique index members_id_hash")
	}
	if n := count(`SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("%d foreign key violations", n)
	}
	if v, _ := db.WriterPragmaForTest(ctx, "foreign_keys"); v != "1" {
		t.Errorf("foreign_keys = %s on the writer after the migration", v)
	}
	if v, _ := db.WriterPragmaForTest(ctx, "integrity_check"); v != "ok" {
		t.Errorf("integrity_check: %s", v)
	}
	// Still unique, and the error still names the column.
	err = db.CreateMember(ctx, sys, &nuanxin.Member{OrgID: tr.B.ID, Name: "张三", IDNumber: id, Category: nuanxin.CategoryActive})
	if nuanxin.ErrorCode(err) != nuanxin.ECONFLICT {
		t.Errorf("same 身份证号 again: %v", err)
	}
	// Cascades still reach the rebuilt table's children.
	if _, err := db.ExecForTest(ctx, `DELETE FROM members WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT COUNT(*) FROM relatives`); n != 0 {
		t.Errorf("%d relatives left of a deleted member", n)
	}
}

// A new database gets 16 KiB pages (newPageSize), whatever order the
// driver applies the pools' settings in.
func TestNewDatabasePageSize(t *testing.T) {
	db := storetest.Open(t)
	if v, err := db.WriterPragmaForTest(ctx, "page_size"); err != nil || v != "16384" {
		t.Fatalf("page_size = %s (%v)", v, err)
	}
	if v, _ := db.WriterPragmaForTest(ctx, "journal_mode"); v != "wal" {
		t.Fatalf("journal_mode = %s", v)
	}
}
