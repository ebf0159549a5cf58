// Processes the suite starts: each in its own process group (detached), so
// that stopping it stops its children too, and killed whatever happens to the
// test: after hooks, normal exit, SIGINT/SIGTERM from the test runner.
//
// Every child carries PARC_E2E_CHILD=<run id> in its environment (inherited
// by its own children, Chromium's included), which lets run.sh, and the
// hygiene test, find anything this run left behind.
"use strict";

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");

const RUN_ID = process.env.PARC_E2E_RUN_ID || `e2e-${process.pid}-${Date.now()}`;
const CHILD_MARK = "PARC_E2E_CHILD";

/** @type {Map<number, {name: string, child: import('node:child_process').ChildProcess}>} */
const live = new Map();

/**
 * start runs cmd in a new process group, output appended to logFile.
 * It resolves once the process is spawned; call stop() (or stopAll) to end it.
 */
function start(name, cmd, args, { cwd, env, logFile }) {
  const fd = fs.openSync(logFile, "a");
  let child;
  try {
    child = spawn(cmd, args, {
      cwd, detached: true, stdio: ["ignore", fd, fd],
      env: { ...env, [CHILD_MARK]: RUN_ID },
    });
  } finally {
    fs.closeSync(fd);
  }
  const proc = { name, child, logFile, exited: null };
  proc.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.once("error", () => {});
  live.set(child.pid, proc);
  proc.exited.then(() => live.delete(child.pid));
  return proc;
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** stop sends SIGTERM to the process group, then SIGKILL after graceMs. */
async function stop(proc, graceMs = 3000) {
  const pid = proc.child.pid;
  if (!pid) return;
  try { process.kill(-pid, "SIGTERM"); } catch { /* already gone */ }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pid)) {
    try { process.kill(-pid, "SIGKILL"); } catch { /* gone */ }
    const hard = Date.now() + 2000;
    while (groupAlive(pid) && Date.now() < hard) await sleep(50);
  }
  await Promise.race([proc.exited, sleep(500)]);
  if (groupAlive(pid)) throw new Error(`${proc.name} (process group ${pid}) survived SIGKILL`);
}

/** stopAll stops every process still running, in reverse start order. */
async function stopAll() {
  const procs = [...live.values()].reverse();
  const errors = [];
  for (const p of procs) {
    try { await stop(p); } catch (e) { errors.push(e); }
  }
  if (errors.length) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
}

/** @type {Set<string>} temporary directories to remove if the process ends abruptly */
const tmpDirs = new Set();

/** removeOnExit registers a temporary directory; forget() it once removed. */
function removeOnExit(dir) {
  tmpDirs.add(dir);
  return { forget: () => tmpDirs.delete(dir) };
}

function killAllNow() {
  for (const pid of live.keys()) {
    try { process.kill(-pid, "SIGKILL"); } catch { /* gone */ }
  }
  for (const d of tmpDirs) {
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}

// Last resort when the test process itself ends: synchronous kills only.
process.once("exit", killAllNow);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, () => {
    killAllNow();
    process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
  });
}

/** freePort returns a TCP port free on 127.0.0.1 at the time of asking. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** waitUntil polls fn (sync or async) until it returns a truthy value. */
async function waitUntil(what, fn, { timeout = 15000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e && e.fatal) throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    }
    await sleep(interval);
  }
}

/** tail returns the last lines of a log file, for failure messages. */
function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** runProcesses lists the live processes carrying this run's mark. */
function runProcesses(runId = RUN_ID) {
  const out = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    let env;
    try {
      env = fs.readFileSync(`/proc/${d}/environ`, "latin1");
    } catch {
      continue;
    }
    if (!env.split("\0").includes(`${CHILD_MARK}=${runId}`)) continue;
    let cmd = "";
    try { cmd = fs.readFileSync(`/proc/${d}/cmdline`, "latin1").split("\0").join(" ").trim(); } catch { /* gone */ }
    out.push({ pid: Number(d), cmd });
  }
  return out;
}

/**
 * listeners parses `ss -ltnpH`: every listening TCP socket with its address,
 * port and owning pids (empty when ss cannot see the owner).
 */
function listeners() {
  const text = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  return text.split("\n").filter(Boolean).map((line) => {
    const cols = line.trim().split(/\s+/);
    const local = cols[3];
    const i = local.lastIndexOf(":");
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    return { line: line.trim(), address: local.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(local.slice(i + 1)), pids };
  });
}

function isLoopbackAddress(a) {
  return a === "127.0.0.1" || a === "::1" || a.startsWith("127.") || a === "::ffff:127.0.0.1";
}

module.exports = { RUN_ID, CHILD_MARK, start, stop, stopAll, removeOnExit, freePort, sleep, waitUntil, tail, runProcesses, listeners, isLoopbackAddress };
