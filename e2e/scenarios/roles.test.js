// Roles: Bruno (staff) is refused the roles card; Alice (admin from
// PARC_ADMINS) grants him "technicien", which his profile then shows, and
// revokes it.
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack } = require("../lib");

// Each feature adds its own menu section: these checks look at the core
// menu's buttons only.
const coreButtons = (buttons) => buttons.filter((b) => ["Mon profil", "Gérer les rôles", "My profile", "Manage roles"].includes(b));

describe("roles", () => {
  const stack = new Stack({ name: "roles" });
  before(() => stack.start());
  after(() => stack.stop());

  it("Bruno, who is not an admin, is refused « rôles » politely", async () => {
    const card = await stack.say("group", "rôles", { as: "bruno" });
    assert.equal(card.title, "Action réservée");
    assert.match(card.text, /Désolé, cette action est réservée aux administrateurs\./);
    assert.deepEqual(card.buttons, ["Voir le menu"]);
  });

  it("Bruno's menu has no admin button, and a forged grant button is refused too", async () => {
    const menu = await stack.say("group", "aide", { as: "bruno" });
    assert.deepEqual(coreButtons(menu.buttons), ["Mon profil"]);
    const forged = await stack.invoke(menu, "roles.grant", { userId: stack.people.bruno.aadObjectId, role: "admin" }, { as: "bruno" });
    assert.equal(forged.title, "Action réservée");
    const profile = await stack.say("group", "profil", { as: "bruno" });
    assert.equal(profile.fact("Rôles"), "Personnel");
  });

  let roles;

  it("Alice gets the roles card: herself as bootstrap admin, and a form listing the people Parc has met", async () => {
    roles = await stack.say("personal", "rôles");
    assert.equal(roles.title, "Rôles");
    assert.ok(roles.texts.includes("Alice Martin : Administrateur"), roles.text);
    assert.ok(roles.texts.includes("Fixé par la configuration"), roles.text);
    const person = roles.input("Personne");
    assert.ok(person.required);
    assert.deepEqual(person.choices.map((c) => c.title).sort(), ["Alice Martin", "Bruno Petit"]);
    assert.deepEqual(roles.input("Rôle").choices.map((c) => c.title), ["Technicien", "Gestionnaire de flotte", "Administrateur"]);
    assert.deepEqual(roles.buttons, ["Attribuer", "Voir le menu"]);
  });

  it("Teams would not send « Attribuer » with the form empty", async () => {
    await assert.rejects(stack.click(roles, "Attribuer"), /required "Personne", "Rôle" empty/);
  });

  it("Alice grants Bruno « Technicien » (roles.grant), answered in place with the new assignment", async () => {
    const granted = await stack.click(roles, "Attribuer", { inputs: { Personne: "Bruno Petit", Rôle: "Technicien" } });
    assert.equal(granted.messageId, roles.messageId);
    assert.equal(granted.title, "Rôles");
    assert.ok(granted.texts.includes("Rôle « Technicien » attribué à Bruno Petit."), granted.text);
    assert.ok(granted.texts.includes("Bruno Petit : Technicien"), granted.text);
    assert.ok(granted.buttons.includes("Retirer"), granted.text);
    roles = granted;
  });

  it("Bruno's profile now shows « Technicien »", async () => {
    const profile = await stack.say("group", "profil", { as: "bruno" });
    assert.equal(profile.fact("Nom"), "Bruno Petit");
    assert.equal(profile.fact("Rôles"), "Personnel, Technicien");
  });

  it("Alice revokes it with « Retirer », and Bruno is staff again", async () => {
    const revoked = await stack.click(roles, { title: "Retirer", data: { userId: stack.people.bruno.aadObjectId, role: "technician" } });
    assert.ok(revoked.texts.includes("Rôle « Technicien » retiré à Bruno Petit."), revoked.text);
    assert.ok(!revoked.texts.includes("Bruno Petit : Technicien"), revoked.text);
    const profile = await stack.say("group", "profil", { as: "bruno" });
    assert.equal(profile.fact("Rôles"), "Personnel");
  });
});
