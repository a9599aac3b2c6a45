package web

import (
	"net/http"
	"slices"

	"github.com/enlace-portal/enlace/internal/notify"
)

// outboxPage lists the e-mails and WhatsApp messages Enlace sends, with
// their text; in a demonstration it is where the login codes are read.
type outboxPage struct {
	*Page
	Messages         []notify.Message
	Pager            *pager
	Channel, Status  string
	Channels, States []option
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.page(w, r, "web.outbox.title")
	op := outboxPage{Page: p, Channel: q.Get("channel"), Status: q.Get("status")}
	channels := []string{notify.ChannelEmail, notify.ChannelWhatsApp}
	states := []string{notify.StatusPending, notify.StatusSent, notify.StatusFailed}
	if op.Channel != "" && !slices.Contains(channels, op.Channel) || op.Status != "" && !slices.Contains(states, op.Status) {
		p.Summary, op.Channel, op.Status = p.T("web.error.bad_filter"), "", ""
	}
	op.Channels = append([]option{{Label: p.T("web.outbox.all")}}, translatedOptions(p, "web.outbox.channel_", channels, op.Channel)...)
	op.States = append([]option{{Label: p.T("web.outbox.all")}}, translatedOptions(p, "web.outbox.status_", states, op.Status)...)
	page := pageNumber(r)
	f := notify.MessageFilter{Offset: (page - 1) * listLimit, Limit: listLimit}
	if op.Channel != "" {
		f.Channel = &op.Channel
	}
	if op.Status != "" {
		f.Status = &op.Status
	}
	msgs, total, err := s.deps.Notify.Outbox(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	op.Messages, op.Pager = msgs, newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "outbox", op)
}
