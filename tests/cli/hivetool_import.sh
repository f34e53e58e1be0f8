#!/usr/bin/env bash
# hivetool import FILE REGFILE compared with hivexregedit --merge on the
# same input: both results must walk and export identically, pass our
# validator and hivexml; bad input must change nothing.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
B=$WR_SHARED/regf-fixtures/bcd

if [ ! -x "$HT" ]; then fail hivetool_import_built "$HT not built"; exit 0; fi
shared_or_skip hivetool_import_fixtures || exit 0
if ! command -v hivexregedit >/dev/null; then skip hivetool_import "hivexregedit not installed"; exit 0; fi

T=$TEST_TMP
cat >"$T/edit.reg" <<'REG'
Windows Registry Editor Version 5.00

; a typical BCD edit: {bootmgr} timeout, a new object, a deletion
[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements\25000004]
"Element"=hex(3):1e,00,00,00,00,00,00,00

[\Objects\{11111111-2222-3333-4444-555555555555}]

[\Objects\{11111111-2222-3333-4444-555555555555}\Elements]
"Str"="hello \"world\" \\ back"
"Multi"=hex(7):61,00,00,00,\
  62,00,00,00,00,00
@="default"
"Dw"=dword:0000002a
"Q"=hex(b):01,02,03,04,05,06,07,08
"Big"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,\
  00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f

[-\Objects\{0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9}]

[-\Objects\{does-not-exist}]

[\Description]
"System"=-
"Absent"=-
REG

cat >"$T/unicode.reg" <<'REG'
Windows Registry Editor Version 5.00

[\Grüße]
"Straße"="Ünïcødé ✓"

[\Grüße\日本語キー]
"値"=dword:00000001
REG

printf 'REGEDIT4\r\n\r\n[\\Old]\r\n"a"="b"\r\n"n"=dword:00000007\r\n\r\n' >"$T/regedit4.reg"

walk_of() { "$HT" walk "$1" | sed 's/^file=[^ ]* //'; }

