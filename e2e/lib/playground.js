// A client for the Agents Playground 0.2.28's own HTTP API, the one its web UI
// calls. The request shapes are documented at the top of harness.js.
"use strict";

class PlaygroundClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  async request(method, path, body) {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Playground ${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  testConfig() {
    return this.request("GET", "/_internal/v1/testConfig");
  }

  sendMessage(conversationId, { fromId, text, mentions }) {
    const body = { from: { id: fromId }, text, textFormat: "plain" };
    if (mentions && mentions.length) body.mentions = mentions;
    return this.request("POST", `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body);
  }

  invoke({ fromId, conversationId, replyToId, value, name = "adaptiveCard/action" }) {
    return this.request("POST", "/_conversation/v1/invoke", { name, value, from: { id: fromId }, conversation: { id: conversationId }, replyToId });
  }

  submit({ fromId, conversationId, replyToId, value }) {
    return this.request("POST", "/_conversation/v1/submit", { from: { id: fromId }, conversation: { id: conversationId }, replyToId, value });
  }

  customActivity(activity) {
    return this.request("POST", "/_internal/v1/customActivities", activity);
  }

  template(conversationId, type) {
    const q = new URLSearchParams({ conversationId });
    if (type) q.set("type", type);
    return this.request("GET", `/_internal/v1/customActivities/template?${q}`);
  }

  install(conversationId) {
    return this.request("POST", `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
  }
}

module.exports = { PlaygroundClient };
