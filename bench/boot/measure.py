#!/usr/bin/env python3
"""Boot-time benchmark runner (bench/boot-time.sh builds the sticks).

For each loader (our app, systemd-boot, rEFInd) and firmware layout (the
firmware connected every disk / only the stick) it boots the same disks
RUNS times in two modes, timing from OVMF's hand-over ("BdsDxe: starting")
to (a) the loader's menu on serial and (b) the stub boot manager's marker
with the loader set to boot Windows at once. Runs are interleaved so load
from other work on the machine spreads evenly; prints medians and ratios.
Usage: measure.py STICK_DIR HOST_IMG RUNS
"""
import concurrent.futures
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WRQEMU = os.path.join(HERE, "..", "..", "tests", "qemu", "wrqemu.py")
BDS = r"^BdsDxe: starting Boot"
MARKER = r"^BOOTMGR-STUB loaded from"

# name, label, the last line of its menu, and how its menu shows Windows.
LOADERS = [
    ("ours", "wtg-rescue", r"^[ >] s\) Shut down", r"^[ >] [1-9]\) Windows"),
    ("sdboot", "systemd-boot", r"Reboot Into Firmware Interface", r"^\s*Windows"),
    ("refind", "rEFInd", r"^ ?Reboot Computer", r"^ ?Boot Microsoft EFI boot from"),
]
LAYOUTS = [("all", "firmware connected every disk"), ("stick", "firmware connected only the stick")]


def one_run(stick_dir, host, loader, layout, mode, tmp, i):
    log = os.path.join(tmp, f"{loader}-{layout}-{mode}-{i}.log")
    menu_rx = next(m for n, _, m, _ in LOADERS if n == loader)
    cmd = [sys.executable, WRQEMU, "--log", log, "--layout", layout, "--timeout", "120",
           "--disk", f"usb:{stick_dir}/{loader}-{mode}.img", "--disk", f"nvme:{host}",
           "--mark", "bds", BDS, "--mark", "menu", menu_rx, "--mark", "marker", MARKER]
    if mode == "menu":
        cmd += ["--until", menu_rx]
    status = subprocess.run(cmd, stderr=subprocess.DEVNULL).returncode
    with open(log, encoding="latin-1") as f:
        text = f.read()
    marks = {m.group(1): float(m.group(2))
             for m in re.finditer(r"^# mark (\w+) ([0-9.]+)$", text, re.M)}
    lines = [ln.split("] ", 1)[1] for ln in text.split("\n") if ln.startswith("[")]
    want = "menu" if mode == "menu" else "marker"
    ok = "bds" in marks and want in marks and (mode == "menu" or status == 71)
    return {
        "loader": loader, "layout": layout, "mode": mode, "ok": ok, "status": status,
        "t": marks[want] - marks["bds"] if ok else None,
        "lines": lines, "log": log,
    }


def windows_seen(runs, loader):
    """How many Windows entries the loader's menu listed (distinct lines)."""
    rx = re.compile(next(w for n, _, _, w in LOADERS if n == loader))
    counts = {len({ln.strip() for ln in r["lines"] if rx.search(ln)}) for r in runs}
    return "/".join(str(c) for c in sorted(counts)) if counts else "?"


def booted(runs):
    origins = {ln.split("loaded from ", 1)[1].split(" (")[0]
               for r in runs for ln in r["lines"] if re.match(MARKER, ln)}
    names = {"5717c0de-0000-4000-8000-000000000001": "stick ESP",
             "4057d15c-0001-4000-8000-000000000001": "host ESP"}
    return ", ".join(sorted(names.get(o.split()[-1], o) for o in origins)) or "-"


def median(runs):
    ts = [r["t"] for r in runs if r["ok"]]
    return statistics.median(ts) if ts else None


def fmt(t):
    return f"{t:7.3f}" if t is not None else "   fail"


def spread(runs):
    ts = [r["t"] for r in runs if r["ok"]]
    return f"{min(ts):.2f}-{max(ts):.2f}" if ts else "-"


def main():
    stick_dir, host, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    jobs = []
    for i in range(n):                      # interleaved: run i of everything
        for layout, _ in LAYOUTS:
            for loader, *_ in LOADERS:
                for mode in ("menu", "boot"):
                    jobs.append((loader, layout, mode, i))
    with tempfile.TemporaryDirectory(prefix="wr-bench.") as tmp:
        slots = int(os.environ.get("WR_QEMU_SLOTS", "2"))
        with concurrent.futures.ThreadPoolExecutor(slots) as pool:
            results = list(pool.map(lambda j: one_run(stick_dir, host, *j[:3], tmp, j[3]), jobs))
        report(results, n)


def report(results, n):
    def pick(loader, layout, mode):
        return [r for r in results
                if (r["loader"], r["layout"], r["mode"]) == (loader, layout, mode)]

    print(f"Seconds from OVMF's hand-over (\"BdsDxe: starting\"), median of {n} runs, "
          "stick on USB + Windows host disk on NVMe:")
    print(f"  {'layout':<7} {'loader':<13} {'to menu':>8} {'(range)':>11} {'to Windows':>10} "
          f"{'(range)':>11}  {'Windows in menu':>15}  booted")
    medians = {}
    for layout, _ in LAYOUTS:
        for loader, label, *_ in LOADERS:
            menu, boot = pick(loader, layout, "menu"), pick(loader, layout, "boot")
            medians[(loader, layout)] = (median(menu), median(boot))
            fails = sum(not r["ok"] for r in menu + boot)
            note = f"  ({fails} failed runs, e.g. {next(r for r in menu + boot if not r['ok'])['log']})" \
                if fails else ""
            print(f"  {layout:<7} {label:<13} {fmt(medians[(loader, layout)][0]):>8} "
                  f"{spread(menu):>11} {fmt(medians[(loader, layout)][1]):>10} "
                  f"{spread(boot):>11}  {windows_seen(menu, loader):>15}  {booted(boot)}{note}")
    print("Layouts: " + "; ".join(f"{k} = {v}" for k, v in LAYOUTS))
    for layout, _ in LAYOUTS:
        ours, ref = medians[("ours", layout)], medians[("refind", layout)]
        parts = []
        for what, a, b in (("menu", ours[0], ref[0]), ("Windows", ours[1], ref[1])):
            parts.append(f"to {what} {a / b:.2f}x" if a and b else f"to {what} n/a")
        print(f"Ratio wtg-rescue / rEFInd, {layout}: " + ", ".join(parts)
              + ("  (target: to menu <= 1.5x in 'all')" if layout == "all" else ""))


if __name__ == "__main__":
    main()
