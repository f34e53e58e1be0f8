#!/usr/bin/env bash
# "default internal" with "timeout 0" starts the host's boot manager from
# the host ESP (the marker names its partition GUID), both when the firmware
# connected only the stick (bootindex on the stick alone: the app must
# connect the rest itself) and when it connected every disk.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images internal "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default internal\ntimeout 0'
for layout in stick all; do
    boot "internal-$layout" --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" \
        --layout $layout --timeout 90 &
done
wait

host=$(gpt_origin "$HOST1_ESP_GUID")
chainloaded internal-only-stick-connected internal-stick 'Windows on NVMe disk [0-9]+ \(.+\)' "$host"
chainloaded internal-all-connected internal-all 'Windows on NVMe disk [0-9]+ \(.+\)' "$host"
