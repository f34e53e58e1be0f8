#!/usr/bin/env bash
# 32-bit UEFI (Debian's ovmf-ia32): the product image boots through
# \EFI\BOOT\BOOTIA32.EFI to the menu, scans an NVMe host disk (its Windows
# boot manager becomes an entry), shows the Disks screen, and "s" shuts down
# cleanly. 32-bit firmware cannot run BOOTX64.EFI, so the menu is the ia32
# app's.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"

CODE32=/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd
VARS32=/usr/share/OVMF/OVMF32_VARS_4M.fd
if [ ! -f "$CODE32" ] || [ ! -f "$VARS32" ]; then
    skip ia32-boot "ovmf-ia32 is not installed ($CODE32)"
    exit 0
fi
need_images ia32-boot "$BUILD/wtg-rescue.img" "$IMG/host1.img" || exit 0

# wrqemu.py with the ia32 firmware. Debian ships it only as a Secure Boot
# build, which needs SMM; its VARS template has no keys enrolled, so
# Secure Boot is off and unsigned images run.
boot32() {
    local name=$1; shift
    python3 - --log "$TEST_TMP/$name.log" "$@" 2>"$TEST_TMP/$name.err" <<PY
import os, sys
sys.path.insert(0, "$REPO/tests/qemu")
import wrqemu
wrqemu.OVMF_CODE = "$CODE32"
wrqemu.OVMF_VARS = "$VARS32"
plain = wrqemu.qemu_command
def ia32(opts, vars_fd, accel):
    cmd = plain(opts, vars_fd, accel)
    i = cmd.index("-machine")
    cmd[i + 1] = cmd[i + 1].replace("q35,", "q35,smm=on,")
    return cmd + ["-global", "driver=cfi.pflash01,property=secure,value=on"]
wrqemu.qemu_command = ia32
sys.exit(wrqemu.run(wrqemu.parse_args(sys.argv[1:])))
PY
    echo $? >"$TEST_TMP/$name.rc"
}

boot32 ia32 --disk usb:"$BUILD/wtg-rescue.img" --disk nvme:"$IMG/host1.img" --layout all \
    --on "$MENU_END" d --on '^Press any key' x --on "$MENU_END" s --timeout 150

has_line ia32-version ia32 '^wtg-rescue [^ ]+'
has_line ia32-disk-stick ia32 '^disk 0: USB [^ ]+.* GPT \(this stick\)$'
has_line ia32-disk-nvme ia32 '^disk [0-9]+: NVMe [^ ]+.* GPT$'
has_line ia32-found-one ia32 '^found 1 Windows boot manager'
line_after ia32-menu-title ia32 '^found [0-9]+ Windows' 'wtg-rescue'
has_line ia32-entry-nvme ia32 '^[ >] 1\) Windows on NVMe disk [0-9]+ \(.+\)$'
has_line ia32-disks-screen ia32 '^Disk [0-9]+ +NVMe +[^ ]+.* +GPT'
lacks_line ia32-no-exception ia32 'Exception|BOOTMGR-STUB'
# UINT64 members of firmware structures sit on 8-byte boundaries under IA32
# UEFI (gcc -m32 puts them on 4 without -malign-double): the disk sizes,
# from EFI_BLOCK_IO_MEDIA.LastBlock, show whether the build got that right.
has_line ia32-stick-size ia32 '^disk 0: USB 128 MiB GPT'
has_line ia32-nvme-size ia32 "^disk 1: NVMe $(($(stat -c %s "$IMG/host1.img") >> 20)) MiB GPT\$"
if grep -q "^# qemu.*file=$CODE32" "$TEST_TMP/ia32.log"; then
    pass ia32-firmware-is-32bit
else
    fail ia32-firmware-is-32bit "QEMU did not run $CODE32"
fi
exit_is ia32-shutdown-clean ia32 0
