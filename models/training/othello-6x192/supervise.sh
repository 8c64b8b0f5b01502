#!/bin/bash
# Runs the og-6x192 training in 40-minute legs (each leg ends with SIGTERM, which checkpoints at its step; the next
# resumes bit for bit), because the training process's memory grew by about 4 MB a step (fixed in commit 226c302,
# after this run: docs/benchmarks.md, "The language model's memory during training").
# Run it in the folder that holds sae-bin/ (the sae build), og-6x192/ and othello-2m-seed7.othello.
cd "${1:-.}"
while [ "$(grep -oE '"Step":[0-9]+' og-6x192/checkpoint/state.json | grep -oE '[0-9]+')" -lt 20000 ]; do
  echo "leg starts $(date -u +%FT%TZ) at $(cat og-6x192/checkpoint/state.json)" >> og-6x192.legs
  timeout -s TERM 2400 ./sae-bin/sae lm train --data othello-2m-seed7.othello --layers 6 --d-model 192 --heads 6 --steps 20000 --batch 64 --lr 1e-3 --warmup 500 --seed 42 --held-out 2000 --checkpoint-every 250 --threads 1 --dtype float32 --out og-6x192 >> og-6x192.log 2>&1 < /dev/null
  sleep 5
done
