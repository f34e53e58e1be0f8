#!/usr/bin/env bash
# A host disk with an MBR (label-id fixed in guids.sh): a FAT32 partition
# (type 0xEF) holding the Windows boot manager and a BCD naming the NTFS
# (0x07) partition after it, whose winload.efi is the stub.
# Usage: make-host-mbr.sh OUT.img STUB.efi
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || die "usage: make-host-mbr.sh OUT.img STUB.efi"
out=$1 stub=$2
[ -f "$stub" ] || die "no stub: $stub"
tmp=$out.$$.tmp  # unique: two makes may build the same image at once
new_image "$tmp" 64
esp=$HOSTMBR_ESP_START esp_size=$((36 * 2048))
win=$((esp + esp_size)) win_size=$((20 * 2048))
printf 'label: dos\nlabel-id: 0x%s\nstart=%d, size=%d, type=ef, bootable\nstart=%d, size=%d, type=7\n' \
    "$HOSTMBR_SIGNATURE" "$esp" "$esp_size" "$win" "$win_size" | sfdisk -q "$tmp"
fat_format "$tmp" "$esp" "$esp_size" SYSTEM "$HOSTMBR_SIGNATURE"
fat_put "$tmp" $((esp * 512)) "$stub" /EFI/Microsoft/Boot/bootmgfw.efi
fat_put "$tmp" $((esp * 512)) "$stub" /EFI/Boot/bootx64.efi
healthy_bcd "$tmp.bcd" "mbr:$HOSTMBR_SIGNATURE/$(printf %x $((esp * 512)))" \
    "mbr:$HOSTMBR_SIGNATURE/$(printf %x $((win * 512)))"  # offsets in hex
fat_put "$tmp" $((esp * 512)) "$tmp.bcd" /EFI/Microsoft/Boot/BCD
rm -f "$tmp.bcd"
ntfs_into "$tmp" "$win" "$win_size" Windows 512 "$stub"
mv "$tmp" "$out"
