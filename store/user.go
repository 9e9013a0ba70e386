package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nuanxin/nuanxin"
)

const userCols = `u.id, u.username, u.name, u.home_org_id, o.path, o.name, COALESCE(u.member_id, 0), u.disabled,
	u.locked_until, u.failed_logins, u.must_change_password, u.last_login_at, u.created_at`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*nuanxin.User, error) {
	var u nuanxin.User
	var locked, last, created int64
	dest := append([]any{&u.ID, &u.Username, &u.Name, &u.HomeOrgID, &u.HomeOrgPath, &u.HomeOrgName, &u.MemberID, &u.Disabled,
		&locked, &u.FailedLogins, &u.MustChangePassword, &last, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.LockedUntil, u.LastLoginAt, u.CreatedAt = fromMS(locked), fromMS(last), fromMS(created)
	return &u, nil
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_.]{3,32}$`)

// Authenticate checks a password. The slow hash runs outside any write
// transaction so one login never blocks the SQLite writer.
func (db *DB) Authenticate(ctx context.Context, username, password, ip string) (*nuanxin.User, error) {
	username = strings.TrimSpace(username)
	var hash string
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userCols+`, u.password_hash FROM users u JOIN orgs o ON o.id = u.home_org_id WHERE u.username = $1`, username), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(dummyHash, password)
		return nil, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "user.login.failed")
	} else if err != nil {
		return nil, err
	}
	ctx = WithIP(ctx, ip)
	scope := &nuanxin.Scope{UserID: u.ID, Username: u.Username}
	now := db.Now()
	if u.LockedUntil.After(now) {
		mins := int(u.LockedUntil.Sub(now).Minutes()) + 1
		return nil, nuanxin.Errorf(nuanxin.ETOOMANY, "user.login.locked", mins)
	}
	if !checkPassword(hash, password) {
		err := db.withTx(ctx, scope, func(tx *Tx) error {
			var failed int
			if err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`, u.ID).Scan(&failed); err != nil {
				return err
			}
			if failed >= nuanxin.MaxFailedLogins {
				until := tx.now.Add(nuanxin.LockoutDuration)
				if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2`, ms(until), u.ID); err != nil {
					return err
				}
				return tx.audit(ctx, "user.locked", "user", u.ID, u.HomeOrgPath, nil, map[string]any{"until": until.Format(time.DateTime)})
			}
			return tx.audit(ctx, "user.login_failed", "user", u.ID, u.HomeOrgPath, nil, map[string]any{"failed": failed})
		})
		if err != nil {
			return nil, err
		}
		return nil, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "user.login.failed")
	}
	if u.Disabled {
		return nil, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "user.login.disabled")
	}
	err = db.withTx(ctx, scope, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = $1 WHERE id = $2`, ms(tx.now), u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.login", "user", u.ID, u.HomeOrgPath, nil, nil)
	})
	return u, err
}

func (db *DB) CreateSession(ctx context.Context, userID int64, ip, userAgent string) (string, *nuanxin.Session, error) {
	token := randomToken()
	sess := &nuanxin.Session{UserID: userID, CSRFToken: randomToken(), ExpiresAt: db.Now().Add(nuanxin.SessionLifetime)}
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	now := db.Now()
	_, err := db.write.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, ip, user_agent, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		tokenHash(token), userID, sess.CSRFToken, ip, userAgent, ms(now), ms(sess.ExpiresAt))
	if err != nil {
		return "", nil, err
	}
	// Expired sessions are swept here rather than by a background job.
	db.write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, ms(now))
	return token, sess, nil
}

