#!/usr/bin/env python3
"""Loads Tinify's .pth output with torch and CompressAI (run by hand where torch is installed).

    torch_check.py DIR                 check every DIR/<fixture>.pth (e.g. mbt2018-N8-M12.pth.pth)
    torch_check.py [--tinify EXE]      convert every fixture with `EXE convert --keep-keys`
                                       (default $TINIFY_EXE, else .build/debug/tinify) into a
                                       temporary directory, then check those

Each file must load with torch.load(weights_only=True) as an OrderedDict of tensors whose
dtype, shape and sha256 match Tests/Fixtures/manifests.json; each model checkpoint of
Tests/Fixtures/index.json must then build with CompressAI's `from_state_dict` and give back
exactly the loaded tensors from `state_dict()`. Prints "torch not installed: skipped" and exits
0 where torch is missing.
"""
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "Fixtures"))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

try:
    import torch
except ImportError:
    print("torch not installed: skipped")
    sys.exit(0)

failures = []


def fail(msg):
    failures.append(msg)
    print("MISMATCH " + msg, file=sys.stderr)


def digest(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return hashlib.sha256(t.numpy().tobytes()).hexdigest()


def check_file(path, fixture, manifest, index):
    sd = torch.load(path, weights_only=True, map_location="cpu")
    if not isinstance(sd, collections.OrderedDict):
        fail(f"{path}: loads as {type(sd).__name__}, not OrderedDict")
        return 0
    for key, t in sd.items():
        want = manifest.get(key)
        if not isinstance(t, torch.Tensor):
            fail(f"{path}: {key!r} is a {type(t).__name__}")
            continue
        if want is None:
            fail(f"{path}: {key!r} not in the manifest")
            continue
        dtype = str(t.dtype).replace("torch.", "")
        if dtype != want["dtype"] or list(t.shape) != want["shape"] or digest(t) != want["sha256"]:
            fail(f"{path}: {key!r}: {dtype} {list(t.shape)} differs from the manifest")
    if set(sd) != set(manifest):
        fail(f"{path}: key sets differ ({len(sd)} vs {len(manifest)})")
    model = index.get(fixture)
    if model is not None:
        try:
            from compressai.zoo.image import model_architectures
        except ImportError:
            print("compressai not installed: from_state_dict skipped")
            return len(sd)
        arch = model["architecture"]
        # The zoo spells one name with underscores ("bmshj2018_factorized_relu").
        cls = model_architectures.get(arch) or model_architectures.get(arch.replace("-", "_"))
        if cls is None:
            fail(f"{path}: CompressAI has no architecture {arch!r}")
            return len(sd)
        net = cls.from_state_dict(sd)
        back = net.state_dict()
        for key, t in sd.items():
            if key not in back or not torch.equal(back[key], t):
                fail(f"{path}: from_state_dict did not keep {key!r}")
        print(f"  {fixture}: from_state_dict -> {type(net).__name__} ok")
    return len(sd)


def main():
    args = sys.argv[1:]
    with open(os.path.join(FIXTURES, "manifests.json")) as fh:
        manifests = json.load(fh)
    with open(os.path.join(FIXTURES, "index.json")) as fh:
        models = json.load(fh)["models"]
    # Model checkpoints by fixture name ("<arch>-N8-M12.pth" and its "-not-updated" twin).
    index = {}
    for m in models.values():
        for field in ("checkpoint", "not_updated"):
            if m.get(field):
                index[m[field]] = m

    temp = None
    if len(args) == 1 and os.path.isdir(args[0]):
        out = args[0]
    else:
        exe = os.environ.get("TINIFY_EXE", os.path.join(ROOT, ".build", "debug", "tinify"))
        if len(args) == 2 and args[0] == "--tinify":
            exe = args[1]
        elif args:
            print(__doc__, file=sys.stderr)
            return 2
        temp = tempfile.TemporaryDirectory()
        out = temp.name
        for name in manifests:
            r = subprocess.run([exe, "convert", "--keep-keys", os.path.join(FIXTURES, name),
                                os.path.join(out, name + ".pth")], capture_output=True, text=True)
            if r.returncode != 0:
                fail(f"tinify convert {name}: {r.stderr.strip()}")
    files = tensors = 0
    # Outputs are named <fixture>.pth, e.g. "mbt2018-N8-M12.pth.pth".
    for name in sorted(os.listdir(out)):
        fixture, ext = os.path.splitext(name)
        if ext != ".pth" or fixture not in manifests:
            continue
        try:
            tensors += check_file(os.path.join(out, name), fixture, manifests[fixture], index)
        except Exception as e:
            fail(f"{name}: {type(e).__name__}: {e}")
        files += 1
    if files == 0:
        fail(f"no .pth files to check in {out}")
    if failures:
        print(f"torch: FAILED: {len(failures)} problems", file=sys.stderr)
        return 1
    print(f"torch: ok: {files} files, {tensors} tensors (torch {torch.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
