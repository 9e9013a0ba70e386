package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/nuanxin/nuanxin"
	"github.com/nuanxin/nuanxin/pinyin"
)

// The counts under a member list are bounded: beyond the cap the page says
// "N+" instead of counting a million rows on every keystroke. A search is
// capped lower than a plain list because the officer is looking for a few
// people, and the count is most of the cost of a search.
const (
	MemberTotalCap = 50000
	SearchTotalCap = 100
)

const memberCols = `m.id, m.org_id, m.org_path, o.name, m.name, m.id_masked, COALESCE(m.sex, ''), m.birth_date,
	COALESCE(m.phone, ''), m.ethnicity, m.political, m.education, m.category, m.department, m.post,
	COALESCE(m.employee_no, ''), m.hire_date, m.join_date, m.status, COALESCE(m.card_no, ''), m.notes,
	m.pinyin, m.version, m.created_at, m.updated_at`

func scanMember(sc interface{ Scan(...any) error }) (*nuanxin.Member, error) {
	var m nuanxin.Member
	var created, updated int64
	if err := sc.Scan(&m.ID, &m.OrgID, &m.OrgPath, &m.OrgName, &m.Name, &m.IDMasked, &m.Sex, &m.BirthDate,
		&m.Phone, &m.Ethnicity, &m.Political, &m.Education, &m.Category, &m.Department, &m.Post,
		&m.EmployeeNo, &m.HireDate, &m.JoinDate, &m.Status, &m.CardNo, &m.Notes,
		&m.Pinyin, &m.Version, &created, &updated); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = fromMS(created), fromMS(updated)
	return &m, nil
}

