package api

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/licensing"
)

// withLicences adds the Teams licence check to the fixture.
func (f *fixture) withLicences() *licensing.Service {
	svc := licensing.NewService(f.store, f.clock)
	f.api.Licences = svc
	return svc
}

// licenceUpload is a multipart POST of a user list, as who, for the
// customer (none when empty).
func licenceUpload(as, customerID, fileName string, content []byte) call {
	fields := [][2]string{{"file", ""}}
	if customerID != "" {
		fields = append(fields, [2]string{"customerId", customerID})
	}
	c := multipartBody(fields, fileName, content)
	c.as, c.path = as, "/teams-licences"
	return c
}

func usersExport(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../licensing/testdata/users.csv")
	must(t, err)
	return b
}

// teamsLicencesOut is the GET answer as a client reads it.
type teamsLicencesOut struct {
	Summary struct {
		Imported  bool              `json:"imported"`
		FileName  string            `json:"fileName"`
		Users     int               `json:"users"`
		Ready     int               `json:"ready"`
		Missing   []licensing.Count `json:"missing"`
		ErrorRows int               `json:"errorRows"`
		Problems  []importProblemJSON
	} `json:"summary"`
	Users struct {
		Items []licensing.User `json:"items"`
		Total int              `json:"total"`
	} `json:"users"`
}

// TestTeamsLicencesAPI: staff load a customer's export, its administrator
// reads the verdicts and filters them, and a CSV body replaces the list.
func TestTeamsLicencesAPI(t *testing.T) {
	f := newFixture(t)
	f.withLicences()
	a := f.a.customer.ID
	var sum teamsLicencesOut
	f.doJSON(call{as: aAdmin, method: "GET", path: "/teams-licences"}, http.StatusOK, &sum)
	if sum.Summary.Imported || sum.Users.Total != 0 || sum.Users.Items == nil || len(sum.Summary.Missing) != 3 {
		t.Errorf("GET before any list = %+v, want not imported, zero counts and an empty page", sum)
	}

	var imported teamsSummaryJSON
	f.doJSON(licenceUpload(staffAdmin, a, "users.csv", usersExport(t)), http.StatusOK, &imported)
	if imported.Users != 13 || imported.Ready != 7 || imported.FileName != "users.csv" || imported.ImportedBy != "admin@provider.example" ||
		len(imported.Problems) != 1 || imported.Problems[0].Line != 15 || !strings.Contains(imported.Problems[0].Detail, "UPN") {
		t.Errorf("POST = %+v, want 13 accounts, 7 ready, line 15 left out", imported)
	}

	var got teamsLicencesOut
	f.doJSON(call{as: aAdmin, method: "GET", path: "/teams-licences?missing=remove_calling_plan"}, http.StatusOK, &got)
	var upns []string
	for _, u := range got.Users.Items {
		upns = append(upns, u.UPN)
	}
	if diff := cmp.Diff([]string{"elena.castro@contoso.mx", "jose.martinez@contoso.mx"}, upns); diff != "" || got.Users.Total != 2 {
		t.Errorf("GET ?missing=remove_calling_plan total %d (-want +got):\n%s", got.Users.Total, diff)
	}
	if j := got.Users.Items[1]; j.Kind != licensing.KindUser || j.Ready || !cmp.Equal(j.Missing, licensing.Keys{licensing.MissingRemoveCallingPlan}) {
		t.Errorf("José = %+v, want a user lacking only the calling plan's removal", j)
	}
	f.doJSON(call{as: aAdmin, method: "GET", path: "/teams-licences?missing=any&q=F&limit=1"}, http.StatusOK, &got)
	if got.Users.Total != 1 || got.Users.Items[0].UPN != "fernando.ruiz@contoso.mx" || got.Summary.Users != 13 {
		t.Errorf("GET ?missing=any&q=F = %+v, want Fernando", got)
	}

	body := "User principal name;Licenses\r\nana.lopez@contoso.mx;SPE_E5\r\n"
	f.doJSON(call{as: aAdmin, method: "POST", path: "/teams-licences", body: body, contentType: "text/csv"}, http.StatusOK, &imported)
	if imported.Users != 1 || imported.FileName != "users.csv" || imported.CustomerID != a || imported.ImportedBy != "admin@a.example" {
		t.Errorf("POST text/csv = %+v, want A's one account", imported)
	}
}

