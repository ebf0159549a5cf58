#!/usr/bin/env node
// validate-cards.js: checks Adaptive Cards the way Teams will read them.
//
// Usage:
//   node e2e/tools/validate-cards.js card1.json card2.json ...
//       each file holds one card (the attachment's "content", not the activity)
//   node e2e/tools/validate-cards.js < cards.json
//       with no file argument, stdin holds a JSON array of {"name": ..., "card": {...}}
//
// Output: one JSON report on stdout,
//   {"ok": bool, "checked": n, "failed": n,
//    "cards": [{"name", "file"?, "bytes", "ok", "failures": [{"check", "path"?, "event"?, "message"}]}]}
// Exit status: 0 when every card passes, 1 when any card fails, 2 on a usage error.
//
// Checks, for every card:
//   - "parse" / "validate": what the official parser (npm adaptivecards 3.0.6, parsing for
//     schema 1.5, Teams' highest version) reports: unknown element and action types, bad
//     enum values, duplicate ids, empty choice sets, required inputs without label or
//     error message, too many actions, missing url...
//   - "unknown-property": the parser silently drops properties it does not know (a typo,
//     a property of a later version, a value it rejects). The card is serialised back with
//     the same parser and every property of the input that is missing from that output is
//     reported, except those in ALLOWED below (dropped because they equal a default).
//   - "empty-value": a property set to "", which the parser reads as missing.
//   - "dropped-element": an element or action the parser threw away.
//   - "empty-text": a TextBlock (or TextRun) without text, which the parser accepts.
//   - "version": the root card must declare a version, at most 1.5.
//   - "size": the card's compact JSON over 28 KB (28*1024 bytes), Teams' message limit.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// Under Node 20 the package's "main" (ESM without file extensions) cannot be
// required; the webpack bundle can.
const AC = require("adaptivecards/dist/adaptivecards.js");

// The parser checks "lang" with a regular expression carrying the g flag and
// calls exec() on it: exec() then resumes from the previous match's end, so
// every second card (or a ShowCard's inner card) with a valid lang like "fr"
// is reported as invalid. Same pattern, without the stateful flag.
AC.CardElement.langProperty.regEx = /^[a-z]{2,3}$/i;

const MAX_CARD_BYTES = 28 * 1024;
const MAX_VERSION = [1, 5];

// Properties the parser leaves out of its output although they are valid.
// Each entry: element or action type ("*" for any), property, and the values
// for which it may be missing (ANY for every value).
const ANY = Symbol("any value");
const PEOPLE_PICKER = Symbol("Teams' people picker");
const ALLOWED = [
  // isVisible defaults to true: the parser writes it only when false.
  { type: "*", prop: "isVisible", values: [true] },
  // Action style defaults to "default".
  { type: "Action.*", prop: "style", values: ["default"] },
  // A ChoiceSet is single-select and compact (a drop-down) by default.
  { type: "Input.ChoiceSet", prop: "isMultiSelect", values: [false] },
  { type: "Input.ChoiceSet", prop: "style", values: ["compact"] },
  // A Toggle's values default to "true" and "false".
  { type: "Input.Toggle", prop: "valueOn", values: ["true"] },
  { type: "Input.Toggle", prop: "valueOff", values: ["false"] },
  // Table grid lines default to shown.
  { type: "Table", prop: "showGridLines", values: [true] },
  // The 1.5 JSON schema spells it firstRowAsHeader; this parser reads
  // "firstRowAsHeaders" (plural) and so drops the schema's spelling whatever
  // its value. We follow the schema; a renderer built on this parser treats
  // the first row as a header either way.
  { type: "Table", prop: "firstRowAsHeader", values: ANY },
  // Teams' people picker: an Input.ChoiceSet whose "choices.data" is
  // {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}. The
  // property is from schema 1.6, but Teams honours it in the 1.5 cards it
  // renders (its documented people picker); other clients ignore it and
  // show the static choices, which Parc always gives. Only that data set.
  { type: "Input.ChoiceSet", prop: "choices.data", values: [PEOPLE_PICKER] },
];

// The parser writes no empty collection: [] and a missing array mean the same
// to it. Where emptiness matters it says so itself (an empty ChoiceSet).
const COLLECTIONS = new Set([
  "body", "actions", "items", "columns", "rows", "cells", "facts", "choices", "targetElements", "inlines",
]);

