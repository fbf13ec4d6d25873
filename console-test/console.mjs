// Drives the Flotilla web console in headless Chromium (Debian's /usr/bin/chromium) against a
// running control plane, as a person would: log in (a wrong token first), open the global view, a
// middleware page and a cluster page, check a relocation the scheduler refuses, relocate one
// instance and wait until the page shows it ready in its new cluster, cordon and uncordon a
// cluster, drain the emptied one and uncordon it. Screenshots of each page go to OUTDIR. Exits 0
// only when every step passed; any JavaScript error, CSP violation or reload of the page fails it.
//
//   FLOTILLA_TOKEN=TOKEN node console-test/console.mjs URL OUTDIR [NAMESPACE/NAME ROLE FROM TO]
//
// Run by sandbox's ConsoleTest (mvn verify, tag e2e); see docs/console.md.

import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// the token comes from the environment, never the command line (which every user can list)
const token = process.env.FLOTILLA_TOKEN;
const [url, outdir, mwArg = "default/zk", role = "participant", from = "dc2", to = "dc3"] = process.argv.slice(2);
if (!url || !token || !outdir) {
  console.error("usage: FLOTILLA_TOKEN=TOKEN node console.mjs URL OUTDIR [NAMESPACE/NAME ROLE FROM TO]");
  process.exit(2);
}
const [ns, name] = mwArg.split("/");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const STEP_MS = 30_000;
const MOVE_MS = 240_000;

mkdirSync(outdir, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "flotilla-console-"));
const started = Date.now();
const problems = [];

