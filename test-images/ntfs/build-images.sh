#!/usr/bin/env bash
# Builds the NTFS test images (docs ntfs.md §18) into OUT:
#   OUT/<image>.img, OUT/expect/<image>/<path> (expected contents) and
#   OUT/MANIFEST: "image<TAB>path<TAB>sha256" for every file written.
# Rootless: mkntfs on sparse files, then ntfs-mkimg (libntfs-3g). The
# SOFTWARE and SYSTEM hives come from mkhive (our regf writer); if it is not
# there, hivexregedit merged into ../shared's hivex-minimal; else no hives.
# Usage: build-images.sh OUT MKIMG [MKHIVE]
set -euo pipefail
final=$1
out=$1.new # built aside, then moved in, so tests reading $final never see half an image set
mkimg=$(realpath "$2")
mkhive=${3:+$(realpath "$3")}
shared=${WR_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
tmp=$out/tmp
rm -rf "$out"
mkdir -p "$out/expect" "$tmp"

# A PE image: "MZ", e_lfanew 0x80, "PE\0\0", machine, then filler.
make_pe() { # FILE MACHINE_HEX SIZE
    local m=$2
    {
        printf 'MZ'; head -c 58 /dev/zero; printf '\x80\x00\x00\x00'
        head -c 64 /dev/zero; printf 'PE\0\0'; printf "\\x${m:2:2}\\x${m:0:2}"
        head -c $(($3 - 134)) /dev/zero | tr '\0' 'P'
    } >"$1"
}
make_pe "$tmp/winload.efi" 8664 70000
make_pe "$tmp/ntoskrnl.exe" 8664 90000
make_pe "$tmp/bootmgfw.efi" 8664 120000
make_pe "$tmp/winload-arm.efi" aa64 40000

hives=()
base_hive=$shared/regf-fixtures/hives/hivex-minimal
if [ -n "$mkhive" ] && [ -x "$mkhive" ] && "$mkhive" "$tmp"; then
    hives=(put /Windows/System32/config/SOFTWARE "$tmp/SOFTWARE"
           put /Windows/System32/config/SYSTEM "$tmp/SYSTEM")
elif [ -f "$base_hive" ] && command -v hivexregedit >/dev/null; then
    cp "$base_hive" "$tmp/SOFTWARE" && chmod u+w "$tmp/SOFTWARE"
    cp "$base_hive" "$tmp/SYSTEM" && chmod u+w "$tmp/SYSTEM"
    cat >"$tmp/software.reg" <<'EOF'
Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft]

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT]

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion]
"ProductName"="Windows 10 Pro"
"DisplayVersion"="22H2"
"CurrentBuild"="19045"
"CurrentBuildNumber"="19045"
"EditionID"="Professional"
EOF
    cat >"$tmp/system.reg" <<'EOF'
Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SYSTEM\Select]
"Current"=dword:00000002

[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001]

[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Control]
"PortableOperatingSystem"=dword:00000000

[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet002]

[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet002\Control]
"PortableOperatingSystem"=dword:00000001
EOF
    hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SOFTWARE' "$tmp/SOFTWARE" "$tmp/software.reg"
    hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$tmp/SYSTEM" "$tmp/system.reg"
    hives=(put /Windows/System32/config/SOFTWARE "$tmp/SOFTWARE"
           put /Windows/System32/config/SYSTEM "$tmp/SYSTEM")
fi

fmt() { # IMAGE SIZE SECTOR CLUSTER
    truncate -s "$2" "$out/$1"
    mkntfs -F -f -q -T -L Windows -s "$3" -c "$4" "$out/$1" >/dev/null 2>&1
}

fill() { # IMAGE OPS...
    local img=$1; shift
    EXPECT_DIR=$out/expect/${img%.img} "$mkimg" "$out/$img" "$@"
}

# The boot tree every Windows-like image has.
boot_tree=(mkdir /Windows mkdir /Windows/System32 mkdir /Windows/System32/config
           mkdir /Windows/Boot mkdir /Windows/Boot/EFI mkdir /Windows/Boot/EFI/en-US
           put /Windows/System32/winload.efi "$tmp/winload.efi"
           put /Windows/System32/ntoskrnl.exe "$tmp/ntoskrnl.exe"
           put /Windows/Boot/EFI/bootmgfw.efi "$tmp/bootmgfw.efi"
           gen /Windows/Boot/EFI/en-US/bootmgfw.efi.mui 30000 11
           gen /Windows/Boot/EFI/memtest.efi 50000 12
           "${hives[@]}")

# Everything else the reader must handle, for 4 KiB-or-smaller clusters.
features=(mkdir /Windows/System32/drivers many /Windows/System32/drivers 600 driver_number_ dos
          text /small.txt hello
          mkdir /Case text /Case/readme.txt lower text /Case/README.TXT upper
          compressdir /Compressed gen /Compressed/lznt1.bin 300000 21
          gen /Compressed/tiny.txt 100 22
          gen "/Long File Name.txt" 5000 23 dosname "/Long File Name.txt" LONGFI~1.TXT
          gen /linked.bin 20000 24
          mkdir /Links
          sparse /sparse.bin 3000000 25 ads /small.txt Zone.Identifier 100 26
          junction /Junction 'C:\Windows' symlink /abs-link.txt 'C:\small.txt'
          wof /Windows/Boot/EFI/wof4k.efi 200000 31 xpress4k
          wof /Windows/Boot/EFI/wof8k.efi 200000 32 xpress8k
          wof /Windows/Boot/EFI/wof16k.efi 200000 33 xpress16k
          wof /Windows/Boot/EFI/wofraw.efi 30000 34 raw4k
          wof /Windows/Boot/EFI/woflzx.efi 70000 35 lzx)
