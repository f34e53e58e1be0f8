#!/usr/bin/env bash
# Seeds for fuzz/disk_table: small GPT and MBR images made with the real tools.
# Images are kept to tens of KiB so the fuzzer mutates them quickly.
set -u
dir=${1:?usage: disk_table.seed.sh DIR}
mkdir -p "$dir"
export PATH=$PATH:/usr/sbin:/sbin LC_ALL=C.UTF-8
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# 128 entries (32 sectors per array): usable 34..93 on a 64 KiB image.
truncate -s 64K "$tmp/gpt.img"
sgdisk -o -a 1 -n 1:34:+8K -t 1:EF00 -c 1:"EFI system" -n 2:0:+4K -t 2:0C01 \
    -n 3:0:0 -t 3:0700 -c 3:"Grüße" "$tmp/gpt.img" >/dev/null 2>&1 &&
    cp "$tmp/gpt.img" "$dir/seed-gpt.img"

# An 8-entry array (one sector) puts the first usable LBA at 3.
truncate -s 40K "$tmp/gpt8.img"
sgdisk -o -a 1 -S 8 -n 1:0:+4K -t 1:8300 -n 2:0:0 -t 2:0700 "$tmp/gpt8.img" >/dev/null 2>&1 &&
    cp "$tmp/gpt8.img" "$dir/seed-gpt8.img"

truncate -s 32K "$tmp/mbr.img"
printf 'label: dos\nlabel-id: 0x1234abcd\nstart=4, size=12, type=c, bootable\nstart=16, size=8, type=7\nstart=24, type=5\nstart=26, size=6, type=83\nstart=34, size=6, type=7\nstart=42, size=8, type=82\n' |
    sfdisk -q "$tmp/mbr.img" >/dev/null 2>&1 && cp "$tmp/mbr.img" "$dir/seed-mbr.img"

truncate -s 160K "$tmp/gpt4k.img"
printf 'g\nn\n1\n6\n+32K\nt\n1\nn\n2\n\n\nw\n' | fdisk -b 4096 "$tmp/gpt4k.img" >/dev/null 2>&1 &&
    cp "$tmp/gpt4k.img" "$dir/seed-gpt4k.img"

truncate -s 64K "$tmp/fat.img"
mkfs.fat -F 12 -n SEED "$tmp/fat.img" >/dev/null 2>&1 && head -c 1024 "$tmp/fat.img" >"$dir/seed-fat12"
exit 0
