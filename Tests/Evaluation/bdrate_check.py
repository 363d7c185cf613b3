"""`tinify bd-rate --json` against the PyPI package bjontegaard 1.3.0 (bd_rate / bd_psnr with
min_overlap=0), both methods (pchip, cubic) and both metrics (psnr-rgb; ms-ssim-rgb in dB,
-10*log10(1 - v), as compressai.utils.plot draws it), on random and real-looking rate-distortion
curves of 4 to 8 points in eval_model's document format: BD-rate within 0.01 %, BD-PSNR within
0.001 dB. Points are given in a shuffled (checkpoint) order too: tinify sorts by rate, the
package is given them sorted. Also checks that unusable curves are one-line errors with exit 1.

    python3 Tests/Evaluation/bdrate_check.py [RESULT.json …]        (from the project root)

Result documents given as arguments (real `tinify eval --json` or eval_model output, 4+ points
each) are compared too, every ordered pair of them.

TINIFY_EXE names the binary; by default the release build's, else the debug build's (it does not
build). Prints "bjontegaard not installed: skipped" and exits 0 without the package."""
import json, os, subprocess, sys, tempfile

try:
    import numpy as np
    import bjontegaard as bd
except ImportError:
    print("bjontegaard not installed: skipped")
    sys.exit(0)

if getattr(bd, "__version__", "") != "1.3.0":
    print(f"note: bjontegaard {getattr(bd, '__version__', '?')} installed, the reference is 1.3.0")


def tinify():
    if os.environ.get("TINIFY_EXE"):
        return os.environ["TINIFY_EXE"]
    for config in ("release", "debug"):
        path = subprocess.run(["swift", "build", "-c", config, "--show-bin-path"], capture_output=True, text=True).stdout.strip()
        if path and os.path.exists(os.path.join(path, "tinify")):
            return os.path.join(path, "tinify")
    sys.exit("no tinify binary: build it (swift build) or set TINIFY_EXE")


EXE = tinify()
WORK = tempfile.mkdtemp(prefix="tinify-bdrate-")
RATE_TOL, PSNR_TOL = 0.01, 0.001


def document(path, name, bpp, psnr, msssim):
    n = len(bpp)
    with open(path, "w") as f:
        json.dump({"name": name, "description": "Inference (ans)",
                   "results": {"psnr-rgb": list(map(float, psnr)), "ms-ssim-rgb": list(map(float, msssim)),
                               "bpp": list(map(float, bpp)), "encoding_time": [0.1] * n, "decoding_time": [0.1] * n}}, f)
    return path


