#!/usr/bin/env bash
# The gold test: a PC whose Windows boot is broken is repaired from the
# stick and then boots WITHOUT the stick. The host is an engine failure-mode
# scenario (test-images/scenarios/make-scenario.sh) built with the stub boot
# manager as the Windows tree's bootmgfw.efi (WR_SCENARIO_BOOTMGFW), so the
# healthy state our rebuild wrote, and every repair copying boot files, put
# the stub at \EFI\Microsoft\Boot\bootmgfw.efi and at the fallback path; it
# judges its own ESP as Windows Boot Manager would.
#   before: the host alone (fresh VARS: no "Windows Boot Manager" entry yet)
#   boot 1: stick (`mode repair`) + host: the report on the stick names the id
#   after:  the host alone, same VARS file
# Each case says what before and after must show:
#   fail-CODE  BOOTMGR-STUB FAIL CODE, QEMU status 73
#   fallback   the firmware reached the stub only through the fallback path
#              (\EFI\BOOT\BOOTX64.EFI, no "Windows Boot Manager" entry
#              started), which judged the store OK (71)
#   entry      the firmware started Boot#### "Windows Boot Manager" (the
#              entry the repair made), the stub ran as bootmgfw.efi: OK (71)
#   none       no boot manager ran at all: the firmware fell through to its
#              shell (the run stops at its prompt) or setup UI (122)
# Cases run two at a time (the harness allows two QEMUs). The default set
# covers each kind of before/after; APP_GOLD_CASES=all runs all 16
# scenarios (about 9 minutes under TCG), or name some: APP_GOLD_CASES="esp-gone hibernated".
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

# name before after
ALL="bcd-missing fail-0xc000000f entry
bcd-empty fail-0xc0000034 entry
bcd-dirty fallback entry
no-loader fail-0xc0000098 entry
default-dangling fail-0xc0000098 entry
gpt-clone fail-0xc000000e entry
mbr-signature fail-0xc000000e entry
bootmgfw-missing fallback entry
winload-missing fail-0xc0000225 fail-0xc0000225
esp-gone none none
nvram-missing fallback entry
other-os none entry
bitlocker fallback entry
hibernated fallback entry
togo-flags togo togo
two-windows fail-0xc000000f entry"
DEFAULT="bcd-missing gpt-clone bcd-dirty bootmgfw-missing winload-missing esp-gone other-os togo-flags"
want=${APP_GOLD_CASES:-$DEFAULT}
[ "$want" = all ] && want=$(cut -d' ' -f1 <<<"$ALL")
UUID=7e57a001-0000-4000-8000-00000000601d
JUDGE=$BUILD/stub-bootmgr.efi
need_images app-gold "$IMG/stick.img" "$JUDGE" "$BUILD/hivetool" "$BUILD/wtg-rescue.efi" || exit 0

# esp_of IMG: the byte offset of the first ESP (GPT type or MBR 0xEF).
esp_of() {
    sfdisk -J "$1" 2>/dev/null | python3 -c '
import json, sys
for p in json.load(sys.stdin)["partitiontable"]["partitions"]:
    if p["type"].upper() in ("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EF"):
        print(p["start"] * 512); break'
}
# esp_files IMG: every file of its ESP with its sha256 (not our own folder).
esp_files() {
    local off; off=$(esp_of "$1")
    [ -n "$off" ] || return 0
    mdir -/ -b -a -i "$1@@$off" :: 2>/dev/null | grep -v '/$' | grep -v '^::/wtg-rescue/' | sort |
        while read -r f; do echo "$f $(mcopy -n -i "$1@@$off" "$f" - | sha256sum | cut -c1-64)"; done
}
# part_sum IMG N: sha256 of partition N's bytes.
part_sum() {
    local s n
    s=$(sgdisk -i "$2" "$1" | awk '/^First sector:/ {print $3}')
    n=$(sgdisk -i "$2" "$1" | awk '/^Partition size:/ {print $3}')
    dd if="$1" bs=512 skip="$s" count="$n" status=none | sha256sum | cut -c1-64
}
# bcd_check IMG: hivetool's verdict on the ESP's BCD ("valid ..." or the error).
bcd_check() {
    local f="$1.check.BCD"
    rm -f "$f"
    mcopy -n -i "$1@@$(esp_of "$1")" ::/EFI/Microsoft/Boot/BCD "$f" 2>/dev/null
    "$BUILD/hivetool" check "$f" 2>&1 | tr '\n' ' '
}
FILE_FALLBACK='BOOTMGR-STUB file \EFI\BOOT\BOOTX64.EFI'
FILE_BOOTMGFW='BOOTMGR-STUB file \EFI\Microsoft\Boot\bootmgfw.efi'
SHELL_PROMPT='^Shell>'
WBM_START='^BdsDxe: starting Boot[0-9A-F]{4} "Windows Boot Manager" from HD\('

