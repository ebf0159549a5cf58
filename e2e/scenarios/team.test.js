// Parc in the team's channels and in the group chat: it answers when
// @mentioned, in the conversation (the post's thread in a channel).
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack } = require("../lib");

// Each feature adds its own menu section: these checks look at the core
// menu's buttons only.
const coreButtons = (buttons) => buttons.filter((b) => ["Mon profil", "Gérer les rôles", "My profile", "Manage roles"].includes(b));

describe("channels and group chat", () => {
  const stack = new Stack({ name: "team" });
  before(() => stack.start());
  after(() => stack.stop());

  it("installing Parc in the team posts a welcome in the channel that explains @mentions", async () => {
    const welcome = await stack.install("general");
    assert.equal(welcome.title, "Bienvenue dans Parc 👋");
    assert.ok(welcome.texts.some((t) => t.includes("Mentionnez-moi (@Parc) suivi d'une commande")), welcome.text);
    assert.ok(!welcome.texts.some((t) => t.startsWith("Bonjour")), "a channel welcome greets nobody in particular");
    assert.match(welcome.conversationId, /^19:equipe-lycee@thread\.tacv2;messageid=/, "a new post in General");
  });

  it("« @Parc aide » in General is answered in the post's thread", async () => {
    const menu = await stack.say("general", "aide");
    assert.equal(menu.title, "Que voulez-vous faire ?");
    assert.match(menu.conversationId, /^19:equipe-lycee@thread\.tacv2;messageid=\d+/);
    assert.deepEqual(coreButtons(menu.buttons), ["Mon profil", "Gérer les rôles"]);

    // A button pressed in the thread is answered in place there too.
    const profile = await stack.click(menu, "Mon profil");
    assert.equal(profile.messageId, menu.messageId);
    assert.equal(profile.fact("Nom"), "Alice Martin");

    // So is an Action.Submit: Parc updates the message in the channel thread.
    const again = await stack.submit(profile, { verb: "menu" });
    assert.equal(again.via, "updateMessage");
    assert.equal(again.messageId, menu.messageId);
    assert.equal(again.title, "Que voulez-vous faire ?");
  });

  it("another member (David) mentioning Parc in the Informatique channel gets a staff menu there", async () => {
    const menu = await stack.say("informatique", "aide", { as: "david" });
    assert.equal(menu.title, "Que voulez-vous faire ?");
    assert.deepEqual(coreButtons(menu.buttons), ["Mon profil"], "no admin button for David");
    assert.match(menu.conversationId, /^19:informatique@thread\.tacv2/);
    const profile = await stack.click(menu, "Mon profil", { as: "david" });
    assert.equal(profile.fact("Nom"), "David Moreau");
    assert.equal(profile.fact("Rôles"), "Personnel");
  });

  it("« @Parc aide » in the group chat is answered in the group chat", async () => {
    const menu = await stack.say("group", "aide");
    assert.equal(menu.title, "Que voulez-vous faire ?");
    assert.equal(menu.conversationId, stack.chats.group);
  });

  it("Chloé, in the group chat, reads her own profile", async () => {
    const profile = await stack.say("group", "profil", { as: "chloe" });
    assert.equal(profile.title, "Mon profil");
    assert.equal(profile.fact("Nom"), "Chloé Durand");
    assert.equal(profile.fact("Rôles"), "Personnel");
  });

  it("installing Parc in the group chat explains @mentions without calling it a team", async () => {
    const welcome = await stack.install("group");
    assert.equal(welcome.title, "Bienvenue dans Parc 👋");
    const hint = welcome.texts.find((t) => t.includes("@Parc"));
    assert.ok(hint, `no @mention hint:\n${welcome.text}`);
    assert.ok(!/équipe/.test(hint), `a group chat is not a team: "${hint}"`);
  });
});
