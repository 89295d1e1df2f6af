#!/usr/bin/env bash
# Start, stop, job time and idle memory of the local stack, side by side for the services' JVM without and with
# its start-up cache (issue 13). A benchmark: it prints figures, it asserts nothing.
#   deploy/bench/startup.sh                 3 repetitions of each mode, medians
#   deploy/bench/startup.sh --reps 5 --modes "jdk17 jdk25 jdk25-aot"
# Modes: jdk17 = the launcher's JDK (JAVA_HOME or java on PATH) without cache; jdk17-cds = the same JDK with its
# dynamic CDS archive (one training run first, like jdk25-aot); jdk25 = a JDK 25+ without cache;
# jdk25-aot = the same JDK with the AOT cache (one training run first, reported on its own line); cds = a JDK
# 19–24 (BENCH_CDS_JAVA) with its dynamic CDS archive. BENCH_JAVA25 names the JDK 25 (default: the newest JDK 25+
# under /usr/lib/jvm). Each repetition, with the stack's own state folder under .backend-team/bench-startup/:
#   start  wall time of `./backend-team up` (launcher JVM included) until every component is ready
#   idle   VmRSS and RssAnon of each process from /proc/<pid>/status, read --settle seconds after start
#   job    wall time of `./backend-team run deploy/examples/new-feature.yaml` on that running stack (its flow is
#          given, so the orchestrator's routing model is not needed)
#   after  each process's VmRSS and RssAnon again, --settle s after the job
#   model  the orchestrator's, 5 s after a task only the routing model can route (it loads it), and once the model
#          is released (BACKEND_TEAM_ROUTING_MODEL_KEEP_ALIVE, here BENCH_KEEP_ALIVE, default 30s)
#   stop   wall time of `./backend-team down`
# Before the measured runs each mode has one uncounted run: a warm-up (state folder set up, no job), or, with a
# cache, the training run (with the job), whose own figures are printed on stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
reps=3
settle=15
modes="jdk17 jdk17-cds jdk25 jdk25-aot"
job="deploy/examples/new-feature.yaml"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --job) job="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup.sh: unknown option $1 (--reps N, --settle S, --modes \"…\", --job FILE)" >&2; exit 2 ;;
  esac
done

feature_of() { # feature version of a JDK home, from its release file
  sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" 2>/dev/null
}
find_jdk() { # newest JDK home under /usr/lib/jvm with a feature version in [$1, $2]
  local best="" best_v=0 home v
  for home in /usr/lib/jvm/*/; do
    home="${home%/}"
    v="$(feature_of "$home")"
    [[ -n "$v" && -x "$home/bin/java" && "$v" -ge "$1" && "$v" -le "$2" && "$v" -gt "$best_v" ]] && best="$home" best_v="$v"
  done
  echo "$best"
}
java25="${BENCH_JAVA25:-$(find_jdk 25 999)}"
cds_java="${BENCH_CDS_JAVA:-$(find_jdk 19 24)}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
results="$out/results"
: > "$results"

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

rss_of() { # "<component> <VmRSS MB> <RssAnon MB>" per pid file
  local state="$1" f pid
  for f in "$state"/pids/*.pid; do
    pid="$(sed -n 's/^pid=//p' "$f")"
    [[ -r "/proc/$pid/status" ]] || continue
    awk -v c="$(basename "$f" .pid)" '/^VmRSS/ {v=$2} /^RssAnon/ {a=$2} END {printf "%s %.0f %.0f\n", c, v/1024, a/1024}' \
      "/proc/$pid/status"
  done
}

# Every process after the job ("after:<component>"), then the orchestrator holding the routing model and after
# releasing it ("held", "released"): lines of "<what> <VmRSS MB> <RssAnon MB>".
model_figures() {
  local state="$1" gateway log="$1/logs/orchestrator.log" before i
  gateway="$(sed -n 's/.*ready in .*gateway \(http[^ ]*\).*/\1/p' "$out/up.log" | head -1)"
  sleep "$settle"
  rss_of "$state" | awk '{print "after:" $1, $2, $3}' >> "$out/rss-model"
  before="$(grep -c 'routing model released' "$log" || true)"
  # small talk: no keyword of any flow, so the router asks the model (and then the user: the job waits, no steps)
  if ! curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"task": "hello team, could you have a look at this for me"}' "$gateway/jobs"; then
    echo "startup.sh: $mode: the gateway at ${gateway:-?} refused the routing task" >&2
    return
  fi
  sleep 5
  rss_of "$state" | awk '$1 == "orchestrator" {print "held", $2, $3}' >> "$out/rss-model"
  for ((i = 0; i < 120; i++)); do
    [[ "$(grep -c 'routing model released' "$log" || true)" -gt "$before" ]] && break
    sleep 1
  done
  sleep 2
  rss_of "$state" | awk '$1 == "orchestrator" {print "released", $2, $3}' >> "$out/rss-model"
}

