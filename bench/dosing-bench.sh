#!/usr/bin/env bash
# Measures dosing-service on a running local stack (deploy/local/run.sh, demo patient seeded):
#  1. p50/p99 latency of GET .../doses/next/decision at a fixed RATE (default 500 req/s) for SECONDS (default 30);
#  2. the time from a hold finding reaching Kafka to the decision turning HOLD (ROUNDS rounds, default 20).
# Figures only: nothing here passes or fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-500}; seconds=${SECONDS_:-30}; rounds=${ROUNDS:-20}
[ -f .run/tokens.env ] || { echo "start the local stack first: deploy/local/run.sh"; exit 1; }
[ -f bench/target/bench.classpath ] || ./mvnw -B -q -pl bench -am package -DskipTests
source .run/tokens.env
course=$(curl -s -H "Authorization: Bearer $TOKEN_NURSE" "http://127.0.0.1:8082/api/v1/courses?patientId=demo-001" |
  sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
[ -n "$course" ] || { echo "no course for demo-001"; exit 1; }
decision="http://127.0.0.1:8082/api/v1/courses/$course/doses/next/decision"
cp="bench/target/classes:$(cat bench/target/bench.classpath)"
echo "== decision endpoint at $rate req/s for $seconds s"
java -Xmx256m -cp "$cp" org.hdil2.bench.DecisionLoad "$decision" "$TOKEN_NURSE" "$rate" "$seconds" 10
echo "== finding on Kafka -> decision HOLD, $rounds rounds"
java -Xmx256m -cp "$cp" org.hdil2.bench.FindingToHold 127.0.0.1:19092 http://127.0.0.1:8083 "$decision" demo-001 "$TOKEN_NURSE" "$rounds"
