package store

import (
	"sync"
	"time"

	"github.com/nuanxin/nuanxin"
)

// sessionTTL is how long a resolved session is reused without asking the
// database. Every change to users, grants or sessions made through this
// process clears the cache at once; another process sharing a PostgreSQL
// database sees such a change within sessionTTL.
const sessionTTL = 5 * time.Second

// sessionCache saves the two queries that resolve a session on every
// request (a search as the officer types is many requests a second).
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession
}

type cachedSession struct {
	sess  nuanxin.Session
	scope *nuanxin.Scope
	until time.Time
}

func (c *sessionCache) get(hash string, now time.Time) (*nuanxin.Session, *nuanxin.Scope, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.After(e.until) || !e.sess.ExpiresAt.After(now) {
		return nil, nil, false
	}
	s := e.sess
	return &s, e.scope, true
}

func (c *sessionCache) put(hash string, sess *nuanxin.Session, scope *nuanxin.Scope, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10000 {
		c.entries = map[string]cachedSession{}
	}
	c.entries[hash] = cachedSession{sess: *sess, scope: scope, until: now.Add(sessionTTL)}
}

// clear forgets everything: a user, grant or session changed.
func (c *sessionCache) clear() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
