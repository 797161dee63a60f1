// Drives the console's site view in Debian's headless Chromium, as an analyst would: log in,
// open Sites, open one site, and read its addresses, canaries and look-alikes. Prints what
// the view says for tests/mirrors.rs to check. Any request to another origin than the
// daemon's fails the run. Usage: node sites.test.mjs BASE_URL TOKEN SITE SCREENSHOT
import { open, logIn, step } from "./browser.mjs";

const [base, token, site, screenshot] = process.argv.slice(2);
const b = await open(base, { limitMs: 90_000 });
const page = b.page;
try {
  step("log in");
  await logIn(page, base, token);

  step("open the site list");
  await page.click("nav a[href='#/sites']");
  await page.waitForSelector("#site-list");
  await page.click(`#site-list a[href='#/site/${encodeURIComponent(site)}']`);

  step("open the site");
  await page.waitForSelector("#site-checks");
  for (const id of ["site-addresses", "site-canaries", "site-lookalikes", "site-checks"]) {
    console.log(`${id}: ${(await page.textContent(`#${id}`)).replace(/\s+/g, " ")}`);
  }
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  b.checkOrigin();
} finally {
  await b.close();
}
