"""Train a ChessGPT-style character model in nanoGPT's layout with PyTorch on a GPU, for Sae.NET to measure and ship.

The recipe is `sae lm train --game chess`'s (docs/cli.md): one transcript per line of a file such as
`sae chess generate` writes (`;1.e4 e5 2.Nf3 ...`), characters over ChessGPT's 32-token vocabulary
(ChessGptTranscript.Vocabulary: 0 is the space that also pads), each transcript truncated to context + 1
characters, the model reading characters 1..context and predicting 2..context+1, the cross-entropy scored only
where a real character follows (ChessSequences); the last --held-out lines of the file are never trained on, as
`sae lm train --held-out` keeps them, so `sae lm card` measures the model on the same games. No biases (ChessGPT's
`bias: false`). AdamW, the schedule, bfloat16 autocast and the saves are the Othello script's
(`pytorch_train_othello_gpt.py`, whose `fit` this calls).

  python3 tools/pytorch_train_chess_gpt.py train --data chess-200k-seed11.txt.gz --out DIR --layers 8 \\
      --d-model 256 --heads 8 --batch 128 --lr 1e-3 --warmup 500 --held-out 2000 --time-budget 250
  python3 tools/pytorch_train_othello_gpt.py merge DIR     # if it wrote shards

The data file may be gzip-compressed (a name ending in .gz), to travel to a GPU machine in less space.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_train_othello_gpt import Gpt, add_training_options, fit, require_steps_or_budget, training_device  # noqa: E402

VOCABULARY = " #+-.0123456789;=BKNOQRabcdefghx"


def read_transcripts(path):
    """The file's lines, empty ones skipped, as the library reads a transcript file (so game i is the same game)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="latin-1", newline="") as f:
        lines = (line.rstrip("\r\n") for line in f)
        return [line for line in lines if line]


def encode(transcripts, width):
    """[N, width] token ids (space-padded) and each transcript's length, truncated to `width` characters."""
    table = numpy.full(256, 255, dtype=numpy.uint8)
    for i, c in enumerate(VOCABULARY):
        table[ord(c)] = i
    tokens = numpy.zeros((len(transcripts), width), dtype=numpy.uint8)
    lengths = numpy.zeros(len(transcripts), dtype=numpy.int64)
    for row, text in enumerate(transcripts):
        ids = table[numpy.frombuffer(text[:width].encode("latin-1"), dtype=numpy.uint8)]
        if (ids == 255).any():
            column = int(numpy.argmax(ids == 255))
            sys.exit(f"line {row + 1}, character {column + 1}: {text[column]!r} is not in ChessGPT's vocabulary")
        tokens[row, :len(ids)] = ids
        lengths[row] = len(ids)
    return torch.from_numpy(tokens).long(), torch.from_numpy(lengths)


def inputs_and_targets(tokens, lengths, positions):
    """Inputs [B, ctx] and targets [B, ctx], -1 (not scored) where no real character follows."""
    targets = tokens[:, 1:].masked_fill(positions[1:].unsqueeze(0) >= lengths.unsqueeze(1), -1)
    return tokens[:, :-1], targets


def train(args):
    device = training_device(args)
    clock = time.perf_counter()
    transcripts = read_transcripts(args.data)
    if len(transcripts) <= args.held_out:
        sys.exit(f"{args.data}: {len(transcripts)} games, not more than --held-out {args.held_out}")
    tokens, lengths = encode(transcripts, args.ctx + 1)
    tokens, lengths = tokens.to(device), lengths.to(device)
    training = len(transcripts) - args.held_out
    positions = torch.arange(args.ctx + 1, device=device)
    print(json.dumps({"games": len(transcripts), "training_games": training, "held_out": args.held_out,
                      "seconds": round(time.perf_counter() - clock, 1),
                      "mean_length": round(lengths.float().mean().item(), 1)}), flush=True)
    model = Gpt(args.layers, args.d_model, args.heads, vocab=len(VOCABULARY), context=args.ctx, bias=False).to(device)

    def batch_loss(batches, autocast):
        index = torch.randint(training, (args.batch,), generator=batches, device=device)
        inputs, targets = inputs_and_targets(tokens[index], lengths[index], positions)
        with autocast:
            logits = model(inputs)
        return F.cross_entropy(logits.float().reshape(-1, model.vocab), targets.reshape(-1), ignore_index=-1)

    def evaluate_model(batch=250):
        loss_sum, scored = 0.0, 0
        for start in range(training, len(transcripts), batch):
            end = min(start + batch, len(transcripts))
            inputs, targets = inputs_and_targets(tokens[start:end], lengths[start:end], positions)
            logits = model(inputs).float()
            loss_sum += F.cross_entropy(logits.reshape(-1, model.vocab), targets.reshape(-1), ignore_index=-1,
                                        reduction="sum").item()
            scored += (targets >= 0).sum().item()
        return {"held_out_loss": round(loss_sum / scored, 4), "held_out_characters": scored}

    fit(args, model, device, batch_loss, evaluate_model)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    add_training_options(t)
    t.add_argument("--data", required=True, help="one transcript per line (.gz allowed)")
    t.add_argument("--ctx", type=int, default=256)
    args = parser.parse_args()
    require_steps_or_budget(parser, args)
    train(args)


if __name__ == "__main__":
    main()
