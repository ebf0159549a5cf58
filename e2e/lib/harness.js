// The end-to-end harness: Parc (`parc serve`, authentication off) behind the
// Microsoft 365 Agents Playground 0.2.28 (a local Teams client and Bot
// Connector), both on loopback, driven through the Playground's own HTTP API
// and read on its WebSocket stream, as the web UI does (shapes below).
//
//   const { Stack } = require("../lib");
//   const stack = new Stack({ name: "cars" });
//   before(() => stack.start());
//   after(() => stack.stop());
//   const menu = await stack.say("personal", "aide");            // Alice, 1:1
//   const profile = await stack.click(menu, "Mon profil");        // Action.Execute
//   const refused = await stack.say("group", "rôles", { as: "bruno" });
//
// Conversations are named "personal" (Alice and Parc), "group" (the group
// chat "Vie scolaire", everybody), "general" and "informatique" (the team's
// channels), or given by id (a channel post: "<channel>;messageid=<id>").
//
// How the Playground is driven: its own HTTP API, the one its web UI calls.
// Shapes read from the bundled server (node_modules/@microsoft/
// m365agentsplayground/dist/index.js: the express routers and their zod
// validators) and checked against the requests the UI sends:
//
//   POST /_conversation/v1/conversations/{conversationId}/messages
//        {from: {id}, text, textFormat: "plain"|"markdown"|"xml",
//         mentions?: [{mentioned: {id}, text: "<at>Name</at>"}]}
//        -> 200 {messageId, timestamp, postConversationId?}
//        The activity sent to the bot is always from the config's currentUser
//        (from.id is only checked for membership). In a group chat or a
//        channel the bot only gets the message when `mentions` names it. In a
//        channel the message opens a new post: the bot sees conversation id
//        "<channel>;messageid=<messageId>" (= postConversationId).
//   POST /_conversation/v1/invoke
//        {name: "adaptiveCard/action", from: {id}, conversation: {id},
//         replyToId: <messageId of the card>,
//         value: {action: {type: "Action.Execute", title, verb, data}}}
//        -> 200 {type, value}: the bot's synchronous invoke body without its
//        statusCode. The Playground also overwrites its stored copy of the
//        card with `value` but sends nothing on the stream: the web UI swaps
//        the card from this HTTP answer. from.id may be any member of the
//        conversation and becomes the activity's sender.
//   POST /_conversation/v1/submit
//        {from: {id}, conversation: {id}, replyToId, value: {...data, ...inputs}}
//        -> 200 (empty); the bot then gets a message activity with `value` and
//        `replyToId`, answered through the connector (Parc PUTs the new card on
//        replyToId, which the stream shows as updateMessage).
//   POST /_internal/v1/customActivities  <any activity>
//        -> 200 at once; the body is forwarded unchanged to the bot (another
//        user, another channel, a raw installationUpdate...).
//   GET  /_internal/v1/customActivities/template?conversationId=X[&type=install|uninstall|botAdded|...]
//        -> an activity with the Playground's own serviceUrl, recipient and
//        conversation props for X, from currentUser.
//   POST /_debug/conversation/{conversationId}/installation  {}
//        -> 200; what the web UI does when a chat is first opened: sends the
//        bot an installationUpdate (action "add") and a conversationUpdate
//        (bot added).
//   GET  /_internal/v1/config       the config (waits up to 15 s for the bot
//                                   to answer HEAD on its endpoint first)
//   GET  /_internal/v1/testConfig   the same config, at once
//   WS   /_ws_conversation/v1/conversations/stream
//        what the bot posts: {action: "createMessage"|"updateMessage"|"typing",
//        actionConversationId, message: {messageId, text, attachments,
//        postConversationId?}}, broadcast to every client (see stream.js).
//        A bot reply in a channel post arrives with the post's id
//        ("<channel>;messageid=<id>"); a new post made by the bot arrives
//        with the channel's id and postConversationId.
//
// The Playground is started by `node -r lib/loopback.cjs` (it binds every
// interface and has no host option), in a temporary directory holding the
// .m365agentsplayground.yml written from lib/tenant.js, with
// TEAMSAPPTESTER_BROWSER=none. Parc runs with MicrosoftAppId empty, so
// authentication is off and it listens on 127.0.0.1 only.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const procs = require("./procs");
const tenant = require("./tenant");
const { Stream } = require("./stream");
const { PlaygroundClient } = require("./playground");
const { readCard, cardOf, findAction, choiceValue, summary, CARD_TYPE } = require("./cards");

