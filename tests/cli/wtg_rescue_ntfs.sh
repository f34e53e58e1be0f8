#!/usr/bin/env bash
# wtg-rescue ls / cat / scan on the generated NTFS images (test-images/ntfs):
# contents against the builder's sha256 manifest and against ntfscat as a
# second reader, listings, exit codes, and the scan report.
source "$(dirname "$0")/../lib.sh"

W=$BUILD/asan/bin/wtg-rescue
IMG=$BUILD/test-images/ntfs
M=$IMG/MANIFEST
if [ ! -x "$W" ] || [ ! -f "$M" ]; then
    skip wtg_rescue_ntfs "$W or $M missing (make test-assets)"
    exit 0
fi

# Every file except the big generated directories (the unit test reads all
# of them in-process) through the CLI, sha256 against the manifest.
bad=0 n=0
while IFS=$'\t' read -r img path sum; do
    case $path in */drivers/*|/Dir/*|/Many/*) continue ;; esac
    case $path in *woflzx*) continue ;; esac
    n=$((n + 1))
    got=$("$W" cat "$IMG/$img" "$path" | sha256sum | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        bad=$((bad + 1))
        echo "mismatch: $img $path" >&2
    fi
done <"$M"
if [ $bad -eq 0 ] && [ $n -gt 100 ]; then pass cat_matches_manifest; else fail cat_matches_manifest "$bad of $n differ"; fi

# ntfscat as a second reader for what it can read (not WOF: it returns zeros).
bad=0 n=0
while IFS=$'\t' read -r img path sum; do
    case $img in dirty.img) continue ;; esac
    case $path in */drivers/*|/Dir/*|/Many/*|*wof*) continue ;; esac
    n=$((n + 1))
    a=$(ntfscat "$IMG/$img" "$path" 2>/dev/null | sha256sum | cut -d' ' -f1)
    [ "$a" = "$sum" ] || { bad=$((bad + 1)); echo "ntfscat differs: $img $path" >&2; }
done <"$M"
if [ $bad -eq 0 ] && [ $n -gt 50 ]; then pass ntfscat_agrees; else fail ntfscat_agrees "$bad of $n differ"; fi

# WOF: ntfscat gives zeros, we give the manifest's bytes.
w=$("$W" cat "$IMG/win-512-c4k.img" /Windows/Boot/EFI/wof4k.efi | sha256sum | cut -d' ' -f1)
z=$(ntfscat "$IMG/win-512-c4k.img" /Windows/Boot/EFI/wof4k.efi 2>/dev/null | tr -d '\0' | wc -c)
want=$(awk -F'\t' '$1=="win-512-c4k.img" && $2=="/Windows/Boot/EFI/wof4k.efi" {print $3}' "$M")
if [ "$w" = "$want" ] && [ "$z" = 0 ]; then pass wof_decoded_where_naive_reader_sees_zeros
else fail wof_decoded_where_naive_reader_sees_zeros "ours $w want $want, ntfscat non-zero bytes $z"; fi

out=$("$W" ls "$IMG/win-512-c4k.img" '\WINDOWS\system32\DRIVERS')
if [ "$(wc -l <<<"$out")" = 600 ] && [ "$(head -1 <<<"$out")" = driver_number_00000.sys ]; then
    pass ls_big_directory_sorted
else fail ls_big_directory_sorted "$(wc -l <<<"$out") lines"; fi
[ "$("$W" ls --dos "$IMG/win-512-c4k.img" /Windows/System32/drivers | wc -l)" = 1200 ] &&
    pass ls_dos_names || fail ls_dos_names "not 1200 entries"

out=$("$W" ls -l "$IMG/win-512-c4k.img" /)
grep -q '^junction .* Junction -> C:\\Windows$' <<<"$out" && grep -q '^symlink .*abs-link.txt -> C:\\small.txt$' <<<"$out" &&
    grep -q 'lznt1\|Compressed/' <<<"$out" && grep -q 'attrlist frag.bin' <<<"$out" &&
    pass ls_long_shows_links_and_storage || fail ls_long_shows_links_and_storage "$out"

# Exit codes, as --help documents them.
code() { "$@" >/dev/null 2>&1; echo $?; }
[ "$(code "$W" cat "$IMG/win-512-c4k.img" /no/such/file)" = 1 ] && pass exit_not_found || fail exit_not_found "not 1"
[ "$(code "$W" cat)" = 2 ] && pass exit_usage || fail exit_usage "not 2"
[ "$(code "$W" cat /no/such/disk.img /x)" = 1 ] && pass exit_missing_disk || fail exit_missing_disk "not 1"
[ "$(code "$W" cat "$IMG/win-512-c4k.img" /Windows/Boot/EFI/woflzx.efi)" = 4 ] && pass exit_lzx_unsupported || fail exit_lzx_unsupported "not 4"
[ "$(code "$W" ls "$IMG/win-512-c4k.img" /Junction/System32)" = 4 ] && pass exit_link_not_followed || fail exit_link_not_followed "not 4"
[ "$(code "$W" ls "$IMG/bitlocker-win7.img" /)" = 4 ] && pass exit_bitlocker || fail exit_bitlocker "not 4"
msg=$("$W" ls "$IMG/bitlocker-win7.img" / 2>&1)
grep -q encrypted <<<"$msg" && ! grep -qi corrupt <<<"$msg" && pass bitlocker_says_encrypted || fail bitlocker_says_encrypted "$msg"
"$W" --help | grep -q 'exit status' && pass help_documents_exit_codes || fail help_documents_exit_codes "no exit codes"

# Damaged volume: a clear message naming the record, exit 5.
cp "$IMG/dirty.img" "$TEST_TMP/bad.img"
mft=$(od -An -t u8 -j 48 -N 8 "$TEST_TMP/bad.img" | tr -d ' ')
printf 'XXXX' | dd of="$TEST_TMP/bad.img" bs=1 seek=$((mft * 4096 + 5 * 1024)) conv=notrunc status=none
msg=$("$W" ls "$TEST_TMP/bad.img" / 2>&1); rc=$?
[ $rc = 5 ] && grep -q 'MFT record 5' <<<"$msg" && pass corrupt_root_named || fail corrupt_root_named "rc $rc: $msg"

# Partitions: DISK:PART reaches the NTFS inside the GPT disk.
a=$("$W" cat "$IMG/disk-gpt.img:3" /Windows/Boot/EFI/bootmgfw.efi | sha256sum)
b=$("$W" cat "$IMG/win-512-c4k.img" /Windows/Boot/EFI/bootmgfw.efi | sha256sum)
[ "$a" = "$b" ] && pass disk_part_syntax || fail disk_part_syntax "differs"
[ "$(code "$W" ls "$IMG/disk-gpt.img:9" /)" = 1 ] && pass missing_partition || fail missing_partition "not 1"
msg=$("$W" ls "$IMG/disk-gpt.img" / 2>&1)
grep -q 'has 5 partitions: name one as .*disk-gpt.img:N' <<<"$msg" && pass whole_disk_hints_partitions ||
    fail whole_disk_hints_partitions "$msg"

# scan: the Windows on partition 3, the BitLocker partition, and JSON.
out=$("$W" scan "$IMG/disk-gpt.img")
grep -q 'partition 3: Microsoft basic data' <<<"$out" && grep -q 'Windows: Windows 10 Pro 22H2 build 19045 (Professional), x64, Windows To Go' <<<"$out" &&
    grep -q 'bootmgfw.efi: 120000 bytes' <<<"$out" && grep -q 'BitLocker-encrypted' <<<"$out" &&
    grep -q 'Windows installations found: 1' <<<"$out" && pass scan_text || fail scan_text "$out"
"$W" scan --json "$IMG/disk-gpt.img" "$IMG/hibernated.img" "$IMG/dirty.img" "$IMG/refs.img" >"$TEST_TMP/scan.json"
if python3 - "$TEST_TMP/scan.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["windows_found"] == 3, d["windows_found"]
disk, hib, dirty, refs = d["disks"]
win = [p for p in disk["partitions"] if p.get("windows")][0]
assert win["number"] == 3 and win["windows"]["architecture"] == "x64"
assert win["windows"]["build"] == "19045" and win["windows"]["to_go"] is True
assert win["windows"]["bootmgfw_efi"]["size"] == 120000
assert [p["volume"] for p in disk["partitions"]][4] == "bitlocker"
assert hib["partitions"][0]["hibernation"].startswith("hibernated")
assert dirty["partitions"][0]["dirty"] is True
assert refs["partitions"][0]["volume"] == "refs"
EOF
then pass scan_json; else fail scan_json "$(head -c 600 "$TEST_TMP/scan.json")"; fi
