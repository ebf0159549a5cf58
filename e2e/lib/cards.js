// What a user reads on an Adaptive Card: its title, texts, facts, buttons and
// inputs, extracted from the card's JSON in reading order. Scenarios assert
// on these, never on the bot's internals.
"use strict";

const CARD_TYPE = "application/vnd.microsoft.card.adaptive";

/**
 * plain removes the Markdown a card's TextBlock may carry (**bold**, _it_)
 * and reads French typography's no-break spaces as the spaces they are.
 */
function plain(s) {
  return String(s ?? "").replace(/[\u00a0\u202f]/g, " ").replace(/\*\*(.+?)\*\*/g, "$1").replace(/(^|\s)_(.+?)_(?=\s|$)/g, "$1$2");
}

function walk(elements, out) {
  for (const el of elements || []) {
    if (!el || typeof el !== "object" || el.isVisible === false) continue;
    switch (el.type) {
      case "TextBlock":
        out.texts.push(plain(el.text));
        break;
      case "RichTextBlock":
        out.texts.push(plain((el.inlines || []).map((r) => (typeof r === "string" ? r : r.text)).join("")));
        break;
      case "FactSet":
        for (const f of el.facts || []) out.facts.push({ title: plain(f.title), value: plain(f.value) });
        break;
      case "Container":
        walk(el.items, out);
        break;
      case "ColumnSet":
        for (const c of el.columns || []) walk(c.items, out);
        break;
      case "Column":
        walk(el.items, out);
        break;
      case "ActionSet":
        actions(el.actions, out);
        break;
      case "Table":
        for (const row of el.rows || []) for (const cell of row.cells || []) walk(cell.items, out);
        break;
      case "Image":
        if (el.altText) out.texts.push(plain(el.altText));
        break;
      default:
        if (typeof el.type === "string" && el.type.startsWith("Input.")) {
          out.inputs.push({
            id: el.id, type: el.type, label: plain(el.label ?? ""), placeholder: el.placeholder ?? "",
            required: el.isRequired === true, value: el.value,
            choices: (el.choices || []).map((c) => ({ title: c.title, value: c.value })),
          });
        }
    }
    if (el.selectAction) actions([el.selectAction], out);
  }
}

function actions(list, out) {
  for (const a of list || []) {
    if (!a || a.isEnabled === false) continue;
    out.actions.push({
      title: a.title ?? "", type: a.type, verb: a.verb, data: a.data, url: a.url,
      associatedInputs: a.associatedInputs, style: a.style,
    });
    if (a.type === "Action.ShowCard" && a.card) {
      walk(a.card.body, out);
      actions(a.card.actions, out);
    }
  }
}

/**
 * readCard turns an Adaptive Card into what its reader sees:
 *   title   the first text (Parc's cards start with a heading)
 *   texts   every text in reading order (Markdown removed)
 *   facts   [{title, value}] and fact(title) for one value
 *   buttons the titles of every action, body action sets included
 *   actions [{title, type, verb, data, associatedInputs, style}]
 *   inputs  [{id, type, label, placeholder, required, choices: [{title, value}]}]
 *   text    everything above joined, for "the card mentions X" checks
 */
function readCard(content) {
  if (!content || content.type !== "AdaptiveCard") throw new Error(`not an Adaptive Card: ${JSON.stringify(content).slice(0, 200)}`);
  const out = { texts: [], facts: [], actions: [], inputs: [] };
  walk(content.body, out);
  actions(content.actions, out);
  const buttons = out.actions.map((a) => a.title);
  return {
    title: out.texts[0] ?? "",
    texts: out.texts,
    facts: out.facts,
    buttons,
    actions: out.actions,
    inputs: out.inputs,
    lang: content.lang,
    version: content.version,
    text: [...out.texts, ...out.facts.map((f) => `${f.title}: ${f.value}`), ...buttons, ...out.inputs.map((i) => i.label)].join("\n"),
    fact(title) {
      const f = out.facts.find((x) => x.title === title);
      return f ? f.value : undefined;
    },
    input(id) {
      return out.inputs.find((x) => x.id === id || x.label === id);
    },
    json: content,
  };
}

/** cardOf returns the Adaptive Card attachment of a Playground message, or null. */
function cardOf(message) {
  const att = (message.attachments || []).find((a) => a.contentType === CARD_TYPE);
  return att ? att.content : null;
}

/**
 * findAction picks one action of a card. `which` is a button title, or
 * {title, verb, data} where data matches when each given key is equal
 * (several "Retirer" buttons differ by their data).
 */
function findAction(card, which) {
  const want = typeof which === "string" ? { title: which } : which;
  const matches = card.actions.filter((a) =>
    (want.title === undefined || a.title === want.title) &&
    (want.verb === undefined || a.verb === want.verb) &&
    (want.data === undefined || Object.entries(want.data).every(([k, v]) => a.data && a.data[k] === v)));
  if (matches.length === 0) {
    throw new Error(`no button ${JSON.stringify(want)} on the card "${card.title}"; its buttons: ${JSON.stringify(card.buttons)}`);
  }
  if (matches.length > 1) {
    throw new Error(`${matches.length} buttons match ${JSON.stringify(want)} on "${card.title}": say which with verb or data`);
  }
  return matches[0];
}

/** choiceValue maps a choice's title ("Technicien") to its value for an input. */
function choiceValue(input, titleOrValue) {
  const c = input.choices.find((x) => x.title === titleOrValue || x.value === titleOrValue);
  if (!c) throw new Error(`no choice "${titleOrValue}" in ${input.label || input.id}: ${input.choices.map((x) => x.title).join(", ")}`);
  return c.value;
}

/** summary is a one-line description of a card for failure messages. */
function summary(card) {
  return `"${card.title}" [${card.buttons.join(" | ")}]`;
}

module.exports = { CARD_TYPE, readCard, cardOf, findAction, choiceValue, plain, summary };
