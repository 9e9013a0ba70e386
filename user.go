package nuanxin

import (
	"context"
	"time"
)

// User is a login. A user belongs to a home org (HomeOrgID) so that the
// admins of that subtree manage them; what they may do comes from Grants.
type User struct {
	ID                 int64     `json:"id"`
	Username           string    `json:"username"`
	Name               string    `json:"name"`
	HomeOrgID          int64     `json:"home_org_id"`
	HomeOrgPath        string    `json:"-"`
	HomeOrgName        string    `json:"home_org_name,omitempty"`
	MemberID           int64     `json:"member_id,omitempty"`
	Disabled           bool      `json:"disabled"`
	LockedUntil        time.Time `json:"locked_until,omitempty"`
	FailedLogins       int       `json:"-"`
	MustChangePassword bool      `json:"must_change_password"`
	LastLoginAt        time.Time `json:"last_login_at,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
	Grants             []Grant   `json:"grants,omitempty"`
}

// Session is a logged-in browser. Only the hash of the token is stored.
type Session struct {
	UserID    int64
	CSRFToken string
	ExpiresAt time.Time
}

// APIToken lets a script call /api/v1 as a user.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Token     string    `json:"token,omitempty"` // only when just created
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitempty"`
}

// Login policy: after MaxFailedLogins wrong passwords the account locks for
// LockoutDuration; the web layer also throttles per client address.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
	SessionLifetime = 12 * time.Hour
	MinPasswordLen  = 8
)

// UserService keeps users, grants, sessions and tokens.
type UserService interface {
	// Authenticate checks a password, counts failures and locks the account
	// after MaxFailedLogins. The error never tells which part was wrong.
	Authenticate(ctx context.Context, username, password, ip string) (*User, error)
	CreateSession(ctx context.Context, userID int64, ip, userAgent string) (token string, sess *Session, err error)
	// SessionScope resolves a session cookie to its session and scope.
	SessionScope(ctx context.Context, token string) (*Session, *Scope, error)
	DeleteSession(ctx context.Context, token string) error
	TokenScope(ctx context.Context, token string) (*Scope, error)
	CreateAPIToken(ctx context.Context, s *Scope, userID int64, name string) (*APIToken, error)

	FindUserByID(ctx context.Context, s *Scope, id int64) (*User, error)
	FindUserByName(ctx context.Context, s *Scope, username string) (*User, error)
	FindUsers(ctx context.Context, s *Scope) ([]*User, error)
	CreateUser(ctx context.Context, s *Scope, u *User, password string) error
	SetPassword(ctx context.Context, s *Scope, userID int64, password string) error
	// ChangeOwnPassword needs the old password; it ends the other sessions.
	ChangeOwnPassword(ctx context.Context, s *Scope, oldPassword, newPassword string) error
	SetUserDisabled(ctx context.Context, s *Scope, userID int64, disabled bool) error
	UnlockUser(ctx context.Context, s *Scope, userID int64) error
	// Grant gives a role on an org within the caller's user.manage scope.
	Grant(ctx context.Context, s *Scope, userID int64, role Role, orgID int64) (*Grant, error)
	Revoke(ctx context.Context, s *Scope, userID, grantID int64) error
}
