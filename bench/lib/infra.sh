# Sourced by the benchmarks that start their own broker (and PostgreSQL) with the project's launchers, in $OUT.
# Needs OUT, CP (the bench classpath) and log(). Gives:
#   start_infra [DATABASES]  the broker, and PostgreSQL with those databases (a,b,c) when given; sets B (bootstrap),
#                            PG (port), KPID, PPID_ (the processes), and logs them
#   cpu PID / pg_cpu         CPU seconds of one process / of every PostgreSQL process
#   free_port                a free TCP port on 127.0.0.1
#   jfr_flags FILE           the JVM options that profile a run into FILE (execution samples, deep stacks)
#   jfr_profile BASE [PFX]   summarises BASE.jfr into BASE.samples.txt and BASE.profile.txt (bench/jfr-summary.py)
#   APID                     the app under measurement: set it, and it is stopped with the rest on exit
# On exit (trap): a load generator still running, the app, PostgreSQL and the broker are stopped by their PIDs.
KPID=""; PPID_=""; APID=""
stop_all() {
  pkill -P $$ -f 'FixedRateLoad|DrainWatch|wrk' 2>/dev/null || true
  for p in "$APID" "$PPID_" "$KPID"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
}
trap stop_all EXIT
cpu() { ps -o times= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }
pg_cpu() { ps -C postgres -o times= 2>/dev/null | awk '{s+=$1} END {print s+0}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
jfr_flags() {
  echo "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording=filename=$1,settings=profile"
}
jfr_profile() {
  jfr print --stack-depth 200 --events jdk.ExecutionSample "$1.jfr" > "$1.samples.txt"
  python3 bench/jfr-summary.py "$1.samples.txt" ${2:+"$2"} > "$1.profile.txt"
}

start_infra() {
  local databases=${1:-}
  rm -f "$OUT/kafka/bootstrap" "$OUT/pg/ready" # an OUT used before holds an earlier run's addresses
  java -Xms512m -Xmx1g -XX:+UseG1GC -cp "$CP" org.hdil2.infra.launch.BrokerMain --dir "$OUT/kafka" --port 0 --owner-pid $$ \
    > "$OUT/kafka.log" 2>&1 &
  KPID=$!
  if [ -n "$databases" ]; then
    java -Xmx256m -cp "$CP" org.hdil2.infra.launch.PgMain --dir "$OUT/pg" --port 0 --databases "$databases" --owner-pid $$ \
      > "$OUT/pg.log" 2>&1 &
    PPID_=$!
  fi
  for _ in $(seq 240); do
    [ -s "$OUT/kafka/bootstrap" ] && { [ -z "$databases" ] || [ -s "$OUT/pg/ready" ]; } && break
    sleep 0.5
  done
  B=$(cat "$OUT/kafka/bootstrap")
  if [ -n "$databases" ]; then
    PG=$(cat "$OUT/pg/ready")
    log "broker $B (pid $KPID), PostgreSQL port $PG (launcher pid $PPID_)"
  else
    log "broker $B (pid $KPID)"
  fi
}
