#!/usr/bin/env bash
# Figures for `rehab serve` (make bench-serve).
#   scripts/bench-serve.sh [REHAB_BINARY] [CASELOAD_BENCH_BINARY]
# 1. The clinic caseload (issue 14): CASELOAD_PATIENTS (default 1,000) synthetic patients
#    with 12 weeks of reports each (scripts/bench/gen-patients.py's mix), rendered in
#    process by caseload-bench: the first render (a new store reads and plans every
#    patient) against < 1 s, the warm render (nothing changed, median of 21) against
#    < 50 ms; and `rehab alerts` over the same folder (median of 5 processes) against < 1 s.
# 2. Load with wrk on loopback: requests/s for 304 feed answers, full feeds and check-in
#    POSTs (issue 7: 2,000/s, 300/s, 200/s on 2 cores), and a check that every
#    acknowledged POST is in the pain log afterwards. Skipped, saying so, without wrk.
# Each figure is printed with PASS or MISS; BENCH_STRICT=1 makes a MISS fail the script.
# BENCH_ONLY=caseload runs part 1 only.
set -euo pipefail
BIN=${1:-.build/release/rehab}
CBENCH=${2:-.build/release/caseload-bench}
DUR=${BENCH_SECONDS:-10}
PORT=${BENCH_PORT:-18181}
work=$(mktemp -d)
server=
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

misses=0
# judge NAME RATE TARGET: one line with PASS or MISS (higher is better).
judge() {
    local verdict=PASS
    awk -v r="$2" -v t="$3" 'BEGIN{exit !(r+0 >= t+0)}' || { verdict=MISS; misses=$((misses + 1)); }
    printf '%-26s %10s req/s  (target >= %s)  %s\n' "$1:" "$2" "$3" "$verdict"
}
# judge_ms NAME MS TARGET: one line with PASS or MISS (lower is better).
judge_ms() {
    local verdict=PASS
    awk -v r="$2" -v t="$3" 'BEGIN{exit !(r+0 < t+0)}' || { verdict=MISS; misses=$((misses + 1)); }
    printf '%-32s %10s ms  (target < %s ms)  %s\n' "$1:" "$2" "$3" "$verdict"
}
finish() {
    if [ "$misses" -gt 0 ]; then
        echo "bench-serve: $misses target(s) missed"
        [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
    fi
    exit 0
}

# --- 1. The caseload ---
patients=${CASELOAD_PATIENTS:-1000}
python3 scripts/bench/gen-patients.py "$work/caseload" "$patients" --weeks 12 --as-of "$(date -u +%F)"
sleep 3  # a file changed in the last two seconds is always read again: let them settle
out=$("$CBENCH" "$work/caseload" --runs 21)
echo "$out"
judge_ms "caseload first render" "$(echo "$out" | awk '/first render/{print $4}')" 1000
judge_ms "caseload warm render (median)" "$(echo "$out" | awk '/warm render/{print $5}')" 50
alerts_ms=$(python3 - "$BIN" "$work/caseload" <<'PY'
import subprocess, sys, time
runs = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "alerts", sys.argv[2], "--format", "json"], check=True, stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
print(f"{sorted(runs)[2]:.0f}")
PY
)
judge_ms "rehab alerts, $patients patients" "$alerts_ms" 1000
[ "${BENCH_ONLY:-}" = caseload ] && finish

# --- 2. Load on loopback ---
command -v wrk >/dev/null || { echo "bench-serve: wrk is missing (apt-get install wrk); load figures skipped"; finish; }
mkdir "$work/serve"
cp programs/examples/decompression-patient.yaml "$work/serve/p.yaml"
"$BIN" link "$work/serve/p.yaml" >/dev/null
token=$(cat "$work/serve/p.token")
"$BIN" serve --patients "$work/serve" --port "$PORT" --posts-per-minute 100000000 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/feeds/$token/calendar.ics" && break; sleep 0.2; done
feed="http://127.0.0.1:$PORT/feeds/$token/calendar.ics"
etag=$(curl -fsI "$feed" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')

rate() { awk '/Requests\/sec/{print $2}'; }
judge "feed 304 (If-None-Match)" "$(wrk -t2 -c16 -d"${DUR}s" -H "If-None-Match: $etag" "$feed" | rate)" 2000
judge "feed 200 (full body)" "$(wrk -t2 -c16 -d"${DUR}s" "$feed" | rate)" 300

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "pain=2&when=after&exercise=walking"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
out=$(wrk -t2 -c16 -d"${DUR}s" -s "$work/post.lua" "http://127.0.0.1:$PORT/p/$token/check-in")
total=$(echo "$out" | awk '/requests in/{print $1}')
bad=$(echo "$out" | awk '/Non-2xx/{print $NF}'); bad=${bad:-0}
judge "check-in POST" "$(echo "$out" | rate)" 200
ok=$((total - bad))
logged=$(($(wc -l <"$work/serve/p.painlog") - 1))
echo "POSTs acknowledged: $ok (refused: $bad), reports in the log: $logged"
[ "$logged" -ge "$ok" ] || { echo "bench-serve: acknowledged reports are missing from the log" >&2; exit 1; }
finish
