// Alice and Parc in their personal chat: install, menu, unknown text, a
// button answered in place (Action.Execute and Action.Submit), language.
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack } = require("../lib");

// Each feature adds its own menu section: these checks look at the core
// menu's buttons only.
const coreButtons = (buttons) => buttons.filter((b) => ["Mon profil", "Gérer les rôles", "My profile", "Manage roles"].includes(b));

describe("personal chat, in French by default", () => {
  const stack = new Stack({ name: "personal" });
  before(() => stack.start());
  after(() => stack.stop());

  let welcome;

  it("installing Parc greets Alice in French, with a button to the menu", async () => {
    welcome = await stack.install("personal");
    assert.equal(welcome.title, "Bienvenue dans Parc 👋");
    // The install activities carry no display name and Parc has never met
    // Alice: no greeting rather than "Bonjour  !".
    assert.ok(!welcome.texts.some((t) => /^Bonjour\s*!/.test(t)), welcome.text);
    assert.ok(welcome.texts.includes("Tapez « aide » à tout moment pour voir ce que je sais faire."), welcome.text);
    assert.deepEqual(welcome.buttons, ["Voir le menu"]);
    assert.equal(welcome.lang, "fr");
  });

  it("the welcome's button opens the menu in place of the welcome", async () => {
    const menu = await stack.click(welcome, "Voir le menu");
    assert.equal(menu.title, "Que voulez-vous faire ?");
    assert.equal(menu.messageId, welcome.messageId);
  });

  it("« aide » shows the menu, with the admin section for an admin", async () => {
    const menu = await stack.say("personal", "aide");
    assert.equal(menu.title, "Que voulez-vous faire ?");
    assert.deepEqual(coreButtons(menu.buttons), ["Mon profil", "Gérer les rôles"]);
    for (const t of ["Mon compte", "Administration", "Vous pouvez aussi taper une commande :"]) {
      assert.ok(menu.texts.includes(t), `menu lacks "${t}":\n${menu.text}`);
    }
    assert.match(menu.text, /aide : ce menu/);
  });

  it("an unknown sentence is quoted back, with the menu", async () => {
    const card = await stack.say("personal", "commander une licorne pour jeudi");
    assert.equal(card.title, "Je n'ai pas compris « commander une licorne pour jeudi ».");
    assert.ok(card.texts.includes("Voici ce que je sais faire :"), card.text);
    assert.deepEqual(coreButtons(card.buttons), ["Mon profil", "Gérer les rôles"]);
  });

  it("a menu button (Action.Execute, verb profile) replaces the menu in place", async () => {
    const menu = await stack.say("personal", "aide");
    const profile = await stack.click(menu, "Mon profil");
    assert.equal(profile.via, "invoke");
    assert.equal(profile.messageId, menu.messageId, "the answer is the invoke's card, shown in place of the clicked one");
    assert.equal(profile.title, "Mon profil");
    assert.equal(profile.fact("Nom"), "Alice Martin");
    assert.equal(profile.fact("Rôles"), "Personnel, Administrateur");
    assert.deepEqual(profile.buttons, ["Français", "English", "Voir le menu"]);
    // Nothing was posted besides the synchronous answer: say() refuses to
    // go on while the conversation holds a message nobody read.
    assert.deepEqual(stack.unread("personal"), []);
  });

  it("Alice's language says where it comes from: Parc's default, not Teams (which says en-US)", async () => {
    const profile = await stack.say("personal", "profil");
    assert.equal(profile.fact("Langue"), "Français (langue par défaut de Parc)");
  });

  it("an Action.Submit {verb: profile} replaces the card in place (the bot updates the clicked message)", async () => {
    const menu = await stack.say("personal", "aide");
    const profile = await stack.submit(menu, { verb: "profile" });
    assert.equal(profile.via, "updateMessage");
    assert.equal(profile.messageId, menu.messageId);
    assert.equal(profile.title, "Mon profil");
    assert.equal(profile.fact("Nom"), "Alice Martin");
  });

  it("« langue en » switches Alice to English, and the next « aide » is in English", async () => {
    const profile = await stack.say("personal", "langue en");
    assert.equal(profile.title, "My profile");
    assert.equal(profile.fact("Language"), "English");
    assert.ok(profile.texts.includes("Noted, I will speak English with you."), profile.text);

    const menu = await stack.say("personal", "aide");
    assert.equal(menu.title, "What would you like to do?");
    assert.deepEqual(coreButtons(menu.buttons), ["My profile", "Manage roles"]);
    assert.equal(menu.lang, "en");

    const unknown = await stack.say("personal", "blablabla");
    assert.equal(unknown.title, 'I did not understand "blablabla".');
  });

  it("the profile's « Français » button switches back, in place", async () => {
    const profile = await stack.say("personal", "profile");
    const back = await stack.click(profile, "Français");
    assert.equal(back.messageId, profile.messageId);
    assert.equal(back.title, "Mon profil");
    assert.equal(back.fact("Langue"), "Français");
    assert.ok(back.texts.includes("C'est noté, je vous parlerai en français."), back.text);
  });
});
