package web

import (
	"context"
	"sync"
	"time"
)

// throttle is a per-key token bucket kept in memory (login attempts per client
// address). The map is bounded: when full, buckets that have refilled are
// dropped, and failing that an arbitrary one.
type throttle struct {
	mu      sync.Mutex
	burst   float64
	per     time.Duration // time to refill the whole burst
	max     int
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newThrottle(burst int, per time.Duration, max int) *throttle {
	return &throttle{burst: float64(burst), per: per, max: max, buckets: map[string]*bucket{}}
}

// allow takes one token for key at now; false means slow down.
func (t *throttle) allow(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[key]
	if !ok {
		if len(t.buckets) >= t.max {
			t.evict(now)
		}
		b = &bucket{tokens: t.burst, at: now}
		t.buckets[key] = b
	}
	rate := t.burst / t.per.Seconds()
	b.tokens = min(t.burst, b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (t *throttle) evict(now time.Time) {
	for k, b := range t.buckets {
		if now.Sub(b.at) >= t.per {
			delete(t.buckets, k)
		}
	}
	for k := range t.buckets {
		if len(t.buckets) < t.max {
			return
		}
		delete(t.buckets, k)
	}
}

// onceStore remembers, per session, the one-time tokens of create forms that
// were submitted and where the first submission led, so that a double click
// or a re-sent POST creates one record and lands on the same page.
type onceStore struct {
	mu      sync.Mutex
	ttl     time.Duration
	perSess int
	max     int
	m       map[string]*onceEntry // session key + "|" + token
}

type onceEntry struct {
	sess string
	done chan struct{}
	ok   bool
	url  string
	at   time.Time
}

func newOnceStore(ttl time.Duration, perSess, max int) *onceStore {
	return &onceStore{ttl: ttl, perSess: perSess, max: max, m: map[string]*onceEntry{}}
}

// begin claims token for sess. When the token was already used successfully
// it returns the first result's URL and dup=true. While another request with
// the same token is running, begin waits for it.
func (o *onceStore) begin(ctx context.Context, sess, token string, now time.Time) (url string, dup bool) {
	if token == "" || sess == "" {
		return "", false
	}
	key := sess + "|" + token
	for {
		o.mu.Lock()
		e, ok := o.m[key]
		if ok && now.Sub(e.at) > o.ttl {
			delete(o.m, key)
			ok = false
		}
		if !ok {
			o.gc(sess, now)
			o.m[key] = &onceEntry{sess: sess, done: make(chan struct{}), at: now}
			o.mu.Unlock()
			return "", false
		}
		o.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return "", false
		}
		if e.ok {
			return e.url, true
		}
		// the first attempt failed and released the token: try again.
	}
}

// finish records the outcome: ok with the URL of the created record, or a
// failure that releases the token so the corrected form can be sent.
func (o *onceStore) finish(sess, token string, ok bool, url string) {
	if token == "" || sess == "" {
		return
	}
	key := sess + "|" + token
	o.mu.Lock()
	defer o.mu.Unlock()
	e, found := o.m[key]
	if !found {
		return
	}
	select {
	case <-e.done:
		return
	default:
	}
	e.ok, e.url = ok, url
	if !ok {
		delete(o.m, key)
	}
	close(e.done)
}

// gc drops expired entries and keeps the map bounded. Called with mu held.
func (o *onceStore) gc(sess string, now time.Time) {
	n := 0
	for k, e := range o.m {
		if now.Sub(e.at) > o.ttl {
			delete(o.m, k)
			continue
		}
		if e.sess == sess {
			n++
		}
	}
	if n >= o.perSess || len(o.m) >= o.max {
		// drop the oldest finished entries of this session (or any)
		var oldestKey string
		var oldest time.Time
		for k, e := range o.m {
			if (n >= o.perSess && e.sess != sess) || !isDone(e) {
				continue
			}
			if oldestKey == "" || e.at.Before(oldest) {
				oldestKey, oldest = k, e.at
			}
		}
		if oldestKey != "" {
			delete(o.m, oldestKey)
		}
	}
}

func isDone(e *onceEntry) bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}
