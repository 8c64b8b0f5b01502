"""PyTorch's speed on `sae bench lm-forward`'s workload, for comparison on the same CPU.

A nanoGPT-shaped model (pre-norm blocks, causal attention, GELU MLP, tied unembedding), batched
forward passes without autograd, median time per pass after warm-up.
Run: /usr/bin/python3 tools/pytorch_lm_forward.py --layers 8 --d-model 512 --ctx 59 --batch 64
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--layers", type=int, default=8)
p.add_argument("--d-model", type=int, default=512)
p.add_argument("--ctx", type=int, default=59)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--vocab", type=int, default=61)
p.add_argument("--steps", type=int, default=10)
args = p.parse_args()
L, D, T, B, V = args.layers, args.d_model, args.ctx, args.batch, args.vocab
H = max(1, D // 64)
g = torch.Generator().manual_seed(1)
W = lambda *s: torch.randn(*s, generator=g) * 0.02
wte, wpe = W(V, D), W(T, D)
blocks = [dict(attn=W(3 * D, D), attn_b=torch.zeros(3 * D), proj=W(D, D), proj_b=torch.zeros(D),
               fc=W(4 * D, D), fc_b=torch.zeros(4 * D), out=W(D, 4 * D), out_b=torch.zeros(D),
               ln1=torch.ones(D), ln1_b=torch.zeros(D), ln2=torch.ones(D), ln2_b=torch.zeros(D)) for _ in range(L)]
mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
tokens = torch.randint(V, (B, T), generator=g)


def forward(idx):
    x = wte[idx] + wpe[:T]
    for b in blocks:
        a = F.layer_norm(x, (D,), b["ln1"], b["ln1_b"])
        q, k, v = F.linear(a, b["attn"], b["attn_b"]).split(D, dim=2)
        q, k, v = [y.view(B, T, H, D // H).transpose(1, 2) for y in (q, k, v)]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D // H)
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        x = x + F.linear((att @ v).transpose(1, 2).reshape(B, T, D), b["proj"], b["proj_b"])
        x = x + F.linear(F.gelu(F.linear(F.layer_norm(x, (D,), b["ln2"], b["ln2_b"]), b["fc"], b["fc_b"])), b["out"], b["out_b"])
    return F.linear(F.layer_norm(x, (D,)), wte)


with torch.no_grad():
    for _ in range(max(2, args.steps // 5)):
        forward(tokens)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        forward(tokens)
        times.append(time.perf_counter() - t0)
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: {statistics.median(times) * 1000:.1f} ms per pass")
print(json.dumps({"tokens_per_second": round(B * T / statistics.median(times))}))
