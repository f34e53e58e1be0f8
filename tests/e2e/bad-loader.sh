#!/usr/bin/env bash
# The host's bootmgfw.efi is not a loadable image: with "default internal"
# and "timeout 0" the app must say it could not start it, come back to the
# menu instead of hanging or rebooting, and still shut down with "s".
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images bad-loader "$IMG/stick.img" "$IMG/host-bad.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default internal\ntimeout 0'
boot bad --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host-bad.img" \
    --on '^Could not start ' '' --on "$MENU_END" s --timeout 90

has_line bad-says-could-not-start bad '^Could not start Windows on NVMe disk [0-9]+ \(.+\): .+'
lacks_line bad-no-stub bad 'BOOTMGR-STUB|X64 Exception'
exit_is bad-menu-back-and-shutdown bad 0
