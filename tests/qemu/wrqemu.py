#!/usr/bin/env python3
"""Boots scenario disks in QEMU + OVMF and records the serial console.

One run = one QEMU process: OVMF_CODE read-only plus a private copy of
OVMF_VARS, the stick on qemu-xhci + usb-storage, host disks on NVMe, AHCI,
virtio-scsi or virtio-blk, isa-debug-exit on port 0xf4, -no-reboot.  The
serial line is read as it arrives, cleaned of terminal escapes, written to
a timestamped log, and scanned by a small script of rules:

  --on REGEX KEYS    when REGEX appears (after the previous rule fired),
                     type KEYS (escapes: {up} {down} {enter} {esc} \\r \\n;
                     {1} .. {9} stand for REGEX's capture groups)
  --until REGEX      after every --on rule fired, stop QEMU when REGEX appears
  --mark NAME REGEX  log the time REGEX first appears ("# mark NAME 4.321")

Exit status: QEMU's own (0 = normal shutdown; the stub boot manager's 71 = OK,
73 = FAIL, 69 = it could not tell its partition),
0 when --until stopped it, 122 when the firmware fell back to its setup UI
(every boot option returned), 123 on a CPU exception in the guest, 124 on
timeout, 125 when QEMU could not start.
Shell tests then assert on the log (see tests/qemu/e2e.sh).
"""
import argparse
import fcntl
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(REPO, "build")

# Terminal output: cursor moves and screen clears become line breaks (a menu
# drawn by positioning still reads as lines); other escapes disappear.
CSI = re.compile(r"\x1b\[[0-9;?=>]*([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b[=>]")
KVM_BROKEN = re.compile(r"KVM internal error|failed to set MSR|Could not access KVM|"
                        r"failed to initialize kvm|emulation failure")
# The firmware gave up on every boot option (it starts its setup UI) or a
# CPU exception hung the guest: nothing more will come, so stop at once.
DEAD_END = re.compile(r'^BdsDxe: starting Boot[0-9A-F]{4} "UiApp"|X64 Exception Type', re.M)
STATUS_TEXT = {0: "stopped by --until", 122: "firmware fell back to its setup UI (UiApp)",
               123: "CPU exception in the guest", 124: "timed out",
               125: "QEMU could not start", 126: "KVM failed"}
KEY_NAMES = {"{up}": "\x1b[A", "{down}": "\x1b[B", "{right}": "\x1b[C",
             "{left}": "\x1b[D", "{enter}": "\r", "{esc}": "\x1b"}


