package nuanxin

import (
	"fmt"
	"sync"
)

// The message catalog. Every string a user sees goes through T so another
// language can follow; zh-CN is the only one today. Packages add their own
// entries with RegisterMessages from an init function.
var (
	catalogMu sync.RWMutex
	catalog   = map[string]string{}
)

// RegisterMessages adds zh-CN messages. A duplicate key panics at start-up,
// which catches two packages claiming the same key.
func RegisterMessages(m map[string]string) {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	for k, v := range m {
		if _, dup := catalog[k]; dup {
			panic("nuanxin: duplicate message key " + k)
		}
		catalog[k] = v
	}
}

// T renders message key with args (fmt verbs). An unknown key renders as the
// key itself so a missing entry is visible rather than blank.
func T(key string, args ...any) string {
	catalogMu.RLock()
	msg, ok := catalog[key]
	catalogMu.RUnlock()
	if !ok {
		msg = key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// HasMessage reports whether key is in the catalog (tests use it to check
// that every enum value has a label).
func HasMessage(key string) bool {
	catalogMu.RLock()
	defer catalogMu.RUnlock()
	_, ok := catalog[key]
	return ok
}
