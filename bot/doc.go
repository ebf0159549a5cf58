// Package bot is Parc's Teams side: the gin webhook that receives Bot
// Framework activities, authenticates them (bot/auth), turns them into
// domain calls through a small router, and answers with Adaptive Cards
// through the Bot Connector (bot/connector).
//
// The router reads like the Bot Framework SDK's TeamsActivityHandler: first
// by activity type, then by text command or card verb, to one handler each.
// Every handler states the role it needs; the router refuses politely.
package bot