def clean(raw):
    """Serial bytes (as latin-1 text) to plain lines."""
    def repl(m):
        return "\n" if m.group(1) in ("H", "f", "J") else ""
    text = CSI.sub(repl, raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_keys(keys):
    for name, seq in KEY_NAMES.items():
        keys = keys.replace(name, seq)
    return keys.replace("\\r", "\r").replace("\\n", "\n").replace("\\e", "\x1b")


# ------------------------------------------------------------ accelerator
def probe_kvm(timeout=20.0):
    """True when OVMF really runs under KVM here (uefi.md 6.4: /dev/kvm can
    exist and still fail with "KVM internal error")."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        vars_fd = os.path.join(tmp, "vars.fd")
        shutil.copy(OVMF_VARS, vars_fd)
        cmd = ["qemu-system-x86_64", "-machine", "q35,accel=kvm", "-cpu", "host", "-m", "256",
               "-nodefaults", "-display", "none", "-monitor", "none", "-net", "none",
               "-serial", "stdio", "-no-reboot",
               "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
               "-drive", f"if=pflash,format=raw,unit=1,file={vars_fd}"]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        seen = b""
        ok = False
        deadline = time.monotonic() + timeout
        os.set_blocking(p.stdout.fileno(), False)
        while time.monotonic() < deadline and p.poll() is None:
            chunk = p.stdout.read() or b""
            seen += chunk
            text = seen.decode("latin-1")
            if KVM_BROKEN.search(text):
                break
            if "BdsDxe" in text:
                ok = True
                break
            time.sleep(0.05)
        if p.poll() is None:
            p.kill()
        p.wait()
        return ok


def accel_key():
    qver = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.split("\n")[0]
    return f"{os.uname().release} {qver}"


def choose_accel():
    """kvm or tcg, probed once and cached under build/ (keyed by kernel and
    QEMU) so parallel tests do not each pay for the probe."""
    forced = os.environ.get("WR_QEMU_ACCEL")
    if forced in ("kvm", "tcg"):
        return forced
    os.makedirs(BUILD, exist_ok=True)
    key = accel_key()
    path = os.path.join(BUILD, "qemu-accel")
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(path) as f:
                cached_key, accel = f.read().rsplit("\n", 2)[0:2]
            if cached_key == key and accel in ("kvm", "tcg"):
                return accel
        except (OSError, ValueError):
            pass
        accel = "kvm" if probe_kvm() else "tcg"
        with open(path, "w") as f:
            f.write(f"{key}\n{accel}\n")
        return accel


# ------------------------------------------------------- concurrency slots
def take_slot():
    """Holds one of WR_QEMU_SLOTS lock files (default 2) so parallel tests
    never run more QEMUs than the 2 shared cores can carry."""
    slots = int(os.environ.get("WR_QEMU_SLOTS", "2"))
    d = os.path.join(BUILD, "qemu-slots")
    os.makedirs(d, exist_ok=True)
    while True:
        for i in range(slots):
            f = open(os.path.join(d, f"slot{i}"), "w")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return f
            except OSError:
                f.close()
        time.sleep(0.2)


# ------------------------------------------------------------- the machine
DISK_KINDS = ("usb", "usb-fixed", "nvme", "nvme4k", "ahci", "scsi", "virtio")


def disk_args(disks, layout):
    """QEMU arguments for --disk KIND:PATH entries.  layout: 'stick' puts a
    bootindex only on the USB stick (OVMF then connects only it), 'all' on
    every disk (OVMF connects all), 'none' leaves boot order to OVMF."""
    args, n_ahci, have = [], 0, set()
    for i, (kind, path) in enumerate(disks):
        drive = f"d{i}"
        # snapshot=on: writes go to a throw-away overlay, so tests can share
        # one built image and run side by side without write locks.
        args += ["-drive", f"if=none,id={drive},format=raw,snapshot=on,file={path}"]
        boot = ""
        if layout == "all" or (layout == "stick" and kind.startswith("usb")):
            boot = f",bootindex={i}"
        if kind.startswith("usb"):
            if "xhci" not in have:
                args += ["-device", "qemu-xhci,id=xhci"]
                have.add("xhci")
            # usb-fixed: a stick that says it is a fixed disk, as Windows To
            # Go certified drives do (RemovableMedia 0, uefi.md 2.4).
            removable = "off" if kind == "usb-fixed" else "on"
            args += ["-device", f"usb-storage,bus=xhci.0,drive={drive},removable={removable}{boot}"]
        elif kind == "nvme":
            args += ["-device", f"nvme,serial=NVME{i:04d},drive={drive}{boot}"]
        elif kind == "nvme4k":
            args += ["-device", f"nvme,serial=NVME4K{i:02d},drive={drive},"
                     f"logical_block_size=4096,physical_block_size=4096{boot}"]
        elif kind == "ahci":
            args += ["-device", f"ide-hd,bus=ide.{n_ahci},drive={drive}{boot}"]
            n_ahci += 1
        elif kind == "scsi":
            if "vscsi" not in have:
                args += ["-device", "virtio-scsi-pci,id=vscsi"]
                have.add("vscsi")
            args += ["-device", f"scsi-hd,bus=vscsi.0,drive={drive}{boot}"]
        elif kind == "virtio":
            args += ["-device", f"virtio-blk-pci,drive={drive}{boot}"]
    return args


def qemu_command(opts, vars_fd, accel):
    cpu = ["-cpu", "host"] if accel == "kvm" else []
    # Interactive: the serial line multiplexed with QEMU's monitor on the
    # terminal (Ctrl-A X quits), and a guest reboot really reboots.
    serial = (["-serial", "mon:stdio"] if opts.interactive
              else ["-serial", "stdio"] + ([] if opts.reboot else ["-no-reboot"]))
    return (["qemu-system-x86_64", "-machine", f"q35,accel={accel}", *cpu,
             "-m", "512", "-nodefaults", "-display", "none", "-monitor", "none",
             "-net", "none", *serial,
             "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
             "-drive", f"if=pflash,format=raw,unit=1,file={vars_fd}",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
            + disk_args(opts.disk, opts.layout))


class Console:
    """The serial stream: raw bytes in, cleaned timestamped lines out, and
    the rule script run against the cleaned text."""

    def __init__(self, opts, start, log, echo):
        self.opts, self.start, self.log, self.echo = opts, start, log, echo
        self.raw = ""
        self.text = ""
        self.logged = 0         # chars of self.text already written as lines
        self.pos = 0            # rules search the text from here on
        self.rule = 0           # next --on rule
        self.marks = {name: re.compile(rx, re.M) for name, rx in opts.mark}
        self.until_hit = False

    def now(self):
        return time.monotonic() - self.start

    def feed(self, chunk):
        """Cleans only the new bytes; the text only grows, so positions in it
        (rules, logged lines) stay valid."""
        self.raw += chunk.decode("latin-1")
        # Hold back an escape sequence or a CR (of CR LF) cut off by the read.
        cut = len(self.raw)
        esc = self.raw.rfind("\x1b")
        if esc >= 0 and len(self.raw) - esc <= 16 and not re.match(
                r"\x1b(\[[0-9;?=>]*[A-Za-z]|[()][0-9A-Za-z]|[=>])", self.raw[esc:]):
            cut = esc
        if self.raw[:cut].endswith("\r"):
            cut -= 1
        self.text += clean(self.raw[:cut])
        self.raw = self.raw[cut:]
        self.write_lines()
        self.check_marks()

    def write_lines(self, final=False):
        if final and self.raw:
            self.text += clean(self.raw)
            self.raw = ""
        end = len(self.text) if final else self.text.rfind("\n") + 1
        if end <= self.logged:
            return
        t = self.now()
        for line in self.text[self.logged:end].split("\n"):
            if line.strip():
                self.log.write(f"[{t:8.3f}] {line.rstrip()}\n")
                if self.echo:
                    print(line.rstrip(), flush=True)
        self.log.flush()
        self.logged = end

    def check_marks(self):
        for name in list(self.marks):
            if self.marks[name].search(self.text):
                self.log.write(f"# mark {name} {self.now():.3f}\n")
                del self.marks[name]

    def next_action(self):
        """Keys to type now, or None; sets until_hit when --until matched."""
        if self.rule < len(self.opts.on):
            rx, keys = self.opts.on[self.rule]
            m = re.compile(rx, re.M).search(self.text, self.pos)
            if m:
                self.pos = m.end()
                self.rule += 1
                for g in range(1, (m.re.groups or 0) + 1):
                    keys = keys.replace("{%d}" % g, m.group(g) or "")
                self.log.write(f"# on /{rx}/ typed {keys!r} at {self.now():.3f}\n")
                return decode_keys(keys)
            return None
        if self.opts.until and re.compile(self.opts.until, re.M).search(self.text, self.pos):
            self.until_hit = True
        return None


def run(opts):
    accel = opts.accel if opts.accel != "auto" else choose_accel()
    if opts.interactive:
        return run_interactive(opts, accel)
    status = run_once(opts, accel)
    if status == 126 and accel == "kvm":
        print("wrqemu: KVM failed under OVMF; falling back to TCG", file=sys.stderr)
        with open(os.path.join(BUILD, "qemu-accel"), "w") as f:
            f.write(f"{accel_key()}\ntcg\n")
        status = run_once(opts, "tcg")
    return status


def run_once(opts, accel):
    slot = take_slot()
    tmp = tempfile.mkdtemp(prefix="wrqemu.")
    vars_fd = os.path.join(tmp, "OVMF_VARS_4M.fd")
    shutil.copy(OVMF_VARS, vars_fd)
    cmd = qemu_command(opts, vars_fd, accel)
    log = open(opts.log, "w") if opts.log else open(os.devnull, "w")
    log.write(f"# accel {accel}\n# {' '.join(cmd)}\n")
    start = time.monotonic()
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        print(f"wrqemu: cannot start QEMU: {e}", file=sys.stderr)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        slot.close()
        return 125
    con = Console(opts, start, log, opts.echo)
    errs = []

    def read_stderr():
        for line in p.stderr:
            errs.append(line)
    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    status = serve(p, con, opts.timeout, errs, opts.keep_going)
    reader.join(timeout=2)
    con.write_lines(final=True)
    err = b"".join(errs).decode("latin-1", "replace").strip()
    if status < 0:                  # killed by a signal (QEMU aborted)
        status = 128 - status
    if status not in (0, 69, 71, 73) and accel == "kvm" and KVM_BROKEN.search(err):
        status = 126
    if err:
        log.write("".join(f"# stderr {line}\n" for line in err.split("\n")))
    log.write(f"# result {status} after {con.now():.3f}s\n")
    log.close()
    shutil.rmtree(tmp, ignore_errors=True)
    slot.close()
    if status in (122, 123, 124, 125):
        tail = [ln for ln in con.text.split("\n") if ln.strip()][-opts.tail:]
        pending = (f"--on rule {con.rule + 1} of {len(opts.on)} pending"
                   if con.rule < len(opts.on) else "all --on rules done")
        print(f"wrqemu: {STATUS_TEXT[status]} after {con.now():.1f}s; {pending}; "
              "serial tail:", file=sys.stderr)
        print("\n".join("  | " + line for line in tail), file=sys.stderr)
        if err:
            print(f"wrqemu: QEMU said: {err[:2000]}", file=sys.stderr)
    return status


def run_interactive(opts, accel):
    """QEMU on this terminal, for a person (make run)."""
    with tempfile.TemporaryDirectory(prefix="wrqemu.") as tmp:
        vars_fd = os.path.join(tmp, "OVMF_VARS_4M.fd")
        shutil.copy(OVMF_VARS, vars_fd)
        return subprocess.call(qemu_command(opts, vars_fd, accel))


def serve(p, con, timeout, errs, opts_keep_going):
    """Pump serial output until QEMU exits, --until matches or time runs out.
    126 = KVM failed after all (QEMU's stderr says so): the caller retries."""
    fd = p.stdout.fileno()
    os.set_blocking(fd, False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            chunk = None
        if chunk:
            con.feed(chunk)
            keys = con.next_action()
            while keys is not None:
                p.stdin.write(keys.encode("latin-1"))
                p.stdin.flush()
                keys = con.next_action()
            if con.until_hit:
                stop(p)
                return 0
            dead = DEAD_END.search(con.text)
            if dead and not opts_keep_going:
                stop(p)
                return 122 if "UiApp" in dead.group(0) else 123
            continue
        if chunk == b"" or p.poll() is not None:
            # Exit: drain what is left, then report QEMU's status.
            rest = p.stdout.read() or b""
            if rest:
                con.feed(rest)
            return p.wait()
        if errs and KVM_BROKEN.search(b"".join(errs).decode("latin-1")):
            stop(p)
            return 126
        if time.monotonic() > deadline:
            stop(p)
            return 124
        # Wake as soon as output comes: a fixed sleep made every timestamp
        # (and the bench's marks) a multiple of 20 ms.
        select.select([fd], [], [], 0.02)


def stop(p):
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGKILL)
    p.wait()


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--disk", action="append", default=[], metavar="KIND:PATH",
                    help=f"a disk; KIND is one of {', '.join(DISK_KINDS)}")
    ap.add_argument("--layout", choices=("stick", "all", "none"), default="stick",
                    help="which disks get a bootindex (default: the stick only)")
    ap.add_argument("--on", nargs=2, action="append", default=[], metavar=("REGEX", "KEYS"))
    ap.add_argument("--until", metavar="REGEX")
    ap.add_argument("--mark", nargs=2, action="append", default=[], metavar=("NAME", "REGEX"))
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--reboot", action="store_true",
                    help="a guest reset reboots (default: it ends QEMU, -no-reboot)")
    ap.add_argument("--keep-going", action="store_true",
                    help="do not stop when the firmware starts UiApp or the CPU faults")
    ap.add_argument("--log", help="timestamped, cleaned serial log")
    ap.add_argument("--echo", action="store_true", help="also print serial lines")
    ap.add_argument("--tail", type=int, default=25, help="serial lines shown on failure")
    ap.add_argument("--interactive", action="store_true",
                    help="serial and monitor on this terminal (Ctrl-A X quits); no rules")
    ap.add_argument("--accel", choices=("auto", "kvm", "tcg"), default="auto")
    opts = ap.parse_args(argv)
    disks = []
    for d in opts.disk:
        kind, _, path = d.partition(":")
        if kind not in DISK_KINDS or not path:
            ap.error(f"--disk {d!r}: want KIND:PATH with KIND in {DISK_KINDS}")
        if not os.path.isfile(path):
            ap.error(f"--disk {d!r}: no such image (build it: make test-assets)")
        disks.append((kind, os.path.abspath(path)))
    opts.disk = disks
    for rx in [r for r, _ in opts.on] + [r for _, r in opts.mark] + [opts.until or ""]:
        try:
            re.compile(rx)
        except re.error as e:
            ap.error(f"bad regex {rx!r}: {e}")
    return opts


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--probe-accel":
        print(choose_accel())
        sys.exit(0)
    sys.exit(run(parse_args(sys.argv[1:])))
