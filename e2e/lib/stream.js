// The Playground's conversation stream: the WebSocket its web UI reads
// (/_ws_conversation/v1/conversations/stream). Every message the bot posts or
// updates through the Playground's connector arrives here as
//   {action: "createMessage" | "updateMessage" | "typing",
//    actionConversationId, message: {messageId, from, text, attachments,
//    postConversationId?, ...}}
// broadcast to every connected client. The Playground buffers events while no
// client is connected and hands them all to the first one that connects, so
// the harness connects before anything is sent.
"use strict";

const WebSocket = require("ws");

class Stream {
  constructor(url) {
    this.url = url;
    this.events = [];
    this.waiters = new Set();
    this.consumed = new Set();
    this.closed = false;
  }

  open(timeout = 10000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      const timer = setTimeout(() => { ws.terminate(); reject(new Error(`stream ${this.url} did not open in ${timeout} ms`)); }, timeout);
      ws.once("open", () => { clearTimeout(timer); resolve(); });
      ws.once("error", (e) => { clearTimeout(timer); reject(e); });
      ws.on("message", (data) => this.push(JSON.parse(String(data))));
      ws.on("close", () => {
        this.closed = true;
        for (const w of this.waiters) w.check();
      });
      this.ws = ws;
    });
  }

  push(ev) {
    const e = { seq: this.events.length, at: Date.now(), action: ev.action, conversationId: ev.actionConversationId, message: ev.message || null, raw: ev };
    this.events.push(e);
    for (const w of [...this.waiters]) w.check();
  }

  /** mark is the position after the last event so far. */
  mark() {
    return this.events.length;
  }

  /** unread lists events matching pred that nobody consumed yet. */
  unread(pred, since = 0) {
    return this.events.slice(since).filter((e) => !this.consumed.has(e.seq) && pred(e));
  }

  /**
   * take waits for the first unconsumed event after `since` matching pred,
   * marks it consumed and returns it.
   */
  take(pred, { since = 0, timeout = 10000, what = "an event" } = {}) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const e = this.events.slice(since).find((x) => !this.consumed.has(x.seq) && pred(x));
          if (e) {
            this.consumed.add(e.seq);
            done();
            resolve(e);
          } else if (this.closed) {
            done();
            reject(new Error(`stream closed while waiting for ${what}`));
          }
        },
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}; stream so far:\n${this.describe(since)}`));
      }, timeout);
      const done = () => { clearTimeout(timer); this.waiters.delete(waiter); };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  describe(since = 0) {
    const lines = this.events.slice(since).map((e) => {
      const m = e.message || {};
      const card = (m.attachments || [])[0];
      const title = card && card.content && card.content.body && card.content.body[0] ? card.content.body[0].text : m.text;
      return `  #${e.seq} ${e.action} in ${e.conversationId} id=${m.messageId ?? "-"}${m.postConversationId ? ` post=${m.postConversationId}` : ""}: ${title ?? ""}`;
    });
    return lines.length ? lines.join("\n") : "  (nothing)";
  }

  close() {
    if (this.ws) this.ws.terminate();
  }
}

module.exports = { Stream };
