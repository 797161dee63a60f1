// Drives the console's task view in Debian's headless Chromium, as an operator would: log
// in, open Tasks, see the CAPTCHA image (loaded from the daemon, the archived copy), type
// the answer and send the login. Every request the browser tries is recorded; any to another
// origin than the daemon's fails the run. Usage (from tests/console.rs):
//   node tasks.test.mjs BASE_URL TOKEN ANSWER SCREENSHOT
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, token, answer, screenshot] = process.argv.slice(2);
const origin = new URL(base).origin;
const outside = [];
const step = (s) => console.log(`step: ${s}`);

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "nightjar-chromium-")), {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const deadline = setTimeout(() => { console.error("timed out"); process.exit(1); }, 90_000);
try {
  await browser.route("**/*", (route) => {
    const url = route.request().url();
    if (!url.startsWith("blob:") && new URL(url).origin !== origin) { outside.push(url); return route.abort(); }
    return route.continue();
  });
  const page = browser.pages()[0] || (await browser.newPage());
  page.setDefaultTimeout(30_000);

  step("log in");
  await page.goto(`${base}/console/`);
  await page.fill("#token", token);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#search-form");

  step("open the task view");
  await page.click("nav a[href='#/tasks']");
  await page.waitForSelector("article.task img.captcha");
  const title = await page.textContent("article.task h3");
  if (!title.includes("needs a login")) throw new Error(`the task says '${title}'`);
  // The image is the archived one, decoded by the browser (a real PNG), from a blob URL.
  await page.waitForFunction(() => {
    const img = document.querySelector("article.task img.captcha");
    return img && img.complete && img.naturalWidth > 0 && img.src.startsWith("blob:");
  });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  step("answer the CAPTCHA");
  await page.fill("article.task input[name=captcha]", answer);
  await page.click("article.task .captcha-form button[type=submit]");
  await page.waitForFunction(() => /answered|done/.test(document.querySelector("article.task .task-status")?.textContent || ""));
  console.log(`status: ${await page.textContent("article.task .task-status")}`);

  if (outside.length) throw new Error(`requests left the daemon's origin: ${outside.join(", ")}`);
  console.log(`all to ${origin}`);
} finally {
  clearTimeout(deadline);
  await browser.close();
}