// memberInScope loads a member the scope holds perm on. A member-role user
// may read exactly their own record. Anything else is "not found".
func memberInScope(ctx context.Context, q querier, s *nuanxin.Scope, perm nuanxin.Perm, id int64) (*nuanxin.Member, error) {
	args := []any{id}
	cond := scopeCond("m.org_path", s.Paths(perm), &args)
	if perm == nuanxin.PermMemberRead && s != nil && s.MemberID == id {
		cond = "TRUE"
		args = args[:1]
	}
	m, err := scanMember(q.QueryRowContext(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE m.id = $1 AND `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.member")
	}
	return m, err
}

func (db *DB) FindMemberByID(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.Member, error) {
	return memberInScope(ctx, cachedReader{db}, s, nuanxin.PermMemberRead, id)
}

// secretFields are the stored forms of a 身份证号.
type secretFields struct{ enc, hash, masked, tail string }

func (db *DB) seal(id string) secretFields {
	if id == "" {
		return secretFields{}
	}
	return secretFields{enc: db.box.Seal(id), hash: db.hash(id), masked: nuanxin.MaskIDNumber(id), tail: id[max(0, len(id)-4):]}
}

// hash is the stored lookup key of a 身份证号: the keyed HMAC cut to 128
// bits, which keeps collisions out of reach at any union's scale and halves
// the largest unique index.
func (db *DB) hash(id string) string { return db.box.Hash(id)[:32] }

// searchKeys are the rows of member_keys for a name: the name itself for a
// prefix in characters, and the pinyin of every reading.
func searchKeys(name string) []string {
	keys := append([]string{name}, pinyin.Keys(name)...)
	out := keys[:0]
	for i, k := range keys {
		if k != "" && !containsStr(keys[:i], k) {
			out = append(out, k)
		}
	}
	return out
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func birthMD(d nuanxin.Date) int {
	if d.IsZero() {
		return 0
	}
	return int(d.Month)*100 + d.Day
}

func (db *DB) today() nuanxin.Date { return nuanxin.DateOf(db.Now().In(nuanxin.Shanghai)) }

// masked is the copy of a member written to the audit log.
func masked(m *nuanxin.Member) *nuanxin.Member {
	c := *m
	c.IDNumber = ""
	c.Phone = nuanxin.MaskPhone(m.Phone)
	return &c
}

// CreateMember adds a member to an org in the caller's write scope. The
// 身份证号 is the identity of a person across the whole installation.
func (db *DB) CreateMember(ctx context.Context, s *nuanxin.Scope, m *nuanxin.Member) error {
	m.Normalize()
	if err := m.Validate(true, db.today()); err != nil {
		return err
	}
	if m.OrgID == 0 {
		return nuanxin.Invalid("org_id", "member.org.required")
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermMemberWrite, m.OrgID)
		if err != nil {
			return err
		}
		if org.Closed {
			return nuanxin.Invalid("org_id", "member.org.closed")
		}
		sec := db.seal(m.IDNumber)
		if err := tx.checkIDFree(ctx, s, sec.hash, 0); err != nil {
			return err
		}
		m.OrgPath, m.OrgName = org.Path, org.Name
		m.Pinyin = pinyin.Sort(m.Name)
		m.IDMasked = sec.masked
		m.Version = 1
		m.CreatedAt, m.UpdatedAt = tx.now, tx.now
		now := ms(tx.now)
		err = tx.QueryRowContext(ctx, `INSERT INTO members (org_id, org_path, name, pinyin, id_enc, id_hash, id_masked, id_tail,
			sex, birth_date, birth_md, phone, ethnicity, political, education, category, department, post, employee_no,
			hire_date, join_date, status, card_no, notes, version, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,1,$25,$25) RETURNING id`,
			m.OrgID, m.OrgPath, m.Name, m.Pinyin, sec.enc, sec.hash, sec.masked, sec.tail,
			nullStr(string(m.Sex)), m.BirthDate, birthMD(m.BirthDate), nullStr(m.Phone), m.Ethnicity, m.Political, m.Education,
			m.Category, m.Department, m.Post, nullStr(m.EmployeeNo), m.HireDate, m.JoinDate, m.Status,
			nullStr(m.CardNo), m.Notes, now).Scan(&m.ID)
		if isUnique(err, "card_no") {
			return nuanxin.Invalid("card_no", "member.card.duplicate", m.CardNo)
		} else if isUnique(err, "id_hash") {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "member.id.elsewhere")
		} else if err != nil {
			return err
		}
		if err := tx.writeKeys(ctx, m.ID, m.OrgPath, m.Name, false); err != nil {
			return err
		}
		joined := m.JoinDate
		if joined.IsZero() {
			joined = db.today()
		}
		if err := tx.addEvent(ctx, &nuanxin.MemberEvent{MemberID: m.ID, Kind: nuanxin.EventJoin, Date: joined, ToOrgID: m.OrgID}); err != nil {
			return err
		}
		m.IDNumber = ""
		return tx.audit(ctx, "member.create", "member", m.ID, m.OrgPath, nil, masked(m))
	})
}

// checkIDFree fails when the 身份证号 is already a member other than self.
// The message differs by where that member is, without naming another
// org's record: in scope it is a duplicate; released elsewhere it can be
// received; held elsewhere it must be transferred out first.
func (tx *Tx) checkIDFree(ctx context.Context, s *nuanxin.Scope, hash string, self int64) error {
	var id int64
	var path, name string
	var status nuanxin.MemberStatus
	err := tx.QueryRowContext(ctx, `SELECT id, org_path, name, status FROM members WHERE id_hash = $1`, hash).Scan(&id, &path, &name, &status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && id == self) {
		return nil
	} else if err != nil {
		return err
	}
	if s.Can(nuanxin.PermMemberRead, path) {
		return &nuanxin.Error{Code: nuanxin.ECONFLICT, Field: "id_number", Key: "member.id.duplicate", Args: []any{name}}
	}
	if status == nuanxin.StatusTransferred || status == nuanxin.StatusWithdrawn {
		return &nuanxin.Error{Code: nuanxin.ECONFLICT, Field: "id_number", Key: "member.id.receivable"}
	}
	return &nuanxin.Error{Code: nuanxin.ECONFLICT, Field: "id_number", Key: "member.id.elsewhere"}
}

func (tx *Tx) writeKeys(ctx context.Context, memberID int64, orgPath, name string, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM member_keys WHERE member_id = $1`, memberID); err != nil {
			return err
		}
	}
	for _, k := range searchKeys(name) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_keys (key, org_path, member_id) VALUES ($1, $2, $3)`, k, orgPath, memberID); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) addEvent(ctx context.Context, e *nuanxin.MemberEvent) error {
	e.CreatedAt = tx.now
	if tx.scope != nil {
		e.By = tx.scope.Username
	}
	return tx.QueryRowContext(ctx, `INSERT INTO member_events (member_id, kind, date, from_org_id, to_org_id, notes, username, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
		e.MemberID, e.Kind, e.Date, nullID(e.FromOrgID), nullID(e.ToOrgID), e.Notes, e.By, ms(tx.now)).Scan(&e.ID)
}

