package sqlstore_test

import (
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// The store implements the Store interface of every module.
var (
	_ identity.Store = (*sqlstore.Store)(nil)
	_ audit.Store    = (*sqlstore.Store)(nil)
)

var _ customer.Store = (*sqlstore.Store)(nil)