// SessionScope resolves a session token. A disabled user's sessions stop
// working at once.
func (db *DB) SessionScope(ctx context.Context, token string) (*nuanxin.Session, *nuanxin.Scope, error) {
	hash := tokenHash(token)
	if sess, scope, ok := db.sessions.get(hash, db.Now()); ok {
		return sess, scope, nil
	}
	var sess nuanxin.Session
	var expires int64
	var username, name string
	var memberID int64
	err := db.read.QueryRowContext(ctx, `SELECT s.user_id, s.csrf_token, s.expires_at, u.username, u.name, COALESCE(u.member_id, 0)
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.disabled = FALSE`, hash).
		Scan(&sess.UserID, &sess.CSRFToken, &expires, &username, &name, &memberID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized")
	} else if err != nil {
		return nil, nil, err
	}
	sess.ExpiresAt = fromMS(expires)
	if !sess.ExpiresAt.After(db.Now()) {
		return nil, nil, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized")
	}
	scope, err := db.scopeOf(ctx, sess.UserID, username, name, memberID)
	if err != nil {
		return nil, nil, err
	}
	db.sessions.put(hash, &sess, scope, db.Now())
	return &sess, scope, nil
}

func (db *DB) scopeOf(ctx context.Context, userID int64, username, name string, memberID int64) (*nuanxin.Scope, error) {
	grants, err := db.grantsOf(ctx, db.read, userID)
	if err != nil {
		return nil, err
	}
	s := &nuanxin.Scope{UserID: userID, Username: username, Name: name, OwnMemberID: memberID, Grants: grants}
	for _, g := range grants {
		if g.Role == nuanxin.RoleMember {
			s.MemberID = memberID
		}
	}
	return s, nil
}

func (db *DB) grantsOf(ctx context.Context, q querier, userID int64) ([]nuanxin.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.user_id, g.role, g.org_id, o.path, o.name FROM grants g JOIN orgs o ON o.id = g.org_id
		WHERE g.user_id = $1 ORDER BY o.path, g.role`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nuanxin.Grant
	for rows.Next() {
		var g nuanxin.Grant
		if err := rows.Scan(&g.ID, &g.UserID, &g.Role, &g.OrgID, &g.OrgPath, &g.OrgName); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash(token))
	db.sessions.clear()
	return err
}

// TokenScope resolves an API token.
func (db *DB) TokenScope(ctx context.Context, token string) (*nuanxin.Scope, error) {
	var id, userID, memberID, lastUsed int64
	var username, name string
	err := db.read.QueryRowContext(ctx, `SELECT t.id, t.user_id, u.username, u.name, COALESCE(u.member_id, 0), t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.disabled = FALSE`, tokenHash(token)).
		Scan(&id, &userID, &username, &name, &memberID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized")
	} else if err != nil {
		return nil, err
	}
	if now := db.Now(); now.Sub(fromMS(lastUsed)) > time.Minute { // a write per minute, not per call
		db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, ms(now), id)
	}
	return db.scopeOf(ctx, userID, username, name, memberID)
}

func (db *DB) CreateAPIToken(ctx context.Context, s *nuanxin.Scope, userID int64, name string) (*nuanxin.APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return nil, nuanxin.Invalid("name", "user.token.name")
	}
	t := &nuanxin.APIToken{UserID: userID, Name: name, Token: "nx_" + randomToken()}
	err := db.withTx(ctx, s, func(tx *Tx) error {
		u, err := userInScope(ctx, tx, s, userID)
		if err != nil && !(s.UserID == userID && s.UserID != 0) {
			return err
		}
		t.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id`,
			userID, name, tokenHash(t.Token), ms(tx.now)).Scan(&t.ID); err != nil {
			return err
		}
		path := ""
		if u != nil {
			path = u.HomeOrgPath
		}
		return tx.audit(ctx, "user.token", "user", userID, path, nil, map[string]string{"name": name})
	})
	return t, err
}

