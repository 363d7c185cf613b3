#!/usr/bin/env python3
"""The full decoder-portability sweep: a stream written by `tinify compress` must decode on every
configuration to the same latent, and with --bit-exact to the same PNG bytes.

    python3 Tests/Portability/sweep.py [--tinify EXE] [--hunt K] CKPT… -- IMAGE…

(defaults: the release build, every checkpoint in Tests/Portability/trained and every image in
Tests/Portability/images). Each image is also cropped to several sizes that are not multiples
of 64. With `--hunt K` (needs torch and compressai; says so and skips the hunt without them),
K more crops per checkpoint are chosen among 40 candidates as those whose h_s scales lie
closest to a scale-table boundary in float32 (where one rounding step moves a CDF index).

Every stream is written once (default configuration) and decoded under every configuration:
OPENBLAS_CORETYPE Haswell, SkylakeX (when the CPU has AVX-512), Sandybridge, Nehalem and
Prescott; 1 and 2 threads (TINIFY_NUM_THREADS and OPENBLAS_NUM_THREADS); and the scalar build of
the deterministic kernels (TINIFY_SCALAR_KERNELS=1); and the Swift versions of Tinify's AVX C
loops (TINIFY_NO_AVX=1). Requirement: 0 decode failures, 0 streams whose latent digest
(`decompress --latent-digest`) differs between configurations, 0 streams whose --bit-exact PNG
differs, and 0 streams whose default PNG differs between Haswell on 2 threads with and without
TINIFY_NO_AVX=1 (the Swift loops give the AVX loops' bits). Exit status 0 when all hold."""
import argparse, glob, hashlib, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SIZES = [(64, 64), (100, 75), (131, 97), (200, 150), (257, 130), (321, 211)]


def configurations():
    flags = open("/proc/cpuinfo").read()
    cores = ["Haswell", "Sandybridge", "Nehalem", "Prescott"]
    if " avx512f" in flags:
        cores.insert(1, "SkylakeX")
    out = [(c, t, False) for c in cores for t in ("1", "2")]
    out.append(("Prescott", "1", "scalar"))
    out.append(("Haswell", "2", "no-avx"))
    return out


def env_of(core, threads, loops):
    """loops: False (the default), "scalar" (TINIFY_SCALAR_KERNELS=1) or "no-avx" (TINIFY_NO_AVX=1)."""
    env = {**os.environ, "OPENBLAS_CORETYPE": core, "OPENBLAS_NUM_THREADS": threads, "TINIFY_NUM_THREADS": threads}
    env.pop("TINIFY_SCALAR_KERNELS", None)
    env.pop("TINIFY_NO_AVX", None)
    if loops == "scalar":
        env["TINIFY_SCALAR_KERNELS"] = "1"
    elif loops == "no-avx":
        env["TINIFY_NO_AVX"] = "1"
    return env


def crops(images, work):
    from PIL import Image
    out = []
    for path in images:
        im = Image.open(path).convert("RGB")
        out.append(path)
        for w, h in SIZES:
            if w <= im.width and h <= im.height:
                x, y = (im.width - w) // 3, (im.height - h) // 2
                p = os.path.join(work, f"{os.path.splitext(os.path.basename(path))[0]}-{w}x{h}.png")
                im.crop((x, y, x + w, y + h)).save(p)
                out.append(p)
    return out


