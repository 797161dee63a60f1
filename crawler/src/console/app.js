// The nightjar console: a thin client of /api/v1. The token lives in sessionStorage (gone
// when the tab closes) and is sent as a bearer header; nothing is loaded from elsewhere.
// Archived pages are parsed inertly (DOMParser), stripped of scripts and of every resource
// URL, and shown in a sandboxed iframe without scripts; the console's CSP blocks any request
// to another origin as a second line of defence. Links in an archived page lead to that
// URL's timeline in the archive, never to the live web.
"use strict";

const $ = (sel) => document.querySelector(sel);
const view = () => $("#view");
const token = () => sessionStorage.getItem("nightjar-token");

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function reason() {
  return $("#reason").value.trim();
}

async function api(path, opts = {}) {
  const resp = await fetch(path, {
    ...opts,
    headers: { Authorization: `Bearer ${token()}`, ...(opts.headers || {}) },
  });
  if (resp.status === 401) {
    sessionStorage.removeItem("nightjar-token");
    showLogin("Your token was refused: log in again.");
    throw new Error("unauthorized");
  }
  if (!resp.ok) {
    let msg = `${resp.status}`;
    try { msg = (await resp.json()).error.message; } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  return resp;
}

function fail(e) {
  if (e.message !== "unauthorized") view().replaceChildren(el("p", { class: "error", role: "alert", text: e.message }));
}

function needReason() {
  if (reason()) return true;
  view().replaceChildren(el("p", { class: "error", role: "alert", text: "Enter a case number or reason (top right) first: viewing archived content is logged with it." }));
  $("#reason").focus();
  return false;
}

function showLogin(message) {
  $("#login").hidden = false;
  $("#logout").hidden = true;
  view().replaceChildren();
  $("#login-error").textContent = message || "";
  $("#token").focus();
}

function captureRow(c) {
  return el("tr", {},
    el("td", {}, el("a", { href: `#/capture/${c.id}`, text: String(c.id) })),
    el("td", { text: c.captured_at }),
    el("td", { text: c.error ? `error: ${c.error_class}` : String(c.status) }),
    el("td", { text: c.mime || "" }),
    el("td", { class: "url" }, el("a", { href: `#/url/${encodeURIComponent(c.url)}`, text: c.url })));
}

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })))), el("tbody", {}, ...rows));
}

async function search(params) {
  const q = params.get("q") || "";
  const form = el("form", { class: "inline", id: "search-form" },
    el("div", {}, el("label", { for: "q", text: "URL, URL prefix (ending in *) or host" }), el("input", { id: "q", name: "q", size: "60", value: q })),
    el("button", { type: "submit", text: "Search" }));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); location.hash = `#/search?q=${encodeURIComponent($("#q").value.trim())}`; });
  view().replaceChildren(el("h2", { text: "Search captures" }), form);
  if (!q) return;
  let filter;
  if (q.endsWith("*")) filter = `prefix=${encodeURIComponent(q.slice(0, -1))}`;
  else if (/^https?:\/\//.test(q)) filter = `url=${encodeURIComponent(q)}`;
  else filter = `host=${encodeURIComponent(q)}`;
  const r = reason() ? `&reason=${encodeURIComponent(reason())}` : "";
  const page = await (await api(`/api/v1/captures?${filter}&limit=200${r}`)).json();
  view().append(page.captures.length
    ? table(["ID", "Captured", "Status", "Type", "URL"], page.captures.map(captureRow))
    : el("p", { text: "No captures match." }));
}

async function timeline(url) {
  const r = reason() ? `&reason=${encodeURIComponent(reason())}` : "";
  const h = await (await api(`/api/v1/history?url=${encodeURIComponent(url)}${r}`)).json();
  const rows = h.history.map((c) => el("tr", {},
    el("td", {}, el("input", { type: "checkbox", name: "pick", value: String(c.capture_id), "aria-label": `pick capture ${c.capture_id}` })),
    el("td", {}, el("a", { href: `#/capture/${c.capture_id}`, text: String(c.capture_id) })),
    el("td", { text: c.captured_at }),
    el("td", { class: `class-${c.class}`, text: c.class }),
    el("td", { text: String(c.status) }),
    el("td", { text: c.similarity == null ? "" : `${Math.round(c.similarity * 100)}% alike` })));
  const diff = el("button", { type: "button", id: "diff-picked", text: "Diff the two picked" });
  diff.addEventListener("click", () => {
    const picked = [...document.querySelectorAll("input[name=pick]:checked")].map((i) => i.value);
    if (picked.length === 2) location.hash = `#/diff/${picked[0]}/${picked[1]}`;
  });
  view().replaceChildren(el("h2", { text: `Timeline of ${h.url}` }),
    table(["", "ID", "Captured", "Change", "Status", "Text"], rows), el("p", {}, diff));
}

