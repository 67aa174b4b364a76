#!/usr/bin/env bash
# Fuzz rehab's readers with libFuzzer + AddressSanitizer (see docs/RELIABILITY.md).
#
#   scripts/fuzz.sh [TARGET...]        run each target FUZZ_SECONDS (default 60) from its seed corpus
#   scripts/fuzz.sh --seed             (re)write the generated calendar seeds into Fuzz/corpus/calendar
#   FUZZ_SECONDS=15 scripts/fuzz.sh    a short round (make fuzz-ci)
#
# Targets: program patient painlog calendar (default: all). Each run starts from
# Fuzz/corpus/<target>/ (committed, never written by a run) plus Fuzz/regressions/<target>/,
# and grows a working corpus in Fuzz/.build/fuzz-work/<target>/. A crash, leak, timeout or
# out-of-memory input is copied to Fuzz/regressions/<target>/ and the script exits 1:
# commit it; the ordinary test suite replays every file there.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

SECONDS_EACH="${FUZZ_SECONDS:-60}"
CONFIG="${FUZZ_CONFIG:-release}"
ALL=(program patient painlog calendar)

build() {
    local start=$SECONDS
    swift build -c "$CONFIG" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
        -Xswiftc -g >/dev/null 2>build.log || { cat build.log >&2; rm -f build.log; exit 2; }
    rm -f build.log
    echo "fuzz: built the fuzz targets ($CONFIG) in $((SECONDS - start)) s"
}

if [[ "${1:-}" == "--seed" ]]; then
    build
    ".build/$CONFIG/fuzz-calendar" --write-seeds corpus/calendar
    ls corpus/calendar
    exit 0
fi

TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=("${ALL[@]}")
build

found=0
summary=()
for t in "${TARGETS[@]}"; do
    case "$t" in program|patient) dict=dict/yaml.dict ;; painlog) dict=dict/painlog.dict ;;
                 calendar) dict=dict/ics.dict ;; *) echo "fuzz: unknown target $t" >&2; exit 64 ;; esac
    work=".build/fuzz-work/$t" art=".build/fuzz-artifacts/$t/"
    mkdir -p "$work" "$art" "regressions/$t"
    log=".build/fuzz-work/$t.log"
    # Run in a scratch folder: the patient target resolves program paths relative to it.
    set +e
    (cd "$work/.." && mkdir -p "sandbox-$t" && cd "sandbox-$t" &&
        "../../$CONFIG/fuzz-$t" "../$t" "../../../corpus/$t" "../../../regressions/$t" \
            -dict="../../../$dict" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 -artifact_prefix="../../fuzz-artifacts/$t/") >"$log" 2>&1
    status=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    seeds=$(ls "corpus/$t" | wc -l)
    grown=$(ls "$work" | wc -l)
    line="$t: ${SECONDS_EACH}s, $execs execs, $rate exec/s, coverage $cov, seeds $seeds, working corpus $grown"
    if [[ $status -ne 0 ]]; then
        found=1
        [[ -n "$(ls "$art")" ]] || line="$line; libFuzzer FAILED with status $status (see Fuzz/$log)"
        for f in "$art"*; do
            [[ -f "$f" ]] || continue
            cp "$f" "regressions/$t/"
            line="$line; FOUND $(basename "$f") -> Fuzz/regressions/$t/"
        done
        grep -m3 -E 'ERROR: |Fatal error|SUMMARY' "$log" | sed "s/^/  $t: /" >&2 || true
    fi
    echo "fuzz: $line"
    summary+=("$line")
done
if [[ $found -ne 0 ]]; then
    echo "fuzz: crashes found; commit Fuzz/regressions/ and fix them (logs in Fuzz/.build/fuzz-work/)" >&2
    exit 1
fi
