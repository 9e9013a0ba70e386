package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/roster"
	"github.com/nuanxin/nuanxin/store"
)

// `import care` is registered here, not in main.go's table, so the care
// import stays in one file (main.go's usage text does not list it yet).
func init() {
	commands["import care"] = cmdImportCare
}

// cmdImportCare enters a 慰问登记表 (historical care records) as paid
// cases: `nuanxin import care --org ORG FILE [--dry-run] [--json]
// [--rejected F] [--sheet N]`, the same flags, output and JSON as
// `import members`.
func cmdImportCare(ctx context.Context, args []string, out, errOut io.Writer) error {
	return runImport(ctx, args, out, errOut, importKind{
		name:  "import care",
		usage: "用法：nuanxin import care --org 组织 慰问登记表.xlsx [--dry-run] [--json] [--rejected 未导入.xlsx]",
		run: func(ctx context.Context, db *store.DB, path string, opt roster.ImportOptions, org *nuanxin.Org, dry bool, progress func(nuanxin.ImportProgress)) (*nuanxin.ImportReport, error) {
			return roster.ImportCare(ctx, db, sys, path, opt, nuanxin.CareImportOptions{OrgID: org.ID, DryRun: dry, Progress: progress})
		},
		rejected: roster.WriteCareRejectedRows,
		summary:  careSummary,
	})
}

// careSummary counts records (条), not people: one person has many.
func careSummary(r *nuanxin.ImportReport) string {
	if r.DryRun {
		return fmt.Sprintf("预检共%d行：将新增%d条慰问记录，已有（无变化）%d条，不能导入%d行（尚未写入任何数据）", r.Total, r.Created, r.Unchanged, r.Rejected)
	}
	return fmt.Sprintf("共%d行：新增%d条慰问记录，已有（无变化）%d条，未导入%d行", r.Total, r.Created, r.Unchanged, r.Rejected)
}
