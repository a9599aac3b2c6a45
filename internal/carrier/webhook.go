package carrier

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

// SignatureHeader is the header of a webhook that carries its signature.
const SignatureHeader = "X-Carrier-Signature"

// SignatureTolerance is how far a webhook's signing time may be from the
// receiver's clock: an older delivery is refused, so a captured one cannot
// be replayed later.
const SignatureTolerance = 5 * time.Minute

// Sign returns the signature header value of a webhook body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with secret>".
func Sign(secret string, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// ParseWebhook checks a webhook's signature at now and reads its event,
// with the body as Payload. A missing, wrong or stale signature (or an
// empty secret, which would let anyone sign) is EUNAUTHORIZED; a body that
// is not an event is EINVALID. Several v1 values are accepted, any one
// matching, so that a carrier can roll its secret over.
func ParseWebhook(secret string, body []byte, signatureHeader string, now time.Time) (porting.Event, error) {
	unauthorized := enlace.Errorf(enlace.EUNAUTHORIZED, "porting.error.webhook_signature")
	if secret == "" {
		return porting.Event{}, unauthorized
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(signatureHeader, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if sig, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, sig)
			}
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return porting.Event{}, unauthorized
	}
	if d := now.Sub(time.Unix(unix, 0)); d > SignatureTolerance || d < -SignatureTolerance {
		return porting.Event{}, unauthorized
	}
	want := mac(secret, ts, body)
	signed := false
	for _, sig := range sigs {
		// Every value is compared, in constant time, so that the time
		// taken tells nothing of which one matched or how far.
		signed = hmac.Equal(sig, want) || signed
	}
	if !signed {
		return porting.Event{}, unauthorized
	}
	ev, err := decodeEvent(body)
	if err != nil {
		return porting.Event{}, enlace.Errorf(enlace.EINVALID, "porting.error.webhook_invalid", "reason", err.Error())
	}
	return ev, nil
}
