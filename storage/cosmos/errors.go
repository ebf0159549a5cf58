package cosmos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/anras/parc/domain"
)

// opError is a failed Cosmos call, in one line. The SDK's own error prints
// the whole response over many lines; this one names the operation, the
// container, the status and the service's error code, and keeps the SDK's
// error in its chain for errors.As.
type opError struct {
	op, container string
	status        int
	code          string
	err           error
}

func (e *opError) Error() string {
	if e.status == 0 {
		return fmt.Sprintf("cosmos %s %s: %v", e.op, e.container, e.err)
	}
	return fmt.Sprintf("cosmos %s %s: HTTP %d %s", e.op, e.container, e.status, e.code)
}

func (e *opError) Unwrap() error { return e.err }

// statusOf returns the HTTP status of the Cosmos response behind err, or 0.
func statusOf(err error) int {
	var oe *opError
	if errors.As(err, &oe) && oe.status != 0 {
		return oe.status
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}

// fail turns an SDK error into the domain's vocabulary, in one place:
// 404 is ENOTFOUND, 409 and 412 are ECONFLICT (someone else wrote first),
// throttling, timeouts and network failures are EUNAVAILABLE (the bot says
// "try again"), anything else (400, 401, 403, 500) is a plain error, a bug
// or a misconfiguration for the logs. The status stays readable with
// statusOf.
func fail(op, container string, err error) error {
	if err == nil {
		return nil
	}
	if domain.AsError(err) != nil {
		return err
	}
	oe := &opError{op: op, container: container, err: err}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		oe.status, oe.code = re.StatusCode, re.ErrorCode
	}
	return classify(oe)
}

// classify gives oe its domain code from its status.
func classify(oe *opError) error {
	if oe.code == "" && oe.status != 0 {
		oe.code = http.StatusText(oe.status)
	}
	switch oe.status {
	case http.StatusNotFound:
		return domain.Wrap(oe, domain.ENOTFOUND, "err.not_found")
	case http.StatusConflict, http.StatusPreconditionFailed:
		return domain.Wrap(oe, domain.ECONFLICT, "err.conflict")
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusRequestTimeout, http.StatusGatewayTimeout:
		return domain.Wrap(oe, domain.EUNAVAILABLE, "error.unavailable")
	}
	var ne net.Error
	if oe.status == 0 && (errors.As(oe.err, &ne) || errors.Is(oe.err, context.DeadlineExceeded)) {
		return domain.Wrap(oe, domain.EUNAVAILABLE, "error.unavailable")
	}
	return oe
}
