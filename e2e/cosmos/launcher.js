#!/usr/bin/env node
// Parc's test Cosmos DB: @vercel/cosmosdb-server 1.0.1 with the corrections
// that make it answer like the real service where Parc's tests depend on it.
//
// Without them the tests would lie: a missing item answers 500 (and the Go
// SDK retries it), a query scoped to a partition sees every partition, a
// failed transactional batch keeps its first writes, a document can be
// written under another partition's key, and cross-partition queries that
// the real gateway refuses to the Go SDK succeed.
//
// Usage: node e2e/cosmos/launcher.js [--port N] [--disable a,b|all] [--exit-with-stdin]
//
// It listens on 127.0.0.1 only, over plain HTTP (azcosmos accepts an http
// endpoint with a key; the emulator ignores the key), and prints one line
// "cosmos emulator listening on http://127.0.0.1:PORT/" when ready. With
// --exit-with-stdin it exits when its standard input closes, so that a test
// process that dies never leaves it behind. --disable turns corrections
// off: the Go tests use it to prove that each correction is needed.
//
// Test-only control endpoint: POST /_parc/faults {"status":429,"count":2,
// "path":"/docs"} makes the next COUNT requests whose path contains PATH
// answer STATUS (a 429 carries x-ms-retry-after-ms: 10).
"use strict";

const path = require("path");

const lib = path.join(__dirname, "..", "node_modules", "@vercel", "cosmosdb-server", "lib");
const load = name => require(path.join(lib, name));

const CORRECTIONS = ["read", "query", "crossPartition", "batch", "patchCondition", "partitionKey"];

