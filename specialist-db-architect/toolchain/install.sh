#!/bin/sh
# Installs db-architect's TypeScript checker (the compiler, @supabase/supabase-js's types, Node 22) from
# package-lock.json with npm ci — once per lock file: a build with the same lock file leaves node_modules alone.
# Run by the module's Maven build (phase generate-resources); -Ddbarchitect.toolchain.skip=true skips it.
# Without npm the checks have nothing to run with: the service then reports them not_run, and this says so.
set -e
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "db-architect toolchain: npm is not on the PATH, so tsc and the supabase-js types are not installed; db-architect's" \
    "TypeScript checks will report not_run" >&2
  exit 0
fi
stamp=node_modules/.installed-from-package-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "db-architect toolchain: npm ci (typescript, @supabase/supabase-js, node 22) from specialist-db-architect/toolchain/package-lock.json"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
cp package-lock.json "$stamp"
