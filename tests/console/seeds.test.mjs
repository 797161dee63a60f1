// An operator at work on the seeds page of the console, in Debian's headless Chromium: what
// each seed really did (archived, site unreachable: why, next try), a seed added (each
// refused setting shown beside its field), edited, paused, resumed and removed; the page
// laid out at 1280x800 and 1920x1080 and photographed for the Rust side to read back.
// Usage (from tests/console.rs):
//   node seeds.test.mjs BASE OPERATOR_TOKEN SHOTS_DIR NEW_SEED_URL
import { open, logIn, step, check, laidOut as layout } from "./browser.mjs";
import { join } from "node:path";

const [base, operator, shots, newUrl] = process.argv.slice(2);
const b = await open(base, { limitMs: 180_000 });
const page = b.page;
const laidOut = (name, size) => layout(page, shots, name, size);

async function seedRow(label) {
  return page.locator(`#seed-list tr[data-seed="${label}"]`);
}

try {
  // --- The operator -----------------------------------------------------------------
  step("operator: seed states");
  await logIn(page, base, operator);
  await page.goto(`${base}/console/#/seeds`);
  await page.waitForSelector("#seed-list");
  const shop = await (await seedRow("shop")).locator("td.state").textContent();
  check(shop.startsWith("archived"), `shop: '${shop}'`);
  const down = await (await seedRow("down")).locator("td.state").textContent();
  check(down.startsWith("site unreachable") && down.includes("cannot connect") && down.includes("next try"), `down: '${down}'`);
  for (const [w, h] of [[1280, 800], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    await laidOut("seeds", `${w}x${h}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  step("operator: a refused setting is shown beside its field");
  await page.fill("#seed-add-url", newUrl);
  await page.fill("#seed-add-label", "new");
  await page.fill("#seed-add-recrawl", "0s");
  await page.click("#seed-add button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#seed-add-recrawl-error").textContent.includes("too short"));
  check(await page.getAttribute("#seed-add-recrawl", "aria-invalid") === "true", "the recrawl field is not marked invalid");
  check((await page.textContent("#seed-add-status")) === "", "the error must not be under the form");
  await page.fill("#seed-add-recrawl", "2h");
  await page.fill("#seed-add-label", "n".repeat(65));
  await page.click("#seed-add button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#seed-add-label-error").textContent.includes("at most 64"));
  check((await page.textContent("#seed-add-recrawl-error")) === "", "the old error stays");

  step("operator: add");
  await page.fill("#seed-add-label", "new");
  await page.selectOption("#seed-add-scope", "domain");
  await page.click("#seed-add button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#seeds-status")?.textContent.includes("Seed new added"));
  await page.waitForSelector('#seed-list tr[data-seed="new"]');

  step("operator: edit");
  await (await seedRow("new")).locator("button.edit").click();
  await page.fill("#edit-new-max_pages", "0");
  await page.click("#edit-new button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#edit-new-max_pages-error").textContent.includes("out of range"));
  await page.fill("#edit-new-max_pages", "500");
  await page.fill("#edit-new-recrawl", "6h");
  await page.click("#edit-new button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#seeds-status")?.textContent.includes("Seed new changed"));
  const recrawl = await (await seedRow("new")).locator("td").nth(3).textContent();
  check(recrawl === "6h", `recrawl shown: '${recrawl}'`);

  step("operator: pause, resume");
  await (await seedRow("new")).locator("button.pause").click();
  await page.waitForFunction(() => document.querySelector("#seeds-status")?.textContent.includes("Seed new paused"));
  const paused = await (await seedRow("new")).locator("td.state").textContent();
  check(paused.startsWith("paused"), `paused: '${paused}'`);
  await (await seedRow("new")).locator("button.resume").click();
  await page.waitForFunction(() => document.querySelector("#seeds-status")?.textContent.includes("Seed new resumed"));

  step("operator: remove (two clicks)");
  await (await seedRow("new")).locator("button.remove").click();
  check(await page.locator('#seed-list tr[data-seed="new"]').count() === 1, "one click must not remove");
  await (await seedRow("new")).locator("button.remove").click();
  await page.waitForFunction(() => document.querySelector("#seeds-status")?.textContent.includes("Seed new removed"));
  check(await page.locator('#seed-list tr[data-seed="new"]').count() === 0, "the removed seed is still listed");

  b.checkOrigin();
  console.log("ok");
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
  process.exitCode = 1;
} finally {
  await b.close();
}
