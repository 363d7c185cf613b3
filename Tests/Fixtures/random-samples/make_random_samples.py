"""Makes the two random-weight checkpoints in this folder with real PyTorch and CompressAI.

    pip install torch compressai && python3 Tests/Fixtures/random-samples/make_random_samples.py

- bmshj2018-hyperprior-N16-M24.pth: a ScaleHyperprior (N=16, M=24) with perturbed random
  weights, after model.update(force=True), saved with torch.save(model.state_dict()) (the
  hostile-input tests convert and code with it).
- mbt2018-mean-N16-M24-training.pth.tar: a training checkpoint (epoch, state_dict, optimizer,
  aux_optimizer, lr_scheduler) of a MeanScaleHyperprior, as CompressAI's example trainer writes it
  (the dependency check and the README's training-checkpoint examples use it).
- bmshj2018-hyperprior-N16-M24-network.pth.tar: the first one's state dict under "network", a
  wrapper key CompressAI's eval_model looks for (`{"epoch": 1, "network": state_dict}`).
The output is deterministic (seed 0). (Until issue 12 they lived in Samples/, made by
Samples/make_samples.py; the samples there are now trained models.)"""
import os
import torch
from compressai.models import MeanScaleHyperprior, ScaleHyperprior

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)


def perturbed(model):
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.01)
    return model.eval()


m = perturbed(ScaleHyperprior(16, 24))
m.update(force=True)
torch.save(m.state_dict(), os.path.join(HERE, "bmshj2018-hyperprior-N16-M24.pth"))
torch.save({"epoch": 1, "network": m.state_dict()}, os.path.join(HERE, "bmshj2018-hyperprior-N16-M24-network.pth.tar"))

t = perturbed(MeanScaleHyperprior(16, 24))
t.update(force=True)
opt = torch.optim.Adam([p for n, p in t.named_parameters() if not n.endswith(".quantiles")], lr=1e-4)
aux = torch.optim.Adam([p for n, p in t.named_parameters() if n.endswith(".quantiles")], lr=1e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, "min")
x = torch.rand(1, 3, 64, 64)
t.train()
out = t(x)
loss = sum(-torch.log2(l).sum() for l in out["likelihoods"].values()) / 4096 + ((out["x_hat"] - x) ** 2).mean()
loss.backward()
opt.step(); aux.step()
t.eval()
torch.save({"epoch": 1, "state_dict": t.state_dict(), "loss": float(loss), "optimizer": opt.state_dict(),
            "aux_optimizer": aux.state_dict(), "lr_scheduler": sched.state_dict()},
           os.path.join(HERE, "mbt2018-mean-N16-M24-training.pth.tar"))
