// Drives the console's Retention view in Debian's headless Chromium: log in, enter a
// reason, open Retention, and (with ACTION "approve N") approve erasure request N, or (with
// "request KIND VALUE") ask for an erasure, as the person logged in would; then print what
// the view shows, and the text search's answer to QUERY. Any request to another origin
// than the daemon's fails the run.
// Usage: node retention.test.mjs BASE_URL TOKEN ACTION QUERY [SCREENSHOT]
import { open, logIn, step } from "./browser.mjs";

const [base, token, action, query, screenshot] = process.argv.slice(2);
const b = await open(base, { limitMs: 90_000 });
const page = b.page;
try {
  step("log in");
  await logIn(page, base, token);
  await page.fill("#reason", "ground confirmed by the DPO");
  await page.press("#reason", "Enter");

  step("open Retention");
  await page.click("nav a[href='#/retention']");
  await page.waitForSelector("#retention-seeds");
  const [verb, id] = (action || "").split(" ");
  if (verb === "request") {
    const [, kind, value] = action.split(" ");
    step(`ask to erase ${kind} ${value}`);
    const before = await page.$$eval("#erasure-requests tr", (rows) => rows.length);
    await page.selectOption("#erase-by", kind);
    await page.fill("#erase-value", value);
    await page.click("#erase-form button[type=submit]");
    await page.waitForFunction((n) => document.querySelectorAll("#erasure-requests tr").length > n, before);
  }
  if (verb === "approve") {
    step(`approve request ${id}`);
    await page.click(`#request-${id} button.approve`);
    await page.waitForFunction((n) => {
      const row = document.querySelector(`#request-${n}`);
      return row && !row.querySelector("button.approve");
    }, id);
  }
  for (const sel of ["retention-seeds", "holds", "erasure-requests", "erasures"]) {
    console.log(`${sel}: ${(await page.textContent(`#${sel}`)).replace(/\s+/g, " ")}`);
  }
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  if (query) {
    step("search the text");
    await page.goto(`${base}/console/#/text?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => document.querySelector("#text-results")
      || /No archived page matches/.test(document.querySelector("#view").textContent));
    console.log(`text-search: ${(await page.textContent("#view")).replace(/\s+/g, " ")}`);
  }
  b.checkOrigin();
} finally {
  await b.close();
}