const E2E_DIR = path.resolve(__dirname, "..");
const REPO_DIR = path.resolve(E2E_DIR, "..");
const OUT_DIR = path.join(E2E_DIR, "out");
const PARC_BIN = process.env.PARC_E2E_BIN || path.join(OUT_DIR, "bin", "parc");
const PLAYGROUND_CLI = path.join(E2E_DIR, "node_modules", ".bin", "agentsplayground");
const LOOPBACK_PRELOAD = path.join(__dirname, "loopback.cjs");
const MENTION = `<at>${tenant.BOT.name}</at>`;

// Variables that must not leak from the developer's shell into the bot (it
// would turn authentication on) or the Playground (it honours proxies even
// for 127.0.0.1).
const SCRUBBED = /^(MicrosoftApp|BotOpenIdMetadata|PARC_|M365_AGENTS_PLAYGROUND|TEAMSAPPTESTER|BOT_ENDPOINT|SEND_INSTALLATION_ACTIVITY|https?_proxy$|all_proxy$|no_proxy$)/i;

function baseEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED.test(k)) env[k] = v;
  return env;
}

/** ensureBinary builds the bot when the suite runs without run.sh. */
function ensureBinary() {
  if (fs.existsSync(PARC_BIN)) return;
  if (process.env.PARC_E2E_BIN) throw new Error(`PARC_E2E_BIN=${PARC_BIN} does not exist`);
  fs.mkdirSync(path.dirname(PARC_BIN), { recursive: true });
  execFileSync("go", ["build", "-o", PARC_BIN, "./cmd/parc"], { cwd: REPO_DIR, stdio: "inherit" });
}

class Stack {
  /**
   * @param {object} opts
   * @param {string} opts.name       names the log directory e2e/out/logs/<name>
   * @param {string} [opts.locale]   PARC_LOCALE (fr by default: the product is French-first)
   * @param {string[]} [opts.admins] PARC_ADMINS (Alice's object id by default)
   * @param {object} [opts.env]      more variables for `parc serve`
   * @param {string[]} [opts.serveArgs] the same as args (both are accepted)
   * @param {number} [opts.timeout]  how long to wait for an answer, in ms
   * @param {boolean} [opts.allowErrors] do not fail stop() on errors in Parc's log
   * @param {string[]} [opts.args]   more arguments for `parc serve` (["--demo"]: the demo data)
   */
  constructor({ name, locale = "fr", admins = [tenant.CURRENT_USER.aadObjectId], env = {}, timeout = 10000, allowErrors = false, args = [], serveArgs = [] } = {}) {
    if (!name) throw new Error("Stack needs a name (for its log directory)");
    this.name = name;
    this.locale = locale;
    this.admins = admins;
    this.extraEnv = env;
    this.timeout = timeout;
    this.allowErrors = allowErrors;
    this.serveArgs = [...args, ...serveArgs];
    this.people = tenant.PEOPLE;
    this.chats = tenant.CHATS;
    this.bot = tenant.BOT;
    this.logDir = path.join(OUT_DIR, "logs", name);
    this.tmpDirs = [];
    this.procs = [];
    this.activitySeq = 0;
  }

  // ---- lifecycle ----

