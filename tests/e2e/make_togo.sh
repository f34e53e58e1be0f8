#!/usr/bin/env bash
# A stick made by `wtg-rescue make-togo` from a test WIM boots: the rescue
# app (\EFI\BOOT\BOOTX64.EFI) lists "Windows To Go (this stick)", its
# default (conf "default togo") starts the stick's own Windows Boot Manager
# (the stub, applied from the WIM's \Windows\Boot\EFI and copied by the
# engine's rebuild), whose marker names the new ESP's partition GUID and
# which then judges the stick's BCD as Windows Boot Manager would: OK.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

WR=$BUILD/wtg-rescue
for need in "$WR" "$BUILD/hivetool" "$BUILD/wtg-rescue.efi" "$BUILD/stub-bootmgr.efi"; do
    [ -e "$need" ] || { fail make_togo_boot "$need not built"; exit 0; }
done
command -v wimcapture >/dev/null || { skip make_togo_boot "wimcapture not installed"; exit 0; }
T=$TEST_TMP/make_togo_e2e
mkdir -p "$T"
cp "$BUILD/wtg-rescue.efi" "$T/app.efi" && cp "$BUILD/stub-bootmgr.efi" "$T/stub.efi"
if ! "$REPO/test-images/togo/make-wim.sh" "$T/wim" "$T/stub.efi" "$BUILD/hivetool" >"$T/wim.log" 2>&1; then
    fail make_togo_boot "make-wim.sh: $(tail -n 2 "$T/wim.log" | tr '\n' ' ')"; exit 0
fi
STICK=$TEST_TMP/togo-stick.img
if ! "$WR" make-togo --image "$T/wim/lzms.esd" --stick "$STICK" --size 300M --yes \
        --app "$T/app.efi" >"$T/make.log" 2>&1; then
    fail make_togo_boot "make-togo: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"; exit 0
fi
esp_guid=$(sgdisk -i 1 "$STICK" | awk '/^Partition unique GUID:/ {print tolower($4)}')

boot togo-made --disk usb:"$STICK" --timeout 120
has_line make_togo_menu_entry togo-made 'Windows To Go \(this stick\)'
chainloaded make_togo_reaches_stub togo-made 'Windows To Go \(this stick\)' "$(gpt_origin "$esp_guid")"
# The stub (bootmgfw.efi and winload.efi in the WIM) judges the store the
# engine wrote: {default} must name the new Windows partition.
has_line make_togo_stub_ok togo-made '^BOOTMGR-STUB OK .* disk [0-9]+ part 2$'
exit_is make_togo_stub_exit togo-made $STUB_OK
