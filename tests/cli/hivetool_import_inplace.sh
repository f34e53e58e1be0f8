#!/usr/bin/env bash
# hivetool import --in-place: the Windows protocol on a real BCD. The log it
# leaves is checked by an independent reading of regf-format.md §11.2 (a
# Python Marvin32 and entry parser): replaying it over the old primary must
# give exactly the new primary's bins. A crash between the log and the
# primary is simulated and recovered with hivetool recover.
source "$(dirname "$0")/../lib.sh"

HT=$BUILD/asan/bin/hivetool
B=$WR_SHARED/regf-fixtures/bcd

if [ ! -x "$HT" ]; then fail hivetool_import_inplace_built "$HT not built"; exit 0; fi
shared_or_skip hivetool_import_inplace || exit 0
T=$TEST_TMP

cat >"$T/edit.reg" <<'REG'
Windows Registry Editor Version 5.00

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements\25000004]
"Element"=hex(3):0a,00,00,00,00,00,00,00

[\Objects\{22222222-2222-2222-2222-222222222222}\Elements\12000004]
"Element"="Rescue"
REG

cat >"$T/check.py" <<'PY'
import struct, sys
SEED, M = 0x82EF4D887A4E55C5, 0xFFFFFFFF
def rotl(v, n): return ((v << n) | (v >> (32 - n))) & M
def marvin32(d):
    lo, hi = SEED & M, SEED >> 32
    def mix(v):
        nonlocal lo, hi
        lo = (lo + v) & M; hi ^= lo; lo = (rotl(lo, 20) + hi) & M; hi = rotl(hi, 9) ^ lo
        lo = (rotl(lo, 27) + hi) & M; hi = rotl(hi, 19)
    n = len(d) // 4 * 4
    for i in range(0, n, 4): mix(struct.unpack_from('<I', d, i)[0])
    t = 0x80
    for b in reversed(d[n:]): t = (t << 8) | b
    mix(t); mix(0)
    return (hi << 32) | lo
def csum(h):
    x = 0
    for i in range(0, 0x1fc, 4): x ^= struct.unpack_from('<I', h, i)[0]
    return 0xfffffffe if x == 0xffffffff else (1 if x == 0 else x)
def u32(b, o): return struct.unpack_from('<I', b, o)[0]
old, new, log = (open(f, 'rb').read() for f in sys.argv[1:4])
s = u32(old, 4)
assert u32(new, 4) == u32(new, 8) == s + 1, "primary not clean at S+1"
assert u32(new, 0x1fc) == csum(new), "primary checksum"
assert log[:4] == b'regf' and u32(log, 0x1c) == 6, "log header type"
assert u32(log, 4) == u32(log, 8) == s, "log header sequence"
assert u32(log, 0x1fc) == csum(log), "log header checksum"
e = log[512:]
assert e[:4] == b'HvLE', "no entry"
size, flags, seq, bins, n = struct.unpack_from('<IIIII', e, 4)
assert size % 512 == 0 and 512 + size <= len(log), "entry size"
assert seq == s, "entry sequence %d, want %d" % (seq, s)
assert struct.unpack_from('<Q', e, 24)[0] == marvin32(e[40:size]), "hash-1"
assert struct.unpack_from('<Q', e, 32)[0] == marvin32(e[:32]), "hash-2"
assert bins == u32(new, 0x28), "entry bins size"
img = bytearray(old[4096:4096 + u32(old, 0x28)])
img += bytes(max(0, bins - len(img)))
data = 40 + 8 * n
for i in range(n):
    off, sz = struct.unpack_from('<II', e, 40 + 8 * i)
    img[off:off + sz] = e[data:data + sz]
    data += sz
assert bytes(img[:bins]) == new[4096:4096 + bins], "replayed log != new bins"
print("ok %d pages" % (sum(struct.unpack_from('<I', e, 44 + 8 * i)[0] for i in range(n)) // 512))
PY

for bcd in nuc8-esp.BCD z370-esp-2016.BCD x2100-esp-oldlog.BCD windows2go-win11-esp.BCD; do
    name=inplace_${bcd%.BCD}
    [ -f "$B/$bcd" ] || { skip "$name" "fixture missing"; continue; }
    rm -rf "$T/esp" && mkdir "$T/esp"
    for s in "" .LOG .LOG1 .LOG2; do [ -f "$B/$bcd$s" ] && cp "$B/$bcd$s" "$T/esp/BCD$s"; done
    chmod u+w "$T/esp"/*
    cp "$T/esp/BCD" "$T/old"
    if ! "$HT" import --in-place "$T/esp/BCD" "$T/edit.reg" >"$T/log" 2>&1; then
        fail "$name" "import: $(tail -n 1 "$T/log")"; continue
    fi
    out=$(python3 "$T/check.py" "$T/old" "$T/esp/BCD" "$T/esp/BCD.LOG" 2>&1)
    case $out in ok*) ;; *) fail "$name" "log check: $(tail -n 1 <<<"$out")"; continue ;; esac
    for s in .LOG1 .LOG2; do
        if [ -s "$T/esp/BCD$s" ]; then fail "$name" "BCD$s left non-empty"; continue 2; fi
    done
    "$HT" check "$T/esp/BCD" >/dev/null 2>&1 || { fail "$name" "our validator rejects it"; continue; }
    if command -v hivexml >/dev/null && ! hivexml "$T/esp/BCD" >/dev/null 2>&1; then
        fail "$name" "hivexml rejects it"; continue
    fi
    # The crash: the log is written, the primary only got seq1 = S+1.
    python3 - "$T/old" "$T/esp/crashed" <<'PY'
import struct, sys
h = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<I', h, 4, struct.unpack_from('<I', h, 4)[0] + 1)
x = 0
for i in range(0, 0x1fc, 4): x ^= struct.unpack_from('<I', h, i)[0]
struct.pack_into('<I', h, 0x1fc, 0xfffffffe if x == 0xffffffff else (1 if x == 0 else x))
open(sys.argv[2], 'wb').write(h)
PY
    cp "$T/esp/BCD.LOG" "$T/esp/crashed.LOG"
    if ! "$HT" recover "$T/esp/crashed" -o "$T/recovered" >"$T/log" 2>&1; then
        fail "$name" "recover after the crash: $(tail -n 1 "$T/log")"; continue
    fi
    size=$(od -An -t u4 -j 40 -N 4 "$T/esp/BCD" | tr -d ' ')
    if ! cmp -s <(tail -c +4097 "$T/recovered" | head -c "$size") <(tail -c +4097 "$T/esp/BCD" | head -c "$size"); then
        fail "$name" "recovered crash differs from the committed hive"; continue
    fi
    pass "$name"
done
