// Drives the console's task view in Debian's headless Chromium, as an operator would: log
// in, open Tasks, see the CAPTCHA image (loaded from the daemon, the archived copy), type
// the answer and send the login. Every request the browser tries is recorded; any to another
// origin than the daemon's fails the run. Usage (from tests/console.rs):
//   node tasks.test.mjs BASE_URL TOKEN ANSWER SCREENSHOT
import { open, logIn, step } from "./browser.mjs";

const [base, token, answer, screenshot] = process.argv.slice(2);
const b = await open(base, { limitMs: 90_000 });
const page = b.page;
try {
  step("log in");
  await logIn(page, base, token);

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

  b.checkOrigin();
} finally {
  await b.close();
}
