#!/usr/bin/env bash
# Checks with strace that `rehab log` makes the pain log durable before it says so:
# the log is written with one write(2), fsync(2)ed (and its folder, for a new log), and
# only then is "Logged" printed and the process exits 0.
#   scripts/crash/fsync-order.sh [REHAB]
set -euo pipefail
REHAB="${1:-$(dirname "$0")/../../.build/debug/rehab}"
REHAB="$(cd "$(dirname "$REHAB")" && pwd)/$(basename "$REHAB")"
command -v strace >/dev/null || { echo "fsync-order: strace not installed, skipped"; exit 0; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp "$(dirname "$0")/../../programs/examples/decompression-patient.yaml" "$work/p.yaml"
cd "$work"
for i in 1 2; do
    trace="$(strace -f -e trace=openat,write,fsync,exit_group "$REHAB" log p.yaml --pain 2 --when after \
        --at "2026-11-10T0$i:00" 2>&1 >/dev/null)"
    fd="$(grep -E 'openat\(.*p\.painlog", O_RDWR' <<<"$trace" | tail -1 | grep -oE '= [0-9]+$' | grep -oE '[0-9]+')"
    order="$(grep -nE "^(\[pid +[0-9]+\] )?(write\($fd,|fsync\($fd\)|write\(1,)" <<<"$trace" | sed -E 's/^([0-9]+):(\[pid +[0-9]+\] )?([a-z]+)\(([0-9]+).*/\3(\4)/' | tr '\n' ' ')"
    expected="write($fd) fsync($fd) write(1) "
    [[ "$order" == "$expected" ]] || { echo "fsync-order: FAILED on run $i: saw '$order', want '$expected'"; exit 1; }
done
echo "fsync-order: rehab log writes once, fsyncs, then acknowledges (new and existing log)"
