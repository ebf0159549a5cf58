#!/usr/bin/env node
// Validates a Teams app manifest against the official JSON schema of its
// manifestVersion, as bundled in npm @microsoft/app-manifest, without the
// network.
//
//   node e2e/tools/validate-manifest.js path/to/manifest.json
//
// Prints one JSON object on stdout:
//   {"ok": true|false, "manifestVersion": "1.30", "schemaFile": "...",
//    "fsExtra": "package"|"stand-in", "errors": [...]}
// and exits 0 when the manifest is valid, 1 when it is not, 2 when it could
// not be checked (unreadable file, package missing, schema not bundled).
//
// The package is found next to this script (e2e/node_modules) or in the
// folder named by PARC_NODE_MODULES.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function finish(code, result) {
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  process.exit(code);
}

function fail(message) {
  finish(2, { ok: false, errors: [message] });
}

// @microsoft/app-manifest 1.1.2 requires fs-extra at run time but lists it
// only among its devDependencies, so `npm ci` may not install it. When it is
// missing, the library gets this stand-in with the two functions schema
// validation uses, with fs-extra's meaning; a toolbox that pins fs-extra
// uses the real one.
function provideFsExtra(fromDir) {
  const req = createRequire(path.join(fromDir, "noop.js"));
  try {
    req.resolve("fs-extra");
    return "package";
  } catch {
    // fall through to the stand-in
  }
  const id = path.join(__dirname, "fs-extra.stand-in.js");
  const standIn = {
    pathExists: (p) => fs.promises.access(p).then(() => true, () => false),
    readFile: (p, ...rest) => fs.promises.readFile(p, ...rest),
    readFileSync: fs.readFileSync,
  };
  const Module = require("module");
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === "fs-extra" ? id : resolve.call(this, request, ...rest);
  };
  require.cache[id] = Object.assign(new Module(id), { filename: id, loaded: true, exports: standIn });
  return "stand-in";
}

// packageRequire loads packages from PARC_NODE_MODULES when it is set, else
// through Node's usual lookup from this script's folder (e2e/node_modules).
function packageRequire() {
  const dir = process.env.PARC_NODE_MODULES;
  return dir ? createRequire(path.join(path.resolve(dir), "noop.js")) : require;
}

async function main() {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    fail("usage: node validate-manifest.js MANIFEST.json");
  }

  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch (e) {
    fail(`${file}: ${e.message}`);
  }

  // Nothing may be downloaded: a schema the package does not bundle is an
  // error, not a fetch. The library falls back to fetch() when it finds no
  // local file, so any call here means the check did not use the bundle.
  const fetched = [];
  globalThis.fetch = async (url) => {
    fetched.push(String(url));
    throw new Error(`network disabled: refused to fetch ${url}`);
  };

  let lib, fse, pkgDir, fsExtra;
  try {
    const req = packageRequire();
    pkgDir = path.dirname(req.resolve("@microsoft/app-manifest/package.json"));
    fsExtra = provideFsExtra(path.join(pkgDir, "build"));
    lib = req("@microsoft/app-manifest");
    // The library reads schemas through fs-extra; the same module instance
    // (the require cache is shared) lets us see which file it read.
    fse = createRequire(path.join(pkgDir, "build", "index.js"))("fs-extra");
  } catch (e) {
    fail(`cannot load @microsoft/app-manifest: ${e.message} (run \`npm ci --prefix e2e\` first)`);
  }
  const { AppManifestUtils } = lib;

  const version = manifest.manifestVersion;
  if (typeof version !== "string" || !/^1\.\d+$/.test(version)) {
    finish(1, { ok: false, manifestVersion: version, errors: [`/manifestVersion ${JSON.stringify(version)} is not a released schema version like "1.30"`] });
  }
  const expectedFile = path.join(pkgDir, "build", "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json");
  if (!fs.existsSync(expectedFile)) {
    fail(`schema v${version} is not bundled in @microsoft/app-manifest (${expectedFile} is missing)`);
  }
  // $schema must name the schema of manifestVersion: Teams reads one, editors the other.
  const suffix = AppManifestUtils.getLocalSchemaSuffix(String(manifest.$schema || ""));
  const expectedSuffix = `json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
  if (suffix !== expectedSuffix) {
    finish(1, {
      ok: false,
      manifestVersion: version,
      errors: [`/$schema ${JSON.stringify(manifest.$schema)} is not the schema of manifestVersion ${version} (https://developer.microsoft.com/${expectedSuffix})`],
    });
  }

  const read = [];
  const readFile = fse.readFile;
  fse.readFile = function (p, ...rest) {
    read.push(path.resolve(String(p)));
    return readFile.call(this, p, ...rest);
  };

  let errors;
  try {
    errors = await AppManifestUtils.validateAgainstSchema(manifest);
  } catch (e) {
    fail(`validation could not run: ${e.message}`);
  } finally {
    fse.readFile = readFile;
  }

  const schemaFile = read.find((p) => p.endsWith("MicrosoftTeams.schema.json"));
  if (fetched.length > 0 || schemaFile !== path.resolve(expectedFile)) {
    fail(`the schema did not come from the bundled ${expectedFile} (read: ${JSON.stringify(read)}, fetched: ${JSON.stringify(fetched)})`);
  }
  finish(errors.length === 0 ? 0 : 1, { ok: errors.length === 0, manifestVersion: version, schemaFile, fsExtra, errors });
}

main().catch((e) => fail(`unexpected: ${e && e.stack ? e.stack : e}`));
