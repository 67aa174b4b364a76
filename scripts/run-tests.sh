#!/usr/bin/env bash
# make test's last step: the whole suite (already built), then how many tests were skipped.
# A skipped test names its reason in its own line above (Swift Testing prints it); this
# count makes sure no skip goes by unseen. The exit status is the suite's.
set -o pipefail
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift test --skip-build 2>&1 | tee "$log"
status=$?
skipped=$(grep -cE '^.{0,4}Test .* skipped' "$log" || true)
echo "tests skipped: $skipped (each skipped test's line above says why)"
exit $status
