#!/usr/bin/env python3
"""Crafts the command-line hostile suite of CommandLineHostileTests: HDF5 files that reach other
files or crash libhdf5, runtime shape lies, allocation bombs, invalid bool tensors.

    python3 Tests/Fixtures/hostile-cli/make_hostile_cli.py   # needs h5py and numpy

Writes the files and cases.json beside itself. Each case names the command line (`{file}` is the
hostile file, `{out}` a fresh output path, `{sample}` the sample checkpoint) and a substring its
one-line error must contain. Deterministic: the same bytes on every run with the same h5py.
"""
import json, os, struct, sys, zlib
import numpy as np
import h5py

OUT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(OUT, "..", "hostile"))
import make_hostile as mh  # the raw torch zip / pickle writers  # noqa: E402

CASES = []


def case(name, args, contains, about):
    CASES.append({"file": name, "args": args, "contains": contains, "about": about})


def path(name):
    p = os.path.join(OUT, name)
    if os.path.exists(p):
        os.remove(p)
    return p


def h5(name):
    return h5py.File(path(name), "w", track_order=True)


READERS = [["inspect", "--digest", "{file}"], ["verify", "{file}"], ["convert", "{file}", "{out}.safetensors"]]

# --- HDF5: data from other files --------------------------------------------------------------
for stem, target, size in [("passwd", "/etc/passwd", 64), ("environ", "/proc/self/environ", 64),
                           ("fifo", "/tmp/tinify-hostile-fifo", 64), ("devzero", "/dev/zero", 1 << 28)]:
    name = f"h5-external-{stem}.h5"
    with h5(name) as f:
        g = f.create_group("state_dict")
        g.create_dataset("w", shape=(size // 4,), dtype="<f4", external=[(target, 0, size)])
    for a in READERS:
        case(name, a, "external storage", f"a dataset stored in {target}")

with h5("h5-vds-source.h5") as f:
    f.create_group("state_dict").create_dataset("w", data=np.arange(16, dtype="<f4"))
for stem, source in [("other-file", "h5-vds-source.h5"), ("self", "."), ("missing", "h5-does-not-exist.h5")]:
    name = f"h5-virtual-{stem}.h5"
    with h5(name) as f:
        layout = h5py.VirtualLayout(shape=(16,), dtype="<f4")
        layout[:] = h5py.VirtualSource(source, "state_dict/w" if stem != "self" else "state_dict/v", shape=(16,))
        g = f.create_group("state_dict")
        if stem == "self":
            g.create_dataset("v", data=np.zeros(16, dtype="<f4"))
        g.create_virtual_dataset("w", layout, fillvalue=7)
    case(name, ["inspect", "--digest", "{file}"], "virtual dataset", f"a virtual dataset over {source}")

name = "h5-external-link-state-dict.h5"
with h5(name) as f:
    f["state_dict"] = h5py.ExternalLink("h5-vds-source.h5", "/state_dict")
case(name, ["inspect", "--digest", "{file}"], "external link", "/state_dict is an external link to another file")
name = "h5-external-link-elsewhere.h5"
with h5(name) as f:
    f.create_group("state_dict").create_dataset("w", data=np.ones(4, dtype="<f4"))
    f.create_group("other")["x"] = h5py.ExternalLink("/etc/passwd", "/x")
case(name, ["verify", "{file}"], "external link", "an external link outside /state_dict")
name = "h5-soft-link-in-state-dict.h5"
with h5(name) as f:
    f.create_group("data").create_dataset("w", data=np.ones(4, dtype="<f4"))
    f.create_group("state_dict")["w"] = h5py.SoftLink("/data/w")
case(name, ["inspect", "{file}"], "soft link", "a soft link inside /state_dict")

# --- HDF5: allocation --------------------------------------------------------------------------
name = "h5-chunks-never-written.h5"
with h5(name) as f:
    g = f.create_group("state_dict")
    for i in range(1500):
        g.create_dataset(f"w{i}", shape=(1 << 18,), dtype="<f4", chunks=(1 << 18,))
case(name, ["inspect", "--digest", "{file}"], "data never written", "1500 × 1 MiB chunked datasets with no chunk written")
name = "h5-gzip-total.h5"
with h5(name) as f:
    g = f.create_group("state_dict")
    for i in range(600):
        g.create_dataset(f"w{i}", data=np.zeros(1 << 18, dtype="<f4"), chunks=(1 << 18,), compression="gzip", compression_opts=9)
case(name, ["convert", "{file}", "{out}.safetensors"], "bytes read through libhdf5", "600 gzip datasets inflating to 600 MiB in all")
name = "h5-too-many-datasets.h5"
with h5py.File(path(name), "w", libver="latest") as f:
    g = f.create_group("state_dict")
    for i in range(10001):
        g.create_dataset(f"w{i}", shape=(0,), dtype="<f4")
case(name, ["inspect", "{file}"], "dataset count exceeds the limit of 10000", "10001 empty datasets")
name = "h5-filter-plugin.h5"
with h5(name) as f:
    g = f.create_group("state_dict")
    g.create_dataset("w", data=np.zeros(1024, dtype="<f4"), chunks=(1024,), compression="lzf")
case(name, ["inspect", "{file}"], "filter 32000", "a dataset behind a filter plugin (lzf, id 32000)")
name = "h5-bool-two.h5"
with h5(name) as f:
    g = f.create_group("state_dict")
    d = g.create_dataset("b", data=np.array([0, 1, 2, 1], dtype=np.int8), dtype=h5py.enum_dtype({"FALSE": 0, "TRUE": 1}, basetype="i1"))
    d.attrs["dtype"] = "bool"
case(name, ["convert", "{file}", "{out}.h5"], "holds 2, not 0 or 1", "a bool dataset holding 2")

# --- safetensors -------------------------------------------------------------------------------
def safetensors(entries, data=b""):
    header = json.dumps(entries, separators=(",", ":")).encode()
    return struct.pack("<Q", len(header)) + header + data

name = "st-too-many-tensors.safetensors"
with open(path(name), "wb") as f:
    f.write(safetensors({f"t{i}": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]} for i in range(10001)}))
