// Package connector is Parc's own client for the Bot Connector REST API
// (v3): the service through which a bot posts, replies to, updates and
// deletes messages, opens conversations and lists members in Teams.
//
// It exists because the connector client of msbotbuilder-go v0.2.5 cannot be
// used in production: it asks for tokens at the deprecated multi-tenant
// endpoint, has no timeout, is not safe for concurrent use, panics on a
// network error and never retries, while Teams throttles bots with 429 and
// Retry-After. This package keeps msbotbuilder's schema types for the
// activities themselves and replaces only the transport:
//
//   - tokens come from an azcore.TokenCredential (azidentity caches and
//     refreshes them), or not at all when no credential is configured, which
//     is what the Microsoft 365 Agents Playground expects;
//   - transient failures (network errors, 429, 500, 502, 503, 504) are
//     retried with exponential backoff and jitter, honouring Retry-After;
//   - activities are sent as clean JSON, without the zero timestamps and
//     empty objects that msbotbuilder's schema.Activity marshals;
//   - failures are returned as *HTTPError, which carries the status and the
//     start of the body but never a token.
//
// Client.Bind adapts the client to msbotbuilder's client.Client interface,
// so that core.BotFrameworkAdapter and activity.NewActivityResponse send
// through the same path.
package connector
