#!/usr/bin/env bash
# The menu with the stick and one NVMe host disk, every disk connected by
# the firmware: the startup report, both Windows entries, the fixed
# entries, and the Disks screen (d).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images menu "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1'
boot menu --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --layout all \
    --on "$MENU_END" d --until '^  Part [0-9]+ .*' --timeout 90

has_line menu-version menu '^wtg-rescue [^ ]+'
has_line menu-disk-stick menu '^disk [0-9]+: USB [^ ]+.* GPT \(this stick\)$'
has_line menu-disk-nvme menu '^disk [0-9]+: NVMe [^ ]+.* GPT$'
has_line menu-found-two menu '^found 2 Windows boot manager'
has_line menu-title menu 'wtg-rescue'
has_line menu-entry-togo menu '^[ >] 1\) Windows To Go \(this stick\)$'
has_line menu-entry-nvme menu '^[ >] [2-9]\) Windows on NVMe disk [0-9]+ \(.+\)$'
for e in 'd\) Disks' 'f\) Reboot into firmware setup' 'r\) Reboot' 's\) Shut down'; do
    has_line "menu-entry-${e%%\\*}" menu "^[ >] $e\$"
done
lacks_line menu-no-warnings menu '^wtg-rescue.conf line'
has_line disks-header menu '^Disks$'
has_line disks-stick menu '^Disk [0-9]+ +USB +[^ ]+.* +GPT'
has_line disks-nvme menu '^Disk [0-9]+ +NVMe +[^ ]+.* +GPT'
has_line disks-partitions menu '^  Part [0-9]+ '
lacks_line menu-no-crash menu 'X64 Exception|BOOTMGR-STUB'
