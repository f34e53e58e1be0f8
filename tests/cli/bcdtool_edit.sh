#!/usr/bin/env bash
# bcdtool edits. Each edit is re-read three ways: bcdtool itself, the
# hivexregedit --export difference (exactly the intended keys and values
# change), and the validators (bcdtool --check = lib/regf + BCD checks, and
# hivexml).
source "$(dirname "$0")/../lib.sh"

BT=$BUILD/asan/bin/bcdtool
[ -x "$BT" ] || BT=$BUILD/bcdtool
FX=$WR_SHARED/regf-fixtures/bcd
LOADER='{f22ea33f-7a75-11ec-8c50-afef9983f4f2}'     # nuc8-esp {default}
WINRE='{f22ea340-7a75-11ec-8c50-afef9983f4f2}'
RESUME='{f22ea33e-7a75-11ec-8c50-afef9983f4f2}'

# One line per key ("PATH") and per value ("PATH|name=data") of a hive.
flat() {
    hivexregedit --export --prefix BCD "$1" '\' 2>/dev/null | python3 -c '
import re, sys
text = re.sub(r"\\\n\s*", "", sys.stdin.read())
key = None
for line in text.splitlines():
    if line.startswith("[") and line.endswith("]"):
        key = line[1:-1]; print(key)
    elif line and key is not None and not line.startswith("Windows Registry"):
        print(key + "|" + line)
' | sort
}

# changes BEFORE AFTER: "+ line" / "- line" for every difference.
changes() {
    diff <(flat "$1") <(flat "$2") | sed -n 's/^< /- /p; s/^> /+ /p'
}

# expect_changes NAME BEFORE AFTER PATTERN...: every changed line matches one
# of the patterns and every pattern matches some changed line.
expect_changes() {
    local name=$1 before=$2 after=$3 line p ok
    shift 3
    changes "$before" "$after" >"$TEST_TMP/changes"
    if [ ! -s "$TEST_TMP/changes" ]; then fail "$name: export diff" "nothing changed"; return 1; fi
    while IFS= read -r line; do
        ok=0
        for p in "$@"; do grep -qE -- "$p" <<<"$line" && { ok=1; break; }; done
        if [ $ok = 0 ]; then fail "$name: export diff" "unexpected change: $line"; return 1; fi
    done <"$TEST_TMP/changes"
    for p in "$@"; do
        if ! grep -qE -- "$p" "$TEST_TMP/changes"; then
            fail "$name: export diff" "no change matches $p"; return 1
        fi
    done
    pass "$name: export diff"
}

validators() {
    local name=$1 f=$2 out
    if out=$("$BT" /store "$f" --check 2>&1) && grep -q 'hive: 0 error(s); BCD: 0 error(s)' <<<"$out"
    then pass "$name: bcdtool --check"
    else fail "$name: bcdtool --check" "$(tail -n 2 <<<"$out" | tr '\n' ' ')"; fi
    if hivexml "$f" >/dev/null 2>&1; then pass "$name: hivexml"
    else fail "$name: hivexml" "hivexml rejects the store"; fi
}

fresh() {
    cp "$FX/$1" "$TEST_TMP/$2"
    echo "$TEST_TMP/$2"
}

# edit_case NAME READBACK_PATTERN -- BCDTOOL-ARGS... -- CHANGE-PATTERNS...
edit_case() {
    local name=$1 readback=$2 s orig out
    shift 3
    local args=()
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    shift
    s=$(fresh nuc8-esp.BCD "edit.BCD")
    orig=$(fresh nuc8-esp.BCD "orig.BCD")
    if ! out=$("$BT" /store "$s" "${args[@]}" 2>&1); then
        fail "$name" "$(tail -n 2 <<<"$out" | tr '\n' ' ')"; return
    fi
    if "$BT" /store "$s" /enum all /v | grep -qE -- "$readback"; then pass "$name: read back"
    else fail "$name: read back" "no line matches $readback"; fi
    expect_changes "$name" "$orig" "$s" "$@"
    validators "$name" "$s"
}

