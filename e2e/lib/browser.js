// Debian's Chromium driven by playwright-core on the Playground's real web UI.
// Offline, only the Segoe UI web fonts (Microsoft's CDN) fail to load.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const procs = require("./procs");
const { OUT_DIR } = require("./harness");

const CHROMIUM = process.env.PARC_E2E_CHROMIUM || "/usr/bin/chromium";
const SCREENSHOTS = path.join(OUT_DIR, "screenshots");
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * availability says whether the browser scenario can run: {ok} or {skip: reason}
 * when PARC_E2E_NO_BROWSER=1, and throws when Chromium is missing otherwise
 * (a missing browser must not silently turn the scenario off).
 */
function availability() {
  if (process.env.PARC_E2E_NO_BROWSER === "1") return { skip: "PARC_E2E_NO_BROWSER=1: browser scenario not run" };
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), or set PARC_E2E_NO_BROWSER=1 to skip the browser scenario`);
  }
  return { ok: true };
}

/**
 * launch starts Chromium with a fresh profile and returns {context, page,
 * close}. The browser's processes carry the run's mark; close() checks none
 * of them survives.
 */
async function launch({ viewport = { width: 1280, height: 1000 } } = {}) {
  const { chromium } = require("playwright-core");
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parc-e2e-chromium-"));
  const reg = procs.removeOnExit(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport,
    timezoneId: "Europe/Paris",
    env: { ...process.env, [procs.CHILD_MARK]: procs.RUN_ID },
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    if (!/segoeui|fonts?\//i.test(r.url())) problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`);
  });
  const close = async () => {
    try {
      await context.close();
    } finally {
      fs.rmSync(userDataDir, { recursive: true, force: true });
      reg.forget();
    }
    await procs.waitUntil("Chromium to exit", () => procs.runProcesses().filter((p) => /chrom/i.test(p.cmd)).length === 0, { timeout: 10000 });
  };
  return { context, page, problems, close };
}

/** screenshot saves a PNG of a locator (a card) under e2e/out/screenshots. */
async function screenshot(locator, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await locator.screenshot({ path: file, animations: "disabled" });
  return file;
}

// The Playground's web UI, as a user sees it.

/** openChat clicks a conversation in the left rail ("Personal Chat", "Vie scolaire", "Lycée Exemple - General"). */
async function openChat(page, name) {
  await page.getByRole("treeitem", { name }).click();
}

/** type writes text in the compose box and sends it with Enter. */
async function type(page, text) {
  const box = page.getByRole("textbox");
  await box.fill(text);
  await box.press("Enter");
}

/** cards are the Adaptive Cards shown in the open conversation. */
function cards(page) {
  return page.locator(".ac-adaptiveCard");
}

/** card is the last card showing text, waited for. */
async function card(page, text, { timeout = 10000 } = {}) {
  const c = cards(page).filter({ hasText: text }).last();
  await c.waitFor({ timeout });
  return c;
}

/** choose picks an option in a card's choice set (a combobox), by label. */
async function choose(page, cardLocator, label, option) {
  await cardLocator.getByRole("combobox", { name: new RegExp(`^${escapeRe(label)}\\b`) }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

module.exports = { CHROMIUM, FLAGS, SCREENSHOTS, availability, launch, screenshot, openChat, type, cards, card, choose };
