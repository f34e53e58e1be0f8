#!/usr/bin/env bash
# Runs every benchmark (bench/*.sh) in name order. Each prints its own
# figures beside the peer it is compared with; none of them pass or fail.
set -u
cd "$(dirname "$0")/.." || exit 2
for b in bench/*.sh; do
    [ -f "$b" ] || continue
    [ "$(basename "$b")" = run-all.sh ] && continue
    echo "== $(basename "$b" .sh)"
    bash "$b" || echo "bench: $b failed (status $?)"
done
