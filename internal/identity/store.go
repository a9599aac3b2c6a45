package identity

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Store is what identity needs of the database. Methods that take effects
// commit them in the same transaction as the change. Lookups of a missing
// row return an ENOTFOUND error.
type Store interface {
	UserByID(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	CreateUser(ctx context.Context, u *User, passwordHash string, temporary bool, m *Membership, effects ...enlace.Effect) error
	PasswordHistory(ctx context.Context, userID string, n int) ([]string, error)
	SetPassword(ctx context.Context, p PasswordSet, effects ...enlace.Effect) error
	SetTOTP(ctx context.Context, userID, secret string, effects ...enlace.Effect) error
	UpdateProfile(ctx context.Context, userID string, p ProfileUpdate, effects ...enlace.Effect) error

	Memberships(ctx context.Context, userID string) ([]Membership, error)
	MembershipOf(ctx context.Context, userID, customerID string) (*Membership, error)
	CreateMembership(ctx context.Context, m *Membership, effects ...enlace.Effect) error
	UpdateMember(ctx context.Context, u *User, m *Membership, effects ...enlace.Effect) error
	Member(ctx context.Context, customerID, userID string) (*Member, error)
	FindMembers(ctx context.Context, f MemberFilter) ([]Member, int, error)
	CustomerAdmins(ctx context.Context, customerID string) ([]User, error)
	PendingRequestsByCustomer(ctx context.Context) ([]Attention, error)
	CustomersWithoutAdmin(ctx context.Context) ([]Attention, error)

	CustomerByID(ctx context.Context, id string) (*customer.Customer, error)
	BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error)
	BillingAccountByNumbers(ctx context.Context, customerNumber, accountNumber string) (*customer.BillingAccount, error)
	LatestInvoiceNumbers(ctx context.Context, billingAccountID string, n int) ([]string, error)

	CreateSession(ctx context.Context, s *Session, clearThrottle string) error
	SessionByID(ctx context.Context, id string) (*Session, error)
	TouchSession(ctx context.Context, id string, at time.Time) error
	SwitchCustomer(ctx context.Context, sessionID, userID, customerID string) error
	RevokeSession(ctx context.Context, id string, at time.Time) error

	DeleteExpired(ctx context.Context, now, dayAgo time.Time, failureWindow time.Duration) (int, error)

	Throttled(ctx context.Context, now time.Time, keys ...string) (bool, error)
	RecordFailures(ctx context.Context, now time.Time, rules ...ThrottleRule) error

	LoginCodeStats(ctx context.Context, sessionID string) (*LoginCode, int, error)
	CreateLoginCode(ctx context.Context, c *LoginCode, effects ...enlace.Effect) error
	RecordCodeTry(ctx context.Context, id string) error
	CompleteSecondFactor(ctx context.Context, f SecondFactor, effects ...enlace.Effect) error

	CreateChallenge(ctx context.Context, c *Challenge) error
	SolveChallenge(ctx context.Context, id, answerHash, subject string, now time.Time) (bool, error)
	UseChallenge(ctx context.Context, id string, solvedAfter, now time.Time) (string, error)
	CreateRecoveryToken(ctx context.Context, t *RecoveryToken, effects ...enlace.Effect) error
	RecoveryTokenByHash(ctx context.Context, hash string) (*RecoveryToken, error)
	ResetPassword(ctx context.Context, tokenID string, p PasswordSet, effects ...enlace.Effect) error

	CreateAccessRequest(ctx context.Context, r *AccessRequest, effects ...enlace.Effect) error
	AccessRequestByID(ctx context.Context, id string) (*AccessRequest, error)
	FindAccessRequests(ctx context.Context, f AccessRequestFilter) ([]AccessRequest, int, error)
	DecideAccessRequest(ctx context.Context, r *AccessRequest, newUser *User, passwordHash string, m *Membership, effects ...enlace.Effect) error

	CreateAPIToken(ctx context.Context, t *APIToken, effects ...enlace.Effect) error
	APITokens(ctx context.Context, userID string) ([]APIToken, error)
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	RevokeAPIToken(ctx context.Context, userID, id string, at time.Time, effects ...enlace.Effect) error
}
