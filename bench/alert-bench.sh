#!/usr/bin/env bash
# Measures alert-service: the time from a finding published on the findings topic to the alert notification reaching
# an SSE client, at RATE findings/s (default 200; half raises, half clears) for SECONDS (default 30) after a WARMUP
# (default 5 s). Needs the local stack's broker and database (deploy/local/run.sh).
#  OWN=1 (default): starts a private alert-service from alert-service/target/quarkus-app on port 18084 with its own
#    database (alert_bench) and its own topics (suffix -alertbench), so the stack's services are neither disturbed
#    nor measured; it is stopped at the end. Build it first: ./mvnw -B -q package -DskipTests -pl alert-service
#  OWN=0: measures the stack's own alert-service on 8084 (it then also shares the topic with the stack's traffic).
# Figures only: nothing here passes or fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-200}; seconds=${SECONDS_:-30}; warmup=${WARMUP:-5}; own=${OWN:-1}
[ -f .run/tokens.env ] || { echo "start the local stack first: deploy/local/run.sh"; exit 1; }
[ -f bench/target/bench.classpath ] && [ -f bench/target/classes/org/hdil2/bench/AlertLatency.class ] \
  || ./mvnw -B -q -pl bench -am package -DskipTests
source .run/tokens.env
cp="bench/target/classes:$(cat bench/target/bench.classpath)"
url=http://127.0.0.1:8084; suffix=""; pid=""
if [ "$own" = 1 ]; then
  app=alert-service/target/quarkus-app
  [ -f "$app/quarkus-run.jar" ] || { echo "build alert-service first: ./mvnw -B -q package -DskipTests -pl alert-service"; exit 1; }
  pg=$(ls "$app"/lib/main/org.postgresql.postgresql-*.jar | head -1)
  suffix=-alertbench; url=http://127.0.0.1:18084
  java -cp "$cp:$pg" org.hdil2.bench.AlertBenchSetup jdbc:postgresql://127.0.0.1:15432/postgres postgres alert_bench 127.0.0.1:19092 "$suffix"
  HTTP_PORT=18084 DB_URL=jdbc:postgresql://127.0.0.1:15432/alert_bench DB_USER=postgres DB_PASSWORD= \
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 HDIL2_TOPIC_SUFFIX="$suffix" \
  OIDC_PUBLIC_KEY="$(cat .run/keys/signing-key.pub.b64)" OIDC_TOKEN_ISSUER=https://hdil2.local/dev-issuer \
    java -Xms64m -Xmx256m -XX:+UseSerialGC -jar "$app/quarkus-run.jar" > .run/alert-bench-service.log 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$url/q/health/ready" && break; sleep 1; done
fi
curl -sf -o /dev/null "$url/q/health/ready" || { echo "alert-service is not ready at $url"; exit 1; }
echo "== finding on Kafka -> alert on SSE at $rate findings/s for $seconds s ($warmup s warm-up), alert-service at $url"
java -Xmx256m -Dtopic.suffix="$suffix" -cp "$cp" org.hdil2.bench.AlertLatency 127.0.0.1:19092 "$url" "$TOKEN_NURSE" \
  "$rate" "$seconds" "$warmup"
