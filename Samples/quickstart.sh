#!/usr/bin/env bash
# Quick start: installs the system packages, builds `tinify`, converts a sample checkpoint to
# Tinify's HDF5 format, verifies the result, runs the model on the sample image, and compresses
# and decompresses it (rANS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
swift build -c release --static-swift-stdlib --product tinify
TINIFY=.build/release/tinify
OUT="$(mktemp -d)"
$TINIFY inspect Samples/bmshj2018-hyperprior-N16-M24.pth
$TINIFY convert Samples/bmshj2018-hyperprior-N16-M24.pth "$OUT/hyperprior.h5"
$TINIFY verify "$OUT/hyperprior.h5"
$TINIFY eval --checkpoint "$OUT/hyperprior.h5" Samples/image-96x64.png
$TINIFY compress --checkpoint "$OUT/hyperprior.h5" Samples/image-96x64.png -o "$OUT/image.bin"
$TINIFY decompress --checkpoint "$OUT/hyperprior.h5" "$OUT/image.bin" -o "$OUT/image.png"
echo "quickstart: ok (output in $OUT)"
