#!/usr/bin/env bash
# default @saved: boot 1 has nothing saved, so To Go is the default; the
# user picks the host's Windows (2). Boot 2, same VARS file: the countdown
# now offers the host's Windows, and it boots when the countdown ends.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-saved "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default @saved\ntimeout 3'
TITLE='Windows on NVMe disk 1 \([^)]*\)'
bootx first --vars "$TEST_TMP/vars.fd" --disk usb:"$TEST_TMP/stick.img" \
    --disk nvme:"$IMG/host1.img" --layout all --on '^Booting .* in [0-9]+s' '2' --timeout 120
has_line app-saved-nothing-saved-yet first '^Booting Windows To Go \(this stick\) in [0-9]+s'
lacks_line app-saved-no-warning first '^wtg-rescue.conf line'
chainloaded app-saved-first-boots-the-pick first "$TITLE" "$(gpt_origin "$HOST1_ESP_GUID")"

bootx second --vars "$TEST_TMP/vars.fd" --disk usb:"$TEST_TMP/stick.img" \
    --disk nvme:"$IMG/host1.img" --layout all --timeout 120
has_line app-saved-default-is-last-choice second "^Booting $TITLE in [0-9]+s"
chainloaded app-saved-second-boots-it second "$TITLE" "$(gpt_origin "$HOST1_ESP_GUID")"