EL='[^|]*\\Elements\\'
edits() {
    edit_case "set nx" '^nx +AlwaysOff$' -- /set '{default}' nx AlwaysOff -- \
        "^- .*f22ea33f${EL}25000020\|\"Element\"=hex\(3\):00," \
        "^\+ .*f22ea33f${EL}25000020\|\"Element\"=hex\(3\):02,00,00,00,00,00,00,00$"
    edit_case "set description" '^description +Rescue test$' -- \
        -SET '{DEFAULT}' DESCRIPTION 'Rescue test' -- \
        "^- .*f22ea33f${EL}12000004\|" \
        "^\+ .*f22ea33f${EL}12000004\|\"Element\"=hex\(1\):52,00,65,00,73,00,63,00,75,00,65,00,20,00,74,00,65,00,73,00,74,00,00,00$"
    edit_case "set custom element" "^custom:54000001 +$LOADER" -- \
        /set '{bootmgr}' custom:54000001 '{default}' -- \
        "^\+ .*9dea862c${EL}54000001$" \
        "^\+ .*9dea862c${EL}54000001\|\"Element\"=hex\(7\):7b,00,66,00,32,00,32,00,65,00,61,00,33,00,33,00,66,00"
    edit_case "deletevalue" '^nx +OptIn$' -- /deletevalue '{default}' bootmenupolicy -- \
        "^- .*f22ea33f${EL}250000c2(\||$)"
    edit_case "set device (mbr partition)" '^device +partition=mbr:12345678/0x100000$' -- \
        /set '{default}' device partition=mbr:12345678/0x100000 -- \
        "^- .*f22ea33f${EL}11000001\|" \
        "^\+ .*f22ea33f${EL}11000001\|\"Element\"=hex\(3\):(00,){16}06,00,00,00,00,00,00,00,48,00,00,00,00,00,00,00,00,00,10,00,(00,){16}01,00,00,00,78,56,34,12,"
    edit_case "set ramdisk device" '^device +ramdisk=\[boot\]\\sources\\boot.wim,\{f22ea341' -- \
        /set '{default}' device 'ramdisk=[boot]\sources\boot.wim,{f22ea341-7a75-11ec-8c50-afef9983f4f2}' -- \
        "^- .*f22ea33f${EL}11000001\|" "^\+ .*f22ea33f${EL}11000001\|\"Element\"=hex\(3\):41,a3,2e,f2"
    edit_case "timeout" '^timeout +5$' -- /timeout 5 -- \
        "^- .*9dea862c${EL}25000004\|" \
        "^\+ .*9dea862c${EL}25000004\|\"Element\"=hex\(3\):05,00,00,00,00,00,00,00$"
    edit_case "default" "^default +$WINRE" -- /default "$WINRE" -- \
        "^- .*9dea862c${EL}23000003\|" "^\+ .*9dea862c${EL}23000003\|\"Element\"=hex\(1\):7b,00,66,00,32,00,32,00,65,00,61,00,33,00,34,00,30,00"
    edit_case "displayorder addlast" "^ +$WINRE" -- /displayorder "$WINRE" /addlast -- \
        "^- .*9dea862c${EL}24000001\|" "^\+ .*9dea862c${EL}24000001\|\"Element\"=hex\(7\):"
    edit_case "toolsdisplayorder remove" '^timeout +30$' -- /toolsdisplayorder '{memdiag}' /remove -- \
        "^- .*9dea862c${EL}24000010(\||$)"
    edit_case "bootsequence" "^bootsequence +$LOADER" -- /bootsequence '{default}' -- \
        "^\+ .*9dea862c${EL}24000002(\||$)"
    edit_case "create osloader" '^description +Test entry$' -- \
        /create /d 'Test entry' /application osloader -- \
        '^\+ BCD\\Objects\\\{[0-9a-f-]{36}\}$' \
        '^\+ BCD\\Objects\\\{[0-9a-f-]{36}\}\\Description$' \
        '^\+ BCD\\Objects\\\{[0-9a-f-]{36}\}\\Description\|"Type"=dword:10200003$' \
        '^\+ BCD\\Objects\\\{[0-9a-f-]{36}\}\\Elements$' \
        '^\+ BCD\\Objects\\\{[0-9a-f-]{36}\}\\Elements\\12000004(\|"Element"=hex\(1\):54,00,65,00,73,00,74,00.*)?$'
    edit_case "debug on" '^debug +Yes$' -- /debug on -- \
        "^\+ .*f22ea33f${EL}260000a0(\|\"Element\"=hex\(3\):01)?$"
    edit_case "bootems {bootmgr} on" '^bootems +Yes$' -- /BOOTEMS '{bootmgr}' on -- \
        "^\+ .*9dea862c${EL}16000020(\|\"Element\"=hex\(3\):01)?$"
    edit_case "delete {memdiag} /f" '^timeout +30$' -- /delete '{memdiag}' /f -- \
        '^- BCD\\Objects\\\{b2721d73-1db4-4c62-bf78-c548a880142d\}' \
        "^- .*9dea862c${EL}24000010(\||$)"
    edit_case "copy" '^description +Copy of Windows$' -- /copy '{default}' /d 'Copy of Windows' -- \
        '^\+ BCD\\Objects\\\{[0-9a-f-]{36}\}(\\Description(\|"Type"=dword:10200003)?|\\Elements(\\[0-9a-f]{8}(\|"Element"=.*)?)?)?$' \
        "^- .*9dea862c${EL}24000001\|" "^\+ .*9dea862c${EL}24000001\|"
}

