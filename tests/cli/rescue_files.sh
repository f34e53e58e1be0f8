#!/usr/bin/env bash
# wtg-rescue rescue-files: a user's folders out of an NTFS image into a
# folder, with a manifest whose every sha256 matches the source.
source "$(dirname "$0")/../lib.sh"
W=$BUILD/asan/bin/wtg-rescue
HOST=$BUILD/test-images/rescue/host.img
if [ ! -x "$W" ] || [ ! -f "$HOST" ]; then
    fail rescue_files_assets "missing $W or $HOST (make test-assets)"
    exit 0
fi
before=$(sha256sum <"$HOST")
out=$TEST_TMP/rf
rm -rf "$out"

if "$W" rescue-files "$HOST:1" --user alice --to "$out" >"$TEST_TMP/rf.out" 2>"$TEST_TMP/rf.err" &&
    grep -q '^done: 10 of 11 files' "$TEST_TMP/rf.out"; then
    pass rescue_files_copies_all
else
    fail rescue_files_copies_all "$(cat "$TEST_TMP/rf.out" "$TEST_TMP/rf.err" | tail -n 3 | tr '\n' ' ')"
fi
M=$out/alice/MANIFEST.txt

# Every FILE line: the stored copy and the source (read by cat) have its digest.
bad=0 n=0
while IFS=$'\t' read -r kind sha size stored orig; do
    [ "$kind" = FILE ] || continue
    n=$((n + 1))
    s1=$(sha256sum <"$out/alice/${stored//\\//}" | cut -d' ' -f1)
    s2=$("$W" cat "$HOST:1" "\\Users\\alice\\$orig" | sha256sum | cut -d' ' -f1)
    sz=$(stat -c %s "$out/alice/${stored//\\//}")
    if [ "$s1" != "$sha" ] || [ "$s2" != "$sha" ] || [ "$sz" != "$size" ]; then
        bad=$((bad + 1))
        echo "mismatch: $orig ($sha / $s1 / $s2)"
    fi
done <"$M"
if [ "$n" = 10 ] && [ "$bad" = 0 ]; then pass rescue_files_sha256_match_source
else fail rescue_files_sha256_match_source "$n files, $bad mismatches"; fi

for f in Documents/big.bin Documents/frag.bin Documents/compressed.dll \
    Documents/tree/level-01/level-02/level-03/level-04/level-05/level-06/level-07/level-08/level-09/level-10/level-11/level-12/level-13/deep.txt; do
    [ -f "$out/alice/$f" ] || { fail rescue_files_large_frag_wof_deep "no $f"; f=; break; }
done
[ -n "$f" ] && pass rescue_files_large_frag_wof_deep

if grep -q $'^SKIP\tDocuments\\\\My Music\t' "$M" && [ ! -e "$out/alice/Documents/My Music" ]; then
    pass rescue_files_junction_skipped
else
    fail rescue_files_junction_skipped "no SKIP line, or the junction was followed"
fi

if grep -q $'\tDesktop\\\\todo_ call mum_.txt\tDesktop\\\\todo: call mum?.txt$' "$M" &&
    [ -f "$out/alice/Desktop/todo_ call mum_.txt" ] && [ -f "$out/alice/Desktop/CON_.txt" ]; then
    pass rescue_files_fat_names_mapped
else
    fail rescue_files_fat_names_mapped "mapped names missing from the manifest or the folder"
fi

if ! grep -q AppData "$M" && ! grep -q 'bob\|shared' "$M"; then pass rescue_files_only_usual_folders
else fail rescue_files_only_usual_folders "AppData or another user's files copied"; fi

rc=0
"$W" rescue-files "$HOST:1" --user alice --to "$out" >/dev/null 2>"$TEST_TMP/again.err" || rc=$?
if [ "$rc" != 0 ] && grep -q 'already holds a rescue' "$TEST_TMP/again.err"; then
    pass rescue_files_second_run_refused
else
    fail rescue_files_second_run_refused "exit $rc: $(cat "$TEST_TMP/again.err")"
fi

rc=0
"$W" rescue-files "$HOST:1" --user alice --to "$TEST_TMP/pics" --folders Pictures >/dev/null 2>&1 || rc=$?
if [ "$rc" = 0 ] && [ "$(grep -c '^FILE' "$TEST_TMP/pics/alice/MANIFEST.txt")" = 1 ] &&
    [ -f "$TEST_TMP/pics/alice/Pictures/photo.jpg" ]; then
    pass rescue_files_folders_option
else
    fail rescue_files_folders_option "exit $rc"
fi

rc=0
"$W" rescue-files "$HOST:1" --user nobody --to "$TEST_TMP/none" >/dev/null 2>"$TEST_TMP/none.err" || rc=$?
if [ "$rc" = 1 ] && grep -q 'no user "nobody" in \\Users; users: alice, bob$' "$TEST_TMP/none.err"; then pass rescue_files_unknown_user
else fail rescue_files_unknown_user "exit $rc: $(cat "$TEST_TMP/none.err")"; fi

rc=0
"$W" rescue-files "$HOST:1" --to "$TEST_TMP/x" >/dev/null 2>&1 || rc=$?
if [ "$rc" = 2 ]; then pass rescue_files_usage; else fail rescue_files_usage "exit $rc"; fi

# Ctrl-C midway: exit 130, and the manifest lists exactly the files there.
"$W" rescue-files "$HOST:1" --user alice --to "$TEST_TMP/cancel" >"$TEST_TMP/c.out" 2>&1 &
pid=$!
sleep 0.4
kill -INT "$pid" 2>/dev/null
rc=0
wait "$pid" || rc=$?
CM=$TEST_TMP/cancel/alice/MANIFEST.txt
listed=$(grep -c '^FILE' "$CM" 2>/dev/null || true)
there=$(find "$TEST_TMP/cancel/alice" -type f ! -name MANIFEST.txt 2>/dev/null | wc -l)
if [ "$rc" = 130 ] && [ "$listed" = "$there" ] && grep -q '^# cancelled:' "$CM"; then
    pass rescue_files_cancel_consistent
elif [ "$rc" = 0 ]; then
    skip rescue_files_cancel_consistent "the copy finished before Ctrl-C arrived"
else
    fail rescue_files_cancel_consistent "exit $rc, $listed listed, $there files"
fi

if grep -q $'^ERROR\tDocuments\\\\legacy.dll\t.*LZX' "$M" && grep -q '^  error: .*legacy.dll' "$TEST_TMP/rf.out" &&
    [ ! -e "$out/alice/Documents/legacy.dll" ]; then
    pass rescue_files_unreadable_file_listed_copy_goes_on
else
    fail rescue_files_unreadable_file_listed_copy_goes_on "no ERROR line for legacy.dll: $(grep -a legacy "$M" "$TEST_TMP/rf.out")"
fi

if [ "$(sha256sum <"$HOST")" = "$before" ]; then pass rescue_files_source_unchanged
else fail rescue_files_source_unchanged "the NTFS image changed"; fi
