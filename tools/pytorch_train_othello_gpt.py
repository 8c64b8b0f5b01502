"""Train an OthelloGPT in nanoGPT's layout with PyTorch on a GPU, for a model Sae.NET then measures and ships.

The recipe is `sae lm train`'s for Othello (docs/cli.md): synthetic games of uniformly random legal
moves, sequences of the 60 move tokens (OthelloTokenizer: 0 pads, 1..60 are the playable squares in
ascending index), a model of context 59, the loss taken against the legal-move distribution of each
position (GptModel.ExpectedLoss), AdamW with weight decay on matrices and embeddings only, linear
warm-up then cosine decay to a tenth, gradient-norm clipping at 1. What differs is where it runs: the
games are played on the GPU by a vectorised bitboard generator (same rules and distribution as
`sae othello generate`, not the same games: its random numbers are PyTorch's), and the matrix products
run under bfloat16 autocast with float32 master weights.

It writes DIR/config.json (GptConfig's keys) and DIR/model.safetensors (float32, nanoGPT names, the tied
unembedding stored once), which `GptFiles.Load` and every `sae --model` option read. A file that would
exceed --shard-mib is written as model-00001-of-0000N.safetensors …; `merge DIR` joins them into
model.safetensors. `games N --out FILE` writes N games as an .othello file (OthelloGameFile's format) and
`trace N` prints N games' moves as square names, to check the generator against `sae othello stats` and
`sae othello trace`.

  python3 tools/pytorch_train_othello_gpt.py train --out DIR --layers 8 --d-model 256 --heads 8 \
      --games 12000000 --data-seed 7 --seed 42 --batch 512 --lr 1e-3 --warmup 500 --time-budget 400
  python3 tools/pytorch_train_othello_gpt.py merge DIR
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

MOVES = 60
CONTEXT = 59
VOCAB = 61
CENTRE = (27, 28, 35, 36)
PLAYABLE = [s for s in range(64) if s not in CENTRE]  # token t (1..60) is square PLAYABLE[t - 1]
PAD_SQUARE = 255

# Square index = 8·row + file (a1 = 0, h1 = 7, a2 = 8): shifting a bitboard left by 1 moves every disc one
# file right, by 8 one row up. The file masks stop a shift from wrapping round the board's edge.
ALL = (1 << 64) - 1
NOT_A = ALL ^ 0x0101010101010101
NOT_H = ALL ^ 0x8080808080808080


def signed(value):
    """A 64-bit pattern as the int64 PyTorch stores."""
    return value - (1 << 64) if value >= 1 << 63 else value


# (shift, mask applied after the shift): east, west, north, south, and the four diagonals
DIRECTIONS = [(1, NOT_A), (-1, NOT_H), (8, ALL), (-8, ALL), (9, NOT_A), (7, NOT_H), (-7, NOT_A), (-9, NOT_H)]


def shift(board, amount, mask):
    """Every disc of int64 bitboards moved by `amount` squares (logical shift), wrapped discs removed."""
    if amount > 0:
        moved = board << amount
    else:
        moved = (board >> -amount) & signed((1 << (64 + amount)) - 1)
    return moved & signed(mask) if mask != ALL else moved


def opponent_run(start, opponent, amount, mask):
    """The opponent's discs in an unbroken line from `start`'s discs in one direction (at most 6 squares)."""
    run = shift(start, amount, mask) & opponent
    for _ in range(5):
        run = run | (shift(run, amount, mask) & opponent)
    return run


def legal_moves(player, opponent):
    """Bitboards of the squares where `player` may play: empty, bracketing a run of the opponent's discs."""
    empty = ~(player | opponent)
    moves = torch.zeros_like(player)
    for amount, mask in DIRECTIONS:
        moves = moves | (shift(opponent_run(player, opponent, amount, mask), amount, mask) & empty)
    return moves


def flips(move, player, opponent):
    """The opponent's discs that playing `move` (one bit per game) turns over."""
    turned = torch.zeros_like(player)
    for amount, mask in DIRECTIONS:
        run = opponent_run(move, opponent, amount, mask)
        closed = (shift(run, amount, mask) & player) != 0
        turned = turned | torch.where(closed, run, torch.zeros_like(run))
    return turned


