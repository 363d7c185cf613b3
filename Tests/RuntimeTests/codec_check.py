#!/usr/bin/env python3
"""Checks `tinify compress` / `tinify decompress` against CompressAI itself (run by hand where
torch and compressai are installed; prints "torch not installed: skipped" and exits 0 elsewhere).

    codec_check.py [--tinify EXE] [--corpus DIR] [--zoo]

For every model of DIR/index.json (default Tests/Fixtures) and a few images of odd sizes, it
compresses with Tinify, then checks that the strings in Tinify's file are byte-identical to
CompressAI's `compress()` of the same padded image, that CompressAI's `decompress()` of Tinify's
strings and Tinify's own decompress give the same 8-bit image (codec.py's ToPILImage levels:
x̂·255 truncated, so a sample whose x̂ lies within float32 noise of a level boundary may land one
level apart; larger differences fail), and that the header is codec.py's. `--zoo` adds the zoo architectures at quality 1 and 3 (random
weights, `update(force=True)`) on a 256×192 image. `--measure CKPT… IMAGE.png…` measures, on
trained models and photographs, how often the strings are identical and how often each side's
streams decode correctly on the other (a report, never a failure).
"""
import argparse, io, json, math, os, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from PIL import Image
    from compressai.zoo import image_models
    from compressai.zoo.image import model_architectures
    from compressai.models import FactorizedPriorReLU
except ImportError:
    print("torch not installed: skipped")
    sys.exit(0)

ap = argparse.ArgumentParser()
ap.add_argument("--tinify", default=os.environ.get("TINIFY_EXE", os.path.join(ROOT, ".build/release/tinify")))
ap.add_argument("--corpus", default=os.path.join(ROOT, "Tests/Fixtures"))
ap.add_argument("--zoo", action="store_true")
ap.add_argument("--measure", nargs="+", metavar="CKPT_OR_PNG",
                help="trained checkpoints and photographs (.png): measure, without failing, how often Tinify's strings "
                     "equal CompressAI's and how often each side's files decode on the other")
args = ap.parse_args()
ARCHS = ["bmshj2018-factorized", "bmshj2018-factorized-relu", "bmshj2018-hyperprior", "mbt2018-mean", "mbt2018",
         "cheng2020-anchor", "cheng2020-attn"]
tmp = tempfile.mkdtemp(prefix="tinify-codec-")
failures, checked = [], 0


def model_class(arch):
    return FactorizedPriorReLU if arch == "bmshj2018-factorized-relu" else model_architectures[arch]


def parse(path):
    b = open(path, "rb").read()
    mid, code = b[0], b[1]
    h, w = struct.unpack(">2I", b[2:10])
    depth = b[10]
    s0, s1, n = struct.unpack(">3I", b[11:23])
    at, strings = 23, []
    for _ in range(n):
        (l,) = struct.unpack(">I", b[at:at + 4])
        strings.append([b[at + 4:at + 4 + l]])
        at += 4 + l
    assert at == len(b), "trailing bytes"
    return mid, code, (h, w), depth, [s0, s1], strings


def image(h, w, seed):
    r = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    a = np.stack([x / w, y / h, (x + y) / (h + w)], -1) * 200 + r.integers(0, 55, (h, w, 3))
    p = os.path.join(tmp, f"img-{w}x{h}-{seed}.png")
    Image.fromarray(a.clip(0, 255).astype("uint8")).save(p)
    return p


def padded(img, h, w):
    """The image as codec.py reads it (1×3×H×W in [0, 1]) and its centred padding to multiples of 64."""
    x = torch.from_numpy(np.array(Image.open(img).convert("RGB"))).permute(2, 0, 1)[None].float() / 255
    H, W = (h + 63) // 64 * 64, (w + 63) // 64 * 64
    l, t = (W - w) // 2, (H - h) // 2
    return x, (l, W - w - l, t, H - h - t)


def check(name, arch, ckpt, img):
    global checked
    checked += 1
    net = model_class(arch).from_state_dict(torch.load(ckpt, weights_only=True)).eval()
    out, rec = os.path.join(tmp, "x.bin"), os.path.join(tmp, "x.png")
    for cmd in (["compress", "--force", "--checkpoint", ckpt, img, "-o", out, "--quality", "3"],
                ["decompress", "--force", "--checkpoint", ckpt, out, "-o", rec]):
        r = subprocess.run([args.tinify, *cmd], capture_output=True, text=True)
        if r.returncode:
            failures.append(f"{name}: tinify {cmd[0]} exit {r.returncode}: {r.stderr.strip()[:120]}")
            return
    mid, code, (h, w), depth, shape, strings = parse(out)
    x, pad = padded(img, h, w)
    with torch.no_grad():
        c = net.compress(F.pad(x, pad))
        theirs = [[bytes(s) for s in g] for g in c["strings"]]
        d = net.decompress(strings, shape)
    xh = F.pad(d["x_hat"], tuple(-p for p in pad)).clamp(0, 1)
    ref = (xh[0] * 255).byte().permute(1, 2, 0).numpy()
    mine = np.array(Image.open(rec))
    problems = []
    if (mid, code, depth, (h, w)) != (ARCHS.index(arch), 2, 8, tuple(x.shape[2:])):
        problems.append(f"header {(mid, code, depth, h, w)}")
    if list(c["shape"]) != shape:
        problems.append(f"shape {shape} vs {list(c['shape'])}")
    if strings != theirs:
        problems.append(f"strings differ ({[len(g[0]) for g in strings]} vs {[len(g[0]) for g in theirs]} bytes)")
    if mine.shape != ref.shape:
        problems.append(f"decoded image {mine.shape}, CompressAI's {ref.shape}")
    else:
        delta = np.abs(mine.astype(int) - ref.astype(int))
        if delta.max() > 1:
            problems.append(f"decoded pixels differ by up to {int(delta.max())} levels")
        elif delta.any():
            print(f"     {name}: {int((delta > 0).sum())} of {delta.size} samples one level apart (truncation of x̂·255 within float32 noise)")
    if problems:
        failures.append(f"{name}: " + "; ".join(problems))
    print(("ok   " if not problems else "FAIL ") + f"{name}: {sum(len(g[0]) for g in strings)} bytes" + ("" if not problems else " " + "; ".join(problems)))


