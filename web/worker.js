// The checking worker. web/build.sh puts wasm-bindgen's glue (which
// defines `wasm_bindgen`) before this code, inside one function that the
// page starts as a Worker from a Blob: a page opened from file:// may not
// load a worker script from a file.
//
// Messages in: {type: "init", module} once, then
// {type: "check", id, name, file (a File, read here), profile, lang, width,
// found}, or
// {type: "bench", id, name, bytes, profile, runs} (answered with the
// times of `runs` checks).
// Messages out: {type: "ready", profiles}, {type: "result", id, json,
// names (colour names: {key: [en, zh]}), rules (what each rule reported
// checks: {code: {title_en, title_zh, doc_en, doc_zh}}), picture (a PNG
// Blob or null), ms}, or {type: "result", id, skipped:
// true} for a file found in a folder that is no photo.

self.onmessage = async (event) => {
  const m = event.data;
  if (m.type === "init") {
    wasm_bindgen.initSync({ module: m.module });
    self.postMessage({ type: "ready", profiles: JSON.parse(wasm_bindgen.profiles()) });
    return;
  }
  if (m.type === "bench") {
    // The check alone (no picture), `runs` times: the speed budget's measure.
    const bytes = new Uint8Array(m.bytes);
    const ms = [];
    for (let i = 0; i < m.runs; i++) {
      const t0 = performance.now();
      wasm_bindgen.check(bytes, m.name, m.profile);
      ms.push(performance.now() - t0);
    }
    self.postMessage({ type: "result", id: m.id, ms });
    return;
  }
  if (m.type !== "check") return;
  // The file is read here, and only as far as needed: a file found in a
  // folder is first looked at by its name and 16 bytes (a video is not
  // read), and one over the size limit is refused unread, as the command
  // line refuses it.
  let bytes;
  try {
    if (m.found) {
      const head = new Uint8Array(await m.file.slice(0, 16).arrayBuffer());
      if (!wasm_bindgen.is_photo(m.name, head)) {
        self.postMessage({ type: "result", id: m.id, skipped: true });
        return;
      }
    }
    const tooLarge = wasm_bindgen.size_error(m.name, m.file.size);
    if (tooLarge) {
      self.postMessage({ type: "result", id: m.id, json: tooLarge, names: {}, picture: null, ms: 0 });
      return;
    }
    bytes = new Uint8Array(await m.file.arrayBuffer());
  } catch (e) {
    // Moved or unreadable since it was picked.
    const json = JSON.stringify({ path: m.name, error: { code: "E005-io", message_en: `cannot read: ${e.message}`, message_zh: "无法读取该文件" } });
    self.postMessage({ type: "result", id: m.id, json, names: {}, picture: null, ms: 0 });
    return;
  }
  const started = performance.now();
  let outcome;
  try {
    outcome = wasm_bindgen.inspect(bytes, m.name, m.profile, m.lang, m.width);
  } catch (e) {
    // A trap leaves the module's memory unusable: say so, and the page
    // replaces this worker.
    self.postMessage({ type: "crashed", id: m.id, message: String(e) });
    return;
  }
  const ms = performance.now() - started;
  const json = outcome.json;
  const names = JSON.parse(outcome.names);
  const rules = JSON.parse(outcome.rules);
  const width = outcome.width;
  const height = outcome.height;
  const rgba = width > 0 ? outcome.rgba : null;
  outcome.free();
  let picture = null;
  if (rgba) {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer), width, height), 0, 0);
    picture = await canvas.convertToBlob({ type: "image/png" });
  }
  self.postMessage({ type: "result", id: m.id, json, names, rules, picture, ms });
};
