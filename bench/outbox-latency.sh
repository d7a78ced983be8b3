#!/usr/bin/env bash
# Measures the outbox's commit-to-publish latency on a running local stack (deploy/local/run.sh):
# posts N observations to monitoring-service at about RATE per second (distinct patients), then reads the
# relay's Micrometer summary (hdil2_outbox_commit_to_publish_seconds: row written -> broker ack).
# Usage: bench/outbox-latency.sh [N=500] [RATE=50]. A measurement, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}; rate=${2:-50}
[ -f .run/tokens.env ] || { echo "start the local stack first: deploy/local/run.sh"; exit 1; }
source .run/tokens.env
url=http://127.0.0.1:8083
before=$(curl -s $url/q/metrics | awk '/^hdil2_outbox_commit_to_publish_seconds_count/ {print $2}')
interval=$(awk -v r="$rate" 'BEGIN {printf "%.4f", 1/r}')
start=$(date +%s.%N)
for i in $(seq 1 "$n"); do
  t=$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "$url/api/v1/observations" \
    -H "Authorization: Bearer $TOKEN_NURSE" -H 'Content-Type: application/json' \
    -d "{\"patientId\":\"bench-$((i % 50))\",\"code\":\"8480-6\",\"value\":$((80 + i % 40)),\"unit\":\"mm[Hg]\",\"effectiveTime\":\"$t\"}" &
  sleep "$interval"
done | sort | uniq -c
wait
end=$(date +%s.%N)
sleep 2
echo "posted $n observations in $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b-a}') s"
curl -s $url/q/metrics | grep -E '^hdil2_outbox_commit_to_publish_seconds(\{quantile|_count|_max)' |
  awk -v before="${before:-0}" '/_count/ {printf "%s (this run: %d)\n", $0, $2-before; next} {print}'
