#!/usr/bin/env bash
# hivetool recover FILE -o OUT on the dirty fixtures, checked against what
# Windows produced and against hivex as a second reader.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
D=$WR_SHARED/regf-fixtures/dirty

if [ ! -x "$HT" ]; then
    fail hivetool_recover_built "$HT not built"
    exit 0
fi
shared_or_skip hivetool_recover_fixtures || exit 0

# bins FILE: the bins bytes (4096 .. 4096 + bins size) as hex.
bins() {
    local size
    size=$(od -An -t u4 -j 40 -N 4 "$1" | tr -d ' ')
    tail -c +4097 "$1" | head -c "$size" | od -An -v -t x1
}

# copy_set DIR: the fixture directory copied to $TEST_TMP/DIR (writable).
copy_set() {
    rm -rf "${TEST_TMP:?}/$1"
    cp -r "$D/$1" "$TEST_TMP/$1" && chmod -R u+w "$TEST_TMP/$1"
}

case_newdirty1() {
    copy_set yarp-NewDirtyHive1
    local out=$TEST_TMP/nd1.out
    if ! "$HT" recover "$TEST_TMP/yarp-NewDirtyHive1/NewDirtyHive" -o "$out" >"$TEST_TMP/log" 2>&1; then
        fail recover_newdirty1 "$(tail -n 2 "$TEST_TMP/log" | tr '\n' ' ')"
        return
    fi
    if [ "$(bins "$out")" != "$(bins "$D/yarp-NewDirtyHive1/RecoveredHive_Windows10")" ]; then
        fail recover_newdirty1 "bins differ from RecoveredHive_Windows10"
        return
    fi
    local s1 s2
    s1=$(od -An -t u4 -j 4 -N 4 "$out" | tr -d ' ')
    s2=$(od -An -t u4 -j 8 -N 4 "$out" | tr -d ' ')
    if [ "$s1" != "$s2" ]; then fail recover_newdirty1 "output is dirty ($s1/$s2)"; return; fi
    pass recover_newdirty1
}

