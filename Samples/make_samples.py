"""Makes the samples in this folder with real PyTorch and CompressAI.

    pip install torch compressai pillow scikit-image && python3 Samples/make_samples.py [--only WHAT]

Trained models (what the quick start and `tinify eval` use; see Samples/README.md):
- `trained/<arch>-N<n>-M<m>-lmbda<λ>.pth`: bmshj2018-hyperprior (ScaleHyperprior) and mbt2018
  (JointAutoregressiveHierarchicalPriors) trained with CompressAI's own RateDistortionLoss (MSE,
  λ) and aux loss on crops of natural photographs that scikit-image ships, one thread, fixed
  seeds, a few minutes each (a shared warm start per architecture, then each λ; λ=0.0015
  continues from λ=0.0035); then `update(force=True)` and `torch.save(model.state_dict())`.
- `images/`: held-out photographs (never seen in training) cropped to sizes that are not
  multiples of 64, as a small dataset for `tinify eval`: RGB PNGs, a greyscale PNG and a JPEG.

Also image-96x64.png: a small 8-bit RGB test image (a smooth gradient plus noise). (The two
random-weight checkpoints that were here are now in Tests/Fixtures/random-samples.)

The output is deterministic (seed 0, one thread, deterministic algorithms) on one torch build."""
import argparse, os, time
import numpy as np
import torch
from PIL import Image
from compressai.losses import RateDistortionLoss
from compressai.zoo.image import model_architectures

HERE = os.path.dirname(os.path.abspath(__file__))
SKIMAGE = os.path.join(os.path.dirname(__import__("skimage").__file__), "data")
# Training photographs (skimage/data; licences in Samples/README.md). Greyscale ones become grey RGB.
TRAIN = ["astronaut.png", "camera.png", "hubble_deep_field.jpg", "retina.jpg", "ihc.png"]
# Held-out photographs: (source, crop box, saved as).
HELD_OUT = [("chelsea.png", (0, 0, 451, 300), "chelsea-451x300.png"),
            ("rocket.jpg", (37, 11, 37 + 333, 11 + 221), "rocket-333x221.jpg"),
            ("coffee.png", (50, 20, 50 + 517, 20 + 371), "coffee-517x371.png"),
            ("coins.png", (5, 3, 5 + 301, 3 + 187), "coins-301x187-grey.png")]
# (architecture, N, M, λ values trained from the shared warm start at the middle one).
MODELS = [("bmshj2018-hyperprior", 32, 48, (0.0035, 0.013, 0.05)),
          ("mbt2018", 24, 32, (0.0035, 0.013, 0.05))]
# (from λ, to λ, to λ …): further models, each continued from the first's trained model.
EXTENSIONS = [(0.0035, 0.0015), (0.05, 0.12)]
# What ships in Samples/trained, per architecture: the three lowest λ (at these sizes and
# training times the higher ones add rate without adding quality; --all writes them too).
SHIPPED = (0.0015, 0.0035, 0.013)
# Each architecture first trains at the middle λ for BASE_STEPS (shared warm start), then each λ
# continues from that state for STEPS: more training per model in the same minutes.
BASE_STEPS, STEPS, CROP, BATCH = 3000, 1500, 128, 4


def photo(name):
    return np.asarray(Image.open(os.path.join(SKIMAGE, name)).convert("RGB"), dtype=np.float32) / 255


def crops(rng, photos, count, size):
    out = np.empty((count, 3, size, size), np.float32)
    for i in range(count):
        p = photos[rng.integers(len(photos))]
        y, x = rng.integers(p.shape[0] - size + 1), rng.integers(p.shape[1] - size + 1)
        c = p[y:y + size, x:x + size]
        if rng.integers(2):
            c = c[:, ::-1]
        out[i] = c.transpose(2, 0, 1)
    return torch.from_numpy(out)


