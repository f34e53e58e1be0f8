# Helpers for tests/e2e/*.sh: boot scenario disks with wrqemu.py and assert
# on the cleaned serial log. Source after tests/lib.sh.
# shellcheck shell=bash

QEMU_DIR=$REPO/tests/qemu
IMG=$BUILD/test-images
# shellcheck source=../../test-images/guids.sh
. "$REPO/test-images/guids.sh"

# Stick copies are big; the logs stay for whoever reads a FAIL line.
trap 'rm -f "$TEST_TMP"/*.img' EXIT

# Patterns for the app's serial contract.
MENU_END='^[ >] s\) Shut down'
# The stub boot manager's QEMU statuses (test-images/stub-bootmgr/stub.h).
STUB_OK=71     # BOOTMGR-STUB OK: Windows Boot Manager would start winload
STUB_FAIL=73   # BOOTMGR-STUB FAIL <code>

# need_images CASE FILE...: FAIL (not skip: a missing image is a build
# problem) and return 1 when a scenario disk is missing.
need_images() {
    local case=$1 f; shift
    for f in "$@"; do
        if [ ! -f "$f" ]; then
            fail "$case" "missing $f (build it with: make test-assets)"
            return 1
        fi
    done
}

# stick_with_conf OUT CONF_TEXT: a private stick copy with its own config.
stick_with_conf() {
    "$REPO/test-images/stick-with-conf.sh" "$IMG/stick.img" "$1" "$2" >/dev/null
}

# boot NAME WRQEMU_ARGS...: one QEMU run. The log goes to $TEST_TMP/NAME.log,
# QEMU's status to NAME.rc, the harness's complaints (timeout tail) to NAME.err.
boot() {
    local name=$1; shift
    python3 "$QEMU_DIR/wrqemu.py" --log "$TEST_TMP/$name.log" "$@" 2>"$TEST_TMP/$name.err"
    echo $? >"$TEST_TMP/$name.rc"
}

# bootx NAME ARGS...: the same with wrqemu_ext.py (VARS files kept between
# boots, TPM, network boot, SMBIOS UUID: see its --help).
bootx() {
    local name=$1; shift
    python3 "$QEMU_DIR/wrqemu_ext.py" "$@" --log "$TEST_TMP/$name.log" 2>"$TEST_TMP/$name.err"
    echo $? >"$TEST_TMP/$name.rc"
}

# esp_of IMG: the byte offset of the image's first GPT partition (the ESP on
# every scenario and test disk built as GPT).
esp_of() { sgdisk -i 1 "$1" | awk '/^First sector:/ {print $3 * 512}'; }

# scenario CASE NAME DIR [STUB]: the engine scenario NAME built into DIR
# (test-images/scenarios/make-scenario.sh). With STUB, that PE is every
# Windows tree's bootmgfw.efi: the healthy build (a bcdboot-style rebuild)
# puts it on the ESP and the fallback path, and a repair copies it back.
# On a failed build: FAIL CASE and return 1.
scenario() {
    local case=$1 name=$2 dir=$3 stub=${4:-} out
    if ! out=$(WR_SCENARIO_BOOTMGFW=$stub bash "$REPO/test-images/scenarios/make-scenario.sh" \
            "$name" "$dir" "$BUILD" 2>&1); then
        fail "$case" "scenario build failed: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
        return 1
    fi
}

# serial NAME: the serial lines of a run, timestamps and harness notes removed.
serial() { sed -n 's/^\[ *[0-9.]*\] //p' "$TEST_TMP/$1.log" 2>/dev/null; }

rc_of() { cat "$TEST_TMP/$1.rc" 2>/dev/null || echo none; }

# why NAME: a short reason for a FAIL line: exit status and the last lines.
why() {
    local rc; rc=$(rc_of "$1")
    case $rc in
        122) printf "the firmware fell back to its setup UI (every boot option returned)" ;;
        123) printf "CPU exception in the guest" ;;
        124) printf "timed out" ;;
        125) printf 'QEMU did not start' ;;
        *) printf 'exit %s' "$rc" ;;
    esac
    printf '; serial tail: %s' "$(serial "$1" | tail -n 4 | tr '\n' '|' | cut -c1-300)"
}

