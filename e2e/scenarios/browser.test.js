// Alice in the Playground's real web UI (Debian's Chromium, headless): she
// types « aide », opens her profile, then grants Bruno a role through the
// roles card's form. Every card met is saved under e2e/out/screenshots/.
"use strict";

const { describe, it, before, after } = require("node:test");

/** shownText is what a user reads in an element: no-break spaces read as spaces. */
async function shownText(locator) {
  return (await locator.innerText()).replace(/[\u00a0\u202f]/g, " ");
}
const assert = require("node:assert/strict");
const { Stack, browser, procs } = require("../lib");

const noBrowser = process.env.PARC_E2E_NO_BROWSER === "1";

describe("in the Playground's web UI, with Chromium", { skip: noBrowser && "PARC_E2E_NO_BROWSER=1: browser scenario not run" }, () => {
  const stack = new Stack({ name: "browser" });
  let ui;
  let page;

  before(async () => {
    browser.availability(); // fails with "install Debian's chromium" when it is missing
    await stack.start();
    // Bruno talks to Parc first, so that the roles card can offer him.
    await stack.say("group", "bonjour", { as: "bruno" });
    ui = await browser.launch();
    page = ui.page;
    await page.goto(stack.playgroundUrl);
  });

  after(async () => {
    try {
      if (ui) await ui.close();
    } finally {
      await stack.stop();
    }
  });

  it("opening the personal chat installs Parc, and the UI shows the welcome card", async () => {
    await browser.openChat(page, "Personal Chat");
    const welcome = await browser.card(page, "Bienvenue dans Parc");
    await browser.screenshot(welcome, "01-welcome");
    assert.match(await shownText(welcome), /Voir le menu/);
  });

  it("« aide » typed in the compose box shows the menu", async () => {
    await browser.type(page, "aide");
    const menu = await browser.card(page, "Que voulez-vous faire ?");
    await browser.screenshot(menu, "02-menu");
    for (const b of ["Mon profil", "Gérer les rôles"]) {
      assert.ok(await menu.getByRole("button", { name: b }).isVisible(), `no "${b}" button`);
    }
  });

  it("« Mon profil » replaces the menu with the profile, in place", async () => {
    const before = await browser.cards(page).count();
    const menu = await browser.card(page, "Que voulez-vous faire ?");
    await menu.getByRole("button", { name: "Mon profil" }).click();
    const profile = await browser.card(page, "Personnel, Administrateur");
    await browser.screenshot(profile, "03-profile");
    assert.equal(await browser.cards(page).count(), before, "a new card appeared instead of replacing the menu");
    const text = await shownText(profile);
    assert.match(text, /Mon profil/);
    assert.match(text, /Personnel, Administrateur/);
    assert.equal(await page.getByText("Que voulez-vous faire ?").count(), 0, "the menu is still shown");
  });

  it("the roles card opens from the menu (Alice is admin)", async () => {
    const profile = await browser.card(page, "Personnel, Administrateur");
    await profile.getByRole("button", { name: "Voir le menu" }).click();
    const menu = await browser.card(page, "Que voulez-vous faire ?");
    await browser.screenshot(menu, "04-menu-again");
    await menu.getByRole("button", { name: "Gérer les rôles" }).click();
    const roles = await browser.card(page, "Attribuer un rôle");
    await browser.screenshot(roles, "05-roles");
    assert.match(await shownText(roles), /Alice Martin : Administrateur/);
  });

  it("Alice picks Bruno and « Technicien », presses « Attribuer » and reads the confirmation", async () => {
    const roles = await browser.card(page, "Attribuer un rôle");
    await browser.choose(page, roles, "Personne", "Bruno Petit");
    await browser.choose(page, roles, "Rôle", "Technicien");
    await browser.screenshot(roles, "06-roles-filled");
    await roles.getByRole("button", { name: "Attribuer" }).click();
    const done = await browser.card(page, "Rôle « Technicien » attribué à Bruno Petit.");
    await browser.screenshot(done, "07-roles-granted");
    assert.match(await shownText(done), /Bruno Petit : Technicien/);
  });

  it("in the group chat, Bruno's profile now shows « Technicien »", async () => {
    await browser.openChat(page, "Vie scolaire");
    const welcome = await stack.nextCard("group"); // opening a chat installs Parc there
    assert.equal(welcome.title, "Bienvenue dans Parc 👋");
    await browser.screenshot(await browser.card(page, "Bienvenue dans Parc"), "08-group-welcome");
    const profile = await stack.say("group", "profil", { as: "bruno" });
    assert.equal(profile.fact("Rôles"), "Personnel, Technicien");
    const shown = await browser.card(page, "Bruno Petit");
    await browser.screenshot(shown, "09-bruno-profile");
    assert.match(await shownText(shown), /Personnel, Technicien/);
  });

  it("the browser listens on no TCP port beyond loopback, and loaded everything but the Segoe UI fonts", () => {
    const mine = new Set(procs.runProcesses().map((p) => p.pid));
    const exposed = procs.listeners().filter((l) => l.pids.some((p) => mine.has(p)) && !procs.isLoopbackAddress(l.address));
    assert.deepEqual(exposed.map((l) => l.line), []);
    assert.deepEqual(ui.problems, []);
  });
});
