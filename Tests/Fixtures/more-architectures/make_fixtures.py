#!/usr/bin/env python3
"""Deterministic fixtures for six CompressAI 1.2.8 image models Tinify does
not support yet:

    bmshj2018-hyperprior-vbr       compressai.models.vbr.ScaleHyperpriorVbr
    mbt2018-mean-vbr               compressai.models.vbr.MeanScaleHyperpriorVbr
    mbt2018-vbr                    compressai.models.vbr.JointAutoregressiveHierarchicalPriorsVbr
    cheng2020-anchor-checkerboard  compressai.models.sensetime.Cheng2020AnchorCheckerboard
    elic2022-official              compressai.models.sensetime.Elic2022Official
    elic2022-chandelier            compressai.models.sensetime.Elic2022Chandelier

Usage:
    python3 make_fixtures.py [OUTDIR] [--with-default-groups]

OUTDIR defaults to the directory holding this script. The test image is
read from ../image-64x64.png (relative to this script). Everything is
seeded and single-threaded; two runs produce byte-identical files (checked
with torch 2.15.0 / compressai 1.2.8 on CPU).

See README.md (written by this script) for what every file is.
"""
import argparse
import hashlib
import json
import os
import sys
import warnings
from collections import OrderedDict

import numpy as np
import torch
from PIL import Image

import compressai
from compressai.entropy_models import GaussianConditional
from compressai.models.sensetime import (
    Cheng2020AnchorCheckerboard,
    Elic2022Chandelier,
    Elic2022Official,
)
from compressai.models.vbr import (
    JointAutoregressiveHierarchicalPriorsVbr,
    MeanScaleHyperpriorVbr,
    ScaleHyperpriorVbr,
)

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE = os.path.join(HERE, "..", "image-64x64.png")
SEED = 0

# eval_model's default --vbr_quantstep list (compressai/utils/eval_model/__main__.py).
EVAL_MODEL_DEFAULT_QUANTSTEPS = "10.0000,7.1715,5.1832,3.7211,2.6833,1.9305,1.3897,1.0000"
# The three rate points written to the VBR references (a subset of the above).
VBR_QUANTSTEPS = ["10.0000", "3.7211", "1.0000"]

# One entry per model fixture. "role":
#   primary  -> full set: .pth, -not-updated.pth, -reference.pt, keys, -broken.pth
#   variant  -> .pth, -not-updated.pth, -reference.pt, keys (no broken)
#   large    -> keys (and compress() facts in index.json) always; the .pth and
#               -reference.pt only with --with-default-groups (ELIC default
#               groups: 26 MB / 30 MB per .pth)
CONFIGS = [
    dict(arch="bmshj2018-hyperprior-vbr", cls=ScaleHyperpriorVbr,
         kwargs=dict(N=8, M=12), tag="N8-M12", role="primary", vbr=True),
    dict(arch="bmshj2018-hyperprior-vbr", cls=ScaleHyperpriorVbr,
         kwargs=dict(N=8, M=12, vr_entbttlnck=True), tag="N8-M12-vreb", role="variant", vbr=True),
    dict(arch="mbt2018-mean-vbr", cls=MeanScaleHyperpriorVbr,
         kwargs=dict(N=8, M=12), tag="N8-M12", role="primary", vbr=True),
    dict(arch="mbt2018-mean-vbr", cls=MeanScaleHyperpriorVbr,
         kwargs=dict(N=8, M=12, vr_entbttlnck=True), tag="N8-M12-vreb", role="variant", vbr=True),
    dict(arch="mbt2018-vbr", cls=JointAutoregressiveHierarchicalPriorsVbr,
         kwargs=dict(N=8, M=12), tag="N8-M12", role="primary", vbr=True),
    dict(arch="cheng2020-anchor-checkerboard", cls=Cheng2020AnchorCheckerboard,
         kwargs=dict(N=8), tag="N8", role="primary", layout=True),
    dict(arch="elic2022-official", cls=Elic2022Official,
         kwargs=dict(N=8, M=12, groups=[4, 8]), tag="N8-M12-g4-8", role="primary"),
    dict(arch="elic2022-chandelier", cls=Elic2022Chandelier,
         kwargs=dict(N=8, M=12, groups=[4, 8]), tag="N8-M12-g4-8", role="primary"),
    dict(arch="elic2022-official", cls=Elic2022Official,
         kwargs=dict(N=8, M=136), tag="N8-M136", role="large"),
    dict(arch="elic2022-chandelier", cls=Elic2022Chandelier,
         kwargs=dict(N=8, M=136), tag="N8-M136", role="large"),
]

# After the perturbation, some layers are multiplied by a constant so that the
# latents are O(1) instead of O(0.1): with plain random weights every y symbol
# quantises to 0 and the references would not exercise the entropy coder, the
# VBR scale or the quantisation offsets. (module name, factor, output channels)
# with channels "all", "first" (the scales half of a [scales, means] output)
# or "second" (the scales half of a [means, scales] output, ELIC chandelier).
# "*suffix" matches every module whose name ends with suffix.
AMPLIFY = {
    "bmshj2018-hyperprior-vbr": [("g_a.6", 20.0, "all"), ("h_s.4", 30.0, "all")],
    "mbt2018-mean-vbr": [("g_a.6", 20.0, "all"), ("h_s.4", 30.0, "first")],
    "mbt2018-vbr": [("g_a.6", 20.0, "all"), ("entropy_parameters.4", 30.0, "first")],
    "cheng2020-anchor-checkerboard": [("g_a.6", 8.0, "all"),
                                      ("latent_codec.y.entropy_parameters.4", 30.0, "first")],
    "elic2022-official": [("g_a.13", 2.0, "all"), ("*.entropy_parameters.4", 30.0, "first")],
    "elic2022-chandelier": [("g_a.13", 2.0, "all"), ("*.entropy_parameters.4", 30.0, "second")],
}

