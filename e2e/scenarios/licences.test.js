// The monthly licence summary in Teams: Alice (admin) binds the team's
// channels, runs the summary from Parc's card; the establishment's summary
// is a new post in General, the run report a new post in Informatique;
// David pages through the detail in the channel. The directory is the
// demo's snapshot (`parc serve --demo`): no tenant needed.
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack } = require("../lib");

describe("licence summary", () => {
  const stack = new Stack({ name: "licences", serveArgs: ["--demo"], env: { PARC_LICENCES_SCHEDULE: "off" } });
  before(() => stack.start());
  after(() => stack.stop());

  let summary;

  it("Alice binds General to DITEP-STF and Informatique to the run report", async () => {
    const bound = await stack.say("general", "lier DITEP-STF");
    assert.equal(bound.title, "Canal lié");
    assert.match(bound.text, /DITEP Saint-François \(DITEP-STF\) sera publiée dans ce canal/);
    const report = await stack.say("informatique", "lier rapport");
    assert.equal(report.title, "Canal lié");
    assert.match(report.text, /rapport d'exécution/);
  });

  it("David may not bind a channel", async () => {
    const refused = await stack.say("informatique", "lier ANRAS-SOC", { as: "david" });
    assert.equal(refused.title, "Action réservée");
  });

  it("Alice runs the summary from her card: General gets the summary, Informatique the report", async () => {
    const card = await stack.say("personal", "licences");
    assert.equal(card.title, "Synthèse mensuelle des licences");
    assert.equal(card.fact("Annuaire"), "instantané enregistré (démonstration)");
    assert.match(card.fact("Canal du service informatique"), /^lié/);
    assert.ok(card.buttons.includes("Lancer la synthèse…"), card.buttons.join(", "));

    const since = stack.stream.mark();
    const started = await stack.invoke(card, "licences.run.start", { force: "false" });
    assert.match(started.text, /Exécution \d{8}T\d{6}Z-[0-9a-f]{6} lancée/);

    summary = await stack.nextCard("general", { since, what: "the summary post in General" });
    assert.equal(summary.title, "Synthèse des licences : DITEP Saint-François");
    assert.equal(summary.fact("Comptes"), "16 (15 actifs, 1 désactivés)");
    assert.equal(summary.fact("Coût mensuel HT"), "141,90 € (hors licences sans tarif)");
    assert.ok(summary.texts.some((t) => t.includes("détiennent encore des licences payantes : MOREL Hugo")), summary.text);
    assert.ok(summary.texts.some((t) => t.includes("BLANC Laura (Microsoft 365 E3 + Office 365 E3)")), summary.text);
    assert.deepEqual(summary.buttons, ["Voir le détail", "Tableau Excel", "Fichier CSV"]);
    assert.match(summary.conversationId, /^19:equipe-lycee@thread\.tacv2;messageid=/, "a new post in General");

    const report = await stack.nextCard("informatique", { since, what: "the run report in Informatique" });
    assert.equal(report.title, "Synthèse des licences : rapport d'exécution");
    assert.match(report.text, /La synthèse s'est bien exécutée pour les 2 établissements/);
    assert.match(report.text, /DITEP Saint-François\n16\/16/);
    assert.match(report.text, /ANRAS Siège social\n10\/10/);
    assert.match(report.text, /Aucun canal lié/);
    assert.match(report.text, /Licences achetées non attribuées/);
  });

  it("David pages through every account in the channel", async () => {
    const first = await stack.click(summary, "Voir le détail", { as: "david" });
    assert.equal(first.title, "Détail des comptes : DITEP Saint-François");
    assert.ok(first.texts.includes("Comptes 1 à 15 sur 16 · novembre 2026") || first.texts.some((t) => /^Comptes 1 à 15 sur 16/.test(t)), first.text);
    assert.ok(first.texts.includes("BENALI"), first.text);
    const last = await stack.click(first, "Suivants ▶", { as: "david" });
    assert.ok(last.texts.some((t) => /^Comptes 16 à 16 sur 16/.test(t)), last.text);
    assert.ok(last.texts.includes("ROUX"), last.text);
    assert.ok(!last.buttons.includes("Suivants ▶"));
    const back = await stack.click(last, "Retour à la synthèse", { as: "david" });
    assert.equal(back.title, "Synthèse des licences : DITEP Saint-François");
  });

  it("a second run the same month posts nothing again in General and says so", async () => {
    const card = await stack.say("personal", "licences");
    const since = stack.stream.mark();
    await stack.invoke(card, "licences.run.start", { force: "false" });
    const report = await stack.nextCard("informatique", { since, what: "the second run report" });
    assert.match(report.text, /Déjà publiée ce mois-ci/);
    assert.deepEqual(stack.unread("general"), [], "no second summary in General");
  });
});
