#!/usr/bin/env bash
# A disk without Windows: GPT with a Linux partition (ext4 when mke2fs is
# there) and a FAT32 data partition holding only a README.
# Usage: make-linux-disk.sh OUT.img
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: make-linux-disk.sh OUT.img"
out=$1 tmp=$1.$$.tmp  # unique: two makes may build the same image at once
new_image "$tmp" 64
sgdisk -o -U "$LINUX_DISK_GUID" \
    -n 1:2048:+20M -t 1:8300 -c 1:"Linux filesystem" -u 1:11e0c0de-0000-4000-8000-000000000001 \
    -n 2:0:0 -t 2:0700 -c 2:"Data" -u 2:11e0c0de-0000-4000-8000-000000000002 "$tmp" >/dev/null
if command -v mke2fs >/dev/null; then
    side=$tmp.ext4
    truncate -s "$(($(gpt_sectors "$tmp" 1) * 512))" "$side"
    mke2fs -q -F -t ext4 -L linux -U 11e0c0de-0000-4000-8000-0000000000e4 "$side"
    dd if="$side" of="$tmp" bs=512 seek="$(gpt_start "$tmp" 1)" conv=notrunc,sparse status=none
    rm -f "$side"
fi
data=$(gpt_start "$tmp" 2)
fat_format "$tmp" "$data" "$(gpt_sectors "$tmp" 2)" DATA 11e0da7a
echo "no Windows here" >"$tmp.txt"
fat_put "$tmp" $((data * 512)) "$tmp.txt" /README.TXT
rm -f "$tmp.txt"
mv "$tmp" "$out"