function parseArgs(argv) {
  const args = { port: 0, disabled: new Set(), exitWithStdin: false };
  for (let i = 0; i < argv.length; i += 1) {
    switch (argv[i]) {
      case "--port":
        args.port = parseInt(argv[(i += 1)], 10);
        break;
      case "--exit-with-stdin":
        args.exitWithStdin = true;
        break;
      case "--disable":
        for (const name of String(argv[(i += 1)] || "").split(",").filter(Boolean)) {
          if (name === "all") CORRECTIONS.forEach(c => args.disabled.add(c));
          else if (CORRECTIONS.includes(name)) args.disabled.add(name);
          else throw new Error(`unknown correction ${name}; known: ${CORRECTIONS.join(", ")}`);
        }
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

// ---- helpers shared by the corrections -------------------------------------

const json = load("json").default;
const ops = load("handler/_document-operations");
const { patchOperation } = load("handler/_patch-operations");

const NOT_FOUND = { code: "NotFound", message: "Entity with the specified id does not exist in the system." };

function badRequest(res, message, subStatus) {
  res.statusCode = 400;
  if (subStatus) res.setHeader("x-ms-substatus", String(subStatus));
  return { code: "BadRequest", message };
}

// partitionKeyHeader returns the partition key value of the request, or
// undefined when the request names none (a cross-partition request).
function partitionKeyHeader(req) {
  const raw = req.headers["x-ms-documentdb-partitionkey"];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (!header) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(header);
  } catch (err) {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  if (parsed.length === 1 && parsed[0] && typeof parsed[0] === "object" && !Object.keys(parsed[0]).length) {
    return undefined; // "[{}]": the SDKs' way of saying "no partition key"
  }
  return parsed[0];
}

// The emulator's own operations take the raw header string.
const headerString = value => JSON.stringify([value]);

function pkPath(collection) {
  const paths = ((collection.read() || {}).partitionKey || {}).paths || ["/id"];
  return paths[0].slice(1).split("/");
}

function pkOf(collection, doc) {
  return pkPath(collection).reduce((v, k) => (v == null ? undefined : v[k]), doc);
}

const samePK = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function findCollection(account, res, dbId, collId) {
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) {
    res.statusCode = 404;
    return undefined;
  }
  return collection;
}

// ---- corrections -----------------------------------------------------------

// read: ReadItem of a missing item, or with another partition's key, is 404
// (the emulator dereferences the missing document and answers 500).
function readDocument(account, req, res, { dbId, collId, docId }) {
  const collection = findCollection(account, res, dbId, collId);
  if (!collection) return NOT_FOUND;
  const pk = partitionKeyHeader(req);
  if (pk === undefined) {
    return badRequest(res, "A partition key is required to read a document.");
  }
  const doc = collection.document(docId, pk).read();
  if (!doc || doc.id !== docId || !samePK(pkOf(collection, doc), pk)) {
    res.statusCode = 404;
    return NOT_FOUND;
  }
  return doc;
}

// partitionKey: a write whose partition-key header differs from the
// document's own key is refused, as the real service does.
function checkWritePK(collection, req, res, body) {
  const pk = partitionKeyHeader(req);
  if (pk === undefined) return undefined;
  if (!body || typeof body !== "object" || !samePK(pkOf(collection, body), pk)) {
    return badRequest(res, "PartitionKey extracted from document doesn't match the one specified in the header.", 1001);
  }
  return undefined;
}

function writeHandler(operation, withIfMatch) {
  return async (account, req, res, { dbId, collId, docId }) => {
    const body = await json(req);
    const collection = findCollection(account, res, dbId, collId);
    if (!collection) return {};
    const refused = checkWritePK(collection, req, res, body);
    if (refused) return refused;
    if (docId !== undefined && body && body.id !== docId) {
      return badRequest(res, "The id in the body does not match the id in the URL.");
    }
    const input = { partitionKey: req.headers["x-ms-documentdb-partitionkey"], resourceBody: body };
    if (withIfMatch) input.ifMatch = req.headers["if-match"];
    const result = operation(collection, input);
    res.statusCode = result.statusCode;
    return result.body;
  };
}

// patchCondition: a conditional patch keeps the condition's case (the
// emulator lower-cases it, so 'Zoé' never matches and c.data.userId reads
// c.data.userid).
function conditionHolds(collection, doc, condition) {
  let where = condition.trim();
  const m = /^from\s+(\w+)\s+where\s+/i.exec(where);
  let alias = "c";
  if (m) {
    alias = m[1];
    where = where.slice(m[0].length);
  } else if (/^where\s+/i.test(where)) {
    where = where.replace(/^where\s+/i, "");
  } else {
    throw new Error("a patch condition reads FROM c WHERE ...");
  }
  const query = collection.documents._getQuery(`SELECT * FROM ${alias} WHERE ${where}`);
  return query.exec([doc], {}).result.length > 0;
}

function patchWithCondition(collection, input) {
  const { condition } = input;
  if (condition) {
    const pk = JSON.parse(input.partitionKey)[0];
    const doc = collection.document(input.id, pk).read();
    if (doc && (!input.ifMatch || input.ifMatch === doc._etag)) {
      let holds;
      try {
        holds = conditionHolds(collection, doc, condition);
      } catch (err) {
        return { statusCode: 400, body: { code: "BadRequest", message: `Invalid condition in patch request: ${err.message}` } };
      }
      if (!holds) {
        return { statusCode: 412, body: { code: "PreconditionFailed", message: "Condition specified in the patch request is not satisfied." } };
      }
    }
  }
  return patchOperation(collection, { ...input, condition: undefined });
}

async function patchDocument(account, req, res, { dbId, collId, docId }) {
  const body = await json(req);
  const collection = findCollection(account, res, dbId, collId);
  if (!collection) return {};
  const operations = Array.isArray(body) ? body : body && body.operations;
  if (!Array.isArray(operations)) return badRequest(res, "Invalid patch request: check syntax of patch specification.");
  if (partitionKeyHeader(req) === undefined) return badRequest(res, "A partition key is required to patch a document.");
  const result = patchWithCondition(collection, {
    id: docId,
    partitionKey: headerString(partitionKeyHeader(req)),
    ifMatch: req.headers["if-match"],
    operations,
    condition: Array.isArray(body) ? undefined : body.condition
  });
  res.statusCode = result.statusCode;
  return result.body;
}

// batch: a transactional batch runs with the partition key of its header
// (the Go SDK puts none on each operation), all or nothing. Success is 200
// with one result per operation; failure is 207 (what azcosmos v1.4.1 reads
// as Success=false) with the failing operation's status and 424 for every
// other one, and nothing applied. The emulator handles one request at a
// time and this code does not yield, so a snapshot of the container's maps
// restored on failure is a faithful rollback.
const MAX_BATCH_OPERATIONS = 100;

function snapshot(items) {
  return { data: new Map(items._data), index: new Map(items._index), ridCount: items._ridCount };
}

function restore(items, s) {
  items._data = s.data;
  items._index = s.index;
  items._ridCount = s.ridCount;
}

function runOperation(collection, op, pkHeader, pk) {
  const input = { ...op, partitionKey: pkHeader };
  const body = op.resourceBody;
  switch (op.operationType) {
    case "Create":
    case "Upsert":
    case "Replace":
      if (!body || typeof body !== "object" || !samePK(pkOf(collection, body), pk)) {
        return { statusCode: 400, body: { code: "BadRequest", message: "PartitionKey extracted from document doesn't match the batch's partition key." } };
      }
      if (op.operationType === "Replace" && op.id !== undefined && body.id !== op.id) {
        return { statusCode: 400, body: { code: "BadRequest", message: "The id of the replaced document does not match the operation's id." } };
      }
      if (op.operationType === "Create") return ops.createOperation(collection, input);
      if (op.operationType === "Upsert") return ops.upsertOperation(collection, input);
      return ops.replaceOperation(collection, input);
    case "Read":
      return ops.readOperation(collection, input);
    case "Delete":
      return ops.deleteOperation(collection, input);
    case "Patch": {
      const spec = body || {};
      const operations = Array.isArray(spec) ? spec : spec.operations;
      if (!Array.isArray(operations)) return { statusCode: 400, body: { code: "BadRequest", message: "Invalid patch operation." } };
      return patchWithCondition(collection, { id: op.id, partitionKey: pkHeader, ifMatch: op.ifMatch, operations, condition: spec.condition });
    }
    default:
      return undefined;
  }
}

async function batchDocuments(account, req, res, { dbId, collId }) {
  const body = await json(req);
  const collection = findCollection(account, res, dbId, collId);
  if (!collection) return {};
  if (!Array.isArray(body) || body.length === 0) return badRequest(res, "A batch needs at least one operation.");
  if (body.length > MAX_BATCH_OPERATIONS) return badRequest(res, `A batch holds at most ${MAX_BATCH_OPERATIONS} operations.`);
  const pk = partitionKeyHeader(req);
  if (pk === undefined) return badRequest(res, "A transactional batch needs a partition key header.");
  const pkHeader = headerString(pk);
  const minimal = /return=minimal/i.test(String(req.headers.prefer || ""));
  const items = collection.documents;
  const before = snapshot(items);
  const results = [];
  let failedAt = -1;
  for (let i = 0; i < body.length; i += 1) {
    const op = body[i] || {};
    let result;
    try {
      result = runOperation(collection, op, pkHeader, pk);
    } catch (err) {
      result = { statusCode: 400, body: { code: "BadRequest", message: err.message } };
    }
    if (!result) {
      restore(items, before);
      return badRequest(res, `Operation type '${op.operationType}' is not supported in a batch.`);
    }
    if (result.statusCode >= 400) {
      failedAt = i;
      results.push({ statusCode: result.statusCode, requestCharge: 1 });
      break;
    }
    const doc = result.body && result.body._etag ? result.body : undefined;
    const entry = { statusCode: result.statusCode, requestCharge: 1 };
    if (doc) entry.eTag = doc._etag;
    if (doc && (!minimal || op.operationType === "Read")) entry.resourceBody = doc;
    results.push(entry);
  }
  if (failedAt < 0) {
    res.statusCode = 200;
    return results;
  }
  restore(items, before);
  res.statusCode = 207;
  return body.map((_, i) => (i === failedAt ? results[i] : { statusCode: 424, requestCharge: 0 }));
}

// query: a query sent with a partition key sees that partition only.
// crossPartition: a query without one that needs the SDK's query engine
// (TOP, ORDER BY, aggregates, DISTINCT, GROUP BY, OFFSET/LIMIT) is refused
// as the gateway refuses it to azcosmos v1, which has no such engine.
function tokens(sql) {
  const out = [];
  const re = /\s+|--[^\n]*|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|@[A-Za-z0-9_]+|\d+(?:\.\d+)?|./gs;
  let m;
  while ((m = re.exec(sql))) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith("--")) continue;
    out.push(t);
  }
  return out;
}

