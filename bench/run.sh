#!/usr/bin/env bash
# Reproduces the performance figures in BENCHMARKS.md. Each figure is measured beside a reference (openssl,
# sha256sum) run in the same invocation on the same machine, so that the ratio stays meaningful when the machine
# is shared and the absolute numbers are noisy. The load average is recorded beside every figure.
#
#   bench/run.sh                      all figures (about 7-9 minutes on 2 cores)
#   bench/run.sh ed25519 pow          a subset
#   bench/run.sh --quick tps-inprocess  shorter runs (checks the script; the figures are rougher)
#
# Figures: ed25519 pow smt sha256sum tps-inprocess tps-sequential tps-rest tps-rest-regtest network artifact gateway
#          consensus-bft consensus-pos consensus-dpos (4 node processes each; an engine not in the build is skipped)
#          staking (per-block release work against 1k..100k historic stakers; not in "all")
#          contract-calls (counter calls committed/s beside transfers), contract-metering (JMH: instrumented vs plain module)
# Groups:  all (default), jmh (ed25519 pow smt), tps (tps-inprocess tps-sequential tps-rest tps-rest-regtest), maas (artifact gateway),
#          consensus (consensus-bft consensus-pos consensus-dpos), contracts (contract-calls contract-metering; not in "all")
# Options: --quick, --no-build (reuse target/ as built), -h/--help
# Environment: BENCH_JAVA (a JDK 21+ java; default: the newest under /usr/lib/jvm, JAVA_HOME or PATH),
#              MVN_FLAGS (default "-q -o"), TPS_ARGS (extra arguments for TransferThroughput, e.g. "--txs 200000")
#
# Output: a summary table on stdout and in target/bench-results.md (with the details of every figure);
# raw logs and JMH CSV files in target/bench/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

QUICK=0
BUILD=1
SELECTED=()
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    all) SELECTED+=(ed25519 pow smt sha256sum tps-inprocess tps-sequential tps-rest tps-rest-regtest network artifact gateway consensus-bft consensus-pos consensus-dpos) ;;
    maas) SELECTED+=(artifact gateway) ;;
    consensus) SELECTED+=(consensus-bft consensus-pos consensus-dpos) ;;
    contracts) SELECTED+=(contract-calls contract-metering) ;;
    jmh) SELECTED+=(ed25519 pow smt) ;;
    tps) SELECTED+=(tps-inprocess tps-sequential tps-rest tps-rest-regtest) ;;
    ed25519|pow|smt|sha256sum|tps-inprocess|tps-sequential|tps-rest|tps-rest-regtest|network|artifact|gateway|consensus-bft|consensus-pos|consensus-dpos|staking|contract-calls|contract-metering) SELECTED+=("$arg") ;;
    *) echo "bench/run.sh: unknown figure or option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
