package bot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Links makes and checks signed, expiring links to what the bot serves
// next to the webhook (a loan certificate, a licence table, a calendar
// feed, a chart): Teams opens them in a browser, without the bot's
// authentication, so the link itself carries the proof.
type Links struct {
	base string // https://parc.example.org, no trailing slash
	key  []byte
}

// NewLinks returns a signer for links under base with key (at least 32
// bytes of secret).
func NewLinks(base string, key []byte) *Links {
	return &Links{base: strings.TrimRight(base, "/"), key: key}
}

// ErrBadLink is a link that was altered, or has expired.
var ErrBadLink = errors.New("invalid or expired link")

// Sign returns the absolute URL of path with params, valid until exp (zero:
// forever, for calendar feeds that a secret revokes instead).
func (l *Links) Sign(path string, params url.Values, exp time.Time) string {
	q := url.Values{}
	for k, v := range params {
		q[k] = v
	}
	if !exp.IsZero() {
		q.Set("exp", strconv.FormatInt(exp.Unix(), 10))
	}
	q.Set("sig", l.mac(path, q))
	return l.base + path + "?" + q.Encode()
}

// Verify checks r's signature and expiry at now and returns its parameters.
func (l *Links) Verify(r *http.Request, now time.Time) (url.Values, error) {
	q := r.URL.Query()
	sig := q.Get("sig")
	if sig == "" || !hmac.Equal([]byte(sig), []byte(l.mac(r.URL.Path, q))) {
		return nil, ErrBadLink
	}
	if e := q.Get("exp"); e != "" {
		sec, err := strconv.ParseInt(e, 10, 64)
		if err != nil || now.Unix() > sec {
			return nil, ErrBadLink
		}
	}
	q.Del("sig")
	return q, nil
}

// mac signs the path and every parameter but sig, in a canonical order.
func (l *Links) mac(path string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "sig" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := hmac.New(sha256.New, l.key)
	h.Write([]byte(path))
	for _, k := range keys {
		for _, v := range q[k] {
			h.Write([]byte{0})
			h.Write([]byte(k))
			h.Write([]byte{1})
			h.Write([]byte(v))
		}
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
