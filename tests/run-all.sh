#!/usr/bin/env bash
# Runs every test program and prints the one closing line CI reads:
#   N passed, N failed, N skipped
# Usage: tests/run-all.sh [PATTERN]   (only tests whose name contains PATTERN)
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO" || exit 2
export REPO WR_SHARED=${WR_SHARED:-$(cd "$REPO/.." && pwd)/shared}
pattern=${1:-}
# A private log folder per run, so two runs at once do not clobber each
# other; build/test-logs points at the latest.
mkdir -p "$REPO/build"
logs=$(mktemp -d "$REPO/build/test-logs.XXXXXX")
[ -L "$REPO/build/test-logs" ] || rm -rf "$REPO/build/test-logs"
ln -sfn "$(basename "$logs")" "$REPO/build/test-logs"
find "$REPO/build" -maxdepth 1 -name 'test-logs.*' -mmin +120 -exec rm -rf {} + 2>/dev/null
jobs=${TEST_JOBS:-$(nproc)}

# One runnable per line: "kind<TAB>path".
list_tests() {
    for t in build/asan/tests/test_*; do [ -x "$t" ] && printf 'unit\t%s\n' "$t"; done
    for t in build/asan32/tests/test_*-ia32; do [ -x "$t" ] && printf 'unit\t%s\n' "$t"; done
    for t in tests/cli/*.sh; do [ -f "$t" ] && printf 'cli\t%s\n' "$t"; done
    for t in tests/e2e/*.sh; do [ -f "$t" ] && printf 'e2e\t%s\n' "$t"; done
}

run_one() {
    local kind=$1 path=$2 name log status
    name=$kind-$(basename "$path" .sh)
    log=$logs/$name.log
    local start=$SECONDS
    if [ "$kind" = unit ]; then
        "$path" >"$log" 2>&1; status=$?
    else
        TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/wr-$name.XXXXXX") bash "$path" >"$log" 2>&1
        status=$?
    fi
    if [ $status -ne 0 ] && ! grep -q '^FAIL: ' "$log"; then
        echo "FAIL: $name: exited with status $status (see $log)" >>"$log"
    fi
    if ! grep -qE '^(PASS|FAIL|SKIP): ' "$log"; then
        echo "FAIL: $name: printed no test result (see $log)" >>"$log"
    fi
    printf '%-40s %3ds  %s\n' "$name" $((SECONDS - start)) \
        "$(grep -c '^PASS: ' "$log") passed, $(grep -c '^FAIL: ' "$log") failed, $(grep -c '^SKIP: ' "$log") skipped"
}
export -f run_one
export logs

list_tests | { if [ -n "$pattern" ]; then grep -- "$pattern"; else cat; fi; } |
    tr '\t' ' ' | xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$1"'

cat "$logs"/*.log 2>/dev/null | grep '^FAIL: ' | sed 's/^/  /'
cat "$logs"/*.log 2>/dev/null | grep '^SKIP: ' | sed 's/^/  /'
p=$(cat "$logs"/*.log 2>/dev/null | grep -c '^PASS: ')
f=$(cat "$logs"/*.log 2>/dev/null | grep -c '^FAIL: ')
s=$(cat "$logs"/*.log 2>/dev/null | grep -c '^SKIP: ')
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "  FAIL: no test ran"; fi
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