def play_games(count, generator, device):
    """`count` games of uniformly random legal moves: the squares played [count, 60] (uint8, 255 after
    the game's end) and, per ply j, the legal moves of the position after it, passes respected [count, 60]
    (int64 bitboards; 0 once the game is over): the choices the next move is drawn from."""
    black = torch.full((count,), (1 << 28) | (1 << 35), dtype=torch.int64, device=device)
    white = torch.full((count,), (1 << 27) | (1 << 36), dtype=torch.int64, device=device)
    player, opponent = black, white  # black moves first
    squares = torch.full((count, MOVES), PAD_SQUARE, dtype=torch.uint8, device=device)
    choices = torch.zeros((count, MOVES), dtype=torch.int64, device=device)
    bit_index = torch.arange(64, dtype=torch.int64, device=device)
    legal = legal_moves(player, opponent)
    for ply in range(MOVES):
        live = legal != 0
        bits = ((legal.unsqueeze(1) >> bit_index) & 1).bool()
        scores = torch.rand((count, 64), generator=generator, device=device).masked_fill(~bits, -1.0)
        square = scores.argmax(dim=1)
        move = torch.where(live, torch.ones_like(legal) << square, torch.zeros_like(legal))
        turned = flips(move, player, opponent)
        squares[:, ply] = torch.where(live, square, torch.full_like(square, PAD_SQUARE)).to(torch.uint8)
        mover, other = player | move | turned, opponent & ~turned
        # the other side moves next if it can; else the mover again (a pass); else the game is over
        next_legal = legal_moves(other, mover)
        passes = next_legal == 0
        again = legal_moves(mover, other)
        player = torch.where(passes, mover, other)
        opponent = torch.where(passes, other, mover)
        legal = torch.where(passes, again, next_legal)
        legal = torch.where(live, legal, torch.zeros_like(legal))
        choices[:, ply] = legal
    return squares, choices


def make_games(total, seed, device, chunk=1 << 20):
    generator = torch.Generator(device=device)
    generator.manual_seed(seed)
    parts = [play_games(min(chunk, total - start), generator, device) for start in range(0, total, chunk)]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


