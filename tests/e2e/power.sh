#!/usr/bin/env bash
# The menu's power entries, with guest resets allowed to reboot: "r" resets
# and the app starts again (then "s" shuts down: exit 0), and "f" resets
# into the firmware's setup UI (OVMF starts UiApp instead of the stick).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images power "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1'
VERSION_LINE='^wtg-rescue [0-9][^ ]*$'
boot reboot --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --reboot \
    --on "$MENU_END" r --on "$VERSION_LINE" '' --on "$MENU_END" s --timeout 120 &
boot fwsetup --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --reboot \
    --on "$MENU_END" f --timeout 120 &
wait

starts=$(serial reboot | grep -cE "$VERSION_LINE")
if [ "$starts" -ge 2 ] && [ "$(rc_of reboot)" = 0 ]; then
    pass reboot-restarts-the-app
else
    fail reboot-restarts-the-app "app started $starts times, $(why reboot)"
    show_tail reboot
fi
has_line fwsetup-reaches-uiapp fwsetup '^BdsDxe: (loading|starting) Boot[0-9A-F]{4} "UiApp"'
starts=$(serial fwsetup | grep -cE "$VERSION_LINE")
if [ "$starts" = 1 ]; then pass fwsetup-no-second-start; else
    fail fwsetup-no-second-start "the app started $starts times"; fi
