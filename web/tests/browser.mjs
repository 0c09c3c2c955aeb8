// The self-check page in a real browser (Debian's chromium, driven by
// playwright-core; no browser is downloaded). Run by
// crates/photolint-cli/tests/browser.rs after web/build.sh:
//
//   node web/tests/browser.mjs --dist web/dist --cli target/debug/photolint \
//     --out target/web-test FILE...
//
// It opens the page from file://, feeds FILE... through the page's own file
// input, and holds that:
// - the verdict and finding codes shown for each file equal
//   `photolint check --format json` on the same files;
// - one photo gets the result card (written as a screenshot to --out);
// - a folder picked through the folder input is walked as the CLI's scan
//   walks it;
// - the page asks for nothing over the network after it has loaded.
// Timings (load, first check, time inside the checker) are written to
// --out/timings.json and printed; they are measurements, not assertions.
// `--bench N` checks the first FILE N times and reports the median;
// `--folder-bench DIR` times a folder through the page.

import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, statSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, resolve, join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const dist = resolve(opt("--dist", "web/dist"));
const cli = opt("--cli");
const out = resolve(opt("--out", "target/web-test"));
const folder = opt("--folder");
const bench = Number(opt("--bench", "0"));
const folderBench = opt("--folder-bench");
const files = args.map((f) => resolve(f));
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(out, { recursive: true });

let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL: ${msg}`);
};

const browser = await chromium.launch({
  executablePath: browserPath,
  // As root in CI there is no sandbox; the rest keeps Chromium from
  // calling home on a machine without a network.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1100, height: 1000 }, deviceScaleFactor: 1 });
const page = await context.newPage();
const requests = [];
let loaded = false;
const seen = (where) => (r) => requests.push({ url: r.url(), afterLoad: loaded, where });
context.on("request", seen("page"));
page.on("worker", (w) => console.log(`worker started: ${w.url().slice(0, 40)}`));
page.on("console", (m) => {
  if (m.type() === "error" || m.type() === "warning") console.log(`page ${m.type()}: ${m.text()}`);
});
page.on("pageerror", (e) => fail(`page error: ${e.message}`));

const opened = Date.now();
await page.goto(pathToFileURL(join(dist, "index.html")).href);
await page.waitForFunction(() => window.photolint && window.photolint.loadedAt !== null, null, { timeout: 30000 });
loaded = true;
const timings = await page.evaluate(() => ({ loadedAt: window.photolint.loadedAt }));

// The language follows the browser's: Chinese here.
const title = await page.textContent("h1 span");
if (title !== "照片自检") fail(`the page's title in a zh-CN browser is ${JSON.stringify(title)}`);