image_partition() {
    local img=$TEST_TMP/disk.img s out
    command -v sgdisk >/dev/null || { skip "partition=IMAGE:N" "sgdisk not installed"; return; }
    truncate -s 8M "$img"
    sgdisk -o -U 0d15c0de-0000-4000-8000-000000000001 -n 1:2048:+1M -n 2:0:0 \
        -u 2:0d15c0de-0000-4000-8000-000000000002 "$img" >/dev/null 2>&1
    s=$(fresh nuc8-esp.BCD img.BCD)
    if out=$("$BT" /store "$s" /set '{default}' osdevice "partition=$img:2" 2>&1) &&
       "$BT" /store "$s" /enum '{default}' | grep -q \
           '^osdevice *partition=gpt:{0d15c0de-0000-4000-8000-000000000001}/{0d15c0de-0000-4000-8000-000000000002}$'
    then pass "partition=IMAGE:N reads the GUIDs from the image"
    else fail "partition=IMAGE:N reads the GUIDs from the image" "$out"; fi
    out=$("$BT" /store "$s" /set '{default}' osdevice "partition=$img:7" 2>&1) &&
        fail "partition=IMAGE:7 (absent) refused" "exit 0" ||
        { grep -q 'no partition 7' <<<"$out" && pass "partition=IMAGE:7 (absent) refused" ||
          fail "partition=IMAGE:7 (absent) refused" "$out"; }
}

round_trips() {
    local s orig id out
    s=$(fresh nuc8-esp.BCD rt.BCD)
    orig=$(fresh nuc8-esp.BCD rt-orig.BCD)
    out=$("$BT" /store "$s" /create /d 'Temporary' /application osloader) || { fail "create/delete round trip" "$out"; return; }
    id=$(grep -o '{[0-9a-f-]*}' <<<"$out" | head -n 1)
    "$BT" /store "$s" /set "$id" device boot >/dev/null &&
        "$BT" /store "$s" /displayorder "$id" /addlast >/dev/null &&
        "$BT" /store "$s" /delete "$id" >/dev/null
    if [ -z "$(changes "$orig" "$s")" ]; then pass "create, set, addlast, delete: store equal to the original"
    else fail "create/delete round trip" "$(changes "$orig" "$s" | head -n 3 | tr '\n' ' ')"; fi
    validators "round trip" "$s"

    s=$(fresh nuc8-esp.BCD del.BCD)
    "$BT" /store "$s" /delete '{default}' >/dev/null 2>&1
    out=$("$BT" /store "$s" --check 2>&1)
    if ! "$BT" /store "$s" /enum all | grep -q "f22ea33f\|$RESUME" &&
       grep -q 'BCD: 0 error(s), 0 warning(s)' <<<"$out"; then
        pass "delete loader: resume object and references cleaned up"
    else fail "delete loader cleanup" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi
    out=$("$BT" /store "$s" /delete '{memdiag}' 2>&1) && fail "delete well-known needs /f" "exit 0" ||
        pass "delete well-known needs /f"
    "$BT" /store "$s" /delete '{memdiag}' /f >/dev/null && ! "$BT" /store "$s" /enum all | grep -q memdiag &&
        pass "delete {memdiag} /f" || fail "delete {memdiag} /f" "still there"

    s=$(fresh z590-esp.BCD exp.BCD)
    "$BT" /store "$s" /export "$TEST_TMP/exported.BCD" >/dev/null &&
        diff <("$BT" /store "$s" /enum all /v) <("$BT" /store "$TEST_TMP/exported.BCD" /enum all /v) >/dev/null &&
        pass "export" || fail "export" "exported store differs"
    validators "export" "$TEST_TMP/exported.BCD"
    "$BT" /store "$s" /timeout 3 >/dev/null
    "$BT" /store "$s" /import "$TEST_TMP/exported.BCD" >/dev/null &&
        [ -z "$(changes "$FX/z590-esp.BCD" "$s")" ] && pass "import restores the exported store" ||
        fail "import" "$(changes "$FX/z590-esp.BCD" "$s" | head -n 2 | tr '\n' ' ')"
    validators "import" "$s"
}