def hunt(ckpt, images, work, k):
    """K crops of `images` whose h_s scales come closest to a scale-table boundary (float32)."""
    if k <= 0 or not images:
        return []
    try:
        import numpy as np
        import torch
        from PIL import Image
        from compressai.zoo.image import model_architectures
    except ImportError:
        print("torch not installed: the boundary hunt is skipped")
        return []
    sd = torch.load(ckpt, map_location="cpu", weights_only=True)
    arch = next((a for a in ["cheng2020-attn", "cheng2020-anchor", "mbt2018-mean", "mbt2018", "bmshj2018-hyperprior"]
                 if os.path.basename(ckpt).startswith(a + "-")), None)
    if arch is None:
        return []
    model = model_architectures[arch].from_state_dict(sd).eval()
    table = model.gaussian_conditional.scale_table.numpy().astype(np.float32)
    rng = np.random.default_rng(0)
    scored = []
    for i in range(40):
        path = images[rng.integers(len(images))]
        im = Image.open(path).convert("RGB")
        w, h = int(rng.integers(64, min(im.width, 320) + 1)), int(rng.integers(64, min(im.height, 240) + 1))
        x, y = int(rng.integers(0, im.width - w + 1)), int(rng.integers(0, im.height - h + 1))
        crop = im.crop((x, y, x + w, y + h))
        t = torch.from_numpy(np.asarray(crop, dtype=np.float32) / 255).permute(2, 0, 1)[None]
        ph, pw = (h + 63) // 64 * 64, (w + 63) // 64 * 64
        t = torch.nn.functional.pad(t, ((pw - w) // 2, pw - w - (pw - w) // 2, (ph - h) // 2, ph - h - (ph - h) // 2))
        with torch.no_grad():
            y_ = model.g_a(t)
            z = model.h_a(y_ if arch != "bmshj2018-hyperprior" else y_.abs())
            z_hat = model.entropy_bottleneck.quantize(z, "dequantize", model.entropy_bottleneck._get_medians())
            p = model.h_s(z_hat)
            if arch in ("mbt2018", "cheng2020-anchor", "cheng2020-attn"):
                ctx = model.context_prediction(torch.round(y_))
                p = model.entropy_parameters(torch.cat([p, ctx], 1))
            s = p[:, : p.shape[1] // 2] if arch != "bmshj2018-hyperprior" else p
        s = s.numpy().ravel()
        gap = np.min(np.abs(s[:, None] - table[None, :-1]) / table[None, :-1], axis=1)
        scored.append((float(np.sort(gap)[:16].mean()), crop, f"hunt-{i}-{w}x{h}"))
    scored.sort(key=lambda e: e[0])
    out = []
    for score, crop, name in scored[:k]:
        p = os.path.join(work, f"{os.path.basename(ckpt)}-{name}.png")
        crop.save(p)
        out.append(p)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tinify", default=os.path.join(ROOT, ".build", "release", "tinify"))
    ap.add_argument("--hunt", type=int, default=0)
    ap.add_argument("checkpoints", nargs="*")
    argv = sys.argv[1:]
    images = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    ckpts = a.checkpoints
    ckpts = ckpts or sorted(glob.glob(os.path.join(HERE, "trained", "*.pth")))
    images = images or sorted(glob.glob(os.path.join(HERE, "images", "*.png")))
    work = tempfile.mkdtemp(prefix="tinify-sweep-")
    configs = configurations()
    base_images = crops(images, work)
    fails, latent_differ, exact_differ, streams, pixels_differ, loops_differ = [], [], [], 0, 0, []
    for ckpt in ckpts:
        name = os.path.basename(ckpt)
        for img in base_images + hunt(ckpt, images, work, a.hunt):
            b = os.path.join(work, "s.bin")
            r = subprocess.run([a.tinify, "compress", "--checkpoint", ckpt, img, "-o", b, "--force"], capture_output=True, text=True)
            if r.returncode:
                fails.append(f"{name} {os.path.basename(img)}: compress: {r.stderr.strip()[:100]}")
                continue
            streams += 1
            latents, exact, default, by_config = set(), set(), set(), {}
            for core, threads, loops in configs:
                for bit_exact in (False, True):
                    out = os.path.join(work, "d.png")
                    args = [a.tinify, "decompress", "--latent-digest", "--checkpoint", ckpt, b, "-o", out, "--force"]
                    r = subprocess.run(args + (["--bit-exact"] if bit_exact else []), capture_output=True, text=True,
                                       env=env_of(core, threads, loops))
                    tag = f"{core}/{threads}{'/' + loops if loops else ''}{'/bit-exact' if bit_exact else ''}"
                    if r.returncode:
                        fails.append(f"{name} {os.path.basename(img)} on {tag}: {r.stderr.strip()[:100]}")
                        continue
                    latents.add(next((l.split()[-1] for l in r.stdout.splitlines() if l.startswith("latent sha256")), None))
                    digest = hashlib.sha256(open(out, "rb").read()).hexdigest()
                    (exact if bit_exact else default).add(digest)
                    by_config[(core, threads, loops, bit_exact)] = digest
            if len(latents) > 1:
                latent_differ.append(f"{name} {os.path.basename(img)}")
            if len(exact) > 1:
                exact_differ.append(f"{name} {os.path.basename(img)}")
            pixels_differ += len(default) > 1
            # The Swift loops must give the AVX loops' bits, default path included.
            twin = ("Haswell", "2", False, False)
            if twin in by_config and by_config.get(("Haswell", "2", "no-avx", False), by_config[twin]) != by_config[twin]:
                loops_differ.append(f"{name} {os.path.basename(img)}")
            print(f"{name} {os.path.basename(img)}: {len(latents)} latent, {len(exact)} bit-exact PNG, "
                  f"{len(default)} default PNG digest(s) over {len(configs)} configurations", flush=True)
    ok = not fails and not latent_differ and not exact_differ and not loops_differ and streams > 0
    print(f"sweep: {streams} streams × {len(configs)} configurations × 2 modes: {len(fails)} failures, "
          f"{len(latent_differ)} streams with differing latents, {len(exact_differ)} with differing --bit-exact PNGs, "
          f"{len(loops_differ)} whose default PNG differs with TINIFY_NO_AVX=1 "
          f"({pixels_differ} differ by default, as allowed)" + (f"; first failure: {fails[0]}" if fails else "")
          + (f"; first differing latent: {latent_differ[0]}" if latent_differ else ""))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
