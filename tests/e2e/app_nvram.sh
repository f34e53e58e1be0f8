#!/usr/bin/env bash
# NVRAM repair: a repaired host's "Windows Boot Manager" entry is deleted
# from the VARS file (tests/qemu/ovmf_vars.py); the next `mode repair` run
# finds G7 and creates it again in Windows' format (bootmgfw.efi on the
# host's ESP, the 136-byte WINDOWS optional data), first in BootOrder.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

UUID=7e57a001-0000-4000-8000-0000000000e7
need_images app-nvram "$IMG/stick.img" || exit 0
VARS_PY=$QEMU_DIR/ovmf_vars.py
sc=$TEST_TMP/sc/bcd-missing
scenario app-nvram bcd-missing "$sc" || exit 0
host=$(sed -n 1p "$sc/disks") vars=$TEST_TMP/vars.fd
esp_guid=$(sgdisk -i 1 "$host" | awk '/^Partition unique GUID:/ {print tolower($4)}')
stick_with_conf "$TEST_TMP/stick.img" $'mode repair\ndefault menu\ntimeout -1'
run() {
    bootx "$1" --vars "$vars" --persist --smbios-uuid "$UUID" --disk usb:"$TEST_TMP/stick.img" \
        --disk nvme:"$host" --layout all --on "$MENU_END" 's' --timeout 150
}
run first
python3 "$VARS_PY" --delete-windows "$vars" >"$TEST_TMP/deleted.txt"
python3 "$VARS_PY" "$vars" >"$TEST_TMP/vars.mid"
if grep -q 'deleted [1-9]' "$TEST_TMP/deleted.txt" && ! grep -q 'desc="Windows Boot Manager"' "$TEST_TMP/vars.mid"
then pass app-nvram-entry-deleted
else fail app-nvram-entry-deleted "$(cat "$TEST_TMP/deleted.txt") ($(why first))"; fi

run second
has_line app-nvram-finds-g7 second '^G7 error: No firmware boot entry starts Windows Boot Manager'
has_line app-nvram-plans-entry second '^  [0-9]\. done: firmware: add "Windows Boot Manager"'
python3 "$VARS_PY" "$vars" >"$TEST_TMP/vars.after"
entry=$(grep 'desc="Windows Boot Manager"' "$TEST_TMP/vars.after" | head -n 1)
num=${entry:4:4}
if [ -n "$entry" ] && grep -q "hd=$esp_guid path=\\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi optional=136 windows=1" <<<"$entry"
then pass app-nvram-entry-in-windows-format
else fail app-nvram-entry-in-windows-format "entry: ${entry:-none}; want hd=$esp_guid, bootmgfw.efi, 136-byte WINDOWS data"; fi
if grep -q "^BootOrder $num" "$TEST_TMP/vars.after"; then pass app-nvram-entry-first-in-bootorder
else fail app-nvram-entry-first-in-bootorder "$(grep BootOrder "$TEST_TMP/vars.after"), entry Boot$num"; fi
