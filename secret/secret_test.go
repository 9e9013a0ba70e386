package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func newBox(t testing.TB, b byte) *Box {
	t.Helper()
	box, err := New(testKey(b))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

func TestSealOpenRoundTrip(t *testing.T) {
	box := newBox(t, 1)
	for _, plain := range []string{"43010219850101123X", "11010519491231002X", "x", "张三 13812345678", strings.Repeat("长", 1000)} {
		sealed := box.Seal(plain)
		if !strings.HasPrefix(sealed, "v1:") || len(plain) > 4 && strings.Contains(sealed, plain) {
			t.Fatalf("Seal(%q) = %q", plain, sealed)
		}
		if _, err := base64.RawURLEncoding.DecodeString(sealed[3:]); err != nil {
			t.Fatalf("Seal(%q) = %q: not base64url: %v", plain, sealed, err)
		}
		got, err := box.Open(sealed)
		if err != nil || got != plain {
			t.Fatalf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
		if again := box.Seal(plain); again == sealed {
			t.Fatalf("Seal(%q) twice gives the same ciphertext: nonce reused", plain)
		}
	}
	if box.Seal("") != "" {
		t.Fatal(`Seal("") must be ""`)
	}
	if got, err := box.Open(""); got != "" || err != nil {
		t.Fatalf(`Open("") = %q, %v`, got, err)
	}
	// A second box from the same key opens what the first sealed.
	other := newBox(t, 1)
	if got, err := other.Open(box.Seal("430102")); err != nil || got != "430102" {
		t.Fatalf("same key, new box: %q, %v", got, err)
	}
}

func TestOpenDetectsTampering(t *testing.T) {
	box := newBox(t, 2)
	sealed := box.Seal("43010219850101123X")
	raw, _ := base64.RawURLEncoding.DecodeString(sealed[3:])
	for i := range raw {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x01
		if _, err := box.Open("v1:" + base64.RawURLEncoding.EncodeToString(bad)); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("flipping byte %d: err = %v, want ErrCorrupt", i, err)
		}
	}
	for _, bad := range []string{
		"43010219850101123X",   // plain text stored by mistake
		"v2:" + sealed[3:],     // unknown version
		sealed[:len(sealed)-1], // truncated
		sealed + "A",           // extended
		"v1:",                  // empty
		"v1:!!!!",              // not base64url
		"v1:" + base64.RawURLEncoding.EncodeToString(raw[:27]), // shorter than nonce + tag
	} {
		if got, err := box.Open(bad); !errors.Is(err, ErrCorrupt) || got != "" {
			t.Errorf("Open(%q) = %q, %v; want ErrCorrupt", bad, got, err)
		}
	}
}

func TestWrongKeyFails(t *testing.T) {
	sealed := newBox(t, 3).Seal("43010219850101123X")
	if _, err := newBox(t, 4).Open(sealed); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("wrong key: err = %v", err)
	}
}

func TestHash(t *testing.T) {
	a, b := newBox(t, 5), newBox(t, 6)
	h := a.Hash("43010219850101123X")
	if len(h) != 64 {
		t.Fatalf("hash %q is not 64 hex characters", h)
	}
	if _, err := hex.DecodeString(h); err != nil {
		t.Fatal(err)
	}
	if a.Hash("43010219850101123X") != h || newBox(t, 5).Hash("43010219850101123X") != h {
		t.Fatal("same key and input give different hashes")
	}
	if a.Hash("430102198501011230") == h {
		t.Fatal("different inputs give the same hash")
	}
	if b.Hash("43010219850101123X") == h {
		t.Fatal("different keys give the same hash")
	}
	// The hash key is not the encryption key: neither is the master key's
	// plain HMAC.
	if h == fmt.Sprintf("%x", testKey(5)) {
		t.Fatal("hash leaks the key")
	}
	// Safe for concurrent use (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				in := fmt.Sprint(i, j)
				if got, err := a.Open(a.Seal(in)); err != nil || got != in {
					t.Errorf("concurrent round trip %q: %q, %v", in, got, err)
				}
				if a.Hash(in) != a.Hash(in) {
					t.Errorf("concurrent hash differs")
				}
			}
		})
	}
	wg.Wait()
}

func TestNewRejectsBadKeys(t *testing.T) {
	for _, k := range [][]byte{nil, make([]byte, 16), make([]byte, 31), make([]byte, 33), make([]byte, 64)} {
		if _, err := New(k); err == nil {
			t.Errorf("New(%d bytes) accepted", len(k))
		}
	}
}

func TestBoxDoesNotPrintKeys(t *testing.T) {
	box := newBox(t, 7)
	for _, s := range []string{fmt.Sprint(box), fmt.Sprintf("%v %+v %#v %s", box, box, box, box)} {
		if strings.Contains(s, "[") || strings.Contains(s, "0x") {
			t.Errorf("box prints internals: %s", s)
		}
	}
}

