#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs every test (XCTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
swift build --build-tests
log="$(mktemp)"
status=0
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log" || status=$?
# A plain closing line: how many tests passed and failed.
summary="$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 || true)"
rm -f "$log"
if [ -n "$summary" ]; then
  total="$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')"
  failed="$(echo "$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/')"
  echo "$((total - failed)) passed, $failed failed"
else
  echo "0 passed, 1 failed"
  status=1
fi
exit "$status"
