package manifest

// The French text of the package: what an employee reads in the Teams store
// of the organisation and in the bot's command menu. The bot itself speaks
// French first; the manifest has no English localisation file because the
// package must stay three files (manifest.json and the two icons).
const (
	defaultShortName        = "Parc"
	defaultFullName         = "Parc – voitures, matériel et licences"
	defaultShortDescription = "Réserver une voiture de service, suivre le matériel prêté et les licences."
	defaultFullDescription  = "Parc est l'assistant de l'association dans Teams.\n\n" +
		"Voitures de service : voir les voitures libres sur un créneau, réserver par tranches de 30 minutes, " +
		"consulter, écourter ou annuler ses réservations, rendre la voiture en notant le kilométrage.\n\n" +
		"Matériel informatique : chercher un terminal (ordinateur, téléphone…), importer l'inventaire Excel " +
		"envoyé au bot en conversation privée, ouvrir un prêt avec son attestation à signer et le clôturer au retour.\n\n" +
		"Licences Microsoft 365 : chaque mois, la synthèse des licences de l'établissement (comptes, licences et coûts) " +
		"est publiée dans le canal de ses correspondants informatiques.\n\n" +
		"Tapez « aide » dans la conversation avec Parc pour voir toutes les commandes."
	defaultDeveloperName = "ANRAS – Service informatique"
	defaultAccentColor   = "#1B6A8F"
)

// The paths of the developer pages on the bot's host, used when Options
// leave the URLs empty.
const (
	websitePath = "/"
	privacyPath = "/confidentialite"
	termsPath   = "/conditions"
)

// staffCommands are the commands of the personal chat with the bot and of
// group chats: what any employee types. The titles are the words the bot
// recognises; the descriptions show an example when the command takes
// arguments.
func staffCommands() []Command {
	return []Command{
		{Title: "aide", Description: "Afficher le menu et la liste des commandes."},
		{Title: "dispo", Description: "Voitures libres sur un créneau, par exemple : dispo demain 14h-16h"},
		{Title: "réserver", Description: "Réserver une voiture, par exemple : réserver AB-123-CD demain 9h-12h"},
		{Title: "mes réservations", Description: "Voir, écourter ou annuler mes réservations."},
		{Title: "voitures", Description: "Les voitures de l'établissement, leur état et leur prochaine réservation."},
		{Title: "terminaux", Description: "Chercher un terminal, par exemple : terminaux DITEP-STF-P068"},
		{Title: "prêt", Description: "Ouvrir un prêt de matériel, par exemple : prêt DITEP-STF-P068 (techniciens)"},
		{Title: "prêts", Description: "Les prêts de matériel en cours et les retours attendus."},
		{Title: "profil", Description: "Mon profil : établissement et rôles dans Parc."},
	}
}

// teamCommands are the commands of a team channel, where the IT
// correspondents read the monthly licence summary.
func teamCommands() []Command {
	return []Command{
		{Title: "lier", Description: "Publier dans ce canal la synthèse des licences d'un établissement, par exemple : lier DITEP"},
		{Title: "aide", Description: "Afficher le menu et la liste des commandes."},
	}
}
