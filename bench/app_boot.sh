#!/usr/bin/env bash
# Issue 7 figures: time from OVMF's hand-over ("BdsDxe: starting") to the
# menu on serial, in one run of interleaved cases on the same disks (the
# test stick + the NVMe host1):
#   ours-menu     wtg-rescue as shipped: the rescue engine's full scan
#                 before the menu (tables, BCDs parsed, NTFS volumes
#                 inspected, variables read, diagnosis: the menu's
#                 diagnosis line)
#   ours-diagnose `mode diagnose`: the same, then every finding printed and
#                 the report saved on the stick
#   refind, sdboot  rEFInd and systemd-boot menus (bench/boot/make-stick.sh)
#   *-16x32       the same with 16 more disks of 32 partitions each
# and the size of build/wtg-rescue.efi. Figures only. BENCH_RUNS (3).
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
B=$REPO/build
out=$B/bench/app_boot
runs=${BENCH_RUNS:-3}
IMG=$B/test-images
for f in "$IMG/stick.img" "$IMG/host1.img" /usr/lib/systemd/boot/efi/systemd-bootx64.efi \
    /usr/share/refind/refind/refind_x64.efi; do
    [ -f "$f" ] || { echo "app_boot: missing $f (run: make bench)"; exit 1; }
done
mkdir -p "$out"
"$REPO/test-images/stick-with-conf.sh" "$IMG/stick.img" "$out/ours-menu.img" \
    $'default menu\ntimeout -1' >/dev/null
"$REPO/test-images/stick-with-conf.sh" "$IMG/stick.img" "$out/ours-diagnose.img" \
    $'mode diagnose\ndefault menu\ntimeout -1' >/dev/null
for l in sdboot refind; do
    "$REPO/bench/boot/make-stick.sh" "$IMG/stick.img" "$out/$l.img" "$l" menu >/dev/null || exit 1
done
# 16 disks of 32 empty partitions each (GPT), sparse.
many=()
for d in $(seq 1 16); do
    f=$out/many$d.img
    if [ ! -f "$f" ]; then
        truncate -s 64M "$f.tmp"
        args=()
        for p in $(seq 1 32); do args+=(-n "$p:0:+1M" -t "$p:0700"); done
        sgdisk -o "${args[@]}" "$f.tmp" >/dev/null && mv "$f.tmp" "$f"
    fi
    many+=(--disk "virtio:$f")
done

menu_rx() {
    case $1 in
        sdboot) echo 'Reboot Into Firmware Interface' ;;
        refind) echo '^ ?Reboot Computer' ;;
        *) echo '^[ >] s\) Shut down' ;;
    esac
}
# one CASE RUN: seconds from hand-over to the menu, or "-" when it failed.
one() {
    local c=$1 i=$2 stick=$1 extra=() rx log
    case $c in *-16x32) stick=${c%-16x32}; extra=("${many[@]}") ;; esac
    rx=$(menu_rx "$stick")
    log=$out/$c-$i.log
    python3 "$REPO/tests/qemu/wrqemu.py" --log "$log" --layout all --timeout 240 \
        --disk "usb:$out/$stick.img" --disk "nvme:$IMG/host1.img" "${extra[@]}" \
        --mark bds '^BdsDxe: starting Boot' --mark menu "$rx" --until "$rx" 2>/dev/null
    awk '/^# mark bds / {b = $4} /^# mark menu / {m = $4} END {
        if (b != "" && m != "") printf "%.3f\n", m - b; else print "-" }' "$log"
}
cases="ours-menu ours-diagnose refind sdboot ours-menu-16x32 refind-16x32 sdboot-16x32"
echo "QEMU accel: $(python3 "$REPO/tests/qemu/wrqemu.py" --probe-accel); $runs runs per case"
declare -A t
for i in $(seq 1 "$runs"); do
    for c in $cases; do t[$c]="${t[$c]:-} $(one "$c" "$i")"; done
done
median() { tr ' ' '\n' | grep -v '^-\?$' | sort -n | awk '{a[NR] = $1} END {
    if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2); else print "-" }'; }
declare -A med
for c in $cases; do
    med[$c]=$(median <<<"${t[$c]}")
    printf '%-16s median %6s s  (runs:%s)\n' "$c" "${med[$c]}" "${t[$c]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
echo "full scan (menu) vs rEFInd: $(ratio "${med[ours-menu]}" "${med[refind]}")x (target <= 1.5x)"
echo "mode diagnose (+ findings printed, report saved) vs rEFInd: $(ratio "${med[ours-diagnose]}" "${med[refind]}")x"
echo "16x32 vs two disks (full scan): $(ratio "${med[ours-menu-16x32]}" "${med[ours-menu]}")x (target <= 2x)"
echo "16x32 vs two disks, rEFInd: $(ratio "${med[refind-16x32]}" "${med[refind]}")x; systemd-boot: $(ratio "${med[sdboot-16x32]}" "${med[sdboot]}")x"
echo "16x32 full scan vs rEFInd 16x32: $(ratio "${med[ours-menu-16x32]}" "${med[refind-16x32]}")x"
size=$(stat -c %s "$B/wtg-rescue.efi")
printf 'Size: build/wtg-rescue.efi %d bytes = %d KiB (target 256 KiB: %s)\n' "$size" \
    $(((size + 1023) / 1024)) "$([ "$size" -le 262144 ] && echo met || echo NOT met)"
