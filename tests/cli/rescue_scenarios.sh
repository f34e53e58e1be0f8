#!/usr/bin/env bash
# The rescue engine end to end, one case per failure-mode scenario
# (test-images/scenarios/make-scenario.sh): diagnose names the right id,
# repair --apply runs, the offline bootmgr judge (diagnose's verdict) says
# OK or the expected refusal, the Windows (NTFS) partitions are untouched,
# and undo --apply restores every file of the ESP, every variable and,
# through the raw ESP image in the backup, every byte of the disk images.
source "$(dirname "$0")/../lib.sh"
SCEN=${RESCUE_SCENARIOS:-bcd-missing bcd-empty bcd-dirty no-loader default-dangling gpt-clone mbr-signature bootmgfw-missing winload-missing esp-gone nvram-missing other-os bitlocker hibernated togo-flags two-windows}

need_rescue_cli rescue_scenarios || exit 0

json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# Every file on every FAT partition of the disks, with its sha256 (not
# the stick's own \wtg-rescue folder: backups and reports land there).
fat_snapshot() {
    local img p
    for img in "$@"; do
        sfdisk -J "$img" 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)["partitiontable"]
for p in d.get("partitions",[]): print(p["start"])' | while read -r p; do
            mdir -/ -b -a -i "$img@@$((p * 512))" :: 2>/dev/null | grep -v '/$' | grep -v '^::/wtg-rescue/' | sort | while read -r f; do
                echo "$img:$p:$f $(mcopy -n -i "$img@@$((p * 512))" "$f" - 2>/dev/null | sha256sum | cut -c1-64)"
            done
        done
    done
}
# The bytes of every non-FAT partition (Windows volumes are never written).
ntfs_snapshot() {
    local img
    for img in "$@"; do
        sfdisk -J "$img" 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)["partitiontable"]
for p in d.get("partitions",[]): print(p["start"], p["size"])' | while read -r s n; do
            if mdir -i "$img@@$((s * 512))" :: >/dev/null 2>&1; then continue; fi
            echo "$img:$s $(dd if="$img" bs=512 skip="$s" count="$n" status=none | sha256sum | cut -c1-64)"
        done
    done
}
nvram_snapshot() { (cd "$1" && for f in *; do [ -f "$f" ] && echo "$f $(sha256sum <"$f" | cut -c1-64)"; done) | sort; }

run_case() {
    local name=$1 dir=$TEST_TMP/sc/$1 id after args=() d out
    if ! out=$(bash "$MK" "$name" "$dir" "$BUILD" 2>&1); then
        fail "rescue_$name" "scenario build failed: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
        return
    fi
    id=$(sed -n 1p "$dir/expect") after=$(sed -n 2p "$dir/expect")
    while read -r d; do args+=(--disk "$d"); done <"$dir/disks"
    args+=(--nvram "$dir/nvram" --stick "$dir/stick.img")
    mapfile -t disks <"$dir/disks"
    fat_snapshot "${disks[@]}" >"$dir/fat.before"
    ntfs_snapshot "${disks[@]}" >"$dir/ntfs.before"
    nvram_snapshot "$dir/nvram" >"$dir/nv.before"
    image_sums() { local i; for i in "${disks[@]}"; do [ "$i" = "$dir/stick.img" ] || sha256sum "$i"; done; }
    image_sums >"$dir/img.before"

    "$WR" diagnose --json "${args[@]}" >"$dir/diag.json" 2>"$dir/diag.err" ||
        { fail "rescue_$name" "diagnose failed: $(head -c 200 "$dir/diag.err")"; return; }
    local want got
    got=$(json_get "$dir/diag.json" "' '.join(f['id'] for f in d['findings'])")
    for want in $id; do
        if ! grep -qw "$want" <<<"$got"; then
            fail "rescue_$name" "diagnose did not name $want: $got"
            return
        fi
    done
    "$WR" repair --apply --json "${args[@]}" >"$dir/repair.json" 2>"$dir/repair.err"
    "$WR" diagnose --json "${args[@]}" >"$dir/after.json" 2>/dev/null
    local ok code
    ok=$(json_get "$dir/after.json" "d['verdict']['ok']")
    code=$(json_get "$dir/after.json" "d['verdict']['code']")
    if [ "$after" = ok ] && [ "$ok" != True ]; then
        fail "rescue_$name" "after repair bootmgr would show $code: $(json_get "$dir/after.json" "d['verdict']['why']"); $(head -c 300 "$dir/repair.err")"
        return
    fi
    if [ "$after" != ok ] && [ "$code" != "$after" ]; then
        fail "rescue_$name" "expected the refusal verdict $after, got ok=$ok code=$code"
        return
    fi
    if [ "$name" = two-windows ]; then
        mcopy -n -i "${disks[0]}@@$((2048 * 512))" ::/EFI/Microsoft/Boot/BCD "$dir/BCD.after"
        if [ "$("$BUILD/bcdtool" /store "$dir/BCD.after" /enum osloader | grep -c '^osdevice')" != 2 ]; then
            fail "rescue_$name" "the rebuilt store has not one loader per Windows"
            return
        fi
    fi
    ntfs_snapshot "${disks[@]}" >"$dir/ntfs.after"
    if ! cmp -s "$dir/ntfs.before" "$dir/ntfs.after"; then
        fail "rescue_$name" "a Windows (NTFS) partition changed"
        return
    fi
    local backup
    backup=$(json_get "$dir/repair.json" "d.get('backup','')")
    if [ -n "$backup" ]; then
        "$WR" undo "$backup" --apply "${args[@]}" >"$dir/undo.out" 2>&1 ||
            { fail "rescue_$name" "undo failed: $(tail -n 2 "$dir/undo.out" | tr '\n' ' ')"; return; }
    fi
    fat_snapshot "${disks[@]}" >"$dir/fat.after"
    nvram_snapshot "$dir/nvram" >"$dir/nv.after"
    if ! diff -q "$dir/fat.before" "$dir/fat.after" >/dev/null; then
        fail "rescue_$name" "undo left ESP files different: $(diff "$dir/fat.before" "$dir/fat.after" | head -3 | tr '\n' ' ')"
    elif ! diff -q "$dir/nv.before" "$dir/nv.after" >/dev/null; then
        fail "rescue_$name" "undo left variables different"
    elif ! image_sums | diff -q "$dir/img.before" - >/dev/null; then
        fail "rescue_$name" "undo left the disk image different: $(tail -n 3 "$dir/undo.out" 2>/dev/null | tr '\n' ' ')"
    else
        pass "rescue_$name (${id}; after repair: $after; undo: ${backup:+restored}${backup:+ }${backup:-nothing to restore})"
    fi
}

for s in $SCEN; do run_case "$s"; done
