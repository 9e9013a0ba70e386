package store_test

import (
	"fmt"
	"testing"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store"
	"github.com/nuanxin/nuanxin/store/storetest"
)

// A first import into an empty installation drops the unique indexes too
// (the 身份证号 hash's, and 会员证号's once a row has one) and builds them
// at the end: they must come back, and hold.
func TestImportMembersUniqueIndexesRebuilt(t *testing.T) {
	defer store.SetBulkImportRows(1000)()
	for _, cardsFrom := range []int{-1, 0, 6000} { // no card numbers; from the first row; from a later batch
		t.Run(fmt.Sprint("cards from ", cardsFrom), func(t *testing.T) {
			db := storetest.Open(t)
			tr := newTree(t, db)
			indexes, err := db.IndexesForTest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			const n = 7000
			var rows []*nuanxin.MemberRow
			for i := 0; i < n; i++ {
				birth := nuanxin.NewDate(1960, 1, 1).AddDays(i)
				m := nuanxin.Member{Name: "测试", IDNumber: idn("430102", birth.Time().Format("20060102"), 100+i%800),
					Category: nuanxin.CategoryActive}
				fields := []string{"name", "id_number", "category"}
				if cardsFrom >= 0 && i >= cardsFrom {
					m.CardNo = fmt.Sprintf("HY%06d", i)
					fields = append(fields, "card_no")
				}
				rows = append(rows, row(i+2, m, fields...))
			}
			// Expected: the bulk path (indexes dropped and rebuilt).
			rep, err := db.ImportMembers(ctx, sys, &nuanxin.SliceRows{Rows: rows}, nuanxin.MemberImportOptions{OrgID: tr.A.ID, Expected: n})
			if err != nil {
				t.Fatal(err)
			}
			if counts(rep) != fmt.Sprintf("c%d u0 n0 r0", n) {
				t.Fatalf("import = %s %+v", counts(rep), rep.Errors[:min(3, len(rep.Errors))])
			}
			if got, _ := db.IndexesForTest(ctx); got != indexes {
				t.Fatalf("indexes after the import: %d, want %d", got, indexes)
			}
			err = db.CreateMember(ctx, sys, &nuanxin.Member{OrgID: tr.B.ID, Name: "重复", IDNumber: rows[n-1].Member.IDNumber,
				Category: nuanxin.CategoryActive})
			if nuanxin.ErrorCode(err) != nuanxin.ECONFLICT {
				t.Fatalf("an imported 身份证号 again: %v", err)
			}
			if cardsFrom >= 0 {
				err = db.CreateMember(ctx, sys, &nuanxin.Member{OrgID: tr.B.ID, Name: "重复", IDNumber: idn("110101", "19900101", 1),
					Category: nuanxin.CategoryActive, CardNo: rows[n-1].Member.CardNo})
				if err == nil {
					t.Fatal("an imported 会员证号 again: accepted")
				}
			}
			if v, _ := db.WriterPragmaForTest(ctx, "integrity_check"); v != "ok" {
				t.Fatalf("integrity_check: %s", v)
			}
		})
	}
}

// The bulk path copies the name and pinyin keys inside SQLite and binds
// the rest: the search keys must be those a member created on its own
// gets, for polyphone surnames, ü, Latin letters and minority names too.
func TestImportMembersBulkSearchKeys(t *testing.T) {
	defer store.SetBulkImportRows(100)()
	names := []string{"单雄信", "曾国藩", "吕布", "张三", "John Smith", "阿卜杜拉·艾则孜", "区志伟", "解晓东", "李", "Anna"}
	const n = 300
	var rows []*nuanxin.MemberRow
	var members []nuanxin.Member
	for i := 0; i < n; i++ {
		birth := nuanxin.NewDate(1970, 1, 1).AddDays(i)
		m := nuanxin.Member{Name: names[i%len(names)], IDNumber: idn("430102", birth.Time().Format("20060102"), 100+i%800),
			Category: nuanxin.CategoryActive}
		members = append(members, m)
		rows = append(rows, row(i+2, m, "name", "id_number", "category"))
	}
	storetest.Each(t, func(t *testing.T, bulk *store.DB) {
		one := storetest.Open(t)
		if bulk.Dialect() != store.SQLite {
			one = storetest.OpenPostgres(t)
		}
		tr := newTree(t, bulk)
		rep, err := bulk.ImportMembers(ctx, sys, &nuanxin.SliceRows{Rows: rows}, nuanxin.MemberImportOptions{OrgID: tr.A.ID, Expected: n})
		if err != nil || rep.Created != n {
			t.Fatalf("import: %v %s", err, counts(rep))
		}
		tr1 := newTree(t, one)
		for i := range members {
			m := members[i]
			m.OrgID = tr1.A.ID
			if err := one.CreateMember(ctx, sys, &m); err != nil {
				t.Fatal(err)
			}
		}
		got, err := bulk.MemberKeysForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := one.MemberKeysForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("bulk keys differ from one by one:\n got %d %v\nwant %d %v", len(got), got[:min(12, len(got))], len(want), want[:min(12, len(want))])
		}
	})
}

// A bulk import commits with SQLite's automatic checkpoint off and has the
// log copied into the database file beside the other connections: once
// that is done the file holds every page, without a close.
func TestImportMembersCheckpointed(t *testing.T) {
	defer store.SetBulkImportRows(1000)()
	db := storetest.Open(t)
	tr := newTree(t, db)
	const n = 3000
	var rows []*nuanxin.MemberRow
	for i := 0; i < n; i++ {
		birth := nuanxin.NewDate(1960, 1, 1).AddDays(i)
		rows = append(rows, row(i+2, nuanxin.Member{Name: "测试", IDNumber: idn("430102", birth.Time().Format("20060102"), 100+i%800),
			Category: nuanxin.CategoryActive}, "name", "id_number", "category"))
	}
	file0, _, err := db.FileSizesForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := db.ImportMembers(ctx, sys, &nuanxin.SliceRows{Rows: rows}, nuanxin.MemberImportOptions{OrgID: tr.A.ID, Expected: n}); err != nil || rep.Created != n {
		t.Fatalf("import: %v", err)
	}
	file, pages, err := db.FileSizesForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if file != pages || file <= file0 {
		t.Fatalf("database file %d bytes (%d before the import), its pages %d: the log was not copied", file, file0, pages)
	}
	if v, _ := db.WriterPragmaForTest(ctx, "wal_autocheckpoint"); v != "1000" {
		t.Fatalf("wal_autocheckpoint = %s on the writer after the import", v)
	}
}
