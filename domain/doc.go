// Package domain holds Parc's business types, their rules, the roles that
// guard them and the repository interfaces the storage backends implement.
//
// It does no I/O and imports nothing from the rest of the module: the bot,
// the storage backends and the command line all depend on it, never the
// other way round.
package domain
