"""Regenerates docs/cli.md from the `sae` command's own --help pages.

Run from the repository root after a Release build:
  python3 tools/make_cli_doc.py samples/Sae.Cli/bin/Release/net10.0/linux-x64/sae > docs/cli.md
"""
import re
import subprocess
import sys

SAE = sys.argv[1]
HEADER = """# The `sae` command

Every command of the `sae` tool (`samples/Sae.Cli`; installed with `dotnet tool install Sae.Cli`, or run
from a clone with `dotnet run --project samples/Sae.Cli -c Release -- …`). Each section below is the
command's own `--help` (regenerate with `tools/make_cli_doc.py`).

Common behaviour:

- Errors in input (a truncated or foreign file, a bad option value) print one line `sae: error: …` and exit
  with code 2. Ctrl+C (SIGINT) or SIGTERM stops the running command at its next step: a training writes
  its checkpoint first, the tool exits with 130 and leaves no half-written file (outputs are written to a
  temporary file or directory and renamed into place); a second signal ends it at once.
- `--threads T` sets the CPU threads (default: every core). With small models, or on a busy machine,
  fewer threads are often faster: libtorch's intra-op threads cost more than they give on small tensors.
- Benchmarks (`sae bench …`) print, last, one JSON line with the figure; `docs/benchmarks.md` holds results.
- Formats of every file read or written: [formats.md](formats.md).
"""


def help_of(path):
    return subprocess.run([SAE, *path, "--help"], capture_output=True, text=True).stdout.strip()


def parse(text):
    description = text.split("\n", 2)[1].strip() if text.startswith("Description:") else ""
    commands = []
    if "\nCommands:\n" in text:
        for line in text.split("\nCommands:\n", 1)[1].splitlines():
            m = re.match(r"^  (\S+)\s", line)
            if m:
                commands.append(m.group(1))
    return description, commands


def walk(path, depth, out):
    text = help_of(path)
    description, commands = parse(text)
    if path:
        out.append(f"{'#' * depth} `sae {' '.join(path)}`\n")
        if description:
            out.append(description + "\n")
    if not commands or not path:
        out.append("```text\n" + text + "\n```\n")
    for c in commands:
        walk(path + [c], depth + 1 if path else 2, out)


out = [HEADER, "\n## Commands\n"]
walk([], 2, out)
print("\n".join(out))
