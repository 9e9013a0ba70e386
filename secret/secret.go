// Package secret encrypts sensitive fields (the 身份证号) at rest and gives
// each value a keyed hash for lookup and dedupe.
//
// One 32-byte master key (LoadOrCreateKey) is expanded with HKDF-SHA256 into
// an AES-256-GCM key and an HMAC-SHA256 key, so the hash stored beside a
// ciphertext reveals nothing about the encryption key and vice versa.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// KeySize is the length of the master key in bytes.
const KeySize = 32

// EnvKey is the environment variable that, when set, holds the master key
// (64 hex characters or the base64 of 32 bytes) and wins over the key file.
const EnvKey = "NUANXIN_KEY"

// prefix marks the format of a sealed value: version 1 is AES-256-GCM with a
// 12-byte random nonce, base64url without padding.
const prefix = "v1:"

// ErrCorrupt is returned by Open for a value that is not a sealed value, was
// altered, or was sealed with another key.
var ErrCorrupt = errors.New("secret: sealed value is corrupt or was sealed with another key")

// LoadOrCreateKey returns the master key. NUANXIN_KEY wins when set.
// Otherwise the key is read from the file at path (hex text); when the file
// does not exist a new random key is written there with mode 0600, its
// directory created with mode 0700. A key file that group or others may
// read or write, or that does not hold exactly 32 bytes, is refused: the
// server must not start with a key that is exposed or damaged.
func LoadOrCreateKey(path string) ([]byte, error) {
	if v, ok := os.LookupEnv(EnvKey); ok && strings.TrimSpace(v) != "" {
		key, err := decodeKey(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("secret: %s: %w", EnvKey, err)
		}
		return key, nil
	}
	if path == "" {
		return nil, errors.New("secret: no key file path and " + EnvKey + " is not set")
	}
	key, err := readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	return createKeyFile(path)
}

func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("secret: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("secret: key file %s has mode %04o: group and others must have no access; run chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("secret: key file %s must hold %d hex characters (a %d-byte key)", path, 2*KeySize, KeySize)
	}
	return key, nil
}

// createKeyFile writes a new key to a temporary file and links it into
// place, so a concurrent start never reads a half-written key and never
// replaces a key another process has just created.
func createKeyFile(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".nuanxin-key-*")
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: %w", err)
	}
	if _, err := tmp.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKeyFile(path) // another process won the race
		}
		return nil, fmt.Errorf("secret: %w", err)
	}
	return key, nil
}

// decodeKey accepts 64 hex characters or standard or URL base64 (padded or
// not) of exactly 32 bytes.
func decodeKey(s string) ([]byte, error) {
	if len(s) == 2*KeySize {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("must be %d hex characters or the base64 of %d bytes", 2*KeySize, KeySize)
}

// Box seals and opens field values and hashes them for lookup. It is safe
// for concurrent use.
type Box struct {
	aead    cipher.AEAD
	hashKey []byte
	macs    sync.Pool // of hash.Hash (HMAC-SHA256 keyed with hashKey)
}

// New derives the encryption and hash keys from a 32-byte master key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key must be %d bytes, got %d", KeySize, len(key))
	}
	encKey, err := hkdf.Key(sha256.New, key, nil, "nuanxin enc v1", 32)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	hashKey, err := hkdf.Key(sha256.New, key, nil, "nuanxin hash v1", 32)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	b := &Box{aead: aead, hashKey: hashKey}
	b.macs.New = func() any { return hmac.New(sha256.New, b.hashKey) }
	return b, nil
}

// Seal encrypts plain with a fresh random nonce: "v1:" followed by the
// base64url (unpadded) of nonce||ciphertext||tag. Sealing the same value
// twice gives different strings; use Hash to find equal values. "" stays "".
func (b *Box) Seal(plain string) string {
	if plain == "" {
		return ""
	}
	ns := b.aead.NonceSize()
	buf := make([]byte, ns, ns+len(plain)+b.aead.Overhead())
	rand.Read(buf) // never fails (crypto/rand panics instead)
	buf = b.aead.Seal(buf, buf[:ns], []byte(plain), []byte(prefix))
	return prefix + base64.RawURLEncoding.EncodeToString(buf)
}

// Open decrypts a value made by Seal. "" stays "". Anything else that does
// not open returns ErrCorrupt.
func (b *Box) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrCorrupt
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return "", ErrCorrupt
	}
	ns := b.aead.NonceSize()
	plain, err := b.aead.Open(raw[ns:ns], raw[:ns], raw[ns:], []byte(prefix))
	if err != nil {
		return "", ErrCorrupt
	}
	return string(plain), nil
}

// Hash returns the hex HMAC-SHA256 of plain under the box's hash key: the
// same input gives the same hash, so a unique index on it finds duplicates
// without decrypting; another master key gives unrelated hashes. Hash the
// normalised value (nuanxin.ParseIDNumber's Number), not raw input. Unlike
// Seal, "" hashes like any other string; callers store no hash for an
// empty field.
func (b *Box) Hash(plain string) string {
	m := b.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(plain))
	var sum [sha256.Size]byte
	out := hex.EncodeToString(m.Sum(sum[:0]))
	b.macs.Put(m)
	return out
}

// String keeps key material out of logs and error messages.
func (b *Box) String() string { return "secret.Box{…}" }

// GoString keeps key material out of %#v.
func (b *Box) GoString() string { return b.String() }