# One start, settle, RSS, job, stop. Appends "<mode> <metric> <value>" lines to $results if $2 = measured; a
# warm-up (a fresh state folder extracts PostgreSQL and formats Kafka) runs no job.
one_run() {
  local mode="$1" kind="$2" state="$root/.backend-team/bench-startup/$1" t start stop jobtime
  mkdir -p "$state"
  t="$(now)"
  ./backend-team up --port 0 --state "$state" > "$out/up.log" 2>&1 || { cat "$out/up.log" >&2; exit 1; }
  start="$(elapsed "$t")"
  sleep "$settle"
  rss_of "$state" > "$out/rss"
  t="$(now)"
  if [[ "$kind" != warm-up ]]; then
    ./backend-team run "$job" --state "$state" --out "$out/bundle" > "$out/job.log" 2>&1 \
      || echo "startup.sh: $mode: the job did not complete (exit $?); see $state/logs" >&2
  fi
  jobtime="$(elapsed "$t")"
  : > "$out/rss-model"
  if [[ "$kind" == measured ]]; then
    model_figures "$state"
  fi
  t="$(now)"
  ./backend-team down --state "$state" > "$out/down.log" 2>&1
  stop="$(elapsed "$t")"
  printf '  %-10s %-8s start %6.1f s  job %6.1f s  stop %6.1f s\n' "$mode" "$kind" "$start" "$jobtime" "$stop" >&2
  if [[ "$kind" == "measured" ]]; then
    { echo "$mode start $start"; echo "$mode job $jobtime"; echo "$mode stop $stop"
      awk -v m="$mode" '{print m, "rss:" $1, $2; print m, "anon:" $1, $3}' "$out/rss" "$out/rss-model"; } >> "$results"
  fi
}

export BACKEND_TEAM_ROUTING_MODEL_KEEP_ALIVE="${BENCH_KEEP_ALIVE:-30s}"
for mode in $modes; do
  unset BACKEND_TEAM_SERVICE_JAVA BACKEND_TEAM_STARTUP_CACHE
  case "$mode" in
    jdk17) export BACKEND_TEAM_STARTUP_CACHE=off ;;
    jdk17-cds) export BACKEND_TEAM_STARTUP_CACHE=auto ;;
    jdk25) export BACKEND_TEAM_SERVICE_JAVA="$java25" BACKEND_TEAM_STARTUP_CACHE=off ;;
    jdk25-aot) export BACKEND_TEAM_SERVICE_JAVA="$java25" BACKEND_TEAM_STARTUP_CACHE=auto ;;
    cds) export BACKEND_TEAM_SERVICE_JAVA="$cds_java" BACKEND_TEAM_STARTUP_CACHE=auto ;;
    *) echo "startup.sh: unknown mode $mode" >&2; exit 2 ;;
  esac
  if [[ "$mode" != jdk17* && -z "${BACKEND_TEAM_SERVICE_JAVA:-}" ]]; then
    echo "startup.sh: no JDK for mode $mode (set BENCH_JAVA25 / BENCH_CDS_JAVA); skipped" >&2
    continue
  fi
  echo "$mode: services on ${BACKEND_TEAM_SERVICE_JAVA:-the JDK of the launcher}, cache ${BACKEND_TEAM_STARTUP_CACHE}" >&2
  if [[ "$mode" == jdk25-aot || "$mode" == cds || "$mode" == jdk17-cds ]]; then
    # A new cache, trained on a run with the job (it records what the job loads too).
    rm -rf "$root/.backend-team/bench-startup/$mode/cache/jvm"
    one_run "$mode" training
  else
    one_run "$mode" warm-up
  fi
  for ((i = 1; i <= reps; i++)); do
    one_run "$mode" measured
  done
done

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) printf "%.1f", v[(NR+1)/2]; else printf "%.1f", (v[NR/2]+v[NR/2+1])/2}'; }
value() { awk -v m="$1" -v k="$2" '$1 == m && $2 == k {print $3}' "$results" | median; }

echo
echo "Local stack, medians of $reps runs per mode ($(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg))."
echo "start/stop: wall time of ./backend-team up/down; job: ./backend-team run $job on the running stack;"
echo "memory: VmRSS (RssAnon in brackets) in MB, read $settle s after start; the orchestrator also $settle s after the job,"
echo "holding the routing model (5 s after a task that needs it) and once it let it go (keep-alive $BACKEND_TEAM_ROUTING_MODEL_KEEP_ALIVE)."
printf '\n%-40s' ""
for mode in $modes; do printf '%-16s' "$mode"; done
echo
for metric in start job stop; do
  printf '%-40s' "$metric (s)"
  for mode in $modes; do printf '%-16s' "$(value "$mode" "$metric")"; done
  echo
done
row() { # <label> <metric key>
  printf '%-40s' "$1"
  for mode in $modes; do printf '%-16s' "$(value "$mode" "rss:$2") ($(value "$mode" "anon:$2"))"; done
  echo
}
components="orchestrator specialist-db-architect specialist-security specialist-query-optimizer specialist-ops kafka postgres"
for component in $components; do
  row "$component (MB)" "$component"
done
echo "after the job ($settle s later):"
for component in $components; do
  row "  $component (MB)" "after:$component"
done
row "  orchestrator holding the model (MB)" held
row "  orchestrator, model released (MB)" released
