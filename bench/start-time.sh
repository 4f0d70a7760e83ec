#!/usr/bin/env bash
# Start-time benchmark (issue 14, item 4), run only when asked: not part of bench/run.sh's default figures.
# Builds a dev chain of N blocks once (kept in target/bench/start-time/N), then restarts the node R times and measures
# launch -> first answer of GET /api/v1/status, beside `java -version`'s own start time on the same JVM, run in the
# same invocation so that the ratio stays meaningful on a loaded machine. The load average is printed beside.
#
#   bench/start-time.sh [--blocks N] [--runs R]      defaults: 10000 blocks, 3 runs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BLOCKS=10000
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --blocks) BLOCKS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "usage: bench/start-time.sh [--blocks N] [--runs R]" >&2; exit 2 ;;
  esac
done
JAVA="${BENCH_JAVA:-$(ls -d /usr/lib/jvm/*/bin/java | sort -V | tail -1)}"
JAR="$ROOT/target/maaschain.jar"
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -q -B -o -DskipTests package)
DATA="$ROOT/target/bench/start-time/$BLOCKS"
PORT=$((20000 + RANDOM % 9000))
now_ms() { date +%s%3N; }
height() { curl -s "http://127.0.0.1:$PORT/api/v1/status" | sed -n 's/.*"height" *: *\([0-9]*\).*/\1/p'; }

if [ ! -f "$DATA/.complete" ]; then
  mkdir -p "$DATA"
  echo "building a dev chain of $BLOCKS blocks in $DATA (once)..." >&2
  "$JAVA" -jar "$JAR" dev --data-dir "$DATA" --http-port "$PORT" --block-interval-ms 1 > "$DATA.build.log" 2>&1 &
  pid=$!
  while h="$(height)"; [ -z "$h" ] || [ "$h" -lt "$BLOCKS" ]; do sleep 2; done
  kill -TERM "$pid"; wait "$pid" || true
  touch "$DATA/.complete"
fi

ref_total=0; start_total=0
for i in $(seq "$RUNS"); do
  t0=$(now_ms); "$JAVA" -version > /dev/null 2>&1; t1=$(now_ms); ref=$((t1 - t0))
  t0=$(now_ms)
  "$JAVA" -jar "$JAR" dev --data-dir "$DATA" --http-port "$PORT" --block-interval-ms 1000000 > "$DATA.run$i.log" 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/status"; do sleep 0.05; done
  t1=$(now_ms); start=$((t1 - t0))
  h="$(height)"
  kill -TERM "$pid"; wait "$pid" || true
  echo "run $i: REST answering after ${start} ms at height $h; java -version ${ref} ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
  ref_total=$((ref_total + ref)); start_total=$((start_total + start))
done
echo "mean: REST answering ${start_total}/${RUNS} ms = $((start_total / RUNS)) ms, java -version $((ref_total / RUNS)) ms, ratio $((start_total / (ref_total > 0 ? ref_total : 1)))x"
