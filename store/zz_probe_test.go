package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/store/storetest"
	"github.com/nuanxin/nuanxin/store"
)

func TestProbeInsert(t *testing.T) {
	db := storetest.Open(t)
	tr := newTree(t, db)
	n := 200000
	start := time.Now()
	err := db.BulkLoad(ctx, func() error {
		for b := 0; b < n; b += 20000 {
			recs := make([]nuanxin.MemberRecord, 0, 20000)
			for i := b; i < b+20000; i++ {
				s := fmt.Sprintf("430102%s%03d", nuanxin.NewDate(1960, 1, 1).AddDays(i/900).Time().Format("20060102"), i%900+100)
				s += string(nuanxin.IDCheckDigit(s))
				m := nuanxin.Member{OrgID: tr.A.ID, Name: "张三丰", IDNumber: s, Category: nuanxin.CategoryActive, Phone: fmt.Sprintf("138%08d", i), Department: "运行部", EmployeeNo: fmt.Sprintf("E%07d", i), JoinDate: nuanxin.NewDate(2010, 1, 1), Sex: nuanxin.Male, BirthDate: nuanxin.NewDate(1980, 1, 1)}
				recs = append(recs, nuanxin.MemberRecord{Member: &m})
			}
			if err := db.BulkCreateMembers(ctx, sys, recs); err != nil {
				return err
			}
		}
		t.Logf("inserted %v", time.Since(start))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("total %v %v", time.Since(start), store.ProbeTimes)
}
