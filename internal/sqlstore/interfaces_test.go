package sqlstore_test

import (
	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// The store implements the Store interface of every module.
var (
	_ identity.Store = (*sqlstore.Store)(nil)
	_ audit.Store    = (*sqlstore.Store)(nil)
)

var _ customer.Store = (*sqlstore.Store)(nil)

var (
	_ contact.Store     = (*sqlstore.Store)(nil)
	_ contact.Customers = (*sqlstore.Store)(nil)
)

var _ inventory.Store = (*sqlstore.Store)(nil)

var _ importer.Store = (*sqlstore.Store)(nil)

var _ document.Store = (*sqlstore.Store)(nil)

var _ activation.Store = (*sqlstore.Store)(nil)

var _ ordering.Store = (*sqlstore.Store)(nil)

var _ servicedesk.Store = (*sqlstore.Store)(nil)

var (
	_ numbering.Store = (*sqlstore.Store)(nil)
	_ porting.Store   = (*sqlstore.Store)(nil)
)

var _ licensing.Store = (*sqlstore.Store)(nil)

var _ reach.Store = (*sqlstore.Store)(nil)
