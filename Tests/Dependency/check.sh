#!/usr/bin/env bash
# Checks that Tinify works as a versioned SwiftPM dependency: clones this repository's HEAD into
# a scratch directory, tags it 0.2.0 there (the repository itself is not touched), and builds
# Tests/Dependency/Consumer — the library's contract program, which depends on it with
# `.package(url:, from: "0.2.0")` and imports only `Tinify` — then runs it on the sample
# mbt2018-mean training checkpoint (not updated) and image, and checks what it prints; its PSNR
# must equal the one `tinify decompress --reference` gives for the same image. The command's own
# sources (Sources/tinify) are built there too, as a target of the outside package: they compile
# against Tinify's public API alone. SwiftPM refuses a
# versioned dependency whose targets use unsafeFlags, so this fails if any comes back.
# TINIFY_EXE names the `tinify` binary (default: the release build's).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
tinify="${TINIFY_EXE:-$(swift build -c release --show-bin-path)/tinify}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone --quiet --no-hardlinks "$root" "$scratch/tinify"
git -C "$scratch/tinify" tag -f 0.2.0 >/dev/null
cp -R Tests/Dependency/Consumer "$scratch/consumer"
# The command's sources as a target of the outside package: they build on the public API alone.
mkdir -p "$scratch/consumer/Sources/tinify-public"
cp Sources/tinify/*.swift "$scratch/consumer/Sources/tinify-public/"
checkpoint="$root/Tests/Fixtures/random-samples/mbt2018-mean-N16-M24-training.pth.tar"
image="$root/Samples/image-96x64.png"
cd "$scratch/consumer"
export TINIFY_GIT_URL="file://$scratch/tinify"
swift build 2>&1 | tail -3
# The command built outside the package answers as the real one does.
public_tinify=".build/debug/tinify-public"
"$public_tinify" verify "$checkpoint" >/dev/null
out="$(.build/debug/consumer "$checkpoint" "$image")"
echo "$out" | sed 's/^/consumer: /'
"$tinify" compress --checkpoint "$checkpoint" "$image" -o "$scratch/image.bin" >/dev/null
cli_psnr="$("$tinify" decompress --checkpoint "$checkpoint" "$scratch/image.bin" -o "$scratch/image.png" --reference "$image" | sed -n 's/^psnr \(.*\) dB$/\1/p')"
fail=0
expect() { if ! grep -qxE "$1" <<<"$out"; then echo "dependency: expected a line matching /$1/"; fail=1; fi; }
expect "N=16 M=24 tensors=[0-9]+"
expect 'missing: \["g_a\.0\.bias"\]'
expect 'strict: .*missing g_a\.0\.bias.*'
expect 'updated: true aux: [0-9.e+-]+'
expect 'likelihoods: \["y", "z"\]'
expect "strings: 2 psnr: ${cli_psnr//./\\.}"
expect "mbt2018-mean"
# A checkpoint saved before update(): the program builds its CDF tables in place and codes.
out2="$(.build/debug/consumer "$root/Tests/Fixtures/mbt2018-mean-N8-M12-not-updated.pth" "$image")"
echo "$out2" | sed 's/^/consumer (not updated): /'
for want in "N=8 M=12 tensors=[0-9]+" 'missing: \["g_a\.0\.bias"\]' 'updated: true aux: [0-9.e+-]+' 'likelihoods: \["y", "z"\]' 'strings: 2 psnr: [0-9.]+'; do
  grep -qxE "$want" <<<"$out2" || { echo "dependency: not-updated run: expected a line matching /$want/"; fail=1; }
done
if [ -z "$cli_psnr" ]; then echo "dependency: tinify decompress printed no psnr"; fail=1; fi
[ -s /tmp/tinify-api.h5 ] || { echo "dependency: /tmp/tinify-api.h5 not written"; fail=1; }
if [ "$fail" = 0 ]; then
  echo "dependency: ok (the contract program and the command's sources build against Tinify 0.2.0 by git URL, public API only; PSNR $cli_psnr dB as tinify decompress gives)"
else
  echo "dependency: FAILED"; exit 1
fi
