#!/usr/bin/env bash
# The test command: installs what the tests need, builds (debug with the tests, and the release
# `tinify` that ships), runs every test (XCTest) against the debug build, then the hostile suites
# again against the release binary (TINIFY_EXE), builds a package that depends on Tinify by git
# URL and version (running the library's contract program), builds the DocC catalog, then runs every fuzz target for FUZZ_SECONDS (30)
# under AddressSanitizer, and prints one closing line for all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
swift build --build-tests
swift build -c release --product tinify
release="$(swift build -c release --show-bin-path)/tinify"
passed=0; failed=0; status=0
run() {
  local log; log="$(mktemp)"
  "$@" 2>&1 | tee "$log" || status=1
  # "Executed N tests, with [K tests skipped and] F failures": skipped tests count as neither.
  local summary; summary="$(grep -E 'Executed [0-9]+ tests?, with ([0-9]+ tests? skipped and )?[0-9]+ failures?' "$log" | tail -1 || true)"
  rm -f "$log"
  if [ -z "$summary" ]; then failed=$((failed + 1)); status=1; return; fi
  local total fails skipped=0
  total="$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')"
  fails="$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')"
  if echo "$summary" | grep -qE '[0-9]+ tests? skipped'; then
    skipped="$(echo "$summary" | sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/')"
  fi
  passed=$((passed + total - fails - skipped)); failed=$((failed + fails))
}
run swift test --skip-build --disable-swift-testing
export TINIFY_EXE="$release"
run swift test --skip-build --disable-swift-testing --filter 'HostileInputTests|CodecFileTests|PortabilityTests|EvalCommandTests'
# bd-rate against the bjontegaard package itself (skipped, saying so, where it is not installed).
if python3 Tests/Evaluation/bdrate_check.py; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
# Tinify as a versioned dependency of another package (by git URL, from: "0.2.0").
if bash Tests/Dependency/check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
# The DocC catalog builds, every link in it resolving.
if swift package --disable-sandbox generate-documentation --target Tinify --warnings-as-errors 2>&1 | tail -2; then
  echo "docc: ok"; passed=$((passed + 1))
else
  echo "docc: FAILED"; failed=$((failed + 1)); status=1
fi
# Fuzzing: every libFuzzer target under AddressSanitizer, FUZZ_SECONDS each (0 skips).
if [ "${FUZZ_SECONDS:-30}" != 0 ]; then
  log="$(mktemp)"
  bash Tests/Fuzz/run.sh "${FUZZ_SECONDS:-30}" 2>&1 | tee "$log" || status=1
  ok="$(grep -c '^fuzz .*no crash$' "$log" || true)"; bad="$(grep -c '^fuzz .*FAILED' "$log" || true)"
  passed=$((passed + ok)); failed=$((failed + bad))
  [ "$ok" -gt 0 ] || { failed=$((failed + 1)); status=1; }
  rm -f "$log"
fi
unset TINIFY_EXE
echo "$passed passed, $failed failed"
exit "$status"
