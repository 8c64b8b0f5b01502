#!/usr/bin/env python3
"""Writes a PGN file of at least TARGET_BYTES from ChessGPT transcripts (one per line, as `sae chess
generate` writes them), repeating them with distinct tags: the big input of docs/reliability.md's
memory measurements.

    sae chess generate --games 20000 --seed 1 > random.txt
    python3 tools/make_pgn.py random.txt 1000000000 > big.pgn
"""
import re
import sys
import textwrap


def main(transcripts_path: str, target_bytes: int) -> None:
    with open(transcripts_path, encoding="ascii") as f:
        games = [line.strip().lstrip(";") for line in f if line.strip()]
    written = 0
    number = 0
    out = sys.stdout
    while written < target_bytes:
        moves = games[number % len(games)]
        # ";1.e4 e5 2.Nf3" -> "1. e4 e5 2. Nf3", wrapped at 79 columns as PGN export format asks.
        movetext = textwrap.fill(re.sub(r"(\d+)\.", r"\1. ", moves) + " *", width=79)
        game = (f'[Event "Random game {number + 1}"]\n[Site "?"]\n[Date "????.??.??"]\n[Round "{number + 1}"]\n'
                f'[White "random"]\n[Black "random"]\n[Result "*"]\n\n{movetext}\n\n')
        out.write(game)
        written += len(game)
        number += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
