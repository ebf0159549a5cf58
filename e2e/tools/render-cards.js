#!/usr/bin/env node
// Renders Adaptive Card JSON files to PNG with the official renderer
// (adaptivecards 3.0.6) in Debian's Chromium, so that anyone can look at how
// every card of cards/testdata/ renders without Teams:
//
//   node e2e/tools/render-cards.js [out-dir] card.json...
//   make card-images        (every golden card to e2e/out/cards/)
//
// Teams' own styles differ a little (fonts, colours); layout, wrapping and
// sizes are the renderer's.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const AC = require.resolve("adaptivecards/dist/adaptivecards.min.js");

async function main() {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) {
    console.error("usage: render-cards.js OUT_DIR card.json...");
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parc-render-"));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 480, height: 800 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await ctx.newPage();
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8">
      <style>body{margin:0;background:#f5f5f5;font-family:"Segoe UI",system-ui,sans-serif}
      #card{width:440px;margin:8px;background:#fff;border:1px solid #ddd;border-radius:6px;padding:0}</style>
      </head><body><div id="card"></div></body></html>`);
    await page.addStyleTag({ path: path.join(path.dirname(AC), "adaptivecards.css") });
    await page.addScriptTag({ path: AC });
    let failed = 0;
    for (const file of files) {
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      const err = await page.evaluate((card) => {
        const ac = new AdaptiveCards.AdaptiveCard();
        ac.parse(card, new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5));
        const el = ac.render();
        const host = document.getElementById("card");
        host.innerHTML = "";
        if (!el) return "not rendered";
        host.appendChild(el);
        return "";
      }, json);
      if (err) {
        console.error(`${file}: ${err}`);
        failed++;
        continue;
      }
      const out = path.join(outDir, path.basename(file).replace(/(\.golden)?\.json$/, ".png"));
      await page.locator("#card").screenshot({ path: out });
    }
    console.log(`rendered ${files.length - failed} card(s) to ${outDir}`);
    process.exitCode = failed ? 1 : 0;
  } finally {
    await ctx.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
