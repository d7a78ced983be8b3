#!/usr/bin/env bash
# alert-service draining pre-loaded findings: how many finding events a second one replica turns into alerts
# (created, notified, audited, published on its outbox, resolved on the clear), with nothing else running.
#
#  * its own broker (the project's BrokerMain) and PostgreSQL (PgMain: zonky's binaries, fsync off as in tests);
#  * N finding events (default 100,000; raised then cleared per patient in turn, PATIENTS patients, default 1,000) on
#    a 3-partition findings topic, as monitoring publishes them (bench's FindingPreload);
#  * the packaged alert-service (alert-service/target/quarkus-app) with the local stack's JVM settings, a fresh
#    database and consumer group per round; the rate is its group's committed offsets over time (DrainWatch);
#    CPU seconds of the service and of PostgreSQL; the dead-letter topic's size (should be 0); the first round under
#    JFR, its hottest frames summarised (bench/jfr-summary.py).
#
# Figures only: nothing here passes or fails. Every process is stopped by its PID at the end.
# Environment: N, PATIENTS, ROUNDS (default 1), JFR (1 = profile the first round), TIMEOUT (s per drain, default 1800),
#              OUT (default bench/target/alert-drain-<time>), JAVA_OPTS (the service's JVM settings; default the
#              local stack's: -Xms64m -Xmx256m -XX:+UseSerialGC).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${N:-100000}; PATIENTS=${PATIENTS:-1000}; ROUNDS=${ROUNDS:-1}; JFR=${JFR:-1}; TIMEOUT=${TIMEOUT:-1800}
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}
OUT=${OUT:-$ROOT/bench/target/alert-drain-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log"; }

./mvnw -B -q -o -pl bench,alert-service -am install -DskipTests > "$OUT/build.log" 2>&1 \
  || ./mvnw -B -q -pl bench,alert-service -am install -DskipTests >> "$OUT/build.log" 2>&1
CP="$ROOT/bench/target/classes:$(cat bench/target/bench.classpath)"
TOOL="java -Xmx512m -cp $CP"

source bench/lib/infra.sh
start_infra "$(seq -s, -f "alert%g" 1 "$ROUNDS")"

$TOOL org.hdil2.bench.BenchToken "$OUT/keys" bench nurse > /dev/null 2>&1 # writes the key pair; no call needs the token
PUB=$(cat "$OUT/keys/signing-key.pub.b64")

SUFFIX=-drain; FINDINGS=hdil2.monitoring.findings.v1$SUFFIX
T() { $TOOL org.hdil2.bench.BenchTopics "$B" "$@" 2>/dev/null; }
T create "$FINDINGS" 3; T create "$FINDINGS.dlq" 3; T create "hdil2.alerts.events.v1$SUFFIX" 3
log "$($TOOL org.hdil2.bench.FindingPreload "$B" "$FINDINGS" "$N" "$PATIENTS" 2>/dev/null | tail -1)"

for r in $(seq "$ROUNDS"); do
  group="hdil2-alert-service-drain$r"
  log "R$r: alert-service ($JAVA_OPTS), database alert$r, group $group"
  prof=""
  [ "$JFR" = 1 ] && [ "$r" = 1 ] && prof=$(jfr_flags "$OUT/r$r.jfr")
  port=$(free_port)
  pg_before=$(pg_cpu)
  # shellcheck disable=SC2086
  HTTP_PORT=$port DB_URL="jdbc:postgresql://127.0.0.1:$PG/alert$r" DB_USER=postgres DB_PASSWORD= KAFKA_BOOTSTRAP_SERVERS="$B" \
  OIDC_PUBLIC_KEY="$PUB" OIDC_TOKEN_ISSUER=https://hdil2.local/dev-issuer HDIL2_TOPIC_SUFFIX="$SUFFIX" \
  MP_MESSAGING_INCOMING_FINDINGS_GROUP_ID="$group" \
    java $JAVA_OPTS -Xlog:gc:file="$OUT/r$r.gc.log" $prof -Djava.io.tmpdir="$OUT" -jar alert-service/target/quarkus-app/quarkus-run.jar \
    > "$OUT/r$r.app.log" 2>&1 &
  APID=$!
  line=$($TOOL org.hdil2.bench.DrainWatch "$B" "$group" "$FINDINGS" "$N" "$TIMEOUT" 2>/dev/null | tail -1)
  line="$line app_cpu_s=$(cpu "$APID") pg_cpu_s=$(( $(pg_cpu) - pg_before )) rss_kb=$(ps -o rss= -p "$APID" | tr -d ' ')"
  echo "$line" | sed 's/obs\/s/findings\/s/g' | tee -a "$OUT/run.log"
  echo "R$r $line" >> "$OUT/drains.txt"
  T bytes "$FINDINGS.dlq" | sed "s/^/  R$r /" | tee -a "$OUT/run.log"
  kill "$APID"; wait "$APID" 2>/dev/null || true; APID=""
  if [ -f "$OUT/r$r.jfr" ]; then
    jfr_profile "$OUT/r$r" org.hdil2,org.hibernate,io.agroal,org.postgresql,io.smallrye,io.quarkus.narayana
  fi
done
log "done: $OUT"