// Turns an archived HTML page into an inert document: no scripts, no resource URLs, no
// refresh or base; links become links to their timeline in the archive.
function inert(html, pageUrl) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  // <template> content is invisible to querySelectorAll yet serialised (and a declarative
  // shadow root comes alive in the frame); SVG and MathML carry links of their own: all go.
  doc.querySelectorAll("template, script, noscript, iframe, frame, frameset, object, embed, applet, base, meta, link, video, audio, source, track, portal, svg, math, map, area")
    .forEach((n) => n.remove());
  doc.querySelectorAll("*").forEach((n) => {
    const isLink = n.namespaceURI === "http://www.w3.org/1999/xhtml" && n.localName === "a";
    for (const a of [...n.attributes]) {
      const name = a.name.toLowerCase();
      const resource = ["src", "srcset", "background", "poster", "action", "formaction", "ping", "style", "data", "codebase", "cite", "longdesc", "manifest", "xmlns:xlink"].includes(name);
      if (name.startsWith("on") || resource || name.includes("href") && !(isLink && name === "href")) {
        if (name === "src" && n.localName === "img") n.setAttribute("alt", n.getAttribute("alt") || "[image not shown]");
        n.removeAttribute(a.name);
      }
    }
  });
  doc.querySelectorAll("a[href]").forEach((a) => {
    let target;
    try { target = new URL(a.getAttribute("href"), pageUrl).href; } catch (_) { target = null; }
    a.removeAttribute("href");
    if (target && /^https?:/.test(target)) a.setAttribute("data-archived-url", target);
    a.setAttribute("title", target ? `archived captures of ${target}` : "");
  });
  return "<!doctype html>" + doc.documentElement.outerHTML;
}

async function capture(id) {
  const c = (await (await api(`/api/v1/captures/${id}?reason=${encodeURIComponent(reason())}`)).json()).capture;
  const facts = [["URL", c.url], ["Captured", c.captured_at], ["Status", c.error ? `error: ${c.error}` : c.status],
    ["Type", c.mime || ""], ["Payload digest", c.payload_digest || ""], ["Record", `${c.file || "-"} @ ${c.file_offset ?? "-"}`],
    ["WARC type", c.warc_type || ""], ["Seed", c.seed || ""]];
  const show = el("button", { type: "button", id: "show-page", text: "View the archived page" });
  const heads = el("button", { type: "button", id: "show-headers", text: "Response headers" });
  const out = el("div", { id: "archived" });
  const found = (await (await api(`/api/v1/captures/${id}/entities`)).json()).entities;
  const ents = found.length
    ? el("ul", { id: "capture-entities" }, ...found.map((e) => el("li", {}, `${e.kind} `, entityLink(e), ` (on ${e.hosts} hosts)`)))
    : el("p", { id: "capture-entities", text: "No entities found in this capture." });
  view().replaceChildren(el("h2", { text: `Capture ${c.id}` }),
    table(["", ""], facts.map(([k, v]) => el("tr", {}, el("th", { scope: "row", text: k }), el("td", { class: "url", text: String(v) })))),
    el("h3", { text: "Entities" }), ents,
    el("p", {}, el("a", { href: `#/url/${encodeURIComponent(c.url)}`, text: "Timeline of this URL" }), " ", show, " ", heads), out);
  heads.addEventListener("click", async () => {
    if (!needReason()) return;
    const h = await (await api(`/api/v1/captures/${id}/headers?reason=${encodeURIComponent(reason())}`)).text();
    out.replaceChildren(el("pre", { text: h }));
  });
  show.addEventListener("click", async () => {
    if (!needReason()) return;
    const body = await (await api(`/api/v1/captures/${id}/body?reason=${encodeURIComponent(reason())}`)).arrayBuffer();
    const text = new TextDecoder("utf-8").decode(body);
    const frame = el("iframe", { class: "archived", title: `archived page ${c.url}`, sandbox: "allow-same-origin" });
    if ((c.mime || "").includes("html")) frame.srcdoc = inert(text, c.url);
    else frame.srcdoc = `<pre>${text.replace(/[&<>]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" }[ch]))}</pre>`;
    frame.addEventListener("load", () => {
      frame.contentDocument.addEventListener("click", (ev) => {
        const a = ev.target.closest("a[data-archived-url]");
        if (a) { ev.preventDefault(); location.hash = `#/url/${encodeURIComponent(a.dataset.archivedUrl)}`; }
      });
    });
    out.replaceChildren(frame);
  });
}

