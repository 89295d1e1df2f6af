#!/usr/bin/env bash
# The query-optimizer's benchmarks (programs, not tests), by subcommand:
#   specialist-query-optimizer/bench.sh data [rows]      the data generator: the task tracker schema, 1,000,000 rows
#   specialist-query-optimizer/bench.sh advisor [rows]   the index set against the index_advisor-rule baseline on the
#                                                        fixture's workload (8 tables, 13 queries), 1,000,000 rows
# BENCH_ADMIN_URL / BENCH_ADMIN_USER / BENCH_ADMIN_PASSWORD: a PostgreSQL of your own instead of the embedded 17.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
shift || true
case "$cmd" in
  data) main=dev.backendteam.queryoptimizer.bench.DataBench; args="${1:-1000000}" ;;
  advisor) main=dev.backendteam.queryoptimizer.bench.AdvisorBench; args="${1:-1000000}" ;;
  *) echo "usage: $0 data|advisor [rows]" >&2; exit 2 ;;
esac
cd "$root"
./mvnw -B -ntp -q -pl libs/contract,libs/sandbox,libs/specialist-runtime install -DskipTests
cd specialist-query-optimizer
../mvnw -B -ntp -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass="$main" -Dexec.args="$args"
