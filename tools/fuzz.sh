#!/usr/bin/env bash
# Fuzzes the library's readers with AFL++ through SharpFuzz (docs/reliability.md).
#
#   tools/fuzz.sh [--seconds N] [--out DIR] [TARGET ...]
#
# Builds the harness (tests/Sae.Fuzz), copies it to DIR/bin and instruments the libraries there
# (Sae.Games, Sae.Core, Sae.Metrics, TorchSharp.PyBridge, Razorvine.Pickle), then runs afl-fuzz on each
# target (all of them by default) for N seconds (default 60), starting from tests/Sae.Fuzz/corpus/TARGET.
# Prints one line per target (executions, coverage, crashes, hangs) and writes them to DIR/summary.tsv;
# crashing and hanging inputs are left in DIR/findings/TARGET/default/{crashes,hangs}. Exits 1 when any
# target crashed or hung. Needs afl-fuzz (Debian: apt-get install afl++); installs the sharpfuzz tool
# into DIR/tools. Runs from any directory.
set -euo pipefail

seconds=60
out=/tmp/sae-fuzz
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz is not installed (Debian: apt-get install afl++)" >&2; exit 2; }

dotnet build "$root/tests/Sae.Fuzz" -c Release -v q -nologo >/dev/null
built="$root/tests/Sae.Fuzz/bin/Release/net10.0/linux-x64"
rm -rf "$out/bin" "$out/findings"
mkdir -p "$out/findings" "$out/tools"
# Hard links for the large native files; the libraries to instrument are real copies (sharpfuzz rewrites them in place).
cp -al "$built" "$out/bin"
export DOTNET_ROLL_FORWARD=Major
[[ -x "$out/tools/sharpfuzz" ]] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
for library in Sae.Games Sae.Core Sae.Metrics TorchSharp.PyBridge Razorvine.Pickle; do
  cp --remove-destination "$built/$library.dll" "$out/bin/$library.dll"
  "$out/tools/sharpfuzz" "$out/bin/$library.dll"
done

[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <("$built/sae-fuzz" list | cut -f1)

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
printf 'target\tseconds\texecutions\tper_second\tcoverage\tedges\tpaths\tcrashes\thangs\n' | tee "$out/summary.tsv"
failed=0
for target in "${targets[@]}"; do
  findings="$out/findings/$target"
  # -V: stop after N seconds; -t: a run over 10 s is a hang; -m none: libtorch maps more than AFL's default limit.
  if ! SAE_FUZZ_LAST="$out/$target.last" afl-fuzz -i "$root/tests/Sae.Fuzz/corpus/$target" -o "$findings" -V "$seconds" -t 10000 -m none \
      -- "$out/bin/sae-fuzz" fuzz "$target" > "$out/$target.log" 2>&1; then
    # The harness process itself died (an access violation, a stack overflow): its last input is the culprit.
    echo "fuzz.sh: afl-fuzz stopped on $target (the harness died); its last input is $out/$target.last; see $out/$target.log" >&2
    tail -3 "$out/$target.log" >&2
    failed=1
    continue
  fi
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$findings/default/fuzzer_stats"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$(stat run_time)" "$(stat execs_done)" "$(stat execs_per_sec)" \
    "$(stat bitmap_cvg)" "$(stat edges_found)" "$(stat corpus_count)" "$(stat saved_crashes)" "$(stat saved_hangs)" | tee -a "$out/summary.tsv"
  if [[ "$(stat saved_crashes)" != 0 || "$(stat saved_hangs)" != 0 ]]; then failed=1; fi
done
exit $failed
