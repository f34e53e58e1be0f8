#!/usr/bin/env bash
# wtg-rescue install on the other To Go layout: MBR with a FAT32 (type 0x0C)
# system partition that is not typed ESP, after an NTFS-typed partition, as
# Windows' own To Go creator leaves it. The stick has BOOTX64.EFI and
# BOOTIA32.EFI (32-bit tablets) and already a wtg-rescue.conf: all three
# are backed up and replaced; uninstall restores each byte for byte and
# leaves no trace; usage errors exit 2.
source "$(dirname "$0")/../lib.sh"

W=$BUILD/asan/bin/wtg-rescue
for f in "$W" "$BUILD/wtg-rescue.efi" "$BUILD/wtg-rescue-ia32.efi"; do
    [ -f "$f" ] || { fail install-mbr "missing $f (make test-assets)"; exit 0; }
done

img=$TEST_TMP/mbr.img
truncate -s 80M "$img"
printf 'start=2048, size=20480, type=7\nstart=22528, type=c, bootable\n' |
    sfdisk -q "$img" >/dev/null
off=$((22528 * 512))
mformat -i "$img@@$off" -F -T $((163840 - 22528)) -H 22528 -v SYSTEM ::
head -c 70000 /dev/urandom >"$TEST_TMP/bootmgfw.efi"
printf 'MZ' | dd of="$TEST_TMP/bootmgfw.efi" conv=notrunc status=none
head -c 50000 /dev/urandom >"$TEST_TMP/bootia32.efi"
printf 'timeout 9\n' >"$TEST_TMP/old.conf"
mmd -i "$img@@$off" ::/EFI ::/EFI/BOOT ::/EFI/Microsoft ::/EFI/Microsoft/Boot ::/EFI/wtg-rescue
mcopy -i "$img@@$off" "$TEST_TMP/bootmgfw.efi" ::/EFI/Microsoft/Boot/bootmgfw.efi
mcopy -i "$img@@$off" "$TEST_TMP/bootmgfw.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$img@@$off" "$TEST_TMP/bootia32.efi" ::/EFI/BOOT/BOOTIA32.EFI
mcopy -i "$img@@$off" "$TEST_TMP/old.conf" ::/EFI/wtg-rescue/wtg-rescue.conf

snap() { rm -rf "$1" && mkdir -p "$1" && mcopy -s -n -i "$img@@$off" '::/*' "$1/" 2>/dev/null; }
get() { mcopy -n -i "$img@@$off" "::$1" "$2" 2>/dev/null; }
snap "$TEST_TMP/before"

"$W" install --stick "$img" --app "$BUILD/wtg-rescue.efi" --app32 "$BUILD/wtg-rescue-ia32.efi" \
    --conf /dev/null --apply >"$TEST_TMP/install.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q 'ESP is partition 2' "$TEST_TMP/install.out"; then
    pass install-mbr-finds-system-partition
else
    fail install-mbr-finds-system-partition "exit $rc: $(head -c 300 "$TEST_TMP/install.out")"
fi
get /EFI/BOOT/BOOTX64.EFI "$TEST_TMP/x64" && cmp -s "$TEST_TMP/x64" "$BUILD/wtg-rescue.efi" &&
    pass install-mbr-x64 || fail install-mbr-x64 "BOOTX64.EFI is not the app"
get /EFI/BOOT/BOOTIA32.EFI "$TEST_TMP/ia32" && cmp -s "$TEST_TMP/ia32" "$BUILD/wtg-rescue-ia32.efi" &&
    pass install-mbr-ia32 || fail install-mbr-ia32 "BOOTIA32.EFI is not the ia32 app"
get /wtg-rescue/backups/install/MANIFEST.txt "$TEST_TMP/MANIFEST.txt"
ok=1
for pair in BOOTX64.EFI:bootmgfw.efi BOOTIA32.EFI:bootia32.efi wtg-rescue.conf:old.conf; do
    name=${pair%%:*} orig=$TEST_TMP/${pair#*:}
    get "/wtg-rescue/backups/install/$name" "$TEST_TMP/b-$name" && cmp -s "$TEST_TMP/b-$name" "$orig" || ok=0
    grep -qP "\\\\$name\treplaced\t$(stat -c %s "$orig")\t$(sha256sum <"$orig" | cut -d' ' -f1)\t" \
        "$TEST_TMP/MANIFEST.txt" 2>/dev/null || ok=0
done
[ $ok = 1 ] && pass install-mbr-three-backups ||
    fail install-mbr-three-backups "a backup or its manifest line (size, sha256) is wrong"

"$W" uninstall --stick "$img" --apply >"$TEST_TMP/uninstall.out" 2>&1
rc=$?
snap "$TEST_TMP/after"
if [ $rc -eq 0 ] && diff -r "$TEST_TMP/before" "$TEST_TMP/after" >"$TEST_TMP/diff" 2>&1; then
    pass uninstall-mbr-identical
else
    fail uninstall-mbr-identical "exit $rc: $(head -n 3 "$TEST_TMP/diff" "$TEST_TMP/uninstall.out" | tr '\n' ' ')"
fi
"$W" uninstall --stick "$img" >"$TEST_TMP/again.out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'not installed' "$TEST_TMP/again.out" && pass uninstall-mbr-nothing-to-undo ||
    fail uninstall-mbr-nothing-to-undo "exit $rc: $(head -c 200 "$TEST_TMP/again.out")"

"$W" install >/dev/null 2>&1; rc1=$?
"$W" uninstall --stick >/dev/null 2>&1; rc2=$?
"$W" install --stick "$img" --bogus >/dev/null 2>&1; rc3=$?
[ "$rc1$rc2$rc3" = 222 ] && pass install-usage-exit-2 || fail install-usage-exit-2 "exits $rc1 $rc2 $rc3"
