#!/usr/bin/env bash
# Unattended mode for IT: one stick (`mode diagnose`) goes round two PCs
# (different SMBIOS system UUIDs, different broken host disks) and comes
# back with two reports, one per machine, each naming its own failure.
# Nothing is written to either host.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-unattended "$IMG/stick.img" || exit 0
stick=$TEST_TMP/stick.img
stick_with_conf "$stick" $'mode diagnose\ndefault menu\ntimeout -1'

n=0
for pc in bcd-missing:7e57a001-0000-4000-8000-0000000000a1 gpt-clone:7e57a001-0000-4000-8000-0000000000a2; do
    name=${pc%%:*} uuid=${pc#*:} sc=$TEST_TMP/sc/${pc%%:*}
    n=$((n + 1))
    scenario "app-unattended-$name" "$name" "$sc" || continue
    host=$(sed -n 1p "$sc/disks") id=$(sed -n 1p "$sc/expect")
    sum=$(sha256sum "$host" | cut -c1-64)
    # The stick is written for real (its reports); the host too, if anything
    # wrote to it, which the checksum would show.
    bootx "pc$n" --persist --smbios-uuid "$uuid" --disk usb:"$stick" --disk nvme:"$host" \
        --layout all --on "$MENU_END" 's' --timeout 150
    has_line "app-unattended-pc$n-machine-line" "pc$n" "^Unattended diagnose \\(wtg-rescue.conf\\), machine $uuid\$"
    lacks_line "app-unattended-pc$n-no-repair" "pc$n" '^Repairing\.\.\.'
    if [ "$(sha256sum "$host" | cut -c1-64)" = "$sum" ]; then pass "app-unattended-pc$n-host-untouched"
    else fail "app-unattended-pc$n-host-untouched" "the host image changed in diagnose mode"; fi
    eval "ID$n=\$id UUID$n=\$uuid"
done

reports=$(mdir -b -i "$stick@@$(esp_of "$stick")" ::/wtg-rescue/reports 2>/dev/null | grep '\.txt$' | sort)
count=$(grep -c . <<<"$reports")
if [ "$count" = 2 ]; then pass app-unattended-two-reports
else fail app-unattended-two-reports "want 2 .txt reports on the stick, found $count: $(tr '\n' ' ' <<<"$reports")"; fi
for k in 1 2; do
    eval "id=\$ID$k uuid=\$UUID$k"
    rep=$(mcopy -n -i "$stick@@$(esp_of "$stick")" "::/wtg-rescue/reports/report-$uuid.txt" - 2>/dev/null)
    if grep -q "$id" <<<"$rep"; then pass "app-unattended-report-$k-names-$id"
    else fail "app-unattended-report-$k-names-$id" "report-$uuid.txt: $(head -c 200 <<<"$rep" | tr '\n' '|')"; fi
done
