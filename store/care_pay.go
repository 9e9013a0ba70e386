package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

// forUpdate locks the rows a SELECT reads until commit on PostgreSQL.
// SQLite needs nothing: its one writer already runs transactions one at a
// time (and BEGIN IMMEDIATE takes the write lock up front).
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// PayCare records the payment of approved cases as one batch. Each case is
// checked against the policy again here, against what has really been
// paid, with the member's row locked: two officers paying at once queue on
// that lock, and the second sees the first's payment.
func (db *DB) PayCare(ctx context.Context, s *nuanxin.Scope, p nuanxin.PaymentInput) (*nuanxin.CareBatch, error) {
	if fe := validatePayment(&p, db.today(), len(p.CaseIDs)); len(fe) > 0 {
		return nil, fe
	}
	if len(p.CaseIDs) > MaxCareBatch {
		return nil, nuanxin.Invalid("", "care.too_many", MaxCareBatch)
	}
	var b *nuanxin.CareBatch
	err := db.withTx(ctx, s, func(tx *Tx) (err error) {
		b, err = db.pay(ctx, tx, s, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// validatePayment checks the fields of a payment of n cases.
func validatePayment(p *nuanxin.PaymentInput, today nuanxin.Date, n int) nuanxin.FieldErrors {
	p.Payer, p.Title, p.Ref = strings.TrimSpace(p.Payer), strings.TrimSpace(p.Title), strings.TrimSpace(p.Ref)
	var fe nuanxin.FieldErrors
	switch {
	case p.PaidOn.IsZero():
		fe.Add("paid_on", "care.pay.date")
	case p.PaidOn.After(today):
		fe.Add("paid_on", "care.pay.date_future")
	}
	if !containsMethod(p.Method) {
		fe.Add("method", "care.pay.method")
	}
	if p.Payer == "" {
		fe.Add("payer", "care.pay.payer")
	}
	if _, ok := nuanxin.FindExpenseHead(p.Head); !ok {
		fe.Add("head", "care.pay.head")
	}
	if utf8.RuneCountInString(p.Title) > 60 || utf8.RuneCountInString(p.Ref) > 60 || utf8.RuneCountInString(p.Payer) > 40 {
		fe.Add("title", "care.text.too_long", "标题、编号或发放人", 60)
	}
	if n == 0 {
		fe.Add("", "care.step.none")
	}
	return fe
}

// pay records a payment inside tx: every case approved, in the payer's
// scope, within the policy (against what has been paid) and within the
// budget lines of its campaign.
func (db *DB) pay(ctx context.Context, tx *Tx, s *nuanxin.Scope, p nuanxin.PaymentInput) (*nuanxin.CareBatch, error) {
	ids := dedupeIDs(p.CaseIDs)
	cases := make([]*nuanxin.CareCase, 0, len(ids))
	for i, id := range ids {
		c, err := db.lockForPay(ctx, tx, s, id)
		if err != nil {
			return nil, payErr(len(ids), i+1, err)
		}
		cases = append(cases, c)
	}
	org, err := batchOrg(ctx, tx, s, cases)
	if err != nil {
		return nil, err
	}
	if err := db.checkBudgets(ctx, tx, cases); err != nil {
		return nil, err
	}
	b := &nuanxin.CareBatch{OrgID: org.ID, OrgPath: org.Path, OrgName: org.Name, Title: p.Title, Ref: p.Ref,
		PaidOn: p.PaidOn, Method: p.Method, Payer: p.Payer, Head: p.Head, Cases: len(cases),
		CreatedBy: s.UserID, CreatedByName: s.DisplayName(), CreatedAt: tx.now}
	for _, c := range cases {
		b.Total += c.Amount
		if c.CampaignID != 0 && b.CampaignID == 0 {
			b.CampaignID = c.CampaignID
		}
	}
	if b.Title == "" {
		b.Title = batchTitle(cases, p.PaidOn)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO care_batches (org_id, org_path, title, ref, paid_on, method, payer, head,
		cases, total, campaign_id, created_by, created_by_name, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
		b.OrgID, b.OrgPath, b.Title, b.Ref, b.PaidOn, string(b.Method), b.Payer, b.Head, b.Cases, int64(b.Total),
		nullID(b.CampaignID), b.CreatedBy, b.CreatedByName, ms(tx.now)).Scan(&b.ID); err != nil {
		return nil, err
	}
	// Cases are paid one by one, so the check of the second case of a
	// member in this batch sees the first.
	for i, c := range cases {
		ds, err := checkCase(ctx, tx, c, true)
		if err != nil {
			return nil, payErr(len(cases), i+1, err)
		}
		if blocks := nuanxin.Blocks(ds); len(blocks) > 0 {
			return nil, payErr(len(cases), i+1, &nuanxin.PolicyError{Decisions: blocks, Name: c.MemberName})
		}
		delivery := ""
		if c.CampaignID != 0 {
			delivery = string(nuanxin.Delivered)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_cases SET batch_id = $1, paid_on = $2, delivery = $3 WHERE id = $4`,
			b.ID, b.PaidOn, delivery, c.ID); err != nil {
			return nil, err
		}
		if err := tx.step(ctx, c, nuanxin.ActPay, nuanxin.CarePaid, ""); err != nil {
			return nil, err
		}
	}
	tallies := make([]tallyCase, len(cases))
	for i, c := range cases {
		tallies[i] = tallyOf(c)
	}
	if err := tx.tallyPaid(ctx, tallies); err != nil {
		return nil, err
	}
	return b, tx.audit(ctx, "care.batch", "care_batch", b.ID, b.OrgPath, nil, map[string]any{
		"title": b.Title, "paid_on": b.PaidOn.String(), "method": string(b.Method), "payer": b.Payer,
		"head": b.Head, "cases": b.Cases, "total": b.Total.String(), "case_ids": ids})
}

// lockForPay reads an approved case for payment, locking its member first
// (PostgreSQL) and reading the case after the lock, so a concurrent payer
// that got there first is seen.
func (db *DB) lockForPay(ctx context.Context, tx *Tx, s *nuanxin.Scope, id int64) (*nuanxin.CareCase, error) {
	c, err := careInScope(ctx, tx, s, nuanxin.PermCarePay, id)
	if err != nil {
		return nil, err
	}
	if db.dialect == Postgres {
		var mid int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM members WHERE id = $1`+db.forUpdate(), c.MemberID).Scan(&mid); err != nil {
			return nil, err
		}
		if c, err = careInScope(ctx, tx, s, nuanxin.PermCarePay, id); err != nil {
			return nil, err
		}
	}
	if c.Status != nuanxin.CareApproved {
		return nil, nuanxin.Errorf(nuanxin.EINVALID, "care.step.not_allowed", c.MemberName, c.Status.Label(), nuanxin.ActPay.Label())
	}
	if !s.System && s.Self(c.MemberID) {
		return nil, nuanxin.Errorf(nuanxin.EFORBIDDEN, "care.step.own_case", c.MemberName)
	}
	return c, nil
}

func payErr(n, row int, err error) error {
	if n > 1 {
		return rowErr(row, "", err)
	}
	return err
}

// batchOrg is the org a batch belongs to: the deepest org whose subtree
// holds every case, which the payer must hold the pay permission on.
func batchOrg(ctx context.Context, q querier, s *nuanxin.Scope, cases []*nuanxin.CareCase) (*nuanxin.Org, error) {
	common := cases[0].OrgPath
	for _, c := range cases[1:] {
		for !strings.HasPrefix(c.OrgPath, common) {
			common = nuanxin.ParentPath(common)
		}
	}
	ids := nuanxin.PathIDs(common)
	if len(ids) == 0 || !s.Can(nuanxin.PermCarePay, common) {
		return nil, nuanxin.Invalid("", "care.pay.orgs")
	}
	return orgInScope(ctx, q, s, nuanxin.PermCarePay, ids[len(ids)-1])
}

// batchTitle names a batch by its month and categories:
// 2026年11月生日、生育慰问发放.
func batchTitle(cases []*nuanxin.CareCase, on nuanxin.Date) string {
	seen := map[nuanxin.CareCategory]bool{}
	var labels []string
	for _, c := range cases {
		if !seen[c.Category] {
			seen[c.Category] = true
			labels = append(labels, c.Category.Label())
		}
	}
	sort.Strings(labels)
	if len(labels) > 3 {
		labels = append(labels[:3], "等")
	}
	return nuanxin.T("care.batch.title", on.Year, int(on.Month), strings.Join(labels, "、"))
}

func containsMethod(m nuanxin.PayMethod) bool {
	for _, x := range nuanxin.PayMethods {
		if x == m {
			return true
		}
	}
	return false
}

func dedupeIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

const batchCols = `b.id, b.org_id, b.org_path, o.name, b.title, b.ref, b.paid_on, b.method, b.payer, b.head, b.cases, b.total,
	COALESCE(b.campaign_id, 0), b.notice_from, b.notice_to, b.objections_until, b.created_by, b.created_by_name, b.created_at,
	(SELECT COUNT(*) FROM care_cases c WHERE c.batch_id = b.id AND c.status = 'signed'),
	COALESCE((SELECT MAX(a.id) FROM attachments a WHERE a.owner = 'batch' AND a.owner_id = b.id AND a.kind = 'scan'), 0)`

func scanBatch(sc interface{ Scan(...any) error }) (*nuanxin.CareBatch, error) {
	var b nuanxin.CareBatch
	var at int64
	err := sc.Scan(&b.ID, &b.OrgID, &b.OrgPath, &b.OrgName, &b.Title, &b.Ref, &b.PaidOn, &b.Method, &b.Payer, &b.Head,
		&b.Cases, &b.Total, &b.CampaignID, &b.NoticeFrom, &b.NoticeTo, &b.ObjectionsUntil, &b.CreatedBy, &b.CreatedByName, &at,
		&b.Signed, &b.ScanID)
	b.CreatedAt = fromMS(at)
	return &b, err
}

func batchInScope(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, id int64) (*nuanxin.CareBatch, error) {
	args := []any{id}
	cond := scopeCond("b.org_path", s.Paths(perm), &args)
	b, err := scanBatch(q.QueryRowContext(ctx, `SELECT `+batchCols+` FROM care_batches b JOIN orgs o ON o.id = b.org_id
		WHERE b.id = $1 AND `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.care_batch")
	}
	return b, err
}

func (db *DB) FindCareBatch(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.CareBatch, []*nuanxin.CareCase, error) {
	b, err := batchInScope(ctx, db.read, s, nuanxin.PermCareRead, id)
	if err != nil {
		return nil, nil, err
	}
	// Every case of a batch is shown with it, whoever's subtree it is in:
	// the batch is the payer's record.
	rows, err := db.read.QueryContext(ctx, `SELECT `+careCols+careFrom+` WHERE c.batch_id = $1 ORDER BY o.path, m.pinyin, c.id`, b.ID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cases []*nuanxin.CareCase
	for rows.Next() {
		c, err := scanCare(rows)
		if err != nil {
			return nil, nil, err
		}
		cases = append(cases, c)
	}
	return b, cases, rows.Err()
}

func (db *DB) FindCareBatches(ctx context.Context, s *nuanxin.Scope, orgID int64, offset, limit int) ([]*nuanxin.CareBatch, int, error) {
	var args []any
	where := []string{scopeCond("b.org_path", s.Paths(nuanxin.PermCareRead), &args)}
	if orgID != 0 {
		org, err := orgInScope(ctx, db.read, s, nuanxin.PermCareRead, orgID)
		if err != nil {
			return nil, 0, err
		}
		args = append(args, org.Path, prefixEnd(org.Path))
		where = append(where, "b.org_path >= $"+itoa(len(args)-1)+" AND b.org_path <= $"+itoa(len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM care_batches b WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(offset, 0))
	rows, err := db.read.QueryContext(ctx, `SELECT `+batchCols+` FROM care_batches b JOIN orgs o ON o.id = b.org_id WHERE `+cond+
		` ORDER BY b.paid_on DESC, b.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*nuanxin.CareBatch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// SignCare marks cases of a batch as signed for.
func (db *DB) SignCare(ctx context.Context, s *nuanxin.Scope, batchID int64, ids []int64, on nuanxin.Date) error {
	switch {
	case on.IsZero():
		return nuanxin.Invalid("signed_on", "care.sign.date")
	case on.After(db.today()):
		return nuanxin.Invalid("signed_on", "care.date.future")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		b, err := batchInScope(ctx, tx, s, nuanxin.PermCarePay, batchID)
		if err != nil {
			return err
		}
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+careCols+careFrom+` WHERE c.batch_id = $1 ORDER BY c.id`, b.ID)
		if err != nil {
			return err
		}
		var cases []*nuanxin.CareCase
		for rows.Next() {
			c, err := scanCare(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if len(ids) == 0 || want[c.ID] {
				cases = append(cases, c)
				delete(want, c.ID)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(want) > 0 {
			return nuanxin.NotFound("what.care_case")
		}
		for _, c := range cases {
			if c.Status == nuanxin.CareSigned && len(ids) == 0 {
				continue // signing the whole batch skips those already signed
			}
			if c.Status != nuanxin.CarePaid {
				return nuanxin.Errorf(nuanxin.EINVALID, "care.sign.not_paid", c.MemberName)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE care_cases SET signed_on = $1 WHERE id = $2`, on, c.ID); err != nil {
				return err
			}
			if err := tx.step(ctx, c, nuanxin.ActSign, nuanxin.CareSigned, on.String()); err != nil {
				return err
			}
		}
		return nil
	})
}

// PublishNotice sets the 公示 period of a batch; objections are taken until
// its last day.
func (db *DB) PublishNotice(ctx context.Context, s *nuanxin.Scope, batchID int64, from, to nuanxin.Date) error {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nuanxin.Invalid("notice_from", "care.notice.period")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		b, err := batchInScope(ctx, tx, s, nuanxin.PermCarePay, batchID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_batches SET notice_from = $1, notice_to = $2, objections_until = $2
			WHERE id = $3`, from, to, b.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "care.notice", "care_batch", b.ID, b.OrgPath,
			map[string]string{"from": b.NoticeFrom.String(), "to": b.NoticeTo.String()},
			map[string]string{"from": from.String(), "to": to.String()})
	})
}

// allowedUpload are the file types accepted as attachments, by content
// (http.DetectContentType), not by the name the browser sent.
var allowedUpload = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "application/pdf": true}

// AddAttachment stores a photo or a scan on a case or a batch. The bytes
// live in the database so a backup of the database is a backup of the
// records and their evidence together.
func (db *DB) AddAttachment(ctx context.Context, s *nuanxin.Scope, a *nuanxin.Attachment, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, nuanxin.MaxAttachment+1))
	if err != nil {
		return err
	}
	switch {
	case len(data) == 0:
		return nuanxin.Invalid("file", "care.attachment.empty")
	case len(data) > nuanxin.MaxAttachment:
		return nuanxin.Invalid("file", "care.attachment.too_large", nuanxin.MaxAttachment>>20)
	}
	ct := http.DetectContentType(data)
	if !allowedUpload[ct] {
		return nuanxin.Invalid("file", "care.attachment.type")
	}
	a.ContentType, a.Size = ct, int64(len(data))
	sum := sha256.Sum256(data)
	a.SHA256 = hex.EncodeToString(sum[:])
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		a.Name = "附件"
	}
	if utf8.RuneCountInString(a.Name) > 100 {
		a.Name = string([]rune(a.Name)[:100])
	}
	switch a.Kind {
	case "photo", "scan", "other":
	default:
		a.Kind = "other"
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		var path string
		switch a.Owner {
		case "case":
			c, err := careInScope(ctx, tx, s, nuanxin.PermCareWrite, a.OwnerID)
			if err != nil {
				return err
			}
			path = c.OrgPath
		case "batch":
			b, err := batchInScope(ctx, tx, s, nuanxin.PermCarePay, a.OwnerID)
			if err != nil {
				return err
			}
			path = b.OrgPath
		default:
			return nuanxin.Errorf(nuanxin.EINVALID, "err.bad_request")
		}
		a.CreatedBy, a.CreatedAt = s.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO attachments (owner, owner_id, org_path, kind, name, content_type, size, sha256,
			data, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
			a.Owner, a.OwnerID, path, a.Kind, a.Name, a.ContentType, a.Size, a.SHA256, data, a.CreatedBy, ms(tx.now)).Scan(&a.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "attachment.add", a.Owner, a.OwnerID, path, nil,
			map[string]any{"id": a.ID, "kind": a.Kind, "name": a.Name, "size": a.Size, "sha256": a.SHA256})
	})
}

const attachmentCols = `id, owner, owner_id, kind, name, content_type, size, sha256, created_by, created_at`

func scanAttachment(sc interface{ Scan(...any) error }, extra ...any) (*nuanxin.Attachment, error) {
	var a nuanxin.Attachment
	var at int64
	dst := append([]any{&a.ID, &a.Owner, &a.OwnerID, &a.Kind, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedBy, &at}, extra...)
	err := sc.Scan(dst...)
	a.CreatedAt = fromMS(at)
	return &a, err
}

func (db *DB) FindAttachments(ctx context.Context, s *nuanxin.Scope, owner string, ownerID int64) ([]*nuanxin.Attachment, error) {
	var args = []any{owner, ownerID}
	cond := scopeCond("org_path", s.Paths(nuanxin.PermCareRead), &args)
	rows, err := db.read.QueryContext(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE owner = $1 AND owner_id = $2 AND `+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (db *DB) OpenAttachment(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.Attachment, []byte, error) {
	args := []any{id}
	cond := scopeCond("org_path", s.Paths(nuanxin.PermCareRead), &args)
	var data []byte
	a, err := scanAttachment(db.read.QueryRowContext(ctx, `SELECT `+attachmentCols+`, data FROM attachments WHERE id = $1 AND `+cond, args...), &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nuanxin.NotFound("what.attachment")
	}
	return a, data, err
}
