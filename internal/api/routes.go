package api

import (
	"slices"
)

// route is one operation of the API. The table below is the single list
// of what the API serves: New registers it, and a test holds the OpenAPI
// document to it.
type route struct {
	method string
	path   string   // below Prefix, in ServeMux pattern syntax
	query  []string // the query parameters it takes; others are refused
	public bool     // served without a token
	handle handlerFunc
}

func (rt route) pattern() string { return rt.method + " " + Prefix + rt.path }

// pageParams are the paging parameters of every list.
var pageParams = []string{"offset", "limit"}

func listParams(names ...string) []string { return append(names, pageParams...) }

// routes is every module's table; a module adds its own below.
var routes = slices.Concat(coreRoutes, customerRoutes, billingAccountRoutes, contactRoutes, inventoryRoutes, documentRoutes,
	runbookRoutes, projectRoutes, requestRoutes, numberRoutes, portOrderRoutes, carrierRoutes, licenceRoutes, reachRoutes)

// coreRoutes serve the signed-in user, users, access requests,
// notifications and the audit log.
var coreRoutes = []route{
	{method: "GET", path: "/openapi.json", public: true, handle: (*API).openAPI},
	{method: "GET", path: "/me", handle: (*API).me},

	{method: "GET", path: "/users", query: listParams("q", "role", "disabled", "customerId"), handle: (*API).listUsers},
	{method: "POST", path: "/users", handle: (*API).createUser},
	{method: "GET", path: "/users/{id}", query: []string{"customerId"}, handle: (*API).getUser},
	{method: "PATCH", path: "/users/{id}", query: []string{"customerId"}, handle: (*API).updateUser},

	{method: "GET", path: "/access-requests", query: listParams("status", "customerId"), handle: (*API).listAccessRequests},
	{method: "GET", path: "/access-requests/{id}", handle: (*API).getAccessRequest},
	{method: "POST", path: "/access-requests/{id}/approve", handle: (*API).approveAccessRequest},
	{method: "POST", path: "/access-requests/{id}/reject", handle: (*API).rejectAccessRequest},

	{method: "GET", path: "/notifications", query: listParams("unread"), handle: (*API).listNotifications},
	{method: "GET", path: "/notifications/{id}", handle: (*API).getNotification},
	{method: "POST", path: "/notifications/{id}/read", handle: (*API).readNotification},
	{method: "POST", path: "/notifications/read-all", handle: (*API).readAllNotifications},

	{method: "GET", path: "/audit-log", query: listParams("actor", "action", "objectType", "objectId", "customerId", "since", "until"),
		handle: (*API).listAudit},
}

// methods returns the methods the route table uses, for the Allow header.
func methods() []string {
	var ms []string
	for _, rt := range routes {
		if !slices.Contains(ms, rt.method) {
			ms = append(ms, rt.method)
		}
	}
	return ms
}
