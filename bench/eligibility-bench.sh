#!/usr/bin/env bash
# Measures eligibility-service on a running local stack (deploy/local/run.sh): throughput and p50/p99 latency of
# POST /api/v1/screenings (a complete, recent, eligible first-course screening; each request stores a screening,
# an audit entry and an outbox event) at a fixed RATE (default 500 req/s) for SECONDS_ (default 30), after a warm-up.
# Latency is measured from each request's scheduled send time (no coordinated omission). Figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-500}; seconds=${SECONDS_:-30}; warmup=${WARMUP:-10}
[ -f .run/tokens.env ] || { echo "start the local stack first: deploy/local/run.sh"; exit 1; }
[ -f bench/target/bench.classpath ] && [ -f bench/target/classes/org/hdil2/bench/FixedRateLoad.class ] ||
  ./mvnw -B -q -pl bench -am package -DskipTests
source .run/tokens.env
body=$(mktemp); trap 'rm -f "$body"' EXIT
source bench/lib/screening-body.sh
screening_body "$body"
outcome=$(curl -s -H "Authorization: Bearer $TOKEN_PHYSICIAN" -H 'Content-Type: application/json' --data @"$body" \
  http://127.0.0.1:8081/api/v1/screenings | sed -n 's/.*"outcome":"\([A-Z_]*\)".*/\1/p')
echo "== one screening first: outcome $outcome"
cp="bench/target/classes:$(cat bench/target/bench.classpath)"
echo "== POST /api/v1/screenings at $rate req/s for $seconds s"
java -Xmx256m -cp "$cp" org.hdil2.bench.FixedRateLoad POST http://127.0.0.1:8081/api/v1/screenings "$TOKEN_PHYSICIAN" \
  "$body" 201 "$rate" "$seconds" "$warmup"
