#!/bin/bash
# bfloat16 against float32 on this CPU, one thread (so it can run beside other work), float32 and bfloat16 alternating.
# Figures: docs/benchmarks.md, "Mixed precision".
B=${SAE:-sae}  # the sae build to time (SAE=path/to/sae)
grep -m1 "model name" /proc/cpuinfo; grep -m1 flags /proc/cpuinfo | tr ' ' '\n' | grep -E 'avx512_bf16|amx' | tr '\n' ' '; echo
for round in 1 2; do
for dt in float32 bfloat16; do
  echo "== round $round sae-step $dt"; OMP_NUM_THREADS=1 $B bench sae-step --steps 10 --dtype $dt 2>&1 | tail -1
  echo "== round $round lm-forward $dt"; $B bench lm-forward --threads 1 --steps 6 --dtype $dt 2>&1 | tail -1
  echo "== round $round lm-forward --train $dt"; $B bench lm-forward --threads 1 --steps 6 --train --dtype $dt 2>&1 | tail -1
  echo "== round $round lm-forward --train 6x192 $dt"; $B bench lm-forward --threads 1 --steps 10 --train --layers 6 --d-model 192 --heads 6 --dtype $dt 2>&1 | tail -1
done
done
echo "== ops"; timeout 600 $B bench ops --threads 1 --repeats 3 2>&1 | grep -v '^{' 
