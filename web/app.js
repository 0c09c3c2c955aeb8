// The self-check page: photos dropped or picked are checked by photolint
// compiled to WebAssembly, in Web Workers, on this device. Nothing is sent
// anywhere (the page's Content-Security-Policy forbids it too).
"use strict";

const TEXT = {
  zh: {
    title: "照片自检",
    profile: "标准",
    language: "语言",
    drop: "把照片或整个文件夹拖到这里",
    pick: "选择照片",
    pickFolder: "选择文件夹",
    private: "照片只在本机检查，不会上传到任何地方。",
    loading: "正在加载检查程序…",
    ready: "可以检查了。",
    checking: "正在检查 {done}/{total}…",
    checked: "已检查 {total} 个文件。",
    findings: "发现的问题",
    noFindings: "没有发现问题。",
    unjudged: "未能判断",
    measured: "测量值",
    pass: "合格",
    fail: "不合格",
    error: "无法检查",
    passLong: "合格：可以提交。",
    failLong: "不合格：提交后会被退回，请按下面的说明修改。",
    errorLong: "无法检查这个文件。",
    warning: "警告",
    errorSeverity: "错误",
    csv: "下载 CSV",
    colFile: "文件",
    colVerdict: "结论",
    colCodes: "规则",
    colMessage: "说明",
    summary: "共 {total} 个：合格 {pass}，不合格 {fail}，无法检查 {bad}。",
    crashed: "检查程序内部出错",
    why: "这条规则的要求和原因",
    footer: "photolint：检查结果与命令行 photolint check 相同（同一份代码编译而成）。",
    m_size: "像素尺寸",
    m_file: "文件大小 / 格式",
    m_dpi: "分辨率",
    m_quality: "JPEG 质量",
    m_crown: "头顶位置",
    m_eyes: "眼睛位置",
    m_face: "脸宽",
    m_head: "头高",
    m_roll: "头部倾斜",
    m_bg: "背景颜色",
    m_clothing: "衣服颜色",
    m_exposure: "曝光",
    m_faces: "人脸数",
  },
  en: {
    title: "photo self-check",
    profile: "Standard",
    language: "Language",
    drop: "Drop a photo or a whole folder here",
    pick: "Choose photos",
    pickFolder: "Choose a folder",
    private: "Photos are checked on this device and never uploaded.",
    loading: "Loading the checker…",
    ready: "Ready.",
    checking: "Checking {done}/{total}…",
    checked: "Checked: {total}.",
    findings: "Findings",
    noFindings: "Nothing to fix.",
    unjudged: "Not judged",
    measured: "Measured",
    pass: "PASS",
    fail: "FAIL",
    error: "ERROR",
    passLong: "PASS: ready to submit.",
    failLong: "FAIL: this photo would be rejected; change what is listed below.",
    errorLong: "This file cannot be checked.",
    warning: "warning",
    errorSeverity: "error",
    csv: "Download CSV",
    colFile: "File",
    colVerdict: "Verdict",
    colCodes: "Rules",
    colMessage: "Message",
    summary: "{total} files: {pass} pass, {fail} fail, {bad} cannot be checked.",
    crashed: "internal error in the checker",
    why: "What this rule asks for, and why",
    footer: "photolint: the verdict is the command line's (photolint check), compiled from the same code.",
    m_size: "Pixel size",
    m_file: "File size / format",
    m_dpi: "Resolution",
    m_quality: "JPEG quality",
    m_crown: "Top of head",
    m_eyes: "Eye line",
    m_face: "Face width",
    m_head: "Head height",
    m_roll: "Head tilt",
    m_bg: "Backdrop colour",
    m_clothing: "Clothing colour",
    m_exposure: "Exposure",
    m_faces: "Faces",
  },
};

