#!/usr/bin/env bash
# wtg-rescue install / uninstall on a Windows To Go-style stick: the test
# stick with the To Go boot manager (the stub) as \EFI\BOOT\BOOTX64.EFI, as
# bcdboot leaves it. A dry run changes nothing; install backs the loader up
# with a manifest (size, sha256) and the stick boots to our menu, whose
# default then starts the stick's own boot manager; uninstall leaves every
# file that was there byte-identical, nothing else, the Windows partition
# untouched, and the firmware starts the To Go boot manager directly again.
# Refusals: a stick without \EFI\Microsoft\Boot\bootmgfw.efi, a second
# install, and an uninstall after our loader was changed.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

W=$BUILD/asan/bin/wtg-rescue
need_images install "$IMG/stick.img" "$IMG/stick-nowin.img" "$BUILD/stub-bootmgr.efi" \
    "$BUILD/wtg-rescue.efi" "$W" || exit 0
gpt_start() { sgdisk -i "$2" "$1" | awk '/^First sector:/ {print $3}'; }
gpt_sectors() { sgdisk -i "$2" "$1" | awk '/^Partition size:/ {print $3}'; }

stick=$TEST_TMP/togo.img
cp --sparse=always "$IMG/stick.img" "$stick"
esp=$(gpt_start "$stick" 1)
fat="$stick@@$((esp * 512))"
mcopy -o -i "$fat" "$BUILD/stub-bootmgr.efi" ::/EFI/BOOT/BOOTX64.EFI
mdeltree -i "$fat" ::/EFI/wtg-rescue 2>/dev/null
ins() { "$W" "$@" --app "$BUILD/wtg-rescue.efi"; }

# tree DIR: every file of the ESP, and the Windows partition's bytes.
tree() {
    rm -rf "$1" && mkdir -p "$1/esp"
    mcopy -s -n -i "$fat" '::/*' "$1/esp/" 2>/dev/null
    local p2 s2
    p2=$(gpt_start "$stick" 2) s2=$(gpt_sectors "$stick" 2)
    dd if="$stick" bs=512 skip="$p2" count="$s2" status=none | sha256sum >"$1/windows.sha256"
}
tree "$TEST_TMP/before"
img_sha() { sha256sum <"$stick"; }

before=$(img_sha)
ins install --stick "$stick" >"$TEST_TMP/dry.out" 2>&1
if [ $? -eq 0 ] && [ "$(img_sha)" = "$before" ] && grep -q 'dry run' "$TEST_TMP/dry.out"; then
    pass install-dry-run-changes-nothing
else
    fail install-dry-run-changes-nothing "$(tail -n 2 "$TEST_TMP/dry.out" | tr '\n' ' ')"
fi

if ins install --stick "$stick" --apply >"$TEST_TMP/install.out" 2>&1; then
    pass install-apply
else
    fail install-apply "$(tail -n 3 "$TEST_TMP/install.out" | tr '\n' ' ')"
fi
mcopy -n -i "$fat" ::/wtg-rescue/backups/install/MANIFEST.txt "$TEST_TMP/MANIFEST.txt" 2>/dev/null
mcopy -n -i "$fat" ::/wtg-rescue/backups/install/BOOTX64.EFI "$TEST_TMP/backup.efi" 2>/dev/null
mcopy -n -i "$fat" ::/EFI/BOOT/BOOTX64.EFI "$TEST_TMP/now.efi" 2>/dev/null
stub_sha=$(sha256sum <"$BUILD/stub-bootmgr.efi" | cut -d' ' -f1)
stub_size=$(stat -c %s "$BUILD/stub-bootmgr.efi")
if grep -qP "^file\t\\\\EFI\\\\BOOT\\\\BOOTX64\\.EFI\treplaced\t$stub_size\t$stub_sha\t" "$TEST_TMP/MANIFEST.txt" 2>/dev/null &&
    cmp -s "$TEST_TMP/backup.efi" "$BUILD/stub-bootmgr.efi"; then
    pass install-backup-and-manifest
else
    fail install-backup-and-manifest "no manifest line with size $stub_size and sha256 $stub_sha, or the backup differs"
fi
cmp -s "$TEST_TMP/now.efi" "$BUILD/wtg-rescue.efi" && pass install-app-in-place ||
    fail install-app-in-place "\\EFI\\BOOT\\BOOTX64.EFI is not build/wtg-rescue.efi"
