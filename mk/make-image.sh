#!/usr/bin/env bash
# Builds the product stick image: GPT, one FAT32 ESP with the app as the
# removable-media loader \EFI\BOOT\BOOTX64.EFI. dd-able onto a USB stick.
# Usage: mk/make-image.sh OUT.img APP.efi [CONF]
set -eu
out=$1 app=$2 conf=${3:-}
size_mib=${IMAGE_MIB:-128}
tmp=$out.tmp
rm -f "$tmp"
truncate -s "${size_mib}M" "$tmp"
# sgdisk: no -q (it silently writes nothing); silence stdout instead.
sgdisk -o -n 1:2048:0 -t 1:EF00 -c 1:"wtg-rescue ESP" "$tmp" >/dev/null
start=2048
end=$(sgdisk -i 1 "$tmp" | awk '/^Last sector:/ {print $3}')
sectors=$((end - start + 1))
# -T keeps mformat inside the partition, off the backup GPT.
mformat -i "$tmp@@$((start * 512))" -F -T "$sectors" -H "$start" -v WTGRESCUE ::
mmd -i "$tmp@@$((start * 512))" ::/EFI ::/EFI/BOOT ::/EFI/wtg-rescue
mcopy -i "$tmp@@$((start * 512))" "$app" ::/EFI/BOOT/BOOTX64.EFI
if [ -n "$conf" ]; then
    mcopy -i "$tmp@@$((start * 512))" "$conf" ::/EFI/wtg-rescue/wtg-rescue.conf
fi
mv "$tmp" "$out"
