#!/usr/bin/env bash
# The rescue engine in the app. Boot 1: our stick (wtg-rescue.conf
# `mode repair`) plus a broken host from the engine's failure-mode
# scenarios (test-images/scenarios/make-scenario.sh): the app diagnoses
# before the menu, repairs without asking, and the report it saves on the
# stick (named by the SMBIOS system UUID) names the scenario's failure id.
# Boot 2: the repaired host with a stick in `mode diagnose`: the judge now
# says OK. A `mode diagnose` run on a broken host writes nothing.
# The repair's progress lines (efi/README.md) come as it runs, between the
# consent and the per-action results: in the unattended run, and from the
# menu's `p` after answering y (a snapshot boot: its writes are dropped).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

SCEN=${APP_REPAIR_SCENARIOS:-bcd-missing}
UUID=7e57a001-0000-4000-8000-00000000a001
need_images app-repair "$IMG/stick.img" || exit 0
for t in "$BUILD/wtg-rescue" "$BUILD/bcdtool" "$BUILD/hivetool" "$BUILD/test-images/ntfs-mkdir"; do
    [ -x "$t" ] || { fail app-repair "missing $t (make test-assets)"; exit 0; }
done

# report IMG: the saved report's text from the stick's ESP.
report() { mcopy -n -i "$1@@$(esp_of "$1")" "::/wtg-rescue/reports/report-$UUID.txt" - 2>/dev/null; }
sums() { sha256sum "$@" | cut -c1-64; }
# progress_in_order CASE NAME [QUESTION_RE]: after the question (when
# given) and "Repairing...", the backup, each runnable action of the
# printed plan as [k/n] start then done, the verify, and only then the
# per-action results and the verdict after.
progress_in_order() {
    local why
    if why=$(serial "$2" | python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
ask = sys.argv[1]
def at(pred, what, start=0):
    for i in range(start, len(lines)):
        if pred(lines[i]):
            return i
    sys.exit("no line " + what)
plan = at(lambda l: re.match(r"Plan: \d+ action\(s\)$", l), "Plan: <n> action(s)")
acts, i = [], plan + 1
while i < len(lines) and re.match(r"  \d+\. ", lines[i]):
    refused = i + 1 < len(lines) and lines[i + 1].startswith("     refused: ")
    if not refused:
        acts.append(re.sub(r"^  \d+\. ", "", lines[i]))
    i += 1 + (i + 1 < len(lines) and lines[i + 1].startswith("     "))
start = plan
if ask:
    start = at(lambda l: re.search(ask, l), "/%s/" % ask, plan)
rep = at(lambda l: l == "Repairing...", "Repairing...", start)
res = at(lambda l: re.match(r"  1\. (done|failed): ", l), "  1. done|failed", rep)
after = at(lambda l: l.startswith("After the repair "), "After the repair", res)
n = len(acts)
want = [("[backup] copy ", " to the backup folder ..."), ("[backup] done: \\wtg-rescue\\backups\\", "")]
for k, a in enumerate(acts, 1):
    want += [("[%d/%d] %s ..." % (k, n, a), None), ("[%d/%d] done" % (k, n), None)]
want += [("[verify] ", " ..."), ("[verify] done", None)]
got = [l for l in lines[rep + 1:res] if l.startswith("[")]
if len(got) != len(want) or not n:
    sys.exit("%d progress lines for %d actions, expected %d: %r" % (len(got), n, len(want), got[:12]))
for g, (head, tail) in zip(got, want):
    if not (g == head if tail is None else g.startswith(head) and g.endswith(tail)):
        sys.exit("line %r, expected %r...%r" % (g, head, tail or ""))
if any(l.startswith("[") for l in lines[res:after]):
    sys.exit("a progress line after the results")
print("%d actions" % n)
' "${3:-}" 2>&1); then
        pass "$1"
    else
        fail "$1" "$why"
        show_tail "$2"
    fi
}

for name in $SCEN; do
    sc=$TEST_TMP/sc/$name
    scenario "app-repair-$name" "$name" "$sc" || continue
    id=$(sed -n 1p "$sc/expect")
    host=$(sed -n 1p "$sc/disks")

    # A diagnose-only run first: findings shown, nothing written.
    stick_with_conf "$TEST_TMP/diag.img" $'mode diagnose\ndefault menu\ntimeout -1'
    before=$(sums "$host")
    bootx "diag-$name" --persist --smbios-uuid "$UUID" --disk usb:"$TEST_TMP/diag.img" \
        --disk nvme:"$host" --layout all --on "$MENU_END" 's' --timeout 150
    has_line "app-repair-$name-diagnose-names-$id" "diag-$name" "^$id (error|warning|info): "
    has_line "app-repair-$name-diagnose-verdict-fails" "diag-$name" \
        '^Now Windows Boot Manager would stop with 0x'
    if [ "$(sums "$host")" = "$before" ]; then pass "app-repair-$name-diagnose-writes-nothing-to-the-host"
    else fail "app-repair-$name-diagnose-writes-nothing-to-the-host" "the host image changed"; fi
    if report "$TEST_TMP/diag.img" | grep -q "$id"; then pass "app-repair-$name-diagnose-report-saved"
    else fail "app-repair-$name-diagnose-report-saved" "no report-$UUID.txt naming $id on the stick"; fi

    # From the menu: p, the plan, the question, y; disks are snapshots here.
    stick_with_conf "$TEST_TMP/ask.img" $'default menu\ntimeout -1'
    bootx "ask-$name" --smbios-uuid "$UUID" --disk usb:"$TEST_TMP/ask.img" \
        --disk nvme:"$host" --layout all --on "$MENU_END" 'p' \
        --on '^Repair now\? .*\[y/N\] ' 'y' --on '^Press any key to return to the menu' ' ' \
        --on "$MENU_END" 's' --timeout 150
    progress_in_order "app-repair-$name-menu-progress-lines" "ask-$name" '^Repair now\? .*\[y/N\] y$'
    # The menu's diagnosis line (efi/health.c): errors before, none once
    # the menu comes back after the repair.
    dl=$(serial "ask-$name" | grep '^Diagnosis' || true)
    if grep -qE '^Diagnosis: [1-9][0-9]* error\(s\), [0-9]+ warning\(s\); worst: [GW][0-9]+ ' <<<"$(head -n1 <<<"$dl")"; then
        pass "app-repair-$name-menu-diagnosis-line-before"
    else fail "app-repair-$name-menu-diagnosis-line-before" "first diagnosis line: $(head -n1 <<<"$dl")"; fi
    if [ "$(grep -c . <<<"$dl")" -ge 2 ] && grep -q '^Diagnosis: no problems found' <<<"$(tail -n1 <<<"$dl")"; then
        pass "app-repair-$name-menu-diagnosis-line-after"
    else fail "app-repair-$name-menu-diagnosis-line-after" "diagnosis lines: $(tr '\n' '|' <<<"$dl")"; fi

    stick_with_conf "$TEST_TMP/fix.img" $'mode repair\ndefault menu\ntimeout -1'
    bootx "fix-$name" --persist --smbios-uuid "$UUID" --disk usb:"$TEST_TMP/fix.img" \
        --disk nvme:"$host" --layout all --on "$MENU_END" 's' --timeout 150
    has_line "app-repair-$name-unattended-line" "fix-$name" "^Unattended repair \\(wtg-rescue.conf\\), machine $UUID\$"
    has_line "app-repair-$name-backup-first" "fix-$name" '^Backup on the stick: \\wtg-rescue\\backups\\'
    progress_in_order "app-repair-$name-unattended-progress-lines" "fix-$name"
    has_line "app-repair-$name-verdict-ok" "fix-$name" \
        '^After the repair Windows Boot Manager would start Windows \(OK\)\.$'
    has_line "app-repair-$name-report-path" "fix-$name" \
        "^Report saved on the stick: .*report-$UUID\\.txt\$"
    rep=$(report "$TEST_TMP/fix.img")
    if grep -q "$id" <<<"$rep"; then pass "app-repair-$name-report-names-$id"
    else fail "app-repair-$name-report-names-$id" "the report on the stick does not name $id: $(head -c 300 <<<"$rep" | tr '\n' '|')"; fi

    # Boot 2: the repaired host, diagnosed afresh.
    stick_with_conf "$TEST_TMP/after.img" $'mode diagnose\ndefault menu\ntimeout -1'
    bootx "after-$name" --smbios-uuid "$UUID" --disk usb:"$TEST_TMP/after.img" \
        --disk nvme:"$host" --layout all --on "$MENU_END" 's' --timeout 150
    has_line "app-repair-$name-host-now-ok" "after-$name" \
        '^Now Windows Boot Manager would start Windows \(OK\)\.$'
    lacks_line "app-repair-$name-finding-gone" "after-$name" "^$id (error|warning): "
done
