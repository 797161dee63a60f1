// Drives the nightjar console in Debian's headless Chromium, as an analyst would: log in,
// search a URL, open a capture, view the archived page, follow a link in it to its timeline,
// diff two captures, search the archived text, follow an entity of a capture to its
// timeline, export. Every request the browser tries is recorded; any to another origin than
// the daemon's fails the run. Usage (from tests/console.rs):
//   node console.test.mjs BASE_URL TOKEN PAGE_URL OLD_TEXT NEW_TEXT ENTITY
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open, logIn, step } from "./browser.mjs";

const [base, token, pageUrl, oldText, newText, entityValue] = process.argv.slice(2);
const b = await open(base);
const page = b.page;
try {
  step("log in");
  await logIn(page, base, token);

  step("give a reason and search the URL");
  await page.fill("#reason", "case-17");
  await page.press("#reason", "Enter");
  await page.fill("#q", pageUrl);
  await page.press("#q", "Enter");
  await page.waitForSelector("#view table a[href^='#/capture/']");
  const captures = await page.$$eval("#view table a[href^='#/capture/']", (as) => as.map((a) => a.textContent));
  if (captures.length < 2) throw new Error(`expected two captures of ${pageUrl}, got ${captures}`);

  step("open the older capture and view the archived page");
  await page.click(`#view table a[href='#/capture/${captures[captures.length - 1]}']`);
  await page.click("#show-page");
  const frame = await (await page.waitForSelector("iframe.archived")).contentFrame();
  await frame.waitForSelector("body");
  const text = await frame.textContent("body");
  if (!text.includes(oldText)) throw new Error(`the archived page shows '${text}', not '${oldText}'`);
  if ((await frame.$$("script")).length !== 0) throw new Error("a script survived in the archived page");
  // The page is made inert before it is shown (the CSP is a second, independent layer).
  const live = await frame.$$eval("[src], [srcset], [style], [onload], link, meta, template, svg, area, [href]:not(a)", (n) => n.length);
  const shadows = await frame.$$eval("*", (n) => n.filter((e) => e.shadowRoot).length);
  if (shadows !== 0) throw new Error("a declarative shadow root came alive in the archived page");
  if (live !== 0) throw new Error(`${live} elements of the archived page still point at resources`);
  // Its style sheets keep their rules but nothing that loads (the CSP blocks those too).
  const css = await frame.$$eval("style", (ss) => ss.map((s) => s.textContent).join("\n"));
  if (/url\(|@import|image-set|@font-face/i.test(css)) throw new Error(`a style sheet still loads: ${css}`);
  if (!css.includes("h1") || !/color/.test(css)) throw new Error(`the style sheet's harmless rules are gone: ${css}`);

  step("follow a link in the archived page to its timeline");
  await frame.click("a[data-archived-url]");
  await page.waitForFunction(() => location.hash.startsWith("#/url/"));

  step("diff two captures of the page");
  await page.goto(`${base}/console/#/url/${encodeURIComponent(pageUrl)}`);
  await page.waitForLoadState("networkidle");
  const picks = page.locator("input[name=pick]");
  await picks.first().check();
  await picks.last().check();
  await page.click("#diff-picked");
  await page.waitForSelector("#diff-text");
  const diff = await page.textContent("#diff-text");
  if (!diff.includes(`-${oldText}`) || !diff.includes(`+${newText}`)) throw new Error(`unexpected diff:\n${diff}`);

  step("search the archived text");
  await page.goto(`${base}/console/#/text?q=${encodeURIComponent("headline")}`);
  await page.waitForSelector("#text-results li");
  const marks = await page.$$eval("#text-results mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
  if (!marks.includes("headline")) throw new Error(`no highlighted match in the results: ${marks}`);
  const hitUrl = await page.textContent("#text-results li a.url");
  if (hitUrl !== pageUrl) throw new Error(`the text search found ${hitUrl}, not ${pageUrl}`);

  step("follow an entity of a capture to where else it appeared");
  await page.goto(`${base}/console/#/capture/${captures[0]}`);
  await page.waitForSelector("#capture-entities a");
  const found = await page.$$eval("#capture-entities a", (as) => as.map((a) => a.textContent));
  if (!found.includes(entityValue)) throw new Error(`the capture's entities are ${found}, not ${entityValue}`);
  await page.click(`#capture-entities a:text-is("${entityValue}")`);
  await page.waitForSelector("#entity-summary");
  const sightings = await page.$$eval("#entity-timeline a[href^='#/capture/']", (as) => as.length);
  if (sightings < 2) throw new Error(`the entity's timeline lists ${sightings} captures, expected two or more`);
  await page.goto(`${base}/console/#/entities?kind=btc`);
  await page.waitForSelector(`#view table a:text-is("${entityValue}")`);

  step("export the page's captures");
  await page.goto(`${base}/console/#/export`);
  await page.fill("#export-url", pageUrl);
  await page.fill("#export-case", "case-17");
  await page.fill("#export-reason", "disclosure to the court");
  await page.click("#export-form button[type=submit]");
  const link = await page.waitForSelector("#export-download", { timeout: 60_000 });
  const download = await Promise.all([page.waitForEvent("download"), link.click()]).then(([d]) => d);
  const saved = join(mkdtempSync(join(tmpdir(), "nightjar-export-")), "export.wacz");
  await download.saveAs(saved);
  console.log(`export: ${saved}`);

  step("audit log as seen by the same token is refused");
  await page.goto(`${base}/console/#/audit`);
  await page.waitForSelector("#view .error");

  b.checkOrigin();
  console.log("ok");
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  console.error(`requests seen: ${b.seen.join("\n")}`);
  process.exitCode = 1;
} finally {
  await b.close();
}
