package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/nuanxin/nuanxin"
)

// statusOf maps an application error code to the HTTP status: the one place
// where that mapping lives. Invalid input is 422 on a form and 400 on the API.
func statusOf(code string, api bool) int {
	switch code {
	case codePolicy:
		return http.StatusUnprocessableEntity
	case nuanxin.EINVALID:
		if api {
			return http.StatusBadRequest
		}
		return http.StatusUnprocessableEntity
	case nuanxin.ENOTFOUND:
		return http.StatusNotFound
	case nuanxin.ECONFLICT:
		return http.StatusConflict
	case nuanxin.EFORBIDDEN:
		return http.StatusForbidden
	case nuanxin.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case nuanxin.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// codePolicy is the code of a *nuanxin.PolicyError: a 慰问 the policy
// refuses, or holds back for warnings not yet acknowledged.
const codePolicy = "policy"

// errorCode is nuanxin.ErrorCode, knowing the policy's refusals too.
func errorCode(err error) string {
	var pe *nuanxin.PolicyError
	if errors.As(err, &pe) {
		return codePolicy
	}
	return nuanxin.ErrorCode(err)
}

// userMessage is what the person sees: the catalog message of an application
// error, a generic message for anything else (the cause is logged, never shown).
func userMessage(err error) string {
	var pe *nuanxin.PolicyError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	return nuanxin.ErrorMessage(err)
}

// logIfInternal logs errors that are not the caller's doing.
func (s *Server) logIfInternal(r *http.Request, err error) {
	if errorCode(err) == nuanxin.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// fail renders an error page for err. Unauthorized goes to the login page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.logIfInternal(r, err)
	code := errorCode(err)
	if code == nuanxin.EUNAUTHORIZED {
		s.clearSessionCookie(w)
		s.toLogin(w, r)
		return
	}
	s.renderError(w, r, statusOf(code, false), userMessage(err))
}

// apiError is the JSON error body.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Decisions are the policy's findings on a refused 慰问; Row the case
	// of a batch they concern (1-based).
	Decisions []nuanxin.Decision `json:"decisions,omitempty"`
	Row       int                `json:"row,omitempty"`
}

// apiFail answers an API request with the JSON error for err.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	s.logIfInternal(r, err)
	code := errorCode(err)
	body := apiError{Code: code, Message: userMessage(err)}
	var pe *nuanxin.PolicyError
	if errors.As(err, &pe) {
		body.Decisions, body.Row = pe.Decisions, pe.Row
	}
	if fe := nuanxin.AsFieldErrors(err); len(fe) > 0 {
		body.Field = fe[0].Field
		body.Fields = map[string]string{}
		for _, e := range fe {
			if _, dup := body.Fields[e.Field]; !dup {
				body.Fields[e.Field] = e.Error()
			}
		}
	}
	if code == nuanxin.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="nuanxin"`)
	}
	writeJSON(w, statusOf(code, true), map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func asError(err error, target **nuanxin.Error) bool { return errors.As(err, target) }