# Per architecture: (deleted key, unexpected key, wrong-shape key) for -broken.pth.
BROKEN = {
    "bmshj2018-hyperprior-vbr": ("Gain", "h_a.99.weight", "g_a.0.weight"),
    "mbt2018-mean-vbr": ("QuantABCD.4.weight", "h_s.99.weight", "h_a.0.weight"),
    "mbt2018-vbr": ("scale_to_context.weight", "context_prediction.mask2", "entropy_parameters.0.weight"),
    "cheng2020-anchor-checkerboard": ("latent_codec.hyper.h_s.8.weight",
                                      "latent_codec.hyper.h_a.99.weight",
                                      "latent_codec.y.context_prediction.weight"),
    "elic2022-official": ("latent_codec.y.channel_context.y1.4.weight",
                          "latent_codec.y.channel_context.y9.0.weight",
                          "latent_codec.y.latent_codec.y0.entropy_parameters.0.weight"),
    "elic2022-chandelier": ("latent_codec.y.channel_context.y1.4.weight",
                            "latent_codec.y.channel_context.y9.0.weight",
                            "latent_codec.y.latent_codec.y0.entropy_parameters.0.weight"),
}


# ---------------------------------------------------------------- helpers

# The manifest format of the main corpus (../tools/make_corpus.py): one definition of both.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from make_corpus import manifest_of, tensor_bytes  # noqa: E402


