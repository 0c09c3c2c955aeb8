#!/usr/bin/env bash
# Builds the self-check page into web/dist (or the folder given): the
# library compiled to WebAssembly, wasm-bindgen's glue, the page. The
# result is a folder of static files that works from file:// and from any
# static web host; nothing in it fetches anything.
#
# Needs the wasm32-unknown-unknown target and wasm-bindgen-cli at the
# version crates/photolint-wasm pins:
#   rustup target add wasm32-unknown-unknown
#   cargo install wasm-bindgen-cli --version 0.2.130
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-web/dist}"
target="${CARGO_TARGET_DIR:-target}"
pin=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' crates/photolint-wasm/Cargo.toml)

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "web/build.sh: the wasm32-unknown-unknown target is missing: rustup target add wasm32-unknown-unknown" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$pin" ]; then
  echo "web/build.sh: wasm-bindgen $pin is needed (found: ${have:-none}): cargo install wasm-bindgen-cli --version $pin" >&2
  exit 1
fi

cargo build -q --profile wasm --target wasm32-unknown-unknown -p photolint-wasm
pkg="$target/web-pkg"
rm -rf "$pkg"
wasm-bindgen --target no-modules --no-typescript --remove-name-section \
  --remove-producers-section --out-dir "$pkg" \
  "$target/wasm32-unknown-unknown/wasm/photolint_wasm.wasm"

mkdir -p "$out/licences"
cp web/index.html web/style.css web/app.js "$out/"
cp crates/photolint/models/LICENSE-* "$out/licences/"
cp crates/photolint/fonts/LICENSE-OFL-1.1.txt "$out/licences/LICENSE-font-OFL-1.1.txt"
# One classic script holds the worker's code (the glue and web/worker.js,
# as a function the page starts from a Blob) and the module, gzipped and
# in base64: a page opened from file:// may load scripts, but may not fetch
# files or start a worker from one.
{
  echo "// photolint's checker, made by web/build.sh from crates/photolint-wasm"
  echo "// and web/worker.js. Do not edit."
  echo "self.photolintWorker = function () {"
  cat "$pkg/photolint_wasm.js"
  cat web/worker.js
  echo "};"
  printf 'self.PHOTOLINT_WASM_GZ = "'
  gzip -9 -n < "$pkg/photolint_wasm_bg.wasm" | base64 -w0
  echo '";'
} > "$out/engine.js"
wasm=$(stat -c %s "$pkg/photolint_wasm_bg.wasm")
page=$(du -cb "$out"/*.html "$out"/*.js "$out"/*.css | tail -1 | cut -f1)
echo "web/build.sh: $out: page $page bytes (module $wasm bytes before gzip)"
