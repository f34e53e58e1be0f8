#!/usr/bin/env bash
# Runs every libFuzzer target for N seconds each.
# A target's seed corpus is made at run time by fuzz/<target>.seed.sh DIR when
# that script exists (seeds come from ../shared or are generated, never
# committed copies of the fixtures). Crashes land in build/fuzz-crashes/.
set -u
seconds=${1:-30}
cd "$(dirname "$0")/.." || exit 2
status=0
for bin in build/fuzz/*; do
    [ -x "$bin" ] || continue
    t=$(basename "$bin")
    corpus=build/fuzz-corpus/$t
    crashes=build/fuzz-crashes/$t
    mkdir -p "$corpus" "$crashes"
    [ -x "fuzz/$t.seed.sh" ] && "fuzz/$t.seed.sh" "$corpus"
    echo "fuzz: $t for ${seconds}s (corpus $(ls "$corpus" | wc -l) files)"
    if ! "$bin" -max_total_time="$seconds" -artifact_prefix="$crashes/" -print_final_stats=1 \
        "$corpus" >"build/fuzz-$t.log" 2>&1; then
        echo "fuzz: $t found a crash: see build/fuzz-$t.log and $crashes/"
        status=1
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "build/fuzz-$t.log" | sed "s/^/  $t /"
done
exit $status
