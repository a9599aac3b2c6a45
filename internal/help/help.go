// Package help is the help center (M1): short articles that answer what
// people ask most — access problems first, then the account, users and
// notifications — in the reader's language, and a search over them.
package help

import (
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/i18n"
)

// Article is one answer. Its title and body are catalogue keys
// help.<slug>.title and help.<slug>.body; Links are pages it points to.
type Article struct {
	Slug  string
	Topic string
	Links []Link
}

// Link is a page an article sends the reader to; Label is a catalogue key.
type Link struct {
	Path  string
	Label string
}

// Topics in the order the help center shows them; each has the catalogue
// key help.topic.<topic>.
var Topics = []string{"access", "account", "users", "notifications"}

// Articles are every answer, by topic. The access answers come from the
// portal guide the provider's customers already know (seed 004).
var Articles = []Article{
	{Slug: "temporary-password", Topic: "access"},
	{Slug: "pasted-spaces", Topic: "access"},
	{Slug: "code", Topic: "access"},
	{Slug: "whatsapp", Topic: "access"},
	{Slug: "authenticator", Topic: "access", Links: []Link{{"/profile", "help.link.profile"}}},
	{Slug: "microsoft", Topic: "access"},
	{Slug: "bookmark", Topic: "access", Links: []Link{{"/login", "help.link.login"}}},
	{Slug: "forgot", Topic: "access", Links: []Link{{"/recover", "help.link.recover"}}},
	{Slug: "locked", Topic: "access", Links: []Link{{"/recover", "help.link.recover"}}},
	{Slug: "password-rules", Topic: "access", Links: []Link{{"/password/change", "help.link.password"}}},
	{Slug: "register", Topic: "access", Links: []Link{{"/register", "help.link.register"}}},
	{Slug: "empty-account", Topic: "account"},
	{Slug: "order-not-shown", Topic: "account"},
	{Slug: "several-customers", Topic: "account", Links: []Link{{"/", "help.link.home"}}},
	{Slug: "billing-accounts", Topic: "account"},
	{Slug: "approve-requests", Topic: "users", Links: []Link{{"/access-requests", "help.link.requests"}}},
	{Slug: "create-users", Topic: "users", Links: []Link{{"/users/new", "help.link.new_user"}}},
	{Slug: "roles", Topic: "users"},
	{Slug: "bell", Topic: "notifications", Links: []Link{{"/notifications", "help.link.notifications"}}},
	{Slug: "language", Topic: "notifications", Links: []Link{{"/profile", "help.link.profile"}}},
}

// Find returns the article with slug.
func Find(slug string) (Article, bool) {
	i := slices.IndexFunc(Articles, func(a Article) bool { return a.Slug == slug })
	if i < 0 {
		return Article{}, false
	}
	return Articles[i], true
}

// InTopic returns the articles of a topic, in order.
func InTopic(topic string) []Article {
	var as []Article
	for _, a := range Articles {
		if a.Topic == topic {
			as = append(as, a)
		}
	}
	return as
}

// Search returns the articles whose title or body, in the reader's
// language, contain every word of the query, ignoring case and accents
// ("contrasena" finds "contraseña"); title matches rank first.
func Search(loc *i18n.Localizer, query string) []Article {
	words := strings.Fields(i18n.Fold(query))
	if len(words) == 0 {
		return nil
	}
	type hit struct {
		a     Article
		score int
	}
	var hits []hit
	for _, a := range Articles {
		title, body := i18n.Fold(loc.T("help."+a.Slug+".title")), i18n.Fold(loc.T("help."+a.Slug+".body"))
		score := 0
		for _, w := range words {
			switch {
			case strings.Contains(title, w):
				score += 3
			case strings.Contains(body, w):
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > 0 {
			hits = append(hits, hit{a, score})
		}
	}
	slices.SortStableFunc(hits, func(x, y hit) int { return y.score - x.score })
	out := make([]Article, len(hits))
	for i, h := range hits {
		out[i] = h.a
	}
	return out
}
