#!/usr/bin/env python3
"""Makes the fuzz targets' seed corpora in Tests/Fuzz/Corpus/<target>/ from the project's own
fixtures (Tests/Fixtures, written by real PyTorch and CompressAI) and a release `tinify`.

Run from the project root after `swift build -c release --product tinify`:
    python3 Tests/Fuzz/make_corpus.py
Needs numpy, h5py and safetensors (no torch). The same fixtures give the same seeds, except that
the gzip `.h5` places its chunks in the order the compressing threads finish.
"""
import json, os, shutil, struct, subprocess, sys, tempfile, zlib

import h5py
import numpy as np
from safetensors.numpy import save_file

ROOT = os.getcwd()
FIX = os.path.join(ROOT, "Tests/Fixtures")
OUT = os.path.join(ROOT, "Tests/Fuzz/Corpus")
TINIFY = os.environ.get("TINIFY_EXE", os.path.join(ROOT, ".build/release/tinify"))
ARCHITECTURES = ["bmshj2018-factorized", "bmshj2018-factorized-relu", "bmshj2018-hyperprior", "mbt2018-mean",
                 "mbt2018", "cheng2020-anchor", "cheng2020-attn"]


def fixture_model(arch):
    """The updated fixture checkpoint of `arch` (`<arch>-N8-M<m>.pth`), as the codec target loads it."""
    import re
    names = [n for n in sorted(os.listdir(FIX)) if re.fullmatch(re.escape(arch) + r"-N8-M\d+\.pth", n)]
    return names[0]


def tinify(*args):
    subprocess.run([TINIFY, *args], check=True, stdout=subprocess.DEVNULL)


def fresh(target):
    d = os.path.join(OUT, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def pickle_seeds():
    d = fresh("pickle")
    for name in ["edge-cases.pth", "edge-cases-legacy.pth", "bmshj2018-factorized-N8-M12-f16.pth",
                 "bmshj2018-factorized-relu-N8-M12.pth.tar", "bmshj2018-hyperprior-N8-M12-deflated.pth"]:
        shutil.copy(os.path.join(FIX, name), d)
    # The hostile suite's small files reach the pickle machine's and containers' refusals.
    hostile = os.path.join(FIX, "hostile")
    for name in sorted(os.listdir(hostile)):
        p = os.path.join(hostile, name)
        if name.endswith(".pth") and os.path.getsize(p) <= 8192:
            shutil.copy(p, os.path.join(d, "hostile-" + name))


def safetensors_seeds(tmp):
    d = fresh("safetensors")
    tinify("convert", os.path.join(FIX, "bmshj2018-factorized-N8-M12-f16.pth"), os.path.join(d, "factorized-f16.safetensors"), "--force")
    tensors = {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3), "f64": np.ones((1,), np.float64),
        "f16": np.zeros((2, 2), np.float16), "i32": np.array([-1, 2], np.int32), "i64": np.array([5], np.int64),
        "u8": np.array([1, 2, 3], np.uint8), "b": np.array([True, False]), "scalar": np.array(3.5, np.float32),
        "empty": np.zeros((0, 4), np.float32),
    }
    save_file(tensors, os.path.join(d, "dtypes.safetensors"), metadata={"format": "pt"})


def hdf5_seeds(tmp):
    d = fresh("hdf5")
    tinify("convert", os.path.join(FIX, "bmshj2018-hyperprior-N8-M12-not-updated.pth"), os.path.join(d, "hyperprior.h5"), "--force")
    tinify("convert", os.path.join(FIX, "bmshj2018-factorized-N8-M12-f16.pth"), os.path.join(d, "factorized-gzip.h5"),
           "--compress", "gzip", "--force")
    with h5py.File(os.path.join(d, "small.h5"), "w") as f:
        f.attrs["format"] = "tinify-weights"
        g = f.create_group("state_dict")
        g.create_dataset("a", data=np.arange(4, dtype=np.float32))
        g.create_dataset("b", data=np.array([1, 0], np.bool_))
        g.create_dataset("c", data=np.ones((2, 3), np.float64), chunks=(1, 3), compression="gzip")
        g["alias"] = g["a"]


def hdf5_answer_seeds(tmp):
    d = fresh("hdf5-answer")
    # The helper's own answers about the answer target's file: as the parent receives them.
    h5 = os.path.join(OUT, "hdf5", "hyperprior.h5")
    limits = ["--max-memory", "1342177280", "--max-seconds", "10", "--max-output", "309370880", "--max-depth", "32",
              "--max-datasets", "10000", "--max-links", "40000", "--max-total-bytes", "17179869184",
              "--max-read-bytes", "268435456", "--max-tensor-bytes", "4294967296", "--max-expansion", "1000",
              "--memory-budget", "8589934592"]
    answer = subprocess.run([TINIFY, "hdf5-scan", *limits, h5], check=True, capture_output=True).stdout
    open(os.path.join(d, "hyperprior.answer"), "wb").write(answer)
    refusal = subprocess.run([TINIFY, "hdf5-scan", *limits, os.path.join(FIX, "edge-cases.pth")], check=True, capture_output=True).stdout
    open(os.path.join(d, "refusal.answer"), "wb").write(refusal)