// Teams' extension of the root card ({"width": "Full"}, mention entities),
// unknown to the parser. Only on the root card.
const allowedAtRoot = new Set(["msteams"]);

function isPeoplePicker(v) {
  return isObject(v) && v.type === "Data.Query" && v.dataset === "graph.microsoft.com/users" &&
    Object.keys(v).every((k) => ["type", "dataset", "count", "skip"].includes(k));
}

// The parser reports the people picker's 1.6 property as unsupported in
// 1.5: the same allowance as above, for that event.
function isAllowedEvent(e, card) {
  if (eventName(e) !== "UnsupportedProperty" || !/"choices\.data"/.test(e.message)) return false;
  let found = false, all = true;
  walk(card, "$", (obj) => {
    if (obj.type === "Input.ChoiceSet" && obj["choices.data"] !== undefined) {
      found = true;
      all = all && isPeoplePicker(obj["choices.data"]);
    }
  });
  return found && all;
}

function isAllowed(type, prop, value) {
  if (Array.isArray(value) && value.length === 0 && COLLECTIONS.has(prop)) return true;
  return ALLOWED.some((a) => {
    const typeOK = a.type === "*" || a.type === type ||
      (a.type.endsWith(".*") && typeof type === "string" && type.startsWith(a.type.slice(0, -1)));
    return typeOK && a.prop === prop && (a.values === ANY || a.values.includes(value) ||
      (a.values.includes(PEOPLE_PICKER) && isPeoplePicker(value)));
  });
}

