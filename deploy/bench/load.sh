#!/usr/bin/env bash
# The load program (issue 14): an open-loop rate of job submissions through a private local stack, in steps, with
# accept latency, refusals, backlog, outbox, consumer lag, CPU and memory per step; then one key past its budget
# (429 with Retry-After), a long run at a steady rate with memory sampled, and the work of each replica.
# deploy/bench/README.md explains the figures; `deploy/bench/load.sh --help` lists the options.
#   deploy/bench/load.sh                                   steps 1…32 jobs/s of 30 s, then 10 min at 1 job/s
#   deploy/bench/load.sh --rates 2,8,32 --step 20s --sustain 0
set -euo pipefail
BENCH_MAIN=dev.backendteam.bench.Load BENCH_STARTS_STACK=1 exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
