#!/usr/bin/env python3
"""wrqemu.py with a graphics console: a VGA card (OVMF draws the same text
there as on the serial line) and QEMU's monitor on a socket. An --on rule
whose keys are "{shot:NAME}" saves the screen as OUTDIR/NAME.png instead of
typing (monitor screendump gives PPM; PNG is written here with zlib, so no
image library is needed).
Usage: screenshots.py OUTDIR WRQEMU_ARGS..."""
import os
import socket
import struct
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "qemu"))
import wrqemu  # noqa: E402

OUT = sys.argv[1]
SOCK = os.path.join(tempfile.mkdtemp(prefix="wr-shots."), "monitor")


def qemu_command(opts, vars_fd, accel, plain=wrqemu.qemu_command):
    cmd = plain(opts, vars_fd, accel)
    i = cmd.index("-monitor")
    cmd[i + 1] = f"unix:{SOCK},server=on,wait=off"
    return cmd + ["-device", "VGA"]


def monitor(command):
    s = socket.socket(socket.AF_UNIX)
    s.connect(SOCK)
    s.settimeout(10)
    s.sendall(command.encode() + b"\n")
    time.sleep(1.0)       # screendump writes asynchronously
    s.close()


def ppm_to_png(ppm, png):
    data = open(ppm, "rb").read()
    parts = data.split(maxsplit=4)   # P6 W H MAX pixels
    if parts[0] != b"P6":
        raise ValueError(f"{ppm}: not a binary PPM")
    w, h, pix = int(parts[1]), int(parts[2]), parts[4]
    rows = b"".join(b"\0" + pix[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    with open(png, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def next_action(self, plain=wrqemu.Console.next_action):
    keys = plain(self)
    if keys and keys.startswith("{shot:"):
        name = keys[6:-1]
        time.sleep(0.5)   # let the firmware finish drawing
        ppm = os.path.join(OUT, name + ".ppm")
        monitor(f"screendump {ppm}")
        ppm_to_png(ppm, os.path.join(OUT, name + ".png"))
        os.unlink(ppm)
        self.log.write(f"# screenshot {name}.png\n")
        return ""
    return keys


wrqemu.qemu_command = qemu_command
wrqemu.Console.next_action = next_action
sys.exit(wrqemu.run(wrqemu.parse_args(sys.argv[2:])))
