#!/usr/bin/env bash
# A host whose Windows volume is BitLocker-protected, as far as a boot
# sector tells: a sparse copy of host1.img with partition 3's OEM ID set to
# "-FVE-FS-" (what an encrypted volume carries; the rest stays NTFS bytes,
# which no one reads through BitLocker's signature).
# Usage: bitlocker-host.sh HOST1.img OUT.img
. "$(dirname "$0")/../lib.sh"
[ $# -eq 2 ] || die "usage: bitlocker-host.sh HOST1.img OUT.img"
start=$(gpt_start "$1" 3)
[ -n "$start" ] || die "no partition 3 on $1"
cp --sparse=always "$1" "$2"
printf -- '-FVE-FS-' | dd of="$2" bs=1 seek=$((start * 512 + 3)) conv=notrunc status=none
