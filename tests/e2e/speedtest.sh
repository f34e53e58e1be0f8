#!/usr/bin/env bash
# t) Test disk speed in QEMU on the USB stick and an NVMe disk: each gets
# sequential MB/s and random 4 KiB reads/s that are non-zero and below an
# absurd bound (100 GB/s, 10 million reads/s), the stick gets a verdict,
# and the disks are unchanged (the test only reads).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"
need_images speedtest "$IMG/stick.img" "$IMG/host1.img" || exit 0

boot speed --disk usb:"$IMG/stick.img" --disk nvme:"$IMG/host1.img" --layout all \
    --on "$MENU_END" 't' --on '^Press any key to return' 's' --on "$MENU_END" 's' --timeout 300

has_line speedtest-title speed '^Disk speed test \(read-only; Esc cancels\)$'
# plausible BUS: the disk's line has figures within bounds.
plausible() {
    local case=$1 bus=$2 line mb reads
    line=$(serial speed | grep -m1 -E "^$bus disk [0-9]+, .*: sequential [0-9]+\.[0-9] MB/s, random 4 KiB [0-9]+ reads/s$")
    if [ -z "$line" ]; then
        fail "$case" "no figures line for $bus ($(why speed))"
        show_tail speed
        return
    fi
    mb=$(sed -E 's/.*sequential ([0-9]+)\.([0-9]) MB\/s.*/\1\2/' <<<"$line")
    reads=$(sed -E 's/.*random 4 KiB ([0-9]+) reads\/s/\1/' <<<"$line")
    if [ "$mb" -gt 0 ] && [ "$mb" -lt 1000000 ] && [ "$reads" -gt 0 ] && [ "$reads" -lt 10000000 ]; then
        pass "$case"
    else
        fail "$case" "implausible: $line"
    fi
}
plausible speedtest-usb-figures USB
plausible speedtest-nvme-figures NVMe
has_line speedtest-stick-verdict speed '^Verdict for Windows To Go from this stick: (good|usable|too slow|unknown)'
has_line speedtest-done speed '^Speed test done\.$'
exit_is speedtest-returns-to-menu speed 0
