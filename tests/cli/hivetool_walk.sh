#!/usr/bin/env bash
# hivetool walk against a second reader built on libhivex (build/bench/
# hivex_walk): on every fixture hivex can open, and on hives made here by our
# writer plus hivexregedit --merge, the walk lines must be identical.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
HX=$BUILD/bench/hivex_walk
if [ ! -x "$HX" ] || [ ! -x "$HT" ]; then
    skip hivetool_walk "build/bench/hivex_walk or hivetool not built (libhivex-dev missing?)"
    exit 0
fi

# compare NAME FILE: PASS when both readers print the same line; SKIP when
# hivex cannot open the file.
compare() {
    local name=$1 file=$2 ours theirs
    if ! theirs=$("$HX" "$file" 2>/dev/null); then
        skip "$name" "hivex cannot walk it"
        return
    fi
    ours=$("$HT" walk "$file" 2>&1)
    if [ "$ours" = "$theirs" ]; then pass "$name"; else fail "$name" "ours: $ours | hivex: $theirs"; fi
}

# Hives made at test time keep the comparison meaningful without ../shared.
mk_reg() {
    cat <<'REG'
Windows Registry Editor Version 5.00

[\Objects]

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}]
"Element"=hex(1):57,00,69,00,6e,00,00,00
"Größe"=dword:00000005
"empty"=hex(3):
"three"=hex(3):01,02,03

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements]

[\Ключ]
"значение"=hex(3):01,02,03,04,05
@=hex(2):41,00,00,00

[\zz]

[\zz\deep]
"multi"=hex(7):61,00,00,00,62,00,00,00,00,00
REG
}

if command -v hivexregedit >/dev/null; then
    for minor in 3 5; do
        h=$TEST_TMP/made-$minor.hive
        rm -f "$h"
        if "$HT" new --minor $minor --root NewStoreRoot "$h" &&
            mk_reg >"$TEST_TMP/made.reg" && hivexregedit --merge "$h" "$TEST_TMP/made.reg" 2>/dev/null; then
            compare "walk_made_hive_1.$minor" "$h"
        else
            fail "walk_made_hive_1.$minor" "could not make the hive"
        fi
    done
else
    skip walk_made_hive "hivexregedit not installed"
fi

# --repeat prints one line and the same one
h=$TEST_TMP/made-3.hive
if [ -f "$h" ]; then
    a=$("$HT" walk "$h"); b=$("$HT" walk --repeat 3 "$h")
    if [ "$a" = "$b" ]; then pass walk_repeat_same_line; else fail walk_repeat_same_line "$a vs $b"; fi
fi

# a missing file is an error, not a line
if "$HT" walk "$TEST_TMP/no-such-file" >/dev/null 2>&1; then
    fail walk_missing_file "exit 0"
else
    pass walk_missing_file
fi

shared_or_skip walk_corpus || exit 0
F=$WR_SHARED/regf-fixtures
for f in "$F"/bcd/* "$F"/hives/* "$F"/corrupt/*; do
    case $f in *.reg|*.txt|*.LOG|*.LOG1|*.LOG2) continue ;; esac
    compare "walk_$(basename "$(dirname "$f")")_$(basename "$f")" "$f"
done

# salvage mode walks what is left of broken hives and says so
for c in "corrupt/yarp-TruncatedHive keys=2" "corrupt/yarp-WrongOrderHive keys=11" "corrupt/yarp-BadListHive keys=7"; do
    set -- $c
    out=$("$HT" walk --salvage "$F/$1" 2>&1)
    if [ $? = 0 ] && grep -q " $2 " <<<"$out" && grep -q "salvaged:" <<<"$out"; then
        pass "walk_salvage_$(basename "$1")"
    else
        fail "walk_salvage_$(basename "$1")" "$(head -c 300 <<<"$out")"
    fi
done
