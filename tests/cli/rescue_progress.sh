#!/usr/bin/env bash
# wtg-rescue repair --apply, rebuild --apply and undo --apply print a
# progress line on stderr as each step starts and ends: the backup, every
# action of the plan in plan order ("[k/n] <action> ..." then
# "[k/n] done"), the verify, then the summary; undo one line pair per
# restore step of the manifest. The lines are the engine's (lib/rescue
# progress.c), the same the app prints over serial.
source "$(dirname "$0")/../lib.sh"
need_rescue_cli rescue_progress || exit 0

# check_apply NAME OUT: OUT holds stderr then stdout (the text report,
# flushed at exit). The plan's runnable actions, as the report lists
# them, must each be announced and then done, in order, after the backup
# and before the verify, and all before "report saved".
check_apply() {
    python3 - "$2" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
def idx(pred, what):
    for i, l in enumerate(lines):
        if pred(l):
            return i
    sys.exit("no line " + what)
plan_at = idx(lambda l: l.startswith("Plan (applied): "), "Plan (applied)")
acts = []
for i in range(plan_at + 1, len(lines)):
    m = re.match(r"  \d+\. \[\w+\] (.*)$", lines[i])
    if m:
        refused = i + 1 < len(lines) and "REFUSED:" in lines[i + 1]
        if not refused:
            acts.append(m.group(1))
if len(acts) < 2:
    sys.exit("fewer than 2 runnable actions in the plan: %r" % acts)
n = len(acts)
prog = [l for l in lines[:plan_at] if l.startswith("[")]
expect = [("[backup] ", " ..."), ("[backup] done: \\wtg-rescue\\backups\\", "")]
for k, a in enumerate(acts, 1):
    expect += [("[%d/%d] %s ..." % (k, n, a), None), ("[%d/%d] done" % (k, n), None)]
expect += [("[verify] ", " ..."), ("[verify] done", None)]
if len(prog) != len(expect):
    sys.exit("%d progress lines, expected %d: %r" % (len(prog), len(expect), prog))
for got, (head, tail) in zip(prog, expect):
    ok = got == head if tail is None else (got.startswith(head) and got.endswith(tail))
    if not ok:
        sys.exit("line %r, expected %r...%r" % (got, head, tail or ""))
saved = idx(lambda l: l.startswith("wtg-rescue: report saved on the stick: "), "report saved")
last = max(i for i, l in enumerate(lines) if l == "[verify] done")
if not last < saved < plan_at:
    sys.exit("order: verify done at %d, report saved at %d, summary at %d" % (last, saved, plan_at))
print("%d actions" % n)
PY
}

D=$TEST_TMP/progress
# repair: gpt-clone's plan re-points the BCD and adds the firmware entry;
# rebuild: boot files, a new BCD and the entry.
for cmd in repair rebuild; do
    scen=bcd-missing
    [ $cmd = repair ] && scen=gpt-clone
    if ! out=$(bash "$MK" $scen "$D/$cmd" "$BUILD" 2>&1); then
        fail "rescue_progress_$cmd" "scenario build failed: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
        continue
    fi
    args=()
    while read -r d; do args+=(--disk "$d"); done <"$D/$cmd/disks"
    args+=(--stick "$D/$cmd/stick.img" --nvram "$D/$cmd/nvram")
    extra=()
    [ $cmd = rebuild ] && extra=(--windows "$D/$cmd/disk.img:3")
    "$WR" $cmd "${extra[@]}" --apply "${args[@]}" >"$D/$cmd.out" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "rescue_progress_$cmd" "exit $rc: $(tail -n 3 "$D/$cmd.out" | tr '\n' ' ')"
    elif why=$(check_apply $cmd "$D/$cmd.out" 2>&1); then
        pass "rescue_progress_$cmd"
    else
        fail "rescue_progress_$cmd" "$why"
    fi
    # A dry run says nothing of progress: nothing runs.
    "$WR" $cmd "${extra[@]}" "${args[@]}" >"$D/$cmd.dry" 2>&1
    if grep -q '^\[' "$D/$cmd.dry"; then
        fail "rescue_progress_${cmd}_dry_run_silent" "$(grep -m1 '^\[' "$D/$cmd.dry")"
    else
        pass "rescue_progress_${cmd}_dry_run_silent"
    fi
done

# undo --apply of the rebuild: one start and one end line per step, the
# steps being the manifest's file and var lines in order, one for the
# folders the repair made (when any), then the raw images.
args=(--disk "$D/rebuild/disk.img" --stick "$D/rebuild/stick.img" --nvram "$D/rebuild/nvram")
backup=$(sed -n 's/^Backup: \(.*\) (undo restores it)$/\1/p' "$D/rebuild.out")
"$WR" undo "$backup" "${args[@]}" >"$D/manifest.txt" 2>&1
"$WR" undo "$backup" --apply "${args[@]}" >"$D/undo.out" 2>"$D/undo.err"
rc=$?
if [ -z "$backup" ] || [ $rc -ne 0 ]; then
    fail rescue_progress_undo "no backup to undo or exit $rc: $(tail -n 2 "$D/undo.err" | tr '\n' ' ')"
elif why=$(python3 - "$D/manifest.txt" "$D/undo.err" <<'PY' 2>&1
import sys
man = open(sys.argv[1]).read().split("\n")
err = [l for l in open(sys.argv[2]).read().split("\n") if l.startswith("[")]
steps = [l.split("\t") for l in man if l.startswith(("file\t", "var\t"))]
want = []
for f in steps:
    if f[0] == "file":
        verb = "restore " + f[2] if f[3] != "-" else "remove %s if the repair created it" % f[2]
        want.append((": " + verb + " ...",))
    else:
        verb = "restore" if f[4] != "-" else "delete"
        tail = "" if f[4] != "-" else " if the repair created it"
        want.append(("] firmware: %s variable %s%s ..." % (verb, f[1], tail),))
if any(l.startswith("dir\t") for l in man):
    want.append(("] remove the folders the repair created ...",))
want += [(": write back the raw image if its files are as before ...",)
         for l in man if l.startswith("raw\t")]
n = len(want)
if len(err) != 2 * n:
    sys.exit("%d progress lines for %d steps: %r" % (len(err), n, err))
for k, (tail,) in enumerate(want, 1):
    start, end = err[2 * k - 2], err[2 * k - 1]
    if not (start.startswith("[%d/%d] " % (k, n)) and start.endswith(tail)):
        sys.exit("step %d: %r, expected ...%r" % (k, start, tail))
    if end != "[%d/%d] done" % (k, n):
        sys.exit("step %d ended %r" % (k, end))
print(n)
PY
); then
    if grep -q '^undo complete' "$D/undo.out"; then pass rescue_progress_undo
    else fail rescue_progress_undo "no 'undo complete' line"; fi
else
    fail rescue_progress_undo "$why"
fi
