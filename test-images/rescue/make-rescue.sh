#!/usr/bin/env bash
# Disks for the data rescue tests (issue 8):
#   make-rescue.sh host OUT.img MKIMG [MKHIVE]
#     GPT, one NTFS "Windows" partition whose \Users holds alice (a 32 MiB
#     file, a fragmented file, a WOF-compressed file, a 14-level tree, a
#     junction, names FAT cannot store, and an LZX WOF file lib/ntfs does
#     not decode: a per-file error), bob, Public and a "Default User"
#     junction. MKIMG is test-images/ntfs's ntfs-mkimg; MKHIVE (its mkhive)
#     adds SOFTWARE and SYSTEM hives (Windows 10 Pro 22H2).
#   make-rescue.sh stick OUT.img BASE_STICK.img DATA_MIB [FILL_MIB [exfat]]
#     the test stick plus a FAT32 data partition (label WTGDATA) of DATA_MIB,
#     with FILL_MIB of it already used by \FILLER.BIN (a full stick); with
#     "exfat" the data partition is exFAT instead (OVMF cannot mount it).
. "$(dirname "$0")/../lib.sh"
mode=${1:-}
[ "$mode" = host ] || [ "$mode" = stick ] || die "usage: see the header of this script"
out=$2
tmp=$out.$$.tmp

if [ "$mode" = host ]; then
    mkimg=$3 mkhive=${4:-}
    [ -x "$mkimg" ] || die "no ntfs-mkimg: $mkimg"
    hives=()
    if [ -n "$mkhive" ] && mkdir -p "$tmp.hives" && "$mkhive" "$tmp.hives" >/dev/null 2>&1; then
        hives=(mkdir /Windows/System32/config
               put /Windows/System32/config/SOFTWARE "$tmp.hives/SOFTWARE"
               put /Windows/System32/config/SYSTEM "$tmp.hives/SYSTEM")
    fi
    new_image "$tmp" 112
    sgdisk -o -n 1:2048:0 -t 1:0700 -c 1:"Basic data partition" "$tmp" >/dev/null
    start=$(gpt_start "$tmp" 1) sectors=$(gpt_sectors "$tmp" 1)
    side=$tmp.ntfs
    truncate -s $((sectors * 512)) "$side"
    mkntfs -F -f -q -T -L Windows -s 512 -c 4096 -p "$start" -H 255 -S 63 "$side" >/dev/null 2>&1 ||
        die "mkntfs failed"
    u=/Users/alice
    deep=$u/Documents/tree
    dirs=(mkdir /Windows mkdir /Windows/System32 mkdir /Users mkdir $u mkdir $u/Documents
          mkdir $u/Desktop mkdir $u/Pictures mkdir $u/Music mkdir $u/AppData mkdir /Users/bob
          mkdir /Users/bob/Documents mkdir /Users/Public mkdir /Users/Public/Documents)
    d=$deep
    dirs+=(mkdir "$d")
    for i in 01 02 03 04 05 06 07 08 09 10 11 12 13; do
        d=$d/level-$i
        dirs+=(mkdir "$d")
    done
    "$mkimg" "$side" "${dirs[@]}" "${hives[@]}" \
        text /Windows/System32/winload.efi "MZ stand-in" \
        text $u/Documents/report.txt "Quarterly report, draft 3" \
        gen $u/Documents/big.bin 33554432 61 \
        frag $u/Documents/frag.bin 2097152 62 \
        wof $u/Documents/compressed.dll 300000 63 xpress4k \
        wof $u/Documents/legacy.dll 70000 66 lzx \
        text "$d/deep.txt" "fourteen folders down" \
        junction "$u/Documents/My Music" 'C:\Users\alice\Music' \
        gen $u/Pictures/photo.jpg 500000 64 \
        text "$u/Desktop/todo: call mum?.txt" "illegal on FAT" \
        text "$u/Desktop/trailing dot." "dot" \
        text "$u/Desktop/CON.txt" "a device name" \
        gen $u/Music/song.mp3 120000 65 \
        text $u/AppData/settings.ini "not a usual folder" \
        text /Users/bob/Documents/bob.txt "bob's file" \
        text /Users/Public/Documents/shared.txt "public" \
        junction "/Users/Default User" 'C:\Users\Default' ||
        die "ntfs-mkimg failed"
    dd if="$side" of="$tmp" bs=512 seek="$start" conv=notrunc,sparse status=none
    rm -rf "$side" "$tmp.hives"
else
    base=$3 data_mib=$4 fill_mib=${5:-0} fs=${6:-fat32}
    [ -f "$base" ] || die "no base stick: $base"
    cp --sparse=always "$base" "$tmp"
    truncate -s +"$data_mib"M "$tmp"
    sgdisk -e "$tmp" >/dev/null
    sgdisk -n 3:0:0 -t 3:0700 -c 3:"wtg-rescue data" "$tmp" >/dev/null
    start=$(gpt_start "$tmp" 3)
    if [ "$fs" = exfat ]; then
        truncate -s $(($(gpt_sectors "$tmp" 3) * 512)) "$tmp.exfat"
        mkfs.exfat -L WTGDATA "$tmp.exfat" >/dev/null || die "mkfs.exfat failed"
        dd if="$tmp.exfat" of="$tmp" bs=512 seek="$start" conv=notrunc,sparse status=none
        rm -f "$tmp.exfat"
        mv "$tmp" "$out"
        exit 0
    fi
    fat_format "$tmp" "$start" "$(gpt_sectors "$tmp" 3)" WTGDATA da7a0003
    if [ "$fill_mib" -gt 0 ]; then
        head -c "$((fill_mib << 20))" /dev/zero >"$tmp.fill"
        mcopy -i "$tmp@@$((start * 512))" "$tmp.fill" ::/FILLER.BIN
        rm -f "$tmp.fill"
    fi
fi
mv "$tmp" "$out"
