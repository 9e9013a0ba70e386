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
