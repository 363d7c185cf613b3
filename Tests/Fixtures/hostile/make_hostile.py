#!/usr/bin/env python3
"""Crafts the hostile-input corpus of HostileInputTests (pure Python 3 standard library, no torch).

    python3 Tests/Fixtures/hostile/make_hostile.py      # writes *.pth and expected.json beside itself
    python3 Tests/Fixtures/hostile/make_hostile.py --verify-payloads
        # also proves the code-execution files are live: unpickles each with CPython's own
        # pickle in a child process, lists the markers that appear, then deletes them

Every pickle here is assembled opcode by opcode and every zip byte by byte, so each file holds
exactly the attack it is named after. `expected.json` maps each file to the error reading it
must give: the error's enum case path (`WeightError.pickle.forbiddenGlobal`) and a distinctive
substring of its one-line description. Two files under "valid" are not attacks: big-endian
checkpoints (zip and legacy) that must load with the values given.

Any payload that would run code if a real unpickler executed it only does
`touch /tmp/tinify-pwned-<file stem>`; the test checks that no such marker appears.
The output is deterministic: running the script twice gives identical bytes.
"""
import io
import json
import os
import struct
import sys
import tarfile
import zlib
from collections import OrderedDict

OUT = os.path.dirname(os.path.abspath(__file__))
CASES = OrderedDict()   # file name -> {"error", "contains", "about"}
VALID = OrderedDict()   # file name -> {"container", "about", "tensors": [{key, dtype, shape, le_hex}, …]}


def marker(stem):
    return f"/tmp/tinify-pwned-{stem}"


# ---------------------------------------------------------------------------------------------
# A small pickle assembler. Each helper returns the bytes of one value's opcodes.

def proto(n):
    return b"\x80" + bytes([n])


def s(text):  # BINUNICODE
    b = text.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def short_s(text):  # SHORT_BINUNICODE (protocol 4)
    b = text.encode()
    return b"\x8c" + bytes([len(b)]) + b


def i(n):  # the smallest integer opcode torch's pickler would use
    if 0 <= n < 256:
        return b"K" + bytes([n])
    if 0 <= n < 65536:
        return b"M" + struct.pack("<H", n)
    if -2**31 <= n < 2**31:
        return b"J" + struct.pack("<i", n)
    b = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(b)]) + b


def g(module, name):  # GLOBAL
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def tup(*items):
    if not items:
        return b")"
    return b"(" + b"".join(items) + b"t"


def ints(*ns):
    return tup(*(i(n) for n in ns))


def odict(*pairs):  # collections.OrderedDict() followed by SETITEMS
    body = g("collections", "OrderedDict") + b")R"
    if pairs:
        body += b"(" + b"".join(k + v for k, v in pairs) + b"u"
    return body


def pid(key, numel, cls="FloatStorage", legacy=False):  # a storage persistent id
    items = [s("storage"), g("torch", cls), s(key), s("cpu"), i(numel)]
    if legacy:
        items.append(b"N")
    return tup(*items) + b"Q"


def tensor(key, numel, size, stride, offset=0, cls="FloatStorage", legacy=False):
    """`torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`."""
    return (g("torch._utils", "_rebuild_tensor_v2") + b"(" + pid(key, numel, cls, legacy) + i(offset)
            + ints(*size) + ints(*stride) + b"\x89" + odict() + b"tR")


def state_dict(*pairs, protocol=2):
    """A pickle of an OrderedDict of (name, value-opcodes) pairs."""
    return proto(protocol) + odict(*((s(k), v) for k, v in pairs)) + b"."


def rce(stem, module, name):
    """`module.name('touch <marker>')` through GLOBAL + REDUCE, as `__reduce__` would pickle it."""
    return g(module, name) + tup(s("touch " + marker(stem))) + b"R"


# ---------------------------------------------------------------------------------------------
# A raw zip writer: every field can be overridden, so broken structures can be built on purpose.

