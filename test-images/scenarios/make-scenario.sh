#!/usr/bin/env bash
# One rescue-engine scenario (docs/engine.md): disk images, a stick and a
# saved-NVRAM folder in OUTDIR, built healthy with our own writer
# (`wtg-rescue rebuild`), then broken the way failure-modes.md describes.
# Usage: [WR_SCENARIO_BOOTMGFW=PE] [WR_SCENARIO_PCAT=1] make-scenario.sh NAME OUTDIR BUILD_DIR
# Writes OUTDIR/disks (the --disk arguments, one per line) and
# OUTDIR/expect (the finding id diagnose must name, and the verdict after
# repair: "ok" or the status code that stays).
# WR_SCENARIO_BOOTMGFW: a PE to use as each Windows tree's
# \Windows\Boot\EFI\bootmgfw.efi instead of a fake one (the QEMU tests
# pass the stub boot manager, so that the healthy state written by rebuild,
# and any repair copying boot files, put a boot manager on the ESP that
# runs; the fallback path gets the same copy, as with bcdboot).
# WR_SCENARIO_PCAT=1: each Windows tree also has \Windows\Boot\PCAT
# (bootmgr, bootnxt, memtest.exe, en-US\bootmgr.exe.mui) and
# \Windows\Boot\Fonts, for bcdboot /f BIOS|ALL (rebuild --firmware).
. "$(dirname "$0")/../lib.sh"
[ $# -eq 3 ] || die "usage: make-scenario.sh NAME OUTDIR BUILD_DIR"
name=$1 out=$2 build=$3
WR=$build/wtg-rescue
BCDTOOL=$build/bcdtool
HIVETOOL=$build/hivetool
NTFS_MKDIR=$build/test-images/ntfs-mkdir
[ -x "$WR" ] && [ -x "$BCDTOOL" ] && [ -x "$HIVETOOL" ] || die "build wtg-rescue, bcdtool, hivetool first"
[ -x "$NTFS_MKDIR" ] || die "no $NTFS_MKDIR (needs ntfs-3g-dev)"
rm -rf "$out"
mkdir -p "$out/nvram" "$out/work"
W=$out/work
export WTG_RESCUE_STAMP=00000000T000000Z-setup

# A PE that says it is Microsoft's boot manager (UTF-16 company name).
fake_pe() { { printf 'MZ'; printf '%s' "$2" | sed 's/./&\x00/g'; head -c 2000 /dev/zero; } >"$1"; }
fake_pe "$W/bootmgfw.efi" "Microsoft Corporation Windows Boot Manager"
if [ -n "${WR_SCENARIO_BOOTMGFW:-}" ]; then
    [ -f "$WR_SCENARIO_BOOTMGFW" ] || die "WR_SCENARIO_BOOTMGFW: no file $WR_SCENARIO_BOOTMGFW"
    cp "$WR_SCENARIO_BOOTMGFW" "$W/bootmgfw.efi"
fi
fake_pe "$W/memtest.efi" "Microsoft Corporation Memory Diagnostic"
fake_pe "$W/winload.efi" "Microsoft Corporation OS Loader"
fake_pe "$W/grubx64.efi" "GNU GRUB shim"
printf 'mui' >"$W/bootmgfw.efi.mui"
# Not PEs: BIOS bootmgr is a 16-bit stub plus an embedded PE; only the bytes matter here.
printf 'PCAT bootmgr\0' >"$W/bootmgr"; head -c 3000 /dev/zero | tr '\0' 'B' >>"$W/bootmgr"
printf 'PCAT bootnxt' >"$W/bootnxt"
fake_pe "$W/memtest.exe" "Microsoft Corporation Memory Diagnostic (PCAT)"
printf 'pcat mui' >"$W/bootmgr.exe.mui"
printf 'font' >"$W/wgl4_boot.ttf"

# windows_ntfs SIDEFILE SECTORS START LABEL WHAT...: an NTFS holding a
# Windows tree; WHAT picks extras: nowinload, hibernated, togo.
windows_ntfs() {
    local side=$1 sectors=$2 start=$3 label=$4; shift 4
    local opts=" $* "
    truncate -s $((sectors * 512)) "$side"
    mkntfs -q -F -Q -s 512 -L "$label" -p "$start" -H 255 -S 63 "$side" >/dev/null 2>&1 ||
        die "mkntfs failed"
    "$NTFS_MKDIR" "$side" /Windows/System32/config
    "$NTFS_MKDIR" "$side" /Windows/Boot/EFI/en-US
    [[ $opts == *" nowinload "* ]] ||
        ntfscp -q -f "$side" "$W/winload.efi" /Windows/System32/winload.efi >/dev/null
    ntfscp -q -f "$side" "$W/bootmgfw.efi" /Windows/Boot/EFI/bootmgfw.efi >/dev/null
    ntfscp -q -f "$side" "$W/memtest.efi" /Windows/Boot/EFI/memtest.efi >/dev/null
    ntfscp -q -f "$side" "$W/bootmgfw.efi.mui" /Windows/Boot/EFI/en-US/bootmgfw.efi.mui >/dev/null
    if [ -n "${WR_SCENARIO_PCAT:-}" ]; then
        "$NTFS_MKDIR" "$side" /Windows/Boot/PCAT/en-US
        "$NTFS_MKDIR" "$side" /Windows/Boot/Fonts
        ntfscp -q -f "$side" "$W/bootmgr" /Windows/Boot/PCAT/bootmgr >/dev/null
        ntfscp -q -f "$side" "$W/bootnxt" /Windows/Boot/PCAT/bootnxt >/dev/null
        ntfscp -q -f "$side" "$W/memtest.exe" /Windows/Boot/PCAT/memtest.exe >/dev/null
        ntfscp -q -f "$side" "$W/bootmgr.exe.mui" /Windows/Boot/PCAT/en-US/bootmgr.exe.mui >/dev/null
        ntfscp -q -f "$side" "$W/wgl4_boot.ttf" /Windows/Boot/Fonts/wgl4_boot.ttf >/dev/null
    fi
    if [[ $opts == *" winre "* ]]; then
        "$NTFS_MKDIR" "$side" /Recovery/WindowsRE
        printf 'MSWIM\0\0\0' >"$W/Winre.wim"
        ntfscp -q -f "$side" "$W/Winre.wim" /Recovery/WindowsRE/Winre.wim >/dev/null
        ntfscp -q -f "$side" "$W/Winre.wim" /Recovery/WindowsRE/boot.sdi >/dev/null
    fi
    if [[ $opts == *" hibernated "* ]]; then
        # Startup Repair's log, UTF-16 with a BOM as Windows writes it
        # (before hiberfil.sys: libntfs-3g refuses a hibernated volume)
        "$NTFS_MKDIR" "$side" /Windows/System32/LogFiles/Srt
        printf 'Startup Repair diagnosis and repair log\r\nRoot cause found:\r\nBoot configuration is corrupt.\r\nRepair action: Boot configuration data store repair\r\nResult: Failed. Error code = 0x490\r\n' |
            iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; } >"$W/SrtTrail.txt"
        ntfscp -q -f "$side" "$W/SrtTrail.txt" /Windows/System32/LogFiles/Srt/SrtTrail.txt >/dev/null
        { printf 'HIBR'; head -c 4092 /dev/zero; } >"$W/hiberfil.sys"
        ntfscp -q -f "$side" "$W/hiberfil.sys" /hiberfil.sys >/dev/null
    fi
    if [[ $opts == *" togo "* ]]; then
        "$HIVETOOL" new --root SYSTEM "$W/SYSTEM" >/dev/null
        printf '%s\r\n' 'Windows Registry Editor Version 5.00' '' \
            '[HKEY_LOCAL_MACHINE\SYSTEM\Select]' '"Current"=dword:00000001' '' \
            '[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Control]' \
            '"PortableOperatingSystem"=dword:00000001' '' \
            '[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\partmgr\Parameters]' \
            '"SanPolicy"=dword:00000001' '' >"$W/system.reg"
        "$HIVETOOL" import --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$W/SYSTEM" "$W/system.reg" >/dev/null
        ntfscp -q -f "$side" "$W/SYSTEM" /Windows/System32/config/SYSTEM >/dev/null
    fi
}

