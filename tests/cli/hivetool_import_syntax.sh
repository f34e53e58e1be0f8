#!/usr/bin/env bash
# .reg syntax corners, each merged by hivetool import and by hivexregedit
# --merge into copies of the same hive; the two results must walk the same.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
HIVE=$WR_SHARED/regf-fixtures/bcd/windeploy-efi.BCD

if [ ! -x "$HT" ]; then fail hivetool_import_syntax_built "$HT not built"; exit 0; fi
shared_or_skip hivetool_import_syntax || exit 0
if ! command -v hivexregedit >/dev/null; then skip hivetool_import_syntax "hivexregedit not installed"; exit 0; fi
T=$TEST_TMP

walk_of() { "$HT" walk "$1" | sed 's/^file=[^ ]* //'; }

# case NAME: reads the .reg body from stdin.
case_() {
    local name=$1
    { printf 'Windows Registry Editor Version 5.00\n\n'; cat; } >"$T/$name.reg"
    cp "$HIVE" "$T/ours" && cp "$HIVE" "$T/theirs" && chmod u+w "$T/ours" "$T/theirs"
    if ! "$HT" import "$T/ours" "$T/$name.reg" >"$T/log" 2>&1; then
        fail "$name" "hivetool: $(tail -n 1 "$T/log")"; return
    fi
    if ! hivexregedit --merge "$T/theirs" "$T/$name.reg" >"$T/hlog" 2>&1; then
        fail "$name" "hivexregedit: $(head -n 1 "$T/hlog")"; return
    fi
    if [ "$(walk_of "$T/ours")" != "$(walk_of "$T/theirs")" ]; then
        fail "$name" "walk differs from hivex's"; return
    fi
    "$HT" check "$T/ours" >/dev/null 2>&1 || { fail "$name" "our validator rejects the result"; return; }
    pass "$name"
}

case_ syntax_escapes <<'REG'
[\Esc]
"quote \" and back \\ slash"="a \"b\" c\\d"
"plain"="C:\\Windows\\System32"
REG

case_ syntax_continuations <<'REG'
[\Cont]
"bin"=hex:01,02,03,\
  04,05,\   
  06
"multi"=hex(7):41,00,00,00,\
    42,00,00,00,00,00
REG

case_ syntax_types <<'REG'
[\Types]
"none"=hex(0):
"expand"=hex(2):25,00,53,00,00,00
"dw0"=dword:00000000
"dwmax"=dword:ffffffff
"be"=hex(5):00,00,00,01
"q"=hex(b):ff,ff,ff,ff,ff,ff,ff,ff
"odd"=hex(12345678):aa
"empty-bin"=hex:
"s"=str(2):"expandable"
REG

case_ syntax_default_values <<'REG'
[\Def]
@="the default"

[\Def]
@=-
"after"=dword:00000001
REG

case_ syntax_comments_blank <<'REG'
; a comment before the first key

[\C1]
"a"=dword:00000001

; between keys
[\C1\Sub]
"b"=dword:00000002
REG

case_ syntax_big_value <<REG
[\Big]
"big"=hex:$(head -c 20000 /dev/zero | od -An -v -tx1 | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
REG

case_ syntax_delete_then_create <<'REG'
[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements\25000004]
"Element"=hex(3):05,00,00,00,00,00,00,00

[-\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements\25000004]

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements\25000004]
"Element"=hex(3):07,00,00,00,00,00,00,00
REG

case_ syntax_many_keys < <(for i in $(seq 1 300); do printf '[\\Many]\n\n[\\Many\\K%03d]\n"v"=dword:%08x\n\n' "$i" "$i"; done)