# The objects of bcd.md §6.2 (UEFI bcdboot), made with bcdtool in a new store.
createstore_bcdboot() {
    local s=$TEST_TMP/new.BCD esp='partition=gpt:{11111111-0000-4000-8000-000000000000}/{22222222-0000-4000-8000-000000000000}'
    local os='partition=gpt:{11111111-0000-4000-8000-000000000000}/{33333333-0000-4000-8000-000000000000}'
    local L='{44444444-0000-4000-8000-000000000000}' R='{55555555-0000-4000-8000-000000000000}'
    local ok=1 out
    run() { out=$("$BT" /store "$s" "$@" 2>&1) || { ok=0; echo "$* -> $out" >>"$TEST_TMP/cs.log"; }; }
    "$BT" /createstore "$s" >/dev/null || { fail "createstore" "failed"; return; }
    "$BT" /store "$s" /enum all | grep -q . && fail "createstore is empty" "has objects" || pass "createstore is empty"
    [ -z "$(changes "$FX/bcdsys-empty-store.BCD" "$s")" ] &&
        pass "createstore equals bcdedit's empty store (bcdsys-empty-store.BCD)" ||
        fail "createstore equals bcdedit's empty store" "$(changes "$FX/bcdsys-empty-store.BCD" "$s" | head -n 3 | tr '\n' ' ')"
    validators "createstore" "$s"
    "$BT" /createstore "$s" >/dev/null 2>&1 && fail "createstore refuses an existing file" "exit 0" ||
        pass "createstore refuses an existing file"
    for g in '{globalsettings}' '{dbgsettings}' '{emssettings}' '{badmemory}' \
             '{bootloadersettings}' '{hypervisorsettings}' '{resumeloadersettings}' '{fwbootmgr}'; do
        run /create "$g"
    done
    run /create '{bootmgr}' /d 'Windows Boot Manager'
    run /create '{memdiag}' /d 'Windows Memory Diagnostic'
    run /create "$R" /d 'Windows Resume Application' /application resume
    run /create "$L" /d 'Windows 11' /application osloader
    run /set '{globalsettings}' inherit '{dbgsettings}' '{emssettings}' '{badmemory}'
    run /set '{dbgsettings}' debugtype Local
    run /set '{emssettings}' bootems No
    run /set '{bootloadersettings}' inherit '{globalsettings}' '{hypervisorsettings}'
    run /set '{hypervisorsettings}' hypervisordebugtype Serial
    run /set '{hypervisorsettings}' hypervisordebugport 1
    run /set '{hypervisorsettings}' hypervisorbaudrate 115200
    run /set '{resumeloadersettings}' inherit '{globalsettings}'
    for a in "device $esp" 'path \EFI\Microsoft\Boot\bootmgfw.efi' 'locale en-US' \
             'inherit {globalsettings}' "default $L" "resumeobject $R" "displayorder $L" \
             'toolsdisplayorder {memdiag}' 'timeout 30'; do
        # shellcheck disable=SC2086
        run /set '{bootmgr}' $a
    done
    run /set '{fwbootmgr}' displayorder '{bootmgr}'
    run /set '{fwbootmgr}' timeout 1
    for a in "device $os" 'path \WINDOWS\system32\winload.efi' 'locale en-US' \
             'inherit {bootloadersettings}' 'isolatedcontext Yes' 'allowedinmemorysettings 0x15000075' \
             "osdevice $os" 'systemroot \WINDOWS' "resumeobject $R" 'nx OptIn' 'bootmenupolicy Standard'; do
        # shellcheck disable=SC2086
        run /set "$L" $a
    done
    for a in "device $os" 'path \WINDOWS\system32\winresume.efi' 'locale en-US' \
             'inherit {resumeloadersettings}' 'isolatedcontext Yes' 'allowedinmemorysettings 0x15000075' \
             'filepath \hiberfil.sys' 'bootmenupolicy Standard'; do
        # shellcheck disable=SC2086
        run /set "$R" $a
    done
    for a in "device $esp" 'path \EFI\Microsoft\Boot\memtest.efi' 'locale en-US' \
             'inherit {globalsettings}' 'badmemoryaccess Yes'; do
        # shellcheck disable=SC2086
        run /set '{memdiag}' $a
    done
    if [ $ok = 1 ]; then pass "createstore + bcdboot objects: every command succeeds"
    else fail "createstore + bcdboot objects" "$(head -n 2 "$TEST_TMP/cs.log" | tr '\n' ' ')"; fi
    validators "createstore + bcdboot objects" "$s"
    [ "$("$BT" /store "$s" /enum all | grep -c '^identifier')" = 12 ] &&
        "$BT" /store "$s" /enum | grep -q '^identifier *{default}' &&
        "$BT" /store "$s" --check | grep -q 'BCD: 0 error(s), 0 warning(s)' &&
        pass "createstore + bcdboot objects: 12 objects, no dangling reference" ||
        fail "createstore + bcdboot objects: 12 objects" "$("$BT" /store "$s" --check | tail -n 3)"
}

