#!/usr/bin/env bash
# The fault campaign's scenarios (kill -9 of each service, broker and PostgreSQL restarts, poison on every consumed
# topic, two replicas with one killed, replicas frozen past their session timeout) again and again for MINUTES
# (default 30) with PATIENTS patients a scenario (default 10), on its own broker and PostgreSQL and the packaged
# services. Prints the scenario x invariant table of every round; the whole table goes to
# faults/target/soak-<seed>/soak.md. Reports; never passes or fails. Replay a seed with: bench/fault-soak.sh 30 10 <seed>
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}; patients=${2:-10}; seed=${3:-$(date +%s%N)}
root=$PWD
if [ ! -f faults/target/faults.classpath ] || [ ! -f monitoring-service/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q install -DskipTests
fi
exec java -Xmx512m \
  -Dhdil2.root="$root" \
  -Dhdil2.launcher.classpath="$root/platform/infra-launchers/target/launcher.classpath" \
  -Dhdil2.launcher.classes="$root/platform/infra-launchers/target/classes" \
  -cp "$root/faults/target/classes:$(cat "$root/faults/target/faults.classpath")" \
  org.hdil2.faults.FaultSoak "$minutes" "$patients" "$seed"
