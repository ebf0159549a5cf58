package cards

// licenceTexts: the licence feature's words, French then English.
var licenceTexts = map[string]Text{
	"err.licence.csv_empty":             {"Le fichier ne contient aucune ligne utilisable.", "The file has no usable line."},
	"err.licence.csv_header":            {"Ce fichier n'est pas la table des produits de Microsoft : il lui faut les colonnes Product_Display_Name, String_Id et GUID.", "This file is not Microsoft's product table: it needs the columns Product_Display_Name, String_Id and GUID."},
	"err.licence.csv_line":              {"Ligne illisible (guillemets mal fermés ?).", "Unreadable line (unbalanced quotes?)."},
	"err.licence.group_unknown":         {"Le groupe %s est introuvable dans l'annuaire.", "The group %s is not in the directory."},
	"err.licence.month":                 {"Mois invalide : « %s » (attendu AAAA-MM).", "Invalid month: \"%s\" (expected YYYY-MM)."},
	"err.licence.name":                  {"Le nom de la licence fait 120 caractères au plus.", "A licence name has at most 120 characters."},
	"err.licence.part_number":           {"Il manque le nom technique (String_Id) du produit.", "The product's technical name (String_Id) is missing."},
	"err.licence.part_number_ambiguous": {"Le nom technique « %s » désigne plusieurs produits (%s) : indiquez le GUID de la licence.", "The technical name \"%s\" names several products (%s): give the licence's GUID."},
	"err.licence.part_number_unknown":   {"Le nom technique « %s » n'est pas dans le catalogue : importez le catalogue de Microsoft ou indiquez le GUID de la licence.", "The technical name \"%s\" is not in the catalogue: import Microsoft's catalogue or give the licence's GUID."},
	"err.licence.price":                 {"Tarif invalide : « %s ». Écrivez un montant HT en euros, par exemple 6,30.", "Invalid price: \"%s\". Write an amount in euros excl. VAT, for example 6.30."},
	"err.licence.report_incomplete":     {"Le détail de %s pour l'exécution %s est incomplet.", "The detail of %s for run %s is incomplete."},
	"err.licence.run_id":                {"Identifiant d'exécution invalide : « %s ».", "Invalid run id: \"%s\"."},
	"err.licence.sku":                   {"« %s » n'est pas un identifiant de licence (un GUID).", "\"%s\" is not a licence id (a GUID)."},
	"err.licence.price_unknown":         {"Aucun tarif n'est enregistré pour la licence %s.", "No price is recorded for the licence %s."},
	"err.licence.run_unknown":           {"Je ne trouve pas l'exécution « %s ».", "I cannot find the run \"%s\"."},
	"err.licence.report_unknown":        {"Je n'ai pas le détail de %s pour l'exécution %s.", "I do not have the detail of %s for run %s."},
	"err.licence.snapshot_none":         {"Aucun instantané de l'annuaire n'est enregistré.", "No directory snapshot is stored."},
	"err.licence.timeout":               {"L'annuaire n'a pas répondu à temps.", "The directory did not answer in time."},
	"err.licence.internal":              {"Erreur interne : %v", "Internal error: %v"},
	"err.licence.no_groups":             {"L'établissement %s n'a aucun groupe du personnel : ajoutez-en un.", "The establishment %s has no staff group: add one."},
}