links=()
for i in $(seq -w 1 13); do
    links+=(link /linked.bin "/Links/a-rather-long-hard-link-name-number-$i-to-fill-the-record.bin")
done

fmt win-512-c4k.img 40M 512 4096
fill win-512-c4k.img "${boot_tree[@]}" "${features[@]}" "${links[@]}" frag /frag.bin 2097152 41

fmt win-4kn-c4k.img 48M 4096 4096
fill win-4kn-c4k.img "${boot_tree[@]}" "${features[@]}" frag /frag.bin 8388608 42

for c in 512 2048 8192 65536 131072; do
    fmt "win-512-c$c.img" 64M 512 $c
    extra=()
    [ $c -le 4096 ] && extra=(compressdir /Compressed gen /Compressed/lznt1.bin 200000 51)
    fill "win-512-c$c.img" "${boot_tree[@]}" mkdir /Dir many /Dir 300 entry_ nodos \
        frag /frag.bin $((c <= 2048 ? c * 4096 : c * 64)) 52 "${extra[@]}"
done
fmt win-4096-c64k.img 64M 4096 65536
fill win-4096-c64k.img "${boot_tree[@]}" mkdir /Dir many /Dir 300 entry_ nodos frag /frag.bin 4194304 53

fmt mft-attrlist.img 16M 512 4096
fill mft-attrlist.img "${boot_tree[@]}" mftfrag /Many 1200

fmt dirty.img 16M 512 4096
fill dirty.img "${boot_tree[@]}" dirty
fmt hibernated.img 16M 512 4096
printf 'HIBR' >"$tmp/hiberfil.sys" && head -c 8188 /dev/zero >>"$tmp/hiberfil.sys"
fill hibernated.img "${boot_tree[@]}" put /hiberfil.sys "$tmp/hiberfil.sys"

# Signature-only volumes: just the first sector of each.
sig() { # IMAGE BYTES_AT_0 [OFFSET BYTES]...
    local img=$out/$1; shift
    truncate -s 1M "$img"
    printf "$1" | dd of="$img" conv=notrunc status=none; shift
    while [ $# -ge 2 ]; do
        printf "$2" | dd of="$img" bs=1 seek=$(($1)) conv=notrunc status=none; shift 2
    done
}
sig bitlocker-win7.img '\xeb\x58\x90-FVE-FS-' 510 '\x55\xaa'
sig bitlocker-vista.img '\xeb\x52\x90-FVE-FS-' 510 '\x55\xaa'
sig bitlocker-togo.img '\xeb\x58\x90MSWIN4.1' \
    0x1A8 '\x3b\xd6\x67\x49\x29\x2e\xd8\x4a\x83\x99\xf6\xa3\x39\xe3\xd0\x01' 510 '\x55\xaa'
sig refs.img '\x00\x00\x00ReFS\x00\x00\x00\x00\x00\x00\x00\x00\x00FSRS'

# A GPT disk: ESP (FAT32), MSR, Windows (the 4 KiB-cluster tree), recovery,
# and a BitLocker partition.
disk=$out/disk-gpt.img
truncate -s 0 "$disk" && truncate -s 120M "$disk"
sgdisk -n 1:2048:+32M -t 1:ef00 -c 1:"EFI system partition" \
    -n 2:0:+16M -t 2:0c01 -c 2:"Microsoft reserved partition" \
    -n 3:0:+40M -t 3:0700 -c 3:"Basic data partition" \
    -n 4:0:+8M -t 4:2700 -c 4:"Recovery" \
    -n 5:0:+1M -t 5:0700 -c 5:"Locked" "$disk" >/dev/null
start() { sgdisk -i "$1" "$disk" | awk '/First sector/ {print $3}'; }
truncate -s 32M "$tmp/esp.img" && mkfs.fat -F 32 -n SYSTEM "$tmp/esp.img" >/dev/null
dd if="$tmp/esp.img" of="$disk" bs=512 seek="$(start 1)" conv=notrunc,sparse status=none
dd if="$out/win-512-c4k.img" of="$disk" bs=512 seek="$(start 3)" conv=notrunc,sparse status=none
dd if="$out/bitlocker-win7.img" of="$disk" bs=512 seek="$(start 5)" conv=notrunc status=none

# The manifest: sha256 of every expected file, per image.
: >"$out/MANIFEST.tmp"
for d in "$out"/expect/*/; do
    img=$(basename "$d")
    (cd "$d" && find . -type f -printf '%P\0' | sort -z | xargs -0 sha256sum) |
        awk -v img="$img.img" '{ p = substr($0, 67); printf "%s\t/%s\t%s\n", img, p, $1 }' \
        >>"$out/MANIFEST.tmp"
done
rm -rf "$tmp"
mkdir -p "$final"
for f in "$out"/*.img; do mv -f "$f" "$final/"; done
rm -rf "$final/expect" && mv "$out/expect" "$final/expect"
mv "$out/MANIFEST.tmp" "$final/MANIFEST"
rmdir "$out"
