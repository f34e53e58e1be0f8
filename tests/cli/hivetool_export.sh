#!/usr/bin/env bash
# hivetool export produces the same .reg text as hivexregedit --export, on
# the corpus (the stored bcd/*.reg were made with --prefix BCD) and on hives
# made here.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
[ -x "$HT" ] || { skip hivetool_export "hivetool not built"; exit 0; }

# same NAME FILE [KEY]: diff against hivexregedit (SKIP if it cannot export)
same() {
    local name=$1 file=$2 key=${3:-\\}
    if ! hivexregedit --export "$file" "$key" >"$TEST_TMP/theirs.reg" 2>/dev/null; then
        skip "$name" "hivexregedit cannot export it"
        return
    fi
    if "$HT" export "$file" "$key" >"$TEST_TMP/ours.reg" 2>"$TEST_TMP/err" &&
        cmp -s "$TEST_TMP/ours.reg" "$TEST_TMP/theirs.reg"; then
        pass "$name"
    else
        fail "$name" "$(diff "$TEST_TMP/theirs.reg" "$TEST_TMP/ours.reg" | head -3 | tr '\n' ' ') $(head -c 200 "$TEST_TMP/err")"
    fi
}

if command -v hivexregedit >/dev/null; then
    h=$TEST_TMP/exp.hive
    rm -f "$h"
    printf 'Windows Registry Editor Version 5.00\n\n[\\A]\n"q\\"uote"=dword:00000007\n"back\\\\slash"=hex(b):01,00,00,00,00,00,00,00\n\n[\\A\\b]\n@=hex(1):41,00\n\n[\\Élan]\n"ÿ"=hex(4):01,02\n' >"$TEST_TMP/exp.reg"
    if "$HT" new --root R "$h" && hivexregedit --merge "$h" "$TEST_TMP/exp.reg" 2>/dev/null; then
        same export_made_hive "$h"
        same export_made_subkey "$h" '\A'
    else
        fail export_made_hive "could not make the hive"
    fi
else
    skip export_made_hive "hivexregedit not installed"
fi

if "$HT" export "$TEST_TMP/exp.hive" '\NoSuchKey' >/dev/null 2>&1; then
    fail export_missing_key "exit 0"
else
    pass export_missing_key
fi

shared_or_skip export_corpus || exit 0
F=$WR_SHARED/regf-fixtures
for reg in "$F"/bcd/*.reg; do
    store=${reg%.reg}
    name=export_stored_reg_$(basename "$store")
    if "$HT" export --prefix BCD "$store" '\' 2>&1 | cmp -s - "$reg"; then pass "$name"; else fail "$name" "differs from $(basename "$reg")"; fi
done
command -v hivexregedit >/dev/null || { skip export_hives "hivexregedit not installed"; exit 0; }
# corrupt/ is left out: hivexregedit builds paths from nk.Parent, which
# those hives falsify on purpose.
for f in "$F"/hives/*; do
    same "export_hives_$(basename "$f")" "$f"
done
