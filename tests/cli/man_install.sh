#!/usr/bin/env bash
# make install PREFIX=/usr/local DESTDIR=tmp: the three tools land in bin/
# and run (--help exits 0), their man pages in share/man/man1/ render with
# man -l and groff without a single warning, man -M finds them by name, and
# every command a tool's --help lists is described in its page.
source "$(dirname "$0")/../lib.sh"

root=$TEST_TMP/root
tools="bcdtool hivetool wtg-rescue"
if ! make -C "$REPO" --no-print-directory install PREFIX=/usr/local DESTDIR="$root" \
        >"$TEST_TMP/make.log" 2>&1; then
    fail make-install "$(tail -n 3 "$TEST_TMP/make.log" | tr '\n' ' ')"
    exit 0
fi
pass make-install

for t in $tools; do
    bin=$root/usr/local/bin/$t
    page=$root/usr/local/share/man/man1/$t.1
    if [ -x "$bin" ] && [ "$(stat -c %a "$bin")" = 755 ]; then pass "bin-$t"; else fail "bin-$t" "$bin missing or not 0755"; fi
    if [ -f "$page" ] && cmp -s "$page" "$REPO/man/$t.1"; then pass "page-$t"; else fail "page-$t" "$page missing or not man/$t.1"; fi

    if "$bin" --help >"$TEST_TMP/$t.help" 2>"$TEST_TMP/$t.help.err" && grep -q "^usage: $t " "$TEST_TMP/$t.help"; then
        pass "help-$t"
    else
        fail "help-$t" "--help did not exit 0 with a usage line"
    fi

    # man --warnings passes -ww to groff: any warning lands on stderr.
    MANWIDTH=80 man --warnings -l "$page" >"$TEST_TMP/$t.txt" 2>"$TEST_TMP/$t.warn"
    if [ $? -eq 0 ] && [ ! -s "$TEST_TMP/$t.warn" ] && grep -q '^NAME' "$TEST_TMP/$t.txt" &&
        grep -q '^SYNOPSIS' "$TEST_TMP/$t.txt" && grep -q '^EXIT STATUS' "$TEST_TMP/$t.txt"; then
        pass "man-l-$t"
    else
        fail "man-l-$t" "$(head -c 300 "$TEST_TMP/$t.warn")"
    fi
    if groff -ww -z -man "$page" 2>"$TEST_TMP/$t.groff" && [ ! -s "$TEST_TMP/$t.groff" ]; then
        pass "groff-$t"
    else
        fail "groff-$t" "$(head -c 300 "$TEST_TMP/$t.groff")"
    fi
    if MANWIDTH=80 man -M "$root/usr/local/share/man" "$t" 2>/dev/null | grep -q "^NAME"; then
        pass "man-M-$t"
    else
        fail "man-M-$t" "man -M DESTDIR/usr/local/share/man $t found no page"
    fi
done

# Each command in --help must be in the page (as a bold term: the rendered
# text has it at the start of an indented line).
covered() {
    local t=$1 missing=""; shift
    [ $# -ge 5 ] || { fail "commands-$t" "only $# commands read from --help"; return; }
    for c in "$@"; do
        grep -qE "^ {7}$c( |$)" "$TEST_TMP/$t.txt" || missing="$missing $c"
    done
    if [ -z "$missing" ]; then pass "commands-$t"; else fail "commands-$t" "not in the page:$missing"; fi
}
wr_cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$TEST_TMP/wtg-rescue.help")
ht_cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$TEST_TMP/hivetool.help")
bt_cmds=$(grep -oE '(^|  )/[a-z]+' "$TEST_TMP/bcdtool.help" | tr -d ' ' | sort -u)
# shellcheck disable=SC2086
covered wtg-rescue $wr_cmds
# shellcheck disable=SC2086
covered hivetool $ht_cmds
# The bcdtool page lists some commands after others on one line (/default,
# /displayorder ...): look anywhere.
missing=""
for c in $bt_cmds; do grep -qF -- "$c" "$TEST_TMP/bcdtool.txt" || missing="$missing $c"; done
if [ -n "$bt_cmds" ] && [ -z "$missing" ]; then pass commands-bcdtool; else fail commands-bcdtool "not in the page:$missing"; fi

# The UEFI apps land in share/wtg-rescue/, where the installed wtg-rescue
# finds them without --app: a dry run on a To Go-style stick names them.
for app in wtg-rescue.efi wtg-rescue-ia32.efi; do
    if cmp -s "$root/usr/local/share/wtg-rescue/$app" "$BUILD/$app"; then pass "share-$app"; else fail "share-$app" "not installed"; fi
done
if [ -f "$BUILD/test-images/stick.img" ] && [ -f "$BUILD/stub-bootmgr.efi" ]; then
    cp --sparse=always "$BUILD/test-images/stick.img" "$TEST_TMP/togo.img"
    mcopy -o -i "$TEST_TMP/togo.img@@$((2048 * 512))" "$BUILD/stub-bootmgr.efi" ::/EFI/BOOT/BOOTX64.EFI
    sum=$(sha256sum <"$TEST_TMP/togo.img")
    if "$root/usr/local/bin/wtg-rescue" install --stick "$TEST_TMP/togo.img" >"$TEST_TMP/dry.out" 2>&1 &&
        grep -q '^dry run' "$TEST_TMP/dry.out" && [ "$(sha256sum <"$TEST_TMP/togo.img")" = "$sum" ]; then
        pass installed-finds-app
    else
        fail installed-finds-app "$(head -c 300 "$TEST_TMP/dry.out")"
    fi
    rm -f "$TEST_TMP/togo.img"
else
    fail installed-finds-app "build/test-images/stick.img missing (make test-assets)"
fi
