#!/usr/bin/env bash
# make run: boots the test stick (the app, plus a To Go stub boot manager)
# and an NVMe host disk (a stub "Windows") in QEMU + OVMF, the serial
# console on this terminal. Disks are opened with snapshot=on: nothing the
# demo does is written back. Without a terminal on stdin (CI, scripts) it
# boots, shows the menu on stdout and stops, instead of waiting forever.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
IMG=$REPO/build/test-images
for f in "$IMG/stick.img" "$IMG/host1.img"; do
    [ -f "$f" ] || { echo "run-demo: missing $f (run: make run)" >&2; exit 1; }
done
demo=$IMG/demo-stick.img
# The demo waits in the menu (timeout -1) so a person can look around.
"$REPO/test-images/stick-with-conf.sh" "$IMG/stick.img" "$demo" $'default menu\ntimeout -1' || exit 1
disks=(--disk "usb:$demo" --disk "nvme:$IMG/host1.img" --layout stick)

if [ -t 0 ]; then
    echo "wtg-rescue demo in QEMU+OVMF (takes ~10 s to the menu under TCG). Quit: Ctrl-A X." \
         "The Windows entries start a stub that prints where it was loaded from and ends QEMU."
    exec python3 "$REPO/tests/qemu/wrqemu.py" --interactive "${disks[@]}"
fi
echo "wtg-rescue demo, non-interactive (stdin is not a terminal): boot, show the menu, stop."
python3 "$REPO/tests/qemu/wrqemu.py" --echo --until '^[ >] s\) Shut down' --timeout "${DEMO_TIMEOUT:-120}" \
    "${disks[@]}"
status=$?
[ $status -eq 0 ] && echo "run-demo: the menu appeared; stopped QEMU." ||
    echo "run-demo: the menu did not appear (status $status)" >&2
exit $status
