#!/usr/bin/env python3
"""wrqemu.py plus what the issue-7 tests need, as options placed before
wrqemu's own (everything it does not know is passed on):

  --vars FILE        a persistent OVMF_VARS file (copied from the template
                     when absent), so a second run sees the first run's
                     Boot#### / BootNext writes
  --vars-template F  the VARS template (default OVMF_VARS_4M.fd)
  --code FILE        the OVMF code image (e.g. OVMF_CODE_4M.secboot.fd)
  --tpm DIR          a TPM 2.0 from swtpm (state and socket in DIR)
  --persist          disks are written for real (no snapshot=on): a later
                     run sees what this one wrote
  --tftp DIR --bootfile NAME
                     a virtio-net NIC on QEMU's user network whose built-in
                     TFTP serves DIR and offers NAME as the boot file
  --no-ipxe          that NIC without QEMU's iPXE option ROM: the
                     firmware's own PXE (OVMF's network stack) boots it
  --smbios-uuid U    the SMBIOS system UUID (type 1)
  --secure-boot      OVMF_CODE_4M.secboot.fd with a copy of
                     OVMF_VARS_4M.snakeoil.fd (Secure Boot on, db = Debian's
                     snakeoil certificate), SMM and the secure pflash flag
                     (uefi.md §7)
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wrqemu  # noqa: E402


def parse(argv):
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--vars")
    ap.add_argument("--vars-template", default=wrqemu.OVMF_VARS)
    ap.add_argument("--code")
    ap.add_argument("--tpm")
    ap.add_argument("--persist", action="store_true")
    ap.add_argument("--tftp")
    ap.add_argument("--bootfile")
    ap.add_argument("--no-ipxe", action="store_true")
    ap.add_argument("--smbios-uuid")
    ap.add_argument("--secure-boot", action="store_true")
    return ap.parse_known_args(argv)


def start_swtpm(state):
    os.makedirs(state, exist_ok=True)
    sock = os.path.join(state, "swtpm.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    p = subprocess.Popen(["swtpm", "socket", "--tpm2", "--tpmstate", f"dir={state}",
                          "--ctrl", f"type=unixio,path={sock}", "--flags", "startup-clear",
                          "--log", f"file={os.path.join(state, 'swtpm.log')}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    return p, sock


def main(argv):
    ext, rest = parse(argv)
    if ext.secure_boot:
        ext.code = ext.code or "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
        if ext.vars_template == wrqemu.OVMF_VARS:
            ext.vars_template = "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd"
    if ext.code:
        wrqemu.OVMF_CODE = ext.code
    if ext.vars and not os.path.exists(ext.vars):
        shutil.copy(ext.vars_template, ext.vars)
    elif not ext.vars:
        wrqemu.OVMF_VARS = ext.vars_template
    extra, tpm = [], None
    if ext.tpm:
        tpm, sock = start_swtpm(ext.tpm)
        extra += ["-chardev", f"socket,id=chrtpm,path={sock}",
                  "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                  "-device", "tpm-tis,tpmdev=tpm0"]
    if ext.tftp:
        netdev = f"user,id=n0,tftp={os.path.abspath(ext.tftp)}"
        if ext.bootfile:
            netdev += f",bootfile={ext.bootfile}"
        nic = "virtio-net-pci,netdev=n0,bootindex=0"
        if ext.no_ipxe:
            nic += ",romfile="
        extra += ["-netdev", netdev, "-device", nic]
    if ext.smbios_uuid:
        extra += ["-smbios", f"type=1,uuid={ext.smbios_uuid}"]
    base = wrqemu.qemu_command

    def command(opts, vars_fd, accel):
        cmd = base(opts, os.path.abspath(ext.vars) if ext.vars else vars_fd, accel)
        if ext.persist:
            cmd = [a.replace(",snapshot=on", "") for a in cmd]
        if ext.secure_boot:
            cmd = [a.replace("q35,accel=", "q35,smm=on,accel=") for a in cmd]
            cmd += ["-global", "driver=cfi.pflash01,property=secure,value=on"]
        if ext.tftp and "-net" in cmd:
            i = cmd.index("-net")
            del cmd[i:i + 2]
        return cmd + extra
    wrqemu.qemu_command = command
    try:
        return wrqemu.run(wrqemu.parse_args(rest))
    finally:
        if tpm:
            tpm.terminate()
            tpm.wait(timeout=5)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
