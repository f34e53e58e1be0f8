#!/usr/bin/env bash
# Seeds for fuzz/bcd_store: the BCD stores of ../shared, copied at run time
# into the (uncommitted) corpus directory. Only the 256 KiB iPXE store is cut
# (to 128 KiB: its bins end at 28 KiB, the rest is slack).
set -u
out=${1:?usage: $0 DIR}
shared=${WR_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
dir=$shared/regf-fixtures/bcd
[ -d "$dir" ] || exit 0
mkdir -p "$out"
for f in "$dir"/*; do
    case $f in *.reg|*.objects.txt|*.LOG|*.LOG1|*.LOG2) continue ;; esac
    head -c 131072 "$f" >"$out/$(basename "$f")"
done
