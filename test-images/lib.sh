# Helpers for the scenario-disk scripts: FAT and NTFS filesystems written
# into a partition of a disk image, rootless and without FUSE (uefi.md 6.5).
# shellcheck shell=bash
set -euo pipefail

TI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=guids.sh
. "$TI_DIR/guids.sh"

die() { echo "${0##*/}: $*" >&2; exit 1; }

# new_image FILE MIB: an empty sparse file.
new_image() {
    rm -f "$1"
    truncate -s "$2M" "$1"
}

# fat_format IMG START_SECTOR SECTORS LABEL SERIAL [SECTOR_SIZE]
# SERIAL (8 hex digits) is fixed so images repeat, and distinct per volume:
# loaders such as rEFInd take it for the volume's identity and skip a
# second volume with the same one.
# FAT32 on 512-byte sectors; FAT16 with 4096-byte sectors on a 4Kn disk
# (what OVMF mounts there). -T keeps mformat off the backup GPT.
fat_format() {
    local img=$1 start=$2 sectors=$3 label=$4 serial=$5 ss=${6:-512}
    if [ "$ss" = 4096 ]; then
        mformat -i "$img@@$((start * ss))" -M 4096 -S 5 -c 1 -T "$sectors" -H "$start" -N "$serial" -v "$label" ::
    else
        mformat -i "$img@@$((start * ss))" -F -c 1 -T "$sectors" -H "$start" -N "$serial" -v "$label" ::
    fi
}

# fat_put IMG OFFSET_BYTES SRC DEST: copy a file in, creating its folders.
fat_put() {
    local img=$1 off=$2 src=$3 dest=$4 dir="" part
    local IFS=/
    for part in $(dirname "$dest"); do
        [ -n "$part" ] || continue
        dir="$dir/$part"
        mmd -D s -i "$img@@$off" "::$dir" 2>/dev/null || true
    done
    unset IFS
    mcopy -o -i "$img@@$off" "$src" "::$dest"
}

# ntfs_into IMG START_SECTOR SECTORS LABEL [SECTOR_SIZE [WINLOAD]]: mkntfs
# on a side file the size of the partition, then dd it into place. With
# WINLOAD, the file becomes \Windows\System32\winload.efi (the folders are
# made by our ntfs-mkdir helper: ntfs-3g's tools cannot make folders).
ntfs_into() {
    local img=$1 start=$2 sectors=$3 label=$4 ss=${5:-512} winload=${6:-} side out
    side=$(mktemp "${img}.ntfs.XXXXXX")
    truncate -s $((sectors * ss)) "$side"
    # mkntfs always says "not a block device"; show its words only on failure.
    if ! out=$(mkntfs -q -F -Q -s "$ss" -L "$label" -p "$start" -H 255 -S 63 "$side" 2>&1); then
        rm -f "$side"
        die "mkntfs failed: $out"
    fi
    if [ -n "$winload" ]; then
        windows_tree "$side" "$winload" || { rm -f "$side"; die "could not fill $label"; }
    fi
    dd if="$side" of="$img" bs="$ss" seek="$start" conv=notrunc,sparse status=none
    rm -f "$side"
}

# windows_tree NTFS_FILE WINLOAD: \Windows\System32\winload.efi. Without the
# helper (build/test-images/ntfs-mkdir, needs ntfs-3g-dev) the partition
# stays empty, which the scripts say.
NTFS_MKDIR=${NTFS_MKDIR:-$TI_DIR/../build/test-images/ntfs-mkdir}
windows_tree() {
    if [ ! -x "$NTFS_MKDIR" ]; then
        echo "${0##*/}: note: no $NTFS_MKDIR; NTFS partitions left empty" >&2
        return 0
    fi
    "$NTFS_MKDIR" "$1" /Windows/System32 &&
        ntfscp -q -f "$1" "$2" /Windows/System32/winload.efi >/dev/null
}

# healthy_bcd OUT ESP_DEV OS_DEV: a BCD store that boots and that diagnose
# finds nothing wrong with: {bootmgr} on ESP_DEV, {default} loading
# \Windows\system32\winload.efi from OS_DEV (bcdtool device values:
# gpt:{DISK}/{PART} or mbr:SIG/HEXOFFSET). Made by bcdtool, the same bytes
# every time (fixed loader GUID). A real store from the fixtures would keep
# objects naming the machine it came from: stale devices (G4) that every
# repair run would then "fix" on the test disks.
BCDTOOL=${BCDTOOL:-$TI_DIR/../build/bcdtool}
healthy_bcd() {
    local out=$1 esp=$2 os=$3 loader='{7e570000-0000-4000-8000-00000000b00f}'
    [ -x "$BCDTOOL" ] || die "no $BCDTOOL (make build/bcdtool)"
    bt() { "$BCDTOOL" /store "$out" "$@" >/dev/null || die "bcdtool $* failed"; }
    rm -f "$out"
    "$BCDTOOL" /createstore "$out" >/dev/null || die "bcdtool /createstore $out failed"
    bt /create '{bootmgr}' /d "Windows Boot Manager"
    bt /set '{bootmgr}' device "partition=$esp"
    bt /set '{bootmgr}' path '\EFI\Microsoft\Boot\bootmgfw.efi'
    bt /create "$loader" /d "Windows 11" /application osloader
    bt /set "$loader" device "partition=$os"
    bt /set "$loader" path '\Windows\system32\winload.efi'
    bt /set "$loader" osdevice "partition=$os"
    bt /set "$loader" systemroot '\Windows'
    bt /default "$loader"
    bt /displayorder "$loader"
}

# gpt_start IMG N: first sector of partition N (sgdisk, 512-byte sectors).
gpt_start() { sgdisk -i "$2" "$1" | awk '/^First sector:/ {print $3}'; }
gpt_sectors() { sgdisk -i "$2" "$1" | awk '/^Partition size:/ {print $3}'; }

# A failed build leaves no half-made image or side file behind.
trap '[ -z "${tmp:-}" ] || rm -f "$tmp" "$tmp".*' EXIT
