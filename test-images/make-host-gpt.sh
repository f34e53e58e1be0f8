#!/usr/bin/env bash
# A host's internal disk as Windows setup lays it out: GPT with an ESP
# (bootmgfw.efi, a BCD, and the same loader as \EFI\Boot\bootx64.efi), an
# MSR, an NTFS "Windows" partition and a recovery partition. The BCD boots:
# {default} names this disk's Windows partition, whose
# \Windows\System32\winload.efi is the stub too (any file would do).
# Usage: make-host-gpt.sh OUT.img STUB.efi N [SECTOR_SIZE]
#   N picks the GUID set (guids.sh: 1 first host, 2 second host, 4 the 4Kn
#   host); SECTOR_SIZE 4096 makes a 4Kn disk (attach with logical_block_size).
. "$(dirname "$0")/lib.sh"
[ $# -ge 3 ] || die "usage: make-host-gpt.sh OUT.img STUB.efi N [512|4096]"
out=$1 stub=$2 n=$3 ss=${4:-512}
[ -f "$stub" ] || die "no stub: $stub"
ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B MSR=E3C9E316-0B5C-4DB8-817D-F92DF00215AE
DATA=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7 WINRE=DE94BBA4-06D1-4D40-A16A-BFD50179D6AC
tmp=$out.$$.tmp  # unique: two makes may build the same image at once
new_image "$tmp" 64

# Partitions in MiB: ESP 36 at 1, MSR 1, Windows 20, recovery 4.
if [ "$ss" = 512 ]; then
    sgdisk -o -U "$(host_guid "$n" 0)" \
        -n 1:2048:+36M -t 1:EF00 -c 1:"EFI system partition" -u 1:"$(host_guid "$n" 1)" \
        -n 2:0:+1M -t 2:0C01 -c 2:"Microsoft reserved partition" -u 2:"$(host_guid "$n" 2)" \
        -n 3:0:+20M -t 3:0700 -c 3:"Basic data partition" -u 3:"$(host_guid "$n" 3)" \
        -n 4:0:+4M -t 4:2700 -c 4:"Recovery" -u 4:"$(host_guid "$n" 4)" "$tmp" >/dev/null
    start() { gpt_start "$tmp" "$1"; }
    size() { gpt_sectors "$tmp" "$1"; }
elif [ "$ss" = 4096 ]; then
    # sgdisk assumes 512-byte sectors on files; fdisk takes -b (uefi.md 6.5).
    # fdisk's expert menu sets the GUIDs: x, i disk, u partition.
    {
        printf 'g\n'
        printf 'n\n1\n256\n+36M\n'  # the first partition needs no number for t
        printf 't\n%s\n' "$ESP"
        printf 'n\n2\n\n+1M\nt\n2\n%s\n' "$MSR"
        printf 'n\n3\n\n+20M\nt\n3\n%s\n' "$DATA"
        printf 'n\n4\n\n+4M\nt\n4\n%s\n' "$WINRE"
        printf 'x\ni\n%s\n' "$(host_guid "$n" 0)"
        for p in 1 2 3 4; do printf 'u\n%d\n%s\n' "$p" "$(host_guid "$n" "$p")"; done
        printf 'r\nw\n'
    } | fdisk -b 4096 "$tmp" >"$tmp.log" 2>&1 || die "fdisk failed: $(tail -n 3 "$tmp.log")"
    rm -f "$tmp.log"
    start() { fdisk -b 4096 -l -o Device,Start "$tmp" | awk -v d="$tmp$1" '$1 == d {print $2}'; }
    size() { fdisk -b 4096 -l -o Device,Sectors "$tmp" | awk -v d="$tmp$1" '$1 == d {print $2}'; }
else
    die "sector size must be 512 or 4096, not $ss"
fi
[ -n "$(start 4)" ] || die "partitioning left no partition 4"

esp=$(start 1)
fat_format "$tmp" "$esp" "$(size 1)" SYSTEM "4057e5f$n" "$ss"
off=$((esp * ss))
fat_put "$tmp" "$off" "$stub" /EFI/Microsoft/Boot/bootmgfw.efi
fat_put "$tmp" "$off" "$stub" /EFI/Boot/bootx64.efi
disk="{$(host_guid "$n" 0)}"
healthy_bcd "$tmp.bcd" "gpt:$disk/{$(host_guid "$n" 1)}" "gpt:$disk/{$(host_guid "$n" 3)}"
fat_put "$tmp" "$off" "$tmp.bcd" /EFI/Microsoft/Boot/BCD
rm -f "$tmp.bcd"
ntfs_into "$tmp" "$(start 3)" "$(size 3)" Windows "$ss" "$stub"
ntfs_into "$tmp" "$(start 4)" "$(size 4)" Recovery "$ss"
mv "$tmp" "$out"
