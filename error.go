package nuanxin

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps each to one HTTP status (web/error.go).
const (
	ECONFLICT     = "conflict"     // duplicate 身份证号, code already used, stale edit
	EINTERNAL     = "internal"     // a bug or an unreachable database
	EINVALID      = "invalid"      // bad input; Field names the field
	ENOTFOUND     = "not_found"    // missing, or outside the caller's scope
	EFORBIDDEN    = "forbidden"    // in scope, but the role does not allow it
	EUNAUTHORIZED = "unauthorized" // not logged in, bad password
	ETOOMANY      = "too_many"     // login throttling
)

// Error is the application error. Key is a message catalog key; the message a
// user sees is T(Key, Args...). Field names the form or API field at fault.
type Error struct {
	Code  string
	Field string
	Key   string
	Args  []any
}

func (e *Error) Error() string { return T(e.Key, e.Args...) }

// Errorf builds an Error whose message is the catalog entry key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid reports bad input in one field.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Key: key, Args: args}
}

// NotFound is what every out-of-scope read returns: the record does not exist
// for this caller.
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Key: "err.not_found", Args: []any{T(what)}}
}

// ErrorCode returns the code of an application error, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	var fe FieldErrors
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &fe):
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the Chinese message of an application error and a
// generic message for anything else, so internals never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	var fe FieldErrors
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Error()
	case errors.As(err, &fe):
		return fe.Error()
	}
	return T("err.internal")
}

// FieldErrors collects every invalid field of a form at once, so the officer
// fixes them all in one go instead of one per submit.
type FieldErrors []*Error

func (fe FieldErrors) Error() string {
	if len(fe) == 0 {
		return ""
	}
	if len(fe) == 1 {
		return fe[0].Error()
	}
	return fmt.Sprintf("%s（%s）", fe[0].Error(), T("err.more_fields", len(fe)-1))
}

// Add appends an error for field.
func (fe *FieldErrors) Add(field, key string, args ...any) {
	*fe = append(*fe, Invalid(field, key, args...))
}

// For returns the message for field, or "".
func (fe FieldErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Error()
		}
	}
	return ""
}

// Err returns nil when empty, so `return fe.Err()` reads naturally.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// AsFieldErrors turns any error into per-field errors for a form: a single
// *Error with a Field becomes one entry; anything else returns nil.
func AsFieldErrors(err error) FieldErrors {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return fe
	}
	var e *Error
	if errors.As(err, &e) && e.Field != "" {
		return FieldErrors{e}
	}
	return nil
}
