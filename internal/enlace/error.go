// Package enlace is the kernel every other package of Enlace stands on: error
// codes, the clock, identifiers, the acting user carried in a context, and the
// effects a change leaves behind. It imports nothing of the project.
package enlace

import (
	"errors"
	"fmt"
)

// Error codes, one per way a request can fail. Adapters map them to an HTTP
// status and a page or a problem document.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error is a failure the user may see. Message is a message key of the
// i18n catalogue (not prose), so that the web and the API can render it in the
// language of whoever reads it; Args fill its placeholders. Fields carry the
// per-field messages of a form or a JSON body that failed validation.
type Error struct {
	Code    string
	Message string
	Args    map[string]any
	Fields  []FieldError
}

// FieldError names what is wrong with one input field.
type FieldError struct {
	Field   string
	Message string
	Args    map[string]any
}

// Error implements the error interface for logs; users see the localized
// message instead.
func (e *Error) Error() string {
	s := fmt.Sprintf("enlace error: code=%s message=%s", e.Code, e.Message)
	for _, f := range e.Fields {
		s += fmt.Sprintf(" %s=%s", f.Field, f.Message)
	}
	return s
}

// Errorf returns an Error with the given code and message key.
func Errorf(code, message string, args ...any) *Error {
	e := &Error{Code: code, Message: message}
	if len(args) > 0 {
		e.Args = pairs(args)
	}
	return e
}

// Invalid returns an EINVALID error carrying the field errors, or nil when
// there are none, so a Validate method can end with `return enlace.Invalid(errs)`.
func Invalid(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "error.invalid_input", Fields: fields}
}

// Field returns a FieldError; args are key, value pairs for the message.
func Field(field, message string, args ...any) FieldError {
	f := FieldError{Field: field, Message: message}
	if len(args) > 0 {
		f.Args = pairs(args)
	}
	return f
}

// ErrorCode returns the code of err when it is an *Error, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns err as an *Error; anything else becomes an internal error
// whose details stay out of the user's sight.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EINTERNAL, Message: "error.internal"}
}

func pairs(args []any) map[string]any {
	m := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		m[fmt.Sprint(args[i])] = args[i+1]
	}
	return m
}
