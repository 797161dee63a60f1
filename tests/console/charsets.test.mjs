// Views archived pages written in other scripts and encodings in the console, in Debian's
// headless Chromium at 1280x800: each page must show its own text (no U+FFFD), say which
// encoding it was decoded from, and is photographed for the Rust side to read back with
// OCR. Usage (from tests/console.rs):
//   node charsets.test.mjs BASE_URL TOKEN PAGES_JSON
// where PAGES_JSON is [{"id": capture ID, "encoding": "windows-1251", "text": "…",
// "shot": "/path/to.png"}, …].
import { open, logIn, step } from "./browser.mjs";

const [base, token, pagesJson] = process.argv.slice(2);
const pages = JSON.parse(pagesJson);
const b = await open(base);
const page = b.page;
try {
  step("log in");
  await logIn(page, base, token);
  await page.fill("#reason", "case-19");
  await page.press("#reason", "Enter");
  for (const p of pages) {
    step(`view capture ${p.id} (${p.encoding})`);
    await page.goto(`${base}/console/#/capture/${p.id}`);
    // The console is one page: wait until the previous capture's frame is gone.
    await page.waitForFunction(() => document.querySelector("#show-page") && !document.querySelector("iframe.archived"));
    await page.click("#show-page");
    const frameEl = await page.waitForSelector("iframe.archived");
    const frame = await frameEl.contentFrame();
    await frame.waitForSelector("body h1");
    const text = await frame.textContent("body");
    if (text.includes("\uFFFD")) throw new Error(`capture ${p.id} shows U+FFFD: ${text}`);
    if (!text.includes(p.text)) throw new Error(`capture ${p.id} shows '${text}', not '${p.text}'`);
    const said = await page.textContent("#page-encoding");
    if (!said.includes(p.encoding)) throw new Error(`capture ${p.id}: '${said}', expected ${p.encoding}`);
    await frameEl.screenshot({ path: p.shot });
    console.log(`shown: ${p.id} ${p.encoding}`);
  }
  b.checkOrigin();
  console.log("ok");
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  process.exitCode = 1;
} finally {
  await b.close();
}
