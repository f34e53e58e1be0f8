#!/usr/bin/env bash
# hivetool check: exit 0 on valid hives, 1 with findings (each corrupt
# fixture names its defect), 2 when the file cannot be read; --json output
# parses.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
[ -x "$HT" ] || { skip hivetool_check "hivetool not built"; exit 0; }

# status NAME WANT CMD...: PASS when CMD exits with WANT
status() {
    local name=$1 want=$2 got
    shift 2
    "$@" >"$TEST_TMP/out" 2>&1
    got=$?
    if [ "$got" = "$want" ]; then pass "$name"; else fail "$name" "exit $got, wanted $want: $(head -c 300 "$TEST_TMP/out")"; fi
}

h=$TEST_TMP/new.hive
rm -f "$h"
"$HT" new --root NewStoreRoot "$h"
status check_new_hive_valid 0 "$HT" check "$h"
status check_missing_file 2 "$HT" check "$TEST_TMP/none"
printf 'regf' >"$TEST_TMP/short"
status check_short_file 1 "$HT" check "$TEST_TMP/short"
# flip one byte of the root's name length: findings, exit 1
cp "$h" "$TEST_TMP/bad.hive"
printf '\x00\x00' | dd of="$TEST_TMP/bad.hive" bs=1 seek=$((4096 + 32 + 4 + 72)) conv=notrunc 2>/dev/null
status check_bad_name_length 1 "$HT" check "$TEST_TMP/bad.hive"
if "$HT" check --json "$TEST_TMP/bad.hive" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert not d["valid"] and any(f["code"]=="key-name" for f in d["findings"])'; then
    pass check_json_names_code
else
    fail check_json_names_code "JSON missing or without key-name"
fi

if shared_or_skip check_corpus; then
F=$WR_SHARED/regf-fixtures
for f in "$F"/bcd/*; do
    case $f in *.reg|*.txt|*.LOG|*.LOG1|*.LOG2) continue ;; esac
    status "check_bcd_$(basename "$f")" 0 "$HT" check "$f"
done
while read -r file code; do
    name=check_corrupt_$(basename "$file")
    out=$("$HT" check --json "$F/$file" 2>&1)
    rc=$?
    if [ $rc = 1 ] && python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(f["code"]==sys.argv[2] for f in d["findings"])' "$out" "$code" 2>/dev/null; then
        pass "$name"
    else
        fail "$name" "exit $rc, wanted 1 with $code: $(head -c 300 <<<"$out")"
    fi
done <<'LIST'
corrupt/yarp-BadListHive shared-cell
corrupt/yarp-BadSubkeyHive shared-cell
corrupt/yarp-DuplicateSubkeysHive subkey-order
corrupt/yarp-EffectiveSizeHive header-bins-size
corrupt/yarp-GarbageHive header-checksum
corrupt/yarp-InvalidParentHive key-parent
corrupt/yarp-TruncatedDirtyHive truncated
corrupt/yarp-TruncatedHive truncated
corrupt/yarp-TruncatedHiveBin header-signature
corrupt/yarp-TruncatedNameHive key-size
corrupt/yarp-WrongOrderHive subkey-order
hives/regipy-SECURITY-dirty-nolog dirty
LIST
fi

# hivex hashes non-ASCII names over UTF-8 bytes: our check flags the wrong lh
# hash, and one edit through our writer (hivetool import rebuilds the list)
# makes it exact again.
if command -v hivexregedit >/dev/null; then
    h=$TEST_TMP/hivex-made.hive
    rm -f "$h"
    "$HT" new "$h"
    printf 'Windows Registry Editor Version 5.00\n\n[\\Ключ]\n\n[\\Zebra]\n' >"$TEST_TMP/k.reg"
    hivexregedit --merge "$h" "$TEST_TMP/k.reg" 2>/dev/null
    if "$HT" check "$h" | grep -q "warning subkey-hint"; then
        pass check_flags_hivex_hash
    else
        fail check_flags_hivex_hash "no subkey-hint warning on a hivex-written Cyrillic key"
    fi
    printf 'Windows Registry Editor Version 5.00\n\n[\\Apple]\n' >"$TEST_TMP/k2.reg"
    if "$HT" import "$h" "$TEST_TMP/k2.reg" >/dev/null 2>&1; then
        status check_writer_repairs_hash 0 "$HT" check "$h"
        grep -q "0 warnings" "$TEST_TMP/out" && pass check_writer_repairs_hash_no_warning ||
            fail check_writer_repairs_hash_no_warning "$(cat "$TEST_TMP/out")"
    else
        skip check_writer_repairs_hash "hivetool import failed"
    fi
else
    skip check_flags_hivex_hash "hivexregedit not installed"
fi
