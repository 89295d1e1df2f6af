#!/usr/bin/env bash
# Builds the bench with the orchestrator's jar, then prints the offline router's accuracy on the labelled tasks
# (routing/labelled-tasks.yaml): keywords alone, the embedding matcher alone, the production Router.
#   deploy/bench/routing.sh
# ROUTING_JAVA_OPTS sets the JVM options (default -Xmx256m, the orchestrator's heap in the local stack, so the run
# also shows that the model loads within it). The model is unpacked into deploy/bench/target/routing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
echo "routing: building deploy/bench and what it needs (./mvnw -q -B -DskipTests -pl deploy/bench -am package) …" >&2
./mvnw -q -B -DskipTests -pl deploy/bench -am package

# shellcheck disable=SC2086 # ROUTING_JAVA_OPTS is a list of options
exec java ${ROUTING_JAVA_OPTS:--Xmx256m} -cp "deploy/bench/target/classes:$(cat deploy/bench/target/classpath.txt)" \
  dev.backendteam.bench.RoutingAccuracy "$@"