# same_as_hivex NAME HIVE REG [HIVEXREG]: import into copies both ways and compare.
same_as_hivex() {
    local name=$1 hive=$2 reg=$3 hreg=${4:-$3}
    cp "$hive" "$T/ours" && cp "$hive" "$T/theirs" && chmod u+w "$T/ours" "$T/theirs"
    if ! "$HT" import "$T/ours" "$reg" >"$T/log" 2>&1; then
        fail "$name" "hivetool import failed: $(tail -n 2 "$T/log" | tr '\n' ' ')"; return
    fi
    if ! hivexregedit --merge "$T/theirs" "$hreg" >"$T/hlog" 2>&1; then
        fail "$name" "hivexregedit --merge failed: $(head -n 1 "$T/hlog")"; return
    fi
    if [ "$(walk_of "$T/ours")" != "$(walk_of "$T/theirs")" ]; then
        fail "$name" "walk differs: $(walk_of "$T/ours") vs $(walk_of "$T/theirs")"; return
    fi
    if ! diff <(hivexregedit --export "$T/ours" '\') <(hivexregedit --export "$T/theirs" '\') >"$T/diff"; then
        fail "$name" "exports differ: $(head -n 4 "$T/diff" | tr '\n' ' ')"; return
    fi
    if ! "$HT" check "$T/ours" >"$T/check" 2>&1; then
        fail "$name" "our validator: $(head -n 2 "$T/check" | tr '\n' ' ')"; return
    fi
    if command -v hivexml >/dev/null && ! hivexml "$T/ours" >/dev/null 2>&1; then
        fail "$name" "hivexml rejects the result"; return
    fi
    if ls "$T"/ours.* >/dev/null 2>&1; then
        fail "$name" "temporary file left behind: $(ls "$T"/ours.*)"; return
    fi
    pass "$name"
}

for bcd in nuc8-esp.BCD z370-esp-2016.BCD windeploy-efi.BCD optiplex7050-bios-v1.5.BCD; do
    [ -f "$B/$bcd" ] || { skip "import_bcd_$bcd" "fixture missing"; continue; }
    same_as_hivex "import_bcd_$bcd" "$B/$bcd" "$T/edit.reg"
done
# hivexregedit re-encodes UTF-8 bytes as Latin-1, so python3-hivex reads ours.
unicode_check() {
    cp "$B/nuc8-esp.BCD" "$T/uni" && chmod u+w "$T/uni"
    if ! "$HT" import "$T/uni" "$T/unicode.reg" >"$T/log" 2>&1; then
        fail import_unicode_names "$(tail -n 1 "$T/log")"; return
    fi
    if ! /usr/bin/python3 -c 'import hivex' 2>/dev/null; then
        skip import_unicode_names "python3-hivex not installed"; return
    fi
    local out
    out=$(/usr/bin/python3 - "$T/uni" <<'PY' 2>&1
import sys, hivex
h = hivex.Hivex(sys.argv[1])
k = h.node_get_child(h.root(), "Grüße")
assert k, "key Grüße missing"
v = h.node_get_value(k, "Straße")
assert h.value_string(v) == "Ünïcødé ✓", h.value_string(v)
c = h.node_get_child(k, "日本語キー")
assert c, "key 日本語キー missing"
assert h.value_dword(h.node_get_value(c, "値")) == 1
print("ok")
PY
)
    if [ "$out" = ok ] && "$HT" check "$T/uni" >/dev/null 2>&1; then
        pass import_unicode_names
    else
        fail import_unicode_names "$out"
    fi
}
unicode_check
same_as_hivex import_regedit4_crlf "$B/nuc8-esp.BCD" "$T/regedit4.reg" \
    <(tr -d '\r' <"$T/regedit4.reg")
if command -v iconv >/dev/null; then
    { printf '\xff\xfe'; sed 's/$/\r/' "$T/edit.reg" | iconv -f utf-8 -t utf-16le; } >"$T/edit16.reg"
    same_as_hivex import_utf16le_bom "$B/nuc8-esp.BCD" "$T/edit16.reg" "$T/edit.reg"
else
    skip import_utf16le_bom "iconv not installed"
fi

# unchanged NAME STATUS WANT HIVE REG...: the command fails as told and the hive is untouched.
unchanged() {
    local name=$1 want_rc=$2 want=$3 hive=$4; shift 4
    cp "$hive" "$T/h" && chmod u+w "$T/h"
    local before rc=0
    before=$(md5sum <"$T/h")
    "$HT" import "$@" "$T/h" "$T/bad.reg" >"$T/log" 2>&1 || rc=$?
    if [ "$rc" != "$want_rc" ]; then fail "$name" "status $rc, expected $want_rc: $(tail -n 1 "$T/log")"; return; fi
    if [ "$(md5sum <"$T/h")" != "$before" ]; then fail "$name" "the hive changed"; return; fi
    if ! grep -q -- "$want" "$T/log"; then fail "$name" "message lacks '$want': $(tail -n 1 "$T/log")"; return; fi
    pass "$name"
}

printf 'Windows Registry Editor Version 5.00\n\n[\\A]\n"x"=dword:123\n' >"$T/bad.reg"
unchanged import_bad_dword 2 "line 4" "$B/nuc8-esp.BCD"
printf 'Windows Registry Editor Version 5.00\n\n[\\A]\n"x"=hex:0g\n' >"$T/bad.reg"
unchanged import_bad_hex 2 "line 4" "$B/nuc8-esp.BCD"
printf 'Windows Registry Editor Version 5.00\n\n"x"="y"\n' >"$T/bad.reg"
unchanged import_value_outside_key 2 "outside" "$B/nuc8-esp.BCD"
printf 'Windows Registry Editor Version 5.00\n\n[\\New]\n"a"="b"\n\n[-\\]\n' >"$T/bad.reg"
unchanged import_delete_root_refused 1 "line 6" "$B/nuc8-esp.BCD"
printf 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\BCD00000000\\X]\n' >"$T/bad.reg"
unchanged import_needs_prefix 2 "prefix" "$B/nuc8-esp.BCD"
unchanged import_wrong_prefix 2 "not under" "$B/nuc8-esp.BCD" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM'
if [ -f "$WR_SHARED/regf-fixtures/dirty/yarp-NewDirtyHive1/NewDirtyHive" ]; then
    printf 'Windows Registry Editor Version 5.00\n\n[\\X]\n' >"$T/bad.reg"
    unchanged import_dirty_refused 1 "recover" "$WR_SHARED/regf-fixtures/dirty/yarp-NewDirtyHive1/NewDirtyHive"
fi

# --prefix as regedit writes it.
printf 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\BCD00000000\\Objects\\{aaaaaaaa-0000-0000-0000-000000000000}]\n"v"=dword:00000005\n' >"$T/pfx.reg"
sed 's/HKEY_LOCAL_MACHINE\\BCD00000000//' "$T/pfx.reg" >"$T/nopfx.reg"
cp "$B/nuc8-esp.BCD" "$T/p1" && cp "$B/nuc8-esp.BCD" "$T/p2" && chmod u+w "$T/p1" "$T/p2"
if "$HT" import --prefix 'HKEY_LOCAL_MACHINE\BCD00000000' "$T/p1" "$T/pfx.reg" >/dev/null 2>&1 &&
    hivexregedit --merge "$T/p2" "$T/nopfx.reg" && [ "$(walk_of "$T/p1")" = "$(walk_of "$T/p2")" ]; then
    pass import_prefix
else
    fail import_prefix "walk differs or import failed"
fi

# Importing what is already there writes nothing.
cp "$B/nuc8-esp.BCD" "$T/same" && chmod u+w "$T/same"
hivexregedit --export "$T/same" '\Description' >"$T/desc.reg"
before=$(md5sum <"$T/same")
if "$HT" import "$T/same" "$T/desc.reg" >"$T/log" 2>&1 && [ "$(md5sum <"$T/same")" = "$before" ]; then
    pass import_no_change_no_write
else
    fail import_no_change_no_write "$(tail -n 1 "$T/log")"
fi