def train(arch, n, m, lmbda, steps, seed=0, start=None, decay=True):
    """CompressAI's training step (examples/train.py): RD loss, clipped gradients, aux loss on the
    quantiles with their own optimiser; the learning rate falls tenfold for the last fifth when
    `decay`. `start` is a state dict to continue from."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    photos = [photo(f) for f in TRAIN]
    model = model_architectures[arch](N=n, M=m)
    if start is not None:
        model.load_state_dict(start)
    model.train()
    params = [p for k, p in model.named_parameters() if not k.endswith(".quantiles")]
    aux_params = [p for k, p in model.named_parameters() if k.endswith(".quantiles")]
    opt = torch.optim.Adam(params, lr=1e-3)
    aux_opt = torch.optim.Adam(aux_params, lr=1e-2)
    loss_fn = RateDistortionLoss(lmbda=lmbda)
    start = time.time()
    for step in range(steps):
        if decay and step == steps * 4 // 5:
            for g in opt.param_groups:
                g["lr"] = 1e-4
        x = crops(rng, photos, BATCH, CROP)
        opt.zero_grad(); aux_opt.zero_grad()
        out = model(x)
        loss = loss_fn(out, x)
        loss["loss"].backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        aux = model.aux_loss()
        aux.backward()
        aux_opt.step()
        if step % 200 == 0 or step == steps - 1:
            print(f"{arch} λ={lmbda} step {step}: loss {loss['loss'].item():.4f} bpp {loss['bpp_loss'].item():.3f} "
                  f"psnr {-10 * np.log10(loss['mse_loss'].item()):.2f} aux {aux.item():.1f} ({time.time() - start:.0f} s)",
                  flush=True)
    model.eval()
    return model


@torch.no_grad()
def held_out_figures(model, folder):
    """Real coding of the held-out images, as eval_model does (for the log only)."""
    from compressai.ops import compute_padding
    import torch.nn.functional as F
    rows = []
    for _, _, name in HELD_OUT:
        x = torch.from_numpy(np.asarray(Image.open(os.path.join(folder, name)).convert("RGB"), np.float32) / 255)
        x = x.permute(2, 0, 1)[None]
        pad, unpad = compute_padding(x.shape[2], x.shape[3], min_div=64)
        enc = model.compress(F.pad(x, pad))
        x_hat = F.pad(model.decompress(enc["strings"], enc["shape"])["x_hat"], unpad)
        bpp = sum(len(s[0]) for s in enc["strings"]) * 8 / (x.shape[2] * x.shape[3])
        mse = (((x * 255).round() - (x_hat.clamp(0, 1) * 255).round()) ** 2).mean().item()
        rows.append(f"{name} {bpp:.3f} bpp {10 * np.log10(255 ** 2 / mse):.2f} dB")
    return "; ".join(rows)


def write_images(folder):
    os.makedirs(folder, exist_ok=True)
    for source, box, name in HELD_OUT:
        im = Image.open(os.path.join(SKIMAGE, source))
        im = (im.convert("L") if im.mode in ("L", "I", "I;16") else im.convert("RGB")).crop(box)
        path = os.path.join(folder, name)
        if name.endswith(".jpg"):
            im.save(path, quality=92)
        else:
            im.save(path, optimize=True)


def write_test_image():
    r = np.random.default_rng(0)
    y, xx = np.mgrid[0:64, 0:96]
    a = np.stack([xx / 96, y / 64, (xx + y) / 160], -1) * 200 + r.integers(0, 55, (64, 96, 3))
    Image.fromarray(a.clip(0, 255).astype("uint8")).save(os.path.join(HERE, "image-96x64.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["random", "images", "trained"], action="append")
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--base-steps", type=int, default=BASE_STEPS)
    ap.add_argument("--all", action="store_true", help="also write the models that do not ship (λ 0.05, 0.12)")
    ap.add_argument("--out", default=os.path.join(HERE, "trained"))
    a = ap.parse_args()
    only = set(a.only or ["random", "images", "trained"])
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    images = os.path.join(HERE, "images")
    if "random" in only:
        write_test_image()
    if "images" in only:
        write_images(images)
    if "trained" in only:
        os.makedirs(a.out, exist_ok=True)
        for arch, n, m, lmbdas in MODELS:
            base = train(arch, n, m, lmbdas[len(lmbdas) // 2], a.base_steps, decay=False).state_dict()
            trained = {}
            for lmbda in lmbdas:
                trained[lmbda] = train(arch, n, m, lmbda, a.steps, seed=1, start=base)
                trained[lmbda].update(force=True)
            for start, lmbda in EXTENSIONS:
                trained[lmbda] = train(arch, n, m, lmbda, a.steps, seed=2, start=trained[start].state_dict())
                trained[lmbda].update(force=True)
            for lmbda, model in sorted(trained.items()):
                if lmbda in SHIPPED or a.all:
                    path = os.path.join(a.out, f"{arch}-N{n}-M{m}-lmbda{lmbda}.pth")
                    torch.save(model.state_dict(), path)
                    print(f"wrote {path}: {held_out_figures(model, images)}", flush=True)


if __name__ == "__main__":
    main()
