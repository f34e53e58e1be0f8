#!/usr/bin/env bash
# "default togo" with "timeout 0" starts the stick's own boot manager at
# once: the stub's marker names the stick ESP's partition GUID. Also with a
# stick that reports itself as a fixed disk (removable=off), as Windows To
# Go certified drives do: it is still the stick.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images togo "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default togo\ntimeout 0'
boot togo --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --layout all --timeout 90 &
boot fixed --disk usb-fixed:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host1.img" --timeout 90 &
wait

chainloaded togo-reaches-stick-esp togo 'Windows To Go \(this stick\)' "$(gpt_origin "$STICK_ESP_GUID")"
lacks_line togo-no-countdown togo '^Booting .* in [0-9]+s'
lacks_line togo-no-warnings togo '^wtg-rescue.conf line'
has_line fixed-still-this-stick fixed '^disk [0-9]+: USB [^ ]+.* GPT \(this stick\)$'
chainloaded fixed-reaches-stick-esp fixed 'Windows To Go \(this stick\)' "$(gpt_origin "$STICK_ESP_GUID")"
