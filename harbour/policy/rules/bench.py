"""Benchmark hook for `make bench`: warm latency of the "Can I…?" engine (issue 5 performance).

``run()`` asks every actor × action of the vocabulary of each demo school (read from
harbour/policy/seeds/*.yaml) after one warm-up round, and returns printable lines with the median and
99th percentile per question. Pure module: no Django.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from harbour.policy.rules.config_io import load_yaml
from harbour.policy.rules.engine import ask
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
ROUNDS = 5


def _configs() -> dict[str, dict[str, Any]]:
    configs = {}
    for path in sorted(SEEDS_DIR.glob("*.yaml")):
        config, errors = load_yaml(path.read_text(encoding="utf-8"))
        if not errors:
            configs[path.stem] = config
    return configs


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(rounds: int = ROUNDS) -> list[str]:
    """One line per demo school, plus one for all questions together; times in microseconds."""
    pairs = [(actor, action) for action in ACTIONS for actor in ACTORS]
    lines, everything = [], []
    for slug, config in _configs().items():
        for actor, action in pairs:  # warm-up: first calls pay for lazy look-ups
            ask(config, actor, action, {})
        timings = []
        for _ in range(rounds):
            for actor, action in pairs:
                started = time.perf_counter()
                ask(config, actor, action, {})
                timings.append((time.perf_counter() - started) * 1_000_000)
        everything += timings
        lines.append(
            f"policy ask ({slug}, {len(pairs)} questions x {rounds})".ljust(48)
            + f" median {statistics.median(timings):8.1f} µs   p99 {_percentile(timings, 0.99):8.1f} µs"
        )
    if everything:
        lines.append(
            "policy ask (all schools)".ljust(48)
            + f" median {statistics.median(everything):8.1f} µs   p99 {_percentile(everything, 0.99):8.1f} µs"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