// userInScope loads a user whose home org is in the caller's user.manage
// scope.
func userInScope(ctx context.Context, q querier, s *nuanxin.Scope, id int64) (*nuanxin.User, error) {
	args := []any{id}
	cond := scopeCond("o.path", s.Paths(nuanxin.PermUserManage), &args)
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u JOIN orgs o ON o.id = u.home_org_id WHERE u.id = $1 AND `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.user")
	}
	return u, err
}

func (db *DB) FindUserByID(ctx context.Context, s *nuanxin.Scope, id int64) (*nuanxin.User, error) {
	u, err := userInScope(ctx, db.read, s, id)
	if err != nil {
		return nil, err
	}
	u.Grants, err = db.grantsOf(ctx, db.read, u.ID)
	return u, err
}

func (db *DB) FindUserByName(ctx context.Context, s *nuanxin.Scope, username string) (*nuanxin.User, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, strings.TrimSpace(username)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nuanxin.NotFound("what.user")
	} else if err != nil {
		return nil, err
	}
	return db.FindUserByID(ctx, s, id)
}

func (db *DB) FindUsers(ctx context.Context, s *nuanxin.Scope) ([]*nuanxin.User, error) {
	var args []any
	cond := scopeCond("o.path", s.Paths(nuanxin.PermUserManage), &args)
	rows, err := db.read.QueryContext(ctx, `SELECT `+userCols+` FROM users u JOIN orgs o ON o.id = u.home_org_id WHERE `+cond+` ORDER BY o.path, u.username`, args...)
	if err != nil {
		return nil, err
	}
	var out []*nuanxin.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, u := range out {
		if u.Grants, err = db.grantsOf(ctx, db.read, u.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) CreateUser(ctx context.Context, s *nuanxin.Scope, u *nuanxin.User, password string) error {
	var fe nuanxin.FieldErrors
	u.Username = strings.TrimSpace(u.Username)
	u.Name = strings.TrimSpace(u.Name)
	if !usernameRE.MatchString(u.Username) {
		fe.Add("username", "user.username.invalid")
	}
	if u.Name == "" || utf8.RuneCountInString(u.Name) > 40 {
		fe.Add("name", "user.name.required")
	}
	if u.HomeOrgID == 0 {
		fe.Add("home_org_id", "user.home_org.required")
	}
	if err := validatePassword("password", password); err != nil {
		fe = append(fe, err.(*nuanxin.Error))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash := hashPassword(password)
	return db.withTx(ctx, s, func(tx *Tx) error {
		org, err := orgInScope(ctx, tx, s, nuanxin.PermUserManage, u.HomeOrgID)
		if err != nil {
			return nuanxin.Invalid("home_org_id", "user.home_org.required")
		}
		if u.MemberID != 0 {
			if _, err := memberInScope(ctx, tx, s, nuanxin.PermMemberRead, u.MemberID); err != nil {
				return err
			}
		}
		u.CreatedAt = tx.now
		u.HomeOrgPath, u.HomeOrgName = org.Path, org.Name
		err = tx.QueryRowContext(ctx, `INSERT INTO users (username, name, password_hash, home_org_id, member_id, must_change_password, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`,
			u.Username, u.Name, hash, u.HomeOrgID, nullID(u.MemberID), u.MustChangePassword, ms(tx.now)).Scan(&u.ID)
		if isUnique(err, "username") {
			return nuanxin.Invalid("username", "user.username.taken", u.Username)
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, "user.create", "user", u.ID, org.Path, nil, u)
	})
}

// SetPassword is an admin's reset: the user must change it at next login,
// and their sessions end.
func (db *DB) SetPassword(ctx context.Context, s *nuanxin.Scope, userID int64, password string) error {
	if err := validatePassword("password", password); err != nil {
		return err
	}
	hash := hashPassword(password)
	return db.withTx(ctx, s, func(tx *Tx) error {
		tx.authChanged = true
		u, err := userInScope(ctx, tx, s, userID)
		if err != nil {
			return err
		}
		mustChange := !s.System && s.UserID != userID
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = 0, updated_at = $3 WHERE id = $4`,
			hash, mustChange, ms(tx.now), u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.password", "user", u.ID, u.HomeOrgPath, nil, nil)
	})
}

