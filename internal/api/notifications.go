package api

import (
	"net/http"
	"time"

	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/notify"
)

// notificationJSON is a notification with its title and body rendered in
// the reader's language.
type notificationJSON struct {
	ID         string     `json:"id"`
	CustomerID string     `json:"customerId,omitempty"`
	Kind       string     `json:"kind"`
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	Link       string     `json:"link,omitempty"`
	Unread     bool       `json:"unread"`
	CreatedAt  time.Time  `json:"createdAt"`
	ReadAt     *time.Time `json:"readAt,omitempty"`
}

// notificationRenderer returns the conversion of notifications into the
// language of loc.
func notificationRenderer(loc *i18n.Localizer) func(*notify.Notification) notificationJSON {
	return func(n *notify.Notification) notificationJSON {
		args := make(map[string]any, len(n.Args))
		for k, v := range n.Args {
			args[k] = v
		}
		return notificationJSON{ID: n.ID, CustomerID: n.CustomerID, Kind: n.Kind, Title: loc.TMap(n.TitleKey, args),
			Body: loc.TMap(n.BodyKey, args), Link: n.Link, Unread: n.Unread(), CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
	}
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(notify.MaxLimit)
	unread := q.boolean("unread")
	if err := q.err(); err != nil {
		return err
	}
	f := notify.NotificationFilter{UnreadOnly: unread != nil && *unread, Offset: p.Offset, Limit: p.Limit}
	ns, total, err := a.Notify.List(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, mapItems(ns, notificationRenderer(a.localizer(r))), total, p)
}

// getNotification opens a notification, which marks it read, as opening
// it in the notification center does.
func (a *API) getNotification(w http.ResponseWriter, r *http.Request) error {
	n, err := a.Notify.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, notificationRenderer(a.localizer(r))(n))
}

func (a *API) readNotification(w http.ResponseWriter, r *http.Request) error {
	if err := a.Notify.MarkRead(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	if err := a.Notify.MarkAllRead(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