// The type of the objects of a property, for those without a "type" of their
// own (used to match ALLOWED entries and in messages).
function childTypeOf(ownerType, prop) {
  if (ownerType === "Table" && prop === "columns") return "TableColumnDefinition";
  switch (prop) {
    case "facts": return "Fact";
    case "choices": return "Input.Choice";
    case "card": return "AdaptiveCard";
    case "refresh": return "Refresh";
    default: return ownerType;
  }
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// compare reports what is in input but missing from output (the parser's
// round trip). Arrays of typed objects are aligned by type, because the
// parser removes the elements it does not know.
function compare(input, output, where, ownerType, failures) {
  if (Array.isArray(input)) {
    const out = Array.isArray(output) ? output : [];
    let j = 0;
    input.forEach((item, i) => {
      const p = `${where}[${i}]`;
      if (isObject(item) && typeof item.type === "string") {
        if (j < out.length && isObject(out[j]) && out[j].type === item.type) {
          compare(item, out[j], p, item.type, failures);
          j++;
        } else {
          failures.push({ check: "dropped-element", path: p, message: `element of type "${item.type}" was dropped by the parser` });
        }
        return;
      }
      if (j < out.length) {
        compare(item, out[j], p, ownerType, failures);
        j++;
      } else {
        failures.push({ check: "dropped-element", path: p, message: "item was dropped by the parser" });
      }
    });
    return;
  }
  if (!isObject(input)) return;
  const out = isObject(output) ? output : {};
  const type = typeof input.type === "string" ? input.type : ownerType;
  for (const [prop, value] of Object.entries(input)) {
    const p = `${where}.${prop}`;
    if (where === "$" && allowedAtRoot.has(prop)) continue;
    if (!(prop in out)) {
      if (isAllowed(type, prop, value)) continue;
      if (Array.isArray(value) && COLLECTIONS.has(prop)) {
        // Every item was dropped, so was the collection: report the items.
        compare(value, [], p, childTypeOf(type, prop), failures);
        continue;
      }
      if (value === "") {
        // The parser reads "" as missing. A TextBlock's text has its own check.
        if (!(prop === "text" && (type === "TextBlock" || type === "TextRun"))) {
          failures.push({ check: "empty-value", path: p, message: `property "${prop}" of ${type || "object"} is an empty string, which the parser treats as missing` });
        }
        continue;
      }
      failures.push({
        check: "unknown-property", path: p,
        message: `property "${prop}" of ${type || "object"} (value ${short(value)}) was dropped by the parser: unknown, misspelled, empty or invalid`,
      });
      continue;
    }
    if (prop === "data") continue; // action data is the bot's own payload, kept verbatim
    compare(value, out[prop], p, childTypeOf(type, prop), failures);
  }
}

function short(v) {
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

// walk calls fn on every object of the card with its JSON path.
function walk(node, where, fn) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${where}[${i}]`, fn));
  } else if (isObject(node)) {
    fn(node, where);
    for (const [k, v] of Object.entries(node)) {
      if (k !== "data") walk(v, `${where}.${k}`, fn);
    }
  }
}

function checkTexts(card, failures) {
  walk(card, "$", (obj, where) => {
    if (obj.type !== "TextBlock" && obj.type !== "TextRun") return;
    if (typeof obj.text !== "string" || obj.text.trim() === "") {
      failures.push({ check: "empty-text", path: where, message: `${obj.type} without text` });
    }
  });
}

function checkVersion(card, failures) {
  const v = card.version;
  const m = typeof v === "string" ? /^(\d+)\.(\d+)$/.exec(v) : null;
  if (!m) {
    failures.push({ check: "version", path: "$.version", message: `missing or malformed version ${short(v)}` });
    return;
  }
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major > MAX_VERSION[0] || (major === MAX_VERSION[0] && minor > MAX_VERSION[1])) {
    failures.push({ check: "version", path: "$.version", message: `version ${v} is above ${MAX_VERSION.join(".")}, the highest Teams renders` });
  }
}

function eventName(e) {
  return AC.ValidationEvent[e.event] || String(e.event);
}

function sourceOf(e) {
  const s = e.source;
  if (!s || typeof s.getJsonTypeName !== "function") return undefined;
  return s.id ? `${s.getJsonTypeName()}#${s.id}` : s.getJsonTypeName();
}

function validateCard(card) {
  const failures = [];
  const bytes = Buffer.byteLength(JSON.stringify(card) || "", "utf8");
  if (!isObject(card)) {
    return { bytes, failures: [{ check: "parse", message: "a card must be a JSON object" }] };
  }

  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    if (isAllowedEvent(e, card)) continue;
    failures.push({ check: "parse", event: eventName(e), source: sourceOf(e), message: e.message });
  }
  for (const e of parsed.validateProperties().validationEvents) {
    failures.push({ check: "validate", event: eventName(e), source: sourceOf(e), message: e.message });
  }

  const roundTrip = parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_5));
  compare(card, roundTrip, "$", "AdaptiveCard", failures);
  checkTexts(card, failures);
  checkVersion(card, failures);
  if (bytes > MAX_CARD_BYTES) {
    failures.push({ check: "size", message: `card is ${bytes} bytes, over Teams' ${MAX_CARD_BYTES}` });
  }
  return { bytes, failures };
}

function readInputs(args) {
  if (args.length > 0) {
    return args.map((file) => {
      const entry = { name: path.basename(file).replace(/\.json$/, ""), file };
      try {
        entry.card = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (err) {
        entry.error = err.message;
      }
      return entry;
    });
  }
  const list = JSON.parse(fs.readFileSync(0, "utf8"));
  if (!Array.isArray(list)) throw new Error("stdin must hold a JSON array of {name, card}");
  return list.map((item, i) => ({ name: item && item.name ? String(item.name) : `#${i}`, card: item && item.card }));
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes("-h") || args.includes("--help")) {
    process.stderr.write("usage: validate-cards.js [card.json ...]  (no file: a JSON array of {name, card} on stdin)\n");
    return 2;
  }
  let inputs;
  try {
    inputs = readInputs(args);
  } catch (err) {
    process.stderr.write(`validate-cards: ${err.message}\n`);
    return 2;
  }
  const cards = inputs.map((entry) => {
    const result = { name: entry.name };
    if (entry.file) result.file = entry.file;
    if (entry.error) {
      Object.assign(result, { ok: false, failures: [{ check: "json", message: entry.error }] });
      return result;
    }
    Object.assign(result, validateCard(entry.card));
    result.ok = result.failures.length === 0;
    return result;
  });
  const failed = cards.filter((c) => !c.ok).length;
  const report = { ok: failed === 0, checked: cards.length, failed, cards };
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main();
}

module.exports = { validateCard, MAX_CARD_BYTES };
