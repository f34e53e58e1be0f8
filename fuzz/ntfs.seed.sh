#!/usr/bin/env bash
# Seeds for fuzz/ntfs: small mkntfs volumes (2-4 MiB, 512 B and 4 KiB
# clusters, 4 KiB sectors) filled by ntfs-mkimg with a little of every
# feature, $LogFile blanked and trailing zeros cut; plus decoder inputs.
set -u
out=${1:?usage: $0 DIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkimg=$repo/build/test-images/ntfs/ntfs-mkimg
mkdir -p "$out"
[ -x "$mkimg" ] || make -C "$repo" --no-print-directory build/test-images/ntfs/ntfs-mkimg >/dev/null || exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for geo in "512 512 2M" "512 4096 2M" "4096 4096 4M"; do
    set -- $geo
    img=$tmp/v.img
    rm -f "$img" && truncate -s "$3" "$img"
    mkntfs -F -f -q -T -L Seed -s "$1" -c "$2" "$img" >/dev/null 2>&1 || continue
    comp=()
    [ "$2" -le 4096 ] && comp=(compressdir /C gen /C/z.bin 20000 3)
    "$mkimg" "$img" mkdir /Windows mkdir /Windows/System32 text /Windows/System32/winload.efi MZ \
        mkdir /D many /D 40 name_ dos text /hiberfil.sys HIBR gen /g.bin 3000 1 \
        sparse /s.bin 40000 2 wof /w.bin 9000 4 xpress4k junction /J 'C:\x' \
        "${comp[@]}" >/dev/null 2>&1 || continue
    python3 - "$img" "$out/vol$n" <<'PY'
import sys, subprocess
data = bytearray(open(sys.argv[1], 'rb').read())
# Blank $LogFile (never read by the reader) so the seed is mostly structure.
info = subprocess.run(['ntfsinfo', '-F', '/$LogFile', '-v', sys.argv[1]], capture_output=True, text=True).stdout
cs = int(subprocess.run(['ntfsinfo', '-m', sys.argv[1]], capture_output=True, text=True).stdout.split('Cluster Size:')[1].split()[0])
for line in info.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[0].startswith('0x') and parts[1].startswith('0x'):
        vcn, lcn, ln = (int(p, 16) for p in parts)
        data[lcn * cs:(lcn + ln) * cs] = bytes(ln * cs)
data[-512:] = bytes(512)  # the backup boot sector: the target pads with zeros
end = len(data)
while end > 0 and data[end - 1] == 0:
    end -= 1
open(sys.argv[2], 'wb').write(bytes(data[:end]))
PY
    n=$((n + 1))
done
# The base volume of the patch mode ('P' inputs): the first seed, whole.
[ -f "$out/vol0" ] && cp "$out/vol0" "$out/../ntfs-base.img"
printf 'P' >"$out/patch-none"
printf 'P\x00\x14\x00\x00\x00' >"$out/patch-root"
printf 'L\xff\x0f\x05\xb0\x08abc\x06\x20' >"$out/lznt1"
printf 'X\xff\x0f' >"$out/xpress" && head -c 256 /dev/zero | tr '\0' '\x99' >>"$out/xpress" &&
    head -c 64 /dev/urandom >>"$out/xpress"
