#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) of walking hives: our
# `hivetool walk` (fast open, and --strict: full validation then walk)
# against build/bench/hivex_walk (libhivex), over the BCD corpus and over
# the large hives. Each figure is the cost of 10 walks: the run with
# --repeat 11 minus the run with --repeat 1, so process start-up and file
# reading cancel out. Targets: walk <= 0.5x hivex, strict+walk <= 1.0x.
set -u
cd "$(dirname "$0")/.." || exit 2
F=${WR_SHARED:-../shared}/regf-fixtures
HT=build/hivetool
HX=build/bench/hivex_walk
for t in valgrind "$HT" "$HX"; do
    command -v "$t" >/dev/null || [ -x "$t" ] || { echo "regf_walk: $t missing, skipped"; exit 0; }
done
[ -d "$F" ] || { echo "regf_walk: $F missing, skipped"; exit 0; }

ir() { # ir CMD...: instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
ten() { # ten CMD [ARGS] -- FILES: instructions of 10 walks
    local cmd=("$@")
    echo $(( $(ir "${cmd[@]/--REPEAT/11}") - $(ir "${cmd[@]/--REPEAT/1}") ))
}

run_set() {
    local label=$1
    shift
    local hx ours strict
    # the placeholder --REPEAT is replaced by the count in ten()
    hx=$(ten "$HX" --repeat --REPEAT "$@")
    ours=$(ten "$HT" walk --repeat --REPEAT "$@")
    strict=$(ten "$HT" walk --strict --repeat --REPEAT "$@")
    awk -v l="$label" -v n=$# -v hx="$hx" -v o="$ours" -v s="$strict" 'BEGIN {
        printf "%-22s files=%-3d hivex=%-12d ours=%-12d (%.2fx, target <= 0.50)  strict+walk=%-12d (%.2fx, target <= 1.00)\n",
            l, n, hx, o, o / hx, s, s / hx }'
}

bcds=()
for f in "$F"/bcd/*; do
    case $f in *.reg|*.txt|*.LOG|*.LOG1|*.LOG2) continue ;; esac
    bcds+=("$f")
done
run_set "BCD corpus" "${bcds[@]}"
run_set "large hives" "$F/hives/regipy-win7-NTUSER.DAT" "$F/hives/yarp-ManySubkeysHive" \
    "$F/hives/regipy-SAM" "$F/hives/astoria-w10m-DEFAULT" "$F/hives/yarp-BigDataHive"
