"""Benchmark hook for ``make bench``: the full policy PDF for each demo school (target under 5 s).

``run()`` returns printable lines; harbour/bench.py calls it after Django is set up. One untimed
render first loads WeasyPrint, Pango and the fonts (a once-per-process cost); then each school's
policy is typeset from scratch several times, bypassing the cache, as the first visitor after a
new version would wait for it.
"""

from __future__ import annotations

import statistics
import time

TARGET_SECONDS = 5.0
RUNS = 3


def run(runs: int = RUNS) -> list[str]:
    from harbour.policy.documents.pdf import render_policy_pdf
    from harbour.schools.policy_defaults import BY_SLUG

    started = time.perf_counter()
    render_policy_pdf({}, "Warm-up School", use_cache=False)
    lines = [f"{'policy PDF first render (loads WeasyPrint)':<48} {time.perf_counter() - started:8.2f} s"]
    for slug, config in sorted(BY_SLUG.items()):
        timings = []
        size = 0
        for _ in range(runs):
            started = time.perf_counter()
            size = len(render_policy_pdf(config, use_cache=False))
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        verdict = "ok" if median < TARGET_SECONDS else f"SLOW (target {TARGET_SECONDS:.0f} s)"
        lines.append(
            f"{'policy PDF ' + slug:<48} median {median * 1000:8.1f} ms   max {max(timings) * 1000:8.1f} ms   "
            f"{size // 1024} KiB, {verdict}"
        )
    return lines
