#!/usr/bin/env bash
# The harness and the stub boot manager on their own, without the app: the
# firmware boots a host disk's \EFI\Boot\bootx64.efi (a copy of the stub),
# which must name its own partition and file exactly, judge the disk's BCD
# as Windows Boot Manager would (host images are built healthy: OK, with the
# BCD's description and the Windows partition) and end QEMU with status 71.
# Then the same host with its Windows partition's winload.efi gone must
# FAIL with 0xc0000225 and status 73.
# If this fails, every chain-loading scenario's verdict is suspect.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images stub "$IMG/host1.img" "$IMG/host-mbr.img" || exit 0
boot stub-gpt --disk nvme:"$IMG/host1.img" --layout all --timeout 60 &
boot stub-mbr --disk ahci:"$IMG/host-mbr.img" --layout all --timeout 60 &
wait
# host1 again, its winload.efi deleted (ntfs-3g's ntfsrm... is not in every
# ntfs-3g; overwrite the NTFS partition with a fresh empty NTFS instead).
nowl=$TEST_TMP/host-nowinload.img
cp --sparse=always "$IMG/host1.img" "$nowl"
p3=$(sgdisk -i 3 "$nowl" | awk '/^First sector:/ {print $3}')
n3=$(sgdisk -i 3 "$nowl" | awk '/^Partition size:/ {print $3}')
truncate -s $((n3 * 512)) "$TEST_TMP/win.ntfs"
mkntfs -q -F -Q -s 512 -L Windows -p "$p3" -H 255 -S 63 "$TEST_TMP/win.ntfs" >/dev/null 2>&1
dd if="$TEST_TMP/win.ntfs" of="$nowl" bs=512 seek="$p3" conv=notrunc,sparse status=none
rm -f "$TEST_TMP/win.ntfs"
boot stub-nowinload --disk nvme:"$nowl" --layout all --timeout 60

has_exact stub-gpt-marker stub-gpt "BOOTMGR-STUB loaded from $(gpt_origin "$HOST1_ESP_GUID")"
has_exact stub-mbr-marker stub-mbr \
    "BOOTMGR-STUB loaded from $(mbr_origin "$HOSTMBR_SIGNATURE" "$HOSTMBR_ESP_START")"
has_line stub-firmware-options stub-gpt '^BOOTMGR-STUB load options [0-9]+ bytes$'
has_exact stub-gpt-file stub-gpt 'BOOTMGR-STUB file \EFI\BOOT\BOOTX64.EFI'
# The description is the BCD's {default}; the partition is host1's Windows.
has_line stub-gpt-ok stub-gpt '^BOOTMGR-STUB OK Windows 11 disk [0-9]+ part 3$'
has_line stub-mbr-ok stub-mbr '^BOOTMGR-STUB OK Windows 11 disk [0-9]+ part 2$'
exit_is stub-gpt-exit stub-gpt $STUB_OK
exit_is stub-mbr-exit stub-mbr $STUB_OK
has_line stub-nowinload-fails stub-nowinload '^BOOTMGR-STUB FAIL 0xc0000225 the OS loader file is missing$'
exit_is stub-nowinload-exit stub-nowinload $STUB_FAIL
