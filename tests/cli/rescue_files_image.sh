#!/usr/bin/env bash
# mk/make-image.sh: DATA_MIB adds a FAT32 data partition (WTGDATA) after the
# ESP, which the app's "Save user files" finds; without it the image keeps
# its single ESP.
source "$(dirname "$0")/../lib.sh"
APP=$BUILD/wtg-rescue.efi
if [ ! -f "$APP" ]; then
    fail rescue_files_image_assets "missing $APP (make efi)"
    exit 0
fi
img=$TEST_TMP/data.img
if DATA_MIB=64 "$REPO/mk/make-image.sh" "$img" "$APP" >/dev/null 2>&1; then
    start=$(sgdisk -i 2 "$img" | awk '/^First sector:/ {print $3}')
    sectors=$(sgdisk -i 2 "$img" | awk '/^Partition size:/ {print $3}')
    label=$(mlabel -s -i "$img@@$((start * 512))" :: 2>/dev/null)
    dd if="$img" of="$TEST_TMP/data.part" bs=512 skip="$start" count="$sectors" status=none
    if [ "$sectors" -ge $((63 * 2048)) ] && [[ $label == *WTGDATA* ]] &&
        fsck.fat -n "$TEST_TMP/data.part" >/dev/null 2>&1 &&
        mdir -i "$img@@$((2048 * 512))" ::/EFI/BOOT/BOOTX64.EFI >/dev/null 2>&1; then
        pass rescue_files_image_data_partition
    else
        fail rescue_files_image_data_partition "partition 2: $sectors sectors, label '$label'"
    fi
else
    fail rescue_files_image_data_partition "make-image.sh failed with DATA_MIB=64"
fi
rm -f "$img" "$TEST_TMP/data.part"

if "$REPO/mk/make-image.sh" "$TEST_TMP/plain.img" "$APP" >/dev/null 2>&1 &&
    [ "$(sgdisk -p "$TEST_TMP/plain.img" | grep -cE '^ +[0-9]+ ')" = 1 ]; then
    pass rescue_files_image_default_no_data
else
    fail rescue_files_image_default_no_data "default image does not have exactly one partition"
fi
rm -f "$TEST_TMP/plain.img"

rc=0
DATA_MIB=8 "$REPO/mk/make-image.sh" "$TEST_TMP/small.img" "$APP" >/dev/null 2>&1 || rc=$?
if [ "$rc" != 0 ] && [ ! -f "$TEST_TMP/small.img" ]; then pass rescue_files_image_too_small_refused
else fail rescue_files_image_too_small_refused "DATA_MIB=8 accepted (exit $rc)"; fi
