#!/usr/bin/env bash
# Boot time and size: wtg-rescue against systemd-boot and rEFInd on the same
# disks (the test stick, whose ESP holds the stub boot manager as its To Go
# Windows, and the NVMe host disk), in two firmware layouts. Figures only;
# nothing here passes or fails. BENCH_RUNS (default 5) runs per case.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
B=$REPO/build
out=$B/bench/boot
runs=${BENCH_RUNS:-5}
for f in "$B/test-images/stick.img" "$B/test-images/host1.img" \
    /usr/lib/systemd/boot/efi/systemd-bootx64.efi /usr/share/refind/refind/refind_x64.efi; do
    [ -f "$f" ] || { echo "boot-time: missing $f (run: make bench)"; exit 1; }
done
mkdir -p "$out"
for loader in ours sdboot refind; do
    for mode in menu boot; do
        "$REPO/bench/boot/make-stick.sh" "$B/test-images/stick.img" \
            "$out/$loader-$mode.img" "$loader" "$mode" >/dev/null || exit 1
    done
done
accel=$(python3 "$REPO/tests/qemu/wrqemu.py" --probe-accel)
echo "QEMU accel: $accel; $runs runs per case; 2 QEMUs at a time"
start=$SECONDS
python3 "$REPO/bench/boot/measure.py" "$out" "$B/test-images/host1.img" "$runs" || exit 1
echo "(benchmark wall time $((SECONDS - start)) s)"

size=$(stat -c %s "$B/wtg-rescue.efi")
printf 'Size: build/wtg-rescue.efi %d bytes = %d KiB of the 256 KiB target (%d%%)' \
    "$size" $(((size + 1023) / 1024)) $((size * 100 / 262144))
size32=$(stat -c %s "$B/wtg-rescue-ia32.efi" 2>/dev/null || echo 0)
printf '; BOOTIA32 (build/wtg-rescue-ia32.efi) %d bytes = %d KiB' "$size32" $(((size32 + 1023) / 1024))
printf '; systemd-boot %d KiB, rEFInd %d KiB\n' \
    $(($(stat -c %s /usr/lib/systemd/boot/efi/systemd-bootx64.efi) / 1024)) \
    $(($(stat -c %s /usr/share/refind/refind/refind_x64.efi) / 1024))