func TestLoadOrCreateKeyCreatesFile(t *testing.T) {
	t.Setenv(EnvKey, "")
	dir := filepath.Join(t.TempDir(), "etc", "nuanxin")
	path := filepath.Join(dir, "key")
	key, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != KeySize || bytes.Equal(key, make([]byte, KeySize)) {
		t.Fatalf("key = %x", key)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("key file mode %04o, want 0600", perm)
		}
		di, _ := os.Stat(dir)
		if perm := di.Mode().Perm(); perm != 0o700 {
			t.Errorf("key dir mode %04o, want 0700", perm)
		}
	}
	text, _ := os.ReadFile(path)
	if strings.TrimSpace(string(text)) != hex.EncodeToString(key) {
		t.Errorf("key file holds %q", text)
	}
	// The next start reads the same key.
	again, err := LoadOrCreateKey(path)
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("second load: %x, %v; want %x", again, err, key)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only the key", len(entries))
	}
}

func TestLoadOrCreateKeyConcurrentStartsAgree(t *testing.T) {
	t.Setenv(EnvKey, "")
	path := filepath.Join(t.TempDir(), "key")
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadOrCreateKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !bytes.Equal(k, keys[0]) {
			t.Fatalf("concurrent starts got different keys")
		}
	}
}

func TestLoadOrCreateKeyRefusesBadFiles(t *testing.T) {
	t.Setenv(EnvKey, "")
	good := hex.EncodeToString(testKey(9))
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"world readable", good, 0o644, "chmod 600"},
		{"group readable", good, 0o640, "chmod 600"},
		{"world writable", good, 0o602, "chmod 600"},
		{"too short", good[:62], 0o600, "64 hex"},
		{"too long", good + "00", 0o600, "64 hex"},
		{"not hex", strings.Repeat("zz", 32), 0o600, "64 hex"},
		{"empty", "", 0o600, "64 hex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && tc.mode != 0o600 {
				t.Skip("no Unix permissions")
			}
			path := filepath.Join(t.TempDir(), "key")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			key, err := LoadOrCreateKey(path)
			if err == nil || key != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadOrCreateKey = %x, %v; want an error saying %q", key, err, tc.want)
			}
			// The refused file is left alone, not replaced by a new key.
			if b, _ := os.ReadFile(path); string(b) != tc.content {
				t.Fatalf("key file was changed")
			}
		})
	}
	// A directory where the file should be.
	dir := t.TempDir()
	if _, err := LoadOrCreateKey(dir); err == nil {
		t.Fatal("a directory was accepted as the key file")
	}
	// Trailing newline and spaces are fine.
	path := filepath.Join(t.TempDir(), "key")
	os.WriteFile(path, []byte("  "+good+"\n\n"), 0o600)
	if key, err := LoadOrCreateKey(path); err != nil || !bytes.Equal(key, testKey(9)) {
		t.Fatalf("key with whitespace: %x, %v", key, err)
	}
}

func TestLoadOrCreateKeyEnvWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	os.WriteFile(path, []byte(hex.EncodeToString(testKey(1))), 0o600)
	want := testKey(0xAB)
	for _, env := range []string{
		hex.EncodeToString(want),
		strings.ToUpper(hex.EncodeToString(want)),
		base64.StdEncoding.EncodeToString(want),
		base64.RawStdEncoding.EncodeToString(want),
		base64.URLEncoding.EncodeToString(want),
		" " + hex.EncodeToString(want) + "\n",
	} {
		t.Setenv(EnvKey, env)
		key, err := LoadOrCreateKey(path)
		if err != nil || !bytes.Equal(key, want) {
			t.Fatalf("env %q: %x, %v", env, key, err)
		}
	}
	// The env key wins even where no key file could be created.
	t.Setenv(EnvKey, hex.EncodeToString(want))
	if key, err := LoadOrCreateKey(""); err != nil || !bytes.Equal(key, want) {
		t.Fatalf("env key without a path: %x, %v", key, err)
	}
	for _, bad := range []string{"abc", hex.EncodeToString(testKey(1))[:62], base64.StdEncoding.EncodeToString(make([]byte, 16)), strings.Repeat("g", 64)} {
		t.Setenv(EnvKey, bad)
		if key, err := LoadOrCreateKey(path); err == nil || !strings.Contains(err.Error(), EnvKey) {
			t.Errorf("bad env key %q: %x, %v", bad, key, err)
		}
	}
	// An empty variable counts as unset.
	t.Setenv(EnvKey, "")
	if key, err := LoadOrCreateKey(path); err != nil || !bytes.Equal(key, testKey(1)) {
		t.Fatalf("empty env: %x, %v", key, err)
	}
}

func BenchmarkSealHash(b *testing.B) {
	box := newBox(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		_ = box.Seal("43010219850101123X")
		_ = box.Hash("43010219850101123X")
	}
}

func BenchmarkOpen(b *testing.B) {
	box := newBox(b, 1)
	sealed := box.Seal("43010219850101123X")
	b.ReportAllocs()
	for b.Loop() {
		box.Open(sealed)
	}
}
