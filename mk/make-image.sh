#!/usr/bin/env bash
# Builds the product stick image: GPT, one FAT32 ESP with the app as the
# removable-media loader \EFI\BOOT\BOOTX64.EFI. dd-able onto a USB stick.
# Usage: mk/make-image.sh OUT.img APP.efi [CONF]
# DATA_MIB=N (default 0: none) adds a FAT32 data partition of N MiB (at
# least 40) labelled WTGDATA after the ESP, where "Save user files" copies
# to: make image DATA_MIB=4096. IMAGE_MIB stays the ESP's share.
# APP_IA32=FILE also puts the 32-bit app there as \EFI\BOOT\BOOTIA32.EFI.
# Beside OUT go SHA256SUMS (of OUT) and INSTALL.txt (mk/INSTALL.txt).
set -eu
out=$1 app=$2 conf=${3:-}
size_mib=${IMAGE_MIB:-128}
data_mib=${DATA_MIB:-0}
if [ "$data_mib" -gt 0 ] && [ "$data_mib" -lt 40 ]; then
    echo "make-image.sh: DATA_MIB must be 0 (none) or 40 or more (FAT32)" >&2
    exit 1
fi
tmp=$out.tmp
rm -f "$tmp"
truncate -s "$((size_mib + data_mib))M" "$tmp"
# sgdisk: no -q (it silently writes nothing); silence stdout instead.
if [ "$data_mib" -gt 0 ]; then
    sgdisk -o -n 1:2048:+$((size_mib - 2))M -t 1:EF00 -c 1:"wtg-rescue ESP" \
        -n 2:0:0 -t 2:0700 -c 2:"wtg-rescue data" "$tmp" >/dev/null
    dstart=$(sgdisk -i 2 "$tmp" | awk '/^First sector:/ {print $3}')
    dend=$(sgdisk -i 2 "$tmp" | awk '/^Last sector:/ {print $3}')
    mformat -i "$tmp@@$((dstart * 512))" -F -T "$((dend - dstart + 1))" -H "$dstart" \
        -v WTGDATA ::
else
    sgdisk -o -n 1:2048:0 -t 1:EF00 -c 1:"wtg-rescue ESP" "$tmp" >/dev/null
fi
start=2048
end=$(sgdisk -i 1 "$tmp" | awk '/^Last sector:/ {print $3}')
sectors=$((end - start + 1))
# -T keeps mformat inside the partition, off the backup GPT.
mformat -i "$tmp@@$((start * 512))" -F -T "$sectors" -H "$start" -v WTGRESCUE ::
mmd -i "$tmp@@$((start * 512))" ::/EFI ::/EFI/BOOT ::/EFI/wtg-rescue
mcopy -i "$tmp@@$((start * 512))" "$app" ::/EFI/BOOT/BOOTX64.EFI
if [ -n "${APP_IA32:-}" ]; then
    mcopy -i "$tmp@@$((start * 512))" "$APP_IA32" ::/EFI/BOOT/BOOTIA32.EFI
fi
if [ -n "$conf" ]; then
    mcopy -i "$tmp@@$((start * 512))" "$conf" ::/EFI/wtg-rescue/wtg-rescue.conf
fi
mv "$tmp" "$out"
dir=$(dirname "$out")
(cd "$dir" && sha256sum "$(basename "$out")") >"$dir/SHA256SUMS"
cp "$(dirname "$0")/INSTALL.txt" "$dir/INSTALL.txt"
