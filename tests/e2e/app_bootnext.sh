#!/usr/bin/env bash
# Booting the host's Windows safely. The host's Windows volume carries
# BitLocker's signature. With a TPM 2.0 (swtpm) the app must not chain-load:
# it creates the "Windows Boot Manager" firmware entry, sets BootNext and
# resets, and the firmware itself then starts the host's boot manager (the
# stub) without our app running again. Without a TPM the same choice is
# chain-loaded, and the app says why either way.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-bootnext "$IMG/stick.img" "$IMG/host1.img" || exit 0
if ! command -v swtpm >/dev/null; then
    skip app-bootnext "swtpm is not installed"
    exit 0
fi
"$REPO/test-images/app/bitlocker-host.sh" "$IMG/host1.img" "$TEST_TMP/bl-host.img"
stick_with_conf "$TEST_TMP/stick.img" $'default internal\ntimeout 0'
TITLE='Windows on NVMe disk 1 \([^)]*\)'
ORIGIN=$(gpt_origin "$HOST1_ESP_GUID")


bootx bn --vars "$TEST_TMP/vars.fd" --tpm "$TEST_TMP/tpm" --reboot \
    --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$TEST_TMP/bl-host.img" --layout all \
    --timeout 150
has_line app-bootnext-says-why bn \
    "^$TITLE: started by the firmware, because BitLocker protects disk 1 partition 3 and a TPM is present\\.\$"
has_line app-bootnext-creates-entry bn '^Created the firmware entry Boot[0-9A-F]{4} "Windows Boot Manager"'
has_line app-bootnext-sets-bootnext bn '^BootNext is Boot[0-9A-F]{4}; restarting'
lacks_line app-bootnext-no-chainload bn '^Starting Windows on NVMe'
# After BootNext: the firmware loads its entry and the stub runs, and our
# app (its version line) does not come in between.
verdict=$(serial bn | O="BOOTMGR-STUB loaded from $ORIGIN" awk '
    /^BootNext is Boot/ { n = substr($3, 5, 4); set = 1; next }
    set && /^wtg-rescue [^ ]+$/ { print "our app ran again after the reset"; exit }
    set && /^BdsDxe: (loading|starting) Boot/ && index($0, "Boot" n) && index($0, "Windows Boot Manager") { fw = 1 }
    set && index($0, "BOOTMGR-STUB loaded from ") == 1 {
        if (!fw) print "the stub ran but not through the firmware entry"
        else if ($0 != ENVIRON["O"]) print "wrong partition: " $0
        else print "ok"
        exit
    }')
if [ "${verdict:-no stub marker after BootNext}" = ok ] && [ "$(rc_of bn)" = "$STUB_OK" ]; then
    pass app-bootnext-firmware-starts-host-stub
else
    fail app-bootnext-firmware-starts-host-stub "${verdict:-no stub marker after BootNext} ($(why bn))"
    show_tail bn
fi

# Without a TPM there is nothing to unseal: chain-load, and say why.
boot notpm --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$TEST_TMP/bl-host.img" --layout all \
    --timeout 90
has_line app-bootnext-no-tpm-says-why notpm \
    "^$TITLE: started from here, because BitLocker protects disk 1 partition 3, but there is no TPM\\.\$"
chainloaded app-bootnext-no-tpm-chainloads notpm "$TITLE" "$ORIGIN"
lacks_line app-bootnext-no-tpm-no-bootnext notpm '^BootNext is'
