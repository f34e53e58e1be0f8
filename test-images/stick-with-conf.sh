#!/usr/bin/env bash
# A per-test stick variant: a sparse copy of a built stick with its own
# \EFI\wtg-rescue\wtg-rescue.conf (cheaper than building a stick).
# Usage: stick-with-conf.sh BASE.img OUT.img CONF_TEXT
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || die "usage: stick-with-conf.sh BASE.img OUT.img CONF_TEXT"
base=$1 out=$2 conf=$3
[ -f "$base" ] || die "no base stick: $base"
esp=$(gpt_start "$base" 1)
cp --sparse=always "$base" "$out"
printf '%s\n' "$conf" >"$out.conf"
fat_put "$out" $((esp * 512)) "$out.conf" /EFI/wtg-rescue/wtg-rescue.conf
rm -f "$out.conf"