in_place() {
    local s orig
    s=$(fresh z590-esp.BCD inplace.BCD)
    orig=$(fresh z590-esp.BCD inplace-orig.BCD)
    if "$BT" --in-place /store "$s" /timeout 9 >/dev/null 2>&1 && [ -s "$s.LOG" ]; then
        pass "--in-place writes the log first (FILE.LOG)"
    else fail "--in-place" "no FILE.LOG"; fi
    expect_changes "--in-place timeout" "$orig" "$s" \
        "^- .*9dea862c${EL}25000004\|" "^\+ .*9dea862c${EL}25000004\|\"Element\"=hex\(3\):09,"
    validators "--in-place" "$s"
}

create_kinds() {
    local s out id
    s=$(fresh nuc8-esp.BCD kinds.BCD)
    "$BT" /store "$s" /create '{0d15c0de-0000-4000-8000-0000000000aa}' /d 'My settings' /inherit osloader >/dev/null &&
        "$BT" /store "$s" /enum '{0d15c0de-0000-4000-8000-0000000000aa}' | grep -q '^Inherit settings (20200003)$' &&
        pass "create {id} /inherit osloader" || fail "create {id} /inherit osloader" "wrong type"
    out=$("$BT" /store "$s" /create /d 'My options' /device) && id=$(grep -o '{[0-9a-f-]*}' <<<"$out" | head -n 1) &&
        "$BT" /store "$s" /enum "$id" | grep -q '^Device options$' &&
        pass "create /device" || fail "create /device" "$out"
    "$BT" /store "$s" /create /d 'Plain group' /inherit >/dev/null &&
        "$BT" /store "$s" /enum inherit | grep -q '^Inherit settings (20100000)$' &&
        pass "create /inherit (any object)" || fail "create /inherit" "wrong type"
    "$BT" /store "$s" /set "$id" ramdisksdipath '\boot\boot.sdi' >/dev/null 2>"$TEST_TMP/k.err" &&
        grep -q 'SDI offset trick' "$TEST_TMP/k.err" && pass "ramdisk options warn (CVE-2025-48804)" ||
        fail "ramdisk options warn" "$(cat "$TEST_TMP/k.err")"
    s=$(fresh nuc8-esp.BCD nocleanup.BCD)
    "$BT" /store "$s" /delete "$WINRE" /nocleanup >/dev/null &&
        "$BT" /store "$s" --check | grep -q "recoverysequence names $WINRE" &&
        pass "delete /nocleanup keeps references (reported dangling)" ||
        fail "delete /nocleanup" "no dangling reference reported"
    s=$(fresh nuc8-esp.BCD imp.BCD)
    bad_case "bad: import of a non-BCD hive" 'not a BCD store' "$s" /import \
        "$WR_SHARED/regf-fixtures/hives/$(ls "$WR_SHARED/regf-fixtures/hives" | head -n 1)"
}

