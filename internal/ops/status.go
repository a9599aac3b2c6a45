package ops

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// HTTPStatus maps an error code to the status the web UI and the API both
// answer with. EINVALID is input a service refused: 422, with the reasons.
func HTTPStatus(code string) int {
	switch code {
	case enlace.EINVALID:
		return http.StatusUnprocessableEntity
	case enlace.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case enlace.EFORBIDDEN:
		return http.StatusForbidden
	case enlace.ENOTFOUND:
		return http.StatusNotFound
	case enlace.ECONFLICT:
		return http.StatusConflict
	case enlace.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
