#!/usr/bin/env bash
# Secure Boot (uefi.md §7): the app signed with Debian's OVMF snakeoil key
# (decrypted at test time into build/) runs under OVMF_CODE_4M.secboot.fd
# with OVMF_VARS_4M.snakeoil.fd; it then cannot start the unsigned To Go
# boot manager and says so. The unsigned app is refused by the firmware.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

need_images app-secureboot "$IMG/stick.img" "$BUILD/wtg-rescue.efi" || exit 0
SO_KEY=/usr/share/ovmf/PkKek-1-snakeoil.key SO_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
for t in sbsign openssl; do
    command -v $t >/dev/null || { skip app-secureboot "$t is not installed"; exit 0; }
done
for f in "$SO_KEY" "$SO_CERT" /usr/share/OVMF/OVMF_CODE_4M.secboot.fd \
         /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd; do
    [ -f "$f" ] || { skip app-secureboot "$f is missing (Debian ovmf)"; exit 0; }
done
key=$BUILD/snakeoil-test.key
openssl rsa -in "$SO_KEY" -passin pass:snakeoil -out "$key" 2>/dev/null
signed=$TEST_TMP/wtg-rescue.signed.efi
sbsign --key "$key" --cert "$SO_CERT" --output "$signed" "$BUILD/wtg-rescue.efi" 2>/dev/null
expect app-secureboot-signature-verifies sbverify --cert "$SO_CERT" "$signed"

stick_with_conf "$TEST_TMP/signed.img" $'default togo\ntimeout 0'
esp=$(sgdisk -i 1 "$TEST_TMP/signed.img" | awk '/^First sector:/ {print $3}')
put_app() { mcopy -o -i "$1@@$((esp * 512))" "$2" ::/EFI/BOOT/BOOTX64.EFI; }
cp --sparse=always "$TEST_TMP/signed.img" "$TEST_TMP/unsigned.img"
put_app "$TEST_TMP/signed.img" "$signed"

bootx() {
    local name=$1; shift
    python3 "$QEMU_DIR/wrqemu_ext.py" --secure-boot "$@" --log "$TEST_TMP/$name.log" \
        2>"$TEST_TMP/$name.err"
    echo $? >"$TEST_TMP/$name.rc"
}

bootx sb --disk usb:"$TEST_TMP/signed.img" --on "$MENU_END" 's' --timeout 120
has_line app-secureboot-signed-app-runs sb '^wtg-rescue [^ ]+$'
has_line app-secureboot-unsigned-togo-refused sb \
    '^Could not start Windows To Go \(this stick\): Secure Boot refused the image'
exit_is app-secureboot-menu-after-refusal-shuts-down sb 0

bootx nosb --disk usb:"$TEST_TMP/unsigned.img" --until "No bootable option or device was found" \
    --timeout 120
lacks_line app-secureboot-unsigned-app-never-runs nosb '^wtg-rescue [^ ]+$'
has_line app-secureboot-firmware-says-access-denied nosb \
    'BdsDxe: failed to load Boot[0-9A-F]{4} .*Access Denied'
