# Shared helpers for shell tests (tests/cli/*.sh, tests/e2e/*.sh).
# Each test prints exactly one PASS:/FAIL:/SKIP: line per case, like the C
# unit tests, so tests/run-all.sh can count them.
# shellcheck shell=bash

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=$REPO/build
WR_SHARED=${WR_SHARED:-$REPO/../shared}
TEST_TMP=${TEST_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/wr-test.XXXXXX")}

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
skip() { echo "SKIP: $1: $2"; }

# need_rescue_cli NAME: sets WR (the engine's CLI, sanitized build) and MK
# (the scenario builder); false after a SKIP line when a tool is missing.
need_rescue_cli() {
    WR=$BUILD/asan/bin/wtg-rescue
    MK=$REPO/test-images/scenarios/make-scenario.sh
    if [ ! -x "$WR" ] || [ ! -x "$BUILD/test-images/ntfs-mkdir" ] || ! command -v mcopy >/dev/null; then
        skip "$1" "needs build/asan/bin/wtg-rescue, ntfs-mkdir and mtools"
        return 1
    fi
}

# expect NAME COMMAND...: PASS when the command succeeds, else FAIL with its output tail.
expect() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi
}

shared_or_skip() {
    # Returns 1 (and prints SKIP) when ../shared is not there.
    if [ -d "$WR_SHARED/regf-fixtures" ]; then return 0; fi
    skip "$1" "$WR_SHARED/regf-fixtures not present"
    return 1
}
