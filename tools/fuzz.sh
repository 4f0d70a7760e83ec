#!/usr/bin/env bash
# Fuzzes @FuzzTest targets one after another with Jazzer's own driver (docs/fuzzing.md), for long sessions where
# starting Maven per target would cost more than it is worth. Same targets, engine and seed corpus as -Pfuzz.
#   tools/fuzz.sh [SECONDS_PER_TARGET] [Class#method ...]     (default: 120 s, every target below)
# Generated inputs go to target/fuzz/corpus/, findings (crash-*, timeout-*, oom-*) to target/fuzz/findings/, logs
# (with libFuzzer's cov/ft lines) to target/fuzz/logs/. Copy a finding into the target's
# src/test/resources/<package>/<Class>Inputs/<method>/ directory once it is fixed, so every build replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(
        io.maaschain.codec.ByteReaderFuzzTest#reader
        io.maaschain.ledger.tx.TransactionFuzzTest#transaction
        io.maaschain.ledger.block.BlockFuzzTest#header
        io.maaschain.ledger.block.BlockFuzzTest#block
        io.maaschain.ledger.vote.VoteFuzzTest#vote
        io.maaschain.ledger.vote.VoteFuzzTest#consensusMessage
        io.maaschain.ledger.vote.VoteFuzzTest#evidence
        io.maaschain.p2p.FrameFuzzTest#frame
        io.maaschain.chain.ChainArchiveFuzzTest#export
        io.maaschain.ledger.genesis.GenesisFuzzTest#genesis
        io.maaschain.node.NodeConfigFuzzTest#toml
        io.maaschain.maas.inference.OipFuzzTest#jsonRequest
        io.maaschain.maas.inference.OipFuzzTest#binaryRequest
        io.maaschain.maas.receipt.ReceiptFuzzTest#receipt
        io.maaschain.maas.receipt.ReceiptFuzzTest#evidence
        io.maaschain.crypto.KeyFileFuzzTest#privatePem
        io.maaschain.crypto.KeyFileFuzzTest#publicPem
        io.maaschain.crypto.KeyFileFuzzTest#privateDer
        io.maaschain.crypto.KeyFileFuzzTest#publicDer
        io.maaschain.crypto.KeyFileFuzzTest#keystore
        io.maaschain.maas.artifact.ChunkManifestFuzzTest#manifest
    )
fi

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if ! "$java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    java=$(ls -d /usr/lib/jvm/*/bin/java | while read -r j; do "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && echo "$j" && break; done)
fi
mkdir -p target/fuzz/{corpus,findings,logs}
# FUZZ_SKIP_BUILD=1 reuses the classes of the previous session (e.g. to run two sessions side by side).
if [[ ${FUZZ_SKIP_BUILD:-} != 1 ]]; then
    ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz/classpath.txt
    # A copy of the compiled classes, so rebuilding while a session runs cannot pull classes from under it.
    rm -rf target/fuzz/classes && mkdir -p target/fuzz/classes && cp -r target/classes target/test-classes target/fuzz/classes/
fi
cp="target/fuzz/classes/test-classes:target/fuzz/classes/classes:$(cat target/fuzz/classpath.txt)"

for t in "${targets[@]}"; do
    class=${t%#*}
    method=${t#*#}
    name="${class##*.}-$method"
    seeds="src/test/resources/${class//.//}Inputs/$method"
    corpus="target/fuzz/corpus/$name"
    mkdir -p "$corpus"
    echo "== $t: ${seconds}s"
    "$java" -Xmx1g -cp "$cp" com.code_intelligence.jazzer.Jazzer \
        --target_class="$class" --target_method="$method" \
        --instrumentation_includes='io.maaschain.**' --custom_hook_includes='io.maaschain.**' \
        --keep_going=25 -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2560 \
        -artifact_prefix="target/fuzz/findings/$name-" "$corpus" "$seeds" >"target/fuzz/logs/$name.log" 2>&1 || true
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "target/fuzz/logs/$name.log" | sed 's/^/   /' || true
    grep -E '^== Java Exception|^java\.|^== libFuzzer crashing input|Java Assertion' "target/fuzz/logs/$name.log" | sort | uniq -c | sed 's/^/   /' || true
done