// TestTeamsLicencesTenancy runs both routes as every role: another
// customer's list is not found, roles without the right are forbidden,
// and A's list does not change.
func TestTeamsLicencesTenancy(t *testing.T) {
	f := newFixture(t)
	f.addViewer()
	svc := f.withLicences()
	a, b := f.a.customer.ID, f.b.customer.ID
	data := usersExport(t)
	_, err := svc.Import(f.staffCtx, a, "a.csv", data)
	must(t, err)
	small := []byte("User principal name,Licenses\nx@b.example,SPE_E5\n")
	for _, tt := range []struct {
		name   string
		c      call
		status int
	}{
		{"no token", call{method: "GET", path: "/teams-licences"}, 401},
		{"A admin reads B", call{as: aAdmin, method: "GET", path: "/teams-licences?customerId=" + b}, 404},
		{"A admin imports into B", licenceUpload(aAdmin, b, "x.csv", small), 404},
		{"B admin reads A", call{as: bAdmin, method: "GET", path: "/teams-licences?customerId=" + a}, 404},
		{"B admin reads own", call{as: bAdmin, method: "GET", path: "/teams-licences"}, 200},
		{"A end user reads", call{as: aUser, method: "GET", path: "/teams-licences"}, 403},
		{"A end user imports", licenceUpload(aUser, "", "x.csv", small), 403},
		{"A read-only technical contact reads", call{as: aViewer, method: "GET", path: "/teams-licences"}, 200},
		{"A read-only technical contact imports", licenceUpload(aViewer, "", "x.csv", small), 403},
		{"staff technician reads A", call{as: staffTech, method: "GET", path: "/teams-licences?customerId=" + a}, 403},
		{"staff technician imports", licenceUpload(staffTech, a, "x.csv", small), 403},
		{"staff admin names no customer", call{as: staffAdmin, method: "GET", path: "/teams-licences"}, 422},
		{"staff admin names an unknown customer", call{as: staffAdmin, method: "GET", path: "/teams-licences?customerId=nope"}, 404},
		{"staff admin reads A", call{as: staffAdmin, method: "GET", path: "/teams-licences?customerId=" + a}, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			if tt.status < 400 {
				if resp.StatusCode != tt.status {
					t.Fatalf("%s %s = %d %s, want %d", tt.c.method, tt.c.path, resp.StatusCode, body, tt.status)
				}
				return
			}
			checkProblem(t, resp, body, tt.status)
		})
	}
	sum, err := svc.Summary(f.staffCtx, a)
	must(t, err)
	if sum.FileName != "a.csv" || sum.Users != 13 {
		t.Errorf("A's list = %q with %d accounts, want a.csv untouched", sum.FileName, sum.Users)
	}
}

// TestTeamsLicencesBadInput: malformed and invalid requests of A's
// administrator are refused with a problem naming the fault, and A's list
// does not change.
func TestTeamsLicencesBadInput(t *testing.T) {
	f := newFixture(t)
	svc := f.withLicences()
	a := f.a.customer.ID
	_, err := svc.Import(f.staffCtx, a, "a.csv", usersExport(t))
	must(t, err)
	extra := multipartBody([][2]string{{"file", ""}, {"kind", "x"}}, "u.csv", usersExport(t))
	extra.as, extra.path = aAdmin, "/teams-licences"
	noFile := multipartBody([][2]string{{"customerId", a}}, "", nil)
	noFile.as, noFile.path = aAdmin, "/teams-licences"
	huge := licenceUpload(aAdmin, "", "u.csv", make([]byte, licensing.MaxImportBytes+128<<10))
	for _, tt := range []refusal{
		{"unknown parameter", call{as: aAdmin, method: "GET", path: "/teams-licences?stauts=x"}, 400, "stauts"},
		{"unknown filter", call{as: aAdmin, method: "GET", path: "/teams-licences?missing=everything"}, 400, "missing"},
		{"bad limit", call{as: aAdmin, method: "GET", path: "/teams-licences?limit=0"}, 400, "limit"},
		{"JSON body", call{as: aAdmin, method: "POST", path: "/teams-licences", body: `{"file":"x"}`}, 415, ""},
		{"malformed multipart", call{as: aAdmin, method: "POST", path: "/teams-licences", body: "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nsin cierre",
			contentType: "multipart/form-data; boundary=x"}, 400, ""},
		{"unknown field", extra, 400, "kind"},
		{"no file", noFile, 422, "/file"},
		{"no licences column", licenceUpload(aAdmin, "", "u.csv", []byte("User principal name\nana@a.example\n")), 422, "/file"},
		{"no account", licenceUpload(aAdmin, "", "u.csv", []byte("User principal name,Licenses\n,SPE_E5\n")), 422, "/file"},
		{"binary", licenceUpload(aAdmin, "", "u.xlsx", []byte("PK\x03\x04\x00\x00")), 422, "/file"},
		{"too large", huge, 413, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do(tt.c)
			p := checkProblem(t, resp, body, tt.status)
			if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field) {
				t.Errorf("problem = %+v, want it to name %s", p, tt.field)
			}
		})
	}
	sum, err := svc.Summary(f.staffCtx, a)
	must(t, err)
	if sum.FileName != "a.csv" || sum.Users != 13 {
		t.Errorf("A's list = %q with %d accounts, want a.csv untouched", sum.FileName, sum.Users)
	}
}
