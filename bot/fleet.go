package bot

// registerFleet registers the fleet feature's commands, card verbs, menu
// entries, routes and jobs.
func (b *Bot) registerFleet(r *Router) {}
