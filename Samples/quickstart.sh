#!/usr/bin/env bash
# Quick start: installs the system packages, builds `tinify`, and runs it on a sample checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
swift build -c release --product tinify
TINIFY=.build/release/tinify
$TINIFY inspect Samples/bmshj2018-hyperprior-N16-M24.pth
