#!/usr/bin/env bash
# Whole-file read: wtg-rescue cat against ntfscat on the same 64 MiB file,
# best of 7 wall-clock runs each, output to /dev/null (target: <= 1.0x).
set -u
cd "$(dirname "$0")/.." || exit 2
img=build/test-images/ntfs/bench.img
W=build/wtg-rescue
[ -f "$img" ] && [ -x "$W" ] || { echo "ntfs_read: $img or $W missing (make bench builds them)"; exit 1; }
command -v ntfscat >/dev/null || { echo "ntfs_read: ntfscat missing"; exit 1; }

best() {
    python3 - "$@" <<'PY'
import subprocess, sys, time
best = 1e9
for _ in range(7):
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
    best = min(best, time.perf_counter() - t)
print("%.4f" % best)
PY
}
cmp <("$W" cat "$img" /big.bin) <(ntfscat "$img" /big.bin) || { echo "ntfs_read: outputs differ"; exit 1; }
ours=$(best "$W" cat "$img" /big.bin)
theirs=$(best ntfscat "$img" /big.bin)
awk -v o="$ours" -v t="$theirs" 'BEGIN {
    r = o / t; printf "  64 MiB file: wtg-rescue cat %.1f ms, ntfscat %.1f ms: %.2fx (target <= 1.0x): %s\n",
        o * 1000, t * 1000, r, r <= 1.0 ? "met" : "MISSED" }'
