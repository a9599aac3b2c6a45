package api

import (
	"errors"
	"mime"
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/licensing"
)

// licenceRoutes serve the Teams licensing check (D4).
var licenceRoutes = []route{
	{method: "GET", path: "/teams-licences", query: listParams("customerId", "missing", "q"), handle: (*API).listTeamsLicences},
	{method: "POST", path: "/teams-licences", query: []string{"customerId"}, handle: (*API).importTeamsLicences},
}

// maxLicenceImportBody bounds the body of a user list: the largest file
// the licence check takes and room for the multipart framing around it.
const maxLicenceImportBody = licensing.MaxImportBytes + 64<<10

// licenceCSVName is the file name of a list sent as a bare text/csv body.
const licenceCSVName = "users.csv"

// licenceImportPattern is the licence route whose body is a file.
const licenceImportPattern = "POST " + Prefix + "/teams-licences"

// licenceBodyLimits are the body limits of the licence routes that carry
// files, for BodyLimits.
func (a *API) licenceBodyLimits() map[string]int64 {
	if a.Licences == nil {
		return nil
	}
	return map[string]int64{licenceImportPattern: maxLicenceImportBody}
}

// licences returns the service, or not found where the program runs
// without one.
func (a *API) licences() (*licensing.Service, error) {
	if a.Licences == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Licences, nil
}

// teamsSummaryJSON is the summary of a customer's last list, its rows
// left out in the reader's language.
type teamsSummaryJSON struct {
	*licensing.Summary
	Problems []importProblemJSON `json:"problems"`
}

func teamsSummaryOut(sum *licensing.Summary, loc *i18n.Localizer) teamsSummaryJSON {
	out := teamsSummaryJSON{Summary: sum, Problems: make([]importProblemJSON, len(sum.Problems))}
	for i, p := range sum.Problems {
		args := make(map[string]any, len(p.Args))
		for k, v := range p.Args {
			args[k] = v
		}
		out.Problems[i] = importProblemJSON{Line: p.Line, Column: p.Column, Detail: loc.TMap(p.Key, args)}
	}
	return out
}

// teamsLicencesJSON is a customer's licence check: the last list's
// summary and a page of its accounts with their verdicts.
type teamsLicencesJSON struct {
	Summary teamsSummaryJSON     `json:"summary"`
	Users   list[licensing.User] `json:"users"`
}

// listTeamsLicences answers a customer's licence check (a customer
// user's own customer's, whatever it names): the summary and a page of
// accounts by sign-in name, those lacking anything (missing=any) or one
// item, or whose sign-in or name starts with q.
func (a *API) listTeamsLicences(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.licences()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	items := []string{licensing.MissingAny}
	for _, k := range licensing.Items {
		items = append(items, licensing.Item(k))
	}
	var f licensing.Filter
	if m := q.oneOf("missing", items); m != nil {
		f.Missing = *m
		if *m != licensing.MissingAny {
			f.Missing = licensing.ItemKey(*m)
		}
	}
	if s := q.str("q"); s != nil {
		f.Query = *s
	}
	var customerID string
	if c := q.str("customerId"); c != nil {
		customerID = *c
	}
	if err := q.err(); err != nil {
		return err
	}
	sum, err := svc.Summary(r.Context(), customerID)
	if err != nil {
		return err
	}
	users, total, err := svc.Users(r.Context(), customerID, f, p.Offset, p.Limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, teamsLicencesJSON{Summary: teamsSummaryOut(sum, a.localizer(r)),
		Users: list[licensing.User]{Items: users, Total: total, Offset: p.Offset, Limit: p.Limit}})
}

// importTeamsLicences replaces a customer's accounts with a user list as
// the Microsoft 365 admin center exports it: a multipart/form-data body
// with the fields file and customerId, or the file itself as a text/csv
// body with ?customerId=. The list is checked at once; the answer is its
// summary. What is wrong with the file as a whole changes nothing.
func (a *API) importTeamsLicences(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.licences()
	if err != nil {
		return err
	}
	// Refused before a file of many megabytes is read.
	if !licensing.CanImport(enlace.ActorFrom(r.Context())) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	tooLarge := plain(http.StatusRequestEntityTooLarge, "importer.error.too_large", "MaxMiB", licensing.MaxImportBytes>>20)
	if r.ContentLength > maxLicenceImportBody {
		return tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLicenceImportBody)
	var in importUpload
	switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt {
	case "text/csv":
		in, err = readCSVBody(r)
		in.fileName = licenceCSVName
	case "multipart/form-data":
		in, err = readImportForm(r)
	default:
		return plain(http.StatusUnsupportedMediaType, "api.import_media_type")
	}
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return tooLarge
	} else if err != nil {
		return err
	}
	sum, err := svc.Import(r.Context(), in.customerID, in.fileName, in.data)
	if err != nil {
		return pointFields(err, in.pointer)
	}
	return writeJSON(w, http.StatusOK, teamsSummaryOut(sum, a.localizer(r)))
}
