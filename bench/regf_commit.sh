#!/usr/bin/env bash
# Edit + crash-safe commit of a BCD against hivex's edit + hivex_commit, as
# callgrind instruction counts of the work function alone (bench_run; the
# programs' start-up and dynamic linking are not counted). The edit: the
# {bootmgr} timeout element and the first loader's description. Ours opens
# strictly (full validation), edits, commits through the directory volume
# and reads the result back to verify it; hivex opens, edits and rewrites.
set -u
cd "$(dirname "$0")/.." || exit 2
SHARED=${WR_SHARED:-$(cd .. && pwd)/shared}
B=$SHARED/regf-fixtures/bcd
ours=build/bench/ours_edit hivex=build/bench/hivex_edit
for t in "$ours" "$hivex"; do
    [ -x "$t" ] || { echo "regf_commit: $t not built (make bench builds it)"; exit 0; }
done
command -v valgrind >/dev/null || { echo "regf_commit: valgrind not installed"; exit 0; }
[ -d "$B" ] || { echo "regf_commit: $B not present"; exit 0; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# count FILE CMD...: instructions in bench_run (or $FN) for CMD on a fresh
# copy of FILE and its logs, alone in a directory as on an ESP.
count() {
    local file=$1 fn=${FN:-bench_run}; shift
    rm -rf "$tmp/esp" && mkdir "$tmp/esp"
    for s in "" .LOG .LOG1 .LOG2; do
        [ -f "$B/$file$s" ] && cp "$B/$file$s" "$tmp/esp/BCD$s"
    done
    chmod u+w "$tmp/esp"/*
    local out
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="$fn" \
        "$@" "$tmp/esp/BCD" 2>&1) || return 0 # a failed edit prints nothing: not compared
    awk '/Collected/ {print $NF}' <<<"$out"
}

printf '%-36s %12s %12s %12s %8s %8s\n' file hivex ours-replace ours-in-place ratio-r ratio-i
tot_h=0 tot_r=0 tot_i=0
for f in "$B"/*.BCD "$B"/*.bcd; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    h=$(count "$name" "$hivex")
    r=$(count "$name" "$ours" replace)
    i=$(count "$name" "$ours" in-place)
    [ -n "$h" ] && [ -n "$r" ] && [ -n "$i" ] || { echo "$name: skipped (no {bootmgr} to edit, or a run failed)"; continue; }
    tot_h=$((tot_h + h)) tot_r=$((tot_r + r)) tot_i=$((tot_i + i))
    printf '%-36s %12d %12d %12d %8s %8s\n' "$name" "$h" "$r" "$i" \
        "$(awk -v a="$r" -v b="$h" 'BEGIN{printf "%.2f", a/b}')" \
        "$(awk -v a="$i" -v b="$h" 'BEGIN{printf "%.2f", a/b}')"
done
[ "$tot_h" -gt 0 ] && printf '%-36s %12d %12d %12d %8s %8s   (target <= 1.00)\n' TOTAL \
    "$tot_h" "$tot_r" "$tot_i" \
    "$(awk -v a="$tot_r" -v b="$tot_h" 'BEGIN{printf "%.2f", a/b}')" \
    "$(awk -v a="$tot_i" -v b="$tot_h" 'BEGIN{printf "%.2f", a/b}')"

# Where the instructions go, summed over the same stores: opening, and
# committing (ours: in place, with the log, the diff and the read-back).
oh=0 oo=0 ch=0 co=0
for f in "$B"/*.BCD "$B"/*.bcd; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    a=$(FN=hivex_open count "$name" "$hivex") b=$(FN=wr_regf_open count "$name" "$ours" in-place)
    c=$(FN=hivex_commit count "$name" "$hivex") d=$(FN=wr_regf_commit count "$name" "$ours" in-place)
    [ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] && [ -n "$d" ] || continue
    oh=$((oh + a)) oo=$((oo + b)) ch=$((ch + c)) co=$((co + d))
done
printf 'phases: open hivex %d ours %d; commit hivex_commit %d ours (in place) %d\n' \
    "$oh" "$oo" "$ch" "$co"
exit 0
