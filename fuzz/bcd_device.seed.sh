#!/usr/bin/env bash
# Seeds for fuzz/bcd_device: every device element (format 1) of the corpus
# stores, taken at run time from the .reg companions in ../shared.
set -u
out=${1:?usage: $0 DIR}
shared=${WR_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
dir=$shared/regf-fixtures/bcd
[ -d "$dir" ] || exit 0
mkdir -p "$out"
python3 - "$dir" "$out" <<'PY'
import glob, os, re, sys
src, out = sys.argv[1], sys.argv[2]
n = 0
for reg in glob.glob(os.path.join(src, '*.reg')):
    text = open(reg, encoding='utf-8', errors='replace').read().replace('\\\n', '')
    for m in re.finditer(r'\\Elements\\[0-9a-fA-F]1[0-9a-fA-F]{6}\]\n"Element"=hex\(3\):([0-9a-f,\s]+)', text):
        data = bytes(int(b, 16) for b in re.findall(r'[0-9a-f]{2}', m.group(1)))
        open(os.path.join(out, 'dev%04d' % n), 'wb').write(data)
        n += 1
PY
