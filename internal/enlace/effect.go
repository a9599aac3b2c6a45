package enlace

// Effect is a record a change leaves behind — an audit entry, an in-app
// notification, a message to deliver, a job to run later. Services hand
// effects to the store method that makes the change, and the store commits
// them in the same transaction: a change never happens without its effects,
// and no message announces a change that was rolled back.
type Effect interface {
	// EffectKind names the effect for the store's dispatch and for logs.
	EffectKind() string
}
