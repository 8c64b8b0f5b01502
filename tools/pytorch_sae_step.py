"""Times the reference's standard SAE training step in PyTorch, for comparison with `sae bench sae-step`.

The step is what dictionary_learning's StandardTrainer does: autograd on
mean ||x - x_hat||_2 + l1 * mean ||f||_1, Adam, the decoder-column gradient projection before the
step and renormalisation after it. Run with Debian's python3-torch:

    /usr/bin/python3 tools/pytorch_sae_step.py --batch 4096 --dim 512 --features 4096 --steps 10

Prints, last, one JSON line {"tokens_per_second": ...}.
"""
import argparse
import json
import os
import statistics
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--features", type=int, default=4096)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    d, f = args.dim, args.features

    encoder = torch.nn.Linear(d, f)
    decoder_weight = torch.nn.Parameter(torch.randn(d, f))
    with torch.no_grad():
        decoder_weight.div_(decoder_weight.norm(dim=0, keepdim=True))
    pre_bias = torch.nn.Parameter(torch.zeros(d))
    params = [pre_bias, encoder.weight, encoder.bias, decoder_weight]
    optimizer = torch.optim.Adam(params, lr=3e-4)
    x = torch.randn(args.batch, d)

    def step():
        optimizer.zero_grad()
        features = torch.relu(encoder(x - pre_bias))
        x_hat = features @ decoder_weight.T + pre_bias
        loss = torch.linalg.norm(x - x_hat, dim=-1).mean() + 0.05 * features.norm(p=1, dim=-1).mean()
        loss.backward()
        with torch.no_grad():
            unit = decoder_weight / decoder_weight.norm(dim=0, keepdim=True)
            decoder_weight.grad -= (decoder_weight.grad * unit).sum(dim=0, keepdim=True) * unit
        optimizer.step()
        with torch.no_grad():
            decoder_weight.div_(decoder_weight.norm(dim=0, keepdim=True))

    for _ in range(3):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: step {seconds * 1000:.1f} ms")
    print(json.dumps({"tokens_per_second": round(args.batch / seconds)}))


if __name__ == "__main__":
    main()
