"""`tinify eval --json` against CompressAI's own eval_model, live, on the trained samples and the
sample dataset (or on checkpoints and a folder you name):

    python3 Tests/Evaluation/eval_check.py [--tinify PATH] [CKPT… -- IMAGE_DIR]

For each checkpoint it runs `python3 -m compressai.utils.eval_model checkpoint DIR -a ARCH -p CKPT
--no-update` and `tinify eval --json --checkpoint CKPT DIR`, and requires the same name and
description, bpp within 0.1 %, psnr-rgb within 0.02 dB and ms-ssim-rgb within 2e-4; it prints
both tools' figures and whole-run times. Needs torch, compressai and pytorch_msssim: without
them it says so and exits 0 (CI does not install torch; EvaluationTests compare against stored
eval_model references instead)."""
import glob, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    args = sys.argv[1:]
    exe = os.path.join(ROOT, ".build", "release", "tinify")
    if args[:1] == ["--tinify"]:
        exe, args = args[1], args[2:]
    try:
        import torch, compressai, pytorch_msssim  # noqa: F401
    except ImportError as e:
        print(f"eval_check: torch, compressai or pytorch_msssim is not installed ({e.name}): skipped")
        return 0
    if "--" in args:
        ckpts, data = args[:args.index("--")], args[args.index("--") + 1]
    else:
        ckpts, data = sorted(glob.glob(os.path.join(ROOT, "Samples", "trained", "*.pth"))), os.path.join(ROOT, "Samples", "images")
    bad = 0
    for ckpt in ckpts:
        t = time.perf_counter()
        mine = subprocess.run([exe, "eval", "--json", "--checkpoint", ckpt, data], capture_output=True, text=True)
        t_mine = time.perf_counter() - t
        if mine.returncode:
            print(f"FAIL {ckpt}: tinify eval exited {mine.returncode}: {mine.stderr.strip()}")
            bad += 1
            continue
        got = json.loads(mine.stdout)
        arch = got["name"].rsplit("-", 1)[0]
        t = time.perf_counter()
        ref = subprocess.run([sys.executable, "-m", "compressai.utils.eval_model", "checkpoint", data, "-a", arch, "-p", ckpt,
                              "--no-update"], capture_output=True, text=True)
        t_ref = time.perf_counter() - t
        if ref.returncode:
            print(f"FAIL {ckpt}: eval_model failed: {ref.stderr.strip().splitlines()[-1:]}")
            bad += 1
            continue
        want = json.loads(ref.stdout[ref.stdout.index("{"):])
        g, e = got["results"], want["results"]
        db = abs(g["bpp"][0] - e["bpp"][0]) / e["bpp"][0]
        dp, dm = abs(g["psnr-rgb"][0] - e["psnr-rgb"][0]), abs(g["ms-ssim-rgb"][0] - e["ms-ssim-rgb"][0])
        same = got["name"] == want["name"] and got["description"] == want["description"] and list(g) == list(e)
        ok = same and db <= 1e-3 and dp <= 0.02 and dm <= 2e-4
        bad += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {os.path.basename(ckpt)}: bpp {g['bpp'][0]:.5f} vs {e['bpp'][0]:.5f} ({db:.1e}), "
              f"psnr {g['psnr-rgb'][0]:.4f} vs {e['psnr-rgb'][0]:.4f} dB, ms-ssim {g['ms-ssim-rgb'][0]:.6f} vs "
              f"{e['ms-ssim-rgb'][0]:.6f}; whole run {t_mine:.2f} s vs eval_model {t_ref:.2f} s"
              + ("" if same else "; name/description/keys differ"))
    print(f"eval_check: {len(ckpts) - bad}/{len(ckpts)} checkpoints evaluated as eval_model does")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
