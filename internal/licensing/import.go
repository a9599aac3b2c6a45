package licensing

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// Columns of a user list, as the Microsoft 365 admin center exports it
// (Users → Active users → Export users) in English, Spanish or German;
// its other columns are ignored.
const (
	ColUPN         = "user_principal_name"
	ColDisplayName = "display_name"
	ColLicences    = "licenses"
)

// Columns are the columns the import reads.
var Columns = []importer.Column{
	{Name: ColUPN, Required: true, Aliases: []string{"upn", "userprincipalname", "nombre_principal_de_usuario", "benutzerprinzipalname"}},
	{Name: ColDisplayName, Aliases: []string{"displayname", "nombre_para_mostrar", "nombre_para_mostrar_de_usuario", "anzeigename"}},
	{Name: ColLicences, Required: true, Aliases: []string{"licences", "licencias", "lizenzen"}},
}

// Limits of a user list.
const (
	MaxImportBytes = 20 << 20
	MaxImportRows  = 200000
	// maxUPN bounds a sign-in name; longer is not one.
	maxUPN = 256
	// maxText bounds the display name and the licences kept.
	maxText = 2000
)

// Import replaces a customer's accounts with those of a user list file.
// What is wrong with the file as a whole (too large, not text, no
// "User principal name" or "Licenses" column, too many rows, no account
// at all) is refused on the field "file" and changes nothing; a row
// without a usable sign-in name, or repeating one, is left out and
// reported by its line. The accounts, the summary and the audit entry are
// written in one transaction.
func (s *Service) Import(ctx context.Context, customerID, fileName string, data []byte) (*Summary, error) {
	a, customerID, err := s.access(ctx, customerID)
	if err != nil {
		return nil, err
	}
	if !CanImport(a) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	if len(data) > MaxImportBytes {
		return nil, fileError("importer.error.too_large", "MaxMiB", MaxImportBytes>>20)
	}
	text, _, err := importer.Decode(data)
	if err != nil {
		return nil, err
	}
	f, err := importer.ParseColumns(text, MaxImportRows, Columns)
	if err != nil {
		return nil, err
	}
	sum := &Summary{CustomerID: customerID, Imported: true, FileName: importer.CleanName(fileName), ImportedBy: a.Email,
		Problems: numbering.Problems{}}
	users := readUsers(f, customerID, sum)
	if len(users) == 0 {
		return nil, fileError("licensing.error.no_users")
	}
	kinds, missing := map[string]int{}, map[string]int{}
	for _, u := range users {
		kinds[u.Kind]++
		if u.Ready {
			sum.Ready++
		}
		for _, m := range u.Missing {
			missing[m]++
		}
	}
	sum.Users, sum.Kinds, sum.Missing = len(users), counted(Kinds, kinds), counted(Items, missing)
	entry := audit.Record(ctx, "licensing.import", "customer", customerID, customerID,
		map[string]any{"file": sum.FileName, "users": sum.Users, "ready": sum.Ready, "errorRows": sum.ErrorRows})
	if err := s.store.ReplaceTeamsUsers(ctx, sum, users, entry); err != nil {
		return nil, err
	}
	return sum, nil
}

// readUsers reads the accounts of a file with their verdicts, adding the
// rows left out to the summary.
func readUsers(f *importer.File, customerID string, sum *Summary) []User {
	users := make([]User, 0, len(f.Rows))
	lines := make(map[string]int, len(f.Rows))
	for _, row := range f.Rows {
		if row.Err != nil {
			args := map[string]string{}
			for k, v := range row.Err.Args {
				args[k] = fmt.Sprint(v)
			}
			addProblem(sum, numbering.Problem{Line: row.Line, Key: row.Err.Key, Args: args})
			continue
		}
		upn := strings.ToLower(f.Cell(row, ColUPN))
		problem := numbering.Problem{Line: row.Line, Column: f.ColumnName(ColUPN)}
		switch first, seen := lines[upn]; {
		case upn == "":
			problem.Key = "licensing.error.no_upn"
		case utf8.RuneCountInString(upn) > maxUPN || strings.ContainsAny(upn, " \t") || !strings.Contains(upn, "@"):
			problem.Key, problem.Args = "licensing.error.upn", map[string]string{"UPN": clip(upn, 80)}
		case seen:
			problem.Key, problem.Args = "licensing.error.repeated", map[string]string{"UPN": upn, "Line": fmt.Sprint(first)}
		}
		if problem.Key != "" {
			addProblem(sum, problem)
			continue
		}
		lines[upn] = row.Line
		names := SplitLicences(clip(f.Cell(row, ColLicences), maxText))
		users = append(users, User{CustomerID: customerID, UPN: upn, DisplayName: clip(f.Cell(row, ColDisplayName), maxText),
			Licences: names, Verdict: Check(names)})
	}
	return users
}

// addProblem counts a row left out and keeps its problem while fewer
// than numbering.MaxProblems are kept.
func addProblem(sum *Summary, p numbering.Problem) {
	sum.ErrorRows++
	if len(sum.Problems) < numbering.MaxProblems {
		sum.Problems = append(sum.Problems, p)
	}
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// fileError is a problem with a user list as a whole.
func fileError(key string, args ...any) error {
	return enlace.Invalid([]enlace.FieldError{enlace.Field("file", key, args...)})
}
