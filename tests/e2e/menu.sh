#!/usr/bin/env bash
# The menu with the stick and one NVMe host disk, every disk connected by
# the firmware: the startup report, both Windows entries and the fixed
# entries; then the down arrow and Enter start the second entry (the host's
# Windows, proven by the stub's marker).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images menu "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1'
boot menu --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --layout all \
    --on "$MENU_END" '{down}{enter}' --timeout 90

has_line menu-version menu '^wtg-rescue [^ ]+'
has_line menu-disk-stick menu '^disk [0-9]+: USB [^ ]+.* GPT \(this stick\)$'
has_line menu-disk-nvme menu '^disk [0-9]+: NVMe [^ ]+.* GPT$'
has_line menu-found-two menu '^found 2 Windows boot manager'
line_after menu-title menu '^found [0-9]+ Windows' 'wtg-rescue'
has_line menu-entry-togo menu '^[ >] 1\) Windows To Go \(this stick\)$'
has_line menu-entry-nvme menu '^[ >] 2\) Windows on NVMe disk [0-9]+ \(.+\)$'
for e in 'd\) Disks' 'f\) Reboot into firmware setup' 'r\) Reboot' 's\) Shut down'; do
    has_line "menu-entry-${e%%\\*}" menu "^[ >] $e\$"
done
has_line menu-first-highlighted menu '^> 1\) Windows To Go'
lacks_line menu-no-countdown menu '^Booting .* in [0-9]+s'
lacks_line menu-no-warnings menu '^wtg-rescue.conf line'
chainloaded menu-down-enter-boots-second menu 'Windows on NVMe disk [0-9]+ \(.+\)' \
    "$(gpt_origin "$HOST1_ESP_GUID")"