case(name, ["inspect", "{file}"], "more than 10000 tensors", "10001 empty tensors")
name = "st-bool-two.safetensors"
with open(path(name), "wb") as f:
    f.write(safetensors({"b": {"dtype": "BOOL", "shape": [4], "data_offsets": [0, 4]}}, bytes([0, 1, 2, 1])))
case(name, ["convert", "{file}", "{out}.h5"], "holds 2, not 0 or 1", "a safetensors bool holding 2")

# --- .pth ----------------------------------------------------------------------------------------
name = "pth-bool-shares-float-storage.pth"
with open(path(name), "wb") as f:
    f.write(mh.sd_zip(("w", mh.tensor("0", 4, [4], [1])), ("b", mh.tensor("0", 16, [16], [1], cls="BoolStorage"))))
case(name, ["convert", "{file}", "{out}.h5"], "not 0 or 1", "a bool tensor viewing a float storage")
name = "pth-expand-1gib.pth"
with open(path(name), "wb") as f:
    f.write(mh.sd_zip(("w", mh.tensor("0", 1, [1 << 14, 1 << 14], [0, 0])), records={"0": struct.pack("<f", 1.0)}))
case(name, ["convert", "{file}", "{out}.safetensors"], "expanded view", "a 1-element storage expanded (stride 0) to 1 GiB")