// A snippet whose matches the API marks «like this», as text with <mark> elements.
function marked(snippet) {
  const p = el("p", { class: "snippet" });
  snippet.split(/(«[^»]*»)/).forEach((part) => {
    if (part.startsWith("«") && part.endsWith("»")) p.append(el("mark", { text: part.slice(1, -1) }));
    else if (part) p.append(part);
  });
  return p;
}

async function textSearch(params) {
  const q = params.get("q") || "";
  const form = el("form", { class: "inline", id: "text-form" },
    el("div", {}, el("label", { for: "tq", text: "Words, \"phrases\", AND, OR, NOT, prefix*" }), el("input", { id: "tq", name: "q", size: "60", value: q })),
    el("button", { type: "submit", text: "Search text" }));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); location.hash = `#/text?q=${encodeURIComponent($("#tq").value.trim())}`; });
  view().replaceChildren(el("h2", { text: "Search the archived text" }), form);
  if (!q) return;
  const r = await (await api(`/api/v1/search?q=${encodeURIComponent(q)}&limit=100`)).json();
  if (!r.results.length) { view().append(el("p", { text: "No archived page matches." })); return; }
  const list = el("ol", { id: "text-results" });
  for (const hit of r.results) {
    list.append(el("li", {},
      el("a", { href: `#/url/${encodeURIComponent(hit.url)}`, class: "url", text: hit.url }),
      marked(hit.snippet),
      el("p", {}, "Captures: ", ...hit.captures.slice(0, 10).flatMap((c, i) => [i ? ", " : "",
        el("a", { href: `#/capture/${c.capture_id}`, text: `${c.captured_at} (${c.capture_id})` })]))));
  }
  view().append(list);
}

function entityLink(e) {
  return el("a", { href: `#/entity/${encodeURIComponent(e.value)}?kind=${e.kind}`, text: e.value });
}

