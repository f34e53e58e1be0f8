#!/usr/bin/env bash
# The gold test: a PC that does not boot Windows is repaired from the stick
# and then boots WITHOUT the stick. The host is an engine failure-mode
# scenario whose boot manager is the grown-up stub (build/stub-bootmgr.efi,
# at \EFI\Microsoft\Boot\bootmgfw.efi and the fallback path): it judges its
# own ESP as Windows Boot Manager would.
#   before: the host alone prints BOOTMGR-STUB FAIL <expected code>
#   boot 1: stick (`mode repair`) + host: the report on the stick names the id
#   boot 2: the host alone, same VARS file: BOOTMGR-STUB OK
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

# scenario:expected code before the repair. The default set covers each
# distinct bootmgr code; APP_GOLD_CASES=all runs every scenario that fails
# to boot before the repair (bcd-dirty boots anyway: bootmgr replays logs).
ALL="bcd-missing:0xc000000f bcd-empty:0xc0000034 no-loader:0xc0000098 default-dangling:0xc0000098
gpt-clone:0xc000000e mbr-signature:0xc000000e two-windows:0xc000000f"
CASES=${APP_GOLD_CASES:-bcd-missing:0xc000000f bcd-empty:0xc0000034 no-loader:0xc0000098 gpt-clone:0xc000000e}
[ "$CASES" = all ] && CASES=$ALL
UUID=7e57a001-0000-4000-8000-00000000601d
JUDGE=$BUILD/stub-bootmgr.efi
need_images app-gold "$IMG/stick.img" "$JUDGE" || exit 0

bootx() {
    local name=$1; shift
    python3 "$QEMU_DIR/wrqemu_ext.py" "$@" --log "$TEST_TMP/$name.log" 2>"$TEST_TMP/$name.err"
    echo $? >"$TEST_TMP/$name.rc"
}
# esp_of IMG: the byte offset of the first ESP (GPT type or MBR 0xEF).
esp_of() {
    sfdisk -J "$1" 2>/dev/null | python3 -c '
import json, sys
for p in json.load(sys.stdin)["partitiontable"]["partitions"]:
    if p["type"].upper() in ("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EF"):
        print(p["start"] * 512); break'
}

for c in $CASES; do
    name=${c%%:*} code=${c#*:} sc=$TEST_TMP/sc/${c%%:*}
    if ! out=$(bash "$REPO/test-images/scenarios/make-scenario.sh" "$name" "$sc" "$BUILD" 2>&1); then
        fail "app-gold-$name" "scenario build failed: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
        continue
    fi
    id=$(sed -n 1p "$sc/expect") host=$(sed -n 1p "$sc/disks") vars=$sc/vars.fd
    off=$(esp_of "$host")
    mcopy -o -i "$host@@$off" "$JUDGE" ::/EFI/Microsoft/Boot/bootmgfw.efi
    mcopy -o -i "$host@@$off" "$JUDGE" ::/EFI/Boot/bootx64.efi

    bootx "before-$name" --vars "$vars" --disk nvme:"$host" --layout none --timeout 120
    has_line "app-gold-$name-before-fails-with-$code" "before-$name" "^BOOTMGR-STUB FAIL $code"
    exit_is "app-gold-$name-before-exit" "before-$name" 73

    stick_with_conf "$TEST_TMP/stick-$name.img" $'mode repair\ndefault menu\ntimeout -1'
    bootx "repair-$name" --vars "$vars" --persist --smbios-uuid "$UUID" \
        --disk usb:"$TEST_TMP/stick-$name.img" --disk nvme:"$host" --layout all \
        --on "$MENU_END" 's' --timeout 150
    rep=$(mcopy -n -i "$TEST_TMP/stick-$name.img@@$(esp_of "$TEST_TMP/stick-$name.img")" \
        "::/wtg-rescue/reports/report-$UUID.txt" - 2>/dev/null)
    if grep -q "$id" <<<"$rep"; then pass "app-gold-$name-report-names-$id"
    else fail "app-gold-$name-report-names-$id" "report: $(head -c 200 <<<"$rep" | tr '\n' '|') ($(why "repair-$name"))"; fi

    bootx "after-$name" --vars "$vars" --disk nvme:"$host" --layout none --timeout 120
    has_line "app-gold-$name-host-alone-boots" "after-$name" '^BOOTMGR-STUB OK '
    has_line "app-gold-$name-firmware-entry-first" "after-$name" \
        '^BdsDxe: starting Boot[0-9A-F]{4} "Windows Boot Manager" from HD\('
    exit_is "app-gold-$name-after-exit" "after-$name" 71
    lacks_line "app-gold-$name-no-app-after" "after-$name" '^wtg-rescue [^ ]+$'
done