def plain(obj):
    """torch.Size / tuples -> lists of ints, recursively (dicts kept)."""
    if isinstance(obj, dict):
        return OrderedDict((k, plain(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, torch.Tensor):
        return obj.tolist()
    return int(obj) if isinstance(obj, (int, np.integer)) else obj


def structure_of(obj):
    """Python type structure of compress()['shape'] (for the README)."""
    if isinstance(obj, dict):
        return "dict{" + ", ".join(f"{k!r}: {structure_of(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, torch.Size):
        return f"torch.Size({list(obj)})"
    if isinstance(obj, list):
        return "list[" + ", ".join(structure_of(v) for v in obj) + "]"
    if isinstance(obj, tuple):
        return "tuple(" + ", ".join(structure_of(v) for v in obj) + ")"
    return repr(obj)


def load_image():
    img = Image.open(IMAGE).convert("RGB")
    a = np.array(img, dtype=np.uint8)                         # H x W x 3
    x = torch.from_numpy(a).permute(2, 0, 1).float().div(255)  # == torchvision ToTensor
    return x.unsqueeze(0).contiguous()                          # 1 x 3 x H x W


def make_model(cfg):
    torch.manual_seed(SEED)
    m = cfg["cls"](**cfg["kwargs"])
    # Perturb every parameter away from its initial value, keeping the
    # reparametrised GDN beta/gamma and the entropy-bottleneck quantiles valid.
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.endswith("quantiles"):
                p.add_(torch.randn_like(p) * 0.3)
            elif name.endswith(".beta") or name.endswith(".gamma"):
                p.add_(torch.rand_like(p) * 0.05)
            else:
                p.add_(torch.randn_like(p) * 0.01)
        mods = dict(m.named_modules())
        for pattern, factor, part in AMPLIFY[cfg["arch"]]:
            if pattern.startswith("*"):
                names = [n for n in mods if n.endswith(pattern[1:])]
            else:
                names = [pattern]
            assert names and all(isinstance(mods[n], torch.nn.Conv2d) for n in names), pattern
            for n in names:
                conv = mods[n]
                C = conv.weight.shape[0]
                sl = {"all": slice(0, C), "first": slice(0, C // 2), "second": slice(C // 2, C)}[part]
                conv.weight[sl] *= factor
                conv.bias[sl] *= factor
    return m.eval()


def clone_sd(sd):
    return OrderedDict((k, v.detach().clone()) for k, v in sd.items())


def key_list(model):
    params = dict(model.named_parameters())
    buffers = dict(model.named_buffers())
    out = []
    for k, v in model.state_dict().items():
        kind = "parameter" if k in params else ("buffer" if k in buffers else "other")
        out.append(OrderedDict(key=k, shape=list(v.shape),
                               dtype=str(v.dtype).replace("torch.", ""), kind=kind))
    return out


def eb_buffers(model):
    eb = model.entropy_bottleneck
    return OrderedDict(eb_offset=eb._offset.clone(), eb_quantized_cdf=eb._quantized_cdf.clone(),
                       eb_cdf_length=eb._cdf_length.clone())


def aux_loss_float(model):
    a = model.aux_loss()
    return float(a.item()) if isinstance(a, torch.Tensor) else float(a)


SYMBOL_STATS = []


def watch_gaussian_conditionals(model):
    """Wraps each GaussianConditional.compress (instance attribute, outputs
    unchanged) to count the y symbols that are non-zero and that fall outside
    their CDF table (coded with the bypass / escape mechanism)."""
    for gc in [mod for mod in model.modules() if isinstance(mod, GaussianConditional)]:
        orig = gc.compress

        def compress(inputs, indexes, means=None, _gc=gc, _orig=orig):
            sym = _gc.quantize(inputs, "symbols", means)
            idx = indexes.long()
            lo = _gc._offset[idx]
            hi = lo + _gc._cdf_length[idx] - 3
            SYMBOL_STATS.append(((sym != 0).sum().item(), ((sym < lo) | (sym > hi)).sum().item(),
                                 sym.numel()))
            return _orig(inputs, indexes, means)
        gc.compress = compress


def unwatch_gaussian_conditionals(model):
    for gc in [mod for mod in model.modules() if isinstance(mod, GaussianConditional)]:
        if "compress" in gc.__dict__:
            del gc.__dict__["compress"]


def take_symbol_stats():
    if not SYMBOL_STATS:
        return None  # mbt2018-vbr codes y with its own rANS loop
    n = [sum(t[i] for t in SYMBOL_STATS) for i in range(3)]
    SYMBOL_STATS.clear()
    return OrderedDict(symbols=n[2], nonzero=n[0], escaped=n[1])


def run_point(model, x, fwd_kwargs, codec_kwargs):
    """forward / compress / decompress with the given extra arguments."""
    r = OrderedDict()
    out = model(x, **fwd_kwargs)
    r["x_hat"] = out["x_hat"].clone()
    for k, v in out["likelihoods"].items():
        r[f"likelihoods_{k}"] = v.clone()
    SYMBOL_STATS.clear()
    c = model.compress(x, **codec_kwargs)
    c["_stats"] = take_symbol_stats()
    r["strings"] = [[bytes(s) for s in group] for group in c["strings"]]
    r["shape"] = plain(c["shape"])
    if "y_hat" in c:
        r["compress_y_hat"] = c["y_hat"].clone()
    d = model.decompress(c["strings"], c["shape"], **codec_kwargs)
    r["decoded_x_hat"] = d["x_hat"].clone()
    return r, c


def references(cfg, model, x):
    vbr = cfg.get("vbr", False)
    vreb = cfg["kwargs"].get("vr_entbttlnck", False)
    info = OrderedDict()
    watch_gaussian_conditionals(model)
    with torch.no_grad():
        ref = OrderedDict()
        ref["x"] = x.clone()
        main, c = run_point(model, x, {}, {})
        ref["x_hat"] = main.pop("x_hat")
        for k in [k for k in main if k.startswith("likelihoods_")]:
            ref[k] = main.pop(k)
        ref["y"] = model.g_a(x).clone()
        ref["aux_loss"] = aux_loss_float(model)
        ref["strings"] = main.pop("strings")
        ref["shape"] = main.pop("shape")
        ref["decoded_x_hat"] = main.pop("decoded_x_hat")
        if "compress_y_hat" in main:
            ref["compress_y_hat"] = main.pop("compress_y_hat")
        info["shape_structure"] = structure_of(c["shape"])
        info["strings_per_group"] = [len(g) for g in c["strings"]]
        info["num_string_groups"] = len(c["strings"])
        info["bytes"] = [len(s) for g in c["strings"] for s in g]
        info["y_symbols"] = c["_stats"]
        # decompress() also accepts the plain-list form of shape stored here
        d2 = model.decompress(c["strings"], ref["shape"])
        info["decompress_accepts_plain_shape"] = bool(torch.equal(d2["x_hat"], ref["decoded_x_hat"]))
        if vbr:
            ref["default_scale"] = torch.abs(model.Gain[1]).detach().clone()
            if vreb:
                ref.update(eb_buffers(model))
            points = []
            for q in VBR_QUANTSTEPS:
                # exactly what eval_model does: 1/float(q) in a float32 tensor
                scale = torch.tensor(sorted([1.0 / float(q)]))[0]
                p = OrderedDict()
                p["stage"] = 2
                p["quantstep"] = q
                p["inputscale"] = scale.clone()
                if vreb:
                    model.update(force=True, scale=scale)
                    p["update_call"] = "model.update(force=True, scale=inputscale)"
                else:
                    p["update_call"] = None
                p["forward_call"] = "model.forward(x, stage=2, inputscale=inputscale)"
                p["compress_call"] = "model.compress(x, stage=2, s=0, inputscale=inputscale)"
                p["decompress_call"] = ("model.decompress(strings, shape, stage=2, s=0, "
                                        "inputscale=inputscale)")
                r, cc = run_point(model, x, dict(stage=2, inputscale=scale),
                                  dict(stage=2, s=0, inputscale=scale))
                info.setdefault("rate_point_y_symbols", []).append(cc["_stats"])
                p.update(r)
                if vreb:
                    p.update(eb_buffers(model))
                points.append(p)
            # stage 1 (eval_model --vbr_tr_stage 1): the non-VBR code path
            p = OrderedDict(stage=1, quantstep=None, inputscale=None)
            if vreb:
                model.update(force=True)
                p["update_call"] = "model.update(force=True)"
            else:
                p["update_call"] = None
            p["forward_call"] = "model.forward(x, stage=1)"
            p["compress_call"] = "model.compress(x, stage=1)"
            p["decompress_call"] = "model.decompress(strings, shape, stage=1)"
            r, cc = run_point(model, x, dict(stage=1), dict(stage=1))
            info.setdefault("rate_point_y_symbols", []).append(cc["_stats"])
            p.update(r)
            if vreb:
                p.update(eb_buffers(model))
            points.append(p)
            ref["rate_points"] = points
    unwatch_gaussian_conditionals(model)
    return ref, info


def broken_sd(arch, sd):
    deleted, unexpected, wrong = BROKEN[arch]
    assert deleted in sd and wrong in sd and unexpected not in sd, arch
    out = OrderedDict()
    for k, v in sd.items():
        if k == deleted:
            continue
        if k == wrong:
            v = v[:-1].clone()  # first dimension one too small
        out[k] = v
    out[unexpected] = torch.zeros(2, 2, 1, 1)
    entry = OrderedDict(
        deleted=deleted,
        unexpected=OrderedDict(key=unexpected, shape=[2, 2, 1, 1], dtype="float32"),
        wrong_shape=OrderedDict(key=wrong, expected=list(sd[wrong].shape),
                                actual=list(out[wrong].shape)))
    return out, entry


def master_layout(sd):
    """Key layout of CompressAI master after the HyperpriorLatentCodec refactor
    (latent_codec.{h_a,h_s} hoisted, latent_codec.z.entropy_bottleneck),
    in that code's module registration order: g_a, g_s, latent_codec.h_a,
    latent_codec.h_s, latent_codec.y, latent_codec.z."""
    groups = OrderedDict((g, OrderedDict()) for g in ("g_a", "g_s", "h_a", "h_s", "y", "z", "rest"))
    for k, v in sd.items():
        if k.startswith("latent_codec.hyper.h_a."):
            groups["h_a"]["latent_codec.h_a." + k[len("latent_codec.hyper.h_a."):]] = v
        elif k.startswith("latent_codec.hyper.h_s."):
            groups["h_s"]["latent_codec.h_s." + k[len("latent_codec.hyper.h_s."):]] = v
        elif k.startswith("latent_codec.hyper.entropy_bottleneck."):
            groups["z"]["latent_codec.z.entropy_bottleneck." +
                        k[len("latent_codec.hyper.entropy_bottleneck."):]] = v
        elif k.startswith("latent_codec.y."):
            groups["y"][k] = v
        elif k.startswith("g_a."):
            groups["g_a"][k] = v
        elif k.startswith("g_s."):
            groups["g_s"][k] = v
        else:
            groups["rest"][k] = v
    assert not groups["rest"], list(groups["rest"])
    out = OrderedDict()
    for g in groups.values():
        out.update(g)
    assert len(out) == len(sd)
    return out


def try_call(fn):
    try:
        fn()
        return "ok"
    except Exception as e:  # noqa: BLE001
        msg = str(e).strip().splitlines()
        return f"{type(e).__name__}: " + " | ".join(l.strip() for l in msg if l.strip())


def ctor_repr(cfg):
    args = ", ".join(f"{k}={v!r}" for k, v in cfg["kwargs"].items())
    return f"{cfg['cls'].__name__}({args})"


def load_checks(cfg, updated, not_updated):
    cls, kw = cfg["cls"], cfg["kwargs"]
    checks = OrderedDict()

    def fresh_load(sd):
        torch.manual_seed(SEED)
        cls(**kw).load_state_dict(clone_sd(sd))

    def from_sd(sd):
        if cfg.get("vbr") and cls is not JointAutoregressiveHierarchicalPriorsVbr:
            cls.from_state_dict(clone_sd(sd), vr_entbttlnck=kw.get("vr_entbttlnck", False))
        else:
            cls.from_state_dict(clone_sd(sd))

    checks["load_state_dict(updated) into fresh " + ctor_repr(cfg)] = try_call(lambda: fresh_load(updated))
    checks["load_state_dict(not_updated) into fresh " + ctor_repr(cfg)] = try_call(lambda: fresh_load(not_updated))
    checks[f"{cls.__name__}.from_state_dict(updated)"] = try_call(lambda: from_sd(updated))
    checks[f"{cls.__name__}.from_state_dict(not_updated)"] = try_call(lambda: from_sd(not_updated))
    return checks


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=HERE)
    ap.add_argument("--with-default-groups", action="store_true",
                    help="also write the .pth and -reference.pt of the two large ELIC "
                         "default-groups (M=136) fixtures (about 57 MB more)")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    compressai.set_entropy_coder("ans")

    x = load_image()
    manifests = OrderedDict()
    index = OrderedDict()
    keys = OrderedDict()   # arch -> tag -> {...}
    broken = OrderedDict()
    files = OrderedDict()  # file -> description (for the README)

    def save(obj, name, what):
        torch.save(obj, os.path.join(out, name))
        manifests[name] = manifest_of(obj)
        files[name] = what

    for cfg in CONFIGS:
        write_weights = cfg["role"] != "large" or a.with_default_groups
        arch, tag = cfg["arch"], cfg["tag"]
        stem = f"{arch}-{tag}"
        vbr = cfg.get("vbr", False)
        vreb = cfg["kwargs"].get("vr_entbttlnck", False)
        print(f"[{stem}]", file=sys.stderr)

        m = make_model(cfg)
        not_updated = clone_sd(m.state_dict())
        keys_nu = key_list(m)

        if vbr and vreb:
            update_call = "model.update(force=True, scale=model.Gain[1])"
            with torch.no_grad():
                m.update(force=True, scale=m.Gain[1].detach())
        else:
            update_call = "model.update(force=True)"
            m.update(force=True)
        updated = clone_sd(m.state_dict())
        keys_u = key_list(m)

        if write_weights:
            save(updated, f"{stem}.pth", f"`{ctor_repr(cfg)}`, perturbed, then `{update_call}`; "
                 "`torch.save(model.state_dict())`")
        if cfg["role"] != "large":
            save(not_updated, f"{stem}-not-updated.pth",
                 "the same weights before `update()` (CDF buffers have shape `[0]`)")

        checks = load_checks(cfg, updated, not_updated)
        ref, info = references(cfg, m, x)
        if write_weights:
            save(ref, f"{stem}-reference.pt", "CompressAI's own outputs on `../image-64x64.png` "
                 "(see *Reference files*)")

        groups = list(getattr(m, "groups", [])) or None
        index[stem] = OrderedDict(
            architecture=arch, cls=f"{cfg['cls'].__module__}.{cfg['cls'].__name__}",
            constructor=ctor_repr(cfg), N=cfg["kwargs"]["N"], M=cfg["kwargs"].get("M"),
            groups=groups, vr_entbttlnck=(vreb if vbr else None), role=cfg["role"],
            update_call=update_call, seed=SEED,
            checkpoint=(f"{stem}.pth" if write_weights else None),
            not_updated=(f"{stem}-not-updated.pth" if cfg["role"] != "large" else None),
            reference=(f"{stem}-reference.pt" if write_weights else None),
            num_state_dict_keys=len(updated),
            num_parameters=sum(1 for e in keys_u if e["kind"] == "parameter"),
            num_buffers=sum(1 for e in keys_u if e["kind"] == "buffer"),
            aux_loss=ref["aux_loss"],
            compress=info,
            compressai_load_checks=checks,
        )
        if vbr:
            index[stem]["default_scale"] = float(ref["default_scale"])
            index[stem]["rate_points"] = [
                OrderedDict(stage=p["stage"], quantstep=p["quantstep"],
                            inputscale=(float(p["inputscale"]) if p["inputscale"] is not None else None),
                            bytes=[len(s) for g in p["strings"] for s in g],
                            y_symbols=st)
                for p, st in zip(ref["rate_points"], info.pop("rate_point_y_symbols"))]

        keys.setdefault(arch, OrderedDict())[tag] = OrderedDict(
            constructor=ctor_repr(cfg), N=cfg["kwargs"]["N"], M=cfg["kwargs"].get("M"),
            groups=groups, update_call=update_call,
            updated=keys_u, not_updated=keys_nu)

        if cfg["role"] == "primary":
            bsd, entry = broken_sd(arch, updated)
            torch.manual_seed(SEED)
            entry["compressai_error"] = try_call(
                lambda: cfg["cls"](**cfg["kwargs"]).load_state_dict(clone_sd(bsd)))
            entry["base"] = f"{stem}.pth"
            bname = f"{stem}-broken.pth"
            save(bsd, bname, f"copy of `{stem}.pth` with one key deleted, one unexpected key "
                 "and one wrong shape (see `broken.json`)")
            broken[bname] = OrderedDict([("arch", arch)] + list(entry.items()))

        if cfg.get("layout"):
            lname = f"{stem}-master-layout.pth"
            lsd = master_layout(updated)
            save(lsd, lname, f"`{stem}.pth` with keys renamed to the post-1.2.8 CompressAI master "
                 "layout (`latent_codec.{h_a,h_s}`, `latent_codec.z.entropy_bottleneck`), same tensors")
            index[stem]["master_layout"] = lname

    for arch, d in keys.items():
        with open(os.path.join(out, f"{arch}-keys.json"), "w") as f:
            json.dump(d, f, indent=1)
        files[f"{arch}-keys.json"] = ("state_dict key lists (key, shape, dtype, parameter or buffer), "
                                      "updated and not-updated, for every config of this arch")
    with open(os.path.join(out, "broken.json"), "w") as f:
        json.dump(broken, f, indent=1)
    files["broken.json"] = "the deleted / unexpected / wrong-shape key of each `-broken.pth`"
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(OrderedDict(torch=torch.__version__, compressai=compressai.__version__,
                              numpy=np.__version__, image="../image-64x64.png",
                              eval_model_default_quantsteps=EVAL_MODEL_DEFAULT_QUANTSTEPS,
                              vbr_reference_quantsteps=VBR_QUANTSTEPS,
                              models=index), f, indent=1)
    files["index.json"] = ("per fixture: class, constructor, N/M/groups, update call, files, aux_loss, "
                           "compress() structure and bytes, VBR rate points, CompressAI load checks")
    with open(os.path.join(out, "manifests.json"), "w") as f:
        json.dump(manifests, f, indent=1)
    files["manifests.json"] = ("for every tensor in every .pth / .pt here: dotted key, dtype, shape, "
                               "sha256 of its C-order little-endian bytes")

    write_readme(out, files, index, keys, broken)


# ---------------------------------------------------------------- README

README_HEAD = """\
# More architectures: VBR, checkerboard and ELIC fixtures (CompressAI 1.2.8)

> The `*-not-updated.pth` checkpoints, `cheng2020-anchor-checkerboard-N8-master-layout.pth` and
> the `-reference.pt` files of the N8/M12 configurations are committed and read by
> `Tests/ArchitectureTests/MoreArchitecturesTests.swift`, `Tests/RuntimeTests/VariableRateTests.swift`
> and `Tests/RuntimeTests/CheckerboardModelTests.swift` (with the key lists, `index.json`,
> `broken.json` and `manifests.json`); the other `.pth` / `.pt` files are not: `python3 make_fixtures.py` (torch and compressai installed) writes them here, byte for
> byte as `manifests.json` lists.

Made by `make_fixtures.py` (this folder) with torch {torch} and compressai
{compressai}: `python3 make_fixtures.py` regenerates everything here
byte-for-byte (seeded with `torch.manual_seed(0)` before each model,
`torch.set_num_threads(1)`, deterministic algorithms, CPU, entropy coder
`ans`). `python3 make_fixtures.py --with-default-groups` also writes the
`.pth` and `-reference.pt` of the two large ELIC default-groups fixtures
(M=136; about 57 MB), which are left out by default.

Every model is built with its constructor, then every parameter is
perturbed (`quantiles += 0.3*randn`, GDN `beta`/`gamma += 0.05*rand`,
everything else `+= 0.01*randn`, in `named_parameters()` order). Then, so
that the latents are O(1) (with plain random weights every y symbol
quantises to 0 and nothing but zeros would be coded), a few layers are
multiplied by a constant (weight and bias): the last convolution of `g_a`,
and the *scales* output channels of the layer that produces the Gaussian
parameters (`AMPLIFY` in the script):

| architecture | layers multiplied |
|---|---|
{amplify}
The model is then put in eval mode. Inputs: `../image-64x64.png` loaded as float RGB in [0,1],
shape 1x3x64x64 (same values as torchvision's `ToTensor`).

## Configurations

| fixture stem | registry name | constructor | N | M | groups | update call used for `.pth` |
|---|---|---|---|---|---|---|
"""

README_REFS = """
## Reference files (`*-reference.pt`)

A dict saved with `torch.save`, all computed under `torch.no_grad()` on the
model right after `update()` (so with the CDFs of the `.pth`):

| key | call that produced it |
|---|---|
| `x` | the image, 1x3x64x64 float32 |
| `x_hat`, `likelihoods_y`, `likelihoods_z` | `out = model(x)` (i.e. `forward` with default arguments): `out["x_hat"]`, `out["likelihoods"]["y"]`, `out["likelihoods"]["z"]` |
| `y` | `model.g_a(x)` |
| `aux_loss` | `float(model.aux_loss())` (a Python float) |
| `strings` | `c = model.compress(x)`: `c["strings"]`, a list of lists of `bytes` (one inner list per stream, one `bytes` per batch item) |
| `shape` | `c["shape"]` converted to plain Python: `torch.Size` -> list of ints, dicts kept (see the compress() notes for the original types) |
| `compress_y_hat` | checkerboard / ELIC only: `c["y_hat"]` (the latent codec returns it) |
| `decoded_x_hat` | `model.decompress(c["strings"], c["shape"])["x_hat"]` |

VBR models only, in addition:

| key | what |
|---|---|
| `default_scale` | `abs(model.Gain[1])`: the scale (= 1 / quantisation step) used by the default `forward()` / `compress()` / `decompress()` calls above (their default is `stage=2, s=1, inputscale=0`, i.e. `Gain[1]`) |
| `eb_offset`, `eb_quantized_cdf`, `eb_cdf_length` | `-vreb` only: the `EntropyBottleneckVbr` tables in force for the default call (same as in the `.pth`) |
| `rate_points` | a list of dicts, one per rate point: `stage`, `quantstep` (string as given to eval_model), `inputscale` (0-d float32 tensor, `torch.tensor([1.0/float(quantstep)])[0]`, exactly eval_model's value), `update_call` / `forward_call` / `compress_call` / `decompress_call` (the exact calls, as strings), and `x_hat`, `likelihoods_y`, `likelihoods_z`, `strings`, `shape`, `decoded_x_hat` from those calls; for `-vreb` also `eb_offset`, `eb_quantized_cdf`, `eb_cdf_length` after that point's `update_call` |

The rate points are, in order: stage 2 at quantisation steps {qsteps}
(eval_model style: `model.forward(x, stage=2, inputscale=s)`,
`model.compress(x, stage=2, s=0, inputscale=s)`,
`model.decompress(strings, shape, stage=2, s=0, inputscale=s)`; for `-vreb`
models preceded by `model.update(force=True, scale=s)` exactly as eval_model
does), then one stage-1 point (`model.forward(x, stage=1)`,
`model.compress(x, stage=1)`, `model.decompress(strings, shape, stage=1)`;
for `-vreb` preceded by `model.update(force=True)`). The rate points run
after the default call, so they do not affect the top-level keys.
"""


def fmt_stats(st):
    if st is None:
        return "n/a (autoregressive rANS loop)"
    return f"{st['nonzero']} / {st['escaped']} / {st['symbols']}"


def fmt_size(n):
    return f"{n:,} B"


def write_readme(out, files, index, keys, broken):
    amp = "".join(
        f"| `{arch}` | " + ", ".join(
            f"`{n}` x{f:g} ({ {'all': 'all channels', 'first': 'first half = scales', 'second': 'second half = scales'}[c] })"
            for n, f, c in spec) + " |\n"
        for arch, spec in AMPLIFY.items())
    L = [README_HEAD.format(torch=torch.__version__, compressai=compressai.__version__,
                            amplify=amp)]
    for stem, e in index.items():
        note = "" if e["checkpoint"] else " (weights not written by default: `--with-default-groups`)"
        L.append(f"| `{stem}`{note} | `{e['architecture']}` | `{e['constructor']}` | {e['N']} | "
                 f"{e['M'] if e['M'] is not None else '-'} | "
                 f"{e['groups'] if e['groups'] else '-'} | `{e['update_call']}` |\n")
    L.append("""
`-vreb` = `vr_entbttlnck=True`: the entropy bottleneck is an
`EntropyBottleneckVbr` plus a `gayn2zqstep` MLP that maps 1/scale to the
quantisation step of z. The registry constructors default to
`vr_entbttlnck=False`, but CompressAI's zoo (`compressai/zoo/image_vbr.py`)
and eval_model's `load_checkpoint` build `bmshj2018-hyperprior-vbr` and
`mbt2018-mean-vbr` with `vr_entbttlnck=True`, so real checkpoints of those
two have the `-vreb` layout. `mbt2018-vbr` has no such option.

Sizes: every updated `.pth` carries at least one GaussianConditional
`_quantized_cdf` for CompressAI's default 64-entry scale table, an int32
`[64, 3133]` table of ~0.8 MB (one per GaussianConditional: ELIC has one
per channel group), so no updated checkpoint here is much below 1 MB.

ELIC: the channel-context convolutions have hard-coded widths
(`conv(in, 224, 5)`, `conv(224, 128, 5)`, `conv(128, 2*g_k, 5)` for every
group after the first), about 0.9 M parameters (3.5 MB) per extra group
whatever N and M are, so no ELIC with more than one group fits in 1.5 MB.
The small fixtures use 2 groups `[4, 8]` (M=12; ~5 MB updated). The default
groups `[16, 16, 32, 64, M-128]` need M > 128; they are built here at
M=136 (groups `[16, 16, 32, 64, 8]`), and their key lists (in
`<arch>-keys.json`, tag `N8-M136`) and compress() facts (in `index.json`)
are always written, but their `.pth` (~26 MB official, ~30 MB chandelier)
and `-reference.pt` only with `--with-default-groups`. Official and
chandelier differ in the channel-context input only from the 4th group on
(chandelier: first + most recent group; official: all previous groups), so
only the M=136 configurations show that difference.

## Files

| file | bytes | what it is |
|---|---|---|
""")
    for name, what in files.items():
        p = os.path.join(out, name)
        L.append(f"| `{name}` | {fmt_size(os.path.getsize(p))} | {what} |\n")
    total = sum(os.path.getsize(os.path.join(out, n)) for n in files)
    L.append(f"\nTotal of the files above: {fmt_size(total)} (plus this README and the script).\n")

    L.append(README_REFS.format(qsteps=", ".join(VBR_QUANTSTEPS)))
    L.append("""
Rate points as written (bytes per stream; y symbols non-zero / escaped / total):

| fixture | default call (scale = Gain[1]) | """ + " | ".join(f"stage 2, step {q}" for q in VBR_QUANTSTEPS)
             + " | stage 1 |\n|---|---|" + "---|" * (len(VBR_QUANTSTEPS) + 1) + "\n")
    for stem, e in index.items():
        if "rate_points" not in e:
            continue
        cells = [f"{e['compress']['bytes']}; {fmt_stats(e['compress']['y_symbols'])}"]
        cells += [f"{p['bytes']}; {fmt_stats(p['y_symbols'])}" for p in e["rate_points"]]
        L.append(f"| `{stem}` (scale {e['default_scale']:.6f}) | " + " | ".join(cells) + " |\n")

    # ---------- compress structure
    L.append("""
## compress() output structure

| fixture | `len(strings)` | order of the streams | `shape` type (as returned) | bytes per stream (default call) | y symbols: non-zero / escaped / total |
|---|---|---|---|---|---|
""")
    order = {
        "bmshj2018-hyperprior-vbr": "`[y_strings, z_strings]`",
        "mbt2018-mean-vbr": "`[y_strings, z_strings]`",
        "mbt2018-vbr": "`[y_strings, z_strings]` (y coded autoregressively, one string per image)",
        "cheng2020-anchor-checkerboard": "`[y_anchor, y_non_anchor, z]`",
        "elic2022-official": "`[y0_anchor, y0_non_anchor, y1_anchor, y1_non_anchor, ..., z]`",
        "elic2022-chandelier": "`[y0_anchor, y0_non_anchor, y1_anchor, y1_non_anchor, ..., z]`",
    }
    for stem, e in index.items():
        c = e["compress"]
        L.append(f"| `{stem}` | {c['num_string_groups']} | {order[e['architecture']]} | "
                 f"`{c['shape_structure']}` | {c['bytes']} | {fmt_stats(c['y_symbols'])} |\n")
    L.append("""
* VBR models: `compress()` returns `{"strings": [y_strings, z_strings],
  "shape": z.size()[-2:]}` (a `torch.Size([h_z, w_z])`, like the
  non-VBR google models); `decompress(strings, shape, ...)` asserts
  `len(strings) == 2`.
* Checkerboard / ELIC (`SimpleVAECompressionModel` with a
  `HyperpriorLatentCodec`): `compress()` returns `{"strings", "shape",
  "y_hat"}`, and `shape` **is a dict** `{"y": ..., "hyper": ...}`:
  `"hyper"` is `torch.Size([h_z, w_z])`; `"y"` is, for the checkerboard,
  `torch.Size([C, H_y, W_y])` (three numbers: channels included); for ELIC a
  **list** with one `torch.Size([C_k, H_y, W_y])` per channel group. The
  streams are the y streams (two per checkerboard codec: anchors, then
  non-anchors, each of which codes an `H_y x W_y/2` half-image; one pair per
  ELIC group, in group order) followed by the z stream last. `decompress()`
  takes the same `(strings, shape)`; the plain-list form stored in the
  references works too (checked: `decompress_accepts_plain_shape` in
  `index.json`).
* bpp as eval_model computes it: `sum(len(s[0]) for s in strings) * 8 / num_pixels`.
""")

    # ---------- VBR API
    L.append(f"""
## VBR API (compressai/models/vbr.py, 1.2.8)

* Constructors: `ScaleHyperpriorVbr(N, M, vr_entbttlnck=False)`,
  `MeanScaleHyperpriorVbr(N=192, M=320, vr_entbttlnck=False)`,
  `JointAutoregressiveHierarchicalPriorsVbr(N=192, M=320)` (always
  `vr_entbttlnck=False`; adds `scale_to_context = nn.Linear(1, 2*M)`,
  `ste_recursive=True`, `scl2ctx=True`). All three add `Gain` (a parameter of
  8 gains, initial `[0.1, 0.13944, 0.19293, 0.26874, 0.37268, 0.51801, 0.71957, 1.0]`;
  scale = gain = 1 / quantisation step) and `QuantABCD` (MLP 2->12->12->1 that
  predicts the quantisation-reconstruction offset from (stdev, scale)).
  Plain attributes (not in the state dict): `lmbda`, `levels=8`,
  `no_quantoffset=False`.
* `update(scale_table=None, force=False, scale=None)` (overrides
  `CompressionModel.update`; no `update_quantiles`): updates the
  GaussianConditional scale table, then the entropy bottleneck: a plain
  `EntropyBottleneck` -> `update(force)`; an `EntropyBottleneckVbr` ->
  `update(force)` if `scale is None`, else
  `update_variable(force, qs=lower_bound_zqstep(gayn2zqstep(1/scale)))`, so for
  `-vreb` models the z CDF tables depend on the scale and must be rebuilt
  per rate point (eval_model does `model.update(force=True, scale=run)`
  before each run). For non-vreb models the CDF tables do not depend on the
  scale (the scale multiplies `y` and the scales instead).
* `forward(x, stage=2, s=1, inputscale=0)`, `compress(x, stage=2, s=1,
  inputscale=0)`, `decompress(strings, shape, stage=2, s=1, inputscale=0)`:
  the scale is `inputscale` if `inputscale != 0`, else `Gain[s]`
  (`forward`, eval mode: `Gain[s]`; `compress`/`decompress`:
  `abs(Gain[s])`; `s` must be in `range(8)`; `s` is ignored when
  `inputscale` is given). `inputscale` must be a tensor, e.g. a 0-d float32
  tensor: `forward` calls `.clone()` on it, stage-2 `decompress` (and
  `forward`) `.expand()`, and the `-vreb` z path `.view(1)`; a Python float
  fails there. `stage=1` is the non-VBR path (no scale on y, no offsets);
  `stage=2` (default) scales y by the scale before quantising, codes it with
  indexes from `scales_hat * scale` (and `means_hat * scale`), and decodes
  `y_hat = sign(q) * (|q| + offset) / scale (+ means_hat)` with
  `offset = -QuantABCD([lower_bound_scale(scales_hat*scale), scale])`, zero where `q == 0`.
* eval_model (`python -m compressai.utils.eval_model`): `--vbr_quantstep`
  (dest `vbr_quantstepsizes`, default `"{EVAL_MODEL_DEFAULT_QUANTSTEPS}"`)
  and `--vbr_tr_stage` (1 or 2, default 2). It computes
  `runs = torch.tensor(sorted(1.0/float(q) for q in quantsteps))`, so it
  runs from the largest step to the smallest, and for each run calls
  `model.compress(x_padded, stage=vbr_tr_stage, s=0, inputscale=run)` and
  `model.decompress(strings, shape, stage=vbr_tr_stage, s=0, inputscale=run)`
  (entropy-estimation mode: `model.forward(x, stage=vbr_tr_stage, inputscale=run)`);
  for `bmshj2018-hyperprior-vbr` / `mbt2018-mean-vbr` with stage 2 it first
  calls `model.update(force=True, scale=run)`. A checkpoint is loaded with
  `from_state_dict(state_dict, vr_entbttlnck=True)` for those two (and
  `update(force=True, scale=net.Gain[-1])` unless `--no-update`), plain
  `from_state_dict` + `update(force=True)` for `mbt2018-vbr`. It also sets
  `model.no_quantoffset = False` (and `scl2ctx = True` for mbt2018-vbr).
  Images are padded to a multiple of 64.
* `from_state_dict`: VBR hyperprior models read `N = g_a.0.weight.size(0)`,
  `M = g_a.6.weight.size(0)`, accept `vr_entbttlnck`, and silently drop a
  `QuantOffset` key if present (a key of older VBR checkpoints);
  `mbt2018-vbr` does neither.
""")

    # ---------- key prefixes
    L.append("""
## State-dict key prefixes

The full ordered lists are in `<arch>-keys.json` (per config: `updated` and
`not_updated`, each entry `key`, `shape`, `dtype`, `kind`). In short:

""")
    for arch, d in keys.items():
        for tag, e in d.items():
            prefixes = OrderedDict()
            for ent in e["updated"]:
                parts = ent["key"].split(".")
                if len(parts) == 1:
                    p = parts[0]
                elif parts[0] != "latent_codec":
                    p = parts[0] + ".*"
                else:
                    depth = 4 if parts[2] in ("latent_codec", "channel_context", "y") else 3
                    p = ".".join(parts[:min(depth, len(parts) - 1)]) + ".*"
                prefixes[p] = prefixes.get(p, 0) + 1
            L.append(f"* `{arch}-{tag}` ({len(e['updated'])} keys): " +
                     ", ".join(f"`{p}` ({n})" for p, n in prefixes.items()) + "\n")
    L.append("""
Dynamic buffers (shape `[0]` before `update()`): every
`*._offset`, `*._quantized_cdf`, `*._cdf_length` and, for GaussianConditional,
`*.scale_table`. Int32: `_offset`, `_quantized_cdf`, `_cdf_length`;
everything else float32. `context_prediction.mask` (masked / checkerboard
convolutions) is a buffer.

Notable:
* A plain `EntropyBottleneck` names its parameters `matrices.K`, `biases.K`,
  `factors.K`; an `EntropyBottleneckVbr` (`-vreb`) names them `_matrixK`,
  `_biasK`, `_factorK` (the CompressAI 1.1 style), and
  `CompressionModel.load_state_dict` does not remap those for it. Order
  also differs: plain `quantiles, _offset, _quantized_cdf, _cdf_length,
  target, likelihood_lower_bound.bound, matrices.0-4, biases.0-4,
  factors.0-3`; Vbr `_matrix0, _bias0, _factor0, ..., _matrix4, _bias4,
  quantiles, _offset, _quantized_cdf, _cdf_length, target,
  likelihood_lower_bound.bound`.
* VBR: `Gain` (shape `[8]`, a parameter of the root module) is the very
  first key; `-vreb` adds `gayn2zqstep.{0,2,4}.{weight,bias}` (Linear
  1->10->10->1) and the buffer `lower_bound_zqstep.bound` (0.5) at the end.
  `mbt2018-vbr` adds `scale_to_context.{weight,bias}` (Linear 1->2M) at the end.
* `HyperpriorLatentCodec` and `CheckerboardLatentCodec` keep their
  sub-codecs in a plain dict (`latent_codec`) and also as attributes
  `y` / `hyper`, so keys go through `latent_codec.y.*` and
  `latent_codec.hyper.*` (GaussianConditional of the checkerboard:
  `latent_codec.y.y.gaussian_conditional.*`); `ChannelGroupsLatentCodec`
  uses `nn.ModuleDict`s, so ELIC keys are
  `latent_codec.y.channel_context.y{k}.*` (k >= 1) and
  `latent_codec.y.latent_codec.y{k}.{entropy_parameters,context_prediction,y.gaussian_conditional}.*`.
* Order: checkerboard/ELIC put `latent_codec.y.*` before
  `latent_codec.hyper.*`, and inside `hyper` the entropy bottleneck comes
  before `h_a` and `h_s`.
""")

    # ---------- layouts
    L.append("""
## Other key layouts (CompressAI PR #352)

* The installed 1.2.8 sources have **no** `_load_from_state_dict` /
  `register_load_state_dict_pre_hook` or `load_state_dict` override for
  these classes beyond `CompressionModel.load_state_dict`, which only
  (a) resizes the dynamic CDF buffers of `EntropyBottleneck` /
  `GaussianConditional` modules to the checkpoint's shapes and
  (b) maps 1.1-style `<eb>._biasK/_matrixK/_factorK` to
  `<eb>.biases.K/matrices.K/factors.K` for plain `EntropyBottleneck`s.
  The zoo's `load_pretrained` (`compressai/zoo/pretrained.py`) strips
  `module.`, maps `downsample` -> `skip` and `entropy_bottleneck._biases.K`
  -> `_biasK` (etc.); the VBR `from_state_dict` drops `QuantOffset`.
* 1.2.8 (this folder) uses `latent_codec.hyper.h_a.*`,
  `latent_codec.hyper.h_s.*`, `latent_codec.hyper.entropy_bottleneck.*`.
  CompressAI master after 1.2.8 refactored `HyperpriorLatentCodec(latent_codec,
  h_a, h_s)`: `h_a`/`h_s` live on the hyperprior codec and z is an
  `EntropyBottleneckLatentCodec`, giving `latent_codec.h_a.*`,
  `latent_codec.h_s.*`, `latent_codec.z.entropy_bottleneck.*` (registration
  order `h_a`, `h_s`, `y`, `z`), and `compress()["shape"]` becomes
  `{"y": ..., "z": ...}`. PR #352 ("add backward compatibility with legacy
  hyperprior state dict", closed) proposed remapping `...hyper.h_a.*` ->
  `...h_a.*`, `...hyper.h_s.*` -> `...h_s.*`, `...hyper.entropy_bottleneck.*`
  -> `...z.entropy_bottleneck.*` inside `CompressionModel.load_state_dict`, for
  exactly cheng2020-anchor-checkerboard, elic2022-official and
  elic2022-chandelier. The `latent_codec.y.*` keys are the same in both layouts.
* `cheng2020-anchor-checkerboard-N8-master-layout.pth` is
  `cheng2020-anchor-checkerboard-N8.pth` with that rename applied (same tensors,
  keys in master's order). It was made by renaming, not by running master's
  code; 1.2.8 itself cannot load it. The same rename applies unchanged to the
  two ELIC models (not written, to save space).
""")

    # ---------- broken / load checks
    L.append("""
## Broken checkpoints (`broken.json`)

Each `<stem>-broken.pth` is the updated state dict with `deleted` removed,
`unexpected` appended at the end (a zero float32 `[2, 2, 1, 1]` tensor) and
`wrong_shape.key` replaced by its first `actual[0]` rows (first dimension one
too small). `compressai_error` is what `load_state_dict` of a freshly built
model raises.

| file | deleted | unexpected | wrong shape |
|---|---|---|---|
""")
    for name, b in broken.items():
        w = b["wrong_shape"]
        L.append(f"| `{name}` | `{b['deleted']}` | `{b['unexpected']['key']}` | "
                 f"`{w['key']}` {w['expected']} -> {w['actual']} |\n")

    L.append("""
## What CompressAI itself can load (`compressai_load_checks` in index.json)

| fixture | check | result |
|---|---|---|
""")
    for stem, e in index.items():
        for check, res in e["compressai_load_checks"].items():
            r = res if len(res) < 160 else res[:157] + "..."
            L.append(f"| `{stem}` | `{check}` | {r.replace('|', '/')} |\n")

    L.append("""
## Other notes

* `aux_loss` sums `EntropyBottleneck.loss()` over modules that are
  `EntropyBottleneck` instances; `EntropyBottleneckVbr` is not one, so
  `aux_loss()` of a `-vreb` model is the integer `0` (stored as `0.0`).
* In `forward()`, the VBR hyperprior models quantise z with STE around the
  medians but take z's likelihood from `entropy_bottleneck(z)`;
  `likelihoods_y` are those of `y * scale` under `N(means*scale, scales*scale)`.
* The checkerboard / ELIC `forward()` uses `forward_method="twopass"` and STE
  quantisation (`quantizer="ste"`) for y and z in eval mode too.
* ELIC `from_state_dict` only infers N and builds `cls(N)` with the default
  M=320 and default groups, so it cannot load any checkpoint with another M
  or other groups (see the load checks).
""")
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("".join(L))


if __name__ == "__main__":
    main()