async function entities(params) {
  const kind = params.get("kind") || "";
  const shared = params.get("shared") === "true";
  const kinds = ["", "btc", "eth", "xmr", "ltc", "bch", "trx", "pgp", "iban", "email", "phone", "onion", "handle"];
  const select = el("select", { id: "entity-kind", name: "kind" }, ...kinds.map((k) => {
    const o = el("option", { value: k, text: k || "every kind" });
    if (k === kind) o.selected = true;
    return o;
  }));
  const box = el("input", { type: "checkbox", id: "entity-shared" });
  box.checked = shared;
  const form = el("form", { class: "inline", id: "entities-form" },
    el("div", {}, el("label", { for: "entity-kind", text: "Kind" }), select),
    el("div", {}, box, el("label", { for: "entity-shared", text: " only those seen on several hosts" })),
    el("button", { type: "submit", text: "List" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#/entities?kind=${select.value}&shared=${box.checked}`;
  });
  const q = `${kind ? `kind=${kind}&` : ""}${shared ? "shared=true&" : ""}limit=500`;
  const r = await (await api(`/api/v1/entities?${q}`)).json();
  view().replaceChildren(el("h2", { text: "Entities found in the archive" }), form,
    r.entities.length ? table(["Kind", "Value", "First seen", "Last seen", "Captures", "Hosts"], r.entities.map((e) => el("tr", {},
      el("td", { text: e.kind }), el("td", { class: "url" }, entityLink(e)), el("td", { text: e.first_seen }),
      el("td", { text: e.last_seen }), el("td", { text: String(e.captures) }), el("td", { text: String(e.hosts) }))))
      : el("p", { text: "No entities match." }));
}

async function entity(value, params) {
  const kind = params.get("kind");
  const r = await (await api(`/api/v1/entity?value=${encodeURIComponent(value)}${kind ? `&kind=${kind}` : ""}&limit=500`)).json();
  const e = r.entity;
  const flags = (f) => [f & 2 ? "deobfuscated" : "", f & 1 ? "unchecksummed" : ""].filter(Boolean).join(", ");
  view().replaceChildren(el("h2", { text: `${e.kind} ${e.value}` }),
    el("p", { id: "entity-summary", text: `First seen ${e.first_seen}, last seen ${e.last_seen}, in ${e.captures} captures on ${e.hosts} hosts.` }),
    ...(e.detail ? [el("pre", { text: e.detail })] : []),
    el("h3", { text: "Hosts" }),
    table(["Host", "First seen", "Last seen", "Captures"], r.hosts.map((h) => el("tr", {},
      el("td", { class: "url", text: h.host }), el("td", { text: h.first_seen }), el("td", { text: h.last_seen }), el("td", { text: String(h.captures) })))),
    el("h3", { text: "Where and when" }),
    el("table", { id: "entity-timeline" }, el("tbody", {}, ...r.timeline.map((s) => el("tr", {},
      el("td", { text: s.seen_at }), el("td", {}, el("a", { href: `#/capture/${s.capture_id}`, text: String(s.capture_id) })),
      el("td", { class: "url" }, el("a", { href: `#/url/${encodeURIComponent(s.url)}`, text: s.url })),
      el("td", { text: s.seed || "" }), el("td", { text: flags(s.flags) }))))));
}

async function alerts() {
  const w = await (await api("/api/v1/watches")).json();
  const a = await (await api("/api/v1/alerts?limit=200")).json();
  view().replaceChildren(el("h2", { text: "Watches" }),
    w.watches.length ? table(["Name", "Rule", "Pattern", "Seed", "Host"], w.watches.map((x) => el("tr", {},
      ...[x.name, x.rule, x.pattern, x.seed || "", x.host || ""].map((v) => el("td", { class: "url", text: v })))))
      : el("p", { text: "No watches (nightjar watch add)." }),
    el("h2", { text: "Alerts" }),
    a.alerts.length ? table(["Raised", "Watch", "Capture", "URL", "Matched", "Delivery"], a.alerts.map((x) => el("tr", {},
      el("td", { text: x.raised_at }), el("td", { text: x.watch }),
      el("td", {}, el("a", { href: `#/capture/${x.capture_id}`, text: String(x.capture_id) })),
      el("td", { class: "url" }, el("a", { href: `#/url/${encodeURIComponent(x.url)}`, text: x.url })),
      el("td", { class: "url", text: x.matched }),
      el("td", { text: x.gave_up ? `given up: ${x.last_error}` : x.last_error && !x.webhook_at && !x.command_at ? `waiting: ${x.last_error}` : "delivered" }))))
      : el("p", { text: "No alerts yet." }));
}

async function diff(a, b) {
  const d = await (await api(`/api/v1/diff?a=${a}&b=${b}&reason=${encodeURIComponent(reason())}`)).json();
  const pre = el("pre", { class: "diff", id: "diff-text" });
  for (const line of (d.text_diff || "(same visible text)").split("\n")) {
    const cls = line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : "";
    pre.append(el("span", cls ? { class: cls, text: line + "\n" } : { text: line + "\n" }));
  }
  const list = (title, items) => el("div", {}, el("h3", { text: title }), items.length ? el("ul", {}, ...items.map((i) => el("li", { text: i }))) : el("p", { text: "none" }));
  view().replaceChildren(el("h2", { text: `Capture ${a} → ${b}` }),
    el("p", { text: `${d.a.url} (${d.a.captured_at}) → ${d.b.url} (${d.b.captured_at}); ${d.same_payload ? "same payload" : "payloads differ"}` }),
    pre, list("Links added", d.links_added), list("Links removed", d.links_removed),
    list("Headers changed", d.headers.map((h) => `${h.name}: ${h.before ?? "∅"} → ${h.after ?? "∅"}`)));
}

async function changes() {
  const c = await (await api("/api/v1/changes?since=7d&limit=200")).json();
  view().replaceChildren(el("h2", { text: "Changes in the last 7 days" }), table(["Captured", "Change", "Status", "URL"],
    c.changes.map((x) => el("tr", {}, el("td", { text: x.captured_at }), el("td", { class: `class-${x.class}`, text: x.class }),
      el("td", { text: String(x.status) }), el("td", { class: "url" }, el("a", { href: `#/url/${encodeURIComponent(x.url)}`, text: x.url }))))));
}

async function exportForm() {
  const form = el("form", { id: "export-form" },
    el("label", { for: "export-url", text: "Every capture of this URL" }), el("input", { id: "export-url", size: "60" }),
    el("label", { for: "export-case", text: "Case" }), el("input", { id: "export-case", required: "" }),
    el("label", { for: "export-reason", text: "Reason (recorded in the package)" }), el("input", { id: "export-reason", size: "60", required: "" }),
    el("p", {}, el("button", { type: "submit", text: "Export" })));
  const status = el("div", { id: "export-status", role: "status" });
  view().replaceChildren(el("h2", { text: "Export evidence (signed WACZ)" }), form, status);
  $("#export-reason").value = reason();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const job = await (await api("/api/v1/exports", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: $("#export-url").value.trim(), case: $("#export-case").value.trim(), reason: $("#export-reason").value.trim() }) })).json();
      status.textContent = `Export ${job.id} running…`;
      for (let i = 0; i < 300; i++) {
        const s = await (await api(`/api/v1/exports/${job.id}`)).json();
        if (s.state === "failed") { status.textContent = `Export ${job.id} failed: ${s.error}`; return; }
        if (s.state === "done") {
          const blob = await (await api(s.download)).blob();
          const a = el("a", { href: URL.createObjectURL(blob), download: `export-${job.id}.wacz`, id: "export-download", text: `Download export-${job.id}.wacz (${s.bytes} bytes, ${s.captures} captures)` });
          status.replaceChildren(a);
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (e) { status.textContent = e.message; }
  });
}

