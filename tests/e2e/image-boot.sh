#!/usr/bin/env bash
# The product of make image: build/SHA256SUMS verifies the image,
# build/INSTALL.txt is beside it, the ESP holds both apps (BOOTX64.EFI,
# BOOTIA32.EFI) byte for byte as built, and the image itself, written to a
# USB stick with nothing else attached and no config, boots to the menu; "s"
# shuts the machine down cleanly.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

img=$BUILD/wtg-rescue.img
need_images image "$img" "$BUILD/wtg-rescue.efi" "$BUILD/wtg-rescue-ia32.efi" || exit 0

if [ -f "$BUILD/SHA256SUMS" ] && (cd "$BUILD" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1 &&
    grep -q ' wtg-rescue\.img$' "$BUILD/SHA256SUMS"; then
    pass image-sha256sums
else
    fail image-sha256sums "build/SHA256SUMS missing or does not match build/wtg-rescue.img"
fi
if grep -q 'dd if=wtg-rescue.img' "$BUILD/INSTALL.txt" 2>/dev/null && grep -q Rufus "$BUILD/INSTALL.txt" &&
    grep -q balenaEtcher "$BUILD/INSTALL.txt"; then
    pass image-install-txt
else
    fail image-install-txt "build/INSTALL.txt missing or without the dd/Rufus/balenaEtcher steps"
fi

# The ESP is partition 1 at sector 2048 (mk/make-image.sh).
esp="$img@@$((2048 * 512))"
for pair in BOOTX64.EFI:wtg-rescue.efi BOOTIA32.EFI:wtg-rescue-ia32.efi; do
    name=${pair%%:*} built=${pair#*:}
    rm -f "$TEST_TMP/$name"
    if mcopy -n -i "$esp" "::/EFI/BOOT/$name" "$TEST_TMP/$name" 2>/dev/null &&
        cmp -s "$TEST_TMP/$name" "$BUILD/$built"; then
        pass "image-has-$name"
    else
        fail "image-has-$name" "\\EFI\\BOOT\\$name is not build/$built"
    fi
done
sgdisk -p "$img" 2>/dev/null | grep -qE '^ +1 +2048 .* EF00 ' && pass image-esp-gpt ||
    fail image-esp-gpt "partition 1 at 2048 is not an EF00 ESP"

boot image --disk usb:"$img" --on "$MENU_END" s --timeout 120
has_line image-version image '^wtg-rescue [^ ]+'
has_line image-disk-stick image '^disk 0: USB [^ ]+.* GPT \(this stick\)$'
has_line image-found-none image '^found 0 Windows boot manager'
line_after image-menu-title image '^found [0-9]+ Windows' 'wtg-rescue'
has_line image-menu-shutdown-entry image '^[ >] s\) Shut down$'
lacks_line image-no-warnings image '^wtg-rescue.conf line'
exit_is image-shutdown-clean image 0