// UpdateMember saves an edit. The org and the 会籍状态 change only through
// lifecycle events (RecordEvent), so the history stays complete; a change of
// category to 退休 records a 退休 event.
func (db *DB) UpdateMember(ctx context.Context, s *nuanxin.Scope, m *nuanxin.Member) error {
	m.Normalize()
	if err := m.Validate(false, db.today()); err != nil {
		return err
	}
	return db.withTx(ctx, s, func(tx *Tx) error {
		before, err := memberInScope(ctx, tx, s, nuanxin.PermMemberWrite, m.ID)
		if err != nil {
			return err
		}
		if m.Version != before.Version {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "err.stale")
		}
		m.OrgID, m.OrgPath, m.OrgName, m.Status = before.OrgID, before.OrgPath, before.OrgName, before.Status
		idSet := ""
		args := []any{}
		if m.IDNumber != "" {
			sec := db.seal(m.IDNumber)
			if err := tx.checkIDFree(ctx, s, sec.hash, m.ID); err != nil {
				return err
			}
			args = append(args, sec.enc, sec.hash, sec.masked, sec.tail)
			idSet = "id_enc = $1, id_hash = $2, id_masked = $3, id_tail = $4, "
			m.IDMasked = sec.masked
		} else {
			m.IDMasked = before.IDMasked
		}
		m.Pinyin = pinyin.Sort(m.Name)
		m.Version = before.Version + 1
		m.UpdatedAt, m.CreatedAt = tx.now, before.CreatedAt
		n := len(args)
		ph := func(i int) string { return "$" + strconv.Itoa(n+i) }
		args = append(args, m.Name, m.Pinyin, nullStr(string(m.Sex)), m.BirthDate, birthMD(m.BirthDate), nullStr(m.Phone),
			m.Ethnicity, m.Political, m.Education, m.Category, m.Department, m.Post, nullStr(m.EmployeeNo),
			m.HireDate, m.JoinDate, nullStr(m.CardNo), m.Notes, m.Version, ms(tx.now), m.ID, before.Version)
		res, err := tx.ExecContext(ctx, `UPDATE members SET `+idSet+`name = `+ph(1)+`, pinyin = `+ph(2)+`, sex = `+ph(3)+
			`, birth_date = `+ph(4)+`, birth_md = `+ph(5)+`, phone = `+ph(6)+`, ethnicity = `+ph(7)+`, political = `+ph(8)+
			`, education = `+ph(9)+`, category = `+ph(10)+`, department = `+ph(11)+`, post = `+ph(12)+`, employee_no = `+ph(13)+
			`, hire_date = `+ph(14)+`, join_date = `+ph(15)+`, card_no = `+ph(16)+`, notes = `+ph(17)+`, version = `+ph(18)+
			`, updated_at = `+ph(19)+` WHERE id = `+ph(20)+` AND version = `+ph(21), args...)
		if isUnique(err, "card_no") {
			return nuanxin.Invalid("card_no", "member.card.duplicate", m.CardNo)
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nuanxin.Errorf(nuanxin.ECONFLICT, "err.stale")
		}
		if m.Name != before.Name {
			if err := tx.writeKeys(ctx, m.ID, m.OrgPath, m.Name, true); err != nil {
				return err
			}
		}
		if m.Category == nuanxin.CategoryRetired && before.Category != nuanxin.CategoryRetired {
			if err := tx.addEvent(ctx, &nuanxin.MemberEvent{MemberID: m.ID, Kind: nuanxin.EventRetire, Date: db.today(), Notes: nuanxin.T("member.event.by_edit")}); err != nil {
				return err
			}
		}
		idChanged := m.IDNumber != ""
		m.IDNumber = ""
		after := masked(m)
		if idChanged {
			after.IDMasked += " (" + nuanxin.T("member.id.changed") + ")"
		}
		return tx.audit(ctx, "member.update", "member", m.ID, m.OrgPath, masked(before), after)
	})
}