class Norm(torch.nn.Module):
    """nanoGPT's LayerNorm: over the last dimension, ε = 1e-5, with or without a bias."""

    def __init__(self, d_model, bias):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d_model))
        self.bias = torch.nn.Parameter(torch.zeros(d_model)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Gpt(torch.nn.Module):
    """nanoGPT's architecture and parameter names, as GptModel: pre-norm blocks, exact GELU, biases or
    none (`bias`), layer norms with ε = 1e-5, the unembedding tied to the token embedding, no dropout.
    The defaults are OthelloGPT's vocabulary and context."""

    def __init__(self, layers, d_model, heads, vocab=VOCAB, context=CONTEXT, bias=True):
        super().__init__()
        self.heads, self.vocab, self.context, self.bias = heads, vocab, context, bias
        self.fused_attention = hasattr(F, "scaled_dot_product_attention")
        self.transformer = torch.nn.ModuleDict(dict(
            wte=torch.nn.Embedding(vocab, d_model),
            wpe=torch.nn.Embedding(context, d_model),
            h=torch.nn.ModuleList([torch.nn.ModuleDict(dict(
                ln_1=Norm(d_model, bias),
                attn=torch.nn.ModuleDict(dict(c_attn=torch.nn.Linear(d_model, 3 * d_model, bias=bias),
                                              c_proj=torch.nn.Linear(d_model, d_model, bias=bias))),
                ln_2=Norm(d_model, bias),
                mlp=torch.nn.ModuleDict(dict(c_fc=torch.nn.Linear(d_model, 4 * d_model, bias=bias),
                                             c_proj=torch.nn.Linear(4 * d_model, d_model, bias=bias))),
            )) for _ in range(layers)]),
            ln_f=Norm(d_model, bias),
        ))
        for name, p in self.named_parameters():
            if name.endswith(".bias"):
                torch.nn.init.zeros_(p)
            elif ".ln_" in name or name.startswith("transformer.ln_f"):
                torch.nn.init.ones_(p)
            else:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("c_proj.weight") else 0.02
                torch.nn.init.normal_(p, 0.0, std)

    def attention(self, block, x):
        b, t, d = x.shape
        q, k, v = block["c_attn"](x).split(d, dim=2)
        q, k, v = [y.view(b, t, self.heads, d // self.heads).transpose(1, 2) for y in (q, k, v)]
        if self.fused_attention:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
            causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
            y = scores.masked_fill(~causal, float("-inf")).softmax(-1) @ v
        return block["c_proj"](y.transpose(1, 2).reshape(b, t, d))

    def forward(self, tokens):
        tr = self.transformer
        x = tr["wte"](tokens) + tr["wpe"].weight[: tokens.shape[1]]
        for block in tr["h"]:
            x = x + self.attention(block["attn"], block["ln_1"](x))
            x = x + block["mlp"]["c_proj"](F.gelu(block["mlp"]["c_fc"](block["ln_2"](x))))
        return F.linear(tr["ln_f"](x), tr["wte"].weight)


def batch_tensors(squares, choices, token_of_square, playable, bit_index):
    """Model inputs [B, 59] and target distributions [B, 59, 61] (uniform over each position's legal
    moves; all zero where no move follows) of games given as squares and choices."""
    inputs = token_of_square[squares[:, :CONTEXT].long()]
    bits = (choices[:, :CONTEXT].unsqueeze(-1) >> bit_index) & 1
    legal = bits[:, :, playable].float()
    legal = torch.cat([torch.zeros_like(legal[:, :, :1]), legal], dim=2)
    return inputs, legal / legal.sum(-1, keepdim=True).clamp_min(1.0)


def expected_loss(logits, distributions):
    scored = (distributions.sum(-1) > 0).sum().clamp_min(1)
    return -(F.log_softmax(logits.float(), -1) * distributions).sum() / scored


def evaluate(model, squares, choices, helpers, batch=1000):
    """Held-out loss against the legal-move distributions and legal-move rate (top-1 legal), over scored positions
    (called in eval mode, without gradients)."""
    loss_sum, legal_hits, positions = 0.0, 0, 0
    for start in range(0, squares.shape[0], batch):
        inputs, dist = batch_tensors(squares[start:start + batch], choices[start:start + batch], *helpers)
        logits = model(inputs).float()
        scored = dist.sum(-1) > 0
        loss_sum += expected_loss(logits, dist).item() * scored.sum().item()
        top = logits.argmax(-1, keepdim=True)
        legal_hits += ((dist.gather(-1, top).squeeze(-1) > 0) & scored).sum().item()
        positions += scored.sum().item()
    return loss_sum / positions, legal_hits / positions, positions


def packed_header(header):
    """A safetensors header: its length as a little-endian u64, then its JSON padded with spaces to 8 bytes."""
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, t in tensors.items():
        size = t.numel() * 4
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    temp = path + ".tmp"
    with open(temp, "wb") as f:
        f.write(packed_header(header))
        for t in tensors.values():
            f.write(t.detach().to("cpu", torch.float32).contiguous().numpy().tobytes())
    os.replace(temp, path)


def save(model, args, directory, extra):
    os.makedirs(directory, exist_ok=True)
    state = {k: v for k, v in model.state_dict().items()}
    shards, current, size = [], {}, 0
    for name, t in state.items():
        if current and size + t.numel() * 4 > args.shard_mib * (1 << 20):
            shards.append(current)
            current, size = {}, 0
        current[name] = t
        size += t.numel() * 4
    shards.append(current)
    for old in os.listdir(directory):
        if old.startswith("model") and old.endswith(".safetensors"):
            os.remove(os.path.join(directory, old))
    if len(shards) == 1:
        write_safetensors(os.path.join(directory, "model.safetensors"), shards[0])
    else:
        for i, shard in enumerate(shards):
            write_safetensors(os.path.join(directory, f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"), shard)
    config = {"n_layer": len(model.transformer["h"]), "n_head": model.heads, "n_embd": model.transformer["wte"].embedding_dim,
              "block_size": model.context, "vocab_size": model.vocab, "bias": model.bias, "d_mlp": 0,
              "tied_embeddings": True, "lm_head_bias": False, "training": extra}
    with open(os.path.join(directory, "config.json.tmp"), "w") as f:
        json.dump(config, f, indent=2)
    os.replace(os.path.join(directory, "config.json.tmp"), os.path.join(directory, "config.json"))


def merge(directory):
    """Joins model-0000i-of-0000N.safetensors into model.safetensors (no PyTorch needed)."""
    parts = sorted(p for p in os.listdir(directory) if p.startswith("model-") and p.endswith(".safetensors"))
    if not parts:
        sys.exit(f"{directory}: no model-*-of-*.safetensors shards")
    header, blobs, offset = {}, [], 0
    for part in parts:
        with open(os.path.join(directory, part), "rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            entries = json.loads(f.read(length))
            data = f.read()
        for name, entry in entries.items():
            if name == "__metadata__":
                continue
            begin, end = entry["data_offsets"]
            header[name] = dict(entry, data_offsets=[offset, offset + end - begin])
            blobs.append(data[begin:end])
            offset += end - begin
    with open(os.path.join(directory, "model.safetensors.tmp"), "wb") as f:
        f.write(packed_header(header) + b"".join(blobs))
    os.replace(os.path.join(directory, "model.safetensors.tmp"), os.path.join(directory, "model.safetensors"))
    for part in parts:
        os.remove(os.path.join(directory, part))


def training_device(args):
    """The GPU if there is one, else the CPU; seeds PyTorch's global generator (the weights' initialisation)."""
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(args.seed)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        print(f"torch {torch.__version__} on {torch.cuda.get_device_name(0)}", flush=True)
    else:
        print(f"torch {torch.__version__} on the CPU, {torch.get_num_threads()} threads", flush=True)
    return device


def fit(args, model, device, batch_loss, evaluate_model):
    """Trains `model` with AdamW (nanoGPT's weight-decay groups), linear warm-up then cosine decay to a tenth,
    clipping at 1, bfloat16 autocast on a GPU; `batch_loss(generator, autocast)` draws one batch with the
    generator and returns its loss. Runs --steps steps, or as many as --time-budget allows at the speed measured
    over steps --measure-after … + --measure-steps; saves every --save-every seconds and at the end, with the
    summary of `evaluate_model()` (a dict) in config.json's "training"."""
    decayed = [p for p in model.parameters() if p.dim() >= 2]
    plain = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decayed, "weight_decay": args.weight_decay}, {"params": plain, "weight_decay": 0.0}]
    try:
        optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, args.beta2), eps=1e-8, fused=device.type == "cuda")
    except (TypeError, RuntimeError) as e:  # PyTorch before 2.0 has no fused AdamW
        print(f"plain AdamW: {e}", flush=True)
        optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, args.beta2), eps=1e-8)
    if model.fused_attention:
        try:
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                heads, d_model = model.heads, model.transformer["wte"].embedding_dim
                probe = torch.randn(2, heads, 4, d_model // heads, device=device)
                F.scaled_dot_product_attention(probe, probe, probe, is_causal=True)
        except RuntimeError as e:
            print(f"explicit attention: {e}", flush=True)
            model.fused_attention = False
    batches = torch.Generator(device=device)
    batches.manual_seed(args.seed)
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")

    def lr_at(step, total):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        progress = min(1.0, (step - args.warmup) / max(1, total - args.warmup))
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    total = args.steps
    start = time.perf_counter()
    deadline = start + args.time_budget if args.time_budget else None
    losses, step, last_save, measure_start = [], 0, start, None
    while total is None or step < total:
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, total or 10 ** 9)
        loss = batch_loss(batches, autocast)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        if step % 50 == 0 or step == total:
            value = loss.item()  # synchronises
            if not math.isfinite(value):
                sys.exit(f"the loss is {value} at step {step}")
            losses.append(value)
        if total is None and step in (args.measure_after, args.measure_after + args.measure_steps):
            if device.type == "cuda":
                torch.cuda.synchronize()
            if step == args.measure_after:
                measure_start = time.perf_counter()
                continue
            per_step = (time.perf_counter() - measure_start) / args.measure_steps
            left = deadline - time.perf_counter()
            total = step + int(left / per_step * 0.95)
            print(json.dumps({"measured_ms_per_step": round(per_step * 1000, 2), "steps": total}), flush=True)
        if step % 1000 == 0:
            print(json.dumps({"step": step, "loss": losses[-1], "lr": lr_at(step, total or 10 ** 9),
                              "elapsed": round(time.perf_counter() - start, 1)}), flush=True)
        if time.perf_counter() - last_save > args.save_every:
            save(model, args, args.out, {"step": step, "steps": total, "partial": True})
            last_save = time.perf_counter()
        if deadline and time.perf_counter() > deadline + args.grace:
            print(json.dumps({"stopped_at_deadline": step}), flush=True)
            break
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        figures = evaluate_model()
    model.train()
    summary = {"step": step, "steps": total, "seconds": round(seconds, 1), "games_seen": step * args.batch, **figures,
               "command": " ".join(sys.argv), "torch": torch.__version__,
               "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"}
    save(model, args, args.out, summary)
    print(json.dumps(summary), flush=True)


