#!/usr/bin/env bash
# A small Windows-like tree captured as WIMs for the make-togo tests:
#   OUT/tree/            \Windows\System32\winload.efi, \Windows\Boot\EFI\
#                        bootmgfw.efi (the stub boot manager), a fake BIOS
#                        set in \Windows\Boot\PCAT (bootmgr, bootnxt,
#                        memtest.exe, en-US\bootmgr.exe.mui) and Fonts,
#                        SYSTEM and SOFTWARE made by our hive writer, a
#                        user's files
#   OUT/lzx.wim          LZX, two images ("Test Pro" and "Test Home"), with
#                        an integrity table
#   OUT/lzms.esd         LZMS solid (ESD-style), one image
# Usage: make-wim.sh OUT STUB.efi HIVETOOL
set -euo pipefail
out=$1 stub=$2 ht=$3
die() { echo "${0##*/}: $*" >&2; exit 1; }
[ -f "$stub" ] || die "no stub: $stub"
[ -x "$ht" ] || die "no hivetool: $ht"
command -v wimcapture >/dev/null || die "wimcapture missing (apt-get install wimtools)"
rm -rf "$out" && mkdir -p "$out"
t=$out/tree
mkdir -p "$t/Windows/System32/config" "$t/Windows/Boot/EFI" "$t/Users/Tess/Documents" \
    "$t/Program Files/Tool"
cp "$stub" "$t/Windows/Boot/EFI/bootmgfw.efi"
cp "$stub" "$t/Windows/System32/winload.efi"
# Not real PCAT code (no BIOS boots here): distinct bytes per file, so a
# copy to the wrong place or a truncated copy shows.
mkdir -p "$t/Windows/Boot/PCAT/en-US" "$t/Windows/Boot/Fonts"
fake() { { printf '%s\r\n' "$1"; head -c "$2" /dev/urandom; } >"$3"; }
fake 'BOOTMGR (fake PCAT boot manager)' 70000 "$t/Windows/Boot/PCAT/bootmgr"
fake 'BOOTNXT (fake)' 100 "$t/Windows/Boot/PCAT/bootnxt"
fake 'MEMTEST.EXE (fake)' 9000 "$t/Windows/Boot/PCAT/memtest.exe"
fake 'bootmgr.exe.mui (fake)' 3000 "$t/Windows/Boot/PCAT/en-US/bootmgr.exe.mui"
fake 'wgl4_boot.ttf (fake)' 5000 "$t/Windows/Boot/Fonts/wgl4_boot.ttf"
printf 'Notes for the To Go test.\r\n' >"$t/Users/Tess/Documents/notes.txt"
head -c 300000 /dev/urandom >"$t/Users/Tess/Documents/photo.bin"
seq 1 20000 >"$t/Program Files/Tool/numbers.txt"

hive() { # NAME REGTEXT
    local f=$t/Windows/System32/config/$1
    "$ht" new --root "$1" "$f" >/dev/null
    printf 'Windows Registry Editor Version 5.00\n\n%s\n' "$2" >"$out/$1.reg"
    "$ht" import --prefix "HKEY_LOCAL_MACHINE\\$1" "$f" "$out/$1.reg" >/dev/null
}
hive SOFTWARE '[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion]
"ProductName"="Windows 10 Pro"
"CurrentBuild"="19045"
"CurrentBuildNumber"="19045"
"EditionID"="Professional"'
# BootDriverFlags=1 in the profile: make-togo must keep that bit.
hive SYSTEM '[HKEY_LOCAL_MACHINE\SYSTEM\Select]
"Current"=dword:00000001

[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Control]
"SystemBootDevice"="multi(0)disk(0)rdisk(0)partition(1)"

[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\partmgr]
"Start"=dword:00000000

[HKEY_LOCAL_MACHINE\SYSTEM\HardwareConfig\{4c4c4544-0000-1010-8000-b2c04f4a4b31}]
"BootDriverFlags"=dword:00000001'
rm -f "$t"/Windows/System32/config/*.LOG* "$out"/*.reg

wimcapture "$t" "$out/lzx.wim" "Test Pro" --compress=LZX --check >/dev/null
printf 'Home edition marker\r\n' >"$t/Users/Tess/home.txt"
wimappend "$t" "$out/lzx.wim" "Test Home" --check >/dev/null
rm "$t/Users/Tess/home.txt"
wimcapture "$t" "$out/lzms.esd" "Test Pro" --solid >/dev/null
