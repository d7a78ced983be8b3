#!/usr/bin/env bash
# The one-command local stack: builds what is missing, then runs broker, database, the four services and the
# demo patient on 127.0.0.1. Ctrl-C stops everything. Data is kept in .run/ (delete it for a fresh start).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
missing=false
for f in eligibility-service dosing-service monitoring-service alert-service; do
  [ -f "$f/target/quarkus-app/quarkus-run.jar" ] || missing=true
done
for f in platform/infra-launchers/target/launcher.classpath deploy/local/target/stack.classpath deploy/local/target/classes; do
  [ -e "$f" ] || missing=true
done
if $missing; then
  echo "building the suite (first run only)..."
  ./mvnw -B -q package -DskipTests
fi
exec java -Xmx256m -XX:+UseSerialGC \
  -Dhdil2.root="$root" \
  -Dhdil2.launcher.classpath="$root/platform/infra-launchers/target/launcher.classpath" \
  -Dhdil2.launcher.classes="$root/platform/infra-launchers/target/classes" \
  -cp "$root/deploy/local/target/classes:$(cat "$root/deploy/local/target/stack.classpath")" \
  org.hdil2.local.LocalStack "$@"