async function seeds() {
  const s = await (await api("/api/v1/seeds")).json();
  view().replaceChildren(el("h2", { text: "Seeds" }), table(["Label", "State", "URL", "Recrawl (s)", "File"],
    s.seeds.map((x) => el("tr", {}, el("td", { text: x.label }), el("td", { text: x.enabled ? (x.crawled ? "crawled" : "enabled") : "disabled" }),
      el("td", { class: "url", text: x.url }), el("td", { text: String(x.recrawl_secs ?? "never") }), el("td", { text: x.file || "" })))),
    ...s.problems.map((p) => el("p", { class: "error", text: p })));
}

async function audit() {
  const v = await (await api("/api/v1/audit/verify")).json();
  const a = await (await api("/api/v1/audit?limit=500")).json();
  view().replaceChildren(el("h2", { text: "Audit log" }),
    el("p", { id: "audit-verdict", text: `${v.ok ? "Chain verified" : "CHAIN BROKEN"}: ${v.entries} entries, head ${v.head}` }),
    ...v.findings.map((f) => el("p", { class: "error", text: f })),
    table(["#", "When", "Who", "Role", "Action", "Target", "Reason", "Result"], a.entries.map((e) => el("tr", {},
      ...[e.seq, e.at, e.actor, e.role, e.action, e.target, e.reason, e.result].map((x) => el("td", { class: "url", text: String(x) }))))));
}

// Tasks: a seed's session needs a person. The CAPTCHA image comes from the archive (the
// image nightjar fetched on the session's circuit), never from the site; the answer goes to
// the daemon, which sends the login on that circuit.
async function tasks() {
  const t = await (await api("/api/v1/tasks")).json();
  const open = t.tasks.filter((x) => x.state === "open");
  const rows = await Promise.all(open.map(taskCard));
  const closed = t.tasks.filter((x) => x.state !== "open");
  view().replaceChildren(el("h2", { text: "Tasks" }),
    open.length ? el("div", { id: "open-tasks" }, ...rows) : el("p", { id: "no-tasks", text: "No task waits for a person." }),
    el("h3", { text: "Earlier tasks" }),
    table(["Task", "Seed", "Kind", "State", "By", "Raised"], closed.map((x) => el("tr", {},
      ...[x.id, x.seed, x.kind, x.state, x.by || "", x.raised].map((v) => el("td", { class: "url", text: v }))))));
}

