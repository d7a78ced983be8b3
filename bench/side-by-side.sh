#!/usr/bin/env bash
# monitoring's evaluation side by side with anchor A (../shared/bench-anchors: the minimal Kafka Streams per-patient
# evaluation), on one broker and the same input, alternately (A S A S ...), so the machine's 15-25 % drift between
# sessions cancels out of the ratio.
#
#  * one broker (the project's BrokerMain, 1 GB heap, full JIT) for the whole session;
#  * N observation-recorded records (default 1,000,000) for PATIENTS patients (default 1,000), as monitoring's outbox
#    publishes them, pre-loaded into one 6-partition topic;
#  * anchor A, copied to a scratch folder and built there, its input mapping pointed at those records (observationId,
#    code.code, effectiveTime); the suite: bench's TopologyAlone, the service's own topology and settings;
#  * each drains the topic from the start with a fresh application id; the rate is the consumer group's committed
#    offsets over time (DrainWatch: the same measure for both); CPU seconds per process, bytes per topic, GC logs; the
#    suite's first round under JFR, its hottest frames summarised.
#
# Figures only: nothing here passes or fails. Every process is stopped by its PID at the end.
# Environment: N, PATIENTS, ROUNDS (default 2), OUT (default bench/target/side-by-side-<time>), JFR (1 = profile the
#              suite's first round), SUITE_FORMATS (state formats, default "binary"; "json binary" runs both),
#              SUITE_THREADS (stream threads of the suite, default "1"; "1 2" runs both: the scale-out on this
#              machine's cores), SUITE_EXTRA (extra Streams settings for the suite, k=v,k=v), TIMEOUT (s per drain,
#              default 1800).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${N:-1000000}; PATIENTS=${PATIENTS:-1000}; ROUNDS=${ROUNDS:-2}; JFR=${JFR:-1}; TIMEOUT=${TIMEOUT:-1800}
OUT=${OUT:-$ROOT/bench/target/side-by-side-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log"; }

./mvnw -B -q -o -pl bench -am install -DskipTests > "$OUT/build.log" 2>&1 || ./mvnw -B -q -pl bench -am install -DskipTests >> "$OUT/build.log" 2>&1
CP="$ROOT/bench/target/classes:$(cat bench/target/bench.classpath)"
TOOL="java -Xmx512m -cp $CP"

# anchor A, in scratch, reading the suite's records
ANCHORS=$OUT/anchors
rm -rf "$ANCHORS" && cp -r "$ROOT/../shared/bench-anchors" "$ANCHORS"
python3 - "$ANCHORS/streams-bench/src/main/java/perf/streams/StreamsApp.java" <<'PY'
import sys, pathlib
p = pathlib.Path(sys.argv[1]); s = p.read_text()
old = "Obs o = M.readValue(r.value(), Obs.class);"
assert old in s, "anchor A's input mapping moved: adapt side-by-side.sh"
s = s.replace(old, """com.fasterxml.jackson.databind.JsonNode j = M.readTree(r.value());
                Obs o = new Obs(j.path("observationId").asText(), j.path("patientId").asText(), null, j.path("code").path("code").asText(),
                        j.path("code").path("display").asText(null), j.path("value").asDouble(), j.path("unit").asText(),
                        j.path("effectiveTime").asText(), j.path("status").asText(), null, null);""")
p.write_text(s)
PY
(cd "$ANCHORS/streams-bench" && "$ROOT/mvnw" -B -q package -DskipTests) >> "$OUT/build.log" 2>&1
ACP="$ANCHORS/streams-bench/target/classes:$(cat "$ANCHORS/streams-bench/target/classpath.txt")"

source bench/lib/infra.sh
start_infra
T() { $TOOL org.hdil2.bench.BenchTopics "$B" "$@" 2>/dev/null; }
T create sbs-obs 6; T create sbs-obs.dlq 6
log "$($TOOL org.hdil2.bench.ObservationPreload "$B" sbs-obs "$N" "$PATIENTS" 2>/dev/null | tail -1)"

drain() { # NAME GROUP -> the DRAIN line, also CPU seconds of the app
  local line; line=$($TOOL org.hdil2.bench.DrainWatch "$B" "$2" sbs-obs "$N" "$TIMEOUT" 2>/dev/null | tail -1)
  echo "$line app_cpu_s=$(cpu "$APID") broker_cpu_s=$(cpu "$KPID") rss_kb=$(ps -o rss= -p "$APID" | tr -d " ")" | tee -a "$OUT/run.log"
  echo "$1 $line" >> "$OUT/drains.txt"
}
stop_app() { kill "$APID"; wait "$APID" 2>/dev/null || true; APID=""; }


for r in $(seq "$ROUNDS"); do
  log "A$r: anchor A (exactly_once_v2, commit default)"
  T create "eval-a$r" 6 logAppendTime; T create "find-a$r" 6 logAppendTime
  java -Xms512m -Xmx512m -XX:+UseG1GC -Xlog:gc:file="$OUT/a$r.gc.log" -cp "$ACP" perf.streams.StreamsApp "$B" "app-a$r" sbs-obs \
    "eval-a$r" "find-a$r" exactly_once_v2 default "$OUT/state-a$r" > "$OUT/a$r.app.log" 2>&1 &
  APID=$!
  drain "A$r" "app-a$r"
  { T bytes "app-a$r"; T bytes "eval-a$r"; T bytes "find-a$r"; } | sed "s/^/  A$r /" | tee -a "$OUT/run.log"
  stop_app; T delete "eval-a$r" "find-a$r" "app-a$r-patient-state-changelog" || true; rm -rf "$OUT/state-a$r"

  for fmt in ${SUITE_FORMATS:-binary}; do for threads in ${SUITE_THREADS:-1}; do
    s="s$r-$fmt"; [ "$threads" = 1 ] || s="$s-t$threads"
    log "S$r-${s#s$r-}: monitoring's topology alone (the service's settings, state format $fmt, $threads stream thread(s)${SUITE_EXTRA:+; extra $SUITE_EXTRA})"
    T create "find-$s" 6
    prof=""
    [ "$JFR" = 1 ] && [ "$r" = 1 ] && prof=$(jfr_flags "$OUT/$s.jfr")
    java -Xms512m -Xmx512m -XX:+UseG1GC -Xlog:gc:file="$OUT/$s.gc.log" $prof -Dextra="${SUITE_EXTRA:-}" -cp "$CP" \
      org.hdil2.bench.TopologyAlone "$B" "sbs-$s" sbs-obs "find-$s" "$OUT/state-$s" "$fmt" label-2024 "$threads" > "$OUT/$s.app.log" 2>&1 &
    APID=$!
    drain "S$r-${s#s$r-}" "sbs-$s"
    { T bytes "sbs-$s"; T bytes "find-$s"; } | sed "s/^/  S$r-${s#s$r-} /" | tee -a "$OUT/run.log"
    stop_app; T delete "find-$s" "sbs-$s-patient-state-changelog" || true; rm -rf "$OUT/state-$s"
    if [ -f "$OUT/$s.jfr" ]; then jfr_profile "$OUT/$s"; fi
  done; done
done

python3 - "$OUT/drains.txt" <<'PY' | tee "$OUT/table.txt"
import re, sys, statistics
rows = {}
for line in open(sys.argv[1]):
    name = line.split()[0]
    m = re.search(r"rate (\d+) obs/s; last 80% (\d+) obs/s", line)
    if m:
        kind = "A" if name.startswith("A") else name.split("-", 1)[1]
        rows.setdefault(kind, []).append((name, int(m.group(1)), int(m.group(2))))
a = rows.pop("A", [])
print("| measure | anchor A | suite (topology alone) | ratio | goal |")
print("|---|---|---|---|---|")
for kind, s in rows.items():
    for i, label in ((1, "first commit to last"), (2, "last 80 %")):
        if a and s:
            ma = statistics.median(x[i] for x in a); ms = statistics.median(x[i] for x in s)
            print(f"| drain obs/s, {label}, median of {len(a)}/{len(s)}, state {kind} | {ma:,.0f} | {ms:,.0f} | {ms / ma:.2f} | >= 0.6 |")
    for (an, ar, _), (sn, sr, _) in zip(a, s):
        print(f"| {an} / {sn}, first commit to last | {ar:,} | {sr:,} | {sr / ar:.2f} | |")
PY
log "done: $OUT/table.txt"
