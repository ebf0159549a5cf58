package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestBearerToken(t *testing.T) {
	const jws = "eyJh.eyJp.c2ln"
	cases := []struct {
		header, want string
		err          error
	}{
		{"Bearer " + jws, jws, nil},
		{"bearer " + jws, jws, nil},
		{"BEARER " + jws, jws, nil},
		{"  Bearer   " + jws + "  ", jws, nil},
		{"Bearer eyJh.eyJp.", "eyJh.eyJp.", nil}, // empty signature: the parser refuses it
		{"", "", errNoHeader},
		{" \t ", "", errNoHeader},
		{jws, "", errMalformedHeader},
		{"Bearer", "", errMalformedHeader},
		{"Bearer ", "", errMalformedHeader},
		{"Basic " + jws, "", errMalformedHeader},
		{"Bearer\t" + jws, "", errMalformedHeader},
		{"Bearer " + jws + " extra", "", errMalformedHeader},
		{"Bearer eyJh.eyJp", "", errMalformedHeader},
		{"Bearer a.b.c.d", "", errMalformedHeader},
		{"Bearer a+b.c/d.e=", "", errMalformedHeader},
		{"Bearer é.b.c", "", errMalformedHeader},
		{"Bearer " + strings.Repeat("a", maxTokenLen) + ".b.c", "", errMalformedHeader},
	}
	for _, c := range cases {
		got, err := bearerToken(c.header)
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("bearerToken(%.40q) = %q, %v; want %q, %v", c.header, got, err, c.want, c.err)
		}
	}
}
