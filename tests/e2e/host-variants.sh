#!/usr/bin/env bash
# The host's Windows on other disk kinds, each with "default internal" and
# "timeout 0", only the stick connected by the firmware: on AHCI (SATA;
# this one with "timeout 1", so the countdown shows first), on virtio-scsi,
# on a 4Kn NVMe disk, and on an MBR disk (the marker shows the MBR
# signature and the ESP's byte offset).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images variants "$IMG/stick.img" "$IMG/host1.img" "$IMG/host-4kn.img" \
    "$IMG/host-mbr.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default internal\ntimeout 0'
stick_with_conf "$TEST_TMP/stick-t1.img" $'default internal\ntimeout 1'
boot ahci --disk usb:"$TEST_TMP/stick-t1.img" --disk ahci:"$IMG/host1.img" --timeout 90 &
boot 4kn --disk usb:"$TEST_TMP/stick.img" --disk nvme4k:"$IMG/host-4kn.img" --timeout 90 &
wait
boot mbr --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$IMG/host-mbr.img" --timeout 90 &
boot scsi --disk usb:"$TEST_TMP/stick.img" --disk scsi:"$IMG/host2.img" --timeout 90 &
wait

has_line ahci-countdown ahci '^Booting Windows on SATA disk [0-9]+ \(.+\) in 1s \(any key stops\)'
chainloaded ahci-host ahci 'Windows on SATA disk [0-9]+ \(.+\)' "$(gpt_origin "$HOST1_ESP_GUID")"
chainloaded scsi-host scsi 'Windows on SCSI disk [0-9]+ \(.+\)' "$(gpt_origin "$HOST2_ESP_GUID")"
chainloaded 4kn-host 4kn 'Windows on NVMe disk [0-9]+ \(.+\)' "$(gpt_origin "$HOST4K_ESP_GUID")"
has_line 4kn-disk-line 4kn '^disk [0-9]+: NVMe [^ ]+.* GPT$'
chainloaded mbr-host mbr 'Windows on NVMe disk [0-9]+ \(.+\)' \
    "$(mbr_origin "$HOSTMBR_SIGNATURE" "$HOSTMBR_ESP_START")"
has_line mbr-disk-line mbr '^disk [0-9]+: NVMe [^ ]+.* MBR$'
