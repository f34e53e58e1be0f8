#!/usr/bin/env bash
# wtg-rescue rebuild --firmware uefi|bios|all (bcdboot's /f): the BIOS set
# is the engine's bios action, the plan's last. A dry run lists its files
# and writes nothing; all writes both sets (\Boot\BCD in the PCAT flavour,
# \bootmgr from \Windows\Boot\PCAT) with one backup, whose one undo gives
# the disk back byte for byte; bios leaves the UEFI store and the firmware
# variables alone; a bad value or a Windows without PCAT is refused before
# anything is written.
source "$(dirname "$0")/../lib.sh"
need_rescue_cli rescue_rebuild_firmware || exit 0
D=$TEST_TMP/rebuild-firmware
# backup_of OUT: the backup folder an --apply run printed.
backup_of() { sed -n 's/^Backup: \(.*\) (undo restores it)$/\1/p' "$1"; }
# undo_status BACKUP OUT: runs its undo over the current args; prints the exit status.
undo_status() {
    local rc=0
    "$WR" undo "$1" --apply "${args[@]}" >"$2" 2>&1 || rc=$?
    echo "$rc"
}
off=$((2048 * 512))

# scen NAME DIR [PCAT]: a scenario (with \Windows\Boot\PCAT when PCAT=1).
# Then S is DIR, args its wtg-rescue disk arguments, before and
# disk_before its sums as built.
scen() {
    local out
    if ! out=$(WR_SCENARIO_PCAT=${3:-} bash "$MK" "$1" "$2" "$BUILD" 2>&1); then
        fail "rescue_rebuild_firmware_setup_$1" "$(tail -n 2 <<<"$out" | tr '\n' ' ')"
        return 1
    fi
    S=$2
    read -ra args <<<"$(args_of "$S")"
    before=$(sum "$S") disk_before=$(disk_sum "$S")
}
# Everything a run could write: the disk, the stick, the variables.
sum() { cat "$1/disk.img" "$1/stick.img" "$1"/nvram/* 2>/dev/null | sha256sum; }
# The same without the stick (which keeps the backups after an apply).
disk_sum() { cat "$1/disk.img" "$1"/nvram/* 2>/dev/null | sha256sum; }
args_of() { echo --disk "$1/disk.img" --stick "$1/stick.img" --nvram "$1/nvram"; }
esp_file() { mcopy -n -i "$1/disk.img@@$off" "::$2" - 2>/dev/null; }

scen bcd-missing "$D/all" 1 || exit 0
cp -r "$S" "$D/plain"

# Bad values: usage error, exit 2, nothing written (even with --apply).
ok=1
for v in bogus efi "" ; do
    rc=0
    "$WR" rebuild --windows "$S/disk.img:3" --firmware "$v" --apply "${args[@]}" \
        >"$D/bad.out" 2>"$D/bad.err" || rc=$?
    if [ $rc -ne 2 ] || ! grep -q -- '--firmware takes uefi, bios or all' "$D/bad.err"; then
        ok=0 why="value '$v': exit $rc: $(head -c 200 "$D/bad.err")"
    fi
done
rc=0
"$WR" rebuild --windows "$S/disk.img:3" "${args[@]}" --firmware >/dev/null 2>"$D/bad.err" || rc=$?
[ $rc -eq 2 ] && grep -q -- '--firmware needs a value' "$D/bad.err" || { ok=0 why="no value: exit $rc"; }
if [ $ok = 1 ] && [ "$(sum "$S")" = "$before" ]; then
    pass rescue_rebuild_firmware_bad_value_refused
else
    fail rescue_rebuild_firmware_bad_value_refused "${why:-images changed}"
fi

# Dry runs: the plan lists the BIOS files, nothing changes anywhere.
"$WR" rebuild --windows "$S/disk.img:3" --firmware all "${args[@]}" >"$D/dry-all.txt" 2>&1
"$WR" rebuild --windows "$S/disk.img:3" --firmware BIOS "${args[@]}" >"$D/dry-bios.txt" 2>&1
"$WR" rebuild --windows "$S/disk.img:3" --firmware all --json "${args[@]}" >"$D/dry-all.json" 2>/dev/null
if [ "$(sum "$S")" != "$before" ]; then
    fail rescue_rebuild_firmware_dry_run_writes_nothing "the images or variables changed"
elif ! grep -q '^  4\. \[bios\] .*write the BIOS set as bcdboot /f BIOS does' "$D/dry-all.txt" ||
    ! grep -qx '       \\bootmgr' "$D/dry-all.txt" || ! grep -qx '       \\Boot\\BCD' "$D/dry-all.txt" ||
    ! grep -qx '       \\Boot\\Fonts\\wgl4_boot.ttf' "$D/dry-all.txt" ||
    ! grep -q '^Plan (dry run): 4 action(s)' "$D/dry-all.txt"; then
    fail rescue_rebuild_firmware_dry_run_writes_nothing "all: the plan does not list both sets"
elif ! grep -q '^Plan (dry run): 1 action(s)' "$D/dry-bios.txt" ||
    ! grep -q '^  1\. \[bios\] ' "$D/dry-bios.txt" || grep -q '\[rebuild\]' "$D/dry-bios.txt"; then
    fail rescue_rebuild_firmware_dry_run_writes_nothing "bios: no bios action, or a UEFI one"
elif ! python3 - "$D/dry-all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["plan"]
assert [a["action"] for a in p] == ["bootfiles", "rebuild", "nvram", "bios"], p
b = p[-1]
assert "\\bootmgr" in b["files"] and b["files"][-1] == "\\Boot\\BCD", b
assert len(b["files"]) == 6, b["files"]
assert not b["ran"] and not b["refused"] and d["backup"] == "" and not d["applied"]
PY
then
    fail rescue_rebuild_firmware_dry_run_writes_nothing "the JSON plan lacks the BIOS set"
else
    pass rescue_rebuild_firmware_dry_run_writes_nothing
fi

# --firmware all --apply: both sets.
rc=0
"$WR" rebuild --windows "$S/disk.img:3" --firmware all --apply "${args[@]}" \
    >"$D/all.out" 2>"$D/all.err" || rc=$?
if [ $rc -ne 0 ]; then
    fail rescue_rebuild_firmware_all_applied "exit $rc: $(tail -n 3 "$D/all.err" | tr '\n' ' ')"
elif ! esp_file "$S" /EFI/Microsoft/Boot/BCD >"$D/uefi.BCD" ||
    ! grep -q '14 object(s); hive: 0 error(s); BCD: 0 error(s)' \
        <("$BUILD/bcdtool" /store "$D/uefi.BCD" --check 2>&1); then
    fail rescue_rebuild_firmware_all_applied "no good \\EFI\\Microsoft\\Boot\\BCD"
elif ! grep -q '^\[4/4\] .*write the BIOS set as bcdboot /f BIOS does.* \.\.\.$' "$D/all.err" ||
    ! grep -qx '\[4/4\] done' "$D/all.err" || ! grep -qx '\[3/4\] done' "$D/all.err" ||
    [ "$(grep -c '^\[backup\] done: ' "$D/all.err")" != 1 ] ||
    [ "$(grep -n '^\[4/4\] done' "$D/all.err" | cut -d: -f1)" -gt \
      "$(grep -n '^\[verify\] done' "$D/all.err" | cut -d: -f1)" ]; then
    fail rescue_rebuild_firmware_all_applied "no [4/4] bios progress lines before the verify, or not one backup"
else
    pass rescue_rebuild_firmware_all_applied
fi

# The report saved on the stick names the bios action and how it went.
rep=$(sed -n 's/^wtg-rescue: report saved on the stick: //p' "$D/all.err" | tr '\\' /)
if [ -n "$rep" ] && mcopy -n -i "$S/stick.img@@$off" "::$rep" "$D/saved.txt" 2>/dev/null &&
    grep -q '^  4\. \[bios\] .*write the BIOS set' "$D/saved.txt" &&
    [ "$(sed -n '/^  4\. \[bios\]/,/result:/p' "$D/saved.txt" | tail -n 1)" = '     result: done' ] &&
    mcopy -n -i "$S/stick.img@@$off" "::${rep%.txt}.json" - 2>/dev/null |
        python3 -c 'import json,sys; p=json.load(sys.stdin)["plan"]; assert p[-1]["action"]=="bios" and p[-1]["ran"] and p[-1]["result"]=="done"'; then
    pass rescue_rebuild_firmware_all_report_on_stick
else
    fail rescue_rebuild_firmware_all_report_on_stick "report '$rep' missing or without the bios action done"
fi

# \Boot\BCD: the PCAT store for partition 3 of this disk.
disk_guid=$(sgdisk -p "$S/disk.img" | sed -n 's/^Disk identifier (GUID): //p' | tr A-Z a-z)
part_guid=$(sgdisk -i 3 "$S/disk.img" | sed -n 's/^Partition unique GUID: //p' | tr A-Z a-z)
esp_file "$S" /Boot/BCD >"$D/bios.BCD"
"$BUILD/bcdtool" /store "$D/bios.BCD" /enum all /v >"$D/bios.enum" 2>&1
# the loader described "Windows" (not WinRE's), as one block of lines
loader=$(awk -v RS= '/\ndescription +Windows\n/' "$D/bios.enum")
dev="partition=gpt:{$disk_guid}/{$part_guid}"
if [ ! -s "$D/bios.BCD" ]; then
    fail rescue_rebuild_firmware_all_bios_bcd "no \\Boot\\BCD"
elif ! grep -qi '^path  *\\Windows\\system32\\winload\.exe$' <<<"$loader" ||
    ! grep -qi "^device  *$dev\$" <<<"$loader" || ! grep -qi "^osdevice  *$dev\$" <<<"$loader"; then
    fail rescue_rebuild_firmware_all_bios_bcd "loader not winload.exe on $dev: $(tr '\n' ' ' <<<"$loader" | head -c 300)"
elif grep -q 'Firmware Boot Manager' "$D/bios.enum" || grep -qi 'winload\.efi' "$D/bios.enum"; then
    fail rescue_rebuild_firmware_all_bios_bcd "UEFI objects in the BIOS store"
elif ! "$BUILD/hivetool" check "$D/bios.BCD" >"$D/bios.check" 2>&1; then
    fail rescue_rebuild_firmware_all_bios_bcd "hivetool check: $(tail -n 1 "$D/bios.check")"
elif command -v hivexml >/dev/null && ! hivexml "$D/bios.BCD" >"$D/bios.xml" 2>&1; then
    fail rescue_rebuild_firmware_all_bios_bcd "hivexml cannot parse it"
elif command -v hivexml >/dev/null && ! grep -q 'BCD00000001' "$D/bios.xml"; then
    fail rescue_rebuild_firmware_all_bios_bcd "hivexml output lacks the store's KeyName"
else
    pass rescue_rebuild_firmware_all_bios_bcd
fi

# \bootmgr, \BOOTNXT and \Boot\... are the Windows' PCAT files.
pcat() { "$WR" cat "$S/disk.img:3" "/Windows/Boot/$1" 2>/dev/null; }
if [ "$(pcat PCAT/bootmgr | wc -c)" -gt 1000 ] &&
    cmp -s <(esp_file "$S" /bootmgr) <(pcat PCAT/bootmgr) &&
    cmp -s <(esp_file "$S" /BOOTNXT) <(pcat PCAT/bootnxt) &&
    cmp -s <(esp_file "$S" /Boot/memtest.exe) <(pcat PCAT/memtest.exe) &&
    cmp -s <(esp_file "$S" /Boot/en-US/bootmgr.exe.mui) <(pcat PCAT/en-US/bootmgr.exe.mui) &&
    cmp -s <(esp_file "$S" /Boot/Fonts/wgl4_boot.ttf) <(pcat Fonts/wgl4_boot.ttf); then
    pass rescue_rebuild_firmware_all_bootmgr_is_pcat
else
    fail rescue_rebuild_firmware_all_bootmgr_is_pcat "\\bootmgr or \\Boot\\... differ from \\Windows\\Boot\\PCAT"
fi

# One undo of the one backup: the disk and variables as before.
A=$(backup_of "$D/all.out")
nb=$(mdir -/ -b -i "$S/stick.img@@$off" ::/wtg-rescue/backups 2>/dev/null | grep -ci '/manifest\.txt$')
if [ -z "$A" ] || [ "$nb" != 1 ] || grep -q '^BIOS backup' "$D/all.out"; then
    fail rescue_rebuild_firmware_all_undo "backup '$A', $nb manifest(s) on the stick"
else
    rc=$(undo_status "$A" "$D/undo-a.out")
    if [ "$rc" -ne 0 ]; then
        fail rescue_rebuild_firmware_all_undo "exit $rc: $(tail -n 2 "$D/undo-a.out" | tr '\n' ' ')"
    elif [ "$(disk_sum "$S")" != "$disk_before" ]; then
        fail rescue_rebuild_firmware_all_undo "the disk or variables differ from before the rebuild"
    elif ! grep -q '^restored the raw partition' "$D/undo-a.out"; then
        fail rescue_rebuild_firmware_all_undo "the UEFI backup's raw ESP image was not written back"
    else
        pass rescue_rebuild_firmware_all_undo
    fi
fi

# The default is today's rebuild: the UEFI set only, no \bootmgr.
read -ra pargs <<<"$(args_of "$D/plain")"
rc=0
"$WR" rebuild --windows "$D/plain/disk.img:3" --apply "${pargs[@]}" >"$D/plain.out" 2>&1 || rc=$?
if [ $rc -eq 0 ] && esp_file "$D/plain" /EFI/Microsoft/Boot/BCD | cmp -s - /dev/null; then
    fail rescue_rebuild_firmware_default_uefi "no UEFI store written"
elif [ $rc -eq 0 ] && ! mdir -i "$D/plain/disk.img@@$off" ::/bootmgr >/dev/null 2>&1 &&
    ! mdir -i "$D/plain/disk.img@@$off" ::/Boot >/dev/null 2>&1 && ! grep -q '^BIOS' "$D/plain.out"; then
    pass rescue_rebuild_firmware_default_uefi
else
    fail rescue_rebuild_firmware_default_uefi "exit $rc, or BIOS files written without --firmware"
fi

# --firmware bios on a healthy ESP (only the variables gone): the BIOS set,
# the UEFI store and every variable untouched, one undo for it all.
scen nvram-missing "$D/bios" 1 || exit 0
uefi_before=$(esp_file "$S" /EFI/Microsoft/Boot/BCD | sha256sum)
efi_list() { mdir -/ -b -i "$S/disk.img@@$off" ::/EFI 2>/dev/null | sort; }
efi_before=$(efi_list)
nv_before=$(cat "$S"/nvram/* 2>/dev/null | sha256sum; ls "$S/nvram")
rc=0
"$WR" rebuild --windows "$S/disk.img:3" --firmware bios --apply "${args[@]}" \
    >"$D/bios.out" 2>"$D/bios.err" || rc=$?
if [ $rc -ne 0 ]; then
    fail rescue_rebuild_firmware_bios_only "exit $rc: $(tail -n 3 "$D/bios.err" | tr '\n' ' ')"
elif [ "$(esp_file "$S" /EFI/Microsoft/Boot/BCD | sha256sum)" != "$uefi_before" ] ||
    [ "$(efi_list)" != "$efi_before" ]; then
    fail rescue_rebuild_firmware_bios_only "\EFI\Microsoft\Boot\BCD or the \EFI tree changed"
elif [ "$(cat "$S"/nvram/* 2>/dev/null | sha256sum; ls "$S/nvram")" != "$nv_before" ]; then
    fail rescue_rebuild_firmware_bios_only "firmware variables changed"
elif ! esp_file "$S" /Boot/BCD >"$D/bios2.BCD" || ! "$BUILD/hivetool" check "$D/bios2.BCD" >/dev/null 2>&1 ||
    ! "$BUILD/bcdtool" /store "$D/bios2.BCD" /enum all /v 2>&1 | grep -qi 'winload\.exe'; then
    fail rescue_rebuild_firmware_bios_only "no good \Boot\BCD"
elif ! cmp -s <(esp_file "$S" /bootmgr) <("$WR" cat "$S/disk.img:3" /Windows/Boot/PCAT/bootmgr 2>/dev/null); then
    fail rescue_rebuild_firmware_bios_only "\bootmgr is not the PCAT one"
elif ! grep -q '^Plan (applied): 1 action(s)' "$D/bios.out" || ! grep -q '^  1\. \[bios\]' "$D/bios.out" ||
    ! grep -qx '\[1/1\] done' "$D/bios.err"; then
    fail rescue_rebuild_firmware_bios_only "not one bios action in the plan, or no [1/1] progress"
else
    pass rescue_rebuild_firmware_bios_only
fi
B=$(backup_of "$D/bios.out")
rc=$(undo_status "$B" "$D/undo-bios.out")
if [ -n "$B" ] && [ "$rc" -eq 0 ] && [ "$(disk_sum "$S")" = "$disk_before" ] &&
    grep -q '^restored the raw partition' "$D/undo-bios.out"; then
    pass rescue_rebuild_firmware_bios_undo
else
    fail rescue_rebuild_firmware_bios_undo "backup '$B', exit $rc, or the disk differs after undo"
fi

# A Windows without \Windows\Boot\PCAT: bios and all refused, nothing written.
scen bcd-missing "$D/nopcat" || exit 0
ok=1
for fw in bios all; do
    rc=0
    "$WR" rebuild --windows "$S/disk.img:3" --firmware $fw --apply "${args[@]}" \
        >"$D/nopcat-$fw.out" 2>"$D/nopcat-$fw.err" || rc=$?
    if [ $rc -ne 4 ] || ! grep -q 'nothing written: BIOS boot files refused: .*has no \\Windows\\Boot\\PCAT\\bootmgr' "$D/nopcat-$fw.err" ||
        ! grep -q 'REFUSED: ' "$D/nopcat-$fw.out"; then
        ok=0 why="$fw: exit $rc: $(head -c 300 "$D/nopcat-$fw.err")"
    fi
done
if [ $ok = 1 ] && [ "$(sum "$S")" = "$before" ]; then
    pass rescue_rebuild_firmware_no_pcat_refused
else
    fail rescue_rebuild_firmware_no_pcat_refused "${why:-images changed}"
fi

# An MBR disk: the PCAT store names the partition by disk signature and
# offset; one undo gives the disk back.
scen mbr-signature "$D/mbr" 1 || exit 0
sig=$(od -An -tx4 -j440 -N4 "$S/disk.img" | tr -d ' ')
rc=0
"$WR" rebuild --windows "$S/disk.img:2" --firmware all --apply "${args[@]}" >"$D/mbr.out" 2>&1 || rc=$?
esp_file "$S" /Boot/BCD >"$D/mbr.BCD"
loader=$("$BUILD/bcdtool" /store "$D/mbr.BCD" /enum all /v 2>&1 | awk -v RS= '/\ndescription +Windows\n/')
dev="partition=mbr:$sig/0x$(printf '%x' $((75776 * 512)))"
if [ $rc -eq 0 ] && grep -qi "^osdevice  *$dev\$" <<<"$loader" &&
    grep -qi '^path  *\\Windows\\system32\\winload\.exe$' <<<"$loader"; then
    pass rescue_rebuild_firmware_mbr_bios_bcd
else
    fail rescue_rebuild_firmware_mbr_bios_bcd "exit $rc, or the loader is not winload.exe on $dev"
fi
A=$(backup_of "$D/mbr.out")
rc=$(undo_status "$A" "$D/mbr-undo.out")
if [ -n "$A" ] && [ "$rc" -eq 0 ] && [ "$(disk_sum "$S")" = "$disk_before" ]; then
    pass rescue_rebuild_firmware_mbr_one_undo
else
    fail rescue_rebuild_firmware_mbr_one_undo "backup '$A', exit $rc, or the disk differs after undo"
fi
