package domain

import (
	"errors"
	"fmt"
)

// ErrorCode classifies a failure so that callers can react to it without
// parsing messages. The bot maps each code to an answer in one place.
type ErrorCode string

const (
	// ECONFLICT: the operation clashes with the current state (an overlap, an
	// already closed loan, a concurrent update that won).
	ECONFLICT ErrorCode = "conflict"
	// EINVALID: the input breaks a rule; nothing was changed.
	EINVALID ErrorCode = "invalid"
	// ENOTFOUND: the record does not exist.
	ENOTFOUND ErrorCode = "not_found"
	// EFORBIDDEN: the user lacks the role or ownership the operation needs.
	EFORBIDDEN ErrorCode = "forbidden"
	// EUNAVAILABLE: a dependency (store, directory) cannot be reached now.
	EUNAVAILABLE ErrorCode = "unavailable"
	// EINTERNAL: a bug or an unexpected failure.
	EINTERNAL ErrorCode = "internal"
)

// Error is the one error type of the domain. Key names a message of the
// text catalogue (package cards) and Args fill its placeholders, so that the
// same failure reads well in French and in English.
type Error struct {
	Code ErrorCode
	Key  string
	Args []any
	Err  error // the underlying cause, for logs; never shown to users
}

func (e *Error) Error() string {
	msg := string(e.Code) + ": " + e.Key
	if len(e.Args) > 0 {
		msg += fmt.Sprint(e.Args)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code, catalogue key and arguments.
func Errorf(code ErrorCode, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap returns an *Error that keeps cause for the logs.
func Wrap(cause error, code ErrorCode, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Err: cause}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// IsNotFound reports whether err carries ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCodeOf(err) == ENOTFOUND }

// IsConflict reports whether err carries ECONFLICT.
func IsConflict(err error) bool { return ErrorCodeOf(err) == ECONFLICT }
