#!/usr/bin/env bash
# w) Rebuild boot files for a chosen Windows, driven from the menu over
# serial: the host's ESP has no BCD (bcd-missing scenario, the grown-up stub
# as its boot manager); pick the host's Windows, say y, and the host alone
# then boots to BOOTMGR-STUB OK through the firmware entry the rebuild made.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-rebuild "$IMG/stick.img" "$BUILD/stub-bootmgr.efi" || exit 0
sc=$TEST_TMP/sc/bcd-missing
# bcdboot copies \Windows\Boot\EFI, so the stub is the Windows' own copy.
scenario app-rebuild bcd-missing "$sc" "$BUILD/stub-bootmgr.efi" || exit 0
host=$(sed -n 1p "$sc/disks") vars=$TEST_TMP/vars.fd
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1'
bootx rebuild --vars "$vars" --persist --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$host" \
    --layout all --on "$MENU_END" 'w' --on '^  ([1-9])\) .* on disk 1 part 3$' '{1}' \
    --on '^Repair now\?' 'y' --on '^Press any key to return to the menu' ' ' \
    --on "$MENU_END" 's' --timeout 150
has_line app-rebuild-menu-entry rebuild '^[ >] w\) Rebuild boot files$'
has_line app-rebuild-plan-new-bcd rebuild '^  [0-9]\. disk 1 part 1: write a new BCD as bcdboot does'
has_line app-rebuild-done rebuild '^  [0-9]\. done: '
lacks_line app-rebuild-no-failure rebuild '^  [0-9]\. failed: '
has_line app-rebuild-backup rebuild '^Backup on the stick: '
has_line app-rebuild-verdict rebuild '^After the repair Windows Boot Manager would start Windows \(OK\)\.$'

bootx alone --vars "$vars" --disk nvme:"$host" --layout none --timeout 120
has_line app-rebuild-host-alone-boots alone '^BOOTMGR-STUB OK '
exit_is app-rebuild-host-alone-exit alone 71
