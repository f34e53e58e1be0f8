#!/usr/bin/env bash
# Seeds for fuzz/regf_logs: dirty hives with their logs from ../shared (read
# at run time, never committed), packed as le32 primary length, le32 LOG1
# length, primary, LOG1, LOG2; plus a generated old-format pair.
set -u
dir=${1:?usage: regf_logs.seed.sh DIR}
mkdir -p "$dir"
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${WR_SHARED:-$repo/../shared}
D=$shared/regf-fixtures/dirty

# pack OUT PRIMARY LOG1 LOG2: the primary cut to 4096 + bins size.
pack() {
    python3 - "$@" <<'PY'
import struct, sys
out, prim, l1, l2 = sys.argv[1:5]
p = open(prim, 'rb').read()
bins = struct.unpack_from('<I', p, 40)[0]
p = p[:4096 + bins] if 4096 + bins <= len(p) else p
a = open(l1, 'rb').read() if l1 != '-' else b''
b = open(l2, 'rb').read() if l2 != '-' else b''
open(out, 'wb').write(struct.pack('<II', len(p), len(a)) + p + a + b)
# The same with the hash-fixing bit set (see fuzz/regf_logs.c).
open(out + '-fix', 'wb').write(struct.pack('<II', len(p), len(a) | 0x80000000) + p + a + b)
PY
}

if [ -d "$D" ]; then
    pack "$dir/seed-newdirty1" "$D/yarp-NewDirtyHive1/NewDirtyHive" \
        "$D/yarp-NewDirtyHive1/NewDirtyHive.LOG1" "$D/yarp-NewDirtyHive1/NewDirtyHive.LOG2"
    pack "$dir/seed-newdirty2" "$D/yarp-NewDirtyHive2/NewDirtyHive" \
        "$D/yarp-NewDirtyHive2/NewDirtyHive.LOG1" "$D/yarp-NewDirtyHive2/NewDirtyHive.LOG2"
    pack "$dir/seed-badlog3" "$D/yarp-BadLogHive3/BadLogHive" \
        "$D/yarp-BadLogHive3/BadLogHive.LOG1" "$D/yarp-BadLogHive3/BadLogHive.LOG2"
fi

# A small old-format pair: 2 bins, primary 3/2, LOG1 with 2 dirty pages.
python3 - "$dir/seed-gen-old" <<'PY'
import struct, sys
def hdr(seq1, seq2, ftype, bins):
    h = bytearray(4096)
    h[0:4] = b'regf'
    struct.pack_into('<IIQIIIIIII', h, 4, seq1, seq2, 0x01d2000000000000, 1, 3, ftype, 1, 0x20, bins, 1)
    x = 0
    for i in range(0, 0x1fc, 4):
        x ^= struct.unpack_from('<I', h, i)[0]
    x = 0xfffffffe if x == 0xffffffff else (1 if x == 0 else x)
    struct.pack_into('<I', h, 0x1fc, x)
    return h
bins = 0x2000
prim = hdr(3, 2, 0, bins) + bytes(bins)
for off in (0, 0x1000):
    prim[4096 + off:4096 + off + 12] = b'hbin' + struct.pack('<II', off, 0x1000)
log = bytearray(hdr(3, 3, 1, bins)[:512]) + b'DIRT' + bytes([0x03, 0, 0, 0] + [0] * 0)
log += bytes((-len(log)) % 512)
log += b'\x11' * 512 + b'\x22' * 512
open(sys.argv[1], 'wb').write(struct.pack('<II', len(prim), len(log)) + bytes(prim) + bytes(log))
PY
# A small new-format pair (primary 5/4, LOG1 entries 4 and 5, one growing
# the hive) with placeholder hashes: the hash-fixing bit makes them valid.
python3 - "$dir/seed-gen-new" <<'PY'
import struct, sys
def hdr(seq1, seq2, ftype, bins):
    h = bytearray(4096)
    h[0:4] = b'regf'
    struct.pack_into('<IIQIIIIIII', h, 4, seq1, seq2, 0x01d2000000000000, 1, 3, ftype, 1, 0x20, bins, 1)
    x = 0
    for i in range(0, 0x1fc, 4):
        x ^= struct.unpack_from('<I', h, i)[0]
    x = 0xfffffffe if x == 0xffffffff else (1 if x == 0 else x)
    struct.pack_into('<I', h, 0x1fc, x)
    return h
def entry(seq, bins, refs):
    body = b''.join(struct.pack('<II', o, len(d)) for o, d in refs) + b''.join(d for _, d in refs)
    size = -(-(40 + len(body)) // 512) * 512
    e = b'HvLE' + struct.pack('<IIIII', size, 0, seq, bins, len(refs)) + bytes(16) + body
    return e + bytes(size - len(e))
prim = hdr(5, 4, 0, 0x2000) + bytes(0x2000)
for off in (0, 0x1000):
    prim[4096 + off:4096 + off + 12] = b'hbin' + struct.pack('<II', off, 0x1000)
log = bytes(hdr(4, 4, 6, 0x2000)[:512]) + entry(4, 0x2000, [(0x200, b'\x33' * 512)]) + \
    entry(5, 0x3000, [(0x2000, b'hbin' + struct.pack('<II', 0x2000, 0x1000) + bytes(500)), (0x400, b'\x44' * 1024)])
open(sys.argv[1], 'wb').write(struct.pack('<II', len(prim), len(log) | 0x80000000) + bytes(prim) + log)
PY
exit 0
