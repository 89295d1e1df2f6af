#!/usr/bin/env bash
# Builds the bench (and, for --start, the services) when needed, then runs it:
#   deploy/bench/run.sh --start --jobs 200 --concurrency 16
#   deploy/bench/run.sh --help
# BENCH_BUILD=always rebuilds first even if everything is there; BENCH_JAVA_OPTS adds JVM options (default -Xmx256m).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bench="deploy/bench"
classpath_file="$bench/target/classpath.txt"
stamp="$bench/target/run-sh.built"
services=(orchestrator specialist-db-architect specialist-security specialist-query-optimizer specialist-ops)

modules=()
needs_bench_build() {
  [[ "${BENCH_BUILD:-}" == "always" ]] && return 0
  [[ -f "$classpath_file" && -f "$stamp" && -d "$bench/target/classes/dev/backendteam/bench" ]] || return 0
  # Sources or pom changed since this script last built? (classpath.txt keeps its date when its content stays.)
  [[ -n "$(find "$bench/src/main" "$bench/pom.xml" -newer "$stamp" -print -quit)" ]] && return 0
  # Every entry of the recorded classpath still there (a `clean` elsewhere removes reactor jars)?
  local entry
  while IFS= read -r -d ':' entry; do
    [[ -e "$entry" ]] || return 0
  done < <(printf '%s:' "$(cat "$classpath_file")")
  return 1
}
if needs_bench_build; then
  modules+=("$bench")
fi
for arg in "$@" ${BENCH_STARTS_STACK:+--start}; do
  if [[ "$arg" == "--start" ]]; then
    for service in "${services[@]}"; do
      if [[ "${BENCH_BUILD:-}" == "always" || ! -f "$service/target/quarkus-app/quarkus-run.jar" ]]; then
        modules+=("$service")
      fi
    done
  fi
done
if ((${#modules[@]} > 0)); then
  list="$(IFS=,; echo "${modules[*]}")"
  echo "bench: building $list (./mvnw -q -B -DskipTests -pl $list -am package) …" >&2
  ./mvnw -q -B -DskipTests -pl "$list" -am package
  touch "$stamp"
fi

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
exec java ${BENCH_JAVA_OPTS:--Xmx256m} -cp "$bench/target/classes:$(cat "$classpath_file")" \
  "${BENCH_MAIN:-dev.backendteam.bench.Bench}" "$@"
