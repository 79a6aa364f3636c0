"""``python -m tests.corpus.report [--only TAG] [--jobs N]``: every corpus file through the
door check and the deep check, as a filing; one line per file, then the acceptance rate overall,
per producer and per feature, and the total time. Every file is a legitimate document, so
every refusal counted here is a false refusal."""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from tests.corpus import CorpusUnavailable, select
from tests.corpus.check import Verdict, check


def _line(verdict: Verdict) -> str:
    entry = verdict.entry
    outcome = "served" if verdict.served else f"REFUSED at {verdict.stage}: {verdict.describe()}"
    warned = ",".join(sorted({w["code"] for w in verdict.warnings}))
    return (
        f"{entry.id:<58} {outcome}{'  [warn ' + warned + ']' if warned else ''}"
        f"  pages={verdict.pages} {verdict.seconds:.2f}s"
    )


def _rates(title: str, groups: dict[str, list[Verdict]]) -> Iterable[str]:
    yield f"\nby {title}:"
    for name, verdicts in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        served = sum(v.served for v in verdicts)
        yield f"  {name:<24} {served:>4}/{len(verdicts):<4} {100 * served / len(verdicts):5.1f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="an id, producer, feature, package, 'real' or 'built'")
    parser.add_argument("--jobs", type=int, default=1, help="files checked at once (default 1)")
    args = parser.parse_args(argv)
    entries = select(args.only)
    if not entries:
        print(f"no corpus file matches {args.only!r}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    verdicts: list[Verdict] = []
    missing: list[str] = []

    def run(entry):  # type: ignore[no-untyped-def]
        try:
            return check(entry)
        except CorpusUnavailable as exc:
            return str(exc)

    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for result in pool.map(run, entries):
            if isinstance(result, str):
                missing.append(result)
                print(f"UNAVAILABLE {result}", flush=True)
            else:
                verdicts.append(result)
                print(_line(result), flush=True)
    served = sum(v.served for v in verdicts)
    print(f"\nacceptance: {served}/{len(verdicts)} served", end="")
    print(f" ({100 * served / len(verdicts):.1f}%)" if verdicts else "")
    by_producer: dict[str, list[Verdict]] = defaultdict(list)
    by_feature: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in verdicts:
        by_producer[verdict.entry.producer].append(verdict)
        origin = "real" if verdict.entry.source else "built"
        for feature in (origin, *verdict.entry.features):
            by_feature[feature].append(verdict)
    print("\n".join([*_rates("producer", by_producer), *_rates("feature", by_feature)]))
    checking = sum(v.seconds for v in verdicts)
    elapsed = time.perf_counter() - started
    print(f"\nchecked {len(verdicts)} files: {checking:.1f}s of checks, {elapsed:.1f}s in all")
    if missing:
        print(f"{len(missing)} files unavailable (not counted)")
    return 0 if served == len(verdicts) and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
