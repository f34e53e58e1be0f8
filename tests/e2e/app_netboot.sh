#!/usr/bin/env bash
# Network boot: no stick; OVMF's virtio-net option ROM (iPXE) gets the app
# from QEMU's built-in TFTP.
#  1. Nothing but the app on the server: the app knows it came over the
#     network, shows the findings of the broken host (gpt-clone) before the
#     menu, and writes nothing: Repair (p, pressed during the countdown) is
#     refused, the host image is unchanged.
#  2. wtg-rescue.conf `mode repair` beside the app on the server: the broken
#     host (bcd-missing; its boot manager is the judging stub) is repaired
#     over the network, with the backup (manifest) and the report on the
#     host's own ESP under \EFI\wtg-rescue\. The host alone then boots
#     (BOOTMGR-STUB OK, same VARS), where before it failed 0xc000000f. A
#     second network boot undoes the repair from the menu (z) from that
#     backup: the ESP's files are as before and the host fails again.
#  3. LoadOptions: an iPXE script chains the app with
#     `mode diagnose;default menu;timeout -1`; the server's conf says
#     `mode repair`, LoadOptions win: the app says where each setting came
#     from, diagnoses, and the host image's sha256 is unchanged.
#  4. The firmware's own PXE (no iPXE ROM) reads the server's conf through
#     its PXE base code just the same.
#  5. LoadOptions from a firmware boot entry: a copy of the PXE Boot#### the
#     firmware made in 4, with the settings as its optional data, started
#     through BootNext (tests/qemu/ovmf_vars_loadopt.py); the server's conf
#     now says mode repair, LoadOptions say mode diagnose and win. (iPXE's
#     own entry drops a Boot####'s optional data: it starts the image itself
#     with its own command line, so with iPXE settings go in the script.)
#  6. mode repair on a PC without any ESP: the app says it will write
#     nothing, and the disk is unchanged.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-netboot "$BUILD/wtg-rescue.efi" "$BUILD/stub-bootmgr.efi" || exit 0
UUID=7e57a001-0000-4000-8000-00000000ae70
# Every file of the host's ESP with its sha256, our own folder left out.
esp_files() {
    local off; off=$(esp_of "$1")
    mdir -/ -b -a -i "$1@@$off" :: 2>/dev/null | grep -v '/$' | grep -iv '^::/EFI/wtg-rescue/' | sort |
        while read -r f; do echo "$f $(mcopy -n -i "$1@@$off" "$f" - | sha256sum | cut -c1-64)"; done
}
sums() { sha256sum "$1" | cut -c1-64; }

# 1. Read-only: nothing on the server but the app.
if scenario app-netboot-gpt-clone gpt-clone "$TEST_TMP/sc/gpt-clone"; then
    sc=$TEST_TMP/sc/gpt-clone
    host=$(sed -n 1p "$sc/disks") id=$(sed -n 1p "$sc/expect")
    mkdir -p "$TEST_TMP/tftp"
    cp "$BUILD/wtg-rescue.efi" "$TEST_TMP/tftp/"
    sum=$(sums "$host")
    bootx net --persist --tftp "$TEST_TMP/tftp" --bootfile wtg-rescue.efi \
        --disk nvme:"$host" --layout none --on "$MENU_END" 'p' --on '^Press any key to return' ' ' \
        --on "$MENU_END" 's' --timeout 180

    has_line app-netboot-tftp-loaded net '^tftp://.*/wtg-rescue\.efi\.\.\. ok'
    lacks_line app-netboot-no-pseudo-disk net '^disk [0-9]+: .*\(this stick\)$'
    has_exact app-netboot-no-server-conf net 'No settings from the server: tftp://10.0.2.2/wtg-rescue.conf is not there.'
    has_exact app-netboot-knows-it net 'Started over the network: read-only, nothing will be written.'
    has_line "app-netboot-shows-$id" net "^$id (error|warning): "
    line_after app-netboot-findings-before-menu net '^Now Windows Boot Manager would' 'wtg-rescue .* Windows To Go rescue'
    has_exact app-netboot-repair-refused net 'Not repairing: there is no writable stick for the backups.'
    has_exact app-netboot-says-why net 'Network boot: read-only, the network settings do not say mode repair.'
    lacks_line app-netboot-nothing-repaired net '^Repairing\.\.\.'
    if [ "$(sums "$host")" = "$sum" ]; then pass app-netboot-host-untouched
    else fail app-netboot-host-untouched "the host image changed"; fi
    exit_is app-netboot-shuts-down net 0
