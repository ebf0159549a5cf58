// Package auth decides whether an incoming Bot Framework activity may reach
// the bot.
//
// msbotbuilder-go v0.2.5 ships a JWT validator, but it cannot be used in
// production: it downloads the OpenID metadata on every request, its key
// cache is not safe for concurrent use, it never checks that a signing key is
// endorsed for the activity's channel, and its metadata URL is private, so
// nothing can be tested against a local key set. [Validator] replaces it
// behind the same [github.com/infracloudio/msbotbuilder-go/connector/auth.TokenValidator]
// interface.
//
// A request is accepted when all of these hold:
//
//   - the Authorization header is "Bearer <jwt>";
//   - the token is signed with RS256 by a key of the Bot Framework key set
//     (found by its kid), and that key is endorsed for the activity's
//     channelId;
//   - iss is https://api.botframework.com, aud is the bot's app id, exp is
//     present and not past, nbf (if present) is reached, with five minutes
//     of clock skew;
//   - the serviceurl claim names the activity's serviceUrl, so that a token
//     captured from one region cannot steer replies elsewhere;
//   - the activity's tenant is on the allow-list, when there is one.
//
// With no app id configured, authentication is off (the Microsoft 365 Agents
// Playground sends no token); the tenant allow-list still applies.
//
// Failures wrap [ErrUnauthorized] (401) or [ErrForbidden] (403) with a reason
// meant for the logs. The reason never contains the token.
package auth
