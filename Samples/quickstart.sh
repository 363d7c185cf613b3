#!/usr/bin/env bash
# Quick start: installs the system packages, builds `tinify`, then compresses a held-out
# photograph with a small model trained with CompressAI (Samples/trained), decodes it and prints
# its size, bpp and PSNR; converts that model to Tinify's HDF5 format and verifies it; evaluates
# the six sample models on the sample dataset as CompressAI's eval_model does and plots their
# rate–distortion curves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
swift build -c release --static-swift-stdlib --product tinify
TINIFY=.build/release/tinify
OUT="$(mktemp -d)"
MODEL=Samples/trained/bmshj2018-hyperprior-N32-M48-lmbda0.013.pth
PHOTO=Samples/images/chelsea-451x300.png

$TINIFY verify "$MODEL"
$TINIFY compress --checkpoint "$MODEL" "$PHOTO" -o "$OUT/chelsea.bin"
$TINIFY decompress --checkpoint "$MODEL" "$OUT/chelsea.bin" -o "$OUT/chelsea.png" --reference "$PHOTO" | tee "$OUT/decode.txt"
$TINIFY convert "$MODEL" "$OUT/model.h5"
$TINIFY verify "$OUT/model.h5"

for arch in bmshj2018-hyperprior mbt2018; do
  args=(); for f in Samples/trained/$arch-*.pth; do args+=(--checkpoint "$f"); done
  $TINIFY eval "${args[@]}" Samples/images -o "$OUT/$arch.json"
done
$TINIFY plot "$OUT/bmshj2018-hyperprior.json" "$OUT/mbt2018.json" -o "$OUT/rd.png" --title "Samples/images (4 photographs)"

bytes=$(wc -c < "$OUT/chelsea.bin")
psnr=$(sed -n 's/^psnr \([0-9.]*\).*/\1/p' "$OUT/decode.txt" | cut -c1-5)
echo "quickstart: ok — $PHOTO (451×300) compressed to $bytes bytes ($(awk "BEGIN{printf \"%.3f\", $bytes*8/(451*300)}") bpp incl. header) and decoded at PSNR $psnr dB: $OUT/chelsea.png; RD curves: $OUT/rd.png"
