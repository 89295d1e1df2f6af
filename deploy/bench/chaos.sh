#!/usr/bin/env bash
# The chaos program (issue 14): jobs of mixed flows through a private local stack while services are killed -9
# and restarted, the broker and the job store restarted once; then the brief's promises are checked (nothing lost,
# nothing applied twice, no sandbox leftovers, validation ran, no secret leaked) and printed. deploy/bench/README.md
# has the options and what each check means; `deploy/bench/chaos.sh --help` lists the options.
#   deploy/bench/chaos.sh                                   200 jobs, a kill every ~8 s, broker and store restarts
#   deploy/bench/chaos.sh --jobs 30 --kills 3 --seed 20261202     about the CI version (deploy/e2e ChaosIT)
set -euo pipefail
BENCH_MAIN=dev.backendteam.bench.Chaos BENCH_STARTS_STACK=1 exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
