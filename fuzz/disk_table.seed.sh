#!/usr/bin/env bash
# Seeds for fuzz/disk_table: small GPT and MBR images made with the real tools.
# Images are kept small (a few hundred KiB) so the fuzzer can mutate them.
set -u
dir=${1:?usage: disk_table.seed.sh DIR}
mkdir -p "$dir"
export PATH=$PATH:/usr/sbin:/sbin LC_ALL=C.UTF-8
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

truncate -s 256K "$tmp/gpt.img"
sgdisk -o -n 1:34:+64K -t 1:EF00 -c 1:"EFI system" -n 2:0:+32K -t 2:0C01 \
    -n 3:0:0 -t 3:0700 -c 3:"Grüße" "$tmp/gpt.img" >/dev/null 2>&1 &&
    cp "$tmp/gpt.img" "$dir/seed-gpt.img"

# An 8-entry array (one sector) puts the first usable LBA at 4.
truncate -s 256K "$tmp/gpt8.img"
sgdisk -o -S 8 -n 1:0:+16K -t 1:8300 -n 2:0:0 -t 2:0700 "$tmp/gpt8.img" >/dev/null 2>&1 &&
    cp "$tmp/gpt8.img" "$dir/seed-gpt8.img"

truncate -s 256K "$tmp/mbr.img"
printf 'label: dos\nlabel-id: 0x1234abcd\nstart=4, size=60, type=c, bootable\nstart=64, size=16, type=7\nstart=100, type=5\nstart=102, size=20, type=83\nstart=130, size=20, type=7\nstart=160, size=40, type=82\n' |
    sfdisk -q "$tmp/mbr.img" >/dev/null 2>&1 && cp "$tmp/mbr.img" "$dir/seed-mbr.img"

truncate -s 512K "$tmp/gpt4k.img"
printf 'g\nn\n1\n6\n+64K\nt\n1\nn\n2\n\n\nw\n' | fdisk -b 4096 "$tmp/gpt4k.img" >/dev/null 2>&1 &&
    cp "$tmp/gpt4k.img" "$dir/seed-gpt4k.img"

truncate -s 64K "$tmp/fat.img"
mkfs.fat -F 12 -n SEED "$tmp/fat.img" >/dev/null 2>&1 && head -c 1024 "$tmp/fat.img" >"$dir/seed-fat12"
exit 0