fi

# 2. The server's wtg-rescue.conf says mode repair.
if scenario app-netboot-bcd-missing bcd-missing "$TEST_TMP/sc/bcd-missing" "$BUILD/stub-bootmgr.efi"; then
    sc=$TEST_TMP/sc/bcd-missing
    host=$(sed -n 1p "$sc/disks") id=$(sed -n 1p "$sc/expect") vars=$TEST_TMP/vars.fd
    off=$(esp_of "$host")
    esp_files "$host" >"$TEST_TMP/esp.before"
    mkdir -p "$TEST_TMP/tftp-repair"
    cp "$BUILD/wtg-rescue.efi" "$TEST_TMP/tftp-repair/"
    printf 'mode repair\ndefault menu\ntimeout -1\n' >"$TEST_TMP/tftp-repair/wtg-rescue.conf"

    bootx before --vars "$vars" --disk nvme:"$host" --layout none --timeout 120
    has_line app-netboot-repair-host-fails-before before '^BOOTMGR-STUB FAIL 0xc000000f'

    bootx repair --vars "$vars" --persist --smbios-uuid "$UUID" --tftp "$TEST_TMP/tftp-repair" \
        --bootfile wtg-rescue.efi --disk nvme:"$host" --layout none --on "$MENU_END" 's' --timeout 180
    has_exact app-netboot-repair-server-conf repair 'Settings from the server: tftp://10.0.2.2/wtg-rescue.conf'
    has_line app-netboot-repair-mode-line repair \
        "^Started over the network with mode repair: backups and reports go to the host's ESP under \\\\EFI\\\\wtg-rescue\\\\, machine $UUID\$"
    has_line "app-netboot-repair-names-$id" repair "^$id (error|warning): "
    has_line app-netboot-repair-repairing repair '^Repairing\.\.\.$'
    has_line app-netboot-repair-action-done repair '^  1\. done: '
    has_line app-netboot-repair-backup-on-host-esp repair \
        "^Backup on the host's ESP \\(disk 0 part 1\\): \\\\EFI\\\\wtg-rescue\\\\backups\\\\[0-9a-f]+\\\\[0-9]{8}T[0-9]{6}Z\$"
    has_line app-netboot-repair-verdict-ok repair \
        '^After the repair Windows Boot Manager would start Windows \(OK\)\.$'
    has_line app-netboot-repair-report-path repair \
        "^Report saved on the host's ESP \\(disk 0 part 1\\): \\\\EFI\\\\wtg-rescue\\\\reports\\\\report-$UUID\\.txt\$"
    files=$(mdir -/ -b -i "$host@@$off" ::/EFI/wtg-rescue 2>/dev/null)
    man=$(grep -i '/backups/[0-9a-f]*/[0-9T]*Z/manifest\.txt$' <<<"$files" | head -n 1)
    if [ -n "$man" ] && mcopy -n -i "$host@@$off" "$man" - | head -n 1 | grep -qx 'wtg-rescue backup 1'; then
        pass app-netboot-repair-manifest-on-host-esp
    else fail app-netboot-repair-manifest-on-host-esp "no backup manifest under ::/EFI/wtg-rescue/backups: $(tr '\n' '|' <<<"$files" | cut -c1-300)"; fi
    rep=$(mcopy -n -i "$host@@$off" "::/EFI/wtg-rescue/reports/report-$UUID.txt" - 2>/dev/null)
    if grep -q "$id" <<<"$rep"; then pass "app-netboot-repair-report-names-$id"
    else fail "app-netboot-repair-report-names-$id" "report: $(head -c 200 <<<"$rep" | tr '\n' '|')"; fi

    bootx after --vars "$vars" --disk nvme:"$host" --layout none --timeout 120
    has_line app-netboot-repair-host-alone-boots after '^BOOTMGR-STUB OK '
    exit_is app-netboot-repair-host-alone-exit after "$STUB_OK"

    # Undo over the network, from the backup on the host's ESP. (With the
    # NIC's bootindex OVMF prunes the boot entries QEMU did not list, the
    # new "Windows Boot Manager" among them, so the unattended run repairs
    # that again first: the oldest backup is the one from before it all.)
    bootx undo --vars "$vars" --persist --smbios-uuid "$UUID" --tftp "$TEST_TMP/tftp-repair" \
        --bootfile wtg-rescue.efi --disk nvme:"$host" --layout none \
        --on "$MENU_END" 'z' --on '^Pick a backup \(1-' '1' \
        --on '^Press any key to return to the menu' ' ' --on "$MENU_END" 's' --timeout 180
    has_line app-netboot-undo-lists-the-backup undo '^  1\) [0-9]{8}T[0-9]{6}Z'
    has_exact app-netboot-undo-complete undo 'Undo complete: every file and variable is as the backup found it.'
    esp_files "$host" >"$TEST_TMP/esp.undone"
    if cmp -s "$TEST_TMP/esp.before" "$TEST_TMP/esp.undone"; then pass app-netboot-undo-esp-files-byte-for-byte
    else fail app-netboot-undo-esp-files-byte-for-byte "$(diff "$TEST_TMP/esp.before" "$TEST_TMP/esp.undone" | head -n 3 | tr '\n' '|')"; fi
    # The restored BootOrder is the one the network boot saw (NIC first):
    # a bootindex on the disk makes OVMF try it first, as in app_undo.sh.
    bootx again --vars "$vars" --disk nvme:"$host" --layout all --timeout 120
    has_line app-netboot-undo-host-fails-again again '^BOOTMGR-STUB FAIL 0xc000000f'
