// What the console's browser tests share: Debian's headless Chromium (no browser download)
// with a scratch profile, every request recorded and any to another origin than the
// daemon's aborted (and reported by `outside`), a run deadline, and the token login.
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/// Opens the browser for `base` (the daemon's http://ADDR) at `viewport`; the run fails if it
/// lasts longer than `limitMs`.
export async function open(base, { viewport = { width: 1280, height: 800 }, limitMs = 120_000 } = {}) {
  const origin = new URL(base).origin;
  const seen = [];
  const outside = [];
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "nightjar-chromium-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const deadline = setTimeout(() => { console.error("timed out"); process.exit(1); }, limitMs);
  await browser.route("**/*", (route) => {
    const url = route.request().url();
    seen.push(url);
    if (!url.startsWith("blob:") && new URL(url).origin !== origin) { outside.push(url); return route.abort(); }
    return route.continue();
  });
  const page = browser.pages()[0] || (await browser.newPage());
  page.setDefaultTimeout(30_000);
  return {
    browser, page, origin, seen, outside,
    // Fails the run if a request left the daemon's origin, and says so otherwise.
    checkOrigin() {
      if (outside.length) throw new Error(`requests left the daemon's origin: ${outside.join(", ")}`);
      console.log(`requests: ${seen.length}, all to ${origin}`);
    },
    async close() { clearTimeout(deadline); await browser.close(); },
  };
}

/// Logs in to the console with `token`.
export async function logIn(page, base, token) {
  await page.goto(`${base}/console/`);
  await page.fill("#token", token);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#search-form");
}

export const step = (s) => console.log(`step: ${s}`);

/// Fails the run with `what` unless `ok`.
export function check(ok, what) {
  if (!ok) throw new Error(what);
}

/// A view of the console at the current size: nothing wider than the window, and every
/// time cell (a column headed th.time) on one line; photographed as SHOTS/NAME-SIZE.png.
export async function laidOut(page, shots, name, size) {
  const facts = await page.evaluate(() => {
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    const broken = [];
    for (const table of document.querySelectorAll("#view table")) {
      const heads = [...table.querySelectorAll("thead th")];
      heads.forEach((h, i) => {
        if (!h.classList.contains("time")) return;
        for (const row of table.tBodies[0].rows) {
          const cell = row.cells[i];
          if (!cell || !cell.textContent) continue;
          const range = document.createRange();
          range.selectNodeContents(cell);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(cell.textContent);
        }
      });
    }
    return { wide, broken: broken.slice(0, 3) };
  });
  check(facts.wide <= 0, `${name} at ${size}: ${facts.wide}px wider than the window`);
  check(!facts.broken.length, `${name} at ${size}: times wrap: ${facts.broken.join(" | ")}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}-${size}.png`) });
  console.log(`laid out: ${name} ${size}`);
}
