"""Summarise py-spy collapsed stacks (``--format raw``): where the samples of one kind of work
went, as inclusive shares of that work, by function.

    .venv/bin/python -m tests.benchmarks.profile_summary FILE [--within FRAME] [--top 40]

``--within`` keeps only the stacks that pass through a frame whose text contains FRAME (for
gunicorn: ``handle_request``, the time spent on requests rather than waiting for one).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r"^(.*) (\d+)$")
_LINENO = re.compile(r":\d+\)$")


def stacks(path: Path) -> list[tuple[list[str], int]]:
    out = []
    for line in path.read_text(errors="replace").splitlines():
        match = _LINE.match(line)
        if match:
            frames = [f for f in match.group(1).split(";") if not f.startswith("process ")]
            out.append((frames, int(match.group(2))))
    return out


def summarise(path: Path, within: str | None, top: int) -> None:
    all_stacks = stacks(path)
    total = sum(n for _, n in all_stacks)
    chosen = [(f, n) for f, n in all_stacks if not within or any(within in x for x in f)]
    busy = sum(n for _, n in chosen)
    print(f"{path.name}: {total} samples, {busy} ({busy / max(total, 1):.0%}) within {within!r}")
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    for frames, n in chosen:
        names = [_LINENO.sub(")", f) for f in frames]
        for name in set(names):
            inclusive[name] += n
        if names:
            leaf[names[-1]] += n
    print(f"  inclusive, of {busy}:")
    for name, n in inclusive.most_common(top):
        print(f"    {n / max(busy, 1):6.1%}  {name}")
    print("  self (leaf frames):")
    for name, n in leaf.most_common(top // 2):
        print(f"    {n / max(busy, 1):6.1%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--within")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    for path in args.files:
        summarise(path, args.within, args.top)


if __name__ == "__main__":
    main()
