#!/usr/bin/env bash
# Undo: a repair made from the stick (mode repair, the bcd-missing
# scenario) is undone from the menu (z, pick the backup): every file on the
# host's ESP is again byte for byte what it was before the repair (the BCD
# the repair wrote is gone again), and the host alone fails as before.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

UUID=7e57a001-0000-4000-8000-00000000a0d0
need_images app-undo "$IMG/stick.img" "$BUILD/stub-bootmgr.efi" || exit 0
# Every file of the ESP with its sha256 (the stick's own folder excluded).
esp_files() {
    local off; off=$(esp_of "$1")
    mdir -/ -b -a -i "$1@@$off" :: 2>/dev/null | grep -v '/$' | grep -v '^::/wtg-rescue/' | sort |
        while read -r f; do echo "$f $(mcopy -n -i "$1@@$off" "$f" - | sha256sum | cut -c1-64)"; done
}

sc=$TEST_TMP/sc/bcd-missing
scenario app-undo bcd-missing "$sc" "$BUILD/stub-bootmgr.efi" || exit 0
host=$(sed -n 1p "$sc/disks") vars=$TEST_TMP/vars.fd
esp_files "$host" >"$TEST_TMP/esp.before"
stick=$TEST_TMP/stick.img
stick_with_conf "$stick" $'mode repair\ndefault menu\ntimeout -1'
bootx repair --vars "$vars" --persist --smbios-uuid "$UUID" --disk usb:"$stick" \
    --disk nvme:"$host" --layout all --on "$MENU_END" 's' --timeout 150
esp_files "$host" >"$TEST_TMP/esp.repaired"
if ! cmp -s "$TEST_TMP/esp.before" "$TEST_TMP/esp.repaired"; then pass app-undo-repair-changed-the-esp
else fail app-undo-repair-changed-the-esp "the repair left the ESP as it was ($(why repair))"; fi

printf 'default menu\ntimeout -1\n' >"$TEST_TMP/menu.conf"
mcopy -o -i "$stick@@$(esp_of "$stick")" "$TEST_TMP/menu.conf" ::/EFI/wtg-rescue/wtg-rescue.conf
bootx undo --vars "$vars" --persist --smbios-uuid "$UUID" --disk usb:"$stick" \
    --disk nvme:"$host" --layout all --on "$MENU_END" 'z' --on '^Pick a backup \(1-' '1' \
    --on '^Press any key to return to the menu' ' ' --on "$MENU_END" 's' --timeout 150
has_line app-undo-lists-the-backup undo '^  1\) [0-9]{8}T[0-9]{6}Z'
has_exact app-undo-complete undo 'Undo complete: every file and variable is as the backup found it.'
esp_files "$host" >"$TEST_TMP/esp.undone"
if cmp -s "$TEST_TMP/esp.before" "$TEST_TMP/esp.undone"; then pass app-undo-esp-files-byte-for-byte
else fail app-undo-esp-files-byte-for-byte "$(diff "$TEST_TMP/esp.before" "$TEST_TMP/esp.undone" | head -n 3 | tr '\n' '|')"; fi

# The bootindex makes OVMF try the disk first (its own order is whatever
# the undone variables say).
bootx alone --vars "$vars" --disk nvme:"$host" --layout all --timeout 120
has_line app-undo-host-fails-again alone '^BOOTMGR-STUB FAIL 0xc000000f'
