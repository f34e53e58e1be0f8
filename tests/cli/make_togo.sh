#!/usr/bin/env bash
# wtg-rescue make-togo onto image files: a small Windows-like tree captured
# as LZX (two images, integrity table) and LZMS solid WIMs at test time;
# the GPT, the applied files byte for byte (wtg-rescue cat, lib/ntfs), the
# BCD judged OK by the engine, the three To Go values read back by lib/regf
# (hivetool export) and hivex, the ESP's app/conf/report, --repair-only,
# and the refusals (too small, no such index, corrupt WIMs, internal disk,
# no confirmation) leaving the target byte-identical.
source "$(dirname "$0")/../lib.sh"
WR=$BUILD/asan/bin/wtg-rescue
HT=$BUILD/asan/bin/hivetool
APP=$BUILD/wtg-rescue.efi
STUB=$BUILD/stub-bootmgr.efi
T=$TEST_TMP/make_togo
mkdir -p "$T"
# The images are big (sparse); the logs stay for whoever reads a FAIL line.
# Loop devices and mounts made below go too, whatever happened.
LOOP= MLOOP=
cleanup() {
    mountpoint -q "$T/mnt" 2>/dev/null && umount "$T/mnt"
    [ -n "$MLOOP" ] && losetup -d "$MLOOP" 2>/dev/null
    [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
    rm -f "$T"/*.img "$T"/*.img.ntfs.* "$T/alias"
}
trap cleanup EXIT

for need in "$WR" "$HT" "$APP" "$STUB"; do
    [ -e "$need" ] || { fail make_togo_built "$need not built"; exit 0; }
done
# Private copies: a parallel build may replace the app or the stub mid-test.
cp "$APP" "$T/app.efi" && cp "$STUB" "$T/stub.efi" && cp "$BUILD/hivetool" "$T/hivetool" &&
    APP=$T/app.efi STUB=$T/stub.efi
for cmd in wimcapture sgdisk mkfs.fat mkntfs mcopy hivexget hivexsh; do
    command -v "$cmd" >/dev/null || { skip make_togo "$cmd not installed"; exit 0; }
done
if ! "$REPO/test-images/togo/make-wim.sh" "$T/wim" "$STUB" "$T/hivetool" >"$T/wim.log" 2>&1; then
    fail make_togo_wim "make-wim.sh: $(tail -n 2 "$T/wim.log" | tr '\n' ' ')"; exit 0
fi
TREE=$T/wim/tree

# make NAME IMG WIM [ARGS...]: make-togo with --yes onto IMG; log in $T/NAME.log.
make() {
    local name=$1 img=$2 wim=$3; shift 3
    "$WR" make-togo --image "$wim" --stick "$img" --app "$APP" --yes "$@" >"$T/$name.log" 2>&1
}
esp_off() { echo $(( $(sgdisk -i 1 "$1" | awk '/^First sector:/ {print $3}') * 512 )); }
# togo_onto STICK NAME: make (lzms.esd) onto a block device faked as a USB
# stick, no input; prints the exit status.
togo_onto() {
    local rc=0
    WTG_TOGO_FAKE_SYSFS=removable=1,bus=usb make "$2" "$1" "$T/wim/lzms.esd" </dev/null || rc=$?
    echo "$rc"
}

# --- LZX, index 1, with a data partition ------------------------------
IMG=$T/lzx.img
if make lzx "$IMG" "$T/wim/lzx.wim" --index 1 --size 320M --data-partition 64M; then
    pass make_togo_lzx_runs
else
    fail make_togo_lzx_runs "exit $?: $(tail -n 3 "$T/lzx.log" | tr '\n' ' ')"; exit 0
fi

# the engine's progress lines, one pair per action (the BIOS set the third,
# under the one backup), come before the report
prog=$(grep -nE '^\[([0-9]+/[0-9]+|backup|verify)\] ' "$T/lzx.log")
rep=$(grep -n '^wtg-rescue make-togo report$' "$T/lzx.log" | cut -d: -f1)
if grep -q '^[0-9]*:\[backup\] done: ' <<<"$prog" && grep -q '^[0-9]*:\[1/3\] done$' <<<"$prog" &&
   grep -q '^[0-9]*:\[2/3\] done$' <<<"$prog" && grep -q '^[0-9]*:\[3/3\] .*BIOS set' <<<"$prog" &&
   grep -q '^[0-9]*:\[3/3\] done$' <<<"$prog" && grep -q '^[0-9]*:\[verify\] done$' <<<"$prog" &&
   [ "$(grep -c '^[0-9]*:\[backup\] done: ' <<<"$prog")" = 1 ] &&
   [ -n "$rep" ] && [ "$(tail -n 1 <<<"$prog" | cut -d: -f1)" -lt "$rep" ]; then
    pass make_togo_progress_lines
else
    fail make_togo_progress_lines "progress: $(tr '\n' '|' <<<"$prog") report at line ${rep:-none}"
fi

table=$(sgdisk -p "$IMG")
if grep -Eq '^ +1 +2048 .* EF00 +EFI system partition$' <<<"$table" &&
   grep -Eq '^ +2 .* 0700 +Windows To Go$' <<<"$table" &&
   grep -Eq '^ +3 .* 64\.0 MiB +0700 +Data$' <<<"$table" &&
   [ "$(grep -Ec '^ +[0-9]+ ' <<<"$table")" = 3 ]; then
    pass make_togo_gpt
else
    fail make_togo_gpt "$(tail -n 4 <<<"$table" | tr '\n' ' ')"
fi
if [ "$(blkid -p -o value -s TYPE -O "$(esp_off "$IMG")" "$IMG" 2>/dev/null)" = vfat ] &&
   mdir -i "$IMG@@$(( $(sgdisk -i 3 "$IMG" | awk '/^First sector:/ {print $3}') * 512 ))" :: >/dev/null 2>&1; then
    pass make_togo_fat_partitions
else
    fail make_togo_fat_partitions "ESP or data partition is not a FAT volume"
fi

# Every file of the tree, through lib/ntfs; SYSTEM was edited, its backup is the original.
bad=""
while IFS= read -r -d '' f; do
    rel=${f#"$TREE"}
    want=$f
    [ "$rel" = /Windows/System32/config/SYSTEM ] && rel=/Windows/System32/config/SYSTEM.wtg-rescue-1.bak
    if ! "$WR" cat "$IMG:2" "${rel//\//\\}" 2>/dev/null | cmp -s - "$want"; then bad="$bad $rel"; fi
done < <(find "$TREE" -type f -print0)
if [ -z "$bad" ] && [ "$(find "$TREE" -type f | wc -l)" -ge 7 ]; then
    pass make_togo_files_byte_exact
else
    fail make_togo_files_byte_exact "differ:$bad"
fi

"$WR" diagnose --json --disk "$IMG" --stick "$IMG" >"$T/diag.json" 2>/dev/null
verdict=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verdict"]; print(v["ok"], v["file"])' "$T/diag.json" 2>&1)
if [ "$verdict" = 'True \Windows\system32\winload.efi' ] &&
   grep -q 'To Go' <("$WR" diagnose --disk "$IMG" --stick "$IMG" 2>/dev/null); then
    pass make_togo_bcd_judged_ok
else
    fail make_togo_bcd_judged_ok "verdict: $verdict"
fi
# Our own app at \EFI\BOOT\BOOTX64.EFI is not "another OS's loader".
if grep -q '"id": *"G8"' "$T/diag.json"; then
    fail make_togo_own_app_not_g8 "diagnose reports G8 for the rescue app: $(grep -o '"title": *"[^"]*"' "$T/diag.json" | head -3 | tr '\n' ' ')"
else
    pass make_togo_own_app_not_g8
fi

"$WR" cat "$IMG:2" '\Windows\System32\config\SYSTEM' >"$T/SYSTEM" 2>/dev/null
exp=$("$HT" export "$T/SYSTEM" 2>&1)
if grep -q '"PortableOperatingSystem"=dword:00000001' <<<"$exp" &&
   grep -q '"SanPolicy"=dword:00000004' <<<"$exp" &&
   grep -q '"BootDriverFlags"=dword:00000015' <<<"$exp" &&
   "$HT" check "$T/SYSTEM" >/dev/null 2>&1; then
    pass make_togo_flags_regf
else
    fail make_togo_flags_regf "$(grep -iE 'portable|sanpolicy|bootdriver' <<<"$exp" | tr '\n' ' ')"
fi
hx() { hivexget "$T/SYSTEM" "$1" "$2" 2>&1; }
printf '%s\n' 'cd \ControlSet001\Control' 'lsval PortableOperatingSystem' \
    'cd \ControlSet001\Services\partmgr\Parameters' 'lsval SanPolicy' >"$T/hx.cmd"
if [ "$(hivexsh -f "$T/hx.cmd" "$T/SYSTEM" 2>&1 | tr '\n' ' ')" = '1 4 ' ] &&
   [ "$(hx '\ControlSet001\Control' PortableOperatingSystem)" = 1 ] &&
   [ "$(hx '\ControlSet001\Services\partmgr\Parameters' SanPolicy)" = 4 ] &&
   [ "$(hx '\HardwareConfig\{4c4c4544-0000-1010-8000-b2c04f4a4b31}' BootDriverFlags)" = 21 ]; then
    pass make_togo_flags_hivex
else
    fail make_togo_flags_hivex "hivexget: $(hx '\ControlSet001\Control' PortableOperatingSystem)"
fi

off=$(esp_off "$IMG")
get() { mcopy -n -i "$IMG@@$off" "::$1" "$2" 2>/dev/null; }
get /EFI/BOOT/BOOTX64.EFI "$T/bootx64" ; get /EFI/Microsoft/Boot/bootmgfw.efi "$T/bootmgfw"
get /EFI/wtg-rescue/wtg-rescue.conf "$T/conf"; get /wtg-rescue/make-togo-report.txt "$T/report"
if cmp -s "$T/bootx64" "$APP" && cmp -s "$T/bootmgfw" "$STUB" &&
   grep -qx 'default togo' "$T/conf" && grep -q 'Result: done' "$T/report" &&
   grep -q 'SanPolicy: (absent) -> 0x4' "$T/report"; then
    pass make_togo_esp_app_conf_report
else
    fail make_togo_esp_app_conf_report "BOOTX64/bootmgfw/conf/report not as expected"
fi
if grep -q 'applying: .* MiB, [0-9]* files, .* MiB/s, .* s left' "$T/lzx.log" &&
   grep -q 'index 2: Test Home' "$T/lzx.log"; then
    pass make_togo_progress_and_list
else
    fail make_togo_progress_and_list "no progress line or edition list"
fi

# --- bcdboot /f ALL's BIOS half: \bootmgr, \Boot\..., \Boot\BCD --------
PCAT=$TREE/Windows/Boot/PCAT
get /Boot/BCD "$T/bios.bcd"; get /bootmgr "$T/bootmgr"; get /BOOTNXT "$T/bootnxt"
get /Boot/memtest.exe "$T/memtest"; get /Boot/en-US/bootmgr.exe.mui "$T/mui"
get /Boot/Fonts/wgl4_boot.ttf "$T/font"
if cmp -s "$T/bootmgr" "$PCAT/bootmgr" && cmp -s "$T/bootnxt" "$PCAT/bootnxt" &&
   cmp -s "$T/memtest" "$PCAT/memtest.exe" && cmp -s "$T/mui" "$PCAT/en-US/bootmgr.exe.mui" &&
   cmp -s "$T/font" "$TREE/Windows/Boot/Fonts/wgl4_boot.ttf" &&
   ! mdir -i "$IMG@@$off" ::/Boot/bootmgr >/dev/null 2>&1; then
    pass make_togo_bios_files
else
    fail make_togo_bios_files "\\bootmgr, \\BOOTNXT or \\Boot\\... differ from \\Windows\\Boot\\PCAT"
fi
# The loader, its device and osdevice (the Windows partition of this disk,
# by GUID), and the PCAT shape: {bootmgr} without path, no {fwbootmgr}.
disk_guid=$(sgdisk -p "$IMG" | awk '/^Disk identifier/ {print tolower($4)}')
win_guid=$(sgdisk -i 2 "$IMG" | awk '/^Partition unique GUID/ {print tolower($4)}')
esp_guid=$(sgdisk -i 1 "$IMG" | awk '/^Partition unique GUID/ {print tolower($4)}')
BT=$BUILD/asan/bin/bcdtool
[ -x "$BT" ] || BT=$BUILD/bcdtool
enum=$("$BT" /store "$T/bios.bcd" /enum all /v 2>&1)
loader=$(awk '/^Windows Boot Loader$/ {on=1} /^$/ {on=0} on' <<<"$enum")
bootmgr=$(awk '/^Windows Boot Manager$/ {on=1} /^$/ {on=0} on' <<<"$enum")
dev="partition=gpt:{$disk_guid}/{$win_guid}"
if [ -n "$win_guid" ] &&
   grep -qx 'path  *\\Windows\\system32\\winload\.exe' <<<"$loader" &&
   grep -qxF "device                  $dev" <<<"$loader" &&
   grep -qxF "osdevice                $dev" <<<"$loader" &&
   grep -qxF "device                  partition=gpt:{$disk_guid}/{$esp_guid}" <<<"$bootmgr" &&
   ! grep -q '^path' <<<"$bootmgr" && ! grep -q '^Firmware Boot Manager' <<<"$enum" &&
   grep -qx 'path  *\\boot\\memtest\.exe' <<<"$enum"; then
    pass make_togo_bios_bcd
else
    fail make_togo_bios_bcd "want loader on $dev: $(tr '\n' ' ' <<<"$loader" | head -c 400)"
fi
if "$HT" check "$T/bios.bcd" >"$T/bios-check.log" 2>&1 && hivexml "$T/bios.bcd" >/dev/null 2>&1 &&
   grep -q 'BIOS boot files (bcdboot /f ALL): \\bootmgr from \\Windows\\Boot\\PCAT' "$T/report" &&
   grep -q 'a BIOS PC needs MBR boot code' "$T/report"; then
    pass make_togo_bios_bcd_valid_hive
else
    fail make_togo_bios_bcd_valid_hive "$(tail -n 2 "$T/bios-check.log" | tr '\n' ' ')"
fi

# W6 compares what the two stores start, not their bytes (which always
# differ): none on the made stick; a \Boot\BCD whose {default} device is
# moved to the ESP has drifted. The store is put back afterwards.
cp "$T/bios.bcd" "$T/drift.bcd"
w6() { "$WR" diagnose --json --disk "$IMG" --stick "$IMG" 2>/dev/null | grep -c '"id": *"W6"'; }
if [ "$(grep -c '"id": *"W6"' "$T/diag.json")" = 0 ] &&
   "$BT" /store "$T/drift.bcd" /set '{default}' device "partition=$IMG:1" >/dev/null 2>&1 &&
   mcopy -o -i "$IMG@@$off" "$T/drift.bcd" ::/Boot/BCD && [ "$(w6)" = 1 ] &&
   mcopy -o -i "$IMG@@$off" "$T/bios.bcd" ::/Boot/BCD && [ "$(w6)" = 0 ]; then
    pass make_togo_bios_w6_only_on_drift
else
    fail make_togo_bios_w6_only_on_drift "W6 count on the made stick: $(grep -c '"id": *"W6"' "$T/diag.json")"
fi

# --- repair-only: a lost BCD comes back, Windows' files stay ----------
mdel -i "$IMG@@$off" ::/EFI/Microsoft/Boot/BCD
sum_before=$("$WR" cat "$IMG:2" '\Users\Tess\Documents\photo.bin' 2>/dev/null | sha256sum)
if "$WR" make-togo --repair-only --stick "$IMG" --app "$APP" \
        >"$T/repair.log" 2>&1 &&
   "$WR" diagnose --disk "$IMG" --stick "$IMG" 2>/dev/null | grep -q '^Boot verdict: OK' &&
   [ "$("$WR" cat "$IMG:2" '\Users\Tess\Documents\photo.bin' 2>/dev/null | sha256sum)" = "$sum_before" ] &&
   "$WR" cat "$IMG:2" '\Windows\System32\config\SYSTEM.wtg-rescue-2.bak' 2>/dev/null | cmp -s - "$T/SYSTEM"; then
    pass make_togo_repair_only
else
    fail make_togo_repair_only "$(tail -n 3 "$T/repair.log" | tr '\n' ' ')"
fi

# --- repair-only on a dirty SYSTEM -------------------------------------
# The state a power cut leaves in lib/regf's (and Windows') in-place commit
# right after the header: seq1 bumped, the old pages, the new ones only in
# SYSTEM.LOG (regf-format.md §11.5). The marker and SanPolicy=1 exist only
# in the log, so reading them back proves the log was replayed. Without a
# usable log: refused, SYSTEM untouched. Written in with ntfscp through a
# copy of the partition.
D=$T/dirty
mkdir -p "$D"
win_off=$(( $(sgdisk -i 2 "$IMG" | awk '/^First sector:/ {print $3}') * 512 ))
win_len=$(( ($(sgdisk -i 2 "$IMG" | awk '/^Last sector:/ {print $3}') + 1) * 512 - win_off ))
# put_win SRC NTFS_PATH...: files into the stick's Windows partition
put_win() {
    dd if="$IMG" of="$D/win.part" bs=1M iflag=skip_bytes,count_bytes skip="$win_off" \
        count="$win_len" status=none || return 1
    while [ $# -ge 2 ]; do ntfscp -f "$D/win.part" "$1" "$2" >/dev/null 2>&1 || return 1; shift 2; done
    dd if="$D/win.part" of="$IMG" bs=1M oflag=seek_bytes seek="$win_off" conv=notrunc status=none
    rm -f "$D/win.part"
}
make_dirty() {
    "$WR" cat "$IMG:2" '\Windows\System32\config\SYSTEM' >"$D/SYSTEM" 2>/dev/null &&
    cp "$D/SYSTEM" "$D/SYSTEM.clean" &&
    printf '%s\r\n' 'Windows Registry Editor Version 5.00' '' \
        '[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Control]' '"DirtyMarker"=dword:0000002a' '' \
        '[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\partmgr\Parameters]' \
        '"SanPolicy"=dword:00000001' '' >"$D/marker.reg" &&
    "$T/hivetool" import --in-place --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$D/SYSTEM" "$D/marker.reg" >/dev/null &&
    [ -s "$D/SYSTEM.LOG" ] &&
    python3 - "$D/SYSTEM.clean" "$D/SYSTEM.dirty" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
seq1, seq2 = struct.unpack_from('<II', b, 4)
struct.pack_into('<I', b, 4, seq1 + 1)
x = 0
for i in range(0, 0x1FC, 4):
    x ^= struct.unpack_from('<I', b, i)[0]
x = 1 if x == 0 else (0xFFFFFFFE if x == 0xFFFFFFFF else x)
struct.pack_into('<I', b, 0x1FC, x)
open(sys.argv[2], 'wb').write(b)
PY
}
if ! command -v ntfscp >/dev/null; then
    skip make_togo_repair_only_dirty_system "ntfscp not installed (ntfs-3g)"
elif ! make_dirty || "$HT" check "$D/SYSTEM.dirty" >/dev/null 2>&1; then
    fail make_togo_repair_only_dirty_system "could not make a dirty SYSTEM and its log"
else
    : >"$D/empty"
    put_win "$D/SYSTEM.dirty" /Windows/System32/config/SYSTEM "$D/empty" /Windows/System32/config/SYSTEM.LOG
    rc=0
    "$WR" make-togo --repair-only --stick "$IMG" --app "$APP" >"$D/nolog.log" 2>&1 || rc=$?
    if [ "$rc" = 7 ] &&
       grep -q 'step "To Go flags": SYSTEM is dirty (a write that did not finish) and its logs do not recover it: .*; the hive on the stick was not changed' "$D/nolog.log" &&
       grep -q 'State of the stick: unchanged' "$D/nolog.log" &&
       "$WR" cat "$IMG:2" '\Windows\System32\config\SYSTEM' 2>/dev/null | cmp -s - "$D/SYSTEM.dirty"; then
        pass make_togo_repair_only_dirty_without_log_refused
    else
        fail make_togo_repair_only_dirty_without_log_refused "exit $rc: $(grep make-togo: "$D/nolog.log" | tr '\n' ' ')"
    fi
    put_win "$D/SYSTEM.LOG" /Windows/System32/config/SYSTEM.LOG
    rc=0
    "$WR" make-togo --repair-only --stick "$IMG" --app "$APP" >"$D/repair.log" 2>&1 || rc=$?
    "$WR" cat "$IMG:2" '\Windows\System32\config\SYSTEM' >"$D/after" 2>/dev/null
    printf '%s\n' 'cd \ControlSet001\Control' 'lsval DirtyMarker' 'lsval PortableOperatingSystem' \
        'cd \ControlSet001\Services\partmgr\Parameters' 'lsval SanPolicy' >"$D/hx.cmd"
    got=$(hivexsh -f "$D/hx.cmd" "$D/after" 2>&1 | tr '\n' ' ')
    if [ "$rc" = 0 ] && [ "$got" = '42 1 4 ' ] && "$HT" check "$D/after" >/dev/null 2>&1 &&
       grep -q 'SYSTEM was dirty (a write that did not finish): recovered from its logs (SYSTEM.LOG)' "$D/repair.log" &&
       grep -q 'SanPolicy: 0x1 -> 0x4' "$D/repair.log" &&
       "$WR" cat "$IMG:2" '\Windows\System32\config\SYSTEM.wtg-rescue-3.bak' 2>/dev/null | cmp -s - "$D/SYSTEM.dirty"; then
        pass make_togo_repair_only_dirty_system
    else
        fail make_togo_repair_only_dirty_system "exit $rc, hivexsh: $got; $(grep -E 'make-togo:|dirty' "$D/repair.log" | tr '\n' ' ')"
    fi
fi

# --- LZMS solid, the only image chosen without --index -----------------
IMG2=$T/lzms.img
if make lzms "$IMG2" "$T/wim/lzms.esd" --size 300M &&
   "$WR" cat "$IMG2:2" '\Program Files\Tool\numbers.txt' 2>/dev/null | cmp -s - "$TREE/Program Files/Tool/numbers.txt" &&
   "$WR" diagnose --disk "$IMG2" --stick "$IMG2" 2>/dev/null | grep -q '^Boot verdict: OK'; then
    pass make_togo_lzms_solid
else
    fail make_togo_lzms_solid "$(tail -n 3 "$T/lzms.log" | tr '\n' ' ')"
fi

if [ "$(grep -c '^Images in the WIM:' "$T/lzms.log")" = 1 ] &&
   grep -q '^  \* index 1: Test Pro' "$T/lzms.log"; then
    pass make_togo_single_image_chosen_once
else
    fail make_togo_single_image_chosen_once "the image list is not shown exactly once"
fi
if "$WR" make-togo --image "$T/wim/lzx.wim" --list >"$T/list.log" 2>&1 &&
   grep -q '^    index 1: Test Pro, edition Professional' "$T/list.log" &&
   grep -q '^    index 2: Test Home' "$T/list.log" &&
   grep -q 'checked against its integrity table' "$T/list.log"; then
    pass make_togo_list
else
    fail make_togo_list "$(head -n 3 "$T/list.log" | tr '\n' ' ')"
fi
if minfo -i "$IMG@@$off" :: 2>/dev/null | grep -q '^hidden sectors: 2048$'; then
    pass make_togo_esp_hidden_sectors
else
    fail make_togo_esp_hidden_sectors "the ESP's BPB does not give its start (2048)"
fi

# --- index 2 -------------------------------------------------------------
IMG3=$T/home.img
if make home "$IMG3" "$T/wim/lzx.wim" --index 2 --size 300M &&
   [ "$("$WR" cat "$IMG3:2" '\Users\Tess\home.txt' 2>/dev/null)" = $'Home edition marker\r' ]; then
    pass make_togo_index2
else
    fail make_togo_index2 "$(tail -n 3 "$T/home.log" | tr '\n' ' ')"
fi

# --- refusals: exit status, message, target untouched --------------------
victim=$T/victim.img
head -c $((400 << 20)) /dev/zero | tr '\0' 'v' >"$victim"
vsum=$(sha256sum <"$victim")
untouched() { [ "$(sha256sum <"$victim")" = "$vsum" ] && ! ls "$victim".ntfs.* >/dev/null 2>&1; }
# refused NAME STATUS MESSAGE_RE WIM [ARGS...]
refused() {
    local name=$1 want=$2 re=$3 wim=$4 rc=0; shift 4
    "$WR" make-togo --image "$wim" --stick "$victim" --app "$APP" "$@" >"$T/$name.log" 2>&1 </dev/null || rc=$?
    if [ "$rc" = "$want" ] && grep -Eq "$re" "$T/$name.log" && untouched; then
        pass "$name"
    else
        fail "$name" "exit $rc (want $want), untouched=$(untouched && echo yes || echo no): $(tail -n 2 "$T/$name.log" | tr '\n' ' ')"
    fi
}
small=$T/small.img
head -c $((60 << 20)) /dev/zero | tr '\0' 's' >"$small"
ssum=$(sha256sum <"$small"); rc=0
"$WR" make-togo --image "$T/wim/lzx.wim" --index 1 --stick "$small" --app "$APP" --yes >"$T/small.log" 2>&1 || rc=$?
if [ "$rc" = 6 ] && grep -q 'refused: .* holds 60 MiB; this image needs at least' "$T/small.log" &&
   [ "$(sha256sum <"$small")" = "$ssum" ]; then
    pass make_togo_refuse_too_small
else
    fail make_togo_refuse_too_small "exit $rc: $(tail -n 2 "$T/small.log" | tr '\n' ' ')"
fi
rc=0
"$WR" make-togo --image "$T/wim/lzms.esd" --stick "$T/new.img" --size 64M --app "$APP" --yes \
    >"$T/newsmall.log" 2>&1 || rc=$?
if [ "$rc" = 6 ] && [ ! -e "$T/new.img" ] && grep -q 'holds 64 MiB' "$T/newsmall.log"; then
    pass make_togo_refuse_small_new_image_not_created
else
    fail make_togo_refuse_small_new_image_not_created "exit $rc, exists: $(ls "$T/new.img" 2>&1)"
fi
rc=0
echo no | "$WR" make-togo --image "$T/wim/lzms.esd" --stick "$T/default.img" --app "$APP" \
    >"$T/default.log" 2>&1 || rc=$?
if [ "$rc" = 6 ] && [ ! -e "$T/default.img" ] &&
   grep -q 'Target: .*default.img, 32768 MiB' "$T/default.log"; then
    pass make_togo_new_image_defaults_to_32g_after_yes
else
    fail make_togo_new_image_defaults_to_32g_after_yes "exit $rc: $(grep Target "$T/default.log")"
fi
refused make_togo_refuse_missing_index 5 'no index 3 \(it has 1 to 2\)' "$T/wim/lzx.wim" --index 3 --yes
refused make_togo_refuse_no_index_choice 2 'has 2 images; choose one with --index' "$T/wim/lzx.wim" --yes
# --size never shrinks an image file (nor is it ignored), and --repair-only
# does not take partition sizes.
refused make_togo_refuse_size_below_image 2 \
    'make-togo: --size 300 MiB is less than the image file .*victim.img \(400 MiB\); make-togo grows a file but never shrinks one' \
    "$T/wim/lzx.wim" --index 1 --size 300M --yes
rc=0
"$WR" make-togo --repair-only --stick "$victim" --size 1G >"$T/repair-size.log" 2>&1 || rc=$?
if [ "$rc" = 2 ] && grep -q -- '--repair-only keeps the partitions it finds' "$T/repair-size.log" && untouched; then
    pass make_togo_refuse_repair_only_size
else
    fail make_togo_refuse_repair_only_size "exit $rc: $(tail -n 1 "$T/repair-size.log")"
fi

# Corrupt file data in the middle of each WIM: the integrity table (LZX)
# or the per-blob hashes (LZMS, no table) must catch it before any write.
for w in lzx.wim lzms.esd; do
    cp "$T/wim/$w" "$T/bad-$w"
    size=$(stat -c %s "$T/bad-$w")
    printf 'CORRUPTCORRUPTCORRUPT' | dd of="$T/bad-$w" bs=1 seek=$((size / 3)) conv=notrunc status=none
done
refused make_togo_refuse_corrupt_lzx 5 'make-togo: step "(check|verify) the image"' "$T/bad-lzx.wim" --index 1 --yes
refused make_togo_refuse_corrupt_lzms 5 'make-togo: step "(check|verify) the image"' "$T/bad-lzms.esd" --yes
WTG_TOGO_FAKE_SYSFS=removable=0,bus=ata refused make_togo_refuse_internal 6 \
    'refused: .* looks like an internal disk \(removable=0, bus ata\)' "$T/wim/lzx.wim" --index 1 --yes
rc=0
echo no | "$WR" make-togo --image "$T/wim/lzms.esd" --stick "$IMG2" --app "$APP" >"$T/shown.log" 2>&1 || rc=$?
if [ "$rc" = 6 ] && grep -q '^  GPT partition table, 2 partition(s):' "$T/shown.log" &&
   grep -q '^    1: 100 MiB, FAT32 "WTGESP", partition name "EFI system partition"' "$T/shown.log" &&
   grep -q '^    2: .* MiB, NTFS, partition name "Windows To Go"' "$T/shown.log" &&
   "$WR" diagnose --disk "$IMG2" --stick "$IMG2" 2>/dev/null | grep -q '^Boot verdict: OK'; then
    pass make_togo_shows_disk_before_asking
else
    fail make_togo_shows_disk_before_asking "exit $rc: $(grep -A3 '^Target' "$T/shown.log" | tr '\n' ' ')"
fi
refused make_togo_refuse_unconfirmed 6 'Type YES to wipe it: .*|cancelled; nothing was written' "$T/wim/lzx.wim" --index 1

# A WIM whose Windows has no SYSTEM hive: the apply works, the flags step
# stops, and the message names the step and the stick's state.
rm -rf "$T/nosys" && cp -r "$TREE" "$T/nosys" && rm "$T/nosys/Windows/System32/config/SYSTEM"
wimcapture "$T/nosys" "$T/nosys.wim" "No SYSTEM" >/dev/null 2>&1
rc=0
make nosys "$T/nosys.img" "$T/nosys.wim" --size 300M || rc=$?
if [ "$rc" = 7 ] && grep -q 'step "To Go flags": no readable .*config.*SYSTEM' "$T/nosys.log" &&
   grep -q 'State of the stick: partitioned and formatted; the Windows partition is incomplete' "$T/nosys.log" &&
   ! ls "$T"/nosys.img.ntfs.* >/dev/null 2>&1; then
    pass make_togo_failed_step_says_state
else
    fail make_togo_failed_step_says_state "exit $rc: $(tail -n 2 "$T/nosys.log" | tr '\n' ' ')"
fi

# A block device (a loop device over an image, when this machine lets us
# make one): unfaked, sysfs says removable=0 and no USB bus, so it is
# refused; faked as a USB stick, the partitions are written (through their
# nodes, or at their offsets when no udev makes nodes) and the result boots.
blk=$T/blk.img
truncate -s 400M "$blk"
if LOOP=$(losetup -P -f --show "$blk" 2>/dev/null); then
    rc=0
    "$WR" make-togo --image "$T/wim/lzms.esd" --stick "$LOOP" --app "$APP" --yes \
        >"$T/loop-internal.log" 2>&1 || rc=$?
    if [ "$rc" = 6 ] && grep -q 'looks like an internal disk' "$T/loop-internal.log" &&
       [ -z "$(tr -d '\0' <"$blk" | head -c 1)" ]; then
        pass make_togo_block_refused_internal
    else
        fail make_togo_block_refused_internal "exit $rc: $(tail -n 1 "$T/loop-internal.log")"
    fi
    rc=0
    WTG_TOGO_FAKE_SYSFS=removable=1,bus=usb "$WR" make-togo --image "$T/wim/lzms.esd" \
        --stick "$LOOP" --size 200M --app "$APP" --yes >"$T/loop-size.log" 2>&1 || rc=$?
    if [ "$rc" = 2 ] &&
       grep -qF -- "--size is for image files; the disk $LOOP is used whole (400 MiB): leave --size out (nothing was written)" "$T/loop-size.log" &&
       [ -z "$(tr -d '\0' <"$blk" | head -c 1)" ]; then
        pass make_togo_block_refuses_size
    else
        fail make_togo_block_refuses_size "exit $rc: $(tail -n 1 "$T/loop-size.log")"
    fi
    if WTG_TOGO_FAKE_SYSFS=removable=1,bus=usb "$WR" make-togo --image "$T/wim/lzms.esd" \
            --stick "$LOOP" --app "$APP" --yes >"$T/loop.log" 2>&1 &&
       losetup -d "$LOOP" &&
       "$WR" diagnose --disk "$blk" --stick "$blk" 2>/dev/null | grep -q '^Boot verdict: OK' &&
       "$WR" cat "$blk:2" '\Users\Tess\Documents\photo.bin' 2>/dev/null |
           cmp -s - "$TREE/Users/Tess/Documents/photo.bin"; then
        pass make_togo_block_device
    else
        fail make_togo_block_device "$(tail -n 3 "$T/loop.log" | tr '\n' ' ')"
    fi
    losetup -d "$LOOP" 2>/dev/null; LOOP=
else
    skip make_togo_block_device "no loop device here (needs root)"
fi

# A mounted stick (an ext4 on a loop device; this container has no vfat or
# partition nodes to mount): refused by its own name, and when mounted
# through another node of the same device, which only the device number in
# mountinfo gives away. Unmounted, the same run gets to the question.
mblk=$T/mounted.img
truncate -s 300M "$mblk"
if MLOOP=$(losetup -f --show "$mblk" 2>/dev/null) && mkfs.ext4 -q "$MLOOP" 2>/dev/null &&
   mkdir -p "$T/mnt" && mount "$MLOOP" "$T/mnt" 2>/dev/null; then
    rc=$(togo_onto "$MLOOP" mounted)
    if [ "$rc" = 6 ] &&
       grep -qF "refused: $MLOOP or one of its partitions is mounted ($MLOOP on $T/mnt); unmount or close it first (nothing was written)" "$T/mounted.log"; then
        pass make_togo_refuse_mounted
    else
        fail make_togo_refuse_mounted "exit $rc: $(tail -n 1 "$T/mounted.log")"
    fi
    # The mounted loop given as a node of another name (mknod): sysfs has no
    # entry by that name, so the device number must find the disk.
    devno=$(cat "/sys/class/block/${MLOOP#/dev/}/dev")
    if mknod "$T/stick-node" b "${devno%:*}" "${devno#*:}"; then
        rc=$(togo_onto "$T/stick-node" mounted-node)
        rm -f "$T/stick-node"
        if [ "$rc" = 6 ] &&
           grep -qF "refused: $T/stick-node or one of its partitions is mounted ($MLOOP on $T/mnt)" "$T/mounted-node.log" &&
           [ "$(blkid -p -o value -s TYPE "$mblk" 2>/dev/null)" = ext4 ]; then
            pass make_togo_refuse_mounted_given_other_node
        else
            fail make_togo_refuse_mounted_given_other_node "exit $rc: $(tail -n 1 "$T/mounted-node.log")"
        fi
    else
        skip make_togo_refuse_mounted_given_other_node "cannot make a second node"
    fi
    umount "$T/mnt"
    devno=$(cat "/sys/class/block/${MLOOP#/dev/}/dev")
    if mknod "$T/alias" b "${devno%:*}" "${devno#*:}" && mount "$T/alias" "$T/mnt" 2>/dev/null; then
        rc=$(togo_onto "$MLOOP" mounted-alias)
        umount "$T/mnt"
        if [ "$rc" = 6 ] && grep -qF "is mounted ($T/alias on $T/mnt)" "$T/mounted-alias.log"; then
            pass make_togo_refuse_mounted_other_node
        else
            fail make_togo_refuse_mounted_other_node "exit $rc: $(tail -n 1 "$T/mounted-alias.log")"
        fi
    else
        skip make_togo_refuse_mounted_other_node "cannot make or mount a second node"
    fi
    rc=0
    echo no | WTG_TOGO_FAKE_SYSFS=removable=1,bus=usb "$WR" make-togo --image "$T/wim/lzms.esd" \
        --stick "$MLOOP" --app "$APP" >"$T/unmounted.log" 2>&1 || rc=$?
    if [ "$rc" = 6 ] && grep -q 'cancelled; nothing was written' "$T/unmounted.log" &&
       ! grep -q 'is mounted' "$T/unmounted.log" &&
       [ "$(blkid -p -o value -s TYPE "$mblk" 2>/dev/null)" = ext4 ]; then
        pass make_togo_unmounted_gets_to_question
    else
        fail make_togo_unmounted_gets_to_question "exit $rc: $(tail -n 1 "$T/unmounted.log")"
    fi
    losetup -d "$MLOOP"; MLOOP=
else
    skip make_togo_refuse_mounted "cannot attach, format (mkfs.ext4) or mount a loop device here"
fi

# A block node whose number sysfs does not know (mknod, no such driver):
# nothing can tell whether it is in use, so it is refused before any step.
if [ ! -e /sys/dev/block/250:77 ] && mknod "$T/bogus-node" b 250 77 2>/dev/null; then
    rc=$(togo_onto "$T/bogus-node" bogus-node)
    rm -f "$T/bogus-node"
    if [ "$rc" = 6 ] &&
       grep -qF "make-togo: cannot tell whether $T/bogus-node is in use: sysfs has no block device 250:77" "$T/bogus-node.log" &&
       grep -qF "; refusing (nothing was written)" "$T/bogus-node.log" &&
       ! grep -qE '^Target:|partitioning|\[1/' "$T/bogus-node.log"; then
        pass make_togo_refuse_unknown_block_node
    else
        fail make_togo_refuse_unknown_block_node "exit $rc: $(tail -n 1 "$T/bogus-node.log")"
    fi
else
    skip make_togo_refuse_unknown_block_node "cannot make a block node 250:77 here (needs root; or 250:77 exists)"
fi

# Windows 7 layout: no HardwareConfig, so BootDriverFlags goes under the
# control set's Control key (where lib/rescue's reader looks next).
# It has no \Windows\Boot\PCAT either: the BIOS set is skipped, and said so.
rm -rf "$T/win7" && cp -r "$TREE" "$T/win7" && rm -rf "$T/win7/Windows/Boot/PCAT"
sys7=$T/win7/Windows/System32/config/SYSTEM
rm "$sys7"
printf 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n"Current"=dword:00000002\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Control]\n"BootDriverFlags"=dword:00000008\n' >"$T/win7.reg"
"$T/hivetool" new --root SYSTEM "$sys7" >/dev/null 2>&1 &&
    "$T/hivetool" import --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$sys7" "$T/win7.reg" >/dev/null 2>&1
rm -f "$T"/win7/Windows/System32/config/*.LOG*
wimcapture "$T/win7" "$T/win7.wim" "Win7 layout" >/dev/null 2>&1
if make win7 "$T/win7.img" "$T/win7.wim" --size 300M &&
   "$WR" cat "$T/win7.img:2" '\Windows\System32\config\SYSTEM' >"$T/SYSTEM7" 2>/dev/null &&
   [ "$(hivexget "$T/SYSTEM7" '\ControlSet002\Control' BootDriverFlags 2>&1)" = 28 ] &&
   [ "$(hivexget "$T/SYSTEM7" '\ControlSet002\Control' PortableOperatingSystem 2>&1)" = 1 ] &&
   [ "$(hivexget "$T/SYSTEM7" '\ControlSet002\Services\partmgr\Parameters' SanPolicy 2>&1)" = 4 ] &&
   ! "$WR" diagnose --disk "$T/win7.img" --stick "$T/win7.img" 2>/dev/null | grep -Eq '\[W[24]\]'; then
    pass make_togo_flags_current_control_set_win7_layout
else
    fail make_togo_flags_current_control_set_win7_layout "$(tail -n 2 "$T/win7.log" | tr '\n' ' ')"
fi
off7=$(esp_off "$T/win7.img" 2>/dev/null)
if grep -q 'BIOS boot files: skipped, the image has no \\Windows\\Boot\\PCAT\\bootmgr' "$T/win7.log" &&
   ! mdir -i "$T/win7.img@@$off7" ::/Boot/BCD >/dev/null 2>&1 &&
   ! mdir -i "$T/win7.img@@$off7" ::/bootmgr >/dev/null 2>&1 &&
   "$WR" diagnose --disk "$T/win7.img" --stick "$T/win7.img" 2>/dev/null | grep -q '^Boot verdict: OK'; then
    pass make_togo_bios_skipped_without_pcat
else
    fail make_togo_bios_skipped_without_pcat "$(grep -i bios "$T/win7.log" | tr '\n' ' ')"
fi
