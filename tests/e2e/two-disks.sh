#!/usr/bin/env bash
# Two internal disks, each with its own ESP and Windows (NVMe and SATA):
# the menu lists two "Windows on" entries, and the digit of the SATA entry
# boots that one (the marker names the second host's ESP). The config also
# carries an unknown key, which must be warned about and otherwise ignored.
# With "default internal" and "timeout 0", the first internal disk in the
# app's own disk order is booted.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images two-disks "$IMG/stick.img" "$IMG/host1.img" "$IMG/host2.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1\ncolour blue'
stick_with_conf "$TEST_TMP/stick-first.img" $'default internal\ntimeout 0'
boot two --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" \
    --disk ahci:"$IMG/host2.img" \
    --on '^[ >] ([1-9])\) Windows on SATA disk' '{1}' --timeout 90 &
boot first --disk usb:"$TEST_TMP/stick-first.img" --disk nvme:"$IMG/host1.img" \
    --disk ahci:"$IMG/host2.img" --timeout 90 &
wait

has_line two-conf-warning two '^wtg-rescue\.conf line 3: .*colour'
has_line two-found-three two '^found 3 Windows boot manager'
has_line two-entry-nvme two '^[ >] [2-9]\) Windows on NVMe disk [0-9]+ \(.+\)$'
has_line two-entry-sata two '^[ >] [2-9]\) Windows on SATA disk [0-9]+ \(.+\)$'
chainloaded two-digit-boots-second two 'Windows on SATA disk [0-9]+ \(.+\)' \
    "$(gpt_origin "$HOST2_ESP_GUID")"

# Which internal disk comes first in the app's report decides the marker.
first_bus=$(serial first | sed -nE 's/^disk [0-9]+: (NVMe|SATA) .*/\1/p' | head -n 1)
case $first_bus in
    NVMe) chainloaded two-default-internal-is-first first 'Windows on NVMe disk [0-9]+ \(.+\)' \
        "$(gpt_origin "$HOST1_ESP_GUID")" ;;
    SATA) chainloaded two-default-internal-is-first first 'Windows on SATA disk [0-9]+ \(.+\)' \
        "$(gpt_origin "$HOST2_ESP_GUID")" ;;
    *) fail two-default-internal-is-first "no NVMe or SATA disk line ($(why first))" ;;
esac