def train(args):
    device = training_device(args)
    clock = time.perf_counter()
    squares, choices = make_games(args.games, args.data_seed, device)
    held_squares, held_choices = make_games(args.held_out, args.data_seed + 1_000_003, device)
    if device.type == "cuda":
        torch.cuda.synchronize()
    print(json.dumps({"games": args.games, "held_out": args.held_out, "seconds": round(time.perf_counter() - clock, 1),
                      "mean_length": round((squares != PAD_SQUARE).sum().item() / args.games, 3)}), flush=True)

    token_of_square = torch.zeros(256, dtype=torch.int64, device=device)
    token_of_square[torch.tensor(PLAYABLE, device=device)] = torch.arange(1, 61, device=device)
    helpers = (token_of_square, torch.tensor(PLAYABLE, device=device), torch.arange(64, dtype=torch.int64, device=device))
    model = Gpt(args.layers, args.d_model, args.heads).to(device)

    def batch_loss(batches, autocast):
        index = torch.randint(args.games, (args.batch,), generator=batches, device=device)
        inputs, dist = batch_tensors(squares[index], choices[index], *helpers)
        with autocast:
            logits = model(inputs)
        return expected_loss(logits, dist)

    def evaluate_model():
        loss, rate, positions = evaluate(model, held_squares, held_choices, helpers)
        return {"held_out_loss": round(loss, 4), "held_out_legal_move_rate": round(rate, 5), "held_out_positions": positions}

    fit(args, model, device, batch_loss, evaluate_model)