# expect CASE RUN KIND: the assertions for one before/after run.
expect() {
    local c=$1 run=$2 kind=$3
    case $kind in
    fail-*)
        has_line "$c-fails-with-${kind#fail-}" "$run" "^BOOTMGR-STUB FAIL ${kind#fail-} "
        exit_is "$c-exit" "$run" $STUB_FAIL ;;
    fallback)
        # the firmware's own fallback, not an entry for Windows Boot Manager
        has_exact "$c-reached-by-fallback-path" "$run" "$FILE_FALLBACK"
        lacks_line "$c-no-windows-entry-yet" "$run" "$WBM_START"
        has_line "$c-stub-ok" "$run" '^BOOTMGR-STUB OK '
        exit_is "$c-exit" "$run" $STUB_OK ;;
    entry)
        has_line "$c-firmware-entry-first" "$run" "$WBM_START"
        has_exact "$c-started-as-bootmgfw" "$run" "$FILE_BOOTMGFW"
        has_line "$c-host-alone-boots" "$run" '^BOOTMGR-STUB OK '
        exit_is "$c-exit" "$run" $STUB_OK ;;
    none)
        lacks_line "$c-no-boot-manager-ran" "$run" '^BOOTMGR-STUB'
        # OVMF ends in its built-in shell (stopped at the prompt) or UiApp
        if [ "$(rc_of "$run")" = 122 ] || { [ "$(rc_of "$run")" = 0 ] &&
                serial "$run" | grep -qE '^BdsDxe: starting Boot[0-9A-F]{4} "EFI Internal Shell"'; }; then
            pass "$c-firmware-found-nothing-to-start"
        else
            fail "$c-firmware-found-nothing-to-start" "$(why "$run")"
        fi ;;
    esac
    lacks_line "$c-no-app" "$run" '^wtg-rescue [^ ]+$'
}

# report_names CASE REPORT IDS...: the report on the stick names each id.
report_names() {
    local c=$1 rep=$2 id; shift 2
    for id in "$@"; do
        if grep -qw -- "$id" <<<"$rep"; then pass "$c-report-names-$id"
        else fail "$c-report-names-$id" "report: $(head -c 300 <<<"$rep" | tr '\n' '|')"; fi
    done
}

report_of() {
    mcopy -n -i "$1@@$(esp_of "$1")" "::/wtg-rescue/reports/report-$UUID.txt" - 2>/dev/null
}

# One scenario: build, before, repair, after, and the case's own checks.
run_case() {
    local name=$1 before=$2 after=$3 sc=$TEST_TMP/sc/$1 c=app-gold-$1 host vars stick ids rep
    scenario "$c" "$name" "$sc" "$JUDGE" || return
    ids=$(sed -n 1p "$sc/expect") host=$(sed -n 1p "$sc/disks") vars=$sc/vars.fd
    [ "$before" = togo ] && { togo_case "$name" "$sc" "$host" "$ids"; return; }
    esp_files "$host" >"$sc/esp.before"
    part_sum "$host" 3 >"$sc/win.before" 2>/dev/null
    bcd_check "$host" >"$sc/bcd.before"

    bootx "before-$name" --vars "$vars" --disk nvme:"$host" --layout none --until "$SHELL_PROMPT" \
        --timeout 120
    expect "$c-before" "before-$name" "$before"

    stick=$TEST_TMP/stick-$name.img
    stick_with_conf "$stick" $'mode repair\ndefault menu\ntimeout -1'
    bootx "repair-$name" --vars "$vars" --persist --smbios-uuid "$UUID" \
        --disk usb:"$stick" --disk nvme:"$host" --layout all \
        --on "$MENU_END" 's' --timeout 150
    rep=$(report_of "$stick")
    # shellcheck disable=SC2086
    report_names "$c" "$rep" $ids

    bootx "after-$name" --vars "$vars" --disk nvme:"$host" --layout none --until "$SHELL_PROMPT" \
        --timeout 120
    expect "$c-after" "after-$name" "$after"
    extra_checks "$name" "$c" "$sc" "$host" "$rep"
}