const AGGREGATES = new Set(["COUNT", "SUM", "MIN", "MAX", "AVG"]);

function gatewayRefusal(sql) {
  const ts = tokens(sql);
  const word = i => (i >= 0 && i < ts.length && /^[A-Za-z_]/.test(ts[i]) && ts[i - 1] !== "." ? ts[i].toUpperCase() : "");
  let depth = 0;
  let inSelectList = false;
  for (let i = 0; i < ts.length; i += 1) {
    const w = word(i);
    if (ts[i] === "(") depth += 1;
    if (ts[i] === ")") depth -= 1;
    if (w === "SELECT" && depth === 0 && i === 0) inSelectList = true;
    if (w === "FROM" && depth === 0) inSelectList = false;
    if (w === "TOP" && (word(i - 1) === "SELECT" || word(i - 1) === "DISTINCT")) return "TOP";
    if (w === "ORDER" && word(i + 1) === "BY") return "ORDER BY";
    if (w === "GROUP" && word(i + 1) === "BY") return "GROUP BY";
    if (w === "DISTINCT") return "DISTINCT";
    if (w === "OFFSET" && depth === 0) return "OFFSET/LIMIT";
    if (inSelectList && depth === 0 && AGGREGATES.has(w) && ts[i + 1] === "(") return `aggregate ${w}`;
  }
  return undefined;
}

