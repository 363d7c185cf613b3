"""Makes the references of EvaluationTests: CompressAI's own eval_model on the sample dataset.

    pip install torch compressai pytorch-msssim && python3 Tests/EvaluationTests/make_eval_reference.py

For every trained sample checkpoint (Samples/trained/*.pth) it runs

    python3 -m compressai.utils.eval_model checkpoint Samples/images -a ARCH -p CKPT --no-update \
        --per-image -d reference/<checkpoint stem>

and keeps eval_model's result document (`result.json`, the JSON it prints) and its per-image
files, with `reference/index.json` listing checkpoint → architecture. (--no-update: the stored CDF
tables code, as Tinify codes them.) It also checks the references against each other: the
result's figures are the means of the per-image files.

For the variable-rate models it runs, on the not-updated VBR fixtures of
Tests/Fixtures/more-architectures (the two with the variable-rate bottleneck, as CompressAI's zoo
builds them, and mbt2018-vbr, whose tables the run builds with update(force=True) first),

    python3 -m compressai.utils.eval_model checkpoint Samples/images -a ARCH -p CKPT

with eval_model's default --vbr_quantstep (eight steps; it rebuilds the bottleneck's tables at each
gain itself) and keeps the result document as reference-vbr/<stem>.json."""
import glob, json, os, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    index = {}
    for ckpt in sorted(glob.glob(os.path.join(ROOT, "Samples", "trained", "*.pth"))):
        stem = os.path.splitext(os.path.basename(ckpt))[0]
        arch = stem.split("-N")[0]
        folder = os.path.join(OUT, stem)
        r = subprocess.run([sys.executable, "-m", "compressai.utils.eval_model", "checkpoint", os.path.join(ROOT, "Samples", "images"),
                            "-a", arch, "-p", ckpt, "--no-update", "--per-image", "-d", folder],
                           capture_output=True, text=True, check=True)
        doc = json.loads(r.stdout[r.stdout.index("{"):])
        for f in glob.glob(os.path.join(folder, "*-ans.json")):
            if os.path.basename(f) == f"{arch}-ans.json":
                os.remove(f)  # eval_model's own copy of the result (-d writes it too)
        with open(os.path.join(folder, "result.json"), "w") as f:
            json.dump(doc, f, indent=2)
        per_image = sorted(glob.glob(os.path.join(folder, "*.json")))
        rows = [json.load(open(p))["results"] for p in per_image if not p.endswith("result.json")]
        for k, v in doc["results"].items():
            assert abs(sum(r[k] for r in rows) / len(rows) - v[0]) < 1e-9, (stem, k)
        index[os.path.basename(ckpt)] = arch
        print(f"{stem}: bpp {doc['results']['bpp'][0]:.4f} psnr {doc['results']['psnr-rgb'][0]:.3f} "
              f"ms-ssim {doc['results']['ms-ssim-rgb'][0]:.5f} ({len(rows)} images)")
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
    variable_rate()


def variable_rate():
    out = os.path.join(os.path.dirname(OUT), "reference-vbr")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    fixtures = os.path.join(ROOT, "Tests", "Fixtures", "more-architectures")
    for stem, arch in [("bmshj2018-hyperprior-vbr-N8-M12-vreb", "bmshj2018-hyperprior-vbr"), ("mbt2018-mean-vbr-N8-M12-vreb", "mbt2018-mean-vbr"),
                       ("mbt2018-vbr-N8-M12", "mbt2018-vbr")]:
        ckpt = os.path.join(fixtures, stem + "-not-updated.pth")
        r = subprocess.run([sys.executable, "-m", "compressai.utils.eval_model", "checkpoint", os.path.join(ROOT, "Samples", "images"),
                            "-a", arch, "-p", ckpt], capture_output=True, text=True, check=True)
        doc = json.loads(r.stdout[r.stdout.index("{"):])
        with open(os.path.join(out, stem + ".json"), "w") as f:
            json.dump(doc, f, indent=2)
        print(f"{stem}: bpp {', '.join(f'{b:.4f}' for b in doc['results']['bpp'])}")


if __name__ == "__main__":
    variable_rate() if sys.argv[1:] == ["--vbr-only"] else main()