  async start() {
    ensureBinary();
    fs.rmSync(this.logDir, { recursive: true, force: true });
    fs.mkdirSync(this.logDir, { recursive: true });
    this.parcLog = path.join(this.logDir, "parc.log");
    this.playgroundLog = path.join(this.logDir, "playground.log");
    let lastError;
    // A port picked free can be taken before the child binds it: the bot then
    // exits, and the Playground silently moves to a random port. Retry.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.startOnce();
        return this;
      } catch (e) {
        lastError = e;
        await this.stopProcesses().catch(() => {});
        if (!e.portTaken) break;
      }
    }
    await this.stop().catch(() => {});
    throw lastError;
  }

  async startOnce() {
    this.botPort = await procs.freePort();
    do this.playgroundPort = await procs.freePort(); while (this.playgroundPort === this.botPort);
    this.botUrl = `http://127.0.0.1:${this.botPort}`;
    this.playgroundUrl = `http://127.0.0.1:${this.playgroundPort}`;

    const dataDir = this.tmpDir("data");
    this.parc = procs.start("parc", PARC_BIN, ["serve", ...this.serveArgs], {
      cwd: dataDir, logFile: this.parcLog,
      env: {
        ...baseEnv(), MicrosoftAppId: "", PORT: String(this.botPort), PARC_LISTEN_HOST: "127.0.0.1",
        PARC_DATA_DIR: dataDir, PARC_LOCALE: this.locale, PARC_ADMINS: this.admins.join(","), ...this.extraEnv,
      },
    });
    this.procs.push(this.parc);
    await this.waitHealthy();

    const pgDir = this.tmpDir("playground");
    const configPath = path.join(pgDir, ".m365agentsplayground.yml");
    fs.writeFileSync(configPath, tenant.playgroundConfig());
    this.playground = procs.start("playground", process.execPath, [
      "-r", LOOPBACK_PRELOAD, PLAYGROUND_CLI,
      "-e", `${this.botUrl}/api/messages`, "-c", "msteams", "-p", String(this.playgroundPort),
      "--service-url", `${this.playgroundUrl}/_connector`, "--disable-telemetry",
    ], {
      cwd: pgDir, logFile: this.playgroundLog,
      env: { ...baseEnv(), TEAMSAPPTESTER_BROWSER: "none", M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath },
    });
    this.procs.push(this.playground);
    await this.waitPlayground();

    this.pg = new PlaygroundClient(this.playgroundUrl);
    const cfg = await this.pg.testConfig();
    if (!cfg || !cfg.config || cfg.config.currentUser.id !== tenant.CURRENT_USER.id) {
      throw new Error(`the Playground did not load ${configPath}: ${JSON.stringify(cfg).slice(0, 300)}`);
    }
    this.config = cfg.config;
    this.stream = new Stream(`ws://127.0.0.1:${this.playgroundPort}/_ws_conversation/v1/conversations/stream`);
    await this.stream.open();
  }

  async waitHealthy() {
    await procs.waitUntil("parc /healthz", async () => {
      if (this.parc.child.exitCode !== null || this.parc.child.signalCode !== null) {
        const log = procs.tail(this.parcLog, 10);
        const e = new Error(`parc serve exited:\n${log}`);
        e.portTaken = /address already in use/.test(log);
        e.fatal = true;
        throw e;
      }
      const res = await fetch(`${this.botUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      return res.ok;
    }, { timeout: 15000 }).catch((e) => { throw e.fatal ? e : unwrapFatal(e, this.parcLog); });
  }

  async waitPlayground() {
    const port = await procs.waitUntil("the Playground to listen", () => {
      if (this.playground.child.exitCode !== null || this.playground.child.signalCode !== null) {
        const e = new Error(`the Playground exited:\n${procs.tail(this.playgroundLog, 20)}`);
        e.fatal = true;
        throw e;
      }
      const m = /Listening on (\d+)/.exec(fs.readFileSync(this.playgroundLog, "utf8"));
      return m && Number(m[1]);
    }, { timeout: 30000 }).catch((e) => { throw e.fatal ? e : unwrapFatal(e, this.playgroundLog); });
    if (port !== this.playgroundPort) {
      const e = new Error(`port ${this.playgroundPort} was taken: the Playground moved to ${port}`);
      e.portTaken = true;
      throw e;
    }
  }

  tmpDir(what) {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `parc-e2e-${this.name}-${what}-`));
    this.tmpDirs.push({ dir: d, reg: procs.removeOnExit(d) });
    return d;
  }

  // The bot stops first: on SIGTERM it finishes the turns in flight, whose
  // replies the Playground has already shown on the stream but not yet
  // acknowledged; stopping the Playground first would cut those off.
  async stopProcesses() {
    if (this.stream) this.stream.close();
    const errors = [];
    for (const p of this.procs) {
      try { await procs.stop(p); } catch (e) { errors.push(e); }
    }
    this.procs = [];
    if (errors.length) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
  }

  /**
   * stop ends the bot and the Playground and removes their temporary files.
   * It fails when Parc logged an error during the run (a reply it could not
   * send, a handler that failed), unless the stack was built with
   * {allowErrors: true} for a scenario that provokes them.
   */
  async stop() {
    try {
      await this.stopProcesses();
    } finally {
      for (const { dir, reg } of this.tmpDirs) {
        fs.rmSync(dir, { recursive: true, force: true });
        reg.forget();
      }
      this.tmpDirs = [];
    }
    const errors = this.botErrors();
    if (errors.length && !this.allowErrors) {
      throw new Error(`Parc logged ${errors.length} error(s) during "${this.name}" (${this.parcLog}):\n${errors.join("\n")}`);
    }
  }

  /** botErrors lists the ERROR lines of Parc's log. */
  botErrors() {
    if (!this.parcLog || !fs.existsSync(this.parcLog)) return [];
    return fs.readFileSync(this.parcLog, "utf8").split("\n").filter((l) => /"level":"ERROR"/.test(l));
  }

  /** pids of the processes this stack started (process group leaders). */
  pids() {
    return [this.parc, this.playground].filter(Boolean).map((p) => p.child.pid);
  }

  /** logs returns the end of both logs, for failure messages. */
  logs(lines = 20) {
    return `--- parc (${this.parcLog})\n${procs.tail(this.parcLog, lines)}\n--- playground (${this.playgroundLog})\n${procs.tail(this.playgroundLog, lines)}`;
  }

  // ---- conversations and people ----

  /** chatId resolves "personal", "group", "general", "informatique" or an id. */
  chatId(chat) {
    const id = this.chats[chat] || chat;
    tenant.kindOf(id);
    return id;
  }

  person(who) {
    return tenant.personOf(who);
  }

  // ---- acting as a user ----

  /**
   * say sends text to a conversation as a user and returns the card Parc
   * answers with. Alice (the Playground's current user) types through the
   * Playground's message API, like the web UI; anybody else is sent as a
   * custom activity. In a group chat or a channel the bot is @mentioned first
   * (pass {mention: false} not to). Answers in a channel go to the post.
   */
  async say(chat, text, { as, mention } = {}) {
    const chatId = this.chatId(chat);
    const who = this.person(as);
    const kind = tenant.kindOf(chatId);
    const withMention = mention ?? kind !== "personal";
    const typed = withMention ? `${MENTION} ${text}` : text;
    this.assertNothingUnread(chatId, `before saying "${text}"`);
    const since = this.stream.mark();
    let where = chatId;
    if (who === tenant.CURRENT_USER) {
      const res = await this.pg.sendMessage(chatId, {
        fromId: who.id, text: typed,
        mentions: withMention ? [{ mentioned: { id: this.bot.id }, text: MENTION }] : undefined,
      });
      where = res.postConversationId || chatId;
    } else {
      if (kind === "personal") {
        throw new Error(`the Playground has one personal chat, Alice's: ${who.name} can talk to Parc in "group" or a channel`);
      }
      const act = await this.activity(chatId, { as: who, text: typed, mention: withMention });
      await this.pg.customActivity(act);
    }
    return this.nextCard(where, { since, what: `Parc's answer to ${who.givenName}'s "${text}" in ${where}` });
  }

  /**
   * click presses a button of a card, as a user (Alice by default).
   * which: the button's title, or {title, verb, data}. inputs: what the user
   * filled in, by input id or label, choice sets by choice title or value;
   * required inputs left empty are refused as Teams would.
   * Action.Execute goes through the Playground's invoke API and returns the
   * card that replaces the clicked one; Action.Submit through its submit API,
   * and returns the card Parc puts in place (or posts).
   */
  async click(card, which, { as, inputs = {} } = {}) {
    const action = findAction(card, which);
    const who = this.person(as);
    const filled = action.associatedInputs === "none" ? {} : fillInputs(card, inputs);
    if (action.associatedInputs !== "none") {
      const missing = card.inputs.filter((i) => i.required && (filled[i.id] === undefined || filled[i.id] === ""));
      if (missing.length) {
        throw new Error(`Teams would not send "${action.title}": required ${missing.map((i) => `"${i.label || i.id}"`).join(", ")} empty`);
      }
    }
    switch (action.type) {
      case "Action.Execute":
        return this.invoke(card, action.verb, { ...(action.data || {}), ...filled }, { as: who, title: action.title });
      case "Action.Submit":
        return this.submit(card, { ...(action.data || {}), ...filled }, { as: who });
      default:
        throw new Error(`click: ${action.type} ("${action.title}") is not something the harness presses`);
    }
  }

  /**
   * invoke sends an adaptiveCard/action invoke (Action.Execute) on card and
   * returns the card from the synchronous answer, which Teams puts in place of
   * the clicked one: same message id. A text answer is returned as {text}.
   */
  async invoke(card, verb, data = {}, { as, title } = {}) {
    const who = this.person(as);
    const res = await this.pg.invoke({
      fromId: who.id, conversationId: card.conversationId, replyToId: card.messageId,
      value: { action: { type: "Action.Execute", title: title ?? verb, verb, data } },
    });
    if (!res || res.type !== CARD_TYPE) {
      return { text: res && typeof res.value === "string" ? res.value : JSON.stringify(res), type: res && res.type, messageId: card.messageId, conversationId: card.conversationId, via: "invoke" };
    }
    return { ...readCard(res.value), messageId: card.messageId, conversationId: card.conversationId, via: "invoke" };
  }

  /**
   * submit sends an Action.Submit's data (merged with inputs) on card, and
   * returns Parc's answer: the card it puts in place of the clicked one
   * (updateMessage on the same id), or a new card when it posted one.
   */
  async submit(card, data, { as } = {}) {
    const who = this.person(as);
    const since = this.stream.mark();
    await this.pg.submit({ fromId: who.id, conversationId: card.conversationId, replyToId: card.messageId, value: data });
    const e = await this.stream.take(
      (x) => (x.action === "updateMessage" && x.message.messageId === card.messageId) ||
        (x.action === "createMessage" && (x.conversationId === card.conversationId || x.message.postConversationId === card.conversationId)),
      { since, timeout: this.timeout, what: `Parc's answer to the submit on ${summary(card)}` },
    ).catch((err) => { throw this.withLogs(err); });
    return this.toCard(e);
  }

  /**
   * activity builds an activity as the Playground would send it for chatId,
   * from a person: the Playground's template (its serviceUrl, recipient and
   * conversation) plus what Teams adds for a message (channelData, mention
   * entity, locale). Override anything with `fields`.
   */
  async activity(chat, { as, text, mention = true, type = "message", ...fields } = {}) {
    const chatId = this.chatId(chat);
    const who = this.person(as);
    const t = await this.pg.template(chatId);
    const kind = tenant.kindOf(chatId);
    const channelId = chatId.split(";messageid=")[0];
    const channelData = { tenant: { id: tenant.TENANT_ID } };
    if (kind === "channel") {
      Object.assign(channelData, {
        team: { id: tenant.TEAM.id, name: tenant.TEAM.name, aadGroupId: tenant.TEAM.aadGroupId },
        channel: { id: channelId, name: tenant.CHANNEL_NAMES[channelId] },
        teamsTeamId: tenant.TEAM.id, teamsChannelId: channelId,
      });
    }
    const entities = [];
    if (type === "message" && mention && kind !== "personal") {
      entities.push({ type: "mention", mentioned: { id: this.bot.id, name: this.bot.name }, text: MENTION });
    }
    entities.push({ type: "clientInfo", locale: "en-US", country: "US", platform: "Web", timezone: "Europe/Paris" });
    const act = {
      ...t, type, id: `e2e-${process.pid}-${++this.activitySeq}`, timestamp: new Date().toISOString(),
      from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
      locale: "en-US", channelData, entities,
    };
    if (text !== undefined) {
      act.text = text;
      act.textFormat = "plain";
    }
    return { ...act, ...fields };
  }

  /** send forwards a raw activity to Parc through the Playground. */
  send(activity) {
    return this.pg.customActivity(activity);
  }

  /**
   * install adds Parc to a conversation and returns the welcome card. In the
   * personal chat it uses the Playground's own install flow (what the web UI
   * does when the chat is opened: installationUpdate + conversationUpdate);
   * in a channel it sends the raw installationUpdate of the Playground's
   * template, and the welcome is a new post in the channel.
   */
  async install(chat = "personal") {
    const chatId = this.chatId(chat);
    const since = this.stream.mark();
    if (tenant.kindOf(chatId) === "personal") {
      await this.pg.install(chatId);
    } else {
      await this.pg.customActivity(await this.pg.template(chatId, "install"));
    }
    return this.nextCard(chatId, { since, what: `the welcome card in ${chatId}` });
  }

  // ---- reading ----

  /** nextCard waits for the next card Parc posts in a conversation. */
  async nextCard(chat, { since = 0, timeout = this.timeout, what } = {}) {
    const chatId = this.chatId(chat);
    const e = await this.stream.take((x) => x.action === "createMessage" && x.conversationId === chatId, {
      since, timeout, what: what || `a message in ${chatId}`,
    }).catch((err) => { throw this.withLogs(err); });
    return this.toCard(e);
  }

  toCard(e) {
    const m = e.message;
    const content = cardOf(m);
    const where = { messageId: m.messageId, conversationId: m.postConversationId || e.conversationId, via: e.action };
    if (!content) throw new Error(`Parc answered with text, not a card: ${JSON.stringify(m.text)} (${e.action} in ${e.conversationId})`);
    return { ...readCard(content), ...where };
  }

  /** unread lists Parc's messages in a conversation that no step read yet. */
  unread(chat) {
    const chatId = this.chatId(chat);
    return this.stream.unread((x) => x.action !== "typing" && (x.conversationId === chatId || (x.message && x.message.postConversationId === chatId)));
  }

  assertNothingUnread(chatId, when) {
    const extra = this.unread(chatId);
    if (extra.length) {
      throw new Error(`unexpected message(s) from Parc in ${chatId} ${when}:\n${extra.map((e) => this.stream.describe(e.seq).split("\n")[0]).join("\n")}`);
    }
  }

  withLogs(err) {
    err.message += `\n${this.logs(12)}`;
    return err;
  }
}

function unwrapFatal(e, log) {
  return new Error(`${e.message}\n--- ${log}\n${procs.tail(log, 15)}`);
}

/** fillInputs maps {label or id: title or value} to {id: value}. */
function fillInputs(card, inputs) {
  const out = {};
  for (const i of card.inputs) if (i.value !== undefined) out[i.id] = i.value;
  for (const [key, v] of Object.entries(inputs)) {
    const input = card.input(key);
    if (!input) throw new Error(`no input "${key}" on ${summary(card)}; inputs: ${card.inputs.map((i) => i.label || i.id).join(", ")}`);
    out[input.id] = input.choices.length ? choiceValue(input, v) : v;
  }
  return out;
}

module.exports = { Stack, E2E_DIR, OUT_DIR, PARC_BIN, MENTION };