def require_steps_or_budget(parser, args):
    """Stops with argparse's usage error unless --steps or --time-budget says how long to train."""
    if args.steps is None and not args.time_budget:
        parser.error("give --steps or --time-budget")


def add_training_options(t):
    """The options every game's trainer shares: the model's shape, the optimiser, the schedule and the saves."""
    t.add_argument("--out", required=True)
    t.add_argument("--layers", type=int, default=8)
    t.add_argument("--d-model", type=int, default=256)
    t.add_argument("--heads", type=int, default=8)
    t.add_argument("--held-out", type=int, default=2000)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--batch", type=int, default=512)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--warmup", type=int, default=500)
    t.add_argument("--beta2", type=float, default=0.99)
    t.add_argument("--weight-decay", type=float, default=0.1)
    t.add_argument("--steps", type=int, help="steps to take; without it, as many as --time-budget allows at the measured speed")
    t.add_argument("--time-budget", type=float, default=0, help="seconds of training (after the data is ready)")
    t.add_argument("--grace", type=float, default=20, help="seconds past the budget after which training stops regardless")
    t.add_argument("--measure-after", type=int, default=100)
    t.add_argument("--measure-steps", type=int, default=200)
    t.add_argument("--save-every", type=float, default=90, help="seconds between saves of the weights so far")
    t.add_argument("--shard-mib", type=float, default=15)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    add_training_options(t)
    t.add_argument("--games", type=int, default=1_000_000)
    t.add_argument("--data-seed", type=int, default=7)
    m = sub.add_parser("merge")
    m.add_argument("directory")
    g = sub.add_parser("games")
    g.add_argument("count", type=int)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--out", required=True)
    r = sub.add_parser("trace")
    r.add_argument("count", type=int)
    r.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.command == "train":
        require_steps_or_budget(parser, args)
        train(args)
    elif args.command == "merge":
        merge(args.directory)
    else:
        squares, choices = make_games(args.count, args.seed, torch.device("cpu"))
        if args.command == "games":
            with open(args.out, "wb") as f:
                f.write(b"SAEOTHLO" + struct.pack("<HHIQQ", 1, MOVES, 0, args.count, 0))
                f.write(squares.numpy().tobytes())
        else:
            names = [f"{'abcdefgh'[s % 8]}{s // 8 + 1}" for s in range(64)]
            for g_squares, g_choices in zip(squares.tolist(), choices.tolist()):
                moves = [s for s in g_squares if s != PAD_SQUARE]
                legal = [",".join(names[s] for s in range(64) if (c >> s) & 1) or "-" for c in g_choices[:len(moves)]]
                print(" ".join(names[s] for s in moves) + "\t" + " ".join(legal))


if __name__ == "__main__":
    main()
