#!/usr/bin/env bash
# A machine with no Windows anywhere (a stick without a To Go boot manager,
# a disk with only Linux and data): the menu says so plainly; the Disks
# screen (d) lists both disks and their partitions; a key returns to the
# menu, and "s" shuts the machine down cleanly (QEMU exit status 0).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images no-windows "$IMG/stick-nowin.img" "$IMG/linux.img" || exit 0
boot nowin --disk usb:"$IMG/stick-nowin.img" --disk nvme:"$IMG/linux.img" \
    --on "$MENU_END" d --on '^  Part [0-9]+ ' '' --on '^Press any key' x \
    --on "$MENU_END" s --timeout 90

has_line nowin-found-none nowin '^found 0 Windows boot manager'
has_line nowin-says-so nowin '^ *No Windows installation was found on any disk\.$'
lacks_line nowin-no-entries nowin '^[ >] [1-9]\) '
has_line disks-header nowin '^Disks$'
has_line disks-stick nowin '^Disk [0-9]+ +USB +[^ ]+.* +GPT'
has_line disks-nvme nowin '^Disk [0-9]+ +NVMe +[^ ]+.* +GPT'
has_line disks-linux-partition nowin '^  Part [0-9]+ +Linux'
lacks_line nowin-no-crash nowin 'X64 Exception|BOOTMGR-STUB'
exit_is nowin-shutdown-clean nowin 0