async function taskCard(t) {
  const card = el("article", { class: "task", id: `task-${t.id}` },
    el("h3", { text: `Site ${t.seed} needs a login (account ${t.account})` }),
    el("p", { text: `${t.why}. Raised ${t.raised}; expires ${t.expires}.` }));
  const status = el("p", { class: "task-status", role: "status" });
  const send = async (body) => {
    try {
      const r = await (await api(`/api/v1/tasks/${encodeURIComponent(t.id)}/answer`, { method: "POST",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
      status.textContent = `Task ${r.id}: ${r.state}. The crawl resumes once the login is taken.`;
    } catch (e) { status.textContent = e.message; }
  };
  if (t.answers.includes("captcha")) {
    const img = el("img", { class: "captcha", alt: "The CAPTCHA as archived" });
    try {
      const blob = await (await api(`/api/v1/tasks/${encodeURIComponent(t.id)}/captcha`)).blob();
      img.src = URL.createObjectURL(blob);
    } catch (e) { status.textContent = e.message; }
    const input = el("input", { id: `captcha-${t.id}`, name: "captcha", autocomplete: "off", required: "" });
    const form = el("form", { class: "inline captcha-form" }, img,
      el("label", { for: `captcha-${t.id}`, text: "Answer" }), input, el("button", { type: "submit", text: "Send the login" }));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); send({ captcha: input.value }); });
    card.append(form);
  }
  if (t.answers.includes("cookies")) {
    const area = el("textarea", { id: `cookies-${t.id}`, rows: "3", cols: "60", autocomplete: "off" });
    const form = el("form", { class: "cookies-form" }, el("label", { for: `cookies-${t.id}`, text: "Or paste fresh cookies (cookies.txt or JSON)" }), area,
      el("button", { type: "submit", text: "Use these cookies" }));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); send({ cookies: area.value }); area.value = ""; });
    card.append(form);
  }
  const buttons = el("p", {});
  if (t.answers.includes("retry")) {
    const retry = el("button", { type: "button", text: "Log in again" });
    retry.addEventListener("click", () => send({ retry: true }));
    buttons.append(retry, " ");
  }
  const skip = el("button", { type: "button", class: "skip", text: "Skip (the seed stays paused)" });
  skip.addEventListener("click", async () => {
    try {
      const r = await (await api(`/api/v1/tasks/${encodeURIComponent(t.id)}/skip`, { method: "POST" })).json();
      status.textContent = `Task ${r.id}: ${r.state}.`;
    } catch (e) { status.textContent = e.message; }
  });
  buttons.append(skip);
  card.append(buttons, status);
  return card;
}

// Navigations render one after another, so a slow older one never overwrites a newer one.
let rendering = Promise.resolve();

function route() {
  rendering = rendering.then(render, render);
  return rendering;
}

async function render() {
  if (!token()) return showLogin();
  $("#login").hidden = true;
  $("#logout").hidden = false;
  const [path, query] = location.hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean);
  const params = new URLSearchParams(query || "");
  try {
    if (parts[0] === "url" && parts[1]) await timeline(decodeURIComponent(parts.slice(1).join("/")));
    else if (parts[0] === "capture" && parts[1]) { if (needReason()) await capture(parts[1]); }
    else if (parts[0] === "diff" && parts[2]) { if (needReason()) await diff(parts[1], parts[2]); }
    else if (parts[0] === "changes") await changes();
    else if (parts[0] === "text") await textSearch(params);
    else if (parts[0] === "entities") await entities(params);
    else if (parts[0] === "entity" && parts[1]) await entity(decodeURIComponent(parts.slice(1).join("/")), params);
    else if (parts[0] === "alerts") await alerts();
    else if (parts[0] === "export") await exportForm();
    else if (parts[0] === "seeds") await seeds();
    else if (parts[0] === "tasks") await tasks();
    else if (parts[0] === "audit") await audit();
    else await search(params);
  } catch (e) { fail(e); }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#reason").value = sessionStorage.getItem("nightjar-reason") || "";
  $("#reason").addEventListener("change", () => sessionStorage.setItem("nightjar-reason", reason()));
  $("#reason-form").addEventListener("submit", (ev) => { ev.preventDefault(); sessionStorage.setItem("nightjar-reason", reason()); route(); });
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("nightjar-token", $("#token").value.trim());
    const ok = await fetch("/api/v1/status", { headers: { Authorization: `Bearer ${token()}` } });
    if (ok.status === 401) { sessionStorage.removeItem("nightjar-token"); return showLogin("That token was refused."); }
    $("#token").value = "";
    route();
  });
  $("#logout").addEventListener("click", () => { sessionStorage.removeItem("nightjar-token"); showLogin(); });
  window.addEventListener("hashchange", route);
  route();
});
