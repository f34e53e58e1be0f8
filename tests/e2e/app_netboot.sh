#!/usr/bin/env bash
# Network boot: no stick; OVMF's virtio-net option ROM (iPXE) gets the app
# from QEMU's built-in TFTP. The app knows it came over the network, shows
# the findings of the broken host before the menu, and writes nothing:
# Repair (p, pressed during the countdown) is refused for want of a stick, the host image is unchanged.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-netboot "$BUILD/wtg-rescue.efi" || exit 0
sc=$TEST_TMP/sc/gpt-clone
if ! out=$(bash "$REPO/test-images/scenarios/make-scenario.sh" gpt-clone "$sc" "$BUILD" 2>&1); then
    fail app-netboot "scenario build failed: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
    exit 0
fi
host=$(sed -n 1p "$sc/disks") id=$(sed -n 1p "$sc/expect")
mkdir -p "$TEST_TMP/tftp"
cp "$BUILD/wtg-rescue.efi" "$TEST_TMP/tftp/"
sum=$(sha256sum "$host" | cut -c1-64)
python3 "$QEMU_DIR/wrqemu_ext.py" --persist --tftp "$TEST_TMP/tftp" --bootfile wtg-rescue.efi \
    --disk nvme:"$host" --layout none --on "$MENU_END" 'p' --on '^Press any key to return' ' ' --on "$MENU_END" 's' \
    --log "$TEST_TMP/net.log" --timeout 180 2>"$TEST_TMP/net.err"
echo $? >"$TEST_TMP/net.rc"

has_line app-netboot-tftp-loaded net '^tftp://.*/wtg-rescue\.efi\.\.\. ok'
lacks_line app-netboot-no-pseudo-disk net '^disk [0-9]+: .*\(this stick\)$'
has_exact app-netboot-knows-it net 'Started over the network: read-only, nothing will be written.'
has_line "app-netboot-shows-$id" net "^$id (error|warning): "
line_after app-netboot-findings-before-menu net '^Now Windows Boot Manager would' 'wtg-rescue .* Windows To Go rescue'
has_exact app-netboot-repair-refused net 'Not repairing: there is no writable stick for the backups.'
lacks_line app-netboot-nothing-repaired net '^Repairing\.\.\.'
if [ "$(sha256sum "$host" | cut -c1-64)" = "$sum" ]; then pass app-netboot-host-untouched
else fail app-netboot-host-untouched "the host image changed"; fi
exit_is app-netboot-shuts-down net 0
