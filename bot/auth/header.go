package auth

import "strings"

// maxTokenLen bounds the token we are willing to parse. Bot Framework tokens
// are under 2 KB; anything far larger is an attempt to make us work.
const maxTokenLen = 16 << 10

// bearerToken extracts the token from an Authorization header value. The
// scheme is matched without regard to case (RFC 9110 §11.1); the token must
// look like a compact JWS (three dot-separated parts, token68 characters),
// so that obvious garbage is refused before any decoding.
func bearerToken(header string) (string, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return "", errNoHeader
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", errMalformedHeader
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || len(token) > maxTokenLen || strings.Count(token, ".") != 2 {
		return "", errMalformedHeader
	}
	for i := 0; i < len(token); i++ {
		if !isJWSChar(token[i]) {
			return "", errMalformedHeader
		}
	}
	return token, nil
}

// isJWSChar reports whether c may appear in a compact JWS: base64url
// characters and the dots between the parts.
func isJWSChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.'
}