[ ${#SELECTED[@]} -gt 0 ] || SELECTED=(ed25519 pow smt sha256sum tps-inprocess tps-sequential tps-rest tps-rest-regtest network artifact gateway consensus-bft consensus-pos consensus-dpos)
selected() { local f; for f in "${SELECTED[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }

# ------------------------------------------------------------------------------------------------ settings

if [ "$QUICK" = 1 ]; then
  JMH_ARGS=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
  OSSL_SECONDS=1
  SUM_MIB=256
  TPS_SIZE=(--txs 20000 --warmup-txs 5000)
  CONTRACT_ROUNDS=1
else
  JMH_ARGS=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
  OSSL_SECONDS=3
  SUM_MIB=1024
  TPS_SIZE=(--txs 100000 --warmup-txs 20000)
  CONTRACT_ROUNDS=2
fi
read -r -a TPS_EXTRA <<< "${TPS_ARGS:-}"
read -r -a MVN <<< "${MVN_FLAGS:--q -o}"

OUT_DIR="$ROOT/target/bench"
RESULTS="$ROOT/target/bench-results.md"
ROWS="$OUT_DIR/rows.md"
DETAILS="$OUT_DIR/details.md"
mkdir -p "$OUT_DIR"
: > "$ROWS"
: > "$DETAILS"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
find_java() {
  if [ -n "${BENCH_JAVA:-}" ]; then echo "$BENCH_JAVA"; return; fi
  local best="" best_major=0 c m
  for c in /usr/lib/jvm/*/bin/java ${JAVA_HOME:+"$JAVA_HOME/bin/java"} $(command -v java || true); do
    [ -x "$c" ] || continue
    m="$(java_major "$c" 2>/dev/null || echo 0)"
    if [[ "$m" =~ ^[0-9]+$ ]] && [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$c"; best_major="$m"; fi
  done
  [ -n "$best" ] || { echo "bench/run.sh: no JDK 21+ found; set BENCH_JAVA" >&2; exit 1; }
  echo "$best"
}
JAVA="$(find_java)"
command -v openssl >/dev/null || { echo "bench/run.sh: openssl is needed for the reference figures" >&2; exit 1; }

# ------------------------------------------------------------------------------------------------ helpers

load() { cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g'; }
say() { printf '\n== %s\n' "$*"; }
detail() { printf '%s\n' "$*" >> "$DETAILS"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# row FIGURE OURS REFERENCE RATIO TARGET RESULT LOAD
row() { printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$@" >> "$ROWS"; }
passfail() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t + 0) ? "**pass**" : "**FAIL**" }'; }

# openssl runs each test for -seconds of wall time and reports how much of its own CPU time that took. Every helper
# prints two rates: per second of wall time (compared with JMH, which also measures wall time, so both sides of the
# ratio see the same machine load) and per second of openssl's CPU time (what one core does when it is not shared).
ossl_ed25519_verify() { # "WALL CPU" verifies/s on one core
  openssl speed -mr -seconds "$OSSL_SECONDS" ed25519 2>&1 >/dev/null \
    | awk -F: -v s="$OSSL_SECONDS" '/^\+R[0-9]*:.*:Ed25519:/ { if (++n == 2) { printf "%.0f %.0f", $2 / s, $2 / $5; exit } }'
}
ossl_sha256_64() { # "WALL CPU" 64-byte messages hashed per second (2 compressions each: the data block and the padding block)
  openssl speed -mr -seconds "$OSSL_SECONDS" -bytes 64 sha256 2>&1 >/dev/null \
    | awk -F: -v s="$OSSL_SECONDS" '/^\+R:/ { printf "%.0f %.0f", $2 / s, $2 / $4; exit }'
}
ossl_sha256_16k() { # "WALL CPU" bytes/s on 16 KiB blocks (the last size of openssl's sweep)
  openssl speed -mr -seconds "$OSSL_SECONDS" sha256 2>&1 >/dev/null \
    | awk -F: -v s="$OSSL_SECONDS" '/^\+R:/ { c = $2; t = $4 } END { printf "%.0f %.0f", c * 16384 / s, c * 16384 / t }'
}
ossl_ed25519_verify_all_cores() { # verifies per second of wall time of $NPROC openssl processes together (-multi)
  openssl speed -mr -seconds "$OSSL_SECONDS" -multi "$NPROC" ed25519 2>&1 >/dev/null \
    | awk -F: -v s="$OSSL_SECONDS" '/^\+R[0-9]*:.*:Ed25519:/ { k = substr($1, 3) + 0; c[k] += $2; if (k > m) m = k } END { printf "%.0f", c[m] / s }'
}
first() { echo "${1%% *}"; }
second() { echo "${1##* }"; }
jmh() { # jmh NAME CLASS [args...]: runs one benchmark class, CSV to $OUT_DIR/NAME.csv, log to $OUT_DIR/NAME.log
  local name="$1" cls="$2"; shift 2
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main "io.maaschain.bench.$cls" "${JMH_ARGS[@]}" "$@" \
    -rf csv -rff "$OUT_DIR/$name.csv" > "$OUT_DIR/$name.log" 2>&1 || { tail -30 "$OUT_DIR/$name.log" >&2; return 1; }
  grep -A20 '^Benchmark ' "$OUT_DIR/$name.log" | grep -v '^Benchmark result' | sed '/^$/q'
}
csv_score() { # csv_score FILE [PARAM_VALUE]: the Score column of the first row with a parameter column equal to PARAM_VALUE
  tr -d '\r' < "$1" | awk -F, -v p="${2:-}" 'NR > 1 { hit = (p == ""); for (i = 8; i <= NF; i++) if ($i == p || $i == "\"" p "\"") hit = 1; if (hit) { print $5; exit } }'
}

# ------------------------------------------------------------------------------------------------ build + machine

if [ "$BUILD" = 1 ]; then
  say "building (./mvnw ${MVN[*]} package -DskipTests) and writing the test classpath"
  ./mvnw "${MVN[@]}" package -DskipTests
fi
./mvnw "${MVN[@]}" dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/bench-classpath.txt)"

CPU_MODEL="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
NPROC="$(nproc)"
JDK_VERSION="$("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/  */ /g')"
SHA_NI="$(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src bench pom.xml 2>/dev/null || echo '+local changes')"
START_UPTIME="$(uptime)"
say "machine"
cat <<EOF | tee "$OUT_DIR/machine.txt"
date:     $(date -u '+%Y-%m-%d %H:%M UTC')
commit:   $COMMIT
uptime:   $START_UPTIME
nproc:    $NPROC
CPU:      $CPU_MODEL (SHA extensions: $SHA_NI)
memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
kernel:   $(uname -r)
JDK:      $JDK_VERSION ($JAVA)
openssl:  $(openssl version)
mode:     $([ "$QUICK" = 1 ] && echo "--quick (short runs)" || echo "full") ; JMH ${JMH_ARGS[*]}
EOF

# ------------------------------------------------------------------------------------------------ figures

if selected ed25519; then
  say "Ed25519 verification (JMH Ed25519VerifyBench vs openssl speed ed25519)"
  L="$(load)"
  O1="$(ossl_ed25519_verify)"
  jmh ed25519 Ed25519VerifyBench | tee "$OUT_DIR/ed25519.summary"
  OURS="$(csv_score "$OUT_DIR/ed25519.csv")"
  CACHED="$(tr -d '\r' < "$OUT_DIR/ed25519.csv" | awk -F, '$1 ~ /verifyCachedKey/ { print $5; exit }')"
  jmh ed25519-batch Ed25519BatchVerifyBench -p size=64 | tee -a "$OUT_DIR/ed25519.summary"
  BATCH_US="$(csv_score "$OUT_DIR/ed25519-batch.csv")"
  BATCHED="$(calc '%.0f' "64 * 1000000 / $BATCH_US")"
  O2="$(ossl_ed25519_verify)"
  R1="$(first "$O1")"; R2="$(first "$O2")"
  REF="$(calc '%.0f' "($R1 + $R2) / 2")"
  REF_CPU="$(calc '%.0f' "($(second "$O1") + $(second "$O2")) / 2")"
  RATIO="$(calc '%.2f' "$OURS / $REF")"
  echo "ours $OURS verifies/s, openssl $R1 before / $R2 after (per CPU second: $REF_CPU) -> ratio $RATIO"
  row "Ed25519 verifies/s, one core (BouncyCastle, 150-byte message)" "$(calc '%.0f' "$OURS")" "$REF (openssl; $R1 before, $R2 after)" "$RATIO" "none (sets the tps bound)" "-" "$L"
  [ -z "$CACHED" ] || row "Ed25519 verifies/s, one core, key point from the decoded-key cache (the node's path)" "$(calc '%.0f' "$CACHED")" "$REF (openssl; $R1 before, $R2 after)" "$(calc '%.2f' "$CACHED / $REF")" "none" "-" "$L"
  row "Ed25519 signatures verified/s, one core, in batches of 64 (\`SignatureBatch\`: the node's path for pool batches and blocks)" "$BATCHED ($(calc '%.1f' "$BATCH_US / 64") µs each)" "$REF (openssl; $R1 before, $R2 after)" "$(calc '%.2f' "$BATCHED / $REF")" "none" "-" "$L"
  detail "### Ed25519 verification"
  detail ""
  detail "JMH \`Ed25519VerifyBench\` (${JMH_ARGS[*]}), one thread: **$(calc '%.0f' "$OURS") verifies/s**; \`openssl speed -seconds $OSSL_SECONDS ed25519\` verifies per second of wall time: $R1 before, $R2 after (mean $REF); ratio **$RATIO**. With the key point from the decoded-key cache (\`verifyCachedKey\`, what \`PublicKey.verify\` does): ${CACHED:-n/a} verifies/s. In batches of 64 (JMH \`Ed25519BatchVerifyBench\`, distinct keys with warm key tables): $BATCH_US µs per batch, $BATCHED signatures/s. openssl per second of its own CPU time (an unshared core): $REF_CPU. Load at start $L."
  detail ""
fi

if selected pow; then
  say "PoW nonce search (JMH PowHashBench vs openssl speed sha256)"
  L="$(load)"
  O64A="$(ossl_sha256_64)"
  O16K="$(ossl_sha256_16k)"
  jmh pow PowHashBench -p path=JDK_SHA2_INTRINSIC,PORTABLE_JAVA,MD_CLONE,MD_FULL | tee "$OUT_DIR/pow.summary"
  O64B="$(ossl_sha256_64)"
  R64A="$(first "$O64A")"; R64B="$(first "$O64B")"; R16K="$(first "$O16K")"
  ATT="$(csv_score "$OUT_DIR/pow.csv" JDK_SHA2_INTRINSIC)"
  PORT="$(csv_score "$OUT_DIR/pow.csv" PORTABLE_JAVA)"
  MDC="$(csv_score "$OUT_DIR/pow.csv" MD_CLONE)"
  MDF="$(csv_score "$OUT_DIR/pow.csv" MD_FULL)"
  OURS_C="$(calc '%.0f' "2 * $ATT")"
  REF_C="$(calc '%.0f' "$R16K / 64")"
  REF_C_CPU="$(calc '%.0f' "$(second "$O16K") / 64")"
  REF64_C="$(calc '%.0f' "($R64A + $R64B)")" # mean of two runs x 2 compressions per 64-byte message
  RATIO="$(calc '%.2f' "$OURS_C / $REF_C")"
  RATIO64="$(calc '%.2f' "$OURS_C / $REF64_C")"
  echo "ours $OURS_C compressions/s ($ATT attempts/s); openssl 16 KiB $REF_C compressions/s -> ratio $RATIO; openssl 64-byte messages $REF64_C compressions/s -> ratio $RATIO64"
  row "PoW hashing, one core, SHA-256 compressions/s (2 per nonce attempt, JDK SHA-NI intrinsic path)" "$OURS_C" "$REF_C (openssl sha256, 16 KiB blocks / 64)" "$RATIO" ">= 0.80" "$(passfail "$RATIO" 0.80)" "$L"
  row "PoW hashing vs openssl hashing 64-byte messages (also 2 compressions each)" "$OURS_C" "$REF64_C (2 x openssl -bytes 64 sha256 ops/s)" "$RATIO64" "-" "-" "$L"
  detail "### Proof-of-work hashing"
  detail ""
  detail "JMH \`PowHashBench\` (${JMH_ARGS[*]}), one thread, nonce attempts/s: JDK_SHA2_INTRINSIC $(calc '%.0f' "$ATT"), PORTABLE_JAVA $(calc '%.0f' "$PORT"), MD_CLONE $(calc '%.0f' "$MDC"), MD_FULL $(calc '%.0f' "$MDF"). Each attempt on the fast paths is 2 SHA-256 compressions (the header's last block from a cached midstate, then the 32-byte second hash), so the intrinsic path does **$OURS_C compressions/s**."
  detail ""
  detail "References in the same run (per second of wall time): \`openssl speed -seconds $OSSL_SECONDS sha256\` on 16 KiB blocks: $R16K bytes/s = $REF_C compressions/s (ratio **$RATIO**, target >= 0.80; per second of openssl's CPU time $REF_C_CPU); \`-bytes 64\`: $R64A and $R64B hashes/s before/after, 2 compressions each = $REF64_C compressions/s (ratio $RATIO64: openssl pays for padding, finalisation and the EVP call on every short message, the nonce search does not). Load at start $L."
  detail ""
fi

if selected smt; then
  say "Sparse Merkle tree batch update (JMH SparseMerkleTreeBench vs hashing the minimal node count with openssl's rate)"
  L="$(load)"
  O64A="$(ossl_sha256_64)"
  jmh smt SparseMerkleTreeBench | tee "$OUT_DIR/smt.summary"
  O64B="$(ossl_sha256_64)"
  R64A="$(first "$O64A")"; R64B="$(first "$O64B")"
  R64="$(calc '%.0f' "($R64A + $R64B) / 2")"
  detail "### Sparse Merkle tree batch update"
  detail ""
  detail "JMH \`SparseMerkleTreeBench\` (${JMH_ARGS[*]}): a batch of 40,000 changed keys (20,000 transfers) applied to a tree of 1,000,000 keys, one thread. The reference is the time openssl needs for just the SHA-256 digests that any implementation of docs/spec-smt.md must compute for the batch (every new leaf and every branch on a changed path, counted exactly in the benchmark's setup; 65-byte inputs = 2 compressions, the same as openssl's 64-byte messages): openssl \`-bytes 64\` $R64A / $R64B hashes/s before/after. Load at start $L."
  detail ""
  for EX in 0.0 0.9; do
    OURS="$(csv_score "$OUT_DIR/smt.csv" "$EX")"
    N="$(sed -n "s/.*SMT-REFERENCE existing=$EX minimal-node-hashes-per-batch=\([0-9.]*\).*/\1/p" "$OUT_DIR/smt.log" | head -1)"
    REF_MS="$(calc '%.1f' "$N / $R64 * 1000")"
    RATIO="$(calc '%.2f' "$REF_MS / $OURS")"
    echo "existing=$EX: ours $OURS ms/batch; $N digests -> openssl $REF_MS ms; ratio $RATIO"
    row "SMT batch update, ms per 40k-key batch on 1M keys ($(calc '%.0f' "$EX * 100") % existing keys)" "$(calc '%.1f' "$OURS") ms" "$REF_MS ms (openssl hashing $(calc '%.0f' "$N") digests)" "$RATIO" "none" "-" "$L"
    detail "- existing=$EX: **$(calc '%.1f' "$OURS") ms** per batch; minimal digests $(calc '%.0f' "$N") -> $REF_MS ms at openssl's rate; ratio (reference time / ours) $RATIO."
  done
  detail ""
fi

if selected sha256sum; then
  say "sha256sum on a ${SUM_MIB} MiB file (reference for artifact hashing)"
  L="$(load)"
  TMP="$(mktemp "${TMPDIR:-/tmp}/maaschain-bench-XXXXXX")"
  trap 'rm -f "$TMP"' EXIT
  head -c "$((SUM_MIB * 1024 * 1024))" /dev/urandom > "$TMP"
  sha256sum "$TMP" > /dev/null # page cache
  T0="$(date +%s%N)"
  sha256sum "$TMP" > /dev/null
  T1="$(date +%s%N)"
  rm -f "$TMP"
  SECS="$(calc '%.3f' "($T1 - $T0) / 1e9")"
  MBS="$(calc '%.0f' "$SUM_MIB * 1048576 / 1e6 / $SECS")"
  echo "sha256sum: ${SUM_MIB} MiB in $SECS s = $MBS MB/s"
  row "sha256sum of a ${SUM_MIB} MiB file (page-cached), MB/s" "-" "$MBS MB/s ($SECS s)" "-" "reference for artifact hashing" "-" "$L"
  detail "### sha256sum (reference only)"
  detail ""
  detail "\`sha256sum\` of a ${SUM_MIB} MiB random file already in the page cache: $SECS s = **$MBS MB/s** (coreutils $(sha256sum --version | head -1 | awk '{print $NF}')). Kept for comparison with model-artifact hashing. Load at start $L."
  detail ""
fi

tps() { # tps NAME FIGURE-LABEL [TransferThroughput args...]
  local name="$1" label="$2"; shift 2
  local L O1 O2 OM REF REF_WALL BOUND TPS RATIO CORES CPU_US REF_US CPU_RATIO PROJ MULTI_RATIO
  L="$(load)"
  O1="$(ossl_ed25519_verify)"
  "$JAVA" -Xmx3g -cp "$CP" io.maaschain.bench.TransferThroughput "$@" "${TPS_SIZE[@]}" "${TPS_EXTRA[@]}" \
    --report "$OUT_DIR/$name.md" > "$OUT_DIR/$name.log" 2>&1 || { tail -40 "$OUT_DIR/$name.log" >&2; return 1; }
  grep -E '^(RESULT|BREAKDOWN|measured|warm)' "$OUT_DIR/$name.log" || true
  O2="$(ossl_ed25519_verify)"
  OM="$(ossl_ed25519_verify_all_cores)"
  # The bound uses openssl's rate per second of its own CPU time: what one core verifies when it is not shared.
  REF="$(calc '%.0f' "($(second "$O1") + $(second "$O2")) / 2")"
  REF_WALL="$(calc '%.0f' "($(first "$O1") + $(first "$O2")) / 2")"
  BOUND="$(calc '%.0f' "$NPROC * $REF")"
  TPS="$(sed -n 's/^RESULT .* tps=\([0-9.]*\).*/\1/p' "$OUT_DIR/$name.log" | tail -1)"
  CORES="$(sed -n 's/^RESULT .* cores=\([0-9.]*\).*/\1/p' "$OUT_DIR/$name.log" | tail -1)"
  CPU_US="$(sed -n 's/^RESULT .* cpu_us_per_tx=\([0-9.]*\).*/\1/p' "$OUT_DIR/$name.log" | tail -1)"
  RATIO="$(calc '%.2f' "$TPS / $BOUND")"
  # Load-independent view: CPU time per committed transfer against openssl's CPU time per verification.
  REF_US="$(calc '%.1f' "1e6 / $REF")"
  CPU_RATIO="$(calc '%.2f' "$REF_US / $CPU_US")"
  PROJ="$(calc '%.0f' "$NPROC * 1e6 / $CPU_US")"
  # Load-matched view: what all cores verified together, in wall time, right after the run.
  MULTI_RATIO="$(calc '%.2f' "$TPS / $OM")"
  echo "$label: $TPS tx/s ($CORES cores busy, $CPU_US us CPU/tx); bound $NPROC x $REF = $BOUND; ratio $RATIO; CPU-normalised $CPU_RATIO; target 20000"
  row "$label" "$(calc '%.0f' "$TPS") tx/s ($CORES cores busy; $CPU_US µs CPU/tx)" "$BOUND tx/s = $NPROC x openssl $REF verifies/s ($REF_US µs CPU each)" \
    "$RATIO (CPU-normalised $CPU_RATIO; vs openssl -multi $NPROC just after: $MULTI_RATIO)" ">= 20,000 tx/s" "$(passfail "$TPS" 20000)" "$L"
  detail "$(cat "$OUT_DIR/$name.md")"
  detail ""
  detail "Reference in the same run: openssl Ed25519 verifies per second of its CPU time $(second "$O1") before, $(second "$O2") after (per second of wall time: $(first "$O1") and $(first "$O2")); bound $NPROC x $REF = **$BOUND tx/s**; measured/bound = **$RATIO** (depends on how much of the shared machine the run got: $CORES of $NPROC cores). CPU-normalised: $CPU_US µs of CPU per committed transfer against $REF_US µs per openssl verification = **$CPU_RATIO**, i.e. $NPROC cores / $CPU_US µs = $PROJ tx/s if the run had had all $NPROC cores and used them perfectly in parallel. Load-matched: \`openssl speed -multi $NPROC ed25519\` right after the run verified $OM per second of wall time; measured / that = **$MULTI_RATIO**."
  detail ""
}

if selected tps-inprocess; then
  say "transfers committed per second, in-process, pipelined (TransferThroughput inprocess)"
  tps tps-inprocess "Transfers committed/s, in-process (submitter + producer threads)" inprocess
fi
if selected tps-sequential; then
  say "transfers committed per second, in-process, one thread (TransferThroughput inprocess --sequential)"
  tps tps-sequential "Transfers committed/s, in-process, submit then build+import on one thread (phase breakdown)" inprocess --sequential
fi
if selected tps-rest; then
  say "transfers committed per second over REST, dev genesis as shipped (TransferThroughput rest)"
  tps tps-rest "Transfers committed/s over REST, \`maaschain dev\` as shipped (node mines at the dev difficulty)" rest --jar "$ROOT/target/maaschain.jar" --java "$JAVA"
fi
if selected tps-rest-regtest; then
  say "transfers committed per second over REST, regtest target (TransferThroughput rest --genesis regtest)"
  tps tps-rest-regtest "Transfers committed/s over REST, \`maaschain dev\` with the regtest target (sealing ~free)" rest --genesis regtest --jar "$ROOT/target/maaschain.jar" --java "$JAVA"
fi

main_class() { # main_class NAME CLASS [args...]: runs a benchmark main, log to $OUT_DIR/NAME.log, prints its RESULT lines
  local name="$1" cls="$2"; shift 2
  "$JAVA" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx3g -cp "$CP" "io.maaschain.bench.$cls" "$@" \
    > "$OUT_DIR/$name.log" 2>&1 || { tail -40 "$OUT_DIR/$name.log" >&2; return 1; }
  grep '^RESULT' "$OUT_DIR/$name.log"
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1" | head -1; }

if selected network; then
  say "network: block propagation across 4 nodes; late-joiner sync beside the local commit rate (NetworkBench)"
  L="$(load)"
  OUT="$(main_class network NetworkBench $([ "$QUICK" = 1 ] && echo "60 15 2000" || echo "200 40 2000"))"
  echo "$OUT"
  P="$(grep 'propagation' <<< "$OUT")"; C="$(grep 'commit_reference' <<< "$OUT")"; Y="$(grep 'RESULT sync' <<< "$OUT")"
  row "Block propagation, 4 nodes on loopback (gRPC, RocksDB), 100-transfer blocks" "p50 $(field "$P" p50_ms) ms, p99 $(field "$P" p99_ms) ms" "-" "-" "none set" "-" "$L"
  SYNC_RATIO="$(calc '%.2f' "$(field "$Y" tx_per_s) / $(field "$C" tx_per_s)")"
  row "Late-joiner sync, blocks of 2,000 transfers" "$(field "$Y" blocks_per_s) blocks/s, $(field "$Y" tx_per_s) tx/s" \
    "$(field "$C" tx_per_s) tx/s: a fresh node importing the same blocks from disk, no network" "$SYNC_RATIO" ">= 0.80" "$(passfail "$SYNC_RATIO" 0.80)" "$L"
  detail "### Network (NetworkBench)"
  detail ""
  detail "\`\`\`"; detail "$OUT"; detail "\`\`\`"; detail ""
fi

if selected artifact; then
  say "artifact hashing beside sha256sum and openssl dgst on the same file (ArtifactHashBench)"
  L="$(load)"
  OUT="$(main_class artifact ArtifactHashBench "$SUM_MIB")"
  echo "$OUT"
  row "Artifact digest (whole-file SHA-256, streamed), ${SUM_MIB} MiB page-cached file" "$(field "$OUT" digest_mib_s) MiB/s (manifest pass: $(field "$OUT" manifest_mib_s) MiB/s)" \
    "sha256sum $(field "$OUT" sha256sum_mib_s) MiB/s; openssl dgst $(field "$OUT" openssl_dgst_mib_s) MiB/s" \
    "$(field "$OUT" digest_vs_sha256sum) (vs openssl $(field "$OUT" digest_vs_openssl))" ">= 0.80 of sha256sum" "$(passfail "$(field "$OUT" digest_vs_sha256sum)" 0.80)" "$L"
  detail "### Artifact hashing (ArtifactHashBench)"
  detail ""
  detail "\`\`\`"; detail "$OUT"; detail "\`\`\`"; detail ""
fi

if selected gateway; then
  say "inference gateway overhead beside ONNX Runtime called directly (GatewayBench)"
  L="$(load)"
  OUT="$(main_class gateway GatewayBench $([ "$QUICK" = 1 ] && echo "5000 8" || echo "20000 8"))"
  echo "$OUT"
  G="$(grep gateway_latency <<< "$OUT")"; F="$(grep gateway_floor <<< "$OUT")"; T="$(grep gateway_throughput <<< "$OUT")"; D="$(grep 'gateway_dense ' <<< "$OUT")"; D64="$(grep gateway_dense64 <<< "$OUT")"
  row "Receipted inference call (auth + access + metering + signed receipt in the WAL, fsync every 20 ms in the background), Iris model, JSON, one thread" \
    "p50 $(field "$G" receipted_p50_us) µs, p99 $(field "$G" receipted_p99_us) µs" "ONNX Runtime direct: p50 $(field "$G" direct_p50_us) µs, p99 $(field "$G" direct_p99_us) µs" \
    "overhead $(field "$G" overhead_p50_us) µs at p50 (+$(field "$G" overhead_p50_ratio)x)" "<= 0.10 at p50" "$(passfail 0.10 "$(field "$G" overhead_p50_ratio)")" "$L"
  row "Gateway overhead of an API-key call (Iris) against its floor: one Ed25519 signature, SHA-256 of request and response, one unsynced WAL append, timed in the same rounds" \
    "overhead $(field "$F" apikey_overhead_p50_us) µs at p50" "floor p50 $(field "$F" floor_p50_us) µs" \
    "$(field "$F" apikey_vs_floor)x the floor" "<= 2x the floor" "$(passfail 2 "$(field "$F" apikey_vs_floor)")" "$L"
  row "Gateway overhead of a signed, paid call (caller's Ed25519 signature over a payment authorisation verified) against the same floor" \
    "overhead $(field "$F" signed_overhead_p50_us) µs at p50 (p50 $(field "$F" signed_p50_us) µs)" "floor p50 $(field "$F" floor_p50_us) µs" \
    "$(field "$F" signed_vs_floor)x the floor" "<= 2x the floor" "$(passfail 2 "$(field "$F" signed_vs_floor)")" "$L"
  row "Receipted inference call, dense network (3 x 1,024 units, batch 8 x 256 inputs), JSON tensors, one thread" \
    "p50 $(field "$D" receipted_p50_us) µs, p99 $(field "$D" receipted_p99_us) µs" "ONNX Runtime direct: p50 $(field "$D" direct_p50_us) µs, p99 $(field "$D" direct_p99_us) µs" \
    "overhead $(field "$D" overhead_p50_us) µs at p50 (+$(field "$D" overhead_p50_ratio))" "<= 0.10 at p50" "$(passfail 0.10 "$(field "$D" overhead_p50_ratio)")" "$L"
  row "The same, binary tensor data extension (input and output as raw bytes)" \
    "p50 $(field "$D" binary_p50_us) µs, p99 $(field "$D" binary_p99_us) µs" "ONNX Runtime direct: p50 $(field "$D" direct_p50_us) µs, p99 $(field "$D" direct_p99_us) µs" \
    "overhead $(field "$D" binary_overhead_p50_us) µs at p50 (+$(field "$D" binary_overhead_p50_ratio))" "<= 0.10 at p50" "$(passfail 0.10 "$(field "$D" binary_overhead_p50_ratio)")" "$L"
  row "The same network with batches of 64 x 256 inputs (8x the compute per call), binary tensors" \
    "p50 $(field "$D64" binary_p50_us) µs, p99 $(field "$D64" binary_p99_us) µs" "ONNX Runtime direct: p50 $(field "$D64" direct_p50_us) µs, p99 $(field "$D64" direct_p99_us) µs" \
    "overhead $(field "$D64" binary_overhead_p50_us) µs at p50 (+$(field "$D64" binary_overhead_p50_ratio)); JSON tensors: +$(field "$D64" overhead_p50_ratio)" "<= 0.10 at p50" "$(passfail 0.10 "$(field "$D64" binary_overhead_p50_ratio)")" "$L"
  row "Receipted calls per second, $(field "$T" threads) threads, Iris model, JSON" "$(field "$T" receipted_calls_s) calls/s" "ONNX Runtime direct: $(field "$T" direct_calls_s) calls/s" \
    "$(field "$T" ratio)" ">= 5,000 calls/s" "$(passfail "$(field "$T" receipted_calls_s)" 5000)" "$L"
  detail "### Inference gateway (GatewayBench)"
  detail ""
  detail "\`\`\`"; detail "$OUT"; detail "\`\`\`"; detail ""
fi

for ENGINE in bft pos dpos; do
  selected "consensus-$ENGINE" || continue
  say "consensus-$ENGINE: 4 node processes on loopback, time to finality and committed transfers per second (ConsensusBench)"
  if ! grep -q "\"$ENGINE\"" <<< "$("$JAVA" -cp "$CP" io.maaschain.bench.ConsensusBench --available 2>/dev/null)"; then
    echo "consensus-$ENGINE: the engine is not in this build; skipped"
    row "Consensus $ENGINE, 4 nodes" "not in this build" "-" "-" "-" "skipped" "$(load)"
    continue
  fi
  L="$(load)"
  OUT="$(main_class "consensus-$ENGINE" ConsensusBench "$ENGINE" "$ROOT/target/maaschain.jar" $([ "$QUICK" = 1 ] && echo "10 5000" || echo "30 20000"))"
  echo "$OUT"
  R="$(grep "RESULT consensus_$ENGINE" <<< "$OUT")"
  if [ "$ENGINE" = pos ]; then TARGET="none set"; RES="-"; else TARGET="p50 and p99 < 1000 ms idle"; RES="$(passfail 1000 "$(field "$R" idle_p99_ms)")"; fi
  row "Consensus $ENGINE, 4 node processes: time to finality, idle ($(field "$R" idle_blocks) blocks x 4 nodes; ±$(field "$R" poll_ms) ms polling)" \
    "p50 $(field "$R" idle_p50_ms) ms, p99 $(field "$R" idle_p99_ms) ms" "-" "-" "$TARGET" "$RES" "$L"
  row "Consensus $ENGINE, 4 node processes: $(field "$R" load_txs) transfers via REST" \
    "$(field "$R" tx_per_s) tx/s committed and final; finality under load p50 $(field "$R" load_p50_ms) ms, p99 $(field "$R" load_p99_ms) ms" \
    "-" "-" "none set" "-" "$L"
  detail "### Consensus $ENGINE (ConsensusBench)"
  detail ""
  detail "\`\`\`"; detail "$OUT"; detail "\`\`\`"; detail ""
done

if selected staking; then
  say "staking: per-block release work against the number of accounts that ever staked (StakingBench)"
  L="$(load)"
  OUT="$(main_class staking StakingBench $([ "$QUICK" = 1 ] && echo "500 1000 10000 100000" || echo "2000 1000 10000 100000"))"
  echo "$OUT"
  S1="$(grep 'historic=1000 ' <<< "$OUT")"; S2="$(grep 'historic=100000 ' <<< "$OUT")"
  GROWTH="$(calc '%.2f' "$(field "$S2" indexed_us_per_block) / $(field "$S1" indexed_us_per_block)")"
  row "Staking release work per block (maturity index), 1k -> 100k historic stakers, CPU time" \
    "$(field "$S1" indexed_us_per_block) -> $(field "$S2" indexed_us_per_block) µs/block" \
    "scan of every bond (the replaced rule): $(field "$S1" scan_us_per_block) -> $(field "$S2" scan_us_per_block) µs/block" \
    "100k/1k: $GROWTH" "flat (<= 2.0)" "$(passfail 2.0 "$GROWTH")" "$L"
  detail "### Staking state (StakingBench)"
  detail ""
  detail "\`\`\`"; detail "$OUT"; detail "\`\`\`"; detail ""
fi

if selected contract-calls; then
  say "contract calls committed per second beside transfers in the same run (ContractThroughput)"
  L="$(load)"
  OUT="$(main_class contract-calls ContractThroughput --rounds "$CONTRACT_ROUNDS" "${TPS_SIZE[@]}" "${TPS_EXTRA[@]}" --report "$OUT_DIR/contract-calls.md")"
  R="$(grep '^RESULT mode=contract-calls ' <<< "$OUT")"
  echo "$R"
  RATIO="$(calc '%.2f' "$(field "$R" ratio)")"
  row "Contract calls committed/s, in-process, a counter's \`increment\` (storage read + write; contracts: $(field "$R" contracts)), beside transfers in the same run" \
    "$(calc '%.0f' "$(field "$R" calls_tps)") tx/s ($(field "$R" calls_cpu_us_per_tx) µs CPU/call)" \
    "transfers: $(calc '%.0f' "$(field "$R" transfers_tps)") tx/s ($(field "$R" transfers_cpu_us_per_tx) µs CPU/transfer)" \
    "$RATIO (per round: $(field "$R" per_round); CPU-normalised $(calc '%.2f' "$(field "$R" cpu_ratio)"))" ">= 0.50 of transfers" "$(passfail "$RATIO" 0.50)" "$L"
  detail "$(cat "$OUT_DIR/contract-calls.md")"
  detail ""
fi

bench_score() { # bench_score CSV METHOD PARAM_VALUE: the Score of benchmark method METHOD with that parameter value
  tr -d '\r' < "$1" | awk -F, -v m="$2" -v p="$3" 'NR > 1 { b = $1; v = $8; gsub(/"/, "", b); gsub(/"/, "", v); if (b ~ ("\\." m "$") && v == p) { print $5; exit } }'
}

if selected contract-metering; then
  say "cost of metering: the instrumented module against the same module uninstrumented, both on Chicory (JMH ContractMeteringBench)"
  L="$(load)"
  jmh contract-metering ContractMeteringBench | tee "$OUT_DIR/contract-metering.summary"
  # The same comparison alternating the two variants in half-second slices (CPU time of the thread), so that a change
  # of load between JMH's separate measurements cannot decide the ratio.
  ALT="$(main_class contract-metering-alternating ContractMeteringBench $([ "$QUICK" = 1 ] && echo 4 || echo 10))"
  echo "$ALT"
  grep '^METERING' "$OUT_DIR/contract-metering.log" | sort -u
  for W in compute storage; do
    M="$(bench_score "$OUT_DIR/contract-metering.csv" metered "$W")"
    P="$(bench_score "$OUT_DIR/contract-metering.csv" unmetered "$W")"
    GAS="$(sed -n "s/^METERING workload=$W .*gas_per_call=\([0-9]*\).*/\1/p" "$OUT_DIR/contract-metering.log" | head -1)"
    RATIO="$(calc '%.2f' "$M / $P")"
    A="$(grep "RESULT metering_alternating workload=$W " <<< "$ALT")"
    WORST="$(awk -v a="$RATIO" -v b="$(field "$A" ratio)" 'BEGIN { print (a + 0 > b + 0) ? a : b }')" # a pass needs both
    case "$W" in
      compute) WHAT="compute-heavy (10,000 iterations of i64 arithmetic + memory loads/stores, $GAS gas)" ;;
      storage) WHAT="storage-heavy (64 x storage_read + storage_write, $GAS gas)" ;;
    esac
    echo "$W: metered $M µs/call, unmetered $P µs/call, ratio $RATIO"
    row "Cost of metering, $WHAT, µs per call on Chicory's interpreter (fresh instance per call)" "$(calc '%.1f' "$M") µs instrumented" \
      "$(calc '%.1f' "$P") µs the same module uninstrumented" "$RATIO (alternating, CPU time: $(calc '%.2f' "$(field "$A" ratio)"))" "<= 1.30 (both)" "$(passfail 1.30 "$WORST")" "$L"
  done
  detail "### Cost of metering (ContractMeteringBench)"
  detail ""
  detail "JMH \`ContractMeteringBench\` (${JMH_ARGS[*]}), one thread, average time per call. Chicory's compiler to JVM bytecode is not used by the project (interpreter only), so there is no interpreter-vs-compiler figure. Load at start $L."
  detail ""
  detail "\`\`\`"; detail "$(cat "$OUT_DIR/contract-metering.summary")"; detail "$(grep '^METERING' "$OUT_DIR/contract-metering.log" | sort -u)"; detail "$ALT"; detail "\`\`\`"; detail ""
fi

# ------------------------------------------------------------------------------------------------ report

{
  echo "# Benchmark results"
  echo
  echo "Produced by \`bench/run.sh ${*:-}\`. Every reference was measured in this run, on this machine, beside the figure."
  echo
  echo '```'
  cat "$OUT_DIR/machine.txt"
  echo "uptime at end: $(uptime)"
  echo '```'
  echo
  echo "| figure | ours | reference (same run) | ratio | target | result | load avg (1, 5, 15 min) at start |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "## Details"
  echo
  cat "$DETAILS"
} > "$RESULTS"

say "summary (also in ${RESULTS#"$ROOT"/})"
echo
echo "| figure | ours | reference (same run) | ratio | target | result | load |"
echo "|---|---|---|---|---|---|---|"
cat "$ROWS"
