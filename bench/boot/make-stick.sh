#!/usr/bin/env bash
# One benchmark stick: the test stick (its ESP also holds the To Go stub as
# \EFI\Microsoft\Boot\bootmgfw.efi) with LOADER as \EFI\BOOT\BOOTX64.EFI,
# configured either to show its menu and wait, or to boot Windows at once.
# Usage: make-stick.sh BASE_STICK.img OUT.img ours|sdboot|refind menu|boot
set -eu
base=$1 out=$2 loader=$3 mode=$4
TI=$(cd "$(dirname "$0")/../../test-images" && pwd)
SDBOOT=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
REFIND=/usr/share/refind/refind/refind_x64.efi
esp=$(( $(sgdisk -i 1 "$base" | awk '/^First sector:/ {print $3}') * 512 ))
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT

case $loader:$mode in
    ours:menu) text=$'default menu\ntimeout -1' ;;
    ours:boot) text=$'default togo\ntimeout 0' ;;
    # systemd-boot only looks at its own ESP; "auto-windows" is its entry
    # for \EFI\Microsoft\Boot\bootmgfw.efi there. timeout 0 = no menu.
    sdboot:menu) text=$'timeout 30\ndefault auto-windows' ;;
    sdboot:boot) text=$'timeout 0\ndefault auto-windows' ;;
    # rEFInd: text mode, no NVRAM use; timeout -1 = boot the default at once;
    # the default is the stick's own Windows (its entry names the volume
    # label), as for the other two.
    refind:menu | refind:boot)
        t=30; [ "$mode" = boot ] && t=-1
        text="timeout $t"$'\ntextonly\nuse_nvram false\nscanfor internal,external\nshowtools reboot\ndefault_selection WTGSTICK' ;;
    *) echo "make-stick.sh: unknown loader/mode $loader $mode" >&2; exit 2 ;;
esac

if [ "$loader" = ours ]; then
    exec "$TI/stick-with-conf.sh" "$base" "$out" "$text"
fi
cp --sparse=always "$base" "$out"
printf '%s\n' "$text" >"$conf"
if [ "$loader" = sdboot ]; then
    mcopy -o -i "$out@@$esp" "$SDBOOT" ::/EFI/BOOT/BOOTX64.EFI
    mmd -i "$out@@$esp" ::/loader
    mcopy -o -i "$out@@$esp" "$conf" ::/loader/loader.conf
else
    mcopy -o -i "$out@@$esp" "$REFIND" ::/EFI/BOOT/BOOTX64.EFI
    mcopy -o -i "$out@@$esp" "$conf" ::/EFI/BOOT/refind.conf
fi
