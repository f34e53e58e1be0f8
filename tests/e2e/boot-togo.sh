#!/usr/bin/env bash
# "default togo" with "timeout 0" starts the stick's own boot manager at
# once: the stub's marker names the stick ESP's partition GUID.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images togo "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default togo\ntimeout 0'
boot togo --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --layout all --timeout 90

chainloaded togo-reaches-stick-esp togo 'Windows To Go \(this stick\)' "$(gpt_origin "$STICK_ESP_GUID")"
lacks_line togo-no-countdown togo '^Booting .* in [0-9]+s'
lacks_line togo-no-warnings togo '^wtg-rescue.conf line'