tree "$TEST_TMP/installed"
if diff -r "$TEST_TMP/before/esp/EFI/Microsoft" "$TEST_TMP/installed/esp/EFI/Microsoft" >/dev/null &&
    cmp -s "$TEST_TMP/before/windows.sha256" "$TEST_TMP/installed/windows.sha256"; then
    pass install-microsoft-boot-untouched
else
    fail install-microsoft-boot-untouched "\\EFI\\Microsoft or the Windows partition changed"
fi
before2=$(img_sha)
ins install --stick "$stick" --apply >"$TEST_TMP/again.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ "$(img_sha)" = "$before2" ] && grep -q 'already installed' "$TEST_TMP/again.out"; then
    pass install-twice-refused
else
    fail install-twice-refused "exit $rc: $(head -c 200 "$TEST_TMP/again.out")"
fi

# Our menu first; its default (written by install: togo after 5 s) then
# starts the To Go boot manager from this stick's ESP.
boot menu --disk usb:"$stick" --timeout 120
has_line installed-boots-menu menu '^[ >] 1\) Windows To Go \(this stick\)$'
lacks_line installed-conf-clean menu '^wtg-rescue.conf line'
chainloaded installed-default-starts-togo menu 'Windows To Go \(this stick\)' \
    "$(gpt_origin "$STICK_ESP_GUID")"

# A changed loader is not ours to overwrite.
cp --sparse=always "$stick" "$TEST_TMP/tampered.img"
printf 'changed by someone else\n' >"$TEST_TMP/other.efi"
mcopy -o -i "$TEST_TMP/tampered.img@@$((esp * 512))" "$TEST_TMP/other.efi" ::/EFI/BOOT/BOOTX64.EFI
t_before=$(sha256sum <"$TEST_TMP/tampered.img")
"$W" uninstall --stick "$TEST_TMP/tampered.img" --apply >"$TEST_TMP/tamper.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ "$(sha256sum <"$TEST_TMP/tampered.img")" = "$t_before" ] &&
    grep -q 'has changed since install' "$TEST_TMP/tamper.out"; then
    pass uninstall-refuses-changed-loader
else
    fail uninstall-refuses-changed-loader "exit $rc: $(head -c 200 "$TEST_TMP/tamper.out")"
fi
rm -f "$TEST_TMP/tampered.img"

if "$W" uninstall --stick "$stick" --apply >"$TEST_TMP/uninstall.out" 2>&1; then
    pass uninstall-apply
else
    fail uninstall-apply "$(tail -n 3 "$TEST_TMP/uninstall.out" | tr '\n' ' ')"
fi
tree "$TEST_TMP/after"
if diff -r "$TEST_TMP/before" "$TEST_TMP/after" >"$TEST_TMP/diff.out" 2>&1; then
    pass uninstall-every-file-identical
else
    fail uninstall-every-file-identical "$(head -n 3 "$TEST_TMP/diff.out" | tr '\n' ' ')"
fi

# The firmware runs \EFI\BOOT\BOOTX64.EFI, the To Go boot manager, itself.
boot direct --disk usb:"$stick" --timeout 90
has_exact uninstalled-boots-togo-directly direct \
    "BOOTMGR-STUB loaded from $(gpt_origin "$STICK_ESP_GUID")"
lacks_line uninstalled-no-menu direct '^wtg-rescue [0-9]'
has_line uninstalled-togo-judged-ok direct '^BOOTMGR-STUB OK '
exit_is uninstalled-stub-exit direct $STUB_OK

# Not a To Go stick: refused, nothing written.
cp --sparse=always "$IMG/stick-nowin.img" "$TEST_TMP/nowin.img"
n_before=$(sha256sum <"$TEST_TMP/nowin.img")
ins install --stick "$TEST_TMP/nowin.img" --apply >"$TEST_TMP/nowin.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(sha256sum <"$TEST_TMP/nowin.img")" = "$n_before" ] &&
    grep -q 'not a Windows To Go stick' "$TEST_TMP/nowin.out"; then
    pass install-refuses-non-togo
else
    fail install-refuses-non-togo "exit $rc: $(head -c 200 "$TEST_TMP/nowin.out")"
fi
