#!/usr/bin/env bash
# The test stick: GPT; a FAT32 ESP with the app as \EFI\BOOT\BOOTX64.EFI, the
# To Go boot manager (the stub) and a BCD naming the stick's own Windows in
# \EFI\Microsoft\Boot, and an optional \EFI\wtg-rescue\wtg-rescue.conf; an
# NTFS "Windows To Go" partition whose winload.efi is the stub.
# Usage: make-stick.sh OUT.img APP.efi STUB.efi|none [CONF_TEXT]
#   STUB "none" makes a stick without a To Go Windows.
. "$(dirname "$0")/lib.sh"
[ $# -ge 3 ] || die "usage: make-stick.sh OUT.img APP.efi STUB.efi|none [CONF_TEXT]"
out=$1 app=$2 stub=$3 conf=${4-}
[ -f "$app" ] || die "no app: $app"
[ "$stub" = none ] || [ -f "$stub" ] || die "no stub: $stub"

tmp=$out.$$.tmp  # unique: two makes may build the same image at once
new_image "$tmp" 96
# sgdisk: no -q (it silently writes nothing); silence stdout instead.
sgdisk -o -U "$STICK_DISK_GUID" \
    -n 1:2048:+36M -t 1:EF00 -c 1:"EFI system partition" -u 1:"$STICK_ESP_GUID" \
    -n 2:0:0 -t 2:0700 -c 2:"Windows To Go" -u 2:"$STICK_WTG_GUID" "$tmp" >/dev/null
esp=$(gpt_start "$tmp" 1)
fat_format "$tmp" "$esp" "$(gpt_sectors "$tmp" 1)" WTGSTICK 5717e5f1
off=$((esp * 512))
fat_put "$tmp" "$off" "$app" /EFI/BOOT/BOOTX64.EFI
if [ "$stub" != none ]; then
    fat_put "$tmp" "$off" "$stub" /EFI/Microsoft/Boot/bootmgfw.efi
    healthy_bcd "$tmp.bcd" "gpt:{$STICK_DISK_GUID}/{$STICK_ESP_GUID}" \
        "gpt:{$STICK_DISK_GUID}/{$STICK_WTG_GUID}"
    fat_put "$tmp" "$off" "$tmp.bcd" /EFI/Microsoft/Boot/BCD
    rm -f "$tmp.bcd"
fi
if [ -n "$conf" ]; then
    printf '%s\n' "$conf" >"$tmp.conf"
    fat_put "$tmp" "$off" "$tmp.conf" /EFI/wtg-rescue/wtg-rescue.conf
    rm -f "$tmp.conf"
fi
# The To Go Windows itself; its winload.efi is the stub (any PE will do).
ntfs_into "$tmp" "$(gpt_start "$tmp" 2)" "$(gpt_sectors "$tmp" 2)" WTG-OS 512 \
    "$([ "$stub" = none ] || echo "$stub")"
mv "$tmp" "$out"
