#!/usr/bin/env bash
# Path lookup cost in a 1,000-entry directory against a 100,000-entry one:
# instructions inside wr_ntfs_stat (callgrind), so the volume open is not
# counted. A B+tree descent should keep the larger within 3x the smaller.
set -u
cd "$(dirname "$0")/.." || exit 2
img=build/test-images/ntfs/bench.img
W=build/wtg-rescue
[ -f "$img" ] && [ -x "$W" ] || { echo "ntfs_lookup: $img or $W missing (make bench builds them)"; exit 1; }
command -v valgrind >/dev/null || { echo "ntfs_lookup: valgrind missing"; exit 1; }

count() {
    valgrind --tool=callgrind --toggle-collect=wr_ntfs_stat --callgrind-out-file=/dev/null \
        "$W" ls "$img" "$1" 2>&1 >/dev/null | awk '/Collected :/ {print $4}'
}
worst_small=0 worst_big=0
for n in 00000 00500 00999; do
    c=$(count "/small/entry_$n.sys"); echo "  lookup /small/entry_$n.sys (1,000 entries):   $c instructions"
    [ "$c" -gt "$worst_small" ] && worst_small=$c
done
for n in 00000 50000 99999; do
    c=$(count "/big/entry_$n.sys"); echo "  lookup /big/entry_$n.sys (100,000 entries):  $c instructions"
    [ "$c" -gt "$worst_big" ] && worst_big=$c
done
awk -v s="$worst_small" -v b="$worst_big" 'BEGIN {
    r = b / s; printf "  worst case: 100,000-entry / 1,000-entry = %.2fx (target <= 3x): %s\n", r, r <= 3 ? "met" : "MISSED" }'
