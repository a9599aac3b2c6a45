package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// decode reads r's body, which must be one JSON object of the media type
// application/json (or a +json type such as merge-patch), into dst, a
// pointer to a request struct. Unknown members, wrong types, anything after
// the object and bodies over MaxBodyBytes are refused before any service
// runs, so a bad request changes nothing.
func (a *API) decode(w http.ResponseWriter, r *http.Request, dst any) error {
	return a.decodeUpTo(w, r, dst, a.MaxBodyBytes)
}

// decodeUpTo is decode with a body limit of its own, for a route whose
// JSON may carry files.
func (a *API) decodeUpTo(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return plain(http.StatusUnsupportedMediaType, "api.media_type")
	}
	if r.ContentLength > limit {
		return plain(http.StatusRequestEntityTooLarge, "api.body_too_large", "Limit", limit)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	// Reading into a RawMessage first separates "is this JSON at all" from
	// "does it fit the request struct", and lets null and arrays be refused:
	// decoding null into a struct would silently do nothing.
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return a.jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil && !isSyntax(err) {
			return a.jsonError(err)
		}
		return badInput(enlace.Errorf(enlace.EINVALID, "api.json_trailing"))
	}
	if raw[0] != '{' {
		return badInput(enlace.Errorf(enlace.EINVALID, "api.json_not_object"))
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(dst); err != nil {
		return a.jsonError(err)
	}
	return nil
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// unknownFieldPrefix starts the error encoding/json returns for a member
// the struct lacks; it has no error type of its own.
const unknownFieldPrefix = "json: unknown field "

// jsonError turns a decoding error into the problem the client sees.
func (a *API) jsonError(err error) error {
	var (
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
		tooBig  *http.MaxBytesError
		unknown = strings.HasPrefix(err.Error(), unknownFieldPrefix)
	)
	switch {
	case errors.As(err, &tooBig):
		return plain(http.StatusRequestEntityTooLarge, "api.body_too_large", "Limit", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return badInput(enlace.Errorf(enlace.EINVALID, "api.body_required"))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badInput(enlace.Errorf(enlace.EINVALID, "api.json_incomplete"))
	case errors.As(err, &syntax):
		return badInput(enlace.Errorf(enlace.EINVALID, "api.json_syntax", "Offset", syntax.Offset))
	case errors.As(err, &typ):
		ptr, kind := "/"+strings.ReplaceAll(typ.Field, ".", "/"), jsonKind(typ.Type)
		return badInput(fieldError("api.json_wrong_type", enlace.Field(ptr, "api.field_type", "Field", ptr, "Type", kind)))
	case unknown:
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), unknownFieldPrefix))
		return badInput(fieldError("api.json_unknown_field", enlace.Field("/"+name, "api.field_unknown", "Field", "/"+name)))
	}
	return err
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "number"
}