fi

# 3. LoadOptions from iPXE's chain command line, on top of the server's conf.
if [ -f "$TEST_TMP/sc/gpt-clone/disks" ]; then
    host=$(sed -n 1p "$TEST_TMP/sc/gpt-clone/disks") id=$(sed -n 1p "$TEST_TMP/sc/gpt-clone/expect")
    mkdir -p "$TEST_TMP/tftp-opts"
    cp "$BUILD/wtg-rescue.efi" "$TEST_TMP/tftp-opts/"
    printf 'mode repair\n' >"$TEST_TMP/tftp-opts/wtg-rescue.conf"
    printf '#!ipxe\nchain wtg-rescue.efi mode diagnose;default menu;timeout -1\n' >"$TEST_TMP/tftp-opts/boot.ipxe"
    sum=$(sums "$host")
    bootx opts --persist --tftp "$TEST_TMP/tftp-opts" --bootfile boot.ipxe \
        --disk nvme:"$host" --layout none --on "$MENU_END" 's' --timeout 180
    has_exact app-netboot-loadoptions-server-conf opts 'Settings from the server: tftp://10.0.2.2/wtg-rescue.conf'
    has_exact app-netboot-loadoptions-used opts 'Settings from LoadOptions: mode diagnose;default menu;timeout -1'
    line_after app-netboot-loadoptions-after-server opts '^Settings from the server: ' '^Settings from LoadOptions: '
    has_exact app-netboot-loadoptions-win opts 'Started over the network: read-only, nothing will be written.'
    has_line "app-netboot-loadoptions-shows-$id" opts "^$id (error|warning): "
    lacks_line app-netboot-loadoptions-no-countdown opts '^Booting .* in [0-9]+s'
    lacks_line app-netboot-loadoptions-nothing-repaired opts '^Repairing\.\.\.'
    if [ "$(sums "$host")" = "$sum" ]; then pass app-netboot-loadoptions-host-sha256-unchanged
    else fail app-netboot-loadoptions-host-sha256-unchanged "the host image changed"; fi
    exit_is app-netboot-loadoptions-shuts-down opts 0
fi

