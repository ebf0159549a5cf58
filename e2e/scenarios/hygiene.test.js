// What the suite itself must guarantee: the bot (authentication off) and the
// Playground listen on loopback only, and stopping a stack leaves nothing.
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack, procs } = require("../lib");

describe("suite hygiene", () => {
  const stack = new Stack({ name: "hygiene" });
  before(() => stack.start());
  after(() => stack.stop());

  it("the Playground loaded the suite's tenant, not its built-in one", () => {
    const c = stack.config;
    assert.equal(c.currentUser.name, "Alice Martin");
    assert.deepEqual(c.users.map((u) => u.name), ["Bruno Petit", "Chloé Durand", "David Moreau", "Emma Lefèvre", "Farid Benali"]);
    assert.equal(c.personalChat.id, stack.chats.personal);
    assert.deepEqual(c.groupChats.map((g) => g.name), ["Vie scolaire"]);
    assert.deepEqual(c.teams.map((t) => t.name), ["Lycée Exemple"]);
    assert.deepEqual(c.teams[0].channels.map((ch) => [ch.name, ch.id]), [["General", stack.chats.general], ["Informatique", stack.chats.informatique]]);
  });

  it("nothing this run started listens on 0.0.0.0 or :: (ss -ltnp)", (t) => {
    const mine = new Set(procs.runProcesses().map((p) => p.pid));
    for (const pid of stack.pids()) assert.ok(mine.has(pid), `process ${pid} lacks the run's mark`);
    const all = procs.listeners();
    const ours = all.filter((l) => l.pids.some((p) => mine.has(p)) || l.port === stack.botPort || l.port === stack.playgroundPort);
    assert.ok(ours.some((l) => l.port === stack.botPort), `parc is not listening on ${stack.botPort}:\n${all.map((l) => l.line).join("\n")}`);
    assert.ok(ours.some((l) => l.port === stack.playgroundPort), `the Playground is not listening on ${stack.playgroundPort}`);
    const exposed = ours.filter((l) => !procs.isLoopbackAddress(l.address));
    assert.deepEqual(exposed.map((l) => l.line), [], "listening beyond loopback");
    const foreign = all.filter((l) => !procs.isLoopbackAddress(l.address) && !ours.includes(l));
    if (foreign.length) t.diagnostic(`not ours, left alone: ${foreign.map((l) => `${l.address}:${l.port}`).join(", ")}`);
  });

  it("a stopped stack leaves no process behind", async () => {
    const other = new Stack({ name: "hygiene-stop" });
    await other.start();
    const pids = other.pids();
    const menu = await other.say("personal", "aide");
    assert.equal(menu.title, "Que voulez-vous faire ?");
    await other.stop();
    const left = procs.runProcesses().filter((p) => pids.includes(p.pid));
    assert.deepEqual(left, []);
    for (const pid of pids) assert.throws(() => process.kill(-pid, 0), /ESRCH/, `process group ${pid} still exists`);
  });
});