firmware_order() {
    local s orig fw='{a5a30fa2-3d06-4e9f-b5f4-a01df9d1fcba}'
    s=$(fresh windows2go-win11-esp.BCD fw.BCD)
    orig=$(fresh windows2go-win11-esp.BCD fw-orig.BCD)
    if "$BT" /store "$s" /displayorder '{bootmgr}' /addlast >/dev/null 2>&1 &&
       "$BT" /store "$s" /enum "$fw" | awk '/^displayorder/ {on=1; last=$2; next}
           on && /^ / {last=$1; next} {on=0} END {print last}' | grep -qx '{bootmgr}'; then
        pass "displayorder of firmware objects edits {fwbootmgr}"
    else fail "displayorder of firmware objects edits {fwbootmgr}" "{bootmgr} not last"; fi
    expect_changes "firmware displayorder" "$orig" "$s" \
        "^- .*a5a30fa2${EL}24000001\|" "^\+ .*a5a30fa2${EL}24000001\|"
    s=$(fresh windows2go-win11-esp.BCD fw2.BCD)
    "$BT" /store "$s" /bootsequence '{bootmgr}' >/dev/null 2>&1 &&
        "$BT" /store "$s" /enum "$fw" | grep -q '^bootsequence *{bootmgr}$' &&
        pass "bootsequence of a firmware object is {fwbootmgr}'s (BootNext)" ||
        fail "bootsequence on {fwbootmgr}" "not set"
}

bitpixie() {
    local s id out err
    s=$(fresh regipy-win10-esp.BCD bp.BCD)
    err=$TEST_TMP/bp.err
    : >"$err"
    out=$("$BT" /store "$s" /create /d softreboot /application startup 2>>"$err") ||
        { fail "bitpixie recipe" "$out"; return; }
    id=$(grep -o '{[0-9a-f-]*}' <<<"$out" | head -n 1)
    "$BT" /store "$s" /set "$id" path '\shimx64.efi' >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /set "$id" device boot >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /set "$id" pxesoftreboot yes >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /set '{default}' recoveryenabled yes >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /set '{default}' recoverysequence "$id" >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /set '{default}' path '\' >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /set '{default}' winpe yes >/dev/null 2>>"$err" &&
    "$BT" /store "$s" /displayorder "$id" /addlast >/dev/null 2>>"$err" ||
        { fail "bitpixie recipe" "$(tail -n 2 "$err")"; return; }
    "$BT" /store "$s" --json >"$TEST_TMP/bp.json"
    "$BT" /store "$FX/bitpixie-modded.BCD" --json >"$TEST_TMP/ref.json"
    if out=$(python3 - "$TEST_TMP/bp.json" "$TEST_TMP/ref.json" "$id" <<'PY'
import json, sys
ours, ref, new_id = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3])
def by_key(doc): return {o['key']: o for o in doc['objects']}
def elems(o): return {e['code']: e['raw'] for e in o['elements']}
def loader(doc):
    return next(o for o in doc['objects'] if o['alias'] == '{default}')
o, r = by_key(ours), by_key(ref)
startup = [x for x in ref['objects'] if x['type'] == '10400009'][0]
assert o[new_id]['type'] == '10400009', 'type'
assert elems(o[new_id]) == elems(startup), 'startup elements %s != %s' % (elems(o[new_id]), elems(startup))
lo, lr = elems(loader(ours)), elems(loader(ref))
for code in ('12000002', '16000009', '26000022'):
    assert lo[code] == lr[code], 'loader %s: %s != %s' % (code, lo[code], lr[code])
seq = [e for e in loader(ours)['elements'] if e['code'] == '14000008'][0]['value']
assert seq == [new_id], 'recoverysequence %s' % seq
order = [e for e in o['{9dea862c-5cdd-4e70-acc1-f32b344d4795}']['elements'] if e['code'] == '24000001'][0]['value']
assert order[-1] == new_id, 'displayorder %s' % order
print('ok')
PY
    ); then pass "bitpixie recipe: new objects and elements equal bitpixie-modded.BCD"
    else fail "bitpixie recipe" "$out"; fi
    for w in 'bitpixie (CVE-2023-21563)' 'recovery sequence redirected' 'winpe on a loader' \
             'BitLocker will ask for the recovery key'; do
        grep -qF "$w" "$err" && pass "bitpixie warning: $w" || fail "bitpixie warning: $w" "$(head -c 300 "$err")"
    done
    validators "bitpixie recipe" "$s"
}

