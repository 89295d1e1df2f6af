#!/usr/bin/env bash
# The security step's benchmark (a program, not a test): the README example's grants, policies, lints, RLS matrix and
# sensitivity checks, sandbox creation included, timed over N runs (default 10).
#   specialist-security/bench.sh [runs]
# BENCH_ADMIN_URL / BENCH_ADMIN_USER / BENCH_ADMIN_PASSWORD: a PostgreSQL of your own instead of the embedded 17.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -ntp -q -pl libs/contract,libs/sandbox,libs/specialist-runtime install -DskipTests
cd specialist-security
../mvnw -B -ntp -q test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.backendteam.security.bench.MatrixBench -Dexec.args="${1:-10}"
