#!/usr/bin/env bash
# Data rescue copy rate: the app in QEMU (u) Save user files, alice's 10
# files, 36.5 MB, NVMe NTFS -> USB stick FAT32) against ntfscat extracting
# the same files on the host, as a ratio of rates (target >= 0.5x). The
# Linux `wtg-rescue rescue-files` rate is shown beside them.
set -u
cd "$(dirname "$0")/.." || exit 2
RI=build/test-images/rescue
W=build/wtg-rescue
[ -f "$RI/host.img" ] && [ -f "$RI/stick-data.img" ] && [ -x "$W" ] ||
    { echo "rescue_files: $RI/host.img, stick-data.img or $W missing (make bench builds them)"; exit 1; }
command -v ntfscat >/dev/null || { echo "rescue_files: ntfscat missing"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wr-bench-rf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The QEMU run: seconds between "Copying" and "Rescue complete".
MENU_END='^[ >] s\) Shut down'
python3 tests/qemu/wrqemu.py --log "$tmp/qemu.log" --disk usb:"$RI/stick-data.img" \
    --disk nvme:"$RI/host.img" --layout all --on "$MENU_END" 'u' --on '^Pick a user' '1' \
    --on 'Enter continues' '{enter}' --on 'Press y to copy' 'y' \
    --on '^Press any key to return' 's' --on "$MENU_END" 's' --timeout 600 2>"$tmp/qemu.err"
t0=$(sed -n 's/^\[ *\([0-9.]*\)\] Copying (Esc cancels).*/\1/p' "$tmp/qemu.log" | head -n1)
t1=$(sed -n 's/^\[ *\([0-9.]*\)\] Rescue complete: .*/\1/p' "$tmp/qemu.log" | head -n1)
[ -n "$t0" ] && [ -n "$t1" ] || { echo "rescue_files: the QEMU copy did not complete"; tail -n 5 "$tmp/qemu.log"; exit 1; }

# The host peers: ntfscat over the partition, and the Linux command.
start=$(sgdisk -i 1 "$RI/host.img" | awk '/^First sector:/ {print $3}')
size=$(sgdisk -i 1 "$RI/host.img" | awk '/^Partition size:/ {print $3}')
dd if="$RI/host.img" of="$tmp/part.img" bs=512 skip="$start" count="$size" status=none
"$W" rescue-files "$RI/host.img:1" --user alice --to "$tmp/linux" >"$tmp/linux.out" 2>/dev/null
mapfile -t files < <(awk -F'\t' '$1 == "FILE" { gsub(/\\/, "/", $5); print "/Users/alice/" $5 }' \
    "$tmp/linux/alice/MANIFEST.txt")
bytes=$(awk -F'\t' '$1 == "FILE" { s += $3 } END { print s }' "$tmp/linux/alice/MANIFEST.txt")
host=$(python3 - "$tmp/part.img" "${files[@]}" <<'PY'
import subprocess, sys, time
best = 1e9
for _ in range(5):
    t = time.perf_counter()
    for f in sys.argv[2:]:
        subprocess.run(["ntfscat", sys.argv[1], f], stdout=subprocess.DEVNULL, check=True)
    best = min(best, time.perf_counter() - t)
print("%.4f" % best)
PY
)
linux_ms=$(sed -n 's/.* copied in \([0-9]*\) ms.*/\1/p' "$tmp/linux.out")
accel=$(sed -n 2p build/qemu-accel 2>/dev/null)
awk -v b="$bytes" -v t0="$t0" -v t1="$t1" -v h="$host" -v l="${linux_ms:-0}" -v a="${accel:-?}" 'BEGIN {
    q = b / (t1 - t0) / 1e6; n = b / h / 1e6; r = q / n
    printf "  %d files, %.1f MB: QEMU (%s) app %.2f MB/s, ntfscat on the host %.1f MB/s: %.3fx (target >= 0.5x): %s\n",
        10, b / 1e6, a, q, n, r, (r >= 0.5 ? "met" : "MISSED")
    if (l > 0) printf "  Linux wtg-rescue rescue-files (to a folder, fsync per piece): %.1f MB/s\n", b / l / 1000
}'
sed -n 's/^\[ *[0-9.]*\] Time: /  in the app: /p' "$tmp/qemu.log" | head -n1
