#!/usr/bin/env python3
"""Writes src/Sae.Metrics/Reports/PaperPoints.csv: the paper's own per-SAE results, compacted for the report.

Reads the reference repository's saved results (../shared/reference-results, copied from
adamkarvonen/SAE_BoardGameEval, folder autoencoders/saved_data/) and keeps, per evaluated SAE or baseline,
only what the report draws: game, model (trained or random), layer, family, L0, fraction of variance
explained, loss recovered, and for each board state property we also compute its coverage (the reference's
`<bsp>_best_average_f1`) and board reconstruction (`<bsp>_best_f1_score_per_class`). The reference's BSP
function names are mapped to ours. Rows that repeat an SAE (the reference files list some twice) are kept once.
The best of each family equals docs/reference.md section 5 (tests check it).
Usage: python3 tools/make_paper_points.py [REFERENCE_RESULTS_DIR] [OUT_CSV]. Needs only the standard library.
"""
import csv
import re
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference-results"
OUT = sys.argv[2] if len(sys.argv) > 2 else "src/Sae.Metrics/Reports/PaperPoints.csv"

FILES = [  # file, game, model
    ("06-10-othello-trained-results_with_07-10_topk.csv", "othello", "trained"),
    ("othello-6-10-random-f1_results.csv", "othello", "random"),
    ("othello-6-10-mlp-acts-f1_results.csv", "othello", "trained"),
    ("othello-6-10-all-layers-f1_results.csv", "othello", "trained"),
    ("06-10-chess-all-layers-results.csv", "chess", "trained"),
    ("06-10-chess-random-results.csv", "chess", "random"),
    ("06-10-chess-mlp-act-results.csv", "chess", "trained"),
]
BSPS = {  # the reference's BSP function name -> ours
    "games_batch_to_state_stack_mine_yours_blank_mask_BLRRC": "mine_yours_blank_masked",
    "games_batch_to_state_stack_mine_yours_BLRRC": "mine_yours_blank",
    "games_batch_to_valid_moves_BLRRC": "valid_moves",
    "board_to_piece_masked_blank_and_initial_state": "piece_blank_initial_masked",
    "board_to_piece_masked_blank_state": "piece_blank_masked",
    "board_to_piece_state": "piece",
}
FAMILIES = {"StandardTrainer": "Standard", "PAnnealTrainer": "Standard + p-anneal", "GatedSAETrainer": "Gated",
            "GatedAnnealTrainer": "Gated + p-anneal", "TrainerTopK": "TopK", "Identity": "MLP neurons"}


def layer_of(row):
    for text in (row["autoencoder_path"], row["autoencoder_group_path"]):
        match = re.search(r"layer_?(\d+)", text)
        if match:
            return int(match.group(1))
    raise ValueError(f"no layer in {row['autoencoder_path']}")


def number(text):
    return f"{float(text):.6g}" if text not in ("", None) else ""


def main():
    seen = set()
    rows = []
    for name, game, model in FILES:
        with open(f"{SOURCE}/{name}", newline="") as handle:
            for row in csv.DictReader(handle):
                family = FAMILIES[row["trainer_class"]]
                if model == "random":
                    family = "SAE on a random model"
                base = [game, model, str(layer_of(row)), family, number(row["l0"]),
                        number(row["frac_variance_explained"]), number(row["frac_recovered"])]
                for reference, ours in BSPS.items():
                    coverage = row.get(reference + "_best_average_f1")
                    reconstruction = row.get(reference + "_best_f1_score_per_class")
                    if not coverage and not reconstruction:
                        continue
                    line = tuple(base + [ours, number(coverage), number(reconstruction)])
                    if line not in seen:
                        seen.add(line)
                        rows.append(line)
    with open(OUT, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["game", "model", "layer", "family", "l0", "variance_explained", "loss_recovered", "bsp",
                         "coverage", "reconstruction"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