# show_tail NAME: the serial tail after a FAIL line, for whoever reads the log.
show_tail() {
    echo "--- serial tail of $1 ($TEST_TMP/$1.log)"
    serial "$1" | tail -n 25 | sed 's/^/  | /'
    grep -v '^  |' "$TEST_TMP/$1.err" 2>/dev/null | sed 's/^/  ! /'
}

# has_line CASE NAME ERE [why]: PASS when some serial line matches.
has_line() {
    local case=$1 name=$2 re=$3
    if serial "$name" | grep -qE -- "$re"; then
        pass "$case"
    else
        fail "$case" "no line matching /$re/ (${4:-$(why "$name")})"
        show_tail "$name"
    fi
}

# line_after CASE NAME FIRST_ERE THEN_ERE: a line matching THEN after one
# matching FIRST (order matters: e.g. the menu title after the scan report).
line_after() {
    if serial "$2" | F="$3" T="$4" awk '
            !seen && $0 ~ ENVIRON["F"] { seen = 1; next }
            seen && $0 ~ ENVIRON["T"] { found = 1; exit }
            END { exit !found }'; then
        pass "$1"
    else
        fail "$1" "no line matching /$4/ after one matching /$3/ ($(why "$2"))"
        show_tail "$2"
    fi
}

# has_exact CASE NAME TEXT: PASS when some serial line is exactly TEXT.
has_exact() {
    if serial "$2" | grep -qxF -- "$3"; then
        pass "$1"
    else
        fail "$1" "no line \"$3\" ($(why "$2"))"
        show_tail "$2"
    fi
}

# lacks_line CASE NAME ERE: PASS when no serial line matches.
lacks_line() {
    local case=$1 name=$2 re=$3 hit
    hit=$(serial "$name" | grep -m1 -E -- "$re")
    if [ -z "$hit" ]; then pass "$case"; else fail "$case" "unexpected line: $hit"; fi
}

# exit_is CASE NAME STATUS
exit_is() {
    local rc; rc=$(rc_of "$2")
    if [ "$rc" = "$3" ]; then pass "$1"; else fail "$1" "want exit $3, $(why "$2")"; show_tail "$2"; fi
}

# chainloaded CASE NAME TITLE_ERE ORIGIN: the app printed "Starting <title>
# from <path>", the stub then printed "BOOTMGR-STUB loaded from <origin>"
# with no firmware boot attempt in between (so the firmware's own fallback
# to the next disk cannot pass for the app's work), then judged that ESP
# healthy ("BOOTMGR-STUB OK", QEMU status 71): every disk chain-loaded here
# is built to boot.
chainloaded() {
    local case=$1 name=$2 title=$3 origin=$4 verdict
    verdict=$(serial "$name" | T="^Starting $title from " O="BOOTMGR-STUB loaded from $origin" awk '
        BEGIN { t = ENVIRON["T"]; o = ENVIRON["O"] }
        $0 ~ t { started = 1; next }
        /^BdsDxe: (loading|starting)/ && started { fw = 1 }
        index($0, "BOOTMGR-STUB loaded from ") == 1 {
            said = 1
            if (!started) print "stub ran but the app never printed Starting " t
            else if (fw) print "the firmware, not the app, started the stub"
            else if ($0 != o) print "wrong partition: " $0
            else print "ok"
            exit
        }
        END { if (!said && !started) print "no line matching /" t "/" }')
    verdict=${verdict:-no BOOTMGR-STUB marker}
    if [ "$verdict" = ok ] && ! serial "$name" | grep -q '^BOOTMGR-STUB OK '; then
        verdict="marker seen but no BOOTMGR-STUB OK: $(serial "$name" | grep -m1 '^BOOTMGR-STUB FAIL')"
    fi
    if [ "$verdict" = ok ] && [ "$(rc_of "$name")" = $STUB_OK ]; then
        pass "$case"
    else
        [ "$verdict" = ok ] && verdict="marker seen but"
        fail "$case" "$verdict ($(why "$name"))"
        show_tail "$name"
    fi
}

gpt_origin() { echo "GPT partition $1 (partition ${2:-1})"; }
mbr_origin() { echo "MBR disk $1 offset $(($2 * 512))"; }
