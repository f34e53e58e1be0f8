#!/usr/bin/env bash
# make screenshots: docs/screenshots/*.png from QEMU's screen: the menu,
# the diagnose screen, the repair plan and the BCD viewer, on the test
# stick with a host whose BCD is gone (the engine's "bcd-missing" scenario,
# what a Linux install that reformatted the ESP leaves: 0xc000000f).
# Nothing is repaired: the plan's question is answered "n".
# Usage: mk/screenshots.sh OUTDIR
set -eu
out=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wr-shots.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

bash "$repo/test-images/scenarios/make-scenario.sh" bcd-missing "$tmp/sc" "$build" >"$tmp/sc.log" 2>&1 ||
    { tail -n 5 "$tmp/sc.log" >&2; exit 1; }
host=$(sed -n 1p "$tmp/sc/disks")
"$repo/test-images/stick-with-conf.sh" "$build/test-images/stick.img" "$tmp/stick.img" \
    $'default menu\ntimeout -1' >/dev/null

MENU_END='^[ >] s\) Shut down'
BACK='^Press any key to return to the menu'
python3 "$repo/mk/screenshots.py" "$out" --log "$tmp/run.log" --timeout 300 \
    --disk usb:"$tmp/stick.img" --disk nvme:"$host" --layout all \
    --on "$MENU_END" '{shot:menu}' --on '' g \
    --on "$BACK" '{shot:diagnose}' --on '' x \
    --on "$MENU_END" p --on 'Repair now\?' '{shot:repair-plan}' --on '' n \
    --on "$BACK" x \
    --on "$MENU_END" b --on '(^-- more|^Press any key to return)' '{shot:bcd-viewer}' --on '' q \
    --on "$BACK" x --on "$MENU_END" s || { tail -n 20 "$tmp/run.log" >&2; exit 1; }
for s in menu diagnose repair-plan bcd-viewer; do
    [ -s "$out/$s.png" ] || { echo "screenshots: $s.png was not taken" >&2; tail -n 20 "$tmp/run.log" >&2; exit 1; }
done
ls -l "$out"/*.png