put_ntfs() { dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc,sparse status=none; rm -f "$2"; }

# gpt_host IMG N WINDOWS_OPTS...: ESP 1, MSR 2, Windows 3 (+ Windows 4 when N=2).
gpt_host() {
    local img=$1 n=$2; shift 2
    new_image "$img" 96
    sgdisk -o -n 1:2048:+36M -t 1:EF00 -n 2:0:+1M -t 2:0C01 -n 3:0:+20M -t 3:0700 \
        ${n:+$( [ "$n" = 2 ] && echo "-n 4:0:+20M -t 4:0700")} "$img" >/dev/null
    fat_format "$img" "$(gpt_start "$img" 1)" "$(gpt_sectors "$img" 1)" SYSTEM 5eed0001
    windows_ntfs "$img.ntfs" "$(gpt_sectors "$img" 3)" "$(gpt_start "$img" 3)" Windows "$@"
    put_ntfs "$img" "$img.ntfs" "$(gpt_start "$img" 3)"
    if [ "$n" = 2 ]; then
        windows_ntfs "$img.ntfs" "$(gpt_sectors "$img" 4)" "$(gpt_start "$img" 4)" Windows2
        put_ntfs "$img" "$img.ntfs" "$(gpt_start "$img" 4)"
    fi
}

mbr_host() {
    local img=$1
    new_image "$img" 64
    printf 'label: dos\nlabel-id: 0x5eedd15c\nstart=2048, size=73728, type=ef\nstart=75776, size=40960, type=7\n' |
        sfdisk -q "$img" >/dev/null
    fat_format "$img" 2048 73728 SYSTEM 5eed0002
    windows_ntfs "$img.ntfs" 40960 75776 Windows
    put_ntfs "$img" "$img.ntfs" 75776
}

