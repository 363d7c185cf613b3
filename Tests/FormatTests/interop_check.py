#!/usr/bin/env python3
"""Independent readers for Tinify's output: h5py, numpy and safetensors.

    interop_check.py DIR          check every DIR/<fixture>.h5 and DIR/<fixture>.safetensors
    interop_check.py --make-h5py DIR
                                  write DIR/h5py-layout.h5 (Tinify's layout, written by h5py)
                                  and DIR/h5py-layout.json (each tensor's dtype, shape, sha256)

Checking compares every tensor's dtype, shape and sha256 (C order, little-endian; bfloat16 as
its 16-bit pattern, bool as bytes 0/1) with Tests/Fixtures/manifests.json, and the key sets.
Exit status: 0 = all good, 1 = a mismatch or error, 77 = a module is missing (only outside CI:
with CI=true a missing module is a failure).
"""
import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFESTS = os.path.join(HERE, "..", "Fixtures", "manifests.json")

try:
    import h5py
    import numpy as np
    import safetensors
    from safetensors import safe_open
except ImportError as e:  # pragma: no cover - depends on the machine
    if os.environ.get("CI") == "true":
        print(f"interop: FAILED: a required module is missing under CI: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"interop: skipped: {e} (pip install h5py numpy safetensors)")
    sys.exit(77)

ST_DTYPES = {
    "BOOL": "bool", "U8": "uint8", "I8": "int8", "I16": "int16", "U16": "uint16", "F16": "float16",
    "BF16": "bfloat16", "I32": "int32", "U32": "uint32", "F32": "float32", "F64": "float64",
    "I64": "int64", "U64": "uint64", "C64": "complex64",
}

failures = []


def fail(msg):
    failures.append(msg)
    print("MISMATCH " + msg, file=sys.stderr)


def sha(arr):
    a = np.ascontiguousarray(arr)
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return hashlib.sha256(a.tobytes()).hexdigest()


def compare(where, key, dtype, shape, digest, want):
    if want is None:
        fail(f"{where}: {key!r} is not in the manifest")
        return
    if dtype != want["dtype"]:
        fail(f"{where}: {key!r} dtype {dtype} != {want['dtype']}")
    if list(shape) != want["shape"]:
        fail(f"{where}: {key!r} shape {list(shape)} != {want['shape']}")
    if digest != want["sha256"]:
        fail(f"{where}: {key!r} sha256 differs")


def check_h5(path, manifest):
    seen = set()
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != "tinify-weights":
            fail(f"{path}: root attribute format is {f.attrs.get('format')!r}")
        if int(f.attrs.get("format_version", -1)) != 1:
            fail(f"{path}: format_version is {f.attrs.get('format_version')!r}")
        if "state_dict" not in f:
            fail(f"{path}: no /state_dict")
            return 0
        datasets = []
        f["state_dict"].visititems(lambda name, obj: datasets.append((name, obj)) if isinstance(obj, h5py.Dataset) else None)
        for name, ds in datasets:
            key = ds.attrs.get("key")
            declared = ds.attrs.get("dtype")
            if not isinstance(key, str) or not isinstance(declared, str):
                fail(f"{path}: {name}: key/dtype attributes missing or not str")
                continue
            if key in seen:
                fail(f"{path}: key {key!r} twice")
            seen.add(key)
            arr = ds[()]
            arr = np.asarray(arr)
            if declared == "bfloat16":
                # h5py reads Tinify's 16-bit custom float as float32, losslessly.
                if arr.dtype != np.float32:
                    fail(f"{path}: {key!r}: bfloat16 read as {arr.dtype}, expected float32")
                    continue
                bits = np.ascontiguousarray(arr).view(np.uint32)
                if np.any(bits & 0xFFFF):
                    fail(f"{path}: {key!r}: bfloat16 values not exact in float32")
                digest = sha((bits >> 16).astype("<u2"))
                compare(path, key, "bfloat16", arr.shape, digest, manifest.get(key))
            else:
                compare(path, key, arr.dtype.name, arr.shape, sha(arr), manifest.get(key))
                if arr.dtype.name != declared:
                    fail(f"{path}: {key!r}: dtype attribute {declared} but h5py reads {arr.dtype}")
    missing = set(manifest) - seen
    if missing:
        fail(f"{path}: keys missing: {sorted(missing)[:5]}")
    return len(seen)


def check_safetensors(path, manifest):
    with open(path, "rb") as fh:
        data = fh.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    if (8 + n) % 8 != 0:
        fail(f"{path}: header not padded to a multiple of 8")
    base = 8 + n
    seen = set()
    # safe_open runs the reference validation (offsets, sizes, coverage) in Rust.
    with safe_open(path, framework="numpy") as f:
        for key in f.keys():
            info = header[key]
            dtype = ST_DTYPES.get(info["dtype"], info["dtype"])
            begin, end = info["data_offsets"]
            item = np.dtype("<u2" if dtype == "bfloat16" else dtype).itemsize
            if begin % item != 0:
                fail(f"{path}: {key!r} is not aligned ({begin} % {item})")
            if dtype == "bfloat16":  # numpy has no bfloat16: compare the raw bits
                raw = data[base + begin:base + end]
                digest = hashlib.sha256(raw).hexdigest()
                shape = info["shape"]
            else:
                arr = f.get_tensor(key)
                digest, shape = sha(arr), arr.shape
                if arr.dtype.name != dtype:
                    fail(f"{path}: {key!r}: header {dtype} but numpy reads {arr.dtype}")
            seen.add(key)
            compare(path, key, dtype, shape, digest, manifest.get(key))
    missing = set(manifest) - seen
    if missing:
        fail(f"{path}: keys missing: {sorted(missing)[:5]}")
    return len(seen)


def make_h5py(out):
    """Tinify's layout written by h5py, with what other tools do: no `key` on some datasets,
    big-endian data, gzip, h5py's bool and float16, complex, bfloat16 bits in uint16."""
    rng = np.random.default_rng(7)
    tensors = {
        "g_a.0.weight": rng.standard_normal((4, 3, 2, 2)).astype("<f4"),
        "g_a.0.bias": rng.standard_normal(4).astype(">f4"),
        "half": rng.standard_normal(5).astype("<f2"),
        "double.be": rng.standard_normal((2, 3)).astype(">f8"),
        "ints.i64": np.array([-(2**62), -1, 0, 1, 2**62], dtype=">i8"),
        "ints.u16": np.array([0, 1, 65535], dtype="<u2"),
        "flags": np.array([True, False, True, True]),
        "scalar": np.array(2.5, dtype="<f4"),
        "empty": np.zeros((0, 3), dtype="<f4"),
        "cplx": (rng.standard_normal(3) + 1j * rng.standard_normal(3)).astype("<c8"),
        "packed": rng.standard_normal((64, 64)).astype("<f4"),
    }
    bf16_bits = np.array([0x3F80, 0xBF80, 0x7F80, 0x0001, 0x4049], dtype="<u2")
    path = os.path.join(out, "h5py-layout.h5")
    expect = {}
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "tinify-weights"
        f.attrs["format_version"] = 1
        f.attrs["architecture"] = "bmshj2018-factorized"
        f.attrs["N"] = 8
        f.attrs["M"] = np.int32(12)
        f.attrs["producer"] = np.bytes_("h5py")  # a fixed-length string
        sd = f.create_group("state_dict")
        for key, arr in tensors.items():
            kw = {"compression": "gzip", "shuffle": True} if key == "packed" else {}
            ds = sd.create_dataset(key.replace(".", "/"), data=arr, **kw)
            if key != "g_a.0.bias":  # one dataset without attributes: its path is its key
                ds.attrs["key"] = key
                ds.attrs["dtype"] = "bool" if arr.dtype == bool else arr.dtype.name
            le = arr.astype(arr.dtype.newbyteorder("<")) if arr.dtype.byteorder == ">" else arr
            expect[key] = {"dtype": "bool" if arr.dtype == bool else le.dtype.name, "shape": list(arr.shape), "sha256": sha(le)}
        ds = sd.create_dataset("weird/bf16", data=bf16_bits)
        ds.attrs["key"] = "weird.bf16"
        ds.attrs["dtype"] = "bfloat16"
        ds.attrs["role"] = "buffer"
        expect["weird.bf16"] = {"dtype": "bfloat16", "shape": [5], "sha256": sha(bf16_bits)}
    with open(os.path.join(out, "h5py-layout.json"), "w") as fh:
        json.dump(expect, fh, indent=1)
    print(f"interop: wrote {path} ({len(expect)} tensors)")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--make-h5py":
        make_h5py(sys.argv[2])
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    with open(MANIFESTS) as fh:
        manifests = json.load(fh)
    files = tensors = 0
    for name in sorted(os.listdir(out)):
        stem, ext = os.path.splitext(name)
        if ext not in (".h5", ".safetensors"):
            continue
        if stem not in manifests:
            fail(f"{name}: no manifest for {stem}")
            continue
        path = os.path.join(out, name)
        try:
            tensors += (check_h5 if ext == ".h5" else check_safetensors)(path, manifests[stem])
        except Exception as e:  # a reader refusing the file is a failure, reported plainly
            fail(f"{name}: {type(e).__name__}: {e}")
        files += 1
    if files == 0:
        fail(f"no .h5 or .safetensors files in {out}")
    if failures:
        print(f"interop: FAILED: {len(failures)} mismatches", file=sys.stderr)
        return 1
    print(f"interop: ok: {files} files, {tensors} tensors (h5py {h5py.__version__}, numpy {np.__version__}, "
          f"safetensors {safetensors.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
