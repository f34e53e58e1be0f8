#!/usr/bin/env bash
# Keyboard over serial drives the menu into the BCD viewer: `b` opens it,
# `a` at the first page stop shows the rest, a key returns to the menu and
# `s` shuts down. Each store's text must be exactly what bcdtool /enum all
# prints for the same file (both render through lib/bcd), with one `?` per
# non-ASCII character (the console is ASCII).
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-bcd "$IMG/stick.img" "$IMG/host1.img" || exit 0
stick_with_conf "$TEST_TMP/stick.img" $'default menu\ntimeout -1'
cp --sparse=always "$IMG/host1.img" "$TEST_TMP/host1.img"
# Real stores when the shared fixtures are there (the images' own are
# minimal): a host's and a To Go stick's, with non-ASCII text.
put_fixture() {
    local f=$WR_SHARED/regf-fixtures/bcd/$2
    [ -f "$f" ] && mcopy -o -i "$1@@$((2048 * 512))" "$f" ::/EFI/Microsoft/Boot/BCD
}
put_fixture "$TEST_TMP/host1.img" nuc8-esp.BCD
put_fixture "$TEST_TMP/stick.img" windows2go-win11-esp.BCD
boot bcd --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$TEST_TMP/host1.img" --layout all \
    --on "$MENU_END" 'b' --on '^-- more: press a key, a for all' 'a' \
    --on '^Press any key to return to the menu' ' ' --on "$MENU_END" 's' --timeout 120

has_line app-bcd-menu-entry bcd '^[ >] b\) BCD viewer$'
has_exact app-bcd-title bcd 'BCD viewer'
has_line app-bcd-stick-store bcd '^BCD store on USB disk 0, .*partition 1: \\EFI\\Microsoft\\Boot\\BCD$'
has_line app-bcd-host-store bcd '^BCD store on NVMe disk 1, .*partition 1: \\EFI\\Microsoft\\Boot\\BCD$'
has_exact app-bcd-count bcd '2 BCD store(s) shown.'
exit_is app-bcd-back-to-menu-and-shut-down bcd 0

# section NAME HEADER_ERE: the viewer's text for one store without its
# heading, page stops and blank lines (the log keeps no blank lines).
section() {
    serial bcd | H="$2" awk '
        $0 ~ ENVIRON["H"] { on = 1; next }
        on && (/^BCD store on / || /^[0-9]+ BCD store\(s\) shown\.$/) { exit }
        on && !/^-- more: / && NF { print }'
}

# Compared with what bcdtool prints for the store on the disk booted.
same_as_bcdtool() {
    local case=$1 header=$2 img=$3 store=$TEST_TMP/$1.BCD want got
    if ! mcopy -n -i "$img@@$((2048 * 512))" ::/EFI/Microsoft/Boot/BCD "$store" 2>/dev/null; then
        fail "$case" "no \\EFI\\Microsoft\\Boot\\BCD in $img"; return
    fi
    want=$("$BUILD/bcdtool" /store "$store" /enum all | grep -v '^$' |
        perl -CS -pe 's/[^\x00-\x7f]/?/g')
    got=$(section bcd "$header")
    if [ -n "$got" ] && [ "$got" = "$want" ]; then
        pass "$case"
    else
        fail "$case" "viewer text differs from bcdtool /enum all: $(diff <(echo "$want") <(echo "$got") | head -n 4 | tr '\n' '|')"
    fi
}
same_as_bcdtool app-bcd-host-text-is-bcdedit '^BCD store on NVMe disk 1' "$TEST_TMP/host1.img"
same_as_bcdtool app-bcd-stick-text-is-bcdedit '^BCD store on USB disk 0' "$TEST_TMP/stick.img"
