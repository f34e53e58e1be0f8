#!/usr/bin/env bash
# wtg-rescue rebuild/undo/report details and bad disks: the rebuilt store
# as bcdtool reads it, the boot files and the firmware entry, dry runs that
# write nothing, and damaged disks that give findings, never a crash.
source "$(dirname "$0")/../lib.sh"
need_rescue_cli rescue_cli || exit 0
D=$TEST_TMP/rescue-cli
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
G=8be4df61-93ca-11d2-aa0d-00e098032b8c

if ! out=$(bash "$MK" bcd-missing "$D" "$BUILD" 2>&1); then
    fail rescue_cli_setup "$(tail -n 2 <<<"$out" | tr '\n' ' ')"
    exit 0
fi
disk=$D/disk.img stick=$D/stick.img off=$((2048 * 512))
args=(--disk "$disk" --stick "$stick" --nvram "$D/nvram")

# Dry runs change nothing, not even the stick.
sum() { cat "$disk" "$stick" "$D"/nvram/* | sha256sum; }
before=$(sum)
"$WR" repair "${args[@]}" >"$D/dry.txt" 2>&1
"$WR" rebuild --windows "$disk:3" "${args[@]}" >>"$D/dry.txt" 2>&1
if [ "$(sum)" = "$before" ] && grep -q 'Plan (dry run)' "$D/dry.txt"; then
    pass rescue_dry_run_writes_nothing
else
    fail rescue_dry_run_writes_nothing "images or variables changed, or no plan shown"
fi

# The rebuild, as bcdboot would leave the ESP and NVRAM.
"$WR" rebuild --windows "$disk:3" --apply --json "${args[@]}" >"$D/rebuild.json" 2>"$D/rebuild.err"
mcopy -n -i "$disk@@$off" ::/EFI/Microsoft/Boot/BCD "$D/BCD" 2>/dev/null
if "$BUILD/bcdtool" /store "$D/BCD" --check >"$D/check.txt" 2>&1 &&
    grep -q '14 object(s); hive: 0 error(s); BCD: 0 error(s)' "$D/check.txt"; then
    pass rescue_rebuild_store_checks
else
    fail rescue_rebuild_store_checks "$(tail -n 1 "$D/check.txt")"
fi
enum=$("$BUILD/bcdtool" /store "$D/BCD" /enum all 2>&1)
if grep -q 'Windows Boot Manager' <<<"$enum" && grep -qi 'winload.efi' <<<"$enum" &&
    grep -qi 'winresume.efi' <<<"$enum" && grep -qi 'memtest.efi' <<<"$enum" &&
    grep -q 'Windows Recovery Environment' <<<"$enum" && grep -qi 'ramdisk=.*Winre.wim' <<<"$enum"; then
    pass rescue_rebuild_objects
else
    fail rescue_rebuild_objects "bootmgr/loader/resume/memdiag/WinRE missing from /enum"
fi
if cmp -s <(mcopy -n -i "$disk@@$off" ::/EFI/Boot/bootx64.efi -) \
          <(mcopy -n -i "$disk@@$off" ::/EFI/Microsoft/Boot/bootmgfw.efi -) &&
    mdir -i "$disk@@$off" ::/EFI/Microsoft/Boot/en-US/bootmgfw.efi.mui >/dev/null 2>&1; then
    pass rescue_rebuild_boot_files
else
    fail rescue_rebuild_boot_files "fallback or locale files not copied"
fi
first=$(od -An -tu2 -j4 -N2 "$D/nvram/BootOrder-$G" | tr -d ' ')
entry=$(printf '%s/Boot%04X-%s' "$D/nvram" "$first" "$G")
if [ -f "$entry" ] && grep -qa 'WINDOWS' "$entry" &&
    [ "$(python3 -c "import sys; print(open(sys.argv[1],'rb').read()[10:50].decode('utf-16-le'))" "$entry")" = "Windows Boot Manager" ]; then
    pass rescue_rebuild_nvram_entry_first
else
    fail rescue_rebuild_nvram_entry_first "Boot$first is not Windows' entry"
fi
backup=$(jq_py "$D/rebuild.json" "d['backup']")
if "$WR" undo "$backup" "${args[@]}" | grep -q 'BootOrder'; then
    pass rescue_undo_dry_run_shows_manifest
else
    fail rescue_undo_dry_run_shows_manifest "no manifest shown"
fi
"$WR" report "${args[@]}" >/dev/null 2>&1
if mdir -b -i "$stick@@$off" ::/wtg-rescue/reports | grep -q '\.json$'; then
    pass rescue_report_saved_on_stick
else
    fail rescue_report_saved_on_stick "no report under \\wtg-rescue\\reports"
fi

# Bad disks: findings or an empty model, valid JSON, never a crash.
bad() {
    local name=$1 img=$2 want=${3:-}
    local rc=0
    "$WR" diagnose --json --disk "$img" >"$D/$name.json" 2>"$D/$name.err" || rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
        fail "rescue_bad_$name" "exit $rc: $(head -c 200 "$D/$name.err")"
    elif [ $rc -eq 0 ] && ! jq_py "$D/$name.json" "len(d['findings'])" >/dev/null 2>&1; then
        fail "rescue_bad_$name" "output is not JSON"
    elif [ -n "$want" ] && ! jq_py "$D/$name.json" "' '.join(f['id'] for f in d['findings'])" | grep -qw "$want"; then
        fail "rescue_bad_$name" "expected a $want finding"
    else
        pass "rescue_bad_$name"
    fi
}
head -c $((3 * 1024 * 1024)) "$disk" >"$D/truncated.img"
bad truncated "$D/truncated.img"
head -c $((4 * 1024 * 1024)) /dev/urandom >"$D/random.img"
bad random "$D/random.img"
cp --sparse=always "$disk" "$D/gpt.img"
dd if=/dev/urandom of="$D/gpt.img" bs=512 seek=1 count=33 conv=notrunc status=none
dd if=/dev/urandom of="$D/gpt.img" bs=512 seek=$(( $(stat -c %s "$D/gpt.img") / 512 - 33 )) count=33 conv=notrunc status=none
bad garbage_gpt "$D/gpt.img"
cp --sparse=always "$disk" "$D/ntfs.img"
start=$(sgdisk -i 3 "$D/ntfs.img" | awk '/^First sector:/ {print $3}')
dd if=/dev/urandom of="$D/ntfs.img" bs=512 seek=$((start + 16)) count=8000 conv=notrunc status=none
bad hostile_ntfs "$D/ntfs.img"
cp --sparse=always "$disk" "$D/hive.img"
head -c 8192 /dev/urandom | { printf 'regf'; cat; } >"$D/badhive"
mcopy -o -i "$D/hive.img@@$off" "$D/badhive" ::/EFI/Microsoft/Boot/BCD
bad corrupt_hive "$D/hive.img" G2

# W8: a clone attached beside its source (same GPT disk GUID).
cp --sparse=always "$disk" "$D/clone.img"
"$WR" diagnose --json --disk "$disk" --disk "$D/clone.img" >"$D/w8.json" 2>/dev/null
if jq_py "$D/w8.json" "' '.join(f['id'] for f in d['findings'])" | grep -qw W8; then
    pass rescue_w8_identity_collision
else
    fail rescue_w8_identity_collision "no W8 for two disks with one GUID"
fi

# G8: `repair --only bootorder` puts Windows first and keeps the other OS's
# entry and its fallback loader.
O=$TEST_TMP/rescue-cli-other
if bash "$MK" other-os "$O" "$BUILD" >/dev/null 2>&1; then
    fb_before=$(mcopy -n -i "$O/disk.img@@$off" ::/EFI/Boot/bootx64.efi - | sha256sum)
    "$WR" repair --only bootorder --apply --disk "$O/disk.img" --stick "$O/stick.img" \
        --nvram "$O/nvram" >/dev/null 2>&1
    first=$(od -An -tu2 -j4 -N2 "$O/nvram/BootOrder-$G" | tr -d ' ')
    order=$(od -An -tu2 -j4 "$O/nvram/BootOrder-$G" | tr -s ' ')
    fb_after=$(mcopy -n -i "$O/disk.img@@$off" ::/EFI/Boot/bootx64.efi - | sha256sum)
    if [ "$first" = 0 ] && grep -qw 1 <<<"$order" && [ -f "$O/nvram/Boot0001-$G" ] &&
        [ "$fb_before" = "$fb_after" ]; then
        pass rescue_bootorder_keeps_other_os
    else
        fail rescue_bootorder_keeps_other_os "BootOrder '$order', fallback changed: $([ "$fb_before" = "$fb_after" ] && echo no || echo yes)"
    fi
else
    fail rescue_bootorder_keeps_other_os "scenario build failed"
fi

# Undo after the ESP changed since the repair: files come back, the newer
# file stays, and the raw image is not written over it.
printf 'stat' >"$D/BOOTSTAT.DAT"
mcopy -o -i "$disk@@$off" "$D/BOOTSTAT.DAT" ::/EFI/Microsoft/Boot/BOOTSTAT.DAT
"$WR" undo "$backup" --apply "${args[@]}" >"$D/undo2.out" 2>&1
if grep -q 'raw image .* not applied' "$D/undo2.out" &&
    mdir -i "$disk@@$off" ::/EFI/Microsoft/Boot/BOOTSTAT.DAT >/dev/null 2>&1 &&
    ! mdir -i "$disk@@$off" ::/EFI/Microsoft/Boot/BCD >/dev/null 2>&1; then
    pass rescue_undo_keeps_newer_changes
else
    fail rescue_undo_keeps_newer_changes "$(tr '\n' ' ' <"$D/undo2.out" | head -c 300)"
fi