def run(*args):
    p = subprocess.run([EXE, "bd-rate", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def reference(r_a, q_a, r_t, q_t):
    """bjontegaard's figures on curves sorted by rate (quality already in dB)."""
    oa, ot = np.argsort(r_a, kind="stable"), np.argsort(r_t, kind="stable")
    args = (np.asarray(r_a)[oa], np.asarray(q_a)[oa], np.asarray(r_t)[ot], np.asarray(q_t)[ot])
    return {m: (bd.bd_rate(*args, method=m, min_overlap=0, require_matching_points=False),
                bd.bd_psnr(*args, method=m, min_overlap=0, require_matching_points=False)) for m in ("pchip", "cubic")}


def curve(rng, n, scale, shift):
    """A concave, increasing RD curve like a learned codec's: PSNR ~ a + b*log2(1 + r), noisy but
    strictly increasing; MS-SSIM likewise in dB."""
    r = np.sort(rng.uniform(0.08, 1.8, n)) * scale
    while np.min(np.diff(r)) < 1e-3:
        r = np.sort(rng.uniform(0.08, 1.8, n)) * scale
    psnr = 25 + shift + 9 * np.log2(1 + r / scale) + rng.normal(0, 0.05, n)
    db = 8 + shift / 3 + 6 * np.log2(1 + r / scale) + rng.normal(0, 0.03, n)
    for k in range(1, n):
        psnr[k] = max(psnr[k], psnr[k - 1] + 0.02)
        db[k] = max(db[k], db[k - 1] + 0.02)
    return r, psnr, 1 - 10 ** (-db / 10)


# Approximate Kodak curves of CompressAI's zoo models (bpp, PSNR, MS-SSIM), real-looking, not exact.
REAL = {
    "bmshj2018-factorized": ([0.122, 0.188, 0.287, 0.424, 0.615, 0.863, 1.184, 1.600],
                             [27.10, 28.50, 30.00, 31.55, 33.25, 35.05, 36.85, 38.70],
                             [0.9225, 0.9417, 0.9573, 0.9697, 0.9796, 0.9866, 0.9913, 0.9945]),
    "bmshj2018-hyperprior": ([0.109, 0.170, 0.259, 0.385, 0.565, 0.806, 1.112, 1.490],
                             [27.55, 29.10, 30.80, 32.50, 34.35, 36.25, 38.10, 39.95],
                             [0.9299, 0.9478, 0.9624, 0.9737, 0.9827, 0.9888, 0.9929, 0.9955]),
    "mbt2018-mean": ([0.101, 0.157, 0.241, 0.363, 0.531, 0.762, 1.056, 1.420],
                     [27.95, 29.45, 31.20, 32.95, 34.75, 36.65, 38.55, 40.35],
                     [0.9321, 0.9497, 0.9643, 0.9752, 0.9838, 0.9896, 0.9934, 0.9958]),
    "cheng2020-anchor": ([0.120, 0.183, 0.271, 0.420, 0.597, 0.806],
                         [28.60, 30.05, 31.45, 33.40, 35.00, 36.45],
                         [0.9403, 0.9555, 0.9670, 0.9789, 0.9855, 0.9899]),
}

cases, misses, worst = 0, [], {"bd_rate": 0.0, "bd_psnr": 0.0}


def compare(label, r_a, p_a, s_a, r_t, p_t, s_t, shuffle=None):
    global cases
    order_a = shuffle.permutation(len(r_a)) if shuffle is not None else np.arange(len(r_a))
    order_t = shuffle.permutation(len(r_t)) if shuffle is not None else np.arange(len(r_t))
    a = document(os.path.join(WORK, "anchor.json"), "anchor", np.asarray(r_a)[order_a], np.asarray(p_a)[order_a], np.asarray(s_a)[order_a])
    t = document(os.path.join(WORK, "test.json"), "test", np.asarray(r_t)[order_t], np.asarray(p_t)[order_t], np.asarray(s_t)[order_t])
    for metric in ("psnr-rgb", "ms-ssim-rgb"):
        qa = p_a if metric == "psnr-rgb" else -10 * np.log10(1 - np.asarray(s_a))
        qt = p_t if metric == "psnr-rgb" else -10 * np.log10(1 - np.asarray(s_t))
        want = reference(r_a, qa, r_t, qt)
        code, out, err = run("--json", "--metric", metric, a, t)
        try:
            got = json.loads(out)
        except ValueError:
            got = {}
        if got.get("metric") != metric:
            misses.append(f"{label} {metric}: exit {code}, {err.strip()[:100] or out[:100]}")
            continue
        for method in ("pchip", "cubic"):
            cases += 1
            g = got.get(method, {})
            wr, wp = want[method]
            dr, dp = abs(g.get("bd_rate", float("nan")) - wr), abs(g.get("bd_psnr", float("nan")) - wp)
            worst["bd_rate"] = max(worst["bd_rate"], dr)
            worst["bd_psnr"] = max(worst["bd_psnr"], dp)
            if not (dr <= RATE_TOL and dp <= PSNR_TOL):
                misses.append(f"{label} {metric} {method}: want {wr:.4f} % / {wp:.5f} dB, got {g.get('bd_rate')} / {g.get('bd_psnr')}")


rng = np.random.default_rng(20240611)
for i in range(40):
    n_a, n_t = 4 + i % 5, 4 + (i * 3) % 5
    r_a, p_a, s_a = curve(rng, n_a, 1.0, 0.0)
    scale, shift = rng.uniform(0.7, 1.15), rng.uniform(-0.8, 0.8)
    r_t, p_t, s_t = curve(rng, n_t, scale, shift)
    compare(f"random {i}", r_a, p_a, s_a, r_t, p_t, s_t, shuffle=rng if i % 2 else None)

names = list(REAL)
for a in names:
    for t in names:
        if a != t:
            compare(f"{t} vs {a}", *REAL[a], *REAL[t], shuffle=rng)

# Real results named on the command line: every ordered pair.
given = {}
for path in sys.argv[1:]:
    doc = json.load(open(path))
    given[path] = tuple(doc["results"][k] for k in ("bpp", "psnr-rgb", "ms-ssim-rgb"))
for a in given:
    for t in given:
        if a != t:
            compare(f"{os.path.basename(t)} vs {os.path.basename(a)}", *given[a], *given[t])
if given:
    print(f"bd-rate: {len(given)} given result documents compared pairwise")

# Unusable curves: one line on stderr, exit 1, no output.
base_r, base_p, base_s = REAL["mbt2018-mean"]
good = document(os.path.join(WORK, "good.json"), "good", base_r, base_p, base_s)
bad_docs = {
    "three points": (base_r[:3], base_p[:3], base_s[:3], "needs at least 4"),
    "not monotonic": (base_r, base_p[:3] + [base_p[2] - 0.1] + base_p[4:], base_s, "not monotonic"),
    "NaN": (base_r, base_p[:2] + [float("nan")] + base_p[3:], base_s, "not finite"),
    "no overlap": ([r * 8 for r in base_r], [p + 20 for p in base_p], base_s, "do not overlap"),
}
errors_ok = 0
for label, (r, p, s, expect) in bad_docs.items():
    path = document(os.path.join(WORK, "bad.json"), label, r, p, s)
    code, out, err = run("--json", good, path)
    lines = err.strip().splitlines()
    if code == 1 and not out and len(lines) == 1 and lines[0].startswith("error: ") and expect in lines[0]:
        errors_ok += 1
    else:
        misses.append(f"{label}: exit {code}, stderr {err.strip()!r}")
missing = os.path.join(WORK, "missing.json")
with open(missing, "w") as f:
    json.dump({"name": "psnr only", "results": {"bpp": base_r, "psnr-rgb": base_p}}, f)
code, out, err = run("--metric", "ms-ssim-rgb", good, missing)
if code == 1 and len(err.strip().splitlines()) == 1 and "ms-ssim-rgb" in err:
    errors_ok += 1
else:
    misses.append(f"missing metric: exit {code}, stderr {err.strip()!r}")

print(f"bd-rate: {cases - sum(1 for m in misses if ' pchip' in m or ' cubic' in m)}/{cases} deltas equal bjontegaard "
      f"{bd.__version__} (largest differences {worst['bd_rate']:.2e} %, {worst['bd_psnr']:.2e} dB); "
      f"{errors_ok}/{len(bad_docs) + 1} unusable curves refused in one line")
for m in misses[:10]:
    print("  miss:", m)
sys.exit(1 if misses else 0)