stick() {
    new_image "$1" 64
    sgdisk -o -n 1:2048:+40M -t 1:EF00 "$1" >/dev/null
    fat_format "$1" 2048 "$(gpt_sectors "$1" 1)" RESCUE 5eed0003
}

esp_off() { echo $(( $(gpt_start "$1" 1) * 512 )); }

# heal DISK WINDOWS_PART [ESP_SPEC]: the healthy state, written by our rebuild.
heal() {
    "$WR" rebuild --windows "$1:$2" ${3:+--esp "$3"} --apply --disk "$1" --stick "$out/stick.img" \
        --nvram "$out/nvram" >"$W/heal.log" 2>&1 || die "rebuild failed: $(tail -n 3 "$W/heal.log")"
}

bcd_edit() { # DISK OFFSET bcdtool-args...: edit the ESP's BCD in place
    local img=$1 off=$2; shift 2
    mcopy -n -i "$img@@$off" ::/EFI/Microsoft/Boot/BCD "$W/BCD"
    "$BCDTOOL" /store "$W/BCD" "$@" >/dev/null || die "bcdtool $* failed"
    mcopy -o -i "$img@@$off" "$W/BCD" ::/EFI/Microsoft/Boot/BCD
}

disk=$out/disk.img
stick "$out/stick.img"
echo "$disk" >"$out/disks"
case $name in
bcd-missing)
    gpt_host "$disk" 1 winre
    heal "$disk" 3 ;;
bcd-empty|bcd-dirty|no-loader|default-dangling|gpt-clone|bootmgfw-missing|nvram-missing|other-os)
    gpt_host "$disk" 1
    heal "$disk" 3 ;;
winload-missing) gpt_host "$disk" 1; heal "$disk" 3 ;;
esp-gone|bitlocker|hibernated) gpt_host "$disk" 1 ${name/bitlocker/} ; heal "$disk" 3 ;;
two-windows) gpt_host "$disk" 2; heal "$disk" 3 ;;
mbr-signature) mbr_host "$disk"; heal "$disk" 2 ;;
togo-flags)
    disk=$out/stick.img
    echo "$disk" >"$out/disks"
    new_image "$disk" 96
    sgdisk -o -n 1:2048:+36M -t 1:EF00 -n 2:0:+40M -t 2:0700 "$disk" >/dev/null
    fat_format "$disk" 2048 "$(gpt_sectors "$disk" 1)" TOGO 5eed0004
    windows_ntfs "$disk.ntfs" "$(gpt_sectors "$disk" 2)" "$(gpt_start "$disk" 2)" ToGo togo
    put_ntfs "$disk" "$disk.ntfs" "$(gpt_start "$disk" 2)"
    heal "$disk" 2 ;;
*) die "unknown scenario $name" ;;
esac
off=$(esp_off "$disk")
expect_id= expect_after=ok
case $name in
bcd-missing) mdel -i "$disk@@$off" ::/EFI/Microsoft/Boot/BCD; expect_id=G1 ;;
bcd-empty) : >"$W/empty"; mcopy -o -i "$disk@@$off" "$W/empty" ::/EFI/Microsoft/Boot/BCD; expect_id=G1 ;;
bcd-dirty)
    # An in-place commit cut after the pages, before seq2: the primary
    # holds seq1 = N+1, seq2 = N and the log holds the entry (regf §11.5).
    mcopy -n -i "$disk@@$off" ::/EFI/Microsoft/Boot/BCD "$W/BCD"
    printf '%s\r\n' 'Windows Registry Editor Version 5.00' '' \
        '[HKEY_LOCAL_MACHINE\BCD\Description]' '"Scenario"=dword:00000001' '' >"$W/bcd.reg"
    "$HIVETOOL" import --in-place --prefix 'HKEY_LOCAL_MACHINE\BCD' "$W/BCD" "$W/bcd.reg" >/dev/null
    python3 - "$W/BCD" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