function makeQueryDocuments(original, disabled) {
  const readItems = load("handler/_read-items").default;
  const trueHeader = load("true-header").default;
  const parse = require(require.resolve("@zeit/cosmosdb-query", { paths: [lib] })).default;
  return async (account, req, res, params) => {
    const pk = partitionKeyHeader(req);
    if (pk !== undefined && disabled.has("query")) return original(account, req, res, params);
    if (pk === undefined && disabled.has("crossPartition")) return original(account, req, res, params);
    const body = (await json(req)) || {};
    if (typeof body.query !== "string" || !body.query) return badRequest(res, "missing query");
    if (pk === undefined) {
      const refused = gatewayRefusal(body.query);
      if (refused) {
        return badRequest(res, `The provided cross partition query can not be directly served by the gateway (${refused}); azcosmos has no query engine: give a partition key, or sort, limit and aggregate in the client.`, 1004);
      }
      const collection = account.database(params.dbId).collection(params.collId);
      const paths = ((collection.read() || {}).partitionKey || {}).paths || [];
      if (!trueHeader(req, "x-ms-documentdb-query-enablecrosspartition") && paths.length) {
        let scoped = false;
        try {
          scoped = parse(body.query).containsPartitionKeys(paths);
        } catch (err) {
          scoped = true; // let the query itself report its syntax error
        }
        if (!scoped) return badRequest(res, "Cross partition query is required but disabled.", 1004);
      }
    }
    return runQuery(account, req, res, params, readItems, body, pk);
  };
}

// runQuery is the emulator's query, over the documents of one partition
// when pk is given.
function runQuery(account, req, res, { dbId, collId }, readItems, body, pk) {
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const collection = account.database(dbId).collection(collId);
    if (!collection.read()) return null;
    const items = collection.documents;
    let docs = [...items._data.values()].map(item => item.read());
    if (pk !== undefined) docs = docs.filter(doc => samePK(pkOf(collection, doc), pk));
    const query = items._getQuery(body.query);
    try {
      return query.exec(docs, {
        parameters: body.parameters,
        udf: items._userDefinedFunctions(),
        maxItemCount,
        continuation,
        compositeIndexes: (collection.read().indexingPolicy || {}).compositeIndexes || []
      });
    } catch (err) {
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
  });
}

// ---- wiring ------------------------------------------------------------------

function install(disabled) {
  const replace = (name, make) => {
    const mod = load(`handler/${name}`);
    mod.default = make(mod.default);
  };
  if (!disabled.has("read")) replace("read-document", () => readDocument);
  if (!disabled.has("partitionKey")) {
    replace("create-document", () => writeHandler(ops.createOperation, false));
    replace("upsert-document", () => writeHandler(ops.upsertOperation, true));
    replace("replace-document", () => writeHandler(ops.replaceOperation, true));
  }
  if (!disabled.has("patchCondition")) replace("patch-document", () => patchDocument);
  if (!disabled.has("batch")) replace("batch-documents", () => batchDocuments);
  replace("query-documents", original => makeQueryDocuments(original, disabled));
}

function withFaults(server) {
  const [handle] = server.listeners("request");
  server.removeAllListeners("request");
  let fault = null;
  server.on("request", (req, res) => {
    if (req.method === "POST" && req.url === "/_parc/faults") {
      json(req).then(
        body => {
          fault = { status: body.status, count: body.count, path: body.path || "" };
          res.statusCode = 204;
          res.end();
        },
        () => {
          res.statusCode = 400;
          res.end();
        }
      );
      return;
    }
    if (fault && fault.count > 0 && req.url.includes(fault.path)) {
      fault.count -= 1;
      req.resume();
      res.statusCode = fault.status;
      res.setHeader("content-type", "application/json");
      res.setHeader("x-ms-request-charge", "0");
      if (fault.status === 429) res.setHeader("x-ms-retry-after-ms", "10");
      res.end(JSON.stringify({ code: String(fault.status), message: "fault injected by the Parc launcher" }));
      return;
    }
    handle(req, res);
  });
  return server;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  install(args.disabled);
  const { createHttpServer } = load("index");
  const server = withFaults(createHttpServer({ keepAlive: true }));
  server.keepAliveTimeout = 60000;
  server.listen(args.port, "127.0.0.1", () => {
    const { port } = server.address();
    const off = [...args.disabled].join(",") || "none";
    process.stdout.write(`cosmos emulator listening on http://127.0.0.1:${port}/ (corrections disabled: ${off})\n`);
  });
  if (args.exitWithStdin) {
    process.stdin.on("end", () => process.exit(0));
    process.stdin.on("error", () => process.exit(0));
    process.stdin.resume();
  }
  process.on("SIGTERM", () => process.exit(0));
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`launcher: ${err.message}\n`);
    process.exit(2);
  }
}

module.exports = { gatewayRefusal, tokens };
