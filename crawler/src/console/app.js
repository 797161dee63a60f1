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
    let field = null;
    try { ({ message: msg, field = null } = (await resp.json()).error); } catch (_) { /* not JSON */ }
    const e = new Error(msg);
    e.field = field;
    throw e;
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

// `headers` are names, or [name, class] pairs: the class sets the column's width (app.css).
function table(headers, rows, attrs = {}) {
  return el("table", attrs, el("thead", {}, el("tr", {}, ...headers.map((h) => {
    const [name, cls] = Array.isArray(h) ? h : [h, ""];
    return el("th", cls ? { scope: "col", class: cls, text: name } : { scope: "col", text: name });
  }))), el("tbody", {}, ...rows));
}

// Rows per request of every list. Lists page to their end: nothing is cut off.
const PAGE = 100;

// A list the API serves in pages: the first page at once, then one more each time "Show
// more" is pressed, until the API's next cursor is null, the end of the list.
// `fetchPage(cursor)` returns { rows: [elements], next }; the rows go into `body`.
async function paged(body, fetchPage) {
  const status = el("p", { class: "list-status", role: "status" });
  const more = el("button", { type: "button", class: "more", text: `Show ${PAGE} more` });
  let cursor = null;
  let shown = 0;
  const load = async () => {
    more.disabled = true;
    const page = await fetchPage(cursor);
    body.append(...page.rows);
    shown += page.rows.length;
    cursor = page.next ?? null;
    more.hidden = cursor === null;
    more.disabled = false;
    status.textContent = cursor === null ? `${shown} shown: the whole list.` : `${shown} shown; more follow.`;
  };
  more.addEventListener("click", () => load().catch((e) => { status.textContent = e.message; more.disabled = false; }));
  await load();
  return el("div", { class: "pager" }, status, more);
}

// A <select> of [value, text] options with `value` chosen.
function selectEl(id, name, options, value) {
  return el("select", { id, name }, ...options.map(([v, t]) => {
    const o = el("option", { value: v, text: t });
    if (v === value) o.selected = true;
    return o;
  }));
}

// The filters the API offers for a list, as a form whose values live in the view's address
// (#/view?name=value…), so that a filtered list can be reloaded, bookmarked and shared.
// Each field: { name, label, id?, type? ("text", "number", "select", "checks"), options?,
// size?, placeholder?, fallback? (used when the address has none) }.
function filterForm(id, viewName, fields, params, submitText = "Apply") {
  const form = el("form", { class: "inline filters", id });
  for (const f of fields) {
    const fid = f.id || `${id}-${f.name}`;
    const value = params.get(f.name) ?? f.fallback ?? "";
    if (f.type === "checks") {
      const chosen = value.split(",").filter(Boolean);
      form.append(el("fieldset", { id: fid, class: "checks" }, el("legend", { text: f.label }),
        ...f.options.map((v) => {
          const box = el("input", { type: "checkbox", name: f.name, value: v, id: `${fid}-${v}` });
          box.checked = chosen.includes(v);
          return el("span", { class: "check" }, box, el("label", { for: `${fid}-${v}`, text: v }));
        })));
      continue;
    }
    let input;
    if (f.type === "select") {
      input = selectEl(fid, f.name, f.options, value);
    } else {
      input = el("input", { id: fid, name: f.name, type: f.type || "text", size: String(f.size || 12), value, placeholder: f.placeholder || "" });
    }
    form.append(el("div", {}, el("label", { for: fid, text: f.label }), input));
  }
  form.append(el("button", { type: "submit", text: submitText }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const f of fields) {
      const v = f.type === "checks"
        ? [...form.querySelectorAll(`input[name="${f.name}"]:checked`)].map((b) => b.value).join(",")
        : form.elements[f.name].value.trim();
      // An emptied field that has a fallback is sent empty, so that the fallback does not
      // come back.
      if (v || f.fallback) q.set(f.name, v);
    }
    location.hash = `#/${viewName}?${q}`;
  });
  return form;
}

// The API query for the filters of `names` that are set in `params`.
function apiFilters(params, names) {
  return names.filter((n) => params.get(n)).map((n) => `${n}=${encodeURIComponent(params.get(n))}`).join("&");
}

const TIME_FIELDS = [
  { name: "since", label: "Since (24h, 7d, 2026-11-01)", size: 14 },
  { name: "until", label: "Until", size: 14 },
];

