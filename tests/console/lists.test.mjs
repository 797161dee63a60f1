// An analyst and an auditor at work in the console, in Debian's headless Chromium:
// - the analyst pages the capture search, the text search and the change feed to their
//   ends, and filters them;
// - the auditor pages the audit log to its newest entry;
// - every view is laid out at 1280x800 and 1920x1080: no sideways scrolling, every time
//   on one line; each view is photographed for the Rust side to read back.
// Usage (from tests/console.rs):
//   node lists.test.mjs BASE ANALYST_TOKEN AUDITOR_TOKEN SHOTS_DIR EXPECT_JSON
// EXPECT_JSON: what the API holds, counted by the Rust side: {"host": "shop.test:PORT",
//   "captures": n, "status404": n, "text": "listing", "texts": n, "changes": n,
//   "downHost": "down.test:PORT", "changesOfDown": n}
import { open, logIn, step, check, laidOut as layout } from "./browser.mjs";
import { join } from "node:path";

const [base, analyst, auditor, shots, expectJson] = process.argv.slice(2);
const expect = JSON.parse(expectJson);
const b = await open(base, { limitMs: 300_000 });
const page = b.page;
const laidOut = (name, size) => layout(page, shots, name, size);

async function logOut() {
  await page.click("#logout");
  await page.waitForSelector("#login-form");
}

// Presses "Show more" until the list says it is whole; returns the rows in `rowsSel`.
async function pageToEnd(rowsSel) {
  for (let i = 0; i < 200; i++) {
    const status = await page.textContent(".pager p");
    if (status.includes("the whole list")) return page.locator(rowsSel).count();
    const more = page.locator(".pager button.more");
    await more.click();
    await page.waitForFunction((before) => document.querySelector(".pager p").textContent !== before, status);
  }
  throw new Error("the list never ended");
}

try {
  // --- The analyst ------------------------------------------------------------------
  step("analyst: capture search to the end");
  await logIn(page, base, analyst);
  await page.fill("#reason", "case-19");
  await page.press("#reason", "Enter");
  await page.goto(`${base}/console/#/search?q=${expect.host}`);
  await page.waitForSelector("#capture-list");
  const captures = await pageToEnd("#capture-list tbody tr");
  check(captures === expect.captures, `capture search showed ${captures}, the archive holds ${expect.captures}`);

  step("analyst: capture search filtered by status");
  await page.fill("#search-form-status", "404");
  await page.click("#search-form button[type=submit]");
  await page.waitForFunction((n) => document.querySelectorAll("#capture-list tbody tr").length === n
    && document.querySelector(".pager p").textContent.includes("the whole list"), expect.status404);

  step("analyst: text search to the end");
  await page.goto(`${base}/console/#/text?q=${expect.text}`);
  await page.waitForSelector("#text-results");
  const texts = await pageToEnd("#text-results li");
  check(texts === expect.texts, `text search showed ${texts} pages, expected ${expect.texts}`);

  step("analyst: change feed to the end, then filtered");
  await page.goto(`${base}/console/#/changes`);
  await page.waitForSelector("#change-list");
  const changes = await pageToEnd("#change-list tbody tr");
  check(changes === expect.changes, `change feed showed ${changes}, expected ${expect.changes}`);
  await page.fill("#changes-form-host", expect.downHost);
  await page.click("#changes-form-class-error");
  await page.click("#changes-form button[type=submit]");
  await page.waitForFunction(() => location.hash.includes("host=down.test") && location.hash.includes("class=error"));
  // The unfiltered list stays on screen until the filtered one replaces it: wait for a list
  // of errors only, shown whole.
  await page.waitForFunction(() => {
    const classes = [...document.querySelectorAll("#change-list tbody td:nth-child(2)")].map((td) => td.textContent);
    return classes.length > 0 && classes.every((c) => c === "error")
      && document.querySelector(".pager p")?.textContent.includes("the whole list");
  });
  const downChanges = await page.locator("#change-list tbody tr").count();
  check(downChanges === expect.changesOfDown, `changes of down.test: ${downChanges}, expected ${expect.changesOfDown}`);
  const classes = await page.locator("#change-list tbody td:nth-child(2)").allTextContents();
  check(classes.every((c) => c === "error"), `classes: ${classes}`);

  // Layout of the analyst's views at both sizes.
  for (const [w, h] of [[1280, 800], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    const size = `${w}x${h}`;
    for (const [name, hash, ready] of [
      ["search", `#/search?q=${expect.host}`, "#capture-list"],
      ["text", `#/text?q=${expect.text}`, "#text-results"],
      ["changes", "#/changes", "#change-list"],
      ["entities", "#/entities", "#entities-form"],
      ["alerts", "#/alerts", "#alerts-form"],
      ["export", "#/export", "#export-form"],
      ["tasks", "#/tasks", "#view h2"],
    ]) {
      await page.goto(`${base}/console/${hash}`);
      await page.waitForSelector(ready);
      await laidOut(name, size);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await logOut();

  // --- The auditor ------------------------------------------------------------------
  step("auditor: the audit log to its newest entry");
  await logIn(page, base, auditor);
  await page.goto(`${base}/console/#/audit`);
  await page.waitForSelector("#audit-list");
  const verdict = await page.textContent("#audit-verdict");
  const total = Number(/: (\d+) entries/.exec(verdict)[1]);
  check(total > 100, `only ${total} audit entries: the test needs more than a page`);
  const shown = await pageToEnd("#audit-list tbody tr");
  const last = Number(await page.locator("#audit-list tbody tr:last-child td:first-child").textContent());
  check(shown >= total && last >= total, `audit: ${shown} rows, last #${last}, verdict ${total}`);
  for (const [w, h] of [[1280, 800], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    await laidOut("audit", `${w}x${h}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  // One date cell, photographed alone for the Rust side to read.
  const when = page.locator("#audit-list tbody tr:first-child td:nth-child(2)");
  await when.screenshot({ path: join(shots, "audit-when.png") });
  console.log(`when: ${await when.textContent()}`);
  b.checkOrigin();
  console.log("ok");
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
  process.exitCode = 1;
} finally {
  await b.close();
}
