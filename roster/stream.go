package roster

import (
	"context"
	"io"

	"github.com/nuanxin/nuanxin"
)

// MemberStream bridges the store's push-style export (a callback per
// member) to the pull-style MemberSource the writers read: the producer
// runs on its own goroutine and hands members over a small channel. Close
// stops the producer (cancelling its query) and waits for it, so no
// goroutine outlives the caller.
type MemberStream struct {
	ch     chan *nuanxin.Member
	done   chan struct{} // closed when the producer has returned
	cancel context.CancelFunc
	err    error // the producer's error; read after done
	peeked *nuanxin.Member
	hasPk  bool
}

// StreamMembers starts produce, which calls fn for every member in order
// and returns when done (fn's error must stop it).
func StreamMembers(ctx context.Context, produce func(ctx context.Context, fn func(*nuanxin.Member) error) error) *MemberStream {
	ctx, cancel := context.WithCancel(ctx)
	st := &MemberStream{ch: make(chan *nuanxin.Member, 64), done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(st.done)
		st.err = produce(ctx, func(m *nuanxin.Member) error {
			select {
			case st.ch <- m:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	return st
}

// Next is a MemberSource: the next member, io.EOF after the last, or the
// producer's error.
func (st *MemberStream) Next() (*nuanxin.Member, error) {
	if st.hasPk {
		st.hasPk = false
		return st.peeked, nil
	}
	select {
	case m := <-st.ch:
		return m, nil
	case <-st.done:
		select { // members sent before the producer returned
		case m := <-st.ch:
			return m, nil
		default:
		}
		if st.err != nil {
			return nil, st.err
		}
		return nil, io.EOF
	}
}

// Ready waits for the first member (or the end), so that a refused export
// (out of scope, no permission, no reason) is reported before any byte of
// a file is written.
func (st *MemberStream) Ready() error {
	m, err := st.Next()
	if err == io.EOF {
		return nil // Next says io.EOF again
	}
	if err != nil {
		return err
	}
	st.peeked, st.hasPk = m, true
	return nil
}

// Close stops the producer and waits for it.
func (st *MemberStream) Close() {
	st.cancel()
	<-st.done
}