// RevealIDNumber decrypts a 身份证号 for a caller allowed to see it and
// records who looked, when and why.
func (db *DB) RevealIDNumber(ctx context.Context, s *nuanxin.Scope, memberID int64, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", nuanxin.Invalid("reason", "member.reveal.reason")
	}
	var plain string
	err := db.withTx(ctx, s, func(tx *Tx) error {
		m, err := memberInScope(ctx, tx, s, nuanxin.PermRevealID, memberID)
		if err != nil {
			return err
		}
		var enc string
		if err := tx.QueryRowContext(ctx, `SELECT id_enc FROM members WHERE id = $1`, memberID).Scan(&enc); err != nil {
			return err
		}
		if plain, err = db.box.Open(enc); err != nil {
			return fmt.Errorf("decrypt member %d: %w", memberID, err)
		}
		return tx.audit(ctx, "member.reveal", "member", m.ID, m.OrgPath, nil, map[string]string{"name": m.Name, "reason": reason})
	})
	return plain, err
}

// allowedFrom lists the statuses an event may start from.
var allowedFrom = map[nuanxin.EventKind][]nuanxin.MemberStatus{
	nuanxin.EventJoin:        {nuanxin.StatusWithdrawn},
	nuanxin.EventRetire:      {nuanxin.StatusMember, nuanxin.StatusReserved},
	nuanxin.EventReserve:     {nuanxin.StatusMember},
	nuanxin.EventRestore:     {nuanxin.StatusReserved},
	nuanxin.EventTransferOut: {nuanxin.StatusMember, nuanxin.StatusReserved},
	nuanxin.EventWithdraw:    {nuanxin.StatusMember, nuanxin.StatusReserved},
	nuanxin.EventDeath:       {nuanxin.StatusMember, nuanxin.StatusReserved, nuanxin.StatusTransferred, nuanxin.StatusWithdrawn},
}

