#!/usr/bin/env python3
"""FMNIST-S (../shared/bench/FMNIST-S.md) in PyTorch eager: the reference the benchmark measures the package against.

    fmnist_s.py train  [--steps N] [--warmup N]   training images/s at batch 128 (forward, backward, Adam, EMA)
    fmnist_s.py sample [--batch N] [--steps N] [--dtype float32|bfloat16]
                                                  seconds for DDIM-50 (eta 0) on a batch of 64

Each mode is its own process so that its peak resident memory is its own; it prints one JSON object.
Written as a user of PyTorch would: nn.Modules, torch.optim.Adam, an EMA loop over the parameters, no compilation.
"""
import argparse, gzip, json, math, resource, struct, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim=64):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb=256, dropout=0.1):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(32, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.temb = nn.Linear(temb, cout)
        self.norm2, self.drop, self.conv2 = nn.GroupNorm(32, cout), nn.Dropout(dropout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.temb(F.silu(temb))[:, :, None, None]
        h = self.conv2(self.drop(F.silu(self.norm2(h))))
        return self.skip(x) + h


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = nn.GroupNorm(32, c)
        self.q, self.k, self.v, self.proj = (nn.Conv2d(c, c, 1) for _ in range(4))

    def forward(self, x):
        b, c, h, w = x.shape
        n = self.norm(x)
        q = self.q(n).reshape(b, c, h * w).transpose(1, 2)
        k = self.k(n).reshape(b, c, h * w)
        v = self.v(n).reshape(b, c, h * w).transpose(1, 2)
        a = torch.softmax(torch.bmm(q, k) / math.sqrt(c), dim=-1)
        return x + self.proj(torch.bmm(a, v).transpose(1, 2).reshape(b, c, h, w))


class UNet(nn.Module):
    def __init__(self, base=64, mults=(1, 2, 2), blocks=2, attn_res=(7,), size=28):
        super().__init__()
        self.temb = nn.Sequential(nn.Linear(64, 256), nn.SiLU(), nn.Linear(256, 256))
        self.conv_in = nn.Conv2d(1, base, 3, padding=1)
        self.down, chans, cur, res = nn.ModuleList(), [base], base, size
        for i, m in enumerate(mults):
            for _ in range(blocks):
                self.down.append(nn.ModuleList([ResBlock(cur, base * m), Attention(base * m) if res in attn_res else nn.Identity()]))
                cur = base * m
                chans.append(cur)
            if i != len(mults) - 1:
                self.down.append(nn.Conv2d(cur, cur, 3, stride=2, padding=1))
                chans.append(cur)
                res //= 2
        self.mid1, self.mid_attn, self.mid2 = ResBlock(cur, cur), Attention(cur), ResBlock(cur, cur)
        self.up = nn.ModuleList()
        for i, m in reversed(list(enumerate(mults))):
            for _ in range(blocks + 1):
                self.up.append(nn.ModuleList([ResBlock(cur + chans.pop(), base * m), Attention(base * m) if res in attn_res else nn.Identity()]))
                cur = base * m
            if i != 0:
                self.up.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(cur, cur, 3, padding=1)))
                res *= 2
        self.out = nn.Sequential(nn.GroupNorm(32, cur), nn.SiLU(), nn.Conv2d(cur, 1, 3, padding=1))

    def forward(self, x, t):
        temb = self.temb(timestep_embedding(t).to(self.conv_in.weight.dtype))
        h = self.conv_in(x)
        skips = [h]
        for layer in self.down:
            if isinstance(layer, nn.ModuleList):
                h = layer[1](layer[0](h, temb))
            else:
                h = layer(h)
            skips.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, temb)), temb)
        for layer in self.up:
            if isinstance(layer, nn.ModuleList):
                h = layer[1](layer[0](torch.cat([h, skips.pop()], dim=1), temb))
            else:
                h = layer(h)
        return self.out(h)


def load_images(path="/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
    raw = gzip.open(path).read()
    n, h, w = struct.unpack(">III", raw[4:16])
    x = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 1, h, w)
    return x.float() / 127.5 - 1


def schedule(T=1000):
    betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    return betas, torch.cumprod(1 - betas, 0)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def train(args):
    torch.manual_seed(1)
    data = load_images()
    model, ema = UNet(), UNet()
    ema.load_state_dict(model.state_dict())
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    _, abar = schedule()
    sqrt_ab, sqrt_1m = abar.sqrt().float(), (1 - abar).sqrt().float()
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        idx = torch.randint(0, data.shape[0], (128,))
        x0 = data[idx]
        t = torch.randint(0, 1000, (128,))
        eps = torch.randn_like(x0)
        xt = sqrt_ab[t][:, None, None, None] * x0 + sqrt_1m[t][:, None, None, None] * eps
        loss = F.mse_loss(model(xt, t), eps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), model.parameters()):
                pe.mul_(0.9999).add_(p, alpha=1 - 0.9999)
        times.append(time.perf_counter() - start)
    timed = sorted(times[args.warmup:])
    median = timed[len(timed) // 2]
    return {"parameters": sum(p.numel() for p in model.parameters()), "train_step_ms": median * 1e3,
            "train_images_per_second": 128 / median, "peak_rss_train_mib": peak_rss_mib(), "loss": loss.item()}


def ddim(model, x, steps=50, T=1000):
    _, abar = schedule(T)
    ts = [round(i * (T - 1) / (steps - 1)) for i in range(steps)][::-1]   # evenly spaced, both ends included
    for k, t in enumerate(ts):
        ab = abar[t].item()
        ab_prev = abar[ts[k + 1]].item() if k + 1 < len(ts) else 1.0
        eps = model(x, torch.full((x.shape[0],), t, dtype=torch.long))
        x0 = ((x - math.sqrt(1 - ab) * eps) / math.sqrt(ab)).clamp(-1, 1)
        eps = (x - math.sqrt(ab) * x0) / math.sqrt(1 - ab)
        x = math.sqrt(ab_prev) * x0 + math.sqrt(1 - ab_prev) * eps
    return x


def sample(args):
    torch.manual_seed(1)
    model = UNet().eval()
    dtype = torch.bfloat16 if args.dtype == "bfloat16" else torch.float32
    with torch.inference_mode():
        x = torch.randn(args.batch, 1, 28, 28)
        net = model.to(dtype)
        net(x.to(dtype), torch.full((args.batch,), 999, dtype=torch.long))   # one warm-up call: kernels picked, memory mapped
        start = time.perf_counter()
        if dtype == torch.float32:
            ddim(model, x, args.steps)
        else:   # a bfloat16 copy of the network, the sampler in float32 (1.13's CPU autocast has no mixed-dtype group_norm)
            ddim(lambda xt, t: net(xt.to(torch.bfloat16), t).float(), x, args.steps)
        seconds = time.perf_counter() - start
    return {"ddim_steps": args.steps, "batch": args.batch, "dtype": args.dtype, "ddim_seconds": seconds, "peak_rss_sample_mib": peak_rss_mib()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "sample"])
    p.add_argument("--steps", type=int)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.mode == "train":
        args.steps = args.steps or 20
        result = train(args)
    else:
        args.steps = args.steps or 50
        result = sample(args)
    result.update({"torch": torch.__version__, "threads": torch.get_num_threads()})
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