func (db *DB) ChangeOwnPassword(ctx context.Context, s *nuanxin.Scope, oldPassword, newPassword string) error {
	if s == nil || s.UserID == 0 {
		return nuanxin.Errorf(nuanxin.EUNAUTHORIZED, "err.unauthorized")
	}
	var hash, path string
	if err := db.read.QueryRowContext(ctx, `SELECT u.password_hash, o.path FROM users u JOIN orgs o ON o.id = u.home_org_id WHERE u.id = $1`, s.UserID).Scan(&hash, &path); err != nil {
		return err
	}
	if !checkPassword(hash, oldPassword) {
		return nuanxin.Invalid("old_password", "user.password.wrong")
	}
	if err := validatePassword("new_password", newPassword); err != nil {
		return err
	}
	newHash := hashPassword(newPassword)
	return db.withTx(ctx, s, func(tx *Tx) error {
		tx.authChanged = true
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = FALSE, updated_at = $2 WHERE id = $3`, newHash, ms(tx.now), s.UserID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.own_password", "user", s.UserID, path, nil, nil)
	})
}

func (db *DB) SetUserDisabled(ctx context.Context, s *nuanxin.Scope, userID int64, disabled bool) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		tx.authChanged = true
		u, err := userInScope(ctx, tx, s, userID)
		if err != nil {
			return err
		}
		if disabled && userID == s.UserID {
			return nuanxin.Invalid("user", "user.grant.self_admin")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, ms(tx.now), u.ID); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, action, "user", u.ID, u.HomeOrgPath, nil, nil)
	})
}

func (db *DB) UnlockUser(ctx context.Context, s *nuanxin.Scope, userID int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		u, err := userInScope(ctx, tx, s, userID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1`, u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.unlock", "user", u.ID, u.HomeOrgPath, nil, nil)
	})
}

// Grant gives a role on an org. Both the user and the org must be within
// the caller's user.manage scope, so nobody hands out more than they hold.
func (db *DB) Grant(ctx context.Context, s *nuanxin.Scope, userID int64, role nuanxin.Role, orgID int64) (*nuanxin.Grant, error) {
	if _, ok := nuanxin.ParseRole(string(role)); !ok {
		return nil, nuanxin.Invalid("role", "user.grant.role")
	}
	var g *nuanxin.Grant
	err := db.withTx(ctx, s, func(tx *Tx) error {
		tx.authChanged = true
		u, err := userInScope(ctx, tx, s, userID)
		if err != nil {
			return err
		}
		org, err := orgInScope(ctx, tx, s, nuanxin.PermUserManage, orgID)
		if err != nil {
			return err
		}
		g = &nuanxin.Grant{UserID: u.ID, Role: role, OrgID: org.ID, OrgPath: org.Path, OrgName: org.Name}
		err = tx.QueryRowContext(ctx, `INSERT INTO grants (user_id, role, org_id) VALUES ($1,$2,$3) RETURNING id`, u.ID, role, org.ID).Scan(&g.ID)
		if isUnique(err, "") {
			return nuanxin.Invalid("role", "user.grant.duplicate", role.Label())
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, "user.grant", "user", u.ID, org.Path, nil, g)
	})
	return g, err
}

func (db *DB) Revoke(ctx context.Context, s *nuanxin.Scope, userID, grantID int64) error {
	return db.withTx(ctx, s, func(tx *Tx) error {
		tx.authChanged = true
		u, err := userInScope(ctx, tx, s, userID)
		if err != nil {
			return err
		}
		var g nuanxin.Grant
		err = tx.QueryRowContext(ctx, `SELECT g.id, g.user_id, g.role, g.org_id, o.path, o.name FROM grants g JOIN orgs o ON o.id = g.org_id
			WHERE g.id = $1 AND g.user_id = $2`, grantID, u.ID).Scan(&g.ID, &g.UserID, &g.Role, &g.OrgID, &g.OrgPath, &g.OrgName)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.Can(nuanxin.PermUserManage, g.OrgPath)) {
			return nuanxin.NotFound("what.grant")
		} else if err != nil {
			return err
		}
		if g.Role == nuanxin.RoleAdmin && userID == s.UserID {
			return nuanxin.Invalid("role", "user.grant.self_admin")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE id = $1`, g.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user.revoke", "user", u.ID, g.OrgPath, g, nil)
	})
}
