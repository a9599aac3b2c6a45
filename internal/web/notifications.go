package web

import (
	"net/http"
	"time"

	"github.com/enlace-portal/enlace/internal/notify"
)

const listLimit = 25

// notificationView is a notification rendered in the reader's language.
type notificationView struct {
	ID, Title, Body, Link string
	Unread                bool
	CreatedAt             time.Time
}

func viewNotification(p *Page, n notify.Notification) notificationView {
	args := notifyArgs(n)
	v := notificationView{ID: n.ID, Title: p.loc.TMap(n.TitleKey, args), Body: p.loc.TMap(n.BodyKey, args),
		Unread: n.Unread(), CreatedAt: n.CreatedAt}
	if n.Link != "" && localPath(n.Link) == n.Link {
		v.Link = n.Link
	}
	return v
}

// notificationsPage is the notification center (H1).
type notificationsPage struct {
	*Page
	Items []notificationView
	Pager *pager
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r)
	items, total, err := s.deps.Notify.List(r.Context(), notify.NotificationFilter{Offset: (page - 1) * listLimit, Limit: listLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "web.notifications.title")
	np := notificationsPage{Page: p, Pager: newPager(p, r, page, listLimit, total)}
	for _, n := range items {
		np.Items = append(np.Items, viewNotification(p, n))
	}
	s.render(w, r, http.StatusOK, "notifications", np)
}

// notificationPage is one notification; opening it marks it read.
type notificationPage struct {
	*Page
	Item notificationView
}

func (s *Server) notification(w http.ResponseWriter, r *http.Request) {
	n, err := s.deps.Notify.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The page is built after Get so that the bell already counts it read.
	p := s.page(w, r, "web.notifications.title")
	s.render(w, r, http.StatusOK, "notification", notificationPage{Page: p, Item: viewNotification(p, *n)})
}

func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Notify.MarkAllRead(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "web.flash.all_read")
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
