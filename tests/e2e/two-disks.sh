#!/usr/bin/env bash
# Two internal disks, each with its own ESP and Windows (NVMe and SATA):
# the menu lists two "Windows on" entries, and the digit of the SATA entry
# boots that one (the marker names the second host's ESP). The config also
# carries an unknown key, which must be warned about and otherwise ignored.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images two-disks "$IMG/stick.img" "$IMG/host1.img" "$IMG/host2.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1\ncolour blue'
boot two --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" \
    --disk ahci:"$IMG/host2.img" \
    --on '^[ >] ([1-9])\) Windows on SATA disk' '{1}' --timeout 90

has_line two-conf-warning two '^wtg-rescue\.conf line 3: .*colour'
has_line two-found-three two '^found 3 Windows boot manager'
has_line two-entry-nvme two '^[ >] [2-9]\) Windows on NVMe disk [0-9]+ \(.+\)$'
has_line two-entry-sata two '^[ >] [2-9]\) Windows on SATA disk [0-9]+ \(.+\)$'
chainloaded two-digit-boots-second two 'Windows on SATA disk [0-9]+ \(.+\)' \
    "$(gpt_origin "$HOST2_ESP_GUID")"
