"""Trains small CompressAI models on natural photographs, for the decoder-portability tests.

    pip install torch compressai scikit-image
    python3 Tests/Portability/train_models.py OUT_DIR [--arch A …] [--n 32] [--m 48] [--steps 600]

Each architecture is trained with CompressAI's own rate–distortion loss (MSE, λ = --lmbda) and
its aux loss, one thread, fixed seeds: the same command writes the same weights on the same
torch build. After training, `update(force=True)` builds the CDF tables and the state dict is
saved with torch.save as `<arch>-N<n>-M<m>-trained.pth`.

Training crops (128×128) come from photographs scikit-image ships in `skimage/data`
(astronaut, coffee, motorcycle_left, hubble_deep_field, retina, ihc, and camera, grass,
gravel, brick as grey RGB); `--images DIR` also writes held-out photographs cropped to odd
sizes (chelsea, rocket, motorcycle_right, coins) for the sweep, and `--test-images DIR` two small
crops of chelsea and rocket for the test suite.

The six further architectures train the same way (ELIC with four uneven groups M/6, M/6, M/3,
rest; the VBR hyperprior models with the variable-rate bottleneck, updated at Gain[1]; the VBR
models at their default rate level s = 1).

The test suite's models and images (Tests/Portability/trained, images) were made with

    python3 Tests/Portability/train_models.py Tests/Portability/trained --n 16 --m 24 --steps 800 \
        --arch bmshj2018-hyperprior --arch mbt2018 --arch cheng2020-anchor \
        --test-images Tests/Portability/images

and, for the further architectures (the two ELIC models, 14 MB each with their four groups'
channel contexts, are trained the same way for the local sweep but not committed),

    python3 Tests/Portability/train_models.py OUT --n 16 --m 24 --steps 400 \
        --arch cheng2020-anchor-checkerboard --arch elic2022-chandelier --arch elic2022-official \
        --arch mbt2018-vbr --arch bmshj2018-hyperprior-vbr --arch mbt2018-mean-vbr"""
import argparse, os, time
import numpy as np
import torch
from PIL import Image
from compressai.losses import RateDistortionLoss
from compressai.zoo.image import model_architectures
from compressai.registry import MODELS
from compressai.entropy_models import EntropyBottleneckVbr

DATA = os.path.join(os.path.dirname(__import__("skimage").__file__), "data")
TRAIN = ["astronaut.png", "coffee.png", "motorcycle_left.png", "hubble_deep_field.jpg", "retina.jpg",
         "ihc.png", "camera.png", "grass.png", "gravel.png", "brick.png"]
TEST_CROPS = [("chelsea.png", (150, 60, 150 + 131, 60 + 97)), ("rocket.jpg", (300, 150, 300 + 203, 150 + 141))]
HELD_OUT = [("chelsea.png", (0, 0, 451, 300)), ("rocket.jpg", (37, 11, 37 + 333, 11 + 221)),
            ("motorcycle_right.png", (100, 60, 100 + 517, 60 + 389)), ("coins.png", (5, 3, 5 + 301, 3 + 187))]


def photo(name):
    return np.asarray(Image.open(os.path.join(DATA, name)).convert("RGB"), dtype=np.float32) / 255


def crops(rng, photos, count, size=128):
    out = np.empty((count, 3, size, size), np.float32)
    for i in range(count):
        p = photos[rng.integers(len(photos))]
        y, x = rng.integers(p.shape[0] - size + 1), rng.integers(p.shape[1] - size + 1)
        c = p[y:y + size, x:x + size]
        if rng.integers(2):
            c = c[:, ::-1]
        out[i] = c.transpose(2, 0, 1)
    return torch.from_numpy(out)


def train(arch, n, m, steps, lmbda, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    photos = [photo(f) for f in TRAIN]
    kwargs = {"N": n} if arch.startswith("cheng2020") else {"N": n, "M": m}
    if arch.startswith("elic2022"):
        kwargs["groups"] = [m // 6, m // 6, m // 3, m - 2 * (m // 6) - m // 3]  # four uneven groups
    if arch in ("bmshj2018-hyperprior-vbr", "mbt2018-mean-vbr"):
        kwargs["vr_entbttlnck"] = True  # as compressai.zoo builds them
    name = "bmshj2018_factorized_relu" if arch == "bmshj2018-factorized-relu" else arch
    model = (model_architectures[name] if name in model_architectures else MODELS[arch])(**kwargs).train()
    params = [p for k, p in model.named_parameters() if not k.endswith(".quantiles")]
    aux_params = [p for k, p in model.named_parameters() if k.endswith(".quantiles")]
    opt = torch.optim.Adam(params, lr=5e-4)
    aux_opt = torch.optim.Adam(aux_params, lr=1e-2)
    loss_fn = RateDistortionLoss(lmbda=lmbda)
    start = time.time()
    for step in range(steps):
        x = crops(rng, photos, 4)
        opt.zero_grad(); aux_opt.zero_grad()
        out = model(x)
        loss = loss_fn(out, x)
        loss["loss"].backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        aux = model.aux_loss()
        if isinstance(getattr(model, "entropy_bottleneck", None), EntropyBottleneckVbr):
            aux = aux + model.entropy_bottleneck.loss()  # aux_loss() does not count EntropyBottleneckVbr
        aux.backward()
        aux_opt.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"{arch} step {step}: loss {loss['loss'].item():.4f} bpp {loss['bpp_loss'].item():.3f} "
                  f"mse {loss['mse_loss'].item():.5f} aux {aux.item():.1f} ({time.time() - start:.0f} s)", flush=True)
    model.eval()
    if kwargs.get("vr_entbttlnck"):
        model.update(force=True, scale=model.Gain[1])  # the tables of the default rate level
    else:
        model.update(force=True)
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--arch", action="append")
    ap.add_argument("--n", type=int, default=32)
    ap.add_argument("--m", type=int, default=48)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--lmbda", type=float, default=0.0130)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--images")
    ap.add_argument("--test-images")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(a.out, exist_ok=True)
    for folder, boxes in ((a.images, HELD_OUT), (a.test_images, TEST_CROPS)):
        if folder:
            os.makedirs(folder, exist_ok=True)
            for name, box in boxes:
                im = Image.open(os.path.join(DATA, name)).convert("RGB").crop(box)
                im.save(os.path.join(folder, f"{os.path.splitext(name)[0]}-{im.width}x{im.height}.png"), optimize=True)
    archs = a.arch or ["bmshj2018-factorized", "bmshj2018-factorized-relu", "bmshj2018-hyperprior", "mbt2018-mean",
                       "mbt2018", "cheng2020-anchor", "cheng2020-attn"]
    for arch in archs:
        m = a.n if arch.startswith("cheng2020") else a.m
        model = train(arch, a.n, a.m, a.steps, a.lmbda, a.seed)
        path = os.path.join(a.out, f"{arch}-N{a.n}-M{m}-trained.pth")
        torch.save(model.state_dict(), path)
        print("wrote", path, flush=True)


if __name__ == "__main__":
    main()
