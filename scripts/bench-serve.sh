#!/usr/bin/env bash
# Load figures for `rehab serve` with wrk on loopback (make bench-serve).
#   scripts/bench-serve.sh [REHAB_BINARY]
# Prints requests/s for 304 feed answers, full feeds and check-in POSTs, each with PASS
# or MISS against its target (issue 7: 2,000/s, 300/s, 200/s on 2 cores), and checks
# that every acknowledged POST is in the pain log afterwards. BENCH_STRICT=1 makes a
# MISS fail the script.
set -euo pipefail
BIN=${1:-.build/release/rehab}
DUR=${BENCH_SECONDS:-10}
PORT=${BENCH_PORT:-18181}
command -v wrk >/dev/null || { echo "bench-serve: wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp programs/examples/decompression-patient.yaml "$work/p.yaml"
"$BIN" link "$work/p.yaml" >/dev/null
token=$(cat "$work/p.token")
"$BIN" serve --patients "$work" --port "$PORT" --posts-per-minute 100000000 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/feeds/$token/calendar.ics" && break; sleep 0.2; done
feed="http://127.0.0.1:$PORT/feeds/$token/calendar.ics"
etag=$(curl -fsI "$feed" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')

rate() { awk '/Requests\/sec/{print $2}'; }
misses=0
# judge NAME RATE TARGET: one line with PASS or MISS.
judge() {
    local verdict=PASS
    awk -v r="$2" -v t="$3" 'BEGIN{exit !(r+0 >= t+0)}' || { verdict=MISS; misses=$((misses + 1)); }
    printf '%-26s %10s req/s  (target >= %s)  %s\n' "$1:" "$2" "$3" "$verdict"
}
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
logged=$(($(wc -l <"$work/p.painlog") - 1))
echo "POSTs acknowledged: $ok (refused: $bad), reports in the log: $logged"
[ "$logged" -ge "$ok" ] || { echo "bench-serve: acknowledged reports are missing from the log" >&2; exit 1; }
if [ "$misses" -gt 0 ]; then
    echo "bench-serve: $misses target(s) missed"
    [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