def arch_of(ckpt):
    base = os.path.basename(ckpt)
    return max((a for a in ARCHS if base.startswith(a + "-")), key=len)


def measure(ckpts, photos):
    """Tinify's deterministic entropy parameters against CompressAI's float ones, on trained
    models and photographs: strings equal; Tinify's file decoded by CompressAI to Tinify's
    pixels (±1 level); CompressAI's strings decoded by Tinify to CompressAI's pixels (±1 level)."""
    rows = []
    for ckpt in ckpts:
        arch = arch_of(ckpt)
        net = model_class(arch).from_state_dict(torch.load(ckpt, weights_only=True)).eval()
        for img in photos:
            name = f"{os.path.basename(ckpt)} {os.path.basename(img)}"
            out, rec = os.path.join(tmp, "m.bin"), os.path.join(tmp, "m.png")
            r = subprocess.run([args.tinify, "compress", "--force", "--checkpoint", ckpt, img, "-o", out], capture_output=True, text=True)
            if r.returncode:
                rows.append((name, False, False, False)); print("FAIL", name, r.stderr.strip()[:100]); continue
            subprocess.run([args.tinify, "decompress", "--force", "--checkpoint", ckpt, out, "-o", rec], check=True, capture_output=True)
            raw = open(out, "rb").read()
            mid, code, (h, w), depth, shape, strings = parse(out)
            x, pad = padded(img, h, w)
            with torch.no_grad():
                c = net.compress(F.pad(x, pad))
                theirs = [[bytes(s) for s in g] for g in c["strings"]]
                mine_by_them = net.decompress(strings, shape)["x_hat"]
                theirs_by_them = net.decompress(theirs, list(c["shape"]))["x_hat"]

            def levels(t_):
                return (F.pad(t_, tuple(-p for p in pad)).clamp(0, 1)[0] * 255).byte().permute(1, 2, 0).numpy().astype(int)

            same = strings == theirs
            ours_ok = np.abs(levels(mine_by_them) - np.array(Image.open(rec)).astype(int)).max() <= 1
            # CompressAI's strings in a codec.py file (Tinify's header, their strings), decoded by Tinify.
            theirs_file = os.path.join(tmp, "t.bin")
            with open(theirs_file, "wb") as f:
                f.write(raw[:11] + struct.pack(">3I", *c["shape"], len(theirs)))
                for g in theirs:
                    f.write(struct.pack(">I", len(g[0])) + g[0])
            r = subprocess.run([args.tinify, "decompress", "--force", "--checkpoint", ckpt, theirs_file, "-o", rec], capture_output=True, text=True)
            theirs_ok = r.returncode == 0 and np.abs(np.array(Image.open(rec)).astype(int) - levels(theirs_by_them)).max() <= 1
            rows.append((name, same, ours_ok, theirs_ok))
            print(f"{'same' if same else 'diff'} {name}: Tinify's file in CompressAI {'ok' if ours_ok else 'WRONG'}; "
                  f"CompressAI's strings in Tinify {'ok' if theirs_ok else 'WRONG' if r.returncode == 0 else 'error: ' + r.stderr.strip()[:80]}")
    n = len(rows)
    print(f"compatibility over {n} streams: strings identical {sum(r[1] for r in rows)}/{n}; Tinify's files decoded "
          f"correctly by CompressAI {sum(r[2] for r in rows)}/{n}; CompressAI's decoded correctly by Tinify {sum(r[3] for r in rows)}/{n}")


if args.measure:
    measure([p for p in args.measure if not p.endswith(".png")], [p for p in args.measure if p.endswith(".png")])
    sys.exit(0)

index = json.load(open(os.path.join(args.corpus, "index.json")))
images = [image(64, 64, 1), image(45, 70, 2), image(100, 33, 3)]
for stem, m in index["models"].items():
    for img in images:
        check(f"{stem} {os.path.basename(img)}", m["architecture"], os.path.join(args.corpus, m["checkpoint"]), img)
if args.zoo:
    big = image(192, 256, 4)
    for arch in ARCHS[:1] + ARCHS[2:]:
        for q in (1, 3):
            torch.manual_seed(q)
            net = image_models[arch](quality=q, pretrained=False).eval()
            net.update(force=True)
            p = os.path.join(tmp, f"{arch}-q{q}.pth")
            torch.save(net.state_dict(), p)
            check(f"{arch} q{q} 256x192", arch, p, big)
print(f"{checked - len(failures)}/{checked} codec checks match CompressAI")
sys.exit(1 if failures else 0)
