#!/usr/bin/env bash
# u) Save user files in QEMU: alice's folders from an NTFS host disk (a
# 32 MiB file, a fragmented file, a WOF file, a 14-level tree, a junction)
# onto the stick's FAT32 data partition. Afterwards, on the host: every
# sha256 in MANIFEST.txt matches the stick's copy (mtools) and the source
# (wtg-rescue cat); fsck.fat is clean; the source image is unchanged. A full
# stick refuses before copying; cancelling leaves a consistent stick.
source "$(dirname "$0")/../lib.sh"
source "$REPO/tests/qemu/e2e.sh"
RI=$BUILD/test-images/rescue
W=$BUILD/wtg-rescue
need_images rescue-files "$RI/host.img" "$RI/stick-data.img" "$RI/stick-full.img" \
    "$RI/stick-exfat.img" "$W" || exit 0

# boot_rw NAME RW_IMAGE ARGS...: boot() with RW_IMAGE opened writable (the
# harness opens every disk snapshot=on; this test must read the stick after).
boot_rw() {
    local name=$1 rw=$2; shift 2
    QEMU_DIR=$QEMU_DIR WR_RW=$rw python3 - --log "$TEST_TMP/$name.log" "$@" \
        2>"$TEST_TMP/$name.err" <<'PY'
import os, sys
sys.path.insert(0, os.environ["QEMU_DIR"])
import wrqemu
orig, rw = wrqemu.disk_args, os.environ["WR_RW"]
def disk_args(disks, layout):
    return [a.replace(",snapshot=on", "") if a.endswith("file=" + rw) else a
            for a in orig(disks, layout)]
wrqemu.disk_args = disk_args
sys.exit(wrqemu.run(wrqemu.parse_args(sys.argv[1:])))
PY
    echo $? >"$TEST_TMP/$name.rc"
}

data_off() { echo $(($(sgdisk -i 3 "$1" | awk '/^First sector:/ {print $3}') * 512)); }
data_part() { # IMG OUT: the data partition alone, for fsck.fat
    local start size
    start=$(sgdisk -i 3 "$1" | awk '/^First sector:/ {print $3}')
    size=$(sgdisk -i 3 "$1" | awk '/^Partition size:/ {print $3}')
    dd if="$1" of="$2" bs=512 skip="$start" count="$size" status=none
}

# check_manifest CASE IMG DIR: every FILE line's stored copy and source agree.
check_manifest() {
    local case=$1 img=$2 dir=$3 off n=0 bad=0 kind sha size stored orig s1 s2
    off=$(data_off "$img")
    mtype -i "$img@@$off" "::/RESCUE/alice/MANIFEST.txt" >"$TEST_TMP/$case.manifest" 2>/dev/null ||
        { fail "$case" "no MANIFEST.txt on the stick"; return; }
    while IFS=$'\t' read -r kind sha size stored orig; do
        [ "$kind" = FILE ] || continue
        n=$((n + 1))
        s1=$(mcopy -n -i "$img@@$off" "::/RESCUE/alice/${stored//\\//}" - 2>/dev/null | sha256sum | cut -d' ' -f1)
        s2=$("$W" cat "$RI/host.img:1" "\\Users\\alice\\$orig" | sha256sum | cut -d' ' -f1)
        [ "$s1" = "$sha" ] && [ "$s2" = "$sha" ] || { bad=$((bad + 1)); echo "mismatch: $orig"; }
    done <"$TEST_TMP/$case.manifest"
    echo "$n" >"$TEST_TMP/$case.count"
    if [ "$n" -gt 0 ] && [ "$bad" = 0 ]; then pass "$case"
    else fail "$case" "$n files listed, $bad sha256 mismatches"; fi
}

fsck_clean() { # CASE IMG
    data_part "$2" "$TEST_TMP/$1.part"
    if out=$(fsck.fat -n "$TEST_TMP/$1.part" 2>&1); then pass "$1"
    else fail "$1" "$(tail -n 2 <<<"$out" | tr '\n' ' ')"; fi
    rm -f "$TEST_TMP/$1.part"
}

host_before=$(sha256sum <"$RI/host.img")
keys=(--on "$MENU_END" 'u' --on '^Pick a user' '1' --on 'Enter continues' '{enter}')

# 1. The whole copy.
cp --sparse=always "$RI/stick-data.img" "$TEST_TMP/stick.img"
boot_rw copy "$TEST_TMP/stick.img" --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$RI/host.img" \
    --layout all "${keys[@]}" --on 'Press y to copy' 'y' \
    --on '^Press any key to return' 's' --on "$MENU_END" 's' --timeout 400
