package bot

// registerEquipment registers the equipment feature's commands, card verbs, menu
// entries, routes and jobs.
func (b *Bot) registerEquipment(r *Router) {}
