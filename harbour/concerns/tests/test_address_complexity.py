"""The web-address detector does work in proportion to the text (security finding 4, INC-IIOC-07).

Not a benchmark: these are termination and complexity checks with very generous bounds. The old
detector restarted at every label after a disguised dot ("a[dot]a[dot]..."), so work grew with the
square of the text: 24 KB took 2 s and 180 KB took two minutes, through the public report form.
"""

from __future__ import annotations

import random
import time

import pytest

from harbour.concerns.addresses import HIDDEN_TEXT, address_spans, hide_addresses

PIECES = [
    "a[dot]",
    "a.",
    "a[.]",
    "a(.)",
    "a{.}",
    "a(dot)",
    "a。",
    "ａ．",
    "1.1.",
    "1[.]",
    ".",
    "-",
    "．",
    "。",
    "a-",
    "ab-c.",
    "hxxp[://]",
    "//a.",
    "www[.]",
    "[1:",
    "a" * 70 + "[dot]",
    "_a[dot]",
]


def _cpu_seconds(text: str) -> float:
    start = time.process_time()
    list(address_spans(text))
    return time.process_time() - start


def _repeat(piece: str, size: int) -> str:
    return piece * (size // len(piece))


@pytest.mark.parametrize("piece", PIECES)
def test_work_grows_linearly_not_quadratically(piece):
    """Four times the text may cost about four times the work; the old code cost sixteen times."""
    small = _cpu_seconds(_repeat(piece, 12_000))
    large = _cpu_seconds(_repeat(piece, 48_000))

    assert large <= 10 * max(small, 0.02), (piece, small, large)


@pytest.mark.parametrize("piece", PIECES)
def test_a_200_kb_pathological_text_finishes_quickly(piece):
    assert _cpu_seconds(_repeat(piece, 200_000)) < 5


def test_a_200_kb_random_mix_finishes_quickly():
    rng = random.Random(4)
    text = "".join(rng.choice([*PIECES, " ", "example", "com", "/"]) for _ in range(40_000))[:200_000]

    assert _cpu_seconds(text) < 5


def test_addresses_after_a_long_chain_are_still_found():
    """The fix only stops restarts inside a chain; an address after it is hidden as before."""
    text = "a[dot]" * 5_000 + " then visit bad[.]example[.]com now"

    assert hide_addresses(text).endswith(f" then visit {HIDDEN_TEXT} now")
    assert hide_addresses("see a[dot]b[dot]example.com") == f"see {HIDDEN_TEXT}"
