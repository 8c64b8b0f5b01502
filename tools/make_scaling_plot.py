#!/usr/bin/env python3
"""Draws docs/images/scaling.svg from docs/images/scaling.csv: the issue-15 scaling study.

Two panels against CPU-hours of training: the linear probe's F1 on mine_yours_blank_masked at the best
layer, and the held-out legal-move rate, one line per model shape, with the targets as dashed lines and,
where a row is marked "extrapolation", that point drawn hollow and joined by a dotted line.
Usage: python3 tools/make_scaling_plot.py [CSV] [SVG]. Needs only the standard library.
"""
import csv
import sys
from collections import defaultdict

CSV = sys.argv[1] if len(sys.argv) > 1 else "docs/images/scaling.csv"
SVG = sys.argv[2] if len(sys.argv) > 2 else "docs/images/scaling.svg"
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
PANELS = [("probe_f1", "linear-probe F1 (best layer)", 0.5, 1.0, 0.90),
          ("legal_move_rate", "held-out legal-move rate", 0.9, 1.0, 0.99)]
W, H, LEFT, RIGHT, TOP, BOTTOM = 460, 300, 60, 20, 40, 50


def main():
    rows = list(csv.DictReader(open(CSV)))
    runs = defaultdict(list)
    for r in rows:
        runs[r["run"]].append(r)
    x_max = max(float(r["cpu_hours"]) for r in rows) * 1.1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 30}" font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>']
    for p, (column, label, y_min, y_max, target) in enumerate(PANELS):
        x0 = p * W
        def sx(x): return x0 + LEFT + (W - LEFT - RIGHT) * x / x_max
        def sy(y): return TOP + (H - TOP - BOTTOM) * (1 - (y - y_min) / (y_max - y_min))
        parts.append(f'<text x="{x0 + W / 2}" y="20" text-anchor="middle" font-size="14">{label} against CPU-hours</text>')
        parts.append(f'<line x1="{sx(0)}" y1="{sy(y_min)}" x2="{sx(x_max)}" y2="{sy(y_min)}" stroke="black"/>')
        parts.append(f'<line x1="{sx(0)}" y1="{sy(y_min)}" x2="{sx(0)}" y2="{sy(y_max)}" stroke="black"/>')
        for i in range(6):
            y = y_min + (y_max - y_min) * i / 5
            parts.append(f'<text x="{sx(0) - 6}" y="{sy(y) + 4}" text-anchor="end">{y:.2f}</text>')
            parts.append(f'<line x1="{sx(0)}" y1="{sy(y)}" x2="{sx(x_max)}" y2="{sy(y)}" stroke="#eee"/>')
        step = 2 if x_max > 8 else 1
        for x in range(0, int(x_max) + 1, step):
            parts.append(f'<text x="{sx(x)}" y="{sy(y_min) + 16}" text-anchor="middle">{x}</text>')
        parts.append(f'<text x="{x0 + W / 2}" y="{H - 8}" text-anchor="middle">CPU-hours (one core, float32)</text>')
        parts.append(f'<line x1="{sx(0)}" y1="{sy(target)}" x2="{sx(x_max)}" y2="{sy(target)}" stroke="#888" stroke-dasharray="6,4"/>')
        parts.append(f'<text x="{sx(x_max) - 4}" y="{sy(target) - 4}" text-anchor="end" fill="#555">target {target}</text>')
        for c, (run, points) in enumerate(sorted(runs.items())):
            colour = COLOURS[c % len(COLOURS)]
            measured = [(float(r["cpu_hours"]), float(r[column])) for r in points if r[column] and r["kind"] == "measured"]
            projected = [(float(r["cpu_hours"]), float(r[column])) for r in points if r[column] and r["kind"] == "extrapolation"]
            if len(measured) > 1:
                path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in measured)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for x, y in measured:
                parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{colour}"/>')
            if projected and measured:
                last = measured[-1]
                path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in [last] + projected)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="2,3"/>')
            for x, y in projected:
                parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="white" stroke="{colour}" stroke-width="1.5"/>')
            if p == 0:
                parts.append(f'<rect x="{sx(0) + 10}" y="{TOP + 8 + 16 * c}" width="10" height="10" fill="{colour}"/>')
                parts.append(f'<text x="{sx(0) + 26}" y="{TOP + 17 + 16 * c}">{run}</text>')
    parts.append(f'<text x="{W}" y="{H + 22}" text-anchor="middle" fill="#555">filled: measured checkpoints; hollow, dotted: extrapolation (not measured)</text>')
    parts.append("</svg>")
    open(SVG, "w").write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