async function search(params) {
  const q = params.get("q") || "";
  const form = filterForm("search-form", "search", [
    { name: "q", id: "q", label: "URL, URL prefix (ending in *) or host", size: 50 },
    ...TIME_FIELDS,
    { name: "status", label: "Status", type: "number", size: 5 },
    { name: "mime", label: "Type (text/html)", size: 12 },
  ], params, "Search");
  view().replaceChildren(el("h2", { text: "Search captures" }), form);
  if (!q) return;
  let filter;
  if (q.endsWith("*")) filter = `prefix=${encodeURIComponent(q.slice(0, -1))}`;
  else if (/^https?:\/\//.test(q)) filter = `url=${encodeURIComponent(q)}`;
  else filter = `host=${encodeURIComponent(q)}`;
  const more = apiFilters(params, ["since", "until", "status", "mime"]);
  const r = reason() ? `&reason=${encodeURIComponent(reason())}` : "";
  const t = table([["ID", "num"], ["Captured", "time"], ["Status", "num"], ["Type", "mime"], "URL"], [], { id: "capture-list" });
  const pager = await paged(t.tBodies[0], async (cursor) => {
    const page = await (await api(`/api/v1/captures?${filter}${more ? `&${more}` : ""}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}${r}`)).json();
    return { rows: page.captures.map(captureRow), next: page.next_cursor };
  });
  view().append(t.tBodies[0].rows.length ? t : el("p", { text: "No captures match." }), pager);
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

// An archived style sheet without anything that loads: parsed by the browser's own CSS
// parser (so escapes such as `u\rl(` are read as the browser would read them), without
// @import (a constructed sheet drops it) and @font-face, and without every declaration whose
// value names a resource (url(), image-set(), image(), src()). The console's CSP would block
// those loads anyway; this is the second line of defence.
function inertCss(text) {
  const sheet = new CSSStyleSheet();
  try { sheet.replaceSync(text); } catch (_) { return ""; }
  const loads = /url\(|image-set\(|image\(|src\(|@import/i;
  const clean = (list, remove) => {
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (r instanceof CSSImportRule || r instanceof CSSFontFaceRule) { remove(i); continue; }
      if (r.style) {
        for (const p of [...r.style]) if (loads.test(r.style.getPropertyValue(p))) r.style.removeProperty(p);
      }
      if (r.cssRules) clean(r.cssRules, (j) => r.deleteRule(j));
      if (loads.test(r.cssText)) remove(i);
    }
  };
  clean(sheet.cssRules, (i) => sheet.deleteRule(i));
  return [...sheet.cssRules].map((r) => r.cssText).join("\n");
}

// Turns an archived HTML page into an inert document: no scripts, no resource URLs, no
// refresh or base, no loads from style sheets; links become links to their timeline in the
// archive.
function inert(html, pageUrl) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("style").forEach((s) => { s.textContent = inertCss(s.textContent); });
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
    // The page as text, decoded by nightjar from the encoding the page declares (or that its
    // bytes suggest), as the indexer read it.
    const resp = await api(`/api/v1/captures/${id}/page?reason=${encodeURIComponent(reason())}`);
    const text = await resp.text();
    const encoding = resp.headers.get("x-nightjar-source-encoding") || "";
    const frame = el("iframe", { class: "archived", title: `archived page ${c.url}`, sandbox: "allow-same-origin" });
    if ((c.mime || "").includes("html")) frame.srcdoc = inert(text, c.url);
    else frame.srcdoc = `<pre>${text.replace(/[&<>]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" }[ch]))}</pre>`;
    frame.addEventListener("load", () => {
      frame.contentDocument.addEventListener("click", (ev) => {
        const a = ev.target.closest("a[data-archived-url]");
        if (a) { ev.preventDefault(); location.hash = `#/url/${encodeURIComponent(a.dataset.archivedUrl)}`; }
      });
    });
    out.replaceChildren(el("p", { id: "page-encoding", text: `Shown decoded from ${encoding}.` }), frame);
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
  const form = filterForm("text-form", "text", [
    { name: "q", id: "tq", label: "Words, \"phrases\", AND, OR, NOT, prefix*", size: 50 },
    { name: "seed", label: "Seed", size: 12 },
    { name: "host", label: "Host", size: 16 },
    ...TIME_FIELDS,
  ], params, "Search text");
  view().replaceChildren(el("h2", { text: "Search the archived text" }), form);
  if (!q) return;
  const more = apiFilters(params, ["seed", "host", "since", "until"]);
  const list = el("ol", { id: "text-results" });
  const pager = await paged(list, async (cursor) => {
    const r = await (await api(`/api/v1/search?q=${encodeURIComponent(q)}${more ? `&${more}` : ""}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`)).json();
    return {
      next: r.next_cursor,
      rows: r.results.map((hit) => el("li", {},
        el("a", { href: `#/url/${encodeURIComponent(hit.url)}`, class: "url", text: hit.url }),
        marked(hit.snippet),
        el("p", {}, "Captures: ", ...hit.captures.slice(0, 10).flatMap((c, i) => [i ? ", " : "",
          el("a", { href: `#/capture/${c.capture_id}`, text: `${c.captured_at} (${c.capture_id})` })])))),
    };
  });
  view().append(list.children.length ? list : el("p", { text: "No archived page matches." }), pager);
}

function entityLink(e) {
  return el("a", { href: `#/entity/${encodeURIComponent(e.value)}?kind=${e.kind}`, text: e.value });
}

async function entities(params) {
  const kinds = ["", "btc", "eth", "xmr", "ltc", "bch", "trx", "pgp", "iban", "email", "phone", "onion", "handle"];
  const form = filterForm("entities-form", "entities", [
    { name: "kind", id: "entity-kind", label: "Kind", type: "select", options: kinds.map((k) => [k, k || "every kind"]) },
    { name: "shared", id: "entity-shared", label: "Seen on", type: "select", options: [["", "any host"], ["true", "several hosts"]] },
    { name: "seed", label: "Seed", size: 12 },
    { name: "since", label: "Last seen since (7d, 2026-11-01)", size: 14 },
  ], params, "List");
  const more = apiFilters(params, ["kind", "shared", "seed", "since"]);
  const t = table(["Kind", "Value", ["First seen", "time"], ["Last seen", "time"], ["Captures", "num"], ["Hosts", "num"]], [], { id: "entity-list" });
  const pager = await paged(t.tBodies[0], async (cursor) => {
    const r = await (await api(`/api/v1/entities?${more ? `${more}&` : ""}limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`)).json();
    return {
      next: r.next_cursor,
      rows: r.entities.map((e) => el("tr", {},
        el("td", { text: e.kind }), el("td", { class: "url" }, entityLink(e)), el("td", { text: e.first_seen }),
        el("td", { text: e.last_seen }), el("td", { text: String(e.captures) }), el("td", { text: String(e.hosts) }))),
    };
  });
  view().replaceChildren(el("h2", { text: "Entities found in the archive" }), form,
    t.tBodies[0].rows.length ? t : el("p", { text: "No entities match." }), pager);
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

async function alerts(params) {
  const w = await (await api("/api/v1/watches")).json();
  const form = filterForm("alerts-form", "alerts", [
    { name: "watch", label: "Watch", type: "select", options: [["", "every watch"], ...w.watches.map((x) => [x.name, x.name])] },
  ], params, "Show");
  const t = table([["Raised", "time"], "Watch", ["Capture", "num"], "URL", "Matched", "Delivery"], [], { id: "alert-list" });
  const more = apiFilters(params, ["watch"]);
  const pager = await paged(t.tBodies[0], async (cursor) => {
    const a = await (await api(`/api/v1/alerts?${more ? `${more}&` : ""}limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`)).json();
    return {
      next: a.next_cursor,
      rows: a.alerts.map((x) => el("tr", {},
        el("td", { text: x.raised_at }), el("td", { text: x.watch }),
        el("td", {}, el("a", { href: `#/capture/${x.capture_id}`, text: String(x.capture_id) })),
        el("td", { class: "url" }, el("a", { href: `#/url/${encodeURIComponent(x.url)}`, text: x.url })),
        el("td", { class: "url", text: x.matched }),
        el("td", { text: x.gave_up ? `given up: ${x.last_error}` : x.last_error && !x.webhook_at && !x.command_at ? `waiting: ${x.last_error}` : "delivered" }))),
    };
  });
  view().replaceChildren(el("h2", { text: "Watches" }),
    w.watches.length ? table(["Name", "Rule", "Pattern", "Seed", "Host"], w.watches.map((x) => el("tr", {},
      ...[x.name, x.rule, x.pattern, x.seed || "", x.host || ""].map((v) => el("td", { class: "url", text: v })))))
      : el("p", { text: "No watches (nightjar watch add)." }),
    el("h2", { text: "Alerts" }), form,
    t.tBodies[0].rows.length ? t : el("p", { text: "No alerts yet." }), pager);
}

// A fingerprint two hosts share, in words.
function sharedText(f) {
  if (f.fingerprint === "title") return `title "${f.title}"`;
  if (f.fingerprint === "text") return `text (${f.bits_differ} of 64 simhash bits differ)`;
  if (f.fingerprint === "header-order") return "header order";
  return f.fingerprint === "structure" ? "page structure" : f.fingerprint;
}

function checkRow(c) {
  return el("tr", {},
    el("td", { text: c.checked_at }), el("td", { class: "url", text: c.host }), el("td", { text: c.file }),
    el("td", { class: `check-${c.status}`, text: c.status }),
    el("td", {}, el("a", { href: `#/capture/${c.capture_id}`, text: String(c.capture_id) })),
    el("td", { class: "url", text: c.signer || "" }),
    el("td", { class: "url", text: [c.problem || "", (c.listed || []).join(" ")].filter(Boolean).join(" · ") }));
}

async function sites() {
  const r = await (await api("/api/v1/sites")).json();
  view().replaceChildren(el("h2", { text: "Sites" }),
    el("p", { text: "A site is the seeds naming it (their site, else their label) and the addresses its signed mirror lists verified ([seed.mirrors] in the seed list)." }),
    r.sites.length ? table(["Site", "Seeds", ["Verified mirrors", "num"], ["Problems", "num"], "Newest checks"], r.sites.map((x) => el("tr", {},
      el("td", {}, el("a", { href: `#/site/${encodeURIComponent(x.site)}`, text: x.site })),
      el("td", { class: "url", text: x.seeds.join(", ") }),
      el("td", { text: String(x.verified_mirrors) }), el("td", { text: String(x.problems) }),
      el("td", { class: "url", text: x.latest.map((c) => `${c.host} ${c.file}: ${c.status}`).join("; ") }))), { id: "site-list" })
      : el("p", { text: "No sites (no seeds yet)." }));
}

async function site(name) {
  const r = await (await api(`/api/v1/sites/${encodeURIComponent(name)}?limit=500`)).json();
  const listed = (a) => a.listed ? `${a.listed.first_listed} … ${a.listed.last_listed} (${a.listed.lists} lists)${a.listed_now ? "" : ", no longer listed"}` : "not in a verified list";
  view().replaceChildren(el("h2", { text: `Site ${r.site}` }),
    el("h3", { text: "Addresses" }),
    table(["Address", "Seed", "Verified mirror"], r.addresses.map((a) => el("tr", {},
      el("td", { class: "url", text: a.host }), el("td", { text: a.seed || "" }), el("td", { text: listed(a) }))), { id: "site-addresses" }),
    el("h3", { text: "Canary" }),
    r.canaries.length ? el("ul", { id: "site-canaries" }, ...r.canaries.map((c) => el("li", {
      class: c.problem ? "error" : "",
      text: `${c.host}: ${c.status}${c.canary_date ? `, dated ${c.canary_date}` : ""}${c.canary_late === 1 ? " (late)" : ""}${c.problem ? ` (${c.problem})` : ""}; checked ${c.checked_at}`,
    }))) : el("p", { text: "Never checked." }),
    el("h3", { text: "Look-alikes" }),
    r.lookalikes.length || r.impersonations.length ? el("ul", { id: "site-lookalikes" },
      ...r.lookalikes.map((l) => el("li", {},
        el("strong", { text: l.verdict === "probable-phishing-clone" ? "Probable phishing clone: " : "Look-alike: " }),
        l.capture_id ? el("a", { href: `#/capture/${l.capture_id}`, text: l.host }) : l.host,
        ` looks like ${l.like}: shares ${l.shared.map(sharedText).join(", ")}.`,
        ...(l.only_there.length ? [el("br"), `Shows what the site never did: ${l.only_there.join(", ")}.`] : []),
        ...(l.only_on_site.length ? [el("br"), `Does not show the site's: ${l.only_on_site.join(", ")}.`] : []))),
      ...r.impersonations.map((i) => el("li", {}, el("strong", { text: "Vanity imitation: " }),
        `${i.address} imitates ${i.like} (${i.prefix} leading, ${i.suffix} trailing characters shared).`)))
      : el("p", { text: "None found." }),
    el("h3", { text: "Mirror checks, newest first" }),
    r.checks.length ? table([["Checked", "time"], "Host", "File", "Status", ["Capture", "num"], "Signer", "Problem / listed"], r.checks.map(checkRow), { id: "site-checks" })
      : el("p", { text: "No mirror files checked ([seed.mirrors] in the seed list)." }));
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

const CHANGE_CLASSES = ["new", "changed", "cosmetic", "unchanged", "gone", "back", "error"];

async function changes(params) {
  const form = filterForm("changes-form", "changes", [
    { name: "since", label: "Since (24h, 7d, 2026-11-01)", size: 14, fallback: "7d" },
    { name: "until", label: "Until", size: 14 },
    { name: "seed", label: "Seed", size: 12 },
    { name: "host", label: "Host", size: 16 },
    { name: "class", label: "Change", type: "checks", options: CHANGE_CLASSES },
  ], params, "Show");
  const since = params.get("since") ?? "7d";
  const filters = [since ? `since=${encodeURIComponent(since)}` : "since=1970-01-01", apiFilters(params, ["until", "seed", "host", "class"])].filter(Boolean).join("&");
  const t = table([["Captured", "time"], ["Change", "class"], ["Status", "num"], "URL"], [], { id: "change-list" });
  const pager = await paged(t.tBodies[0], async (cursor) => {
    const c = await (await api(`/api/v1/changes?${filters}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`)).json();
    return {
      next: c.next_cursor,
      rows: c.changes.map((x) => el("tr", {}, el("td", { text: x.captured_at }), el("td", { class: `class-${x.class}`, text: x.class }),
        el("td", { text: String(x.status) }), el("td", { class: "url" }, el("a", { href: `#/url/${encodeURIComponent(x.url)}`, text: x.url })))),
    };
  });
  view().replaceChildren(el("h2", { text: since ? `Changes since ${since}` : "Every change" }), form,
    t.tBodies[0].rows.length ? t : el("p", { text: "No changes match." }), pager);
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

// The settings of a seed an operator may give in the console, as the API takes them. `add`:
// only when adding (the API changes the others in place).
const SEED_SETTINGS = [
  { name: "label", label: "Label (default: the host)", size: 16, add: true },
  { name: "url", label: "URL", size: 40, add: true, required: true },
  { name: "route", label: "Route", type: "select", options: [["", "direct (default)"], ["direct", "direct"], ["tor", "tor"]], add: true },
  { name: "scope", label: "Scope", type: "select", options: [["", "(default)"], ["host", "host"], ["domain", "domain"], ["prefix", "prefix"]] },
  { name: "recrawl", label: "Recrawl (1day, 6h, never)", size: 10 },
  { name: "recrawl_min", label: "Recrawl at least every", size: 10 },
  { name: "recrawl_max", label: "Recrawl at most every", size: 10 },
  { name: "max_depth", label: "Max depth", type: "number", size: 8, min: "0", max: "1000000" },
  { name: "max_pages", label: "Max pages", type: "number", size: 8, min: "1", max: "10000000" },
  { name: "rate_per_sec", label: "Requests per second", type: "number", size: 6, min: "0.001", max: "100000", step: "any" },
  { name: "max_in_flight", label: "In flight per host", type: "number", size: 4, min: "1", max: "256" },
  { name: "robots", label: "robots.txt", type: "select", options: [["", "obey (default)"], ["obey", "obey"], ["ignore", "ignore"]], add: true },
];

// A form for a seed's settings: each field with its error beside it. `seed` fills it in
// (an edit); `send(body)` is the request; a refusal that names a setting (the API's
// error.field) is shown next to that field, any other under the form.
function seedForm(id, seed, submitText, send) {
  const fields = SEED_SETTINGS.filter((f) => !seed || !f.add);
  const form = el("form", { id, class: "seed-form", novalidate: "" });
  for (const f of fields) {
    const fid = `${id}-${f.name}`;
    const value = seed && seed[f.name] != null ? String(seed[f.name]) : "";
    let input;
    if (f.type === "select") {
      input = selectEl(fid, f.name, f.options, value);
    } else {
      const attrs = { id: fid, name: f.name, type: f.type || "text", size: String(f.size || 12), value, "aria-describedby": `${fid}-error` };
      for (const k of ["min", "max", "step"]) if (f[k]) attrs[k] = f[k];
      if (f.required) attrs.required = "";
      input = el("input", attrs);
    }
    form.append(el("div", { class: "field" }, el("label", { for: fid, text: f.label }), input,
      el("span", { class: "field-error error", id: `${fid}-error`, role: "alert" })));
  }
  const status = el("p", { class: "form-status", id: `${id}-status`, role: "status" });
  form.append(el("div", { class: "field" }, el("button", { type: "submit", text: submitText })), status);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    form.querySelectorAll(".field-error").forEach((e) => { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
    status.textContent = "";
    const body = {};
    for (const f of fields) {
      const v = form.elements[f.name].value.trim();
      if (!v) continue;
      body[f.name] = f.type === "number" ? Number(v) : v;
    }
    try {
      status.textContent = await send(body);
    } catch (e) {
      const input = e.field && form.elements[e.field];
      if (input) {
        input.setAttribute("aria-invalid", "true");
        $(`#${id}-${e.field}-error`).textContent = e.message;
        input.focus();
      } else status.textContent = e.message;
    }
  });
  return form;
}

async function seeds() {
  const s = await (await api("/api/v1/seeds")).json();
  const state = (x) => {
    if (!x.enabled) return el("td", { class: "state state-disabled", text: "paused (disabled in its file)" });
    const bits = [x.state_text || "not known to the crawler yet"];
    if (x.why) bits.push(x.why);
    if (x.failed_passes > 1) bits.push(`failed ${x.failed_passes} passes in a row`);
    const cell = el("td", { class: `state state-${x.state || "unknown"}` }, el("strong", { text: bits[0] }), bits.length > 1 ? `: ${bits.slice(1).join("; ")}` : "");
    if (x.last_at) cell.append(el("br"), `last ${x.last ? `${x.last.startsWith("HTTP") ? x.last : "attempt"} ` : ""}at ${x.last_at}`);
    if (x.next_try) cell.append(el("br"), `next try ${x.next_try}`);
    return cell;
  };
  const done = async (text) => { await route(); const st = $("#seeds-status"); if (st) st.textContent = text; };
  const act = (x) => {
    const cell = el("td", { class: "actions" });
    const edit = el("button", { type: "button", class: "edit", text: "Edit" });
    edit.addEventListener("click", () => {
      const row = edit.closest("tr");
      if (row.nextElementSibling && row.nextElementSibling.classList.contains("edit-row")) { row.nextElementSibling.remove(); return; }
      const form = seedForm(`edit-${x.label.replace(/[^A-Za-z0-9_-]/g, "_")}`, x, `Save ${x.label}`, async (body) => {
        await api(`/api/v1/seeds/${encodeURIComponent(x.label)}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        await done(`Seed ${x.label} changed; the crawler takes it up within seconds.`);
        return "";
      });
      row.after(el("tr", { class: "edit-row" }, el("td", { colspan: "6" }, form)));
    });
    const toggle = el("button", { type: "button", class: x.enabled ? "pause" : "resume", text: x.enabled ? "Pause" : "Resume" });
    toggle.addEventListener("click", async () => {
      try {
        await api(`/api/v1/seeds/${encodeURIComponent(x.label)}/${x.enabled ? "pause" : "resume"}`, { method: "POST" });
        await done(`Seed ${x.label} ${x.enabled ? "paused" : "resumed"}.`);
      } catch (e) { $("#seeds-status").textContent = e.message; }
    });
    // Removing takes two clicks: the first asks, the second removes (no browser dialog).
    const remove = el("button", { type: "button", class: "remove", text: "Remove" });
    remove.addEventListener("click", async () => {
      if (!remove.classList.contains("armed")) {
        remove.classList.add("armed");
        remove.textContent = `Remove ${x.label}? Its captures stay. Click again`;
        return;
      }
      try {
        await api(`/api/v1/seeds/${encodeURIComponent(x.label)}`, { method: "DELETE" });
        await done(`Seed ${x.label} removed; its captures stay in the archive.`);
      } catch (e) { $("#seeds-status").textContent = e.message; }
    });
    cell.append(edit, " ", toggle, " ", remove);
    return cell;
  };
  const add = seedForm("seed-add", null, "Add the seed", async (body) => {
    const r = await (await api("/api/v1/seeds", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
    await done(`Seed ${r.label} added; the crawler takes it up within seconds.`);
    return "";
  });
  view().replaceChildren(el("h2", { text: "Seeds" }),
    el("p", { id: "seeds-status", role: "status" }),
    table([["Label", "label"], ["State", "state"], "URL", ["Recrawl", "num"], ["File", "file"], ["Actions", "actions"]],
      s.seeds.map((x) => el("tr", { "data-seed": x.label }, el("td", { text: x.label }), state(x),
        el("td", { class: "url", text: x.url }), el("td", { text: x.recrawl_secs == null ? "never" : humanSecs(x.recrawl_secs) }),
        el("td", { text: x.file || "" }), act(x))), { id: "seed-list" }),
    ...s.problems.map((p) => el("p", { class: "error", text: p })),
    el("h3", { text: "Add a seed" }), add);
}

// 86400 → "1day", 21600 → "6h": the form the seed files use.
function humanSecs(n) {
  for (const [unit, secs] of [["day", 86400], ["h", 3600], ["min", 60]]) if (n % secs === 0 && n >= secs) return `${n / secs}${unit}`;
  return `${n}s`;
}

async function audit() {
  const v = await (await api("/api/v1/audit/verify")).json();
  const t = table([["#", "num"], ["When", "time"], "Who", "Role", "Action", "Target", "Reason", "Result"], [], { id: "audit-list" });
  const pager = await paged(t.tBodies[0], async (after) => {
    const a = await (await api(`/api/v1/audit?limit=${PAGE}${after ? `&after=${after}` : ""}`)).json();
    return {
      next: a.next_after,
      rows: a.entries.map((e) => el("tr", {},
        ...[e.seq, e.at, e.actor, e.role, e.action, e.target, e.reason, e.result].map((x, i) => el("td", i > 3 ? { class: "url", text: String(x) } : { text: String(x) })))),
    };
  });
  view().replaceChildren(el("h2", { text: "Audit log" }),
    el("p", { id: "audit-verdict", text: `${v.ok ? "Chain verified" : "CHAIN BROKEN"}: ${v.entries} entries, head ${v.head}` }),
    ...v.findings.map((f) => el("p", { class: "error", text: f })), t, pager);
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

// Retention: what is kept and due, legal holds, and erasure requests. Approving or rejecting
// a request, placing or releasing a hold, takes the case/reason field (top right): it goes
// to the audit log with the decision. The person who asked for an erasure cannot approve it.
async function retention() {
  const [st, holds, er] = await Promise.all([
    api("/api/v1/retention").then((r) => r.json()),
    api("/api/v1/holds").then((r) => r.json()),
    api("/api/v1/erasures").then((r) => r.json()),
  ]);
  const status = el("p", { id: "retention-status", role: "status" });
  const act = async (path, body) => {
    if (!reason()) { status.textContent = "Enter the reason (top right) first: it goes to the audit log."; $("#reason").focus(); return; }
    try {
      await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reason: reason(), ...body }) });
      await retention();
      $("#retention-status").textContent = "Done.";
    } catch (e) { status.textContent = e.message; }
  };
  const requestRow = (r) => {
    const cell = el("td", {});
    if (r.state === "requested") {
      const approve = el("button", { type: "button", class: "approve", text: "Approve" });
      approve.addEventListener("click", () => act(`/api/v1/erasures/${r.id}/approve`, {}));
      const reject = el("button", { type: "button", class: "reject", text: "Reject" });
      reject.addEventListener("click", () => act(`/api/v1/erasures/${r.id}/reject`, {}));
      cell.append(approve, " ", reject);
    }
    return el("tr", { id: `request-${r.id}` },
      ...[String(r.id), r.state, `${r.kind} ${r.target}`, `${r.requested_by} (${r.requested_at})`,
        r.decided_by ? `${r.decided_by} (${r.decided_at})` : "", r.reason, r.outcome || ""]
        .map((v) => el("td", { class: "url", text: v })), cell);
  };
  const holdRow = (h) => {
    const release = el("button", { type: "button", class: "release", text: "Release" });
    release.addEventListener("click", () => act(`/api/v1/holds/${h.id}/release`, {}));
    const what = [h.kind, h.value || "", h.since ? `since ${h.since}` : "", h.until ? `until ${h.until}` : ""].filter(Boolean).join(" ");
    return el("tr", { id: `hold-${h.id}` },
      ...[String(h.id), h.case_id, what, `${h.placed_by} (${h.placed_at})`, h.reason].map((v) => el("td", { class: "url", text: v })),
      el("td", {}, release));
  };
  const form = el("form", { id: "hold-form", class: "inline" },
    el("label", { for: "hold-case", text: "Case" }), el("input", { id: "hold-case", name: "case", size: "12", required: "" }),
    el("label", { for: "hold-by", text: "Hold by" }),
    el("select", { id: "hold-by", name: "by" }, ...["url", "seed", "capture", "entity"].map((k) => el("option", { value: k, text: k }))),
    el("input", { id: "hold-value", name: "value", size: "40", required: "" }),
    el("button", { type: "submit", text: "Place a hold" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const by = $("#hold-by").value;
    const value = $("#hold-value").value.trim();
    act("/api/v1/holds", { case: $("#hold-case").value.trim(), [by]: by === "capture" ? Number(value) : value });
  });
  const ask = el("form", { id: "erase-form", class: "inline" },
    el("label", { for: "erase-by", text: "Ask to erase every capture of" }),
    el("select", { id: "erase-by", name: "by" }, ...["capture", "url", "entity"].map((k) => el("option", { value: k, text: k }))),
    el("input", { id: "erase-value", name: "value", size: "40", required: "" }),
    el("button", { type: "submit", text: "Ask for the erasure" }));
  ask.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const by = $("#erase-by").value;
    const value = $("#erase-value").value.trim();
    act("/api/v1/erasures", { [by]: by === "capture" ? Number(value) : value });
  });
  view().replaceChildren(el("h2", { text: "Retention" }),
    el("p", { text: `${st.holds} hold(s) in force keep ${st.held_captures} capture(s); ${st.requests_waiting} erasure request(s) wait for a second person; ${st.erasures} erasure(s) carried out.` }),
    table(["Seed", "Retain", "Review after", ["Captures", "num"], ["Due for erasure", "num"], ["Held", "num"], ["Due for review", "num"]],
      st.seeds.map((x) => el("tr", {}, ...[x.seed || "(no seed)", x.retain, x.review_after, String(x.captures),
        String(x.due_for_erasure), String(x.held), String(x.due_for_review)].map((v) => el("td", { text: v })))), { id: "retention-seeds" }),
    el("h3", { text: "Legal holds" }),
    holds.holds.length ? table(["Hold", "Case", "Selects", "Placed", "Reason", ""], holds.holds.map(holdRow), { id: "holds" })
      : el("p", { id: "holds", text: "No hold is in force." }),
    form,
    el("h3", { text: "Erasure requests" }),
    er.requests.length ? table(["Request", "State", "Names", "Asked", "Decided", "Reason", "Outcome", ""], er.requests.map(requestRow), { id: "erasure-requests" })
      : el("p", { id: "erasure-requests", text: "No erasure was asked for." }),
    el("p", { text: "An erasure (data processed unlawfully) is carried out only once another person approves it; the reason field (top right) is its legal ground." }),
    ask,
    el("h3", { text: "Erasures carried out" }),
    er.erasures.length ? table(["Erasure", "When", "Basis", ["Captures", "num"], ["Records", "num"], "Asked / approved", "Reason", "Erasure record"],
      er.erasures.map((e) => el("tr", {}, ...[String(e.id), e.erased_at, `${e.basis}: ${e.detail}`, String(e.captures), String(e.records),
        `${e.requested_by}${e.approved_by ? ` / ${e.approved_by}` : ""}`, e.reason, e.record_id].map((v) => el("td", { class: "url", text: v })))), { id: "erasures" })
      : el("p", { id: "erasures", text: "Nothing was erased." }),
    status);
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
    else if (parts[0] === "changes") await changes(params);
    else if (parts[0] === "text") await textSearch(params);
    else if (parts[0] === "entities") await entities(params);
    else if (parts[0] === "entity" && parts[1]) await entity(decodeURIComponent(parts.slice(1).join("/")), params);
    else if (parts[0] === "alerts") await alerts(params);
    else if (parts[0] === "sites") await sites();
    else if (parts[0] === "retention") await retention();
    else if (parts[0] === "site" && parts[1]) await site(decodeURIComponent(parts.slice(1).join("/")));
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