case_hivex_agrees() {
    command -v hivexregedit >/dev/null || { skip recover_hivex_export "hivexregedit not installed"; return; }
    local out=$TEST_TMP/nd1.out
    [ -f "$out" ] || { fail recover_hivex_export "no output from the previous case"; return; }
    if diff <(hivexregedit --export "$out" '\' 2>&1) \
            <(hivexregedit --export "$D/yarp-NewDirtyHive1/RecoveredHive_Windows10" '\' 2>&1) \
            >"$TEST_TMP/diff"; then
        pass recover_hivex_export
    else
        fail recover_hivex_export "hivexregedit exports differ: $(head -n 3 "$TEST_TMP/diff" | tr '\n' ' ')"
    fi
}

# recovered_ok NAME DIR HIVE: recovers and has hivexml accept the result.
recovered_ok() {
    local name=$1 dir=$2 hive=$3 out=$TEST_TMP/$1.out
    copy_set "$dir"
    if ! "$HT" recover "$TEST_TMP/$dir/$hive" -o "$out" >"$TEST_TMP/log" 2>&1; then
        fail "$name" "$(tail -n 2 "$TEST_TMP/log" | tr '\n' ' ')"
        return
    fi
    if ! "$HT" check "$out" >"$TEST_TMP/check" 2>&1; then
        fail "$name" "our validator: $(head -n 2 "$TEST_TMP/check" | tr '\n' ' ')"
        return
    fi
    if command -v hivexml >/dev/null && ! hivexml "$out" >/dev/null 2>"$TEST_TMP/hx"; then
        fail "$name" "hivexml rejects the result: $(head -c 200 "$TEST_TMP/hx")"
        return
    fi
    if ! grep -q "$4" "$TEST_TMP/log"; then
        fail "$name" "report lacks '$4': $(tr '\n' ' ' <"$TEST_TMP/log")"
        return
    fi
    pass "$name"
}

# refused NAME DIR HIVE WANT: exit 1, no output, message naming the defect.
refused() {
    local name=$1 dir=$2 hive=$3 want=$4 out=$TEST_TMP/$1.out rc=0
    copy_set "$dir"
    local before
    before=$(cat "$TEST_TMP/$dir"/* | md5sum)
    "$HT" recover "$TEST_TMP/$dir/$hive" -o "$out" >"$TEST_TMP/log" 2>&1 || rc=$?
    if [ "$rc" != 1 ]; then fail "$name" "exit status $rc, expected 1"; return; fi
    if [ -e "$out" ]; then fail "$name" "wrote $out anyway"; return; fi
    if [ "$(cat "$TEST_TMP/$dir"/* | md5sum)" != "$before" ]; then fail "$name" "inputs changed"; return; fi
    if ! grep -q "$want" "$TEST_TMP/log"; then
        fail "$name" "message lacks '$want': $(tail -n 1 "$TEST_TMP/log")"
        return
    fi
    pass "$name"
}

case_refuses_own_file() {
    copy_set yarp-NewDirtyHive2
    local f=$TEST_TMP/yarp-NewDirtyHive2/NewDirtyHive rc=0 before
    before=$(md5sum <"$f")
    "$HT" recover "$f" -o "$f" >"$TEST_TMP/log" 2>&1 || rc=$?
    if [ "$rc" = 2 ] && [ "$(md5sum <"$f")" = "$before" ] && grep -q refusing "$TEST_TMP/log"; then
        pass recover_refuses_input
    else
        fail recover_refuses_input "status $rc: $(tail -n 1 "$TEST_TMP/log")"
    fi
    rc=0
    "$HT" recover "$f" -o "$f.LOG2" >"$TEST_TMP/log" 2>&1 || rc=$?
    if [ "$rc" = 2 ]; then pass recover_refuses_log; else fail recover_refuses_log "status $rc"; fi
}

case_usage() {
    local rc=0
    "$HT" recover >/dev/null 2>&1 || rc=$?
    if [ "$rc" = 2 ]; then pass recover_usage; else fail recover_usage "status $rc"; fi
}

case_newdirty1
case_hivex_agrees
recovered_ok recover_newdirty2 yarp-NewDirtyHive2 NewDirtyHive "sequence 5"
recovered_ok recover_bad_base_block yarp-BadBaseBlockHive BadBaseBlockHive "base block from the log"
recovered_ok recover_old_format yarp-OldDirtyHive OldDirtyHive "64 dirty pages"
recovered_ok recover_ntuser regipy-transactions-NTUSER NTUSER.DAT "23 entries"
# Windows 7's own recovery of OldDirtyHive: same keys and values as ours
# (its bytes differ, Windows wrote more afterwards), unlike the dirty primary.
case_old_matches_windows7() {
    local ours=$TEST_TMP/recover_old_format.out w7=$D/yarp-OldDirtyHive/RecoveredHive_Windows7
    [ -f "$ours" ] || { fail recover_old_matches_windows7 "no output from recover_old_format"; return; }
    local a b c
    a=$("$HT" walk "$ours" | sed 's/^file=[^ ]* //')
    b=$("$HT" walk "$w7" | sed 's/^file=[^ ]* //')
    c=$("$HT" walk "$D/yarp-OldDirtyHive/OldDirtyHive" | sed 's/^file=[^ ]* //')
    if [ "$a" = "$b" ] && [ "$a" != "$c" ]; then
        pass recover_old_matches_windows7
    else
        fail recover_old_matches_windows7 "ours: $a; Windows 7: $b"
    fi
}
case_old_matches_windows7
refused recover_badlog1 yarp-BadLogHive1 BadLogHive "checksum"
refused recover_badlog2 yarp-BadLogHive2 BadLogHive "DIRT"
refused recover_badlog3 yarp-BadLogHive3 BadLogHive "checksum"
case_refuses_own_file
case_usage
