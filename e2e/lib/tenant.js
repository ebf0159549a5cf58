// The fictional school the suite runs in: one tenant, the bot, six people
// and four conversations, written as the Agents Playground's config file.
//
// The Playground's schema (JSON schema "config.schema.json" 0.1.1 bundled in
// its dist/index.js, checked with ajv when the file is loaded) wants:
// version, tenantId, bot {id, name<=42}, currentUser, users (exactly 5, each
// with id, name, userPrincipleName [sic], aadObjectId, givenName, surname,
// email), personalChat {id}, groupChat {id, name}, team {id, name,
// aadGroupId, channels (at most 1; General is implicit and its id is the
// team id)}. currentUser is not one of the 5 users, so the tenant has six
// people. The personal chat holds only currentUser and the bot; the group
// chat and the team hold everybody.
"use strict";

const TENANT_ID = "7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";

const BOT = { id: "28:3f2e1d0c-b9a8-4765-8432-10fedcba9876", name: "Parc" };

function person(key, id, givenName, surname, aadObjectId, ascii) {
  const mail = `${ascii}@lycee-exemple.fr`;
  return { key, id, name: `${givenName} ${surname}`, givenName, surname, aadObjectId, email: mail, userPrincipleName: mail };
}

// Alice is the Playground's current user (the one the browser shows) and
// the admin declared in PARC_ADMINS; the others are plain staff.
const PEOPLE = {
  alice: person("alice", "29:alice-martin", "Alice", "Martin", "0a11ce00-1111-4aaa-8aaa-000000000001", "alice.martin"),
  bruno: person("bruno", "29:bruno-petit", "Bruno", "Petit", "0b0b0b00-2222-4bbb-8bbb-000000000002", "bruno.petit"),
  chloe: person("chloe", "29:chloe-durand", "Chloé", "Durand", "0c0c0c00-3333-4ccc-8ccc-000000000003", "chloe.durand"),
  david: person("david", "29:david-moreau", "David", "Moreau", "0d0d0d00-4444-4ddd-8ddd-000000000004", "david.moreau"),
  emma: person("emma", "29:emma-lefevre", "Emma", "Lefèvre", "0e0e0e00-5555-4eee-8eee-000000000005", "emma.lefevre"),
  farid: person("farid", "29:farid-benali", "Farid", "Benali", "0f0f0f00-6666-4fff-8fff-000000000006", "farid.benali"),
};

const CURRENT_USER = PEOPLE.alice;

const TEAM = { id: "19:equipe-lycee@thread.tacv2", name: "Lycée Exemple", aadGroupId: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d" };

// Conversation ids as the bot sees them. General's id is the team's.
const CHATS = {
  personal: "a:parc-alice-martin",
  group: "19:groupe-vie-scolaire@thread.v2",
  general: TEAM.id,
  informatique: "19:informatique@thread.tacv2",
};

const GROUP_CHAT_NAME = "Vie scolaire";
const CHANNEL_NAMES = { [CHATS.general]: "General", [CHATS.informatique]: "Informatique" };

/** kindOf tells what a conversation id is: "personal", "groupChat" or "channel". */
function kindOf(chatId) {
  const top = String(chatId).split(";messageid=")[0];
  if (top === CHATS.personal) return "personal";
  if (top === CHATS.group) return "groupChat";
  if (top === CHATS.general || top === CHATS.informatique) return "channel";
  throw new Error(`unknown conversation ${chatId}: use one of ${Object.values(CHATS).join(", ")}`);
}

/** personOf finds a person by key ("bruno"), Teams id or the person object itself. */
function personOf(who) {
  if (who === undefined || who === null) return CURRENT_USER;
  if (typeof who === "object" && who.aadObjectId) return who;
  const p = PEOPLE[who] || Object.values(PEOPLE).find((x) => x.id === who || x.aadObjectId === who);
  if (!p) throw new Error(`unknown person ${JSON.stringify(who)}: use one of ${Object.keys(PEOPLE).join(", ")}`);
  return p;
}

function yamlUser(p, indent) {
  const q = (s) => JSON.stringify(s);
  const pad = " ".repeat(indent);
  return [
    `id: ${q(p.id)}`, `name: ${q(p.name)}`, `userPrincipleName: ${q(p.userPrincipleName)}`,
    `aadObjectId: ${q(p.aadObjectId)}`, `givenName: ${q(p.givenName)}`, `surname: ${q(p.surname)}`, `email: ${q(p.email)}`,
  ].map((l, i) => (i === 0 && indent > 2 ? pad.slice(2) + "- " : pad) + l).join("\n");
}

/** playgroundConfig returns the .m365agentsplayground.yml text. */
function playgroundConfig() {
  const q = (s) => JSON.stringify(s);
  const others = Object.values(PEOPLE).filter((p) => p !== CURRENT_USER);
  if (others.length !== 5) throw new Error("the Playground wants exactly 5 users besides the current user");
  return [
    "# Written by e2e/lib/tenant.js for one run of the end-to-end suite.",
    'version: "0.1.1"',
    `tenantId: ${q(TENANT_ID)}`,
    "bot:",
    `  id: ${q(BOT.id)}`,
    `  name: ${q(BOT.name)}`,
    "currentUser:",
    yamlUser(CURRENT_USER, 2),
    "users:",
    ...others.map((p) => yamlUser(p, 4)),
    "personalChat:",
    `  id: ${q(CHATS.personal)}`,
    "groupChat:",
    `  id: ${q(CHATS.group)}`,
    `  name: ${q(GROUP_CHAT_NAME)}`,
    "team:",
    `  id: ${q(TEAM.id)}`,
    `  name: ${q(TEAM.name)}`,
    `  aadGroupId: ${q(TEAM.aadGroupId)}`,
    "  channels:",
    `    - id: ${q(CHATS.informatique)}`,
    `      name: ${q(CHANNEL_NAMES[CHATS.informatique])}`,
    "",
  ].join("\n");
}

module.exports = { TENANT_ID, BOT, PEOPLE, CURRENT_USER, TEAM, CHATS, GROUP_CHAT_NAME, CHANNEL_NAMES, kindOf, personOf, playgroundConfig };