def deflate(data, level=9):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflate_zeros(n, level=9):
    """Raw DEFLATE of `n` zero bytes, streamed so no large buffer is built."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    out = []
    while n > 0:
        k = min(n, len(chunk))
        out.append(c.compress(chunk[:k]))
        n -= k
    out.append(c.flush())
    return b"".join(out)


def crc_zeros(n):
    crc, chunk = 0, bytes(1 << 20)
    while n > 0:
        k = min(n, len(chunk))
        crc = zlib.crc32(chunk[:k], crc)
        n -= k
    return crc


def entry(name, data, method=0, **over):
    """A zip entry: `data` is what is written (already compressed when method is 8).
    Overrides: usize, crc, flags, cd_name, cd_lho (int or the name of another entry),
    cd_csize, cd_usize, no_local (write no local header; use with cd_lho)."""
    e = dict(name=name, data=data, method=method)
    e.update(over)
    return e


def build_zip(entries, *, eocd_count=None, eocd_cd_offset=None, zip64_locator=None, zip64_count=None, comment=b""):
    out = bytearray()
    offsets = {}
    for e in entries:
        if e.get("no_local"):
            continue
        name = e["name"].encode()
        data = e["data"]
        usize = e.get("usize", len(data))
        crc = e.get("crc", zlib.crc32(data) if e["method"] == 0 else 0)
        offsets[e["name"]] = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, e.get("flags", 0x0800), e["method"], 0, 0x21,
                           crc, len(data), usize, len(name), 0)
        out += name + data
    cd_start = len(out)
    for e in entries:
        name = e.get("cd_name", e["name"]).encode()
        lho = e.get("cd_lho", offsets.get(e["name"]))
        if isinstance(lho, str):
            lho = offsets[lho]
        data = e["data"]
        csize = e.get("cd_csize", len(data))
        usize = e.get("cd_usize", e.get("usize", len(data)))
        crc = e.get("crc", zlib.crc32(data) if e["method"] == 0 else 0)
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, e.get("flags", 0x0800), e["method"], 0, 0x21,
                           crc, csize, usize, len(name), 0, 0, 0, 0, 0, lho)
        out += name
    cd_size = len(out) - cd_start
    if zip64_count is not None:   # a ZIP64 end record (declaring zip64_count entries) and its locator
        z = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, zip64_count, zip64_count, cd_size, cd_start)
        zip64_locator = z
    if zip64_locator is not None:
        out += struct.pack("<IIQI", 0x07064B50, 0, zip64_locator, 1)
    n = len(entries) if eocd_count is None else eocd_count
    cdo = cd_start if eocd_cd_offset is None else eocd_cd_offset
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, cd_size, cdo, len(comment)) + comment
    return bytes(out)


def torch_zip(pkl, records=None, prefix="archive", byteorder=b"little", pkl_method=0, extra=()):
    """A torch-style archive: data.pkl, byteorder, data/<key>..., version (stored unless told)."""
    es = [entry(f"{prefix}/data.pkl", deflate(pkl) if pkl_method == 8 else pkl, pkl_method,
                usize=len(pkl), crc=zlib.crc32(pkl))]
    if byteorder is not None:
        es.append(entry(f"{prefix}/byteorder", byteorder))
    for k, v in (records or {}).items():
        es.append(entry(f"{prefix}/data/{k}", v))
    es.append(entry(f"{prefix}/version", b"3\n"))
    es.extend(extra)
    return build_zip(es)


# ---------------------------------------------------------------------------------------------
# The legacy stream format: magic, 1001, sys_info, main pickle, key list, then per key an int64
# element count and the raw bytes.

MAGIC = proto(2) + i(0x1950A86A20F9469CFC6C) + b"."
PROTOCOL_1001 = proto(2) + i(1001) + b"."


def sys_info(little=True):
    return (proto(2) + b"}(" + s("protocol_version") + i(1001) + s("little_endian") + (b"\x88" if little else b"\x89")
            + s("type_sizes") + b"}(" + s("short") + i(2) + s("int") + i(4) + s("long") + i(4) + b"uu.")


def key_list(keys):
    return proto(2) + b"](" + b"".join(s(k) for k in keys) + b"e."


def legacy(main, storages, little=True, keys=None, info=None):
    """`storages`: list of (key, element count, raw bytes)."""
    out = MAGIC + PROTOCOL_1001 + (info if info is not None else sys_info(little)) + main
    out += key_list(keys if keys is not None else [k for k, _, _ in storages])
    for _, count, data in storages:
        out += struct.pack("<q", count) + data
    return out


# ---------------------------------------------------------------------------------------------

def case(name, data, error, contains, about):
    assert name not in CASES, name
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    CASES[name] = {"error": error, "contains": contains, "about": about}


def stem(name):
    return name.rsplit(".", 1)[0]


F4 = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)
ONE_TENSOR = state_dict(("w", tensor("0", 4, [4], [1])))


def sd_zip(*pairs, records=None, protocol=2, **kw):
    return torch_zip(state_dict(*pairs, protocol=protocol), records if records is not None else {"0": F4}, **kw)


def raw_zip(pkl_body, records=None, **kw):
    """A torch archive whose data.pkl is `pkl_body` as given (protocol header included)."""
    return torch_zip(pkl_body, records if records is not None else {"0": F4}, **kw)


# === Code execution through globals =========================================================
# Each payload pickle runs `touch <marker>` under a real unpickler; the reader must refuse the
# global by name before anything else.

n = "rce-reduce-os-system.pth"
case(n, raw_zip(proto(2) + odict((s("w"), rce(stem(n), "os", "system"))) + b"."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "os.system via GLOBAL + REDUCE inside a state dict (what __reduce__ emits)")

n = "rce-reduce-builtins-eval.pth"
case(n, raw_zip(proto(2) + g("builtins", "eval") + tup(s(f"__import__('os').system('touch {marker(stem(n))}')")) + b"R."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'builtins.eval'",
     "builtins.eval of Python source via REDUCE (safetensors' torch_ace_create.py)")

n = "rce-reduce-posix-system.pth"
case(n, raw_zip(proto(2) + rce(stem(n), "posix", "system") + b"."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'posix.system'",
     "posix.system, the name os.system pickles as on Linux")

n = "rce-reduce-subprocess-popen.pth"
case(n, raw_zip(proto(2) + g("subprocess", "Popen") + tup(b"](" + s("touch") + s(marker(stem(n))) + b"e") + b"R."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'subprocess.Popen'",
     "subprocess.Popen(['touch', marker]) via REDUCE")

n = "rce-reduce-torch-load-from-bytes.pth"
case(n, raw_zip(proto(2) + g("torch.storage", "_load_from_bytes") + tup(b"C\x04" + b"PK\x03\x04") + b"R."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'torch.storage._load_from_bytes'",
     "a torch-module global that is not on the allow-list (it would call torch.load, unrestricted)")

n = "rce-stack-global-proto4.pth"
body = short_s("os") + b"\x94" + short_s("system") + b"\x94\x93\x94" + short_s("touch " + marker(stem(n))) + b"\x94\x85\x94R\x94."
case(n, raw_zip(proto(4) + b"\x95" + struct.pack("<Q", len(body)) + body),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "os.system through STACK_GLOBAL in a protocol-4 framed pickle (MEMOIZE, SHORT_BINUNICODE)")

n = "rce-stack-global-proto5-exec.pth"
body = short_s("builtins") + short_s("exec") + b"\x93" + short_s(f"import os; os.system('touch {marker(stem(n))}')") + b"\x85R."
case(n, raw_zip(proto(5) + b"\x95" + struct.pack("<Q", len(body)) + body),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'builtins.exec'",
     "builtins.exec through STACK_GLOBAL, protocol 5")

n = "rce-stack-global-non-string.pth"
case(n, raw_zip(proto(4) + i(1) + i(2) + b"\x93."),
     "WeightError.pickle.typeMismatch", "STACK_GLOBAL expects two strings but found int, int",
     "STACK_GLOBAL on two ints")

n = "rce-stack-global-newline.pth"
case(n, raw_zip(proto(4) + short_s("os\nerror") + short_s("system") + b"\x93."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'os\\nerror.system'",
     "STACK_GLOBAL with a newline in the module name (GLOBAL cannot hold one, STACK_GLOBAL can)")

n = "rce-build-setstate.pth"
# OrderedDict(); BUILD (None, {'__setstate__': os.system}); BUILD 'touch …' (a real unpickler would
# now call obj.__setstate__('touch …'), i.e. os.system).
case(n, raw_zip(proto(2) + odict() + tup(b"N", b"}" + s("__setstate__") + g("os", "system") + b"s") + b"b"
                + s("touch " + marker(stem(n))) + b"b."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "the BUILD gadget: state installs __setstate__ = os.system, a second BUILD calls it")

n = "rce-build-on-list.pth"
case(n, raw_zip(proto(2) + b"]" + b"}" + b"b."),
     "WeightError.pickle.typeMismatch", "BUILD expects an OrderedDict or a rebuilt tensor but found list",
     "BUILD applied to a list (Python would setattr on it)")

n = "rce-newobj-popen.pth"
case(n, raw_zip(proto(2) + g("subprocess", "Popen") + tup(b"](" + s("touch") + s(marker(stem(n))) + b"e") + b"\x81."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'subprocess.Popen'",
     "NEWOBJ of subprocess.Popen (only __new__ would run, but the class itself is forbidden)")

n = "rce-newobj-tensor-class.pth"
case(n, raw_zip(proto(2) + g("torch", "Tensor") + b")\x81."),
     "WeightError.pickle.typeMismatch", "NEWOBJ expects a callable but found torch.Tensor",
     "NEWOBJ on an allow-listed class that is only ever compared, never instantiated")

n = "rce-inst-os-system.pth"
case(n, raw_zip(b"(V" + ("touch " + marker(stem(n))).encode() + b"\nios\nsystem\n."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "os.system through protocol-0 INST")

n = "rce-obj-os-system.pth"
case(n, raw_zip(proto(1) + b"(" + g("os", "system") + s("touch " + marker(stem(n))) + b"o."),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "os.system through protocol-1 OBJ")

n = "rce-reduce-non-callable.pth"
case(n, raw_zip(proto(2) + g("torch", "FloatStorage") + tup(i(4)) + b"R."),
     "WeightError.pickle.typeMismatch", "REDUCE expects a callable but found torch.FloatStorage",
     "REDUCE on a storage class (allow-listed as a persistent-id tag only)")

n = "full-module-pickle.pth"
# What torch.save(model) writes: the module class by NEWOBJ, then its __dict__ by BUILD.
body = (proto(2) + g("compressai.models.google", "ScaleHyperprior") + b")\x81}(" + s("training") + b"\x89"
        + s("_modules") + odict((s("g_a"), g("torch.nn.modules.container", "Sequential") + b")\x81")) + b"ub.")
case(n, raw_zip(body),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'compressai.models.google.ScaleHyperprior'",
     "a full-module pickle, torch.save(model): the model class is named, not imported")

n = "full-module-pickle-torch-nn.pth"
body = (proto(2) + odict((s("conv"), g("torch.nn.modules.conv", "Conv2d") + b")\x81}(" + s("training") + b"\x88ub")) + b".")
case(n, raw_zip(body),
     "WeightError.pickle.forbiddenGlobal", "forbidden global 'torch.nn.modules.conv.Conv2d'",
     "a torch.nn module object inside a dict (torch.save of a module in a checkpoint)")

n = "rce-legacy-os-system.pth"
case(n, legacy(proto(2) + odict((s("w"), rce(stem(n), "os", "system"))) + b".", []),
     "WeightError.container.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "os.system in the main pickle of a legacy stream")

n = "rce-legacy-sys-info.pth"
case(n, MAGIC + PROTOCOL_1001 + proto(2) + rce(stem(n), "os", "system") + b".",
     "WeightError.container.pickle.forbiddenGlobal", "forbidden global 'os.system'",
     "os.system in the legacy sys_info pickle, before the main object")

n = "rce-from-type-v2.pth"
case(n, raw_zip(proto(2) + odict((s("w"), g("torch._tensor", "_rebuild_from_type_v2")
                                  + tup(g("collections", "OrderedDict"), g("torch", "Tensor"), tup(), b"}") + b"R")) + b"."),
     "WeightError.badCall", "cannot rebuild through collections.OrderedDict",
     "_rebuild_from_type_v2 asked to call something other than a tensor rebuild")

# === Not a weights checkpoint ===============================================================

n = "torchscript.pt"
case(n, build_zip([entry("model/data.pkl", proto(2) + b"}."), entry("model/constants.pkl", proto(2) + b")."),
                   entry("model/code/__torch__.py", b"class M(Module):\n  pass\n"), entry("model/version", b"3\n")]),
     "WeightError.container.unsupported", "a TorchScript archive",
     "torch.jit.save output: constants.pkl and code/")

n = "git-lfs-pointer.pth"
case(n, b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 1234567\n",
     "WeightError.container.notACheckpoint", "a Git LFS pointer file",
     "a Git LFS pointer (torch says 'Unsupported operand 118')")

n = "html-page.pth"
case(n, b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please log in.</body></html>\n",
     "WeightError.container.notACheckpoint", "an HTML or XML page",
     "an HTML page saved instead of the file (torch says \"invalid load key, '<'\")")

n = "empty.pth"
case(n, b"", "WeightError.container.empty", "empty file", "a zero-byte file")

n = "plain-pickle.pth"
case(n, proto(2) + b"}(" + s("a") + i(1) + b"u.",
     "WeightError.container.notACheckpoint", "a plain pickle without torch's magic number",
     "pickle.dump of a dict, not torch.save")

n = "tar-header.pth"
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
    for member, data in (("sys_info", sys_info()), ("pickle", proto(2) + b"}.")):
        info = tarfile.TarInfo(member)
        info.size, info.mtime = len(data), 0
        tf.addfile(info, io.BytesIO(data))
case(n, buf.getvalue(), "WeightError.container.unsupported", "the pre-2018 tar checkpoint format",
     "the pre-1.0 tar format (a PAX tar of sys_info, pickle, …)")

n = "zip-without-data-pkl.pth"
case(n, build_zip([entry("stuff/readme.txt", b"hello\n")]),
     "WeightError.container.notACheckpoint", "a zip archive without 'stuff/data.pkl'",
     "an ordinary zip file")

n = "zip-empty.pth"
case(n, build_zip([]), "WeightError.container.notACheckpoint", "an empty zip archive",
     "a zip archive with no entries (only an end-of-central-directory record)")

# === Truncation ==============================================================================

good = sd_zip(("w", tensor("0", 4, [4], [1])))
cd_at = good.index(b"PK\x01\x02")
n = "truncated-zip-half.pth"
case(n, good[:len(good) // 2], "WeightError.container.zip", "no end of central directory (truncated?)",
     "a zip archive cut in half (inside the records)")

n = "truncated-zip-central-directory.pth"
case(n, good[:cd_at + 30], "WeightError.container.zip", "no end of central directory (truncated?)",
     "a zip archive cut inside its central directory")

n = "truncated-zip-eocd.pth"
case(n, good[:-5], "WeightError.container.zip", "no end of central directory (truncated?)",
     "a zip archive missing the last 5 bytes of its end record")

n = "truncated-data-pkl.pth"
pkl = state_dict(("w", tensor("0", 4, [4], [1])), ("b", tensor("0", 4, [2], [1])))
case(n, torch_zip(pkl[:len(pkl) * 2 // 3], {"0": F4}), "WeightError.pickle.truncated",
     "pickle truncated at offset 167: needs 16 bytes, 15 remain",
     "data.pkl itself cut short (the zip structure is intact)")

n = "truncated-data-pkl-no-stop.pth"
case(n, torch_zip(pkl[:-1], {"0": F4}), "WeightError.pickle.truncated", "needs 1 bytes, 0 remain",
     "data.pkl missing only its STOP opcode")

n = "truncated-storage-record.pth"
case(n, sd_zip(("w", tensor("0", 4, [4], [1])), records={"0": F4[:7]}),
     "WeightError.container.recordSize", "record 'archive/data/0' holds 7 bytes but the checkpoint declares 16",
     "a storage record cut mid-element")

legacy_good = legacy(state_dict(("w", tensor("140", 4, [4], [1], legacy=True)), ("b", tensor("77", 2, [2], [1], cls="LongStorage", legacy=True))),
                     [("140", 4, F4), ("77", 2, struct.pack("<2q", 5, -6))])
n = "truncated-legacy-mid-storage.pth"
case(n, legacy_good[:-5], "WeightError.container.legacy", "storage '77' declares 2 elements, past the end of the file",
     "a legacy stream cut inside its last storage")

n = "truncated-legacy-storage-header.pth"
cut = len(legacy_good) - 16 - 4
case(n, legacy_good[:cut], "WeightError.container.legacy", "truncated before storage '77'",
     "a legacy stream cut inside a storage's int64 element count")

n = "truncated-legacy-before-key-list.pth"
main = state_dict(("w", tensor("140", 4, [4], [1], legacy=True)))
case(n, MAGIC + PROTOCOL_1001 + sys_info() + main, "WeightError.container.legacy",
     "legacy stream: the file ends before the storage key list (truncated?)",
     "a legacy stream that ends after its main pickle: no storage key list")

n = "truncated-legacy-main-pickle.pth"
case(n, MAGIC + PROTOCOL_1001 + sys_info() + main[:40], "WeightError.container.pickle.truncated",
     "pickle truncated at offset 157: needs 4 bytes, 3 remain",
     "a legacy stream cut inside its main pickle")

# === Memo abuse ==============================================================================

n = "memo-get-unset.pth"
case(n, raw_zip(proto(2) + b"h\x05."), "WeightError.pickle.missingMemo", "memo index 5 read before it was written",
     "BINGET of a memo slot never PUT")

n = "memo-get-huge-index.pth"
case(n, raw_zip(proto(2) + b"N" + b"r\x00\x00\x00\x00" + b"j\xff\xff\xff\xff."), "WeightError.pickle.missingMemo",
     "memo index 4294967295 read before it was written", "LONG_BINGET 2**32-1")

n = "memo-get-negative-text.pth"
case(n, raw_zip(b"Np0\ng-1\n."), "WeightError.pickle.invalidLiteral", "bad memo index '-1'",
     "protocol-0 GET of index -1")

n = "memo-put-negative-text.pth"
case(n, raw_zip(b"Np-5\n."), "WeightError.pickle.invalidLiteral", "bad memo index '-5'",
     "protocol-0 PUT of index -5")

# 1000 ints; then four levels of lists each holding 1000 references to the level below:
# 10**15 leaves if copied on BINGET, 4000 references as the pickle has them.
body = b"](" + i(7) * 1000 + b"e" + b"r" + struct.pack("<I", 0)
for lvl in range(1, 5):
    body += b"0](" + (b"j" + struct.pack("<I", lvl - 1)) * 1000 + b"e" + b"r" + struct.pack("<I", lvl)
n = "memo-bomb-lists.pth"
case(n, raw_zip(proto(2) + b"}" + s("bomb") + body + b"s."), "WeightError.limitExceeded",
     "decoded value size exceeds the limit of 1048576",
     "a billion-laughs memo bomb of lists: 10**15 values by reference from a 15 KB pickle")

body = b"(" + i(7) * 1000 + b"t" + b"r" + struct.pack("<I", 0)
for lvl in range(1, 5):
    body += b"0(" + (b"j" + struct.pack("<I", lvl - 1)) * 1000 + b"t" + b"r" + struct.pack("<I", lvl)
n = "memo-bomb-tuples.pth"
case(n, raw_zip(proto(2) + b"}" + s("bomb") + body + b"s."), "WeightError.limitExceeded",
     "decoded value size exceeds the limit of 1048576",
     "the same memo bomb built of tuples (immutable, so no container identity to lean on)")

body = tensor("0", 4, [4], [1]) + b"r" + struct.pack("<I", 0)
body += b"0](" + (b"j" + struct.pack("<I", 0)) * 1000 + b"e" + b"r" + struct.pack("<I", 1)
body += b"0](" + (b"j" + struct.pack("<I", 1)) * 1000 + b"e"
n = "memo-bomb-tensors.pth"
case(n, raw_zip(proto(2) + b"}" + s("bomb") + body + b"s."), "WeightError.limitExceeded",
     "number of tensors (a shared one counts once per use) exceeds the limit of 10000",
     "one tensor referenced a million times (1000 lists of 1000): each use would be a weight-store entry")

body = b"\x8b" + struct.pack("<i", 4096) + b"\x01" * 4095 + b"\x40" + b"r" + struct.pack("<I", 0)
body += b"0](" + (b"j" + struct.pack("<I", 0)) * 20000 + b"e"
n = "memo-bomb-bigint.pth"
case(n, raw_zip(proto(2) + b"}" + s("bomb") + body + b"s.", pkl_method=8), "WeightError.limitExceeded",
     "total size of big integers (bytes) up to 'bomb.4' exceeds the limit of 16384",
     "one 4096-byte LONG4 referenced 20000 times: each use would cost a quadratic decimal conversion")

# === Stack and MARK abuse ====================================================================

n = "stack-underflow-append.pth"
case(n, raw_zip(proto(2) + b"a."), "WeightError.pickle.stackUnderflow", "pickle stack underflow in APPEND",
     "APPEND on an empty stack")

n = "stack-underflow-reduce.pth"
case(n, raw_zip(proto(2) + b")R."), "WeightError.pickle.stackUnderflow", "pickle stack underflow in REDUCE",
     "REDUCE with only its argument tuple")

n = "stack-underflow-stop.pth"
case(n, raw_zip(proto(2) + b"."), "WeightError.pickle.stackUnderflow", "pickle stack underflow in STOP",
     "STOP with nothing to return")

n = "stack-overflow-nones.pth"
nones = proto(2) + b"N" * 3_000_000 + b"."
case(n, torch_zip(nones, {"0": F4}, pkl_method=8), "WeightError.pickle.limitExceeded",
     "pickle stack exceeds the limit of 1048576",
     "three million NONEs in a 3 KB file (data.pkl deflated 1000:1)")

n = "stack-overflow-dup.pth"
case(n, torch_zip(proto(2) + b"N" + b"2" * 2_000_000 + b".", {"0": F4}, pkl_method=8),
     "WeightError.pickle.limitExceeded", "pickle stack exceeds the limit of 1048576",
     "two million DUPs of one NONE, deflated")

n = "mark-overflow.pth"
case(n, raw_zip(proto(2) + b"(" * 100_000 + b".", pkl_method=8), "WeightError.pickle.limitExceeded", "open marks exceeds the limit of 4096",
     "100000 MARKs")

n = "mark-missing.pth"
case(n, raw_zip(proto(2) + b"NN" + b"t."), "WeightError.pickle.missingMark", "TUPLE without a MARK",
     "TUPLE with no MARK open")

n = "mark-hides-stack.pth"
case(n, raw_zip(proto(2) + b"](" + i(1) + b"\x86" + b"e."), "WeightError.pickle.stackUnderflow",
     "pickle stack underflow in TUPLE2",
     "TUPLE2 reaching below the open MARK for its second item")

n = "mark-stop-inside.pth"
case(n, raw_zip(proto(2) + b"N(."), "WeightError.pickle.stackUnderflow", "pickle stack underflow in STOP",
     "STOP while a MARK is open (the value below it is not the result)")

# === Length lies =============================================================================

n = "length-binunicode.pth"
case(n, raw_zip(proto(2) + b"X" + struct.pack("<I", 0x7FFFFFF0) + b"abc."), "WeightError.pickle.truncated",
     "needs 2147483632 bytes, 4 remain", "BINUNICODE declaring 2 GiB in a tiny file")

n = "length-binbytes8.pth"
case(n, raw_zip(proto(4) + b"\x8e" + struct.pack("<Q", 2**62) + b"abc."), "WeightError.pickle.truncated",
     "needs 4611686018427387904 bytes", "BINBYTES8 declaring 2**62 bytes")

n = "length-binunicode8-huge.pth"
case(n, raw_zip(proto(4) + b"\x8d" + struct.pack("<Q", 2**64 - 1) + b"abc."), "WeightError.pickle.truncated",
     "pickle truncated at offset 2", "BINUNICODE8 declaring 2**64-1 bytes (does not fit an Int)")

n = "length-long4.pth"
case(n, raw_zip(proto(2) + b"\x8b" + struct.pack("<i", 4000) + b"\x01" * 10 + b"."), "WeightError.pickle.truncated",
     "needs 4000 bytes, 11 remain", "LONG4 declaring 4000 bytes with 11 left")

n = "length-long4-over-limit.pth"
case(n, raw_zip(proto(2) + b"\x8b" + struct.pack("<i", 2**31 - 1) + b"."), "WeightError.pickle.limitExceeded",
     "integer size exceeds the limit of 4096", "LONG4 declaring 2 GiB of digits")

n = "length-frame.pth"
case(n, raw_zip(proto(4) + b"\x95" + struct.pack("<Q", 2**40) + b"N."), "WeightError.pickle.truncated",
     "needs 1099511627776 bytes, 2 remain", "FRAME declaring 1 TiB")

n = "length-binstring-negative.pth"
case(n, raw_zip(proto(1) + b"T" + struct.pack("<i", -5) + b"abc."), "WeightError.pickle.invalidLiteral",
     "negative BINSTRING length", "BINSTRING with a negative length")

n = "length-text-long-digits.pth"
case(n, raw_zip(b"L" + b"9" * 20000 + b"L\n."), "WeightError.pickle.limitExceeded", "integer literal exceeds the limit of 12288 at offset 0",
     "a protocol-0 LONG of 20000 digits")

# === Deep nesting (must not overflow the native stack) =======================================

n = "deep-tuples.pth"
case(n, raw_zip(proto(2) + b"N" + b"\x85" * 100_000 + b".", pkl_method=8), "WeightError.pickle.limitExceeded",
     "nesting depth exceeds the limit of 512", "100000 nested TUPLE1s")

n = "deep-lists.pth"
case(n, raw_zip(proto(2) + b"]" * 100_000 + b"a" * 99_999 + b".", pkl_method=8), "WeightError.limitExceeded",
     "value nesting depth exceeds the limit of 256", "100000 nested lists closed by a chain of APPENDs")

n = "deep-dicts.pth"
case(n, raw_zip(proto(2) + b"}" + (i(0) + b"}") * 100_000 + b"s" * 100_000 + b".", pkl_method=8), "WeightError.limitExceeded",
     "value nesting depth exceeds the limit of 256", "100000 nested dicts closed by SETITEMs")

n = "deep-rebuild-parameter.pth"
# _rebuild_parameter(_rebuild_parameter(…(tensor)…)) 20000 deep, built with TUPLE3 so no MARK limit
# stops it first: the decoder's recursion through calls must hit its depth limit, not the stack.
body = g("torch._utils", "_rebuild_parameter") + b"q\x00" + b"0" + b"h\x00" * 20_000 + tensor("0", 4, [4], [1]) + b"\x89}\x87R" * 20_000
case(n, raw_zip(proto(2) + b"}" + s("w") + body + b"s.", pkl_method=8), "WeightError.limitExceeded",
     "value nesting depth exceeds the limit of 256", "a Parameter of a Parameter of … 20000 deep")

n = "deep-persistent-ids.pth"
case(n, raw_zip(proto(2) + s("storage") + b"\x85" * 511 + b"Q."), "WeightError.pickle.limitExceeded",
     "nesting depth exceeds the limit of 512", "a persistent id nested 512 tuples deep (BINPERSID's own depth check)")

n = "self-referencing-list.pth"
case(n, raw_zip(proto(2) + b"]q\x00h\x00a."), "WeightError.limitExceeded", "a value that contains itself",
     "a list that contains itself (l.append(l))")

n = "self-referencing-dict.pth"
case(n, raw_zip(proto(2) + b"}q\x00" + s("me") + b"h\x00s."), "WeightError.limitExceeded", "a value that contains itself",
     "a dict that contains itself")

# === Container opcodes on the wrong type =====================================================

n = "setitem-on-list.pth"
case(n, raw_zip(proto(2) + b"]" + i(1) + i(2) + b"s."), "WeightError.pickle.typeMismatch",
     "SETITEM expects a dict but found list", "SETITEM on a list (CVE-2026-24747)")

n = "setitems-on-tensor.pth"
case(n, raw_zip(proto(2) + tensor("0", 4, [4], [1]) + b"(" + s("k") + i(1) + b"u."), "WeightError.pickle.typeMismatch",
     "SETITEMS expects a dict but found torch._utils._rebuild_tensor_v2(…)", "SETITEMS on a rebuilt tensor")

n = "append-on-dict.pth"
case(n, raw_zip(proto(2) + b"}" + i(1) + b"a."), "WeightError.pickle.typeMismatch",
     "APPEND expects a list but found dict", "APPEND on a dict")

n = "appends-on-tuple.pth"
case(n, raw_zip(proto(2) + b")(" + i(1) + b"e."), "WeightError.pickle.typeMismatch",
     "APPENDS expects a list but found tuple", "APPENDS on a tuple")

n = "unknown-opcode.pth"
case(n, raw_zip(proto(2) + b"\xff."), "WeightError.pickle.unknownOpcode", "unknown pickle opcode 0xff at offset 2",
     "opcode 0xff (gopickle indexes its 255-entry table with it)")

n = "protocol-6.pth"
case(n, raw_zip(proto(6) + b"N."), "WeightError.pickle.unsupportedProtocol", "unsupported pickle protocol 6",
     "PROTO 6")

n = "ext-opcode.pth"
case(n, raw_zip(proto(2) + b"\x82\x01."), "WeightError.pickle.unsupportedOpcode", "EXT (copyreg extension registry)",
     "EXT1: a global from the copyreg registry, not by name")

# === Storages, numel and views ===============================================================

n = "numel-record-mismatch.pth"
case(n, sd_zip(("w", tensor("0", 1000, [1000], [1]))), "WeightError.container.recordSize",
     "record 'archive/data/0' holds 16 bytes but the checkpoint declares 4000",
     "the pickle's numel (1000 floats) is larger than the record (4 floats)")

n = "numel-overflow.pth"
case(n, sd_zip(("w", tensor("0", 2**62, [4], [1], cls="DoubleStorage"))), "WeightError.badStorageReference",
     "storage '0' size overflows", "numel 2**62 DoubleStorage: numel * 8 overflows")

n = "numel-negative.pth"
case(n, sd_zip(("w", tensor("0", -4, [4], [1]))), "WeightError.badStorageReference",
     "storage '0' has no valid element count", "numel -4")

n = "numel-conflict-shared-storage.pth"
case(n, sd_zip(("a", tensor("0", 4, [4], [1])), ("b", tensor("0", 2, [2], [1]))), "WeightError.storageSize",
     "storage '0' declares 8 bytes but its record holds 16", "one storage key given two different sizes")

n = "view-out-of-bounds.pth"
case(n, sd_zip(("w", tensor("0", 4, [10], [1]))), "WeightError.badView.outOfBounds",
     "tensor 'w': view needs 10 elements but its storage holds 4", "size 10 over a 4-element storage")

n = "view-offset-out-of-bounds.pth"
case(n, sd_zip(("w", tensor("0", 4, [2, 2], [2, 1], offset=1))), "WeightError.badView.outOfBounds",
     "view needs 5 elements but its storage holds 4", "storage_offset 1 pushes a 2x2 view one past the end")

n = "view-offset-2-62.pth"
case(n, sd_zip(("w", tensor("0", 4, [1], [1], offset=2**62))), "WeightError.badView.outOfBounds",
     "view needs 4611686018427387905 elements but its storage holds 4", "storage_offset 2**62")

n = "view-offset-overflow.pth"
case(n, sd_zip(("w", tensor("0", 4, [2], [2**62], offset=2**62))), "WeightError.badView.overflow", "view size overflows",
     "offset 2**62 + stride 2**62: the extent overflows Int64")

n = "view-size-overflow.pth"
case(n, sd_zip(("w", tensor("0", 4, [2**62, 4], [1, 1]))), "WeightError.badView.overflow", "view size overflows",
     "sizes [2**62, 4]: the element count overflows")

n = "view-stride-overflow.pth"
case(n, sd_zip(("w", tensor("0", 4, [3], [2**62]))), "WeightError.badView.overflow", "view size overflows",
     "stride 2**62 over 3 elements")

n = "view-stride-2-62.pth"
case(n, sd_zip(("w", tensor("0", 4, [2], [2**62]))), "WeightError.badView.outOfBounds",
     "view needs 4611686018427387905 elements but its storage holds 4", "stride 2**62 over 2 elements")

n = "view-extent-int-max.pth"
case(n, sd_zip(("w", tensor("0", 4, [2**62], [1], offset=2**62))), "WeightError.badView.overflow", "view size overflows",
     "offset 2**62 + (2**62 - 1) * 1: the last index is exactly Int64.max, one more overflows")

n = "view-empty-huge-offset.pth"
case(n, sd_zip(("w", tensor("0", 4, [0, 1], [1, 2], offset=2**62))), "WeightError.badView.overflow", "view size overflows",
     "an empty view (nothing to bounds-check) at offset 2**62: offset * 4 bytes overflows when materialised")

n = "view-size-one-huge-stride.pth"
case(n, sd_zip(("w", tensor("0", 4, [4, 1], [0, 2**63 - 1]))), "WeightError.badView.overflow", "view size overflows",
     "a size-1 dimension (whose stride never moves) with stride 2**63-1: stride * 4 bytes overflows when gathered")

n = "view-key-control-chars.pth"
case(n, sd_zip(("w\r\nerror: all good\u2028", tensor("0", 4, [10], [1]))), "WeightError.badView.outOfBounds",
     "tensor 'w\\r\\nerror: all good\\u{2028}': view needs 10 elements but its storage holds 4",
     "a state-dict key with CR LF and U+2028, quoted in the error of its bad view")

n = "view-negative-stride.pth"
case(n, sd_zip(("w", tensor("0", 4, [4], [-1], offset=3))), "WeightError.badView.malformed", "negative stride in [-1]",
     "stride -1 (a flipped view; torch forbids them)")

n = "view-negative-size.pth"
case(n, sd_zip(("w", tensor("0", 4, [-4], [1]))), "WeightError.badView.malformed", "negative size in [-4]",
     "size -4")

n = "view-negative-offset.pth"
case(n, sd_zip(("w", tensor("0", 4, [4], [1], offset=-1))), "WeightError.badView.malformed", "negative storage offset -1",
     "storage_offset -1")

n = "view-rank-mismatch.pth"
case(n, sd_zip(("w", tensor("0", 4, [2, 2], [1]))), "WeightError.badView.malformed", "2 sizes but 1 strides",
     "two sizes, one stride")

n = "view-expanded-2-62.pth"
case(n, sd_zip(("w", tensor("0", 4, [2**62], [0]))), "WeightError.badView.overflow", "view size overflows",
     "stride 0 over 2**62 elements: in bounds, but its byte count (2**64) overflows")

n = "view-expanded-huge.pth"
case(n, sd_zip(("w", tensor("0", 4, [2**40, 2**10], [0, 0]))), "WeightError.limitExceeded",
     "tensor 'w': expanded view of 4503599627370496 bytes exceeds the limit of 268435456",
     "stride 0 over 2**50 elements: a 4 PiB view of a 16-byte storage")

n = "view-size-not-int.pth"
case(n, sd_zip(("w", g("torch._utils", "_rebuild_tensor_v2") + b"(" + pid("0", 4) + i(0) + tup(s("4")) + ints(1) + b"\x89" + odict() + b"tR")),
     "WeightError.badCall", "size holds str", "a size tuple holding a string")

n = "rebuild-too-few-args.pth"
case(n, sd_zip(("w", g("torch._utils", "_rebuild_tensor_v2") + tup(pid("0", 4), i(0)) + b"R")), "WeightError.badCall",
     "_rebuild_tensor_v2: 2 arguments, expected at least 4", "_rebuild_tensor_v2 with two arguments")

n = "storage-outside-tensor.pth"
case(n, sd_zip(("w", pid("0", 4))), "WeightError.badStorageReference", "a storage used outside a tensor rebuild at 'w'",
     "a bare storage as a state-dict value")

n = "storage-pid-not-storage.pth"
case(n, sd_zip(("w", tup(s("module"), g("torch", "FloatStorage"), s("0"), s("cpu"), i(4)) + b"Q")),
     "WeightError.badStorageReference", "is not a ('storage', …) tuple", "a ('module', …) persistent id")

n = "storage-class-not-storage.pth"
case(n, sd_zip(("w", g("torch._utils", "_rebuild_tensor_v2") + b"(" + tup(s("storage"), g("torch", "Size"), s("0"), s("cpu"), i(4)) + b"Q"
                + i(0) + ints(4) + ints(1) + b"\x89" + odict() + b"tR")),
     "WeightError.badStorageReference", "storage class at 'w' is global torch.Size",
     "a persistent id whose storage class is torch.Size")

n = "storage-key-data-pkl.pth"
case(n, sd_zip(("w", tensor("../data.pkl", 4, [4], [1]))), "WeightError.badStorageReference",
     "storage key '../data.pkl' is not a decimal number", "a storage key that would read data.pkl itself")

n = "storage-key-data-pkl-plain.pth"
case(n, sd_zip(("w", tensor("data.pkl", 4, [4], [1]))), "WeightError.badStorageReference",
     "storage key 'data.pkl' is not a decimal number", "a storage key naming data.pkl")

n = "storage-key-dotdot.pth"
case(n, sd_zip(("w", tensor("../x", 4, [4], [1]))), "WeightError.badStorageReference",
     "storage key '../x' is not a decimal number", "a storage key '../x'")

n = "storage-key-empty.pth"
case(n, sd_zip(("w", tensor("", 4, [4], [1]))), "WeightError.badStorageReference",
     "storage key '' is not a decimal number", "an empty storage key")

n = "storage-record-missing.pth"
case(n, sd_zip(("w", tensor("7", 4, [4], [1]))), "WeightError.container.missingRecord",
     "record 'archive/data/7' missing from the archive", "a storage key with no record")

n = "byteorder-bad.pth"
case(n, sd_zip(("w", tensor("0", 4, [4], [1])), byteorder=b"middle"), "WeightError.container.zip",
     "byteorder record says 'middle'", "a byteorder record that is neither little nor big")

n = "byteorder-huge.pth"
case(n, sd_zip(("w", tensor("0", 4, [4], [1])), byteorder=b"little" * 1000), "WeightError.container.recordTooLarge",
     "record 'archive/byteorder' declares 6000 bytes, over the limit of 64", "a 6000-byte byteorder record")

# === Zip structure and path tricks ===========================================================

pk = state_dict(("w", tensor("0", 4, [4], [1])))

n = "zip-entry-outside-prefix.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4), entry("other/data/0", F4)]),
     "WeightError.container.zip", "entry 'other/data/0' lies outside the archive prefix 'archive/'",
     "an entry under a second top-level folder")

n = "zip-no-prefix.pth"
case(n, build_zip([entry("data.pkl", pk), entry("data/0", F4)]), "WeightError.container.zip",
     "entry 'data.pkl' is not inside a top-level folder", "entries with no top-level folder at all")

n = "zip-duplicate-names.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4), entry("archive/data/0", struct.pack("<4f", 9, 9, 9, 9))]),
     "WeightError.container.zip", "duplicate entry 'archive/data/0'",
     "two records named data/0 (which one a reader takes differs between readers)")

n = "zip-overlapping-entries.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4),
                   entry("archive/data/1", F4, no_local=True, cd_lho="archive/data/0")]),
     "WeightError.container.zip", "entries 'archive/data/0' and 'archive/data/1' overlap",
     "two central-directory entries sharing one local header and its data")

n = "zip-overlapping-into-header.pth"
case(n, build_zip([entry("archive/data.pkl", pk, cd_csize=len(pk) + 20, cd_usize=len(pk) + 20), entry("archive/data/0", F4)]),
     "WeightError.container.zip", "entries 'archive/data.pkl' and 'archive/data/0' overlap",
     "data.pkl's declared size runs into the next entry's local header")

n = "zip-dotdot-name.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4), entry("archive/../../etc/x", b"x")]),
     "WeightError.container.zip", "unsafe entry name 'archive/../../etc/x'", "an entry climbing out with ../")

n = "zip-absolute-name.pth"
case(n, build_zip([entry("/archive/data.pkl", pk), entry("/archive/data/0", F4)]),
     "WeightError.container.zip", "unsafe entry name '/archive/data.pkl'", "absolute entry names")

n = "zip-backslash-name.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4), entry("archive\\..\\x", b"x")]),
     "WeightError.container.zip", "unsafe entry name 'archive\\..\\x'", "a Windows-style ..\\ entry name")

n = "zip-name-control-chars.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4), entry("other\n\x1b[31merror: forged/x", b"x")]),
     "WeightError.container.zip", "entry 'other\\n\\u{1b}[31merror: forged/x' lies outside the archive prefix 'archive/'",
     "an entry name with a newline and an ANSI escape: the error must stay one line and forge nothing")

n = "zip-cd-outside-file.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4)], eocd_cd_offset=10**9),
     "WeightError.container.zip", "central directory lies outside the file", "the end record points past the file")

n = "zip-entry-count-lie.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4)], eocd_count=65535),
     "WeightError.container.zip", "bad central directory entry", "the end record claims 65535 entries")

n = "zip-bad-local-header.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4, cd_lho=5)]),
     "WeightError.container.zip", "bad local header for 'archive/data/0'", "a local-header offset into the middle of data")

n = "zip-data-past-central-directory.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4, cd_csize=10**6, cd_usize=10**6)]),
     "WeightError.container.zip", "data of 'archive/data/0' runs past the central directory",
     "a record declaring 1 MB in a 500-byte file")

n = "zip-encrypted.pth"
case(n, build_zip([entry("archive/data.pkl", pk, flags=0x0801), entry("archive/data/0", F4)]),
     "WeightError.container.zip", "encrypted entry", "an entry flagged as encrypted")

n = "zip-stored-size-mismatch.pth"
case(n, build_zip([entry("archive/data.pkl", pk, cd_usize=len(pk) - 10), entry("archive/data/0", F4)]),
     "WeightError.container.zip", "stored entry 'archive/data.pkl' has compressed size 163 but size 153",
     "a stored (uncompressed) record whose two sizes disagree")

n = "zip-method-bzip2.pth"
case(n, build_zip([entry("archive/data.pkl", pk, method=12), entry("archive/data/0", F4)]),
     "WeightError.container.unsupported", "compression method 12 of 'archive/data.pkl'", "a bzip2 record")

n = "zip64-entry-count-lie.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4)], zip64_count=1 << 20),
     "WeightError.container.zip", "bad central directory entry",
     "a ZIP64 end record claiming 2**20 entries for a two-entry directory")

n = "zip64-entry-count-huge.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4)], zip64_count=1 << 40),
     "WeightError.container.zip", "1099511627776 entries, over the limit of 1048576",
     "a ZIP64 end record claiming 2**40 entries")

n = "zip64-bad-locator.pth"
case(n, build_zip([entry("archive/data.pkl", pk), entry("archive/data/0", F4)], zip64_locator=2**40),
     "WeightError.container.zip", "bad ZIP64 end of central directory", "a ZIP64 locator pointing past the file")

# === Deflate bombs ===========================================================================

ZEROS_64M = deflate_zeros(64 << 20)
n = "deflate-bomb-data-pkl.pth"
case(n, build_zip([entry("archive/data.pkl", ZEROS_64M, 8, usize=1 << 30, crc=0), entry("archive/version", b"3\n")]),
     "WeightError.container.recordTooLarge", "record 'archive/data.pkl' declares 1073741824 bytes, over the limit of 134217728",
     "data.pkl deflated, declaring 1 GiB")

n = "deflate-bomb-lying-size.pth"
case(n, build_zip([entry("archive/data.pkl", ZEROS_64M, 8, usize=4096, crc=0), entry("archive/version", b"3\n")]),
     "WeightError.container.inflate", "record 'archive/data.pkl': inflates past its declared size of 4096 bytes",
     "data.pkl declaring 4 KiB whose DEFLATE stream holds 64 MiB")

BOMB = 320 << 20
n = "deflate-bomb-storage.pth"
case(n, build_zip([entry("archive/data.pkl", state_dict(("w", tensor("0", BOMB // 4, [BOMB // 4], [1])))),
                   entry("archive/data/0", deflate_zeros(BOMB), 8, usize=BOMB, crc=crc_zeros(BOMB))]),
     "WeightError.container.inflate",
     "record 'archive/data/0': declares 335544320 bytes from 326144 compressed, over the inflation budget of 67108864 bytes",
     "a storage record of 320 MiB of zeros deflated to 320 KB, and a pickle that asks for all of it")

n = "deflate-corrupt.pth"
case(n, build_zip([entry("archive/data.pkl", b"\xff" * 64, 8, usize=500, crc=0), entry("archive/data/0", F4)]),
     "WeightError.container.inflate", "record 'archive/data.pkl': corrupt compressed data", "a DEFLATE stream of garbage")

# === Legacy stream structure =================================================================

n = "legacy-bad-protocol-version.pth"
case(n, MAGIC + proto(2) + i(1000) + b"." + sys_info() + main, "WeightError.container.legacy",
     "protocol version is not 1001", "a legacy stream declaring protocol 1000")

n = "legacy-sys-info-not-dict.pth"
case(n, MAGIC + PROTOCOL_1001 + proto(2) + b"N." + main, "WeightError.container.legacy", "sys_info is not a dict",
     "a legacy stream whose sys_info is None")

n = "legacy-key-list-not-list.pth"
case(n, MAGIC + PROTOCOL_1001 + sys_info() + main + proto(2) + s("140") + b".", "WeightError.container.legacy",
     "storage key list is not a list", "a legacy stream whose key list is a string")

n = "legacy-count-lie.pth"
case(n, legacy(main, [("140", 2**61, F4)]), "WeightError.container.legacy",
     "storage '140' declares 2305843009213693952 elements, past the end of the file",
     "a legacy storage count of 2**61 floats")

n = "legacy-count-negative.pth"
case(n, legacy(main, [("140", -1, F4)]), "WeightError.container.legacy",
     "storage '140' declares 18446744073709551615 elements, past the end of the file",
     "a legacy storage count of -1")

n = "legacy-count-mismatch.pth"
case(n, legacy(main, [("140", 3, F4[:12])]), "WeightError.container.recordSize",
     "record 'legacy storage 140' holds 12 bytes but the checkpoint declares 16",
     "a legacy storage of 3 floats where the pickle says 4")

n = "legacy-key-unreferenced.pth"
case(n, legacy(main, [("140", 4, F4), ("999", 1, F4[:4])]), "WeightError.container.legacy",
     "storage '999' is listed but never referenced", "a legacy key list naming a storage no tensor uses")

n = "legacy-key-twice.pth"
case(n, legacy(main, [("140", 4, F4), ("140", 4, F4)]), "WeightError.container.legacy",
     "storage '140' listed twice", "a legacy key list naming one storage twice")

n = "legacy-key-not-string.pth"
case(n, MAGIC + PROTOCOL_1001 + sys_info() + main + proto(2) + b"](" + i(140) + b"e.", "WeightError.container.legacy",
     "storage key is a int, not a string", "a legacy key list holding an int")

n = "legacy-view-out-of-bounds.pth"
main_view = state_dict(("w", g("torch._utils", "_rebuild_tensor_v2") + b"(" + tup(s("storage"), g("torch", "FloatStorage"), s("140"), s("cpu"), i(4), tup(s("140"), i(2), i(8))) + b"Q"
                              + i(0) + ints(2) + ints(1) + b"\x89" + odict() + b"tR"))
case(n, legacy(main_view, [("140", 4, F4)]), "WeightError.badStorageReference",
     "legacy view of storage '140' lies outside it", "a pre-1.0 view (offset 2, size 8) of a 4-element storage")

# === Valid files: big-endian checkpoints must load with the right values ===================

def be_valid():
    f32 = [1.5, -2.0, 3.25, 1e10, float("inf"), -0.0]
    i64 = [1, -2, 2**40, -2**62]
    f16 = [1.0, -0.5, 65504.0]
    i16 = [258, -2]
    u8 = [1, 2, 255]
    recs = {
        "0": struct.pack(">6f", *f32),
        "1": struct.pack(">4q", *i64),
        "2": struct.pack(">3e", *f16),
        "3": struct.pack(">2h", *i16),
        "4": bytes(u8),
    }
    pairs = [
        ("f32", tensor("0", 6, [6], [1])),
        ("f32_t", tensor("0", 6, [3, 2], [1, 3])),     # the transpose of a 2x3 view: gather + swap
        ("i64", tensor("1", 4, [2, 2], [2, 1], cls="LongStorage")),
        ("f16", tensor("2", 3, [2], [1], offset=1, cls="HalfStorage")),
        ("i16", tensor("3", 2, [2], [1], cls="ShortStorage")),
        ("u8", tensor("4", 3, [3], [1], cls="ByteStorage")),
    ]
    t_f32 = [f32[r + 3 * c] for r in range(3) for c in range(2)]
    want = OrderedDict([
        ("f32", ("float32", [6], struct.pack("<6f", *f32))),
        ("f32_t", ("float32", [3, 2], struct.pack("<6f", *t_f32))),
        ("i64", ("int64", [2, 2], struct.pack("<4q", *i64))),
        ("f16", ("float16", [2], struct.pack("<2e", *f16[1:]))),
        ("i16", ("int16", [2], struct.pack("<2h", *i16))),
        ("u8", ("uint8", [3], bytes(u8))),
    ])
    return recs, pairs, want


recs, pairs, want = be_valid()
tensors = [{"key": k, "dtype": d, "shape": sh, "le_hex": b.hex()} for k, (d, sh, b) in want.items()]

n = "valid-big-endian.pth"
with open(os.path.join(OUT, n), "wb") as f:
    f.write(torch_zip(state_dict(*pairs), recs, byteorder=b"big"))
VALID[n] = {"container": "torch-zip", "about": "byteorder=big with byte-swapped records: values must come out right",
            "tensors": tensors}

n = "valid-legacy-big-endian.pth"
lmain = state_dict(*[(k, tensor(*spec, legacy=True)) for k, spec in [
    ("f32", ("1000", 6, [6], [1])), ("f32_t", ("1000", 6, [3, 2], [1, 3])),
    ("i64", ("1001", 4, [2, 2], [2, 1], 0, "LongStorage")), ("f16", ("1002", 3, [2], [1], 1, "HalfStorage")),
    ("i16", ("1003", 2, [2], [1], 0, "ShortStorage")), ("u8", ("1004", 3, [3], [1], 0, "ByteStorage"))]])
lstor = [(str(1000 + int(k)), len(v) // {"0": 4, "1": 8, "2": 2, "3": 2, "4": 1}[k], v) for k, v in recs.items()]
with open(os.path.join(OUT, n), "wb") as f:
    f.write(legacy(lmain, sorted(lstor), little=False))
VALID[n] = {"container": "torch-legacy", "about": "a legacy stream whose sys_info says little_endian=False",
            "tensors": tensors}

# ---------------------------------------------------------------------------------------------

for name in os.listdir(OUT):   # drop files of cases that no longer exist
    if name.endswith((".pth", ".pt")) and name not in CASES and name not in VALID:
        os.remove(os.path.join(OUT, name))

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({
        "about": "Made by make_hostile.py. hostile: each file must be refused with an error whose case path is "
                 "'error' and whose one-line description contains 'contains'. valid: each file must load with "
                 "these tensors (le_hex = the C-order little-endian bytes).",
        "marker_prefix": "/tmp/tinify-pwned-",
        "hostile": CASES,
        "valid": VALID,
    }, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(CASES)} hostile files, {len(VALID)} valid files in {OUT}")


def verify_payloads():
    """Runs every code-execution file through CPython's unrestricted pickle, in a child process,
    and reports which ones created their marker (then removes the markers)."""
    import glob
    import subprocess
    child = (
        "import io, pickle, sys, zipfile\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "if data[:4] == b'PK\\x03\\x04':\n"
        "    z = zipfile.ZipFile(sys.argv[1])\n"
        "    pickle.loads(z.read([n for n in z.namelist() if n.endswith('data.pkl')][0]))\n"
        "else:\n"
        "    u = pickle.Unpickler(io.BytesIO(data))\n"
        "    for _ in range(5): u.load()\n")
    live = []
    for name in CASES:
        if not name.startswith("rce-"):
            continue
        subprocess.run([sys.executable, "-c", child, os.path.join(OUT, name)], capture_output=True, timeout=60)
        if os.path.exists(marker(stem(name))):
            live.append(name)
    for m in glob.glob(marker("*")):
        os.remove(m)
    print(f"{len(live)} live payloads (each touched its marker under CPython's pickle): {', '.join(live)}")


if "--verify-payloads" in sys.argv:
    verify_payloads()