seq1, seq2 = struct.unpack_from('<II', b, 4)
struct.pack_into('<I', b, 8, seq2 - 1)
x = 0
for i in range(0, 0x1FC, 4):
    x ^= struct.unpack_from('<I', b, i)[0]
x = 1 if x == 0 else (0xFFFFFFFE if x == 0xFFFFFFFF else x)
struct.pack_into('<I', b, 0x1FC, x)
open(p, 'wb').write(b)
PY
    log=$(ls "$W"/BCD.LOG* | head -1)
    mcopy -o -i "$disk@@$off" "$W/BCD" ::/EFI/Microsoft/Boot/BCD
    mcopy -o -i "$disk@@$off" "$log" "::/EFI/Microsoft/Boot/$(basename "$log")"
    expect_id=G2 ;;
no-loader) bcd_edit "$disk" "$off" /delete '{default}' /f; expect_id=G3 ;;
default-dangling)
    bcd_edit "$disk" "$off" /set '{bootmgr}' default '{11111111-2222-4333-8444-555555555555}'
    bcd_edit "$disk" "$off" /set '{bootmgr}' displayorder '{11111111-2222-4333-8444-555555555555}'
    expect_id=G3 ;;
gpt-clone) sgdisk -G "$disk" >/dev/null; expect_id=G4 ;;
mbr-signature) printf '\x78\x56\x34\x12' | dd of="$disk" bs=1 seek=440 conv=notrunc status=none; expect_id=G4 ;;
bootmgfw-missing) mdel -i "$disk@@$off" ::/EFI/Microsoft/Boot/bootmgfw.efi; expect_id=G5 ;;
winload-missing)
    # the same partition (GUID kept) made again without winload.efi: the
    # store still names it, the loader is gone, and only a report can help
    windows_ntfs "$disk.ntfs" "$(gpt_sectors "$disk" 3)" "$(gpt_start "$disk" 3)" Windows nowinload
    put_ntfs "$disk" "$disk.ntfs" "$(gpt_start "$disk" 3)"
    expect_id=G5 expect_after=0xc0000225 ;;
esp-gone) sgdisk -d 1 "$disk" >/dev/null; expect_id=G9 expect_after="no boot manager" ;;
nvram-missing) rm -f "$out/nvram"/*; expect_id=G7 ;;
other-os)
    mcopy -o -i "$disk@@$off" "$W/grubx64.efi" ::/EFI/Boot/bootx64.efi
    # Boot0001 "ubuntu" \EFI\ubuntu\shimx64.efi first in BootOrder
    python3 - "$out/nvram" <<'PY'
import struct, sys, os
d = sys.argv[1]
g = '8be4df61-93ca-11d2-aa0d-00e098032b8c'
desc = 'ubuntu'.encode('utf-16-le') + b'\0\0'
path = '\\EFI\\ubuntu\\shimx64.efi'.encode('utf-16-le') + b'\0\0'
fp = bytes([4, 4]) + struct.pack('<H', 4 + len(path)) + path + bytes([0x7f, 0xff, 4, 0])
opt = struct.pack('<IH', 1, len(fp)) + desc + fp
open(os.path.join(d, 'Boot0001-' + g), 'wb').write(struct.pack('<I', 7) + opt)
order = open(os.path.join(d, 'BootOrder-' + g), 'rb').read()[4:]
open(os.path.join(d, 'BootOrder-' + g), 'wb').write(struct.pack('<IH', 7, 1) + order)
PY
    expect_id=G8 ;;
bitlocker)
    start=$(gpt_start "$disk" 3)
    printf '\xeb\x58\x90-FVE-FS-' | dd of="$disk" bs=1 seek=$((start * 512)) conv=notrunc status=none
    expect_id=G12 ;;
hibernated) expect_id="G14 G15" ;;
two-windows) mdel -i "$disk@@$off" ::/EFI/Microsoft/Boot/BCD; expect_id=G1 ;;
togo-flags) expect_id=W2 ;;
esac
# what the setup wrote on the stick is not part of the scenario
mdeltree -i "$out/stick.img@@$((2048 * 512))" ::/wtg-rescue 2>/dev/null || true
printf '%s\n%s\n' "$expect_id" "$expect_after" >"$out/expect"
rm -rf "$W"
