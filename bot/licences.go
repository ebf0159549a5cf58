package bot

// registerLicences registers the licences feature's commands, card verbs, menu
// entries, routes and jobs.
func (b *Bot) registerLicences(r *Router) {}
