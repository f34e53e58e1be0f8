#!/usr/bin/env bash
# bcdtool reading: goldens, every corpus store, the .reg cross-check,
# selections, ESP discovery and bad input.
source "$(dirname "$0")/../lib.sh"

BT=$BUILD/asan/bin/bcdtool
[ -x "$BT" ] || BT=$BUILD/bcdtool
FX=$WR_SHARED/regf-fixtures/bcd
GOLDEN=$REPO/tests/data/bcd/golden

stores() {
    for f in "$FX"/*; do
        case $f in *.reg|*.objects.txt|*.LOG|*.LOG1|*.LOG2) continue ;; esac
        echo "$f"
    done
}

# variant suffix of a golden file -> bcdtool arguments
variant_args() {
    case $1 in
        enum-all) echo "/enum all" ;;
        enum-all-v) echo "/enum all /v" ;;
        enum) echo "/enum" ;;
        enum-firmware) echo "/enum firmware" ;;
        enum-all-compat) echo "/enum all --compat" ;;
    esac
}

goldens() {
    local g base store variant args
    for g in "$GOLDEN"/*.txt; do
        base=$(basename "$g" .txt)
        variant=${base##*.}
        store=${base%.*}
        args=$(variant_args "$variant")
        if [ ! -f "$FX/$store" ]; then skip "golden $base" "$FX/$store absent"; continue; fi
        # shellcheck disable=SC2086
        if diff -u "$g" <("$BT" /store "$FX/$store" $args 2>&1) >"$TEST_TMP/diff" 2>&1; then
            pass "golden $base"
        else
            fail "golden $base" "$(head -n 12 "$TEST_TMP/diff" | tr '\n' ' ')"
        fi
    done
}

# The empty store prints nothing at all, as bcdedit does. Its goldens would
# be empty files, indistinguishable from the empty fixture logs, so the
# expectation is written here instead.
empty_store_prints_nothing() {
    local store=$FX/bcdsys-empty-store.BCD args out
    if [ ! -f "$store" ]; then skip "golden empty store" "$store absent"; return; fi
    for args in "/enum all" "/enum all /v"; do
        # shellcheck disable=SC2086
        out=$("$BT" /store "$store" $args 2>&1)
        if [ $? -eq 0 ] && [ -z "$out" ]; then
            pass "golden bcdsys-empty-store.BCD $args"
        else
            fail "golden bcdsys-empty-store.BCD $args" "expected no output, got: $(head -c 200 <<<"$out")"
        fi
    done
}

every_store_enumerates() {
    local s name out rc
    for s in $(stores); do
        name=$(basename "$s")
        for args in "/enum all" "/enum all /v" "/enum all --compat" "/enum" "--json"; do
            # shellcheck disable=SC2086
            out=$("$BT" /store "$s" $args 2>&1); rc=$?
            if [ $rc -ne 0 ] || grep -q 'decode' <<<"$out"; then
                fail "enumerate $name $args" "rc=$rc $(grep -m1 decode <<<"$out")"
                continue 2
            fi
        done
        # every object of the store is a section of /enum all
        n_obj=$(grep -c '^  {' "$s.objects.txt")
        n_sec=$("$BT" /store "$s" /enum all | grep -c '^identifier ')
        if [ "$n_obj" = "$n_sec" ]; then pass "enumerate $name ($n_sec objects)"
        else fail "enumerate $name" "$n_sec sections for $n_obj objects"; fi
    done
}

# Every element of the .reg export is in --json with the same registry type
# and bytes, and every device element decodes (no "error" field).
json_matches_reg() {
    local s name
    for s in $(stores); do
        name=$(basename "$s")
        "$BT" /store "$s" --json >"$TEST_TMP/j.json" 2>"$TEST_TMP/j.err" ||
            { fail "json vs .reg $name" "$(cat "$TEST_TMP/j.err")"; continue; }
        if out=$(python3 - "$s.reg" "$TEST_TMP/j.json" 2>&1 <<'PY'
import json, re, sys
reg = re.sub(r'\\\n\s*', '', open(sys.argv[1], encoding='utf-8', errors='replace').read())
want = {}
for m in re.finditer(r'\\Objects\\([^\\\]]+)\\Elements\\([0-9a-fA-F]{8})\]\n"Element"=hex\(([0-9a-f]+)\):([0-9a-f,]*)', reg):
    want[(m.group(1), m.group(2).lower())] = (int(m.group(3), 16), m.group(4).replace(',', ''))
doc = json.load(open(sys.argv[2]))
got = {}
devices = 0
for o in doc['objects']:
    for e in o['elements']:
        got[(o['key'], e['code'])] = (e['reg_type'], e['raw'])
        if 'error' in e:
            sys.exit('%s %s: %s' % (o['key'], e['code'], e['error']))
        devices += e['format'] == 'device'
if got != want:
    diff = set(got.items()) ^ set(want.items())
    sys.exit('differs: %s' % sorted(diff)[:3])
# Description values, of the store and of each object
def desc_values(path):
    sec = re.search(r'^\[' + re.escape(path) + r'\]\n((?:".*\n)*)', reg, re.M)
    out = {}
    for line in (sec.group(1).splitlines() if sec else []):
        m = re.match(r'"([^"]*)"=(dword:([0-9a-f]{8})|hex\(([0-9a-f]+)\):([0-9a-f,]*))$', line)
        if m and m.group(3):
            out[m.group(1)] = (4, bytes.fromhex(m.group(3))[::-1].hex())
        elif m:
            out[m.group(1)] = (int(m.group(4), 16), m.group(5).replace(',', ''))
    return out
def dumped(d): return {k: (v['type'], v['raw']) for k, v in d.items()}
if dumped(doc['description_values']) != desc_values('BCD\\Description'):
    sys.exit('store Description values differ')
for o in doc['objects']:
    if dumped(o['description_values']) != desc_values('BCD\\Objects\\%s\\Description' % o['key']):
        sys.exit('%s: Description values differ' % o['key'])
print(len(got), devices)
PY
); then
            pass "json vs .reg $name (elements, devices: $out)"
        else
            fail "json vs .reg $name" "$out"
        fi
    done
}

check_corpus() {
    local s name out
    for s in $(stores); do
        name=$(basename "$s")
        if out=$("$BT" /store "$s" --check 2>&1); then pass "check $name"
        else fail "check $name" "$(tail -n 2 <<<"$out" | tr '\n' ' ')"; fi
    done
    out=$("$BT" /store "$FX/windeploy-efi.BCD" --check)
    if grep -q 'recoverysequence names {d65367c8' <<<"$out" &&
       grep -q 'resumeobject names {bb9cb6e7' <<<"$out"; then
        pass "check reports windeploy-efi dangling references"
    else fail "check reports windeploy-efi dangling references" "$out"; fi
    out=$("$BT" /store "$FX/bitpixie-modded.BCD" --check)
    grep -q 'security: object {f7b79c82-5369-11f0-8888-dcf5055202e6}: pxesoftreboot: bitpixie' <<<"$out" &&
        grep -q 'security: object {e9f88ef3-fa6f-11eb-a962-ef6fc553cae8}: winpe' <<<"$out" &&
        pass "check shows the bitpixie modifications" || fail "check shows the bitpixie modifications" "$out"
    out=$("$BT" /store "$FX/x2100-esp-oldlog.BCD" --check)
    grep -q 'security: .*testsigning: test signing' <<<"$out" && pass "check shows testsigning" ||
        fail "check shows testsigning" "$out"
    out=$("$BT" /store "$FX/z590-esp.BCD" --check)
    ! grep -q 'security:' <<<"$out" && pass "check: an ordinary store has no security notes" ||
        fail "check: an ordinary store has no security notes" "$(grep security: <<<"$out" | head -n 2)"
}

selections() {
    local nuc=$FX/nuc8-esp.BCD out
    out=$("$BT" /store "$nuc" /enum OSLOADER)
    [ "$(grep -c '^identifier' <<<"$out")" = 2 ] && ! grep -q 'Boot Manager' <<<"$out" &&
        pass "enum osloader" || fail "enum osloader" "$out"
    out=$("$BT" -STORE "$nuc" -ENUM '{DEFAULT}' -V)
    grep -q '^identifier              {f22ea33f-7a75-11ec-8c50-afef9983f4f2}' <<<"$out" &&
        [ "$(grep -c '^identifier' <<<"$out")" = 1 ] &&
        pass "enum {default} /v, dash prefix, any case" || fail "enum {default} /v" "$out"
    out=$("$BT" /store "$nuc" /enum inherit | grep -c '^identifier')
    [ "$out" = 7 ] && pass "enum inherit" || fail "enum inherit" "$out sections"
    out=$("$BT" /store "$nuc" /enum resume | grep -c '^identifier')
    [ "$out" = 1 ] && pass "enum resume" || fail "enum resume" "$out sections"
    out=$("$BT" /store "$nuc" /enum bootmgr | grep -c '^identifier')
    [ "$out" = 1 ] && pass "enum bootmgr" || fail "enum bootmgr" "$out sections"
    out=$("$BT" /store "$nuc" /enum bootapp | grep -c '^identifier')
    [ "$out" = 4 ] && pass "enum bootapp" || fail "enum bootapp" "$out sections"
    out=$("$BT" /store "$nuc" /enum '{current}' 2>&1) &&
        fail "enum {current} refused" "exit 0" ||
        { grep -q 'does not exist offline' <<<"$out" && pass "enum {current} refused" ||
          fail "enum {current} refused" "$out"; }
    out=$("$BT" /store "$nuc" /enum '{01234567-89ab-cdef-0123-456789abcdef}' 2>&1) &&
        fail "enum unknown id" "exit 0" ||
        { grep -q 'not found' <<<"$out" && pass "enum unknown id" || fail "enum unknown id" "$out"; }
    out=$("$BT" /store "$nuc" /enum bogus 2>&1) && fail "enum bad type" "exit 0" ||
        { grep -q 'not a valid /enum type' <<<"$out" && pass "enum bad type" ||
          fail "enum bad type" "$out"; }
}

esp_discovery() {
    local d=$TEST_TMP/esp out
    mkdir -p "$d/a/EFI/MICROSOFT/Boot" "$d/b/efi/Microsoft/boot"
    cp "$FX/nuc8-esp.BCD" "$d/a/EFI/MICROSOFT/Boot/BCD"
    : >"$TEST_TMP/mounts"
    out=$(BCDTOOL_ESP_DIRS="$d/a:$d/none" BCDTOOL_PROC_MOUNTS=$TEST_TMP/mounts "$BT" /enum 2>&1) &&
        grep -q 'Windows Boot Manager' <<<"$out" && pass "esp: one store found (any case)" ||
        fail "esp: one store found" "$out"
    cp "$FX/z590-esp.BCD" "$d/b/efi/Microsoft/boot/bcd"
    echo "/dev/sdz1 $d/b vfat rw 0 0" >"$TEST_TMP/mounts"
    out=$(BCDTOOL_ESP_DIRS="$d/a" BCDTOOL_PROC_MOUNTS=$TEST_TMP/mounts "$BT" /enum 2>&1) &&
        fail "esp: two stores refused" "exit 0" ||
        { grep -q 'choose one with /store' <<<"$out" && pass "esp: two stores refused" ||
          fail "esp: two stores refused" "$out"; }
    : >"$TEST_TMP/mounts"
    out=$(BCDTOOL_ESP_DIRS="$d/none" BCDTOOL_PROC_MOUNTS=$TEST_TMP/mounts "$BT" /enum 2>&1) &&
        fail "esp: none found" "exit 0" ||
        { grep -q 'use /store FILE\|with /store FILE' <<<"$out" && pass "esp: none found" ||
          fail "esp: none found" "$out"; }
}

bad_input() {
    local out t=$TEST_TMP/bad
    mkdir -p "$t"
    out=$("$BT" /store "$t/missing.BCD" /enum 2>&1) && fail "missing store" "exit 0" ||
        { grep -q 'No such file' <<<"$out" && pass "missing store" || fail "missing store" "$out"; }
    echo "not a hive" >"$t/text"
    out=$("$BT" /store "$t/text" /enum 2>&1) && fail "non-hive file" "exit 0" ||
        { grep -q 'not a registry hive' <<<"$out" && pass "non-hive file" ||
          fail "non-hive file" "$out"; }
    head -c 12000 "$FX/nuc8-esp.BCD" >"$t/trunc"
    out=$("$BT" /store "$t/trunc" /enum all 2>&1) && fail "truncated store" "exit 0" ||
        { grep -q 'could not be opened' <<<"$out" && pass "truncated store" ||
          fail "truncated store" "$out"; }
    out=$("$BT" /store "$WR_SHARED/regf-fixtures/hives/$(ls "$WR_SHARED/regf-fixtures/hives" | head -n 1)" /enum 2>&1) &&
        fail "hive that is no BCD" "exit 0" ||
        { grep -q 'not a BCD store\|could not be opened' <<<"$out" && pass "hive that is no BCD" ||
          fail "hive that is no BCD" "$out"; }
    out=$("$BT" /enum all extra 2>&1) && fail "extra argument" "exit 0" || pass "extra argument"
}

shared_or_skip "bcdtool enum" || exit 0
goldens
empty_store_prints_nothing
every_store_enumerates
json_matches_reg
check_corpus
selections
esp_discovery
bad_input