# What a scenario's repair must (not) have changed, beyond booting.
extra_checks() {
    local name=$1 c=$2 sc=$3 host=$4 rep=$5 now
    case $name in
    bcd-dirty)
        # bootmgr replays the log itself (so it booted before); the repair
        # replays it into the file: the store on the ESP is clean now
        if grep -q 'needs log recovery' "$sc/bcd.before"; then pass "$c-store-dirty-before"
        else fail "$c-store-dirty-before" "hivetool check: $(cat "$sc/bcd.before")"; fi
        now=$(bcd_check "$host")
        if [[ $now == *"valid (0 errors"* ]]; then pass "$c-store-clean-after"
        else fail "$c-store-clean-after" "hivetool check: $now"; fi ;;
    bootmgfw-missing)
        if ! grep -qi '^::/EFI/Microsoft/Boot/bootmgfw.efi ' "$sc/esp.before" &&
            esp_files "$host" | grep -qi '^::/EFI/Microsoft/Boot/bootmgfw.efi '; then
            pass "$c-bootmgfw-copied-back"
        else
            fail "$c-bootmgfw-copied-back" "bootmgfw.efi was not missing before or is still missing"
        fi ;;
    esp-gone)
        # nothing to write to: the report says so, and nothing was written
        if grep -q 'No EFI system partition' <<<"$rep" && grep -q 'no boot manager' <<<"$rep"; then
            pass "$c-report-says-no-esp"
        else
            fail "$c-report-says-no-esp" "report: $(head -c 300 <<<"$rep" | tr '\n' '|')"
        fi ;;
    winload-missing | hibernated)
        # report-only: neither the ESP's files nor the Windows volume changed
        # (the firmware entry the repair adds lives in VARS)
        if esp_files "$host" | cmp -s - "$sc/esp.before"; then pass "$c-esp-untouched"
        else fail "$c-esp-untouched" "the ESP's files changed"; fi
        if [ "$(part_sum "$host" 3)" = "$(cat "$sc/win.before")" ]; then pass "$c-windows-untouched"
        else fail "$c-windows-untouched" "the Windows partition changed"; fi ;;
    esac
}

# togo-flags: the scenario disk is a To Go stick (SanPolicy 1). Before, it
# boots on its own; then our app goes on it as \EFI\BOOT\BOOTX64.EFI (as
# `wtg-rescue install` puts it) in mode repair: W2 is reported and the fix
# refused (the SYSTEM hive is on NTFS) with the manual step; after, the
# app's default still starts the stick's Windows, which the stub judges OK.
togo_case() {
    local name=$1 sc=$2 disk=$3 ids=$4 c=app-gold-$1 off rep
    off=$(esp_of "$disk")
    bootx "before-$name" --disk usb:"$disk" --layout all --timeout 120
    expect "$c-before" "before-$name" fallback
    mcopy -o -i "$disk@@$off" "$BUILD/wtg-rescue.efi" ::/EFI/BOOT/BOOTX64.EFI
    printf 'mode repair\ndefault menu\ntimeout -1\n' >"$sc/repair.conf"
    mmd -D s -i "$disk@@$off" ::/EFI/wtg-rescue 2>/dev/null
    mcopy -o -i "$disk@@$off" "$sc/repair.conf" ::/EFI/wtg-rescue/wtg-rescue.conf
    bootx "repair-$name" --persist --smbios-uuid "$UUID" --disk usb:"$disk" --layout all \
        --on "$MENU_END" 's' --timeout 150
    rep=$(report_of "$disk")
    # shellcheck disable=SC2086
    report_names "$c" "$rep" $ids
    if grep -q 'SanPolicy' <<<"$rep"; then pass "$c-report-gives-manual-step"
    else fail "$c-report-gives-manual-step" "report: $(head -c 300 <<<"$rep" | tr '\n' '|')"; fi
    printf 'default togo\ntimeout 0\n' >"$sc/togo.conf"
    mcopy -o -i "$disk@@$off" "$sc/togo.conf" ::/EFI/wtg-rescue/wtg-rescue.conf
    bootx "after-$name" --disk usb:"$disk" --layout all --timeout 120
    chainloaded "$c-after-togo-boots" "after-$name" 'Windows To Go \(this stick\)' \
        "$(gpt_origin "$(sgdisk -i 1 "$disk" | awk '/^Partition unique GUID:/ {print tolower($4)}')")"
}

# Two cases at a time, each into its own file; printed in order.
cases=()
for n in $want; do
    line=$(grep -m1 "^$n " <<<"$ALL") || { fail "app-gold-$n" "no such scenario"; continue; }
    cases+=("$line")
done
for ((i = 0; i < ${#cases[@]}; i += 2)); do
    for j in $i $((i + 1)); do
        [ "$j" -lt "${#cases[@]}" ] || continue
        # shellcheck disable=SC2086
        run_case ${cases[$j]} >"$TEST_TMP/case-$j.out" 2>&1 &
    done
    wait
    for j in $i $((i + 1)); do cat "$TEST_TMP/case-$j.out" 2>/dev/null; done
done