// RecordEvent appends a lifecycle event and applies it. A transfer to an
// org in the caller's scope moves the member at once (转出 here, 转入 there);
// without a destination the member is released (转出) for the receiving
// union to take with ReceiveMember.
func (db *DB) RecordEvent(ctx context.Context, s *nuanxin.Scope, memberID int64, in nuanxin.MemberEventInput) (*nuanxin.MemberEvent, error) {
	from, ok := allowedFrom[in.Kind]
	if !ok {
		return nil, nuanxin.Invalid("kind", "member.event.invalid")
	}
	if in.Date.IsZero() {
		return nil, nuanxin.Invalid("date", "member.event.date")
	}
	if in.Date.After(db.today()) {
		return nil, nuanxin.Invalid("date", "member.date.future")
	}
	var ev *nuanxin.MemberEvent
	err := db.withTx(ctx, s, func(tx *Tx) error {
		m, err := memberInScope(ctx, tx, s, nuanxin.PermMemberWrite, memberID)
		if err != nil {
			return err
		}
		if !containsStatus(from, m.Status) {
			return nuanxin.Invalid("kind", "member.event.not_allowed", m.Status.Label(), in.Kind.Label())
		}
		before := masked(m)
		ev = &nuanxin.MemberEvent{MemberID: m.ID, Kind: in.Kind, Date: in.Date, Notes: strings.TrimSpace(in.Notes), FromOrgID: m.OrgID}
		status, category := m.Status, m.Category
		switch in.Kind {
		case nuanxin.EventJoin, nuanxin.EventRestore:
			status = nuanxin.StatusMember
		case nuanxin.EventRetire:
			category = nuanxin.CategoryRetired
		case nuanxin.EventReserve:
			status = nuanxin.StatusReserved
		case nuanxin.EventWithdraw:
			status = nuanxin.StatusWithdrawn
		case nuanxin.EventDeath:
			status = nuanxin.StatusDeceased
		case nuanxin.EventTransferOut:
			status = nuanxin.StatusTransferred
			if in.ToOrgID != 0 {
				if in.ToOrgID == m.OrgID {
					return nuanxin.Invalid("to_org_id", "member.event.same_org")
				}
				to, err := orgInScope(ctx, tx, s, nuanxin.PermMemberWrite, in.ToOrgID)
				if err != nil {
					return nuanxin.Invalid("to_org_id", "member.event.to_org")
				}
				if to.Closed {
					return nuanxin.Invalid("to_org_id", "member.org.closed")
				}
				ev.ToOrgID = to.ID
				if err := tx.addEvent(ctx, ev); err != nil {
					return err
				}
				if err := tx.moveMember(ctx, m, to); err != nil {
					return err
				}
				in := &nuanxin.MemberEvent{MemberID: m.ID, Kind: nuanxin.EventTransferIn, Date: in.Date, FromOrgID: ev.FromOrgID, ToOrgID: to.ID, Notes: ev.Notes}
				if err := tx.addEvent(ctx, in); err != nil {
					return err
				}
				return tx.audit(ctx, "member.event", "member", m.ID, to.Path, before, map[string]any{"event": ev.Kind, "date": ev.Date, "to_org": to.Name})
			}
		}
		if in.Kind != nuanxin.EventTransferOut {
			ev.FromOrgID = 0
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET status = $1, category = $2, version = version + 1, updated_at = $3 WHERE id = $4`,
			status, category, ms(tx.now), m.ID); err != nil {
			return err
		}
		if err := tx.addEvent(ctx, ev); err != nil {
			return err
		}
		return tx.audit(ctx, "member.event", "member", m.ID, m.OrgPath, before, map[string]any{"event": ev.Kind, "date": ev.Date, "status": status, "category": category})
	})
	return ev, err
}

func containsStatus(xs []nuanxin.MemberStatus, s nuanxin.MemberStatus) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// moveMember puts a member in another org, status 在会.
func (tx *Tx) moveMember(ctx context.Context, m *nuanxin.Member, to *nuanxin.Org) error {
	if _, err := tx.ExecContext(ctx, `UPDATE members SET org_id = $1, org_path = $2, status = $3, version = version + 1, updated_at = $4 WHERE id = $5`,
		to.ID, to.Path, nuanxin.StatusMember, ms(tx.now), m.ID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE member_keys SET org_path = $1 WHERE member_id = $2`, to.Path, m.ID)
	return err
}

// ReceiveMember takes in a member another union released (转出 or 退会).
func (db *DB) ReceiveMember(ctx context.Context, s *nuanxin.Scope, idNumber string, toOrgID int64, on nuanxin.Date) (*nuanxin.Member, error) {
	id, err := nuanxin.ParseIDNumber(idNumber)
	if err != nil {
		return nil, err
	}
	if on.IsZero() {
		on = db.today()
	}
	var out *nuanxin.Member
	err = db.withTx(ctx, s, func(tx *Tx) error {
		to, err := orgInScope(ctx, tx, s, nuanxin.PermMemberWrite, toOrgID)
		if err != nil {
			return err
		}
		if to.Closed {
			return nuanxin.Invalid("org_id", "member.org.closed")
		}
		var memberID int64
		var status nuanxin.MemberStatus
		err = tx.QueryRowContext(ctx, `SELECT id, status FROM members WHERE id_hash = $1`, db.hash(id.Number)).Scan(&memberID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return nuanxin.Invalid("id_number", "member.id.unknown")
		} else if err != nil {
			return err
		}
		if status != nuanxin.StatusTransferred && status != nuanxin.StatusWithdrawn {
			return nuanxin.Invalid("id_number", "member.id.not_released")
		}
		m, err := memberInScope(ctx, tx, nuanxin.SystemScope(), nuanxin.PermMemberRead, memberID)
		if err != nil {
			return err
		}
		fromOrg := m.OrgID
		if err := tx.moveMember(ctx, m, to); err != nil {
			return err
		}
		if err := tx.addEvent(ctx, &nuanxin.MemberEvent{MemberID: m.ID, Kind: nuanxin.EventTransferIn, Date: on, FromOrgID: fromOrg, ToOrgID: to.ID}); err != nil {
			return err
		}
		if out, err = memberInScope(ctx, tx, s, nuanxin.PermMemberRead, memberID); err != nil {
			return err
		}
		return tx.audit(ctx, "member.receive", "member", m.ID, to.Path, map[string]any{"org_id": fromOrg, "status": status}, masked(out))
	})
	return out, err
}

func (db *DB) FindMemberEvents(ctx context.Context, s *nuanxin.Scope, memberID int64) ([]*nuanxin.MemberEvent, error) {
	if _, err := memberInScope(ctx, cachedReader{db}, s, nuanxin.PermMemberRead, memberID); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT e.id, e.member_id, e.kind, e.date, COALESCE(e.from_org_id, 0), COALESCE(e.to_org_id, 0),
		COALESCE(fo.name, ''), COALESCE(t.name, ''), e.notes, e.username, e.created_at
		FROM member_events e LEFT JOIN orgs fo ON fo.id = e.from_org_id LEFT JOIN orgs t ON t.id = e.to_org_id
		WHERE e.member_id = $1 ORDER BY e.date, e.id`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nuanxin.MemberEvent
	for rows.Next() {
		var e nuanxin.MemberEvent
		var created int64
		if err := rows.Scan(&e.ID, &e.MemberID, &e.Kind, &e.Date, &e.FromOrgID, &e.ToOrgID, &e.FromOrg, &e.ToOrg, &e.Notes, &e.By, &created); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}

// query kinds the search box understands.
type queryKind int

const (
	qNone   queryKind = iota
	qKey              // name or pinyin prefix
	qIDFull           // a whole 身份证号
	qIDTail           // last 4 characters of a 身份证号
	qPhone            // a mobile number
	qCode             // 会员证号 or 工号
)

// classifyQuery decides what the officer typed into the one search box.
func classifyQuery(q string) (queryKind, string) {
	q = strings.TrimSpace(q)
	if q == "" {
		return qNone, ""
	}
	if id, err := nuanxin.ParseIDNumber(q); err == nil {
		return qIDFull, id.Number
	}
	if p, err := nuanxin.NormalizePhone(q); err == nil && len(p) == 11 {
		return qPhone, p
	}
	upper := strings.ToUpper(q)
	if len(upper) == 4 && strings.Trim(upper[:3], "0123456789") == "" && strings.ContainsAny(upper[3:], "0123456789X") {
		return qIDTail, upper
	}
	letters, digits, han := 0, 0, 0
	for _, r := range q {
		switch {
		case r < 128 && unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		case unicode.Is(unicode.Han, r):
			han++
		}
	}
	if digits > 0 && han == 0 {
		return qCode, q
	}
	if han > 0 {
		return qKey, strings.Join(strings.Fields(q), "")
	}
	return qKey, strings.ToLower(strings.Join(strings.Fields(q), ""))
}

// FindMembers serves the member list: one search box plus filters, sorted
// by pinyin, one page at a time.
func (db *DB) FindMembers(ctx context.Context, s *nuanxin.Scope, f nuanxin.MemberFilter) (*nuanxin.MemberList, error) {
	paths := s.Paths(nuanxin.PermMemberRead)
	if f.OrgID != 0 {
		org, err := orgInScope(ctx, cachedReader{db}, s, nuanxin.PermMemberRead, f.OrgID)
		if err != nil {
			return nil, err
		}
		paths = []string{org.Path}
	}
	if len(paths) == 0 {
		return &nuanxin.MemberList{}, nil
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	offset := max(f.Offset, 0)
	today := f.Today
	if today.IsZero() {
		today = db.today()
	}
	kind, q := classifyQuery(f.Query)

	where, args := db.memberConds(f, paths, kind, q, today, false)
	w := strings.Join(where, " AND ")

	// A roster lists members org by org (tree order), by pinyin within each
	// org, as the paper 花名册 does; that order is the (org_path, pinyin)
	// index itself, so a page of a million members reads twenty rows.
	from, order, pick := "members m", "m.org_path, m.pinyin, m.id", "m.id"
	totalCap := MemberTotalCap
	if kind != qNone {
		totalCap = SearchTotalCap
	}
	if kind == qKey {
		// Walk the key index in order and stop at the page: ordering by the
		// matched key is ordering by pinyin (or by name for 汉字 input).
		// Without filters on member columns the covering index answers
		// alone, with no row of members read until the page.
		from, order, pick = "member_keys k", "k.key, k.org_path, k.member_id", "k.member_id"
		if len(where) > 3 {
			from = "member_keys k JOIN members m ON m.id = k.member_id"
		}
	}
	list := &nuanxin.MemberList{}
	// A search walks its index once for both the page and the count: it
	// reads distinct members until it has the page and one more than the
	// cap, then stops the scan (closing rows stops SQLite stepping). A
	// member can match twice (zhangsan and zs both start with z), hence the
	// distinct. A plain list reads its page and counts separately, up to
	// the larger cap.
	want := offset + limit
	if kind != qNone {
		want = max(want, totalCap+1)
	}
	sqlLimit := want
	if kind == qKey {
		sqlLimit *= 4
	}
	rows, err := db.queryCached(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT $%d`, pick, from, w, order, len(args)+1),
		append(args[:len(args):len(args)], sqlLimit)...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	seen := make(map[int64]bool, want)
	for len(ids) < want && rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	found := len(ids)
	if offset < len(ids) {
		ids = ids[offset:min(len(ids), offset+limit)]
	} else {
		ids = nil
	}
	if list.Members, err = db.membersByIDs(ctx, ids); err != nil {
		return nil, err
	}
	switch {
	case kind != qNone:
		list.Total = found
	case found < want || (offset == 0 && len(list.Members) < limit):
		list.Total = found // the whole list was read
	default:
		countSQL := fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT %s FROM %s WHERE %s LIMIT %d) c`, pick, from, w, totalCap+1)
		if err := db.read.QueryRowContext(ctx, countSQL, args...).Scan(&list.Total); err != nil {
			return nil, err
		}
	}
	if list.Total > totalCap {
		list.Total, list.TotalCapped = totalCap, true
	}
	return list, nil
}

// memberConds builds the WHERE conditions of a member filter. A key search
// walks member_keys k (the caller joins it) unless exists is set, when it
// becomes an EXISTS on the keys so each member appears once.
func (db *DB) memberConds(f nuanxin.MemberFilter, paths []string, kind queryKind, q string, today nuanxin.Date, exists bool) ([]string, []any) {
	var args []any
	pathCol := "m.org_path"
	if kind == qKey && !exists {
		pathCol = "k.org_path"
	}
	where := []string{scopeCond(pathCol, paths, &args)}
	add := func(clause string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(clause, "?", "$"+strconv.Itoa(len(args))))
	}
	switch kind {
	case qKey:
		if exists {
			args = append(args, q, prefixEnd(q))
			where = append(where, fmt.Sprintf("EXISTS (SELECT 1 FROM member_keys k WHERE k.member_id = m.id AND k.key >= $%d AND k.key <= $%d)", len(args)-1, len(args)))
		} else {
			add("k.key >= ?", q)
			add("k.key <= ?", prefixEnd(q))
		}
	case qIDFull:
		add("m.id_hash = ?", db.hash(q))
	case qIDTail: // four digits may also be a short 工号 or 会员证号
		args = append(args, q)
		where = append(where, fmt.Sprintf("(m.id_tail = $%d OR m.card_no = $%d OR m.employee_no = $%d)", len(args), len(args), len(args)))
	case qPhone:
		add("m.phone = ?", q)
	case qCode:
		args = append(args, q)
		where = append(where, fmt.Sprintf("(m.card_no = $%d OR m.employee_no = $%d)", len(args), len(args)))
	}
	if f.Category != "" {
		add("m.category = ?", f.Category)
	}
	if f.Status != "" {
		add("m.status = ?", f.Status)
	}
	if f.Sex != "" {
		add("m.sex = ?", f.Sex)
	}
	if f.AgeMin > 0 { // at least AgeMin years old today
		add("m.birth_date <= ?", nuanxin.NewDate(today.Year-f.AgeMin, today.Month, today.Day))
	}
	if f.AgeMax > 0 {
		add("m.birth_date > ?", nuanxin.NewDate(today.Year-f.AgeMax-1, today.Month, today.Day))
	}
	if f.BirthMonth >= 1 && f.BirthMonth <= 12 {
		add("m.birth_md >= ?", f.BirthMonth*100)
		add("m.birth_md <= ?", f.BirthMonth*100+31)
	}
	return where, args
}

// ExportMembers streams every member the filter selects (no page, no cap)
// in roster order to fn, and records the export in the audit log. With
// unmasked, the caller must hold the reveal permission on the whole
// subtree; the members then carry their plain 身份证号 in IDNumber.
func (db *DB) ExportMembers(ctx context.Context, s *nuanxin.Scope, f nuanxin.MemberFilter, x nuanxin.MemberExport, fn func(*nuanxin.Member) error) (int, error) {
	unmasked := x.Unmasked
	x.Reason = strings.TrimSpace(x.Reason)
	if unmasked && x.Reason == "" {
		return 0, nuanxin.Invalid("reason", "member.reveal.reason")
	}
	paths := s.Paths(nuanxin.PermExport)
	orgPath := ""
	if f.OrgID != 0 {
		org, err := orgInScope(ctx, cachedReader{db}, s, nuanxin.PermExport, f.OrgID)
		if err != nil {
			return 0, err
		}
		paths, orgPath = []string{org.Path}, org.Path
	}
	if unmasked {
		for _, p := range paths {
			if !s.Can(nuanxin.PermRevealID, p) {
				return 0, nuanxin.Errorf(nuanxin.EFORBIDDEN, "member.export.unmasked_forbidden")
			}
		}
	}
	if len(paths) == 0 {
		return 0, nuanxin.Errorf(nuanxin.EFORBIDDEN, "err.forbidden")
	}
	today := f.Today
	if today.IsZero() {
		today = db.today()
	}
	kind, q := classifyQuery(f.Query)
	where, args := db.memberConds(f, paths, kind, q, today, true)
	// Org names come from a map, not a join per row: a million-row export
	// reads only the members index and table.
	orgNames := map[int64]string{}
	orows, err := db.read.QueryContext(ctx, `SELECT id, name FROM orgs`)
	if err != nil {
		return 0, err
	}
	for orows.Next() {
		var id int64
		var name string
		if err := orows.Scan(&id, &name); err != nil {
			orows.Close()
			return 0, err
		}
		orgNames[id] = name
	}
	orows.Close()
	n := 0
	rows, err := db.read.QueryContext(ctx, `SELECT `+strings.Replace(memberCols, "o.name", "''", 1)+`, m.id_enc FROM members m
		WHERE `+strings.Join(where, " AND ")+` ORDER BY m.org_path, m.pinyin, m.id`, args...)
	if err != nil {
		return 0, err
	}
	var scanErr error
	for rows.Next() {
		var enc string
		m, err := scanMember(scanPlus{rows, []any{&enc}})
		if err != nil {
			scanErr = err
			break
		}
		m.OrgName = orgNames[m.OrgID]
		if unmasked {
			if m.IDNumber, err = db.box.Open(enc); err != nil {
				scanErr = err
				break
			}
		}
		if err := fn(m); err != nil {
			scanErr = err
			break
		}
		n++
	}
	rows.Close()
	if scanErr == nil {
		scanErr = rows.Err()
	}
	// The export is recorded even when it failed half-way: rows may have
	// left the building already.
	auditErr := db.withTx(context.WithoutCancel(ctx), s, func(tx *Tx) error {
		return tx.audit(ctx, "member.export", "member", 0, orgPath, nil, map[string]any{
			"count": n, "unmasked": unmasked, "reason": x.Reason, "format": x.Format, "query": f.Query, "category": f.Category, "status": f.Status,
			"sex": f.Sex, "age_min": f.AgeMin, "age_max": f.AgeMax, "birth_month": f.BirthMonth, "complete": scanErr == nil})
	})
	if scanErr != nil {
		return n, scanErr
	}
	return n, auditErr
}

// CountMembers counts a subtree's members by status and category in one
// scan of the (org_path, status, category) index.
func (db *DB) CountMembers(ctx context.Context, s *nuanxin.Scope, orgID int64) (*nuanxin.MemberCounts, error) {
	paths := s.Paths(nuanxin.PermMemberRead)
	if orgID != 0 {
		org, err := orgInScope(ctx, cachedReader{db}, s, nuanxin.PermMemberRead, orgID)
		if err != nil {
			return nil, err
		}
		paths = []string{org.Path}
	}
	c := &nuanxin.MemberCounts{ByStatus: map[nuanxin.MemberStatus]int{}, ByCategory: map[nuanxin.Category]int{}}
	if len(paths) == 0 {
		return c, nil
	}
	var args []any
	rows, err := db.read.QueryContext(ctx, `SELECT m.status, m.category, COUNT(*) FROM members m WHERE `+
		scopeCond("m.org_path", paths, &args)+` GROUP BY m.status, m.category`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st nuanxin.MemberStatus
		var cat nuanxin.Category
		var n int
		if err := rows.Scan(&st, &cat, &n); err != nil {
			return nil, err
		}
		c.Total += n
		c.ByStatus[st] += n
		if st == nuanxin.StatusMember {
			c.ByCategory[cat] += n
		}
	}
	return c, rows.Err()
}

// membersByIDs loads members keeping the order of ids.
func (db *DB) membersByIDs(ctx context.Context, ids []int64) ([]*nuanxin.Member, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", i+1)
		args[i] = id
	}
	rows, err := db.queryCached(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id IN (`+b.String()+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]*nuanxin.Member, len(ids))
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		byID[m.ID] = m
	}
	out := make([]*nuanxin.Member, 0, len(ids))
	for _, id := range ids {
		if m := byID[id]; m != nil {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}
