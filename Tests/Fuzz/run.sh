#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs each for a bounded time from its
# committed seed corpus; fails on the first crash, ASan report, timeout (10 s for one input) or
# RSS over 2.5 GiB. LeakSanitizer is off: Swift keeps enum payload tags in pointers' spare
# bits, so caches built lazily inside one input (a Conv2d's packed weights) look unreferenced;
# a real per-input leak still ends the run through the RSS limit.
#
#   bash Tests/Fuzz/run.sh [SECONDS] [TARGET…]     (default: 30 s each, every target)
#
# The HDF5 target scans in the helper process, as `tinify` does: the release `tinify`
# (TINIFY_EXE, built here when missing). New inputs go to a scratch corpus, not to Corpus/;
# a crash leaves its input in .build/fuzz-artifacts/ (copy it to the hostile suite). The
# mutation seed is fixed (FUZZ_SEED, default 1) so that CI's runs repeat; FUZZ_SEED=0 picks one.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-30}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pickle safetensors hdf5 hdf5-answer codec png model evaluation)

# ld.gold (the toolchain's default here) fails on the ASan runtime's debug info; link with the
# toolchain's own lld through a toolset file (no flags in Package.swift).
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
toolset="$(mktemp --suffix=.json)"
trap 'rm -f "$toolset"' EXIT
printf '{"schemaVersion": "1.0", "linker": {"path": "%s/ld.lld"}}\n' "$swift_bin" > "$toolset"
swift build -c release --product tinify-fuzz --scratch-path .build/fuzz --toolset "$toolset" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
fuzz="$(swift build -c release --scratch-path .build/fuzz --toolset "$toolset" --show-bin-path)/tinify-fuzz"
if [ -z "${TINIFY_EXE:-}" ]; then
  swift build -c release --product tinify
  export TINIFY_EXE="$(swift build -c release --show-bin-path)/tinify"
fi

artifacts=.build/fuzz-artifacts; mkdir -p "$artifacts"
status=0
for t in "${targets[@]}"; do
  work="$(mktemp -d)"
  log="$(mktemp)"
  start=$(date +%s)
  if ASAN_OPTIONS=detect_leaks=0 TINIFY_FUZZ_TARGET="$t" "$fuzz" "$work" "Tests/Fuzz/Corpus/$t" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2560 -detect_leaks=0 -seed="${FUZZ_SEED:-1}" -artifact_prefix="$artifacts/$t-" -print_final_stats=1 >"$log" 2>&1; then
    runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')"
    echo "fuzz $t: $runs runs in $(( $(date +%s) - start )) s, no crash"
  else
    echo "fuzz $t: FAILED"; grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 || tail -30 "$log"
    status=1
  fi
  rm -rf "$work" "$log"
done
exit "$status"
