// The harness's public helpers, for every scenario file.
"use strict";

const { Stack, E2E_DIR, OUT_DIR, PARC_BIN, MENTION } = require("./harness");
const { readCard, cardOf, findAction, choiceValue, plain, summary, CARD_TYPE } = require("./cards");
const tenant = require("./tenant");
const procs = require("./procs");
const browser = require("./browser");

module.exports = {
  Stack, E2E_DIR, OUT_DIR, PARC_BIN, MENTION,
  readCard, cardOf, findAction, choiceValue, plain, summary, CARD_TYPE,
  tenant, procs, browser,
};
