#!/usr/bin/env bash
# The harness and the stub boot manager on their own, without the app: the
# firmware boots a host disk's \EFI\Boot\bootx64.efi (a copy of the stub),
# which must name its own partition exactly and end QEMU with status 67.
# If this fails, every chain-loading scenario's verdict is suspect.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images stub "$IMG/host1.img" "$IMG/host-mbr.img" || exit 0
boot stub-gpt --disk nvme:"$IMG/host1.img" --layout all --timeout 60 &
boot stub-mbr --disk ahci:"$IMG/host-mbr.img" --layout all --timeout 60 &
wait

has_exact stub-gpt-marker stub-gpt "BOOTMGR-STUB loaded from $(gpt_origin "$HOST1_ESP_GUID")"
has_exact stub-mbr-marker stub-mbr \
    "BOOTMGR-STUB loaded from $(mbr_origin "$HOSTMBR_SIGNATURE" "$HOSTMBR_ESP_START")"
has_line stub-firmware-options stub-gpt '^BOOTMGR-STUB load options [0-9]+ bytes$'
exit_is stub-gpt-exit stub-gpt $STUB_EXIT
exit_is stub-mbr-exit stub-mbr $STUB_EXIT
