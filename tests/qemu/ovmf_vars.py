#!/usr/bin/env python3
"""Reads the variables of an OVMF VARS file (after a run with a persistent
--vars) and prints the boot variables:

  BootOrder 0004,0001,...
  Boot0004 attrs=0x7 active=1 desc="Windows Boot Manager" hd=<part guid> path=\\EFI\\...
           optional=136 windows=1

Usage: ovmf_vars.py VARS.fd
       ovmf_vars.py --delete-windows VARS.fd   marks every "Windows Boot
       Manager" Boot#### deleted, as the firmware does (BootOrder untouched)
Only the authenticated and plain variable store formats of edk2 are read;
deleted variables are skipped.
"""
import struct
import sys
import uuid

GLOBAL = uuid.UUID("8be4df61-93ca-11d2-aa0d-00e098032b8c")
AUTH_STORE = uuid.UUID("aaf32c78-947b-439a-a180-2e144ec37792")
VAR_ADDED = 0x3F


def variables(blob):
    hlen = struct.unpack_from("<H", blob, 0x30)[0]
    store = uuid.UUID(bytes_le=blob[hlen:hlen + 16])
    auth = store == AUTH_STORE
    size = struct.unpack_from("<I", blob, hlen + 16)[0]
    off, end = (hlen + 28 + 3) & ~3, hlen + size
    while off + 32 <= end:
        start, state, _, attrs = struct.unpack_from("<HBBI", blob, off)
        if start != 0x55AA:
            break
        if auth:
            nsize, dsize = struct.unpack_from("<II", blob, off + 36)
            guid, hdr = uuid.UUID(bytes_le=blob[off + 44:off + 60]), 60
        else:
            nsize, dsize = struct.unpack_from("<II", blob, off + 8)
            guid, hdr = uuid.UUID(bytes_le=blob[off + 16:off + 32]), 32
        name = blob[off + hdr:off + hdr + nsize].decode("utf-16-le").rstrip("\0")
        data = blob[off + hdr + nsize:off + hdr + nsize + dsize]
        if state == VAR_ADDED:
            yield name, guid, attrs, data, off
        off = (off + hdr + nsize + dsize + 3) & ~3


def load_option(data):
    attrs, plen = struct.unpack_from("<IH", data, 0)
    i = 6
    while data[i:i + 2] != b"\0\0":
        i += 2
    desc = data[6:i].decode("utf-16-le")
    path, hd, filep = data[i + 2:i + 2 + plen], None, None
    j = 0
    while j + 4 <= len(path):
        t, st, ln = struct.unpack_from("<BBH", path, j)
        if t == 0x7F:
            break
        if t == 4 and st == 1 and path[j + 41] == 2:   # HD(), GPT signature
            hd = str(uuid.UUID(bytes_le=path[j + 24:j + 40]))
        if t == 4 and st == 4:
            filep = path[j + 4:j + ln].decode("utf-16-le").rstrip("\0")
        j += ln
    return attrs, desc, hd, filep, data[i + 2 + plen:]


def main(path):
    with open(path, "rb") as f:
        blob = f.read()
    for name, guid, attrs, data, _ in variables(blob):
        if guid != GLOBAL:
            continue
        if name == "BootOrder":
            order = struct.unpack(f"<{len(data) // 2}H", data)
            print("BootOrder " + ",".join(f"{n:04X}" for n in order))
        elif len(name) == 8 and name.startswith("Boot") and name != "BootNext":
            a, desc, hd, filep, opt = load_option(data)
            print(f'{name} attrs=0x{attrs:x} active={a & 1} desc="{desc}" hd={hd} '
                  f'path={filep} optional={len(opt)} windows={int(opt[:8] == b"WINDOWS" + bytes(1))}')


def delete_windows(path):
    with open(path, "r+b") as f:
        blob = bytearray(f.read())
        n = 0
        for name, guid, _, data, off in list(variables(bytes(blob))):
            if guid == GLOBAL and len(name) == 8 and name.startswith("Boot") and \
                    name != "BootNext" and load_option(data)[1] == "Windows Boot Manager":
                blob[off + 2] &= 0xFD   # VAR_DELETED
                n += 1
        f.seek(0)
        f.write(blob)
    print(f"deleted {n}")


if __name__ == "__main__":
    if sys.argv[1] == "--delete-windows":
        delete_windows(sys.argv[2])
    else:
        main(sys.argv[1])
