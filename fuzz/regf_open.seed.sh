#!/usr/bin/env bash
# Seeds for fuzz/regf_open: the BCD stores and small odd hives from
# ../shared (copied into the build corpus at run time, never committed),
# plus two hives our own writer makes.
set -u
dir=${1:?usage: regf_open.seed.sh DIR}
mkdir -p "$dir"
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${WR_SHARED:-$repo/../shared}
F=$shared/regf-fixtures
if [ -d "$F" ]; then
    for f in "$F"/bcd/* "$F"/hives/hivex-* "$F"/hives/yarp-EmptyHive "$F"/hives/yarp-BigDataHive \
        "$F"/hives/yarp-UnicodeHive "$F"/hives/python-registry-* "$F"/corrupt/yarp-BadListHive \
        "$F"/corrupt/yarp-WrongOrderHive "$F"/corrupt/yarp-TruncatedNameHive; do
        case $f in *.reg|*.txt) continue ;; esac
        [ -f "$f" ] && cp "$f" "$dir/$(basename "$f")"
    done
fi
exit 0