# --- runtime: shape lies -------------------------------------------------------------------------
# The sample checkpoint's tensors (converted by tinify: TINIFY names the binary, default the
# debug build), with g_a.2.weight's shape [16, 16, 5, 5] declared as [8, 32, 5, 5].
import subprocess, tempfile  # noqa: E402
ROOT = os.path.join(OUT, "..", "..", "..")
with tempfile.TemporaryDirectory() as tmp:
    st = os.path.join(tmp, "sample.safetensors")
    subprocess.run([os.environ.get("TINIFY", os.path.join(ROOT, ".build", "debug", "tinify")), "convert",
                    os.path.join(ROOT, "Tests", "Fixtures", "random-samples", "bmshj2018-hyperprior-N16-M24.pth"), st], check=True, capture_output=True)
    raw = open(st, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
assert header["g_a.2.weight"]["shape"] == [16, 16, 5, 5]
header["g_a.2.weight"]["shape"] = [8, 32, 5, 5]
text = json.dumps(header, separators=(",", ":")).encode()
with open(path("rt-shape-lie.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + raw[8 + n:])
case("rt-shape-lie.safetensors", ["eval", "--arch", "bmshj2018-hyperprior", "--checkpoint", "{file}", "{image}"], "g_a.2.weight", "g_a.2.weight as [8, 32, 5, 5], with --arch")
case("rt-shape-lie.safetensors", ["compress", "--arch", "bmshj2018-hyperprior", "--checkpoint", "{file}", "{image}", "-o", "{out}.bin"], "g_a.2.weight", "the same with compress --arch")
case("rt-shape-lie.safetensors", ["eval", "--checkpoint", "{file}", "{image}"], "no architecture fits", "the same without --arch")

# --- allocation in the image commands --------------------------------------------------------------
def png(w, h, gray=True):
    raw = b"".join(b"\x00" + bytes(w * (1 if gray else 3)) for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0 if gray else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

name = "img-8192-gray.png"
with open(path(name), "wb") as f:
    f.write(png(8192, 8192))
case(name, ["eval", "--checkpoint", "{sample}", "{file}"], "over the budget", "an 8192×8192 grayscale PNG of 64 KB")
case(name, ["compress", "--checkpoint", "{sample}", "{file}", "-o", "{out}.bin", "--max-memory", "1G"], "over the budget", "the same with compress and a 1 GiB budget")
# codec.py header: model id 2 (bmshj2018-hyperprior), metric/quality, height, width, depth, shape, 2 strings
for side, args, contains in [(8192, [], "at most 16777216 pixels"), (4096, ["--max-memory", "1G"], "over the budget")]:
    name = f"bin-declares-{side}.bin"
    with open(path(name), "wb") as f:
        f.write(struct.pack(">BBIIBIII", 2, 0, side, side, 8, side // 64, side // 64, 2) + struct.pack(">I", 4) + b"\0\0\0\0" + struct.pack(">I", 4) + b"\0\0\0\0")
    case(name, ["decompress", "--checkpoint", "{sample}", "{file}", "-o", "{out}.png"] + args, contains, f"a 44-byte .bin declaring {side}×{side}")

# --- The memory budget of the reading commands (--max-memory / TINIFY_MAX_MEMORY) -------------
SIZE = 8 << 20
name = "pth-deflated-8mib.pth"
with open(path(name), "wb") as f:
    f.write(mh.torch_zip(mh.state_dict(("w", mh.tensor("0", SIZE // 4, (SIZE // 4,), (1,)))), records={},
                         extra=[mh.entry("archive/data/0", mh.deflate_zeros(SIZE), 8, usize=SIZE, crc=mh.crc_zeros(SIZE))]))
name_h5 = "h5-gzip-8mib.h5"
with h5(name_h5) as f:
    f.create_group("state_dict").create_dataset("w", data=np.zeros(SIZE // 4, dtype="<f4"), chunks=(1 << 18,), compression="gzip")
for n, what in [(name, "an 8 MiB deflated storage in a 9 KB .pth"), (name_h5, "an 8 MiB gzip dataset in a small .h5")]:
    for a in READERS + [["update", "{file}", "{out}.pth"], ["diff", "{file}", "{file}"]]:
        case(n, a + ["--max-memory", "4M"], "over the budget of 4.0 MiB", what + ", read under --max-memory 4M")

# --- Found by the fuzzer (Tests/Fuzz), committed as found rather than generated ---------------
# fuzz-hdf5-spin-*.h5: fuzzed copies of a Tinify-written .h5 on which libhdf5 1.10 loops (CPU
# bound, no end seen in 10 s); the helper's deadline stops it.
for name in sorted(n for n in os.listdir(OUT) if n.startswith("fuzz-hdf5-spin-")):
    for a in READERS:
        case(name, a, "libhdf5 did not finish within", "a fuzzed .h5 on which libhdf5 spins")

# fuzz-model-huge-latent.pth: a fuzzed bmshj2018-factorized checkpoint whose latent reaches
# 1e30 or more; rounding it to a symbol trapped (Float → Int) in compress.
case("fuzz-model-huge-latent.pth", ["compress", "--checkpoint", "{file}", "{image}", "-o", "{out}.bin"],
     "does not fit in a 32-bit symbol", "a fuzzed checkpoint whose latent does not fit a symbol")

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump({"cases": CASES}, f, indent=1)
print(f"{len(CASES)} cases")
