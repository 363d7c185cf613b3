#!/usr/bin/env bash
# Checks that Tinify works as a versioned SwiftPM dependency: clones this repository's HEAD into
# a scratch directory, tags it 0.2.0 there (the repository itself is not touched), and builds
# Tests/Dependency/Consumer — which depends on it with `.package(url:, from: "0.2.0")` — then
# runs the consumer on a fixture. SwiftPM refuses a versioned dependency whose targets use
# unsafeFlags, so this fails if any comes back.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone --quiet --no-hardlinks "$root" "$scratch/tinify"
git -C "$scratch/tinify" tag -f 0.2.0 >/dev/null
cp -R Tests/Dependency/Consumer "$scratch/consumer"
cd "$scratch/consumer"
export TINIFY_GIT_URL="file://$scratch/tinify"
swift build 2>&1 | tail -5
out="$(.build/debug/consumer "$root/Tests/Fixtures/bmshj2018-hyperprior-N8-M12.pth")"
echo "consumer: $out"
case "$out" in
  *"tensors;"*"bmshj2018-hyperprior"*) echo "dependency: ok (Tinify at 0.2.0 by git URL builds and reads a checkpoint)";;
  *) echo "dependency: FAILED"; exit 1;;
esac