def codec_seeds(tmp):
    d = fresh("codec")
    for arch in ARCHITECTURES:
        tinify("compress", "--checkpoint", os.path.join(FIX, fixture_model(arch)), os.path.join(FIX, "image-64x64.png"), "-o", os.path.join(d, arch + ".bin"), "--force")


def png(path, width, height, color_type, bit_depth, rows, palette=None, interlace=0):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + r for r in rows)
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace))
    if palette is not None:
        body += chunk(b"PLTE", palette)
    body += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + body)


def png_seeds(tmp):
    d = fresh("png")
    shutil.copy(os.path.join(FIX, "image-64x64.png"), d)
    w, h = 7, 5
    png(os.path.join(d, "gray8.png"), w, h, 0, 8, [bytes((x * 30 + y) % 256 for x in range(w)) for y in range(h)])
    png(os.path.join(d, "rgb8.png"), w, h, 2, 8, [bytes((x + y + c) % 256 for x in range(w) for c in range(3)) for y in range(h)])
    png(os.path.join(d, "rgba8.png"), w, h, 6, 8, [bytes((x * y + c) % 256 for x in range(w) for c in range(4)) for y in range(h)])
    png(os.path.join(d, "graya8.png"), w, h, 4, 8, [bytes((x + c) % 256 for x in range(w) for c in range(2)) for y in range(h)])
    png(os.path.join(d, "palette.png"), w, h, 3, 8, [bytes((x + y) % 4 for x in range(w)) for y in range(h)],
        palette=bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]))
    png(os.path.join(d, "rgb16.png"), w, h, 2, 16, [bytes((x + c) % 256 for x in range(w) for c in range(6)) for y in range(h)])
    png(os.path.join(d, "gray1.png"), 8, 2, 0, 1, [b"\xaa", b"\x55"])
    # JPEG seeds (the png target reads either, by signature): Pillow-written fixtures.
    for name in ["jpeg-420.jpg", "jpeg-grey.jpg", "jpeg-progressive-444.jpg", "hostile-jpeg-scan-bomb.jpg"]:
        shutil.copy(os.path.join(FIX, "images", name), d)


def evaluation_seeds(tmp):
    d = fresh("evaluation")
    one = {"name": "bmshj2018-hyperprior-mse", "description": "Inference (ans)",
           "results": {"psnr-rgb": [24.1, 24.5], "ms-ssim-rgb": [0.918, 0.931], "bpp": [0.36, 0.63],
                       "encoding_time": [0.22, 0.19], "decoding_time": [0.19, 0.15]}}
    with open(os.path.join(d, "result.json"), "w") as f:
        json.dump(one, f, indent=2)
    rows = [dict(checkpoint=c, image=i, **{k: 0.5 for k in one["results"]}) for c in range(2) for i in range(3) if (c * 3 + i) % 3 == 1]
    part = {"format": "tinify-eval-partial-1", "name": one["name"], "description": one["description"], "shard": [1, 3],
            "checkpoints": ["a.pth", "b.pth"], "images": ["x.png", "y.png", "z.jpg"], "rows": rows}
    with open(os.path.join(d, "partial.json"), "w") as f:
        json.dump(part, f, indent=2)


def model_seeds(tmp):
    d = fresh("model")
    for name in ["bmshj2018-factorized-N8-M12-f16.pth", "bmshj2018-factorized-relu-N8-M12-not-updated.pth",
                 "bmshj2018-hyperprior-N8-M12-not-updated.pth", "mbt2018-mean-N8-M12-not-updated.pth",
                 "mbt2018-N8-M12-not-updated.pth", "cheng2020-anchor-N8-M8-not-updated.pth"]:
        tinify("convert", os.path.join(FIX, name), os.path.join(d, name.replace(".pth", ".safetensors")), "--force")
    shutil.copy(os.path.join(FIX, "bmshj2018-factorized-N8-M12.pth"), d)


def main():
    if not os.path.exists(TINIFY):
        sys.exit(f"make_corpus: build the release tinify first ({TINIFY} is missing)")
    with tempfile.TemporaryDirectory() as tmp:
        for make in [pickle_seeds, lambda: safetensors_seeds(tmp), lambda: hdf5_seeds(tmp), lambda: hdf5_answer_seeds(tmp),
                     lambda: codec_seeds(tmp), lambda: png_seeds(tmp), lambda: model_seeds(tmp),
                     lambda: evaluation_seeds(tmp)]:
            make()
    for t in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, t))
        print(f"{t}: {len(files)} seeds, {sum(os.path.getsize(os.path.join(OUT, t, f)) for f in files)} bytes")


if __name__ == "__main__":
    main()