# bad_case NAME PATTERN STORE ARGS...: non-zero exit, PATTERN in the message,
# the store's bytes unchanged.
bad_case() {
    local name=$1 pat=$2 s=$3 out before after
    shift 3
    before=$(sha256sum "$s" 2>/dev/null)
    if out=$("$BT" /store "$s" "$@" 2>&1); then fail "$name" "exit 0"; return; fi
    after=$(sha256sum "$s" 2>/dev/null)
    if [ "$before" != "$after" ]; then fail "$name" "the store changed"; return; fi
    if [ -e "$s.new" ]; then fail "$name" "left $s.new behind"; return; fi
    grep -qE -- "$pat" <<<"$out" && pass "$name" || fail "$name" "message: $(tr '\n' ' ' <<<"$out")"
}

bad_input() {
    local s bad
    s=$(fresh nuc8-esp.BCD bad.BCD)
    bad_case "bad: missing store" 'No such file' "$TEST_TMP/none.BCD" /set '{default}' nx OptIn
    echo "hello" >"$TEST_TMP/text.BCD"
    bad_case "bad: non-hive file" 'not a registry hive' "$TEST_TMP/text.BCD" /timeout 3
    head -c 20000 "$FX/nuc8-esp.BCD" >"$TEST_TMP/trunc.BCD"
    bad_case "bad: truncated store" 'could not be opened' "$TEST_TMP/trunc.BCD" /timeout 3
    bad_case "bad: unknown id" 'was not found' "$s" /set '{01234567-89ab-cdef-0123-456789abcdef}' nx OptIn
    bad_case "bad: {current}" 'does not exist offline' "$s" /set '{current}' nx OptIn
    bad_case "bad: unknown element" "'portable' is not a valid element name" "$s" /set '{default}' portable 1
    bad_case "bad: enumerated value" 'OptIn, OptOut, AlwaysOff, AlwaysOn' "$s" /set '{default}' nx Sometimes
    bad_case "bad: integer" "'abc' is not an integer" "$s" /timeout abc
    bad_case "bad: boolean" 'is not a boolean' "$s" /set '{default}' winpe maybe
    bad_case "bad: object value" 'not a valid identifier' "$s" /set '{default}' resumeobject notaguid
    bad_case "bad: device value" 'not a GUID' "$s" /set '{default}' device 'partition=gpt:{x}/{y}'
    bad_case "bad: device syntax" 'is not a device' "$s" /set '{default}' device 'C:'
    bad_case "bad: drive letter" 'drive letters do not exist offline' "$s" /set '{default}' device 'partition=C:'
    bad_case "bad: wrong value count" 'takes one value' "$s" /set '{default}' description a b
    bad_case "bad: deletevalue absent" 'has no element' "$s" /deletevalue '{default}' testsigning
    bad_case "bad: create without type" 'needs /application' "$s" /create /d x
    bad_case "bad: create existing" 'already exists' "$s" /create '{memdiag}' /d x
    bad_case "bad: unknown command" 'not a recognised command' "$s" /frobnicate
    # a corrupt device blob, planted with hivexregedit
    bad=$(fresh nuc8-esp.BCD corrupt.BCD)
    printf 'Windows Registry Editor Version 5.00\n\n[\\Objects\\%s\\Elements\\11000001]\n"Element"=hex(3):00,01,02\n' \
        "$LOADER" >"$TEST_TMP/corrupt.reg"
    if hivexregedit --merge "$bad" "$TEST_TMP/corrupt.reg" 2>/dev/null; then
        bad_case "bad: corrupt device blob (/enum)" 'cannot decode|could not be decoded' "$bad" /enum all
        bad_case "bad: corrupt device blob (edit refused)" 'only an edit that removes one' "$bad" /timeout 3
        if "$BT" /store "$bad" /set '{default}' device boot >/dev/null 2>&1 &&
           "$BT" /store "$bad" --check >/dev/null; then pass "bad: a corrupt device blob can be repaired"
        else fail "bad: a corrupt device blob can be repaired" "refused"; fi
    else
        skip "bad: corrupt device blob" "hivexregedit --merge failed"
    fi
}

shared_or_skip "bcdtool edit" || exit 0
command -v hivexregedit >/dev/null || { skip "bcdtool edit" "hivexregedit not installed"; exit 0; }
edits
image_partition
round_trips
in_place
create_kinds
firmware_order
createstore_bcdboot
bitpixie
bad_input
