// Package authtest stands in for the Bot Framework's token service: a local
// OpenID metadata endpoint and key set, and a minting function for the
// tokens that the channels would send, valid or deliberately broken.
//
// It serves the tests of package auth, the webhook's tests, the load test and
// the benchmark. It does not need a *testing.T: pass one (anything with
// Helper, Fatalf and Cleanup) to have failures reported and the server closed
// at the end of the test, or pass nil and call Close yourself; without a T,
// a failure that cannot be returned panics.
package authtest