has_line rescue-files-screen copy '^Windows volume: NVMe disk [0-9]+, .*partition 1$'
has_line rescue-files-installation-named copy '^Installed: Windows 10 Pro 22H2$'
has_line rescue-files-user copy '^  1\) alice$'
has_line rescue-files-folder-sizes copy '^  [0-9]\) \[x\] Documents  3[0-9.]+ MB, 6 files$'
has_line rescue-files-progress copy '^\[[#-]{20}\] +[0-9]+%  .* of .*, [0-9]+ of 11 files, .*/s, [0-9]+ s left$'
has_line rescue-files-complete copy '^Rescue complete: 10 files, 3[0-9.]+ MB copied to \\RESCUE\\alice\.$'
line_after rescue-files-error-listed copy '^1 files could not be read:$' '^  .*legacy\.dll.*LZX'
check_manifest rescue-files-sha256-stick-and-source "$TEST_TMP/stick.img"
if [ "$(cat "$TEST_TMP/rescue-files-sha256-stick-and-source.count" 2>/dev/null)" = 10 ] &&
    grep -q $'^SKIP\tDocuments\\\\My Music' "$TEST_TMP/rescue-files-sha256-stick-and-source.manifest" &&
    grep -q $'\tDocuments\\\\compressed.dll$' "$TEST_TMP/rescue-files-sha256-stick-and-source.manifest"; then
    pass rescue-files-all-listed-wof-copied-junction-skipped
else
    fail rescue-files-all-listed-wof-copied-junction-skipped "manifest: $(head -c 300 "$TEST_TMP/rescue-files-sha256-stick-and-source.manifest" | tr '\n\t' '| ')"
fi
fsck_clean rescue-files-fsck-clean "$TEST_TMP/stick.img"
rm -f "$TEST_TMP/stick.img"

# 2. A full stick: refused before anything is written.
boot full --disk usb:"$RI/stick-full.img" --disk nvme:"$RI/host.img" --layout all \
    "${keys[@]}" --on '^Press any key to return' 's' --on "$MENU_END" 's' --timeout 300
has_line rescue-files-full-refused full '^Not enough free space on the stick: nothing was copied\.$'
lacks_line rescue-files-full-no-copy full '^Copying'

# 3. Cancel midway: the stick stays consistent and the manifest lists
#    exactly the files on it.
cp --sparse=always "$RI/stick-data.img" "$TEST_TMP/stick.img"
boot_rw cancel "$TEST_TMP/stick.img" --disk usb:"$TEST_TMP/stick.img" --disk nvme:"$RI/host.img" \
    --layout all "${keys[@]}" --on 'Press y to copy' 'y' --on '^\[[#-]{20}\] ' 'c' \
    --on '^Press any key to return' 's' --on "$MENU_END" 's' --timeout 400
has_line rescue-files-cancelled cancel '^Rescue cancelled: [0-9]+ files, .* copied; the manifest lists them\.$'
fsck_clean rescue-files-cancel-fsck-clean "$TEST_TMP/stick.img"
check_manifest rescue-files-cancel-manifest-sha256 "$TEST_TMP/stick.img"
off=$(data_off "$TEST_TMP/stick.img")
there=$(mdir -/ -b -i "$TEST_TMP/stick.img@@$off" ::/RESCUE/alice 2>/dev/null | grep -v '/$' |
    grep -vi 'MANIFEST.txt$' | while read -r p; do
        mdir -i "$TEST_TMP/stick.img@@$off" "$p" >/dev/null 2>&1 && mtype -i "$TEST_TMP/stick.img@@$off" "$p" >/dev/null 2>&1 && echo "$p"
    done | wc -l)
listed=$(cat "$TEST_TMP/rescue-files-cancel-manifest-sha256.count" 2>/dev/null || echo none)
if [ "$there" = "$listed" ] && [ "$listed" != 10 ] &&
    grep -q '^# cancelled:' "$TEST_TMP/rescue-files-cancel-manifest-sha256.manifest"; then
    pass rescue-files-cancel-lists-exactly-what-is-there
else
    fail rescue-files-cancel-lists-exactly-what-is-there "$listed listed, $there files on the stick"
fi
rm -f "$TEST_TMP/stick.img"

# 4. An exFAT data partition the firmware cannot write: said plainly.
boot exfat --disk usb:"$RI/stick-exfat.img" --disk nvme:"$RI/host.img" --layout all \
    --on "$MENU_END" 'u' --on '^Press any key to return' 's' --on "$MENU_END" 's' --timeout 200
has_line rescue-files-exfat-unsupported exfat 'exFAT is unsupported here'

if [ "$(sha256sum <"$RI/host.img")" = "$host_before" ]; then pass rescue-files-source-unchanged
else fail rescue-files-source-unchanged "host.img changed"; fi