# 4. The firmware's own PXE: the conf comes through its PXE base code.
if [ -f "$TEST_TMP/sc/gpt-clone/disks" ]; then
    host=$(sed -n 1p "$TEST_TMP/sc/gpt-clone/disks")
    mkdir -p "$TEST_TMP/tftp-fw"
    cp "$BUILD/wtg-rescue.efi" "$TEST_TMP/tftp-fw/"
    printf 'mode diagnose\ndefault menu\ntimeout -1\n' >"$TEST_TMP/tftp-fw/wtg-rescue.conf"
    sum=$(sums "$host")
    bootx fw --vars "$TEST_TMP/fwvars.fd" --persist --no-ipxe --tftp "$TEST_TMP/tftp-fw" --bootfile wtg-rescue.efi \
        --disk nvme:"$host" --layout none --on "$MENU_END" 's' --timeout 180
    has_line app-netboot-firmware-pxe-started fw '^BdsDxe: starting Boot[0-9A-F]{4} "UEFI PXEv4'
    has_exact app-netboot-firmware-pxe-server-conf fw 'Settings from the server: tftp://10.0.2.2/wtg-rescue.conf'
    has_exact app-netboot-firmware-pxe-read-only fw 'Started over the network: read-only, nothing will be written.'
    lacks_line app-netboot-firmware-pxe-no-countdown fw '^Booting .* in [0-9]+s'
    if [ "$(sums "$host")" = "$sum" ]; then pass app-netboot-firmware-pxe-host-unchanged
    else fail app-netboot-firmware-pxe-host-unchanged "the host image changed"; fi
fi

# 5. LoadOptions from a Boot#### entry (the firmware's own PXE passes them).
if [ -f "$TEST_TMP/fwvars.fd" ] && [ -f "$TEST_TMP/sc/gpt-clone/disks" ]; then
    host=$(sed -n 1p "$TEST_TMP/sc/gpt-clone/disks")
    printf 'mode repair\n' >"$TEST_TMP/tftp-fw/wtg-rescue.conf"
    if out=$(python3 "$QEMU_DIR/ovmf_vars_loadopt.py" "$TEST_TMP/fwvars.fd" "UEFI PXEv4" 0100 \
            "mode diagnose;default menu;timeout -1" 2>&1); then
        pass app-netboot-bootentry-made
    else fail app-netboot-bootentry-made "$out"; fi
    sum=$(sums "$host")
    bootx entry --vars "$TEST_TMP/fwvars.fd" --persist --no-ipxe --tftp "$TEST_TMP/tftp-fw" \
        --bootfile wtg-rescue.efi --disk nvme:"$host" --layout none --on "$MENU_END" 's' --timeout 180
    has_line app-netboot-bootentry-started entry '^BdsDxe: starting Boot0100 "UEFI PXEv4'
    has_exact app-netboot-bootentry-loadoptions entry 'Settings from LoadOptions: mode diagnose;default menu;timeout -1'
    has_exact app-netboot-bootentry-read-only entry 'Started over the network: read-only, nothing will be written.'
    lacks_line app-netboot-bootentry-nothing-repaired entry '^Repairing\.\.\.'
    if [ "$(sums "$host")" = "$sum" ]; then pass app-netboot-bootentry-host-unchanged
    else fail app-netboot-bootentry-host-unchanged "the host image changed"; fi
fi

# 6. mode repair, but no ESP anywhere to hold the backups.
if [ -d "$TEST_TMP/tftp-repair" ]; then
    noesp=$TEST_TMP/noesp.img
    truncate -s 32M "$noesp"
    sgdisk -q -n 1:2048:+16M -t 1:0700 "$noesp" >/dev/null
    sum=$(sums "$noesp")
    bootx noesp --persist --tftp "$TEST_TMP/tftp-repair" --bootfile wtg-rescue.efi \
        --disk nvme:"$noesp" --layout none --on "$MENU_END" 's' --timeout 180
    has_exact app-netboot-noesp-server-conf noesp 'Settings from the server: tftp://10.0.2.2/wtg-rescue.conf'
    has_exact app-netboot-noesp-says-why noesp \
        "Network boot: mode repair, but no ESP on this PC's disks can hold the backups; nothing will be written."
    lacks_line app-netboot-noesp-nothing-repaired noesp '^Repairing\.\.\.'
    if [ "$(sums "$noesp")" = "$sum" ]; then pass app-netboot-noesp-disk-unchanged
    else fail app-netboot-noesp-disk-unchanged "the disk image changed"; fi
fi
