#!/usr/bin/env python3
"""Gives a firmware boot entry LoadOptions, in an OVMF VARS file between runs
(after a run with a persistent --vars): copies the first Boot#### whose
description starts with PREFIX as Boot<NUM> whose optional data is TEXT
(UTF-16LE with its NUL, as firmware menus and efibootmgr -u write it), and
sets BootNext to it, so the next boot starts that entry once.

Usage: ovmf_vars_loadopt.py VARS.fd PREFIX NUM TEXT
       e.g. ovmf_vars_loadopt.py vars.fd "UEFI PXEv4" 0100 "mode diagnose"

Appends plain (non-authenticated) variables to edk2's authenticated or
plain variable store, as the firmware's own variable driver would: a new
record after the last one, state VAR_ADDED; an older record of the same
name is marked deleted.
"""
import struct
import sys
import uuid

import ovmf_vars

VAR_DELETED_MASK = 0xFD
VAR_ADDED = 0x3F
ATTRS = 0x7  # NV + BS + RT


def store_end(blob):
    """(offset after the last record, authenticated?, store end)."""
    hlen = struct.unpack_from("<H", blob, 0x30)[0]
    auth = uuid.UUID(bytes_le=bytes(blob[hlen:hlen + 16])) == ovmf_vars.AUTH_STORE
    size = struct.unpack_from("<I", blob, hlen + 16)[0]
    off, end = (hlen + 28 + 3) & ~3, hlen + size
    while off + 32 <= end and struct.unpack_from("<H", blob, off)[0] == 0x55AA:
        if auth:
            nsize, dsize = struct.unpack_from("<II", blob, off + 36)
            hdr = 60
        else:
            nsize, dsize = struct.unpack_from("<II", blob, off + 8)
            hdr = 32
        off = (off + hdr + nsize + dsize + 3) & ~3
    return off, auth, end


def record(name, data, auth):
    n = (name + "\0").encode("utf-16-le")
    g = ovmf_vars.GLOBAL.bytes_le
    if auth:
        head = struct.pack("<HBBIQ16sIII", 0x55AA, VAR_ADDED, 0, ATTRS, 0, bytes(16), 0,
                           len(n), len(data)) + g
    else:
        head = struct.pack("<HBBIII", 0x55AA, VAR_ADDED, 0, ATTRS, len(n), len(data)) + g
    rec = head + n + data
    return rec + b"\xff" * (-len(rec) % 4)


def put(blob, name, data):
    for vname, guid, _, _, off in list(ovmf_vars.variables(bytes(blob))):
        if guid == ovmf_vars.GLOBAL and vname == name:
            blob[off + 2] &= VAR_DELETED_MASK
    off, auth, end = store_end(blob)
    rec = record(name, data, auth)
    if off + len(rec) > end or any(b != 0xFF for b in blob[off:off + len(rec)]):
        sys.exit("no free space at the end of the variable store")
    blob[off:off + len(rec)] = rec


def main(path, prefix, num, text):
    with open(path, "rb") as f:
        blob = bytearray(f.read())
    src = None
    for name, guid, _, data, _ in ovmf_vars.variables(bytes(blob)):
        if guid == ovmf_vars.GLOBAL and len(name) == 8 and name.startswith("Boot") and \
                name != "BootNext" and ovmf_vars.load_option(data)[1].startswith(prefix):
            src = (name, data)
            break
    if not src:
        sys.exit(f"no Boot#### whose description starts with {prefix!r}")
    data = src[1]
    plen = struct.unpack_from("<H", data, 4)[0]
    i = 6
    while data[i:i + 2] != b"\0\0":
        i += 2
    entry = data[:i + 2 + plen] + (text + "\0").encode("utf-16-le")
    put(blob, f"Boot{num.upper()}", entry)
    put(blob, "BootNext", struct.pack("<H", int(num, 16)))
    with open(path, "wb") as f:
        f.write(blob)
    print(f"Boot{num.upper()} copied from {src[0]} with {len(text)} characters of "
          f"LoadOptions; BootNext={num.upper()}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
