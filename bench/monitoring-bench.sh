#!/usr/bin/env bash
# Measures monitoring-service's continuous evaluation on a running local stack (deploy/local/run.sh):
#  1. latency from an observation acknowledged by the broker to its finding visible to a read_committed consumer, at
#     RATE observations/s (default 2000) across PATIENTS patients (default 1000) for SECONDS (default 60);
#  2. the sustained evaluation rate with the producer unthrottled (MAX=1, default on) for SECONDS.
# ISOLATE=1 pauses dosing-service and alert-service (SIGSTOP, resumed after) so the figure is monitoring's alone;
# by default the whole stack shares the two cores, as it would in a one-node installation.
# Figures only: nothing here passes or fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-2000}; patients=${PATIENTS:-1000}; seconds=${SECONDS_:-60}; max=${MAX:-1}
[ -f .run/tokens.env ] || { echo "start the local stack first: deploy/local/run.sh"; exit 1; }
[ -f bench/target/bench.classpath ] || ./mvnw -B -q -pl bench -am package -DskipTests
cp="bench/target/classes:$(cat bench/target/bench.classpath)"
paused=()
if [ "${ISOLATE:-0}" = 1 ]; then
  for svc in dosing-service alert-service; do
    for pid in $(pgrep -f "$svc/target/quarkus-app/quarkus-run.jar" || true); do kill -STOP "$pid"; paused+=("$pid"); done
  done
  trap 'for pid in "${paused[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done' EXIT
  echo "paused dosing-service and alert-service: ${paused[*]:-none found}"
fi
echo "== $rate observations/s across $patients patients for $seconds s (10 s warm-up)"
java -Xmx512m -cp "$cp" org.hdil2.bench.EvaluationLoad 127.0.0.1:19092 "$rate" "$patients" "$seconds" 10
if [ "$max" = 1 ]; then
  echo "== unthrottled producer across $patients patients for $seconds s (10 s warm-up)"
  java -Xmx512m -cp "$cp" org.hdil2.bench.EvaluationLoad 127.0.0.1:19092 0 "$patients" "$seconds" 10
fi
