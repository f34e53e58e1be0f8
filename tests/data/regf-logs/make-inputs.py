#!/usr/bin/env python3
"""Writes the hand-made hostile recovery inputs replayed by
tests/unit/test_regf_log_hostile.c (replay_kept_inputs). Format, as
fuzz/regf_logs.c reads it: le32 primary length, le32 LOG1 length, primary,
LOG1, then LOG2. Run from this directory; the outputs are committed."""
import struct

SEED = 0x82EF4D887A4E55C5
M = 0xFFFFFFFF

def rotl(v, n):
    return ((v << n) | (v >> (32 - n))) & M

def marvin32(data):
    lo, hi = SEED & M, SEED >> 32
    def mix(v):
        nonlocal lo, hi
        lo = (lo + v) & M; hi ^= lo; lo = (rotl(lo, 20) + hi) & M; hi = rotl(hi, 9) ^ lo
        lo = (rotl(lo, 27) + hi) & M; hi = rotl(hi, 19)
    n = len(data) // 4 * 4
    for i in range(0, n, 4):
        mix(struct.unpack_from('<I', data, i)[0])
    tail = 0x80
    for b in reversed(data[n:]):
        tail = (tail << 8) | b
    mix(tail)
    mix(0)
    return (hi << 32) | lo

def hdr(seq1, seq2, ftype, bins, ts=0x01d2000000000000, good=True):
    h = bytearray(4096)
    h[0:4] = b'regf'
    struct.pack_into('<IIQIIIIIII', h, 4, seq1, seq2, ts, 1, 3, ftype, 1, 0x20, bins, 1)
    x = 0
    for i in range(0, 0x1fc, 4):
        x ^= struct.unpack_from('<I', h, i)[0]
    x = 0xfffffffe if x == 0xffffffff else (1 if x == 0 else x)
    struct.pack_into('<I', h, 0x1fc, x if good else x ^ 0x5a5a)
    return h

def primary(seq1, seq2, bins, good=True):
    p = hdr(seq1, seq2, 0, bins, good=good) + bytes(bins)
    for off in range(0, bins, 0x1000):
        p[4096 + off:4096 + off + 12] = b'hbin' + struct.pack('<II', off, 0x1000)
    return bytes(p)

def entry(seq, bins, refs):
    body = b''.join(struct.pack('<II', o, len(d)) for o, d in refs) + b''.join(d for _, d in refs)
    size = -(-(40 + len(body)) // 512) * 512
    e = bytearray(b'HvLE' + struct.pack('<IIIII', size, 0, seq, bins, len(refs)) + bytes(16) + body)
    e += bytes(size - len(e))
    struct.pack_into('<Q', e, 24, marvin32(bytes(e[40:])))
    struct.pack_into('<Q', e, 32, marvin32(bytes(e[:32])))
    return bytes(e)

def newlog(seq, bins, *entries):
    return bytes(hdr(seq, seq, 6, bins)[:512]) + b''.join(entries)

def write(name, prim, log1, log2=b''):
    with open(name, 'wb') as f:
        f.write(struct.pack('<II', len(prim), len(log1)) + prim + log1 + log2)

# An old-format bitmap that claims all 16 pages while the log holds one.
old = bytearray(hdr(3, 3, 1, 0x2000)[:512]) + b'DIRT' + b'\xff\xff'
old += bytes(-len(old) % 512) + b'\x11' * 512
write('old-bitmap-overclaims', primary(3, 2, 0x2000), bytes(old))

# A valid entry whose bins size asks for 2 GiB: refused, never allocated.
write('new-growth-2gib', primary(5, 4, 0x2000),
      newlog(4, 0x2000, entry(4, 0x7FFFF000, [(0x200, b'\x22' * 512)])))

# A bad primary base block, and logs across the 2^32 wrap: the log with the
# latest entries supplies the header.
write('new-bad-header-wrap', primary(7, 6, 0x2000, good=False),
      newlog(0xFFFFFFFF, 0x2000, entry(0xFFFFFFFF, 0x2000, [(0, b'\x33' * 512)]),
             entry(0, 0x3000, [(0x2000, b'hbin' + struct.pack('<II', 0x2000, 0x1000) + bytes(500))])),
      newlog(5, 0x2000, entry(5, 0x2000, [(0x400, b'\x44' * 512)])))

# Entries whose page references overlap and repeat the same page.
write('new-overlapping-pages', primary(9, 8, 0x2000),
      newlog(8, 0x2000, entry(8, 0x2000, [(0x200, b'\x55' * 1024), (0x400, b'\x66' * 512),
                                          (0x200, b'\x77' * 512)])))