function log(step, detail) {
  const s = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[console ${s}s] ${step}${detail ? ": " + detail : ""}`);
}

let context;
let page;
let step = "launch";
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(STEP_MS);
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => {
    // Chromium logs every answer of 4xx or 5xx; the refusals this script provokes are expected
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push("console error: " + m.text());
  });
  const shot = async (file) => {
    await page.screenshot({ path: join(outdir, file), fullPage: true });
    log("screenshot", file);
  };

  step = "open the console";
  await page.goto(url.replace(/\/$/, "") + "/");
  if (!new URL(page.url()).pathname.startsWith("/console/")) throw new Error("/ did not lead to /console/, got " + page.url());
  await page.locator("#login").waitFor();
  log(step, page.url());

  step = "a wrong token is refused";
  await page.fill("#token", "not-the-token");
  await page.click("#login-submit");
  await page.locator("#login-error", { hasText: "not accepted" }).waitFor();
  await shot("login.png");

  step = "log in";
  await page.fill("#token", token);
  await page.click("#login-submit");
  await page.locator("#matrix").waitFor();
  await page.evaluate(() => {
    window.__flotillaNoReload = true;
  });
  log(step);

  step = "global view: every instance ready";
  const cells = page.locator(`[data-cell^="${ns}/${name}@"]`);
  await page.waitForFunction(
    (prefix) => {
      const cs = Array.from(document.querySelectorAll(`[data-cell^="${prefix}@"]`));
      const total = cs.reduce((n, c) => n + Number(c.dataset.count), 0);
      return total > 0 && cs.every((c) => c.dataset.count === c.dataset.ready);
    },
    `${ns}/${name}`,
    { timeout: MOVE_MS },
  );
  log(step, (await cells.count()) + " clusters");
  await shot("global.png");

  step = "middleware page";
  await page.click(`a[href="#/mw/${encodeURIComponent(ns)}/${encodeURIComponent(name)}"]`);
  await page.locator("#middleware .instance").first().waitFor();
  await page.locator('#conditions [data-condition="Available"]').waitFor();
  await page.locator('#policies [data-policy^="PropagationPolicy/"]').waitFor();
  await page.locator("#events h2").waitFor();
  const inFrom = await page.locator(`.cluster-box[data-cluster="${from}"] [data-instance^="${from}/${role}/"]`).count();
  const inTo = await page.locator(`.cluster-box[data-cluster="${to}"] [data-instance^="${to}/${role}/"]`).count();
  log(step, `${role}: ${inFrom} in ${from}, ${inTo} in ${to}`);
  if (inFrom < 1) throw new Error(`no ${role} instance in ${from} to move`);
  await shot("middleware.png");

  step = "a relocation the scheduler refuses";
  await page.selectOption("#relocate-role", role);
  await page.selectOption("#relocate-from", from);
  await page.selectOption("#relocate-to", to);
  await page.fill("#relocate-count", String(inFrom + 1));
  await page.click("#relocate-check");
  const refused = page.locator('#relocate-answer [data-outcome="refused"]');
  await refused.waitFor();
  log(step, (await refused.innerText()).replace(/\s+/g, " "));
  if (!(await page.locator("#relocate-apply").isDisabled())) throw new Error("Move is enabled after a refused check");

  step = "relocate one instance (dry run, then the move)";
  await page.fill("#relocate-count", "1");
  await page.locator("#relocate-count").dispatchEvent("change");
  await page.click("#relocate-check");
  const accepted = page.locator('#relocate-answer [data-outcome="accepted"]');
  await accepted.waitFor();
  log("the scheduler accepts", (await accepted.innerText()).replace(/\s+/g, " "));
  await shot("relocate-check.png");
  await page.click("#relocate-apply");
  await page.locator('#relocate-answer [data-outcome="applied"]').waitFor();
  log(step, "written");

  step = `watch it move: ${from} ${inFrom} → ${inFrom - 1}, ${to} ${inTo} → ${inTo + 1}, all ready`;
  await page.waitForFunction(
    ([role, from, to, wantFrom, wantTo]) => {
      const at = (c) => Array.from(document.querySelectorAll(`.cluster-box[data-cluster="${c}"] [data-instance^="${c}/${role}/"]`));
      const all = Array.from(document.querySelectorAll("#instances [data-instance]"));
      return at(from).length === wantFrom && at(to).length === wantTo && all.every((i) => i.dataset.ready === "true");
    },
    [role, from, to, inFrom - 1, inTo + 1],
    { timeout: MOVE_MS, polling: 500 },
  );
  await page.locator('#conditions [data-condition="Available"] .badge.ok').waitFor({ timeout: MOVE_MS });
  log(step, "done");
  await shot("middleware-relocated.png");

  step = "cluster page";
  await page.click(`.cluster-box[data-cluster="${to}"] h3 a`);
  await page.locator("#cluster #capacity [data-capacity=cpu]").waitFor();
  await page.locator('#cluster #health [data-ready="true"]').waitFor();
  await page.locator(`#running [data-instance^="${to}/${role}/"]`).first().waitFor();
  log(step, to);

  step = "cordon";
  await page.click("#cordon");
  await page.locator('#taints [data-taint="flotilla.io/cordoned:NoSchedule"]').waitFor();
  await page.locator("#history span").nth(2).waitFor();
  await shot("cluster.png");

  step = "uncordon";
  await page.click("#uncordon");
  await page.locator('#taints [data-taint="flotilla.io/cordoned:NoSchedule"]').waitFor({ state: "detached" });
  log(step, "taint removed");

  step = "drain the emptied cluster, then uncordon it";
  await page.evaluate((c) => { location.hash = "#/cluster/" + encodeURIComponent(c); }, from);
  await page.locator(`#cluster[data-cluster="${from}"] #capacity [data-capacity=cpu]`).waitFor();
  await page.click("#drain");
  await page.click("#drain-confirm");
  await page.locator('#taints [data-taint="flotilla.io/drained:NoExecute"]').waitFor();
  await page.locator('#taints [data-taint="flotilla.io/cordoned:NoSchedule"]').waitFor();
  await page.click("#uncordon");
  await page.locator('#taints [data-taint="flotilla.io/drained:NoExecute"]').waitFor({ state: "detached" });
  await page.locator('#taints [data-taint="flotilla.io/cordoned:NoSchedule"]').waitFor({ state: "detached" });
  log(step, from);

  step = "back to the global view";
  await page.click('a.brand');
  await page.locator(`[data-cell="${ns}/${name}@${to}"][data-count="${inTo + 1}"]`).waitFor();

  step = "no reload and no error";
  const same = await page.evaluate(() => window.__flotillaNoReload === true);
  if (!same) throw new Error("the page was reloaded: live updates must come without reload");
  if (problems.length) throw new Error(problems.join("; "));
  log("PASSED", `${((Date.now() - started) / 1000).toFixed(1)} s`);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  console.error(`[console] FAILED at "${step}": ${e.message}`);
  if (problems.length) console.error("[console] also: " + problems.join("; "));
  try {
    if (page) await page.screenshot({ path: join(outdir, "failure.png"), fullPage: true });
  } catch (ignored) {
    // the browser is gone: nothing to capture
  }
  try {
    if (context) await context.close();
  } catch (ignored) {
    // closing a browser that failed to start
  }
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