// What the command line says about the same files.
function cliEntries(paths) {
  const r = spawnSync(cli, ["check", "--format", "json", ...paths], { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, LANG: "C" } });
  if (r.status === null || r.status > 2) throw new Error(`photolint check failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
const summary = (e) => ({ verdict: e.error ? "error" : e.report.verdict, codes: e.error ? e.error.code : e.report.findings.map((f) => f.code).join(" ") });

async function waitIdle() {
  await page.waitForFunction(() => !window.photolint.busy, null, { timeout: 120000 });
}
async function pageRows() {
  return page.$$eval("#results tbody tr", (trs) => trs.map((tr) => ({ name: tr.dataset.name, verdict: tr.dataset.verdict, codes: tr.dataset.codes })));
}

// 1. One photo: the card.
const one = files[0];
await page.setInputFiles("#file", one);
await page.waitForFunction(() => !window.photolint.busy && !document.getElementById("card").hidden, null, { timeout: 60000 });
timings.firstCheckAt = await page.evaluate(() => window.photolint.firstCheckAt);
const cardVerdict = await page.getAttribute("#card", "data-verdict");
const [oneCli] = cliEntries([one]);
if (cardVerdict !== summary(oneCli).verdict) fail(`card of ${basename(one)}: ${cardVerdict}, CLI ${summary(oneCli).verdict}`);
await page.locator("#card").screenshot({ path: join(out, "card-zh.png") });

// A failing photo, if given, for the drop and the docs' screenshot.
const failing = files.find((f) => basename(f) === "head-too-low.jpg");

// A photo dropped on the drop zone (the way most people give one).
{
  const droppedPath = failing || files[files.length - 1];
  const b64 = readFileSync(droppedPath).toString("base64");
  const dropped = basename(droppedPath);
  await page.evaluate(
    ([b64, name]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: "image/jpeg" }));
      const zone = document.getElementById("drop");
      zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [b64, dropped],
  );
  await page.waitForFunction((n) => !window.photolint.busy && !document.getElementById("card").hidden && document.getElementById("file-name").textContent === n, dropped, { timeout: 60000 });
  const v = await page.getAttribute("#card", "data-verdict");
  const want = summary(cliEntries([droppedPath])[0]).verdict;
  if (v !== want) fail(`dropped ${dropped}: ${v}, CLI ${want}`);
  else console.log(`dropped: ${dropped} ${v}, as the CLI`);
  await page.setInputFiles("#file", one);
  await page.waitForFunction((n) => !window.photolint.busy && document.getElementById("file-name").textContent === n, basename(one), { timeout: 60000 });
}

// The same card in English (the language switch relabels the picture too).
await page.selectOption("#lang", "en");
await page.waitForFunction(() => document.getElementById("verdict").textContent.startsWith("PASS") || document.getElementById("verdict").textContent.startsWith("FAIL"));
await page.waitForTimeout(300);
await page.locator("#card").screenshot({ path: join(out, "card-en.png") });

// A failing photo's card, for the docs.
if (failing) {
  await page.setInputFiles("#file", failing);
  await page.waitForFunction(() => !window.photolint.busy && !document.getElementById("card").hidden, null, { timeout: 60000 });
  await page.waitForTimeout(300);
  // What the first rule asks for, opened as a student would.
  await page.click("#findings li details summary");
  await page.screenshot({ path: join(out, "page-fail-en.png"), fullPage: true });
  const shown = await page.$$eval("#findings li .code", (els) => els.map((e) => e.textContent.split(" ")[0]));
  const want = summary(cliEntries([failing])[0]).codes.split(" ");
  if (shown.join(" ") !== want.join(" ")) fail(`card findings of head-too-low.jpg: ${shown}, CLI ${want}`);
}

// 2. All the files at once: the table, compared with the CLI file by file.
await page.setInputFiles("#file", files);
await waitIdle();
const rows = await pageRows();
const cli_ = cliEntries(files);
if (rows.length !== cli_.length) fail(`the table has ${rows.length} rows for ${cli_.length} files`);
const byName = new Map(rows.map((r) => [r.name, r]));
let same = 0;
for (const e of cli_) {
  const want = summary(e);
  const got = byName.get(basename(e.path));
  if (!got) fail(`${basename(e.path)}: no row`);
  else if (got.verdict !== want.verdict || got.codes !== want.codes) fail(`${basename(e.path)}: page ${got.verdict} [${got.codes}], CLI ${want.verdict} [${want.codes}]`);
  else same++;
}
console.log(`files: ${same} of ${cli_.length} the same as photolint check`);
await page.screenshot({ path: join(out, "table-en.png"), fullPage: true });

// 3. A folder, walked as the CLI's scan walks it.
if (folder) {
  await page.setInputFiles("#folder", folder);
  await waitIdle();
  const frows = await pageRows();
  const scan = spawnSync(cli, ["scan", "--format", "jsonl", folder], { encoding: "utf8", maxBuffer: 1 << 28 });
  const items = scan.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((o) => o.path);
  const rel = (p) => join(basename(folder), p.slice(folder.length + 1));
  const want = items.map((o) => ({ name: rel(o.path), verdict: o.error ? "error" : o.report.verdict, codes: o.error ? o.error.code : o.report.findings.map((f) => f.code).join(" ") }));
  const got = frows.map((r) => ({ name: r.name, verdict: r.verdict, codes: r.codes }));
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`folder: page ${JSON.stringify(got)}\n  CLI scan ${JSON.stringify(want)}`);
  else console.log(`folder: ${got.length} photos, the same as photolint scan, in its order`);
}

// 4. Speed: the first file checked again and again.
if (bench > 0) {
  await page.setInputFiles("#file", one);
  await waitIdle();
  const before = await page.evaluate(() => window.photolint.checkMs.length);
  const walls = [];
  for (let i = 0; i < bench; i++) {
    const t0 = Date.now();
    await page.setInputFiles("#file", one);
    await page.waitForFunction(() => !window.photolint.busy && !document.getElementById("card").hidden, null, { timeout: 60000 });
    walls.push(Date.now() - t0);
  }
  const inside = (await page.evaluate(() => window.photolint.checkMs)).slice(before);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pure = await page.evaluate((n) => window.photolint.bench(n), bench);
  timings.bench = { runs: bench, checkMsMedian: median(pure), checkMsMin: Math.min(...pure), inspectMsMedian: median(inside), cardMsMedian: median(walls) };
}

// A folder of many photos through the folder input: photos a second with
// the page's pool of workers (a measurement for graduate offices).
if (folderBench) {
  const t0 = Date.now();
  await page.setInputFiles("#folder", folderBench);
  await waitIdle();
  const secs = (Date.now() - t0) / 1000;
  const n = (await pageRows()).length;
  const workers = await page.evaluate(() => navigator.hardwareConcurrency);
  timings.folder = { photos: n, seconds: secs, perSecond: n / secs, hardwareConcurrency: workers };
}

// 5. The same page from a static web server (any host serves files).
{
  const types = { html: "text/html", js: "text/javascript", css: "text/css" };
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
    if (name.includes("..") || !types[name.split(".").pop()]) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(dist, name));
      res.writeHead(200, { "content-type": types[name.split(".").pop()] }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/index.html`;
  const hosted = await context.newPage();
  hosted.on("pageerror", (e) => fail(`hosted page error: ${e.message}`));
  loaded = false;
  await hosted.goto(url);
  await hosted.waitForFunction(() => window.photolint && window.photolint.loadedAt !== null, null, { timeout: 30000 });
  loaded = true;
  await hosted.setInputFiles("#file", one);
  await hosted.waitForFunction(() => !window.photolint.busy && !document.getElementById("card").hidden, null, { timeout: 60000 });
  const v = await hosted.getAttribute("#card", "data-verdict");
  if (v !== summary(oneCli).verdict) fail(`served over http: ${v}, CLI ${summary(oneCli).verdict}`);
  else console.log(`served over http: ${basename(one)} ${v}, as the CLI`);
  await hosted.close();
  server.close();
}

// 6. Nothing asked for after the page loaded but blobs it made itself.
const late = requests.filter((r) => r.afterLoad && !r.url.startsWith("blob:") && !r.url.startsWith("data:"));
if (late.length) fail(`requests after load: ${late.map((r) => r.url).join(", ")}`);
console.log(`requests: ${requests.filter((r) => !r.afterLoad).length} while loading, ${late.length} after`);

timings.checkMs = await page.evaluate(() => window.photolint.checkMs);
timings.pageBytes = readdirSync(dist).filter((f) => /\.(html|js|css)$/.test(f)).reduce((n, f) => n + statSync(join(dist, f)).size, 0);
timings.openedToLoadedMs = timings.loadedAt;
writeFileSync(join(out, "timings.json"), JSON.stringify(timings, null, 2));
console.log(`timings: ${JSON.stringify({ ...timings, checkMs: undefined })}`);
await browser.close();
if (failures) {
  console.error(`${failures} failure(s)`);
  process.exit(1);
}
console.log("browser test: ok");
