// Preloaded (node -r) into the Agents Playground: it listens on every
// interface and has no option to choose the host. Any listen() that names
// no host, or a wildcard one (0.0.0.0, ::), binds 127.0.0.1 instead, so that
// nothing the suite starts is reachable from the network. Unix sockets,
// handles and explicit hosts are left alone.
"use strict";

const net = require("node:net");

const LOOPBACK = "127.0.0.1";
const WILDCARD = new Set(["", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"]);

function isPort(v) {
  return typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v));
}

function loopbackArgs(args) {
  const [first, second] = args;
  if (args.length === 0 || first === undefined || first === null || typeof first === "function") {
    return [0, LOOPBACK, ...args.slice(first === undefined || first === null ? 1 : 0)];
  }
  if (isPort(first)) {
    if (typeof second === "string") {
      return WILDCARD.has(second) ? [first, LOOPBACK, ...args.slice(2)] : args;
    }
    return [first, LOOPBACK, ...args.slice(1)];
  }
  if (typeof first === "object" && !first._handle && first.fd === undefined && first.path === undefined) {
    if (first.host === undefined || WILDCARD.has(String(first.host))) {
      return [{ ...first, host: LOOPBACK }, ...args.slice(1)];
    }
  }
  return args;
}

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  return listen.apply(this, loopbackArgs(args));
};

module.exports = { loopbackArgs };