const $ = (id) => document.getElementById(id);
const state = {
  lang: (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en",
  profile: "chsi-diploma",
  profiles: [],
  rows: [], // {name, file, entry (parsed JSON), picture (object URL)}
  shown: -1, // the row on the card
  run: 0,
};
// For tests and curious users: what the page has done, with timings.
const page = (window.photolint = {
  loadedAt: null, // ms after navigation start when the engine was ready
  firstCheckAt: null, // ms after navigation start when the first result came
  checkMs: [], // time inside the checker, per photo
  rows: state.rows,
  busy: false,
});

function t(key, vars) {
  let s = TEXT[state.lang][key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace(`{${k}}`, v);
  return s;
}

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("lang").value = state.lang;
  fillProfiles();
  if (state.rows.length) renderTable();
  if (state.shown >= 0) showCard(state.shown, true);
}

function fillProfiles() {
  const sel = $("profile");
  sel.textContent = "";
  for (const p of state.profiles) {
    const o = document.createElement("option");
    o.value = p.name;
    o.textContent = `${state.lang === "zh" ? p.title_zh : p.title_en} (${p.name})`;
    sel.append(o);
  }
  sel.value = state.profile;
}

// ---- the engine: one compiled module, a pool of workers ----

async function compileModule() {
  const packed = Uint8Array.from(atob(self.PHOTOLINT_WASM_GZ), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return WebAssembly.compile(await new Response(stream).arrayBuffer());
}

const pool = { workers: [], idle: [], queue: [], pending: new Map(), module: null, url: null };

function startWorker() {
  return new Promise((resolve) => {
    const w = new Worker(pool.url);
    w.onmessage = (e) => {
      const m = e.data;
      if (m.type === "ready") {
        state.profiles = m.profiles;
        resolve(w);
        return;
      }
      const job = pool.pending.get(m.id);
      pool.pending.delete(m.id);
      if (m.type === "crashed") {
        // The module's memory is no longer trustworthy: replace the worker.
        w.terminate();
        pool.workers = pool.workers.filter((x) => x !== w);
        startWorker().then((fresh) => {
          pool.workers.push(fresh);
          release(fresh);
        });
        job.resolve({ json: JSON.stringify({ path: job.name, error: { code: "E009-internal", message_en: TEXT.en.crashed, message_zh: TEXT.zh.crashed } }), picture: null, ms: 0 });
        return;
      }
      job.resolve(m);
      release(w);
    };
    w.postMessage({ type: "init", module: pool.module });
  });
}

function release(w) {
  const job = pool.queue.shift();
  if (job) send(w, job);
  else pool.idle.push(w);
}

function send(w, job) {
  pool.pending.set(job.id, job);
  w.postMessage({ type: "check", id: job.id, name: job.name, file: job.file, profile: job.profile, lang: job.lang, width: job.width, found: job.found });
}

let nextId = 0;

// Times `runs` checks of the first photo shown, without pictures, in one
// worker (for the browser test's speed measure).
page.bench = (runs) =>
  new Promise((resolve) => {
    const row = state.rows[0];
    row.file.arrayBuffer().then((bytes) => {
      const w = pool.idle.pop();
      const id = nextId++;
      pool.pending.set(id, { resolve: (m) => resolve(m.ms) });
      w.postMessage({ type: "bench", id, name: row.name, bytes, profile: state.profile, runs }, [bytes]);
    });
  });

// Checks a File (read by the worker that takes it).
function check(name, file, width, found = false) {
  return new Promise((resolve) => {
    const job = { id: nextId++, name, file, width, found, profile: state.profile, lang: state.lang, resolve };
    const w = pool.idle.pop();
    if (w) send(w, job);
    else pool.queue.push(job);
  });
}

async function startEngine() {
  $("status").textContent = t("loading");
  pool.module = await compileModule();
  const source = `(${self.photolintWorker.toString()})()`;
  pool.url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const n = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
  pool.workers = await Promise.all(Array.from({ length: n }, startWorker));
  // Photos dropped while the engine loaded are waiting in the queue.
  for (const w of pool.workers) release(w);
  page.loadedAt = performance.now();
  fillProfiles();
  $("status").textContent = t("ready");
}

// ---- files in ----

// Files found in a folder, as the command line's scan finds them: hidden
// files and folders inside it left out (the folder given is walked even
// when its own name starts with a dot), sorted by path.
async function walkEntry(entry, out, depth = 0) {
  if (depth > 0 && entry.name.startsWith(".")) return;
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({ name: entry.fullPath.replace(/^\//, ""), file, found: true });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      if (!batch.length) break;
      for (const e of batch) await walkEntry(e, out, depth + 1);
    }
  }
}

const byPath = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

async function checkItems(items) {
  const run = ++state.run;
  items.sort(byPath);
  for (const r of state.rows) {
    if (!r) continue;
    if (r.picture) URL.revokeObjectURL(r.picture);
    if (r.bigPicture && r.bigPicture !== r.picture) URL.revokeObjectURL(r.bigPicture);
  }
  state.rows.length = 0;
  state.shown = -1;
  // Files found in folders that are no photos drop out (the worker tells,
  // by the command line's rule); a single photo gets the card.
  const single = items.length === 1 && !items[0].found;
  $("batch").hidden = single;
  $("card").hidden = true;
  page.busy = true;
  let done = 0;
  const status = () => ($("status").textContent = t("checking", { done, total: items.length }));
  status();
  const one = async (it, i) => {
    const res = await check(it.name, it.file, single ? 480 : 96, it.found);
    if (run !== state.run) return;
    done++;
    status();
    if (res.skipped) return;
    if (page.firstCheckAt === null) page.firstCheckAt = performance.now();
    if (res.ms) page.checkMs.push(res.ms);
    state.rows[i] = { name: it.name, file: it.file, entry: JSON.parse(res.json), names: res.names || {}, rules: res.rules || {}, picture: res.picture ? URL.createObjectURL(res.picture) : null, ms: res.ms };
    if (!single) scheduleTable();
  };
  // A few files in flight for each worker (each is read by the worker that
  // checks it): a folder of thousands of camera photos is never all in
  // memory. Results may come in any order; rows keep the sorted order.
  let next = 0;
  const lane = async () => {
    while (next < items.length && run === state.run) {
      const i = next++;
      await one(items[i], i);
    }
  };
  state.rows.length = items.length;
  await Promise.all(Array.from({ length: Math.max(2, pool.workers.length * 2) }, lane));
  if (run !== state.run) return;
  // Close the gaps the skipped files left.
  const found = state.rows.filter(Boolean);
  state.rows.length = 0;
  for (const r of found) state.rows.push(r);
  page.busy = false;
  $("status").textContent = t("checked", { total: found.length });
  if (single) showCard(0);
  else renderTable();
}

// ---- results out ----

function verdictOf(entry) {
  return entry.error ? "error" : entry.report.verdict;
}

function message(f) {
  return state.lang === "zh" ? f.message_zh : f.message_en;
}

// A folder of thousands of photos: the table is redrawn at most five times
// a second while results come, not once a photo.
let tablePending = false;
function scheduleTable() {
  if (tablePending) return;
  tablePending = true;
  setTimeout(() => {
    tablePending = false;
    renderTable();
  }, 200);
}

function renderTable() {
  const tbody = $("results").tBodies[0];
  tbody.textContent = "";
  const counts = { pass: 0, fail: 0, error: 0 };
  state.rows.forEach((row, i) => {
    if (!row) return;
    const v = verdictOf(row.entry);
    counts[v]++;
    const tr = document.createElement("tr");
    tr.dataset.name = row.name;
    tr.dataset.verdict = v;
    const codes = row.entry.error ? [row.entry.error.code] : row.entry.report.findings.map((f) => f.code);
    tr.dataset.codes = codes.join(" ");
    const msg = row.entry.error
      ? (state.lang === "zh" ? row.entry.error.message_zh : row.entry.error.message_en)
      : row.entry.report.findings.map(message).join(state.lang === "zh" ? "；" : "; ");
    const cells = [String(i + 1), row.name, t(v), codes.join(" "), msg];
    cells.forEach((text, k) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (k === 2) td.className = `v-${v}`;
      tr.append(td);
    });
    const td = document.createElement("td");
    if (row.picture) {
      const img = document.createElement("img");
      img.src = row.picture;
      img.alt = "";
      td.append(img);
    }
    tr.append(td);
    tr.onclick = () => showCard(i);
    tbody.append(tr);
  });
  $("summary").textContent = t("summary", { total: state.rows.filter(Boolean).length, pass: counts.pass, fail: counts.fail, bad: counts.error });
}

async function showCard(i, relabel) {
  const row = state.rows[i];
  if (!row) return;
  state.shown = i;
  // A thumbnail row, or a language change: draw the picture again at full
  // size, labelled in the language shown.
  if (row.big !== state.lang && !row.entry.error) {
    const res = await check(row.name, row.file, 480);
    if (res.picture) {
      if (row.bigPicture) URL.revokeObjectURL(row.bigPicture);
      row.bigPicture = URL.createObjectURL(res.picture);
      row.big = state.lang;
    }
  } else if (row.big === undefined && row.picture) {
    row.bigPicture = row.picture;
    row.big = state.lang;
  }
  const entry = row.entry;
  const v = verdictOf(entry);
  const card = $("card");
  card.hidden = false;
  card.dataset.verdict = v;
  $("verdict").className = v;
  $("verdict").textContent = t(`${v}Long`);
  $("file-name").textContent = row.name;
  const img = $("picture");
  if (row.bigPicture) {
    img.src = row.bigPicture;
    img.hidden = false;
  } else {
    img.removeAttribute("src");
    img.hidden = true;
  }
  const list = $("findings");
  list.textContent = "";
  // Each finding, and under it what the rule asks for and why (the
  // profile's numbers in it), as `photolint explain` says it.
  const add = (ul, cls, code, text, rule) => {
    const li = document.createElement("li");
    li.className = cls;
    const c = document.createElement("span");
    c.className = "code";
    c.textContent = code;
    li.append(c, text);
    const about = rule && rule[state.lang === "zh" ? "doc_zh" : "doc_en"];
    if (about) {
      const d = document.createElement("details");
      const s = document.createElement("summary");
      s.textContent = t("why");
      const p = document.createElement("p");
      p.textContent = about;
      d.append(s, p);
      li.append(d);
    }
    ul.append(li);
  };
  const rules = row.rules || {};
  if (entry.error) {
    add(list, "error", entry.error.code, state.lang === "zh" ? entry.error.message_zh : entry.error.message_en);
  } else if (!entry.report.findings.length) {
    add(list, "none", "", t("noFindings"));
  } else {
    for (const f of entry.report.findings) {
      add(list, f.severity, `${f.code} ${t(f.severity === "error" ? "errorSeverity" : "warning")}`, message(f), rules[f.code]);
    }
  }
  const unjudged = entry.report?.unjudged || [];
  $("unjudged-box").hidden = !unjudged.length;
  $("unjudged").textContent = "";
  for (const u of unjudged) add($("unjudged"), "", u.code, state.lang === "zh" ? u.reason_zh : u.reason_en, rules[u.code]);
  renderMeasured({ ...entry, names: row.names });
  if (!relabel) card.scrollIntoView({ block: "nearest" });
}

function renderMeasured(entry) {
  const table = $("measured");
  table.textContent = "";
  if (entry.error) return;
  const r = entry.report;
  const f = r.file || {};
  const m = r.measurements || {};
  const fr = m.framing || {};
  const colour = (key) => {
    const n = (entry.names || {})[key];
    return n ? n[state.lang === "zh" ? 1 : 0] : key;
  };
  const px = (v) => (v && v.reference != null ? `${Math.round(v.reference)} px` : "—");
  const rows = [
    ["m_size", f.width ? `${f.width} × ${f.height}` : "—"],
    ["m_file", `${((f.file_size || 0) / 1024).toFixed(1)} KB · ${(f.format || "").toUpperCase()}`],
    ["m_dpi", f.density ? `${Math.round(f.density.x_dpi)} dpi` : "—"],
    ["m_quality", f.jpeg_quality ? String(f.jpeg_quality.value) : "—"],
    ["m_faces", m.face_count != null ? String(m.face_count) : "—"],
    ["m_crown", px(fr.crown_y)],
    ["m_eyes", px(fr.eye_y)],
    ["m_face", px(fr.face_width)],
    ["m_head", px(fr.head_height)],
    ["m_roll", fr.roll_degrees != null ? `${fr.roll_degrees.toFixed(1)}°` : "—"],
    ["m_bg", m.background ? `${colour(m.background.colour)} · ΔE ${m.background.delta_e.toFixed(1)} · rgb(${m.background.mean_rgb.join(", ")})` : "—"],
    ["m_clothing", m.clothing && m.clothing.colours && m.clothing.colours.length ? m.clothing.colours.slice(0, 3).map((c) => `${colour(c.name)} ${Math.round(c.share * 100)}%`).join(", ") : "—"],
    ["m_exposure", m.light ? `${m.light.exposure_ev.toFixed(2)} EV` : "—"],
  ];
  for (const [k, v] of rows) {
    const tr = document.createElement("tr");
    const a = document.createElement("td");
    a.textContent = t(k);
    const b = document.createElement("td");
    b.textContent = v;
    tr.append(a, b);
    table.append(tr);
  }
}

function csvCell(s) {
  s = String(s ?? "");
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function downloadCsv() {
  const lines = [["file", "verdict", "codes", "message"].join(",")];
  for (const row of state.rows) {
    if (!row) continue;
    const e = row.entry;
    const codes = e.error ? e.error.code : e.report.findings.map((f) => f.code).join(" ");
    const msg = e.error ? (state.lang === "zh" ? e.error.message_zh : e.error.message_en) : e.report.findings.map(message).join("; ");
    lines.push([row.name, verdictOf(e), codes, msg].map(csvCell).join(","));
  }
  // A byte-order mark, so that Excel reads the Chinese as UTF-8.
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "photolint.csv";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---- wiring ----

function fromInput(input) {
  const items = Array.from(input.files, (file) => ({ name: file.webkitRelativePath || file.name, file, found: !!file.webkitRelativePath }));
  input.value = "";
  // The picked folder is the first part of each path; hidden parts below it
  // are left out.
  return items.filter((it) => !(it.found && it.name.split("/").slice(1).some((part) => part.startsWith("."))));
}

async function onDrop(e) {
  e.preventDefault();
  $("drop").classList.remove("over");
  const entries = Array.from(e.dataTransfer.items || [], (i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  const items = [];
  if (entries.length && entries.every(Boolean)) {
    for (const entry of entries) {
      if (entry.isFile) items.push({ name: entry.name, file: await new Promise((res, rej) => entry.file(res, rej)), found: false });
      else await walkEntry(entry, items);
    }
  } else {
    for (const file of e.dataTransfer.files) items.push({ name: file.name, file, found: false });
  }
  if (items.length) checkItems(items);
}

async function main() {
  applyLanguage();
  $("lang").onchange = () => {
    state.lang = $("lang").value;
    applyLanguage();
  };
  $("profile").onchange = () => {
    state.profile = $("profile").value;
    const items = state.rows.filter(Boolean).map((r) => ({ name: r.name, file: r.file, found: false }));
    if (items.length) checkItems(items);
  };
  $("pick").onclick = () => $("file").click();
  $("pick-folder").onclick = () => $("folder").click();
  $("file").onchange = () => checkItems(fromInput($("file")));
  $("folder").onchange = () => checkItems(fromInput($("folder")));
  $("csv").onclick = downloadCsv;
  const drop = $("drop");
  drop.ondragover = (e) => {
    e.preventDefault();
    drop.classList.add("over");
  };
  drop.ondragleave = () => drop.classList.remove("over");
  drop.ondrop = onDrop;
  // A photo dropped anywhere else would be opened by the browser instead.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  await startEngine();
  applyLanguage();
}

main();
