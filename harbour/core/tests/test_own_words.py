"""Everything Harbour ships is written in our own words, never copied from the seed policies.

The two seed policies are the specification, not text to reuse: a school's published policy, the
"Can I…?" answers, help pages and docs must say things in Harbour's words. This test fails when any
shipped text shares a run of twelve consecutive words with a seed file. Case, punctuation and
whitespace are ignored, and so are web addresses (a link to the same DfE page is not copying).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from harbour.policy.tests.spec import SEEDS, requires_seeds

RUN_LENGTH = 12
SHIPPED_SUFFIXES = {".py", ".html", ".txt", ".md", ".yaml", ".yml"}
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_APOSTROPHES = re.compile(r"[\u2018\u2019'`]")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words with web addresses dropped; "school's" and "schools" count as one word."""
    text = _APOSTROPHES.sub("", _ADDRESS.sub(" ", text).lower())
    return _WORD.findall(text)


def runs(text: str, length: int = RUN_LENGTH) -> Iterator[tuple[int, tuple[str, ...]]]:
    found = words(text)
    for start in range(len(found) - length + 1):
        yield start, tuple(found[start : start + length])


def shipped_files(root: Path) -> list[Path]:
    """Code, templates and docs that go out with Harbour: what users and readers of the repo see."""
    files = [p for p in (root / "harbour").rglob("*") if p.is_file() and p.suffix in SHIPPED_SUFFIXES]
    files += [p for p in (root / "docs").rglob("*") if p.is_file() and p.suffix in SHIPPED_SUFFIXES]
    files.append(root / "README.md")
    return sorted(files)


def seed_runs(seeds: Path) -> set[tuple[str, ...]]:
    return {run for path in seeds.iterdir() if path.is_file() for _, run in runs(path.read_text(encoding="utf-8"))}


def copied_passages(text: str, seed: set[tuple[str, ...]]) -> list[str]:
    """Each stretch of ``text`` that repeats a seed's wording, overlapping runs merged into one."""
    found = words(text)
    spans: list[list[int]] = []
    for start, run in runs(text):
        if run not in seed:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = start + RUN_LENGTH
        else:
            spans.append([start, start + RUN_LENGTH])
    return [" ".join(found[first:last]) for first, last in spans]


def test_twelve_word_runs_are_spotted_whatever_the_case_punctuation_and_addresses():
    seed = {
        run for _, run in runs("Pupils must never, ever share their passwords with anyone else at all, even friends.")
    }
    assert copied_passages(
        "PUPILS must never ever share their\npasswords with anyone else at all — even friends!", seed
    )
    assert not copied_passages("Pupils keep their passwords to themselves, even from friends.", seed)
    with_address = "See https://www.gov.uk/a for it: pupils must never ever share their passwords with anyone"
    assert not copied_passages(
        with_address, {run for _, run in runs(with_address.replace("https://www.gov.uk/a", "x"))}
    )


@requires_seeds
def test_no_shipped_text_repeats_twelve_words_of_a_seed_policy():
    """Own words (issue 20): no file we ship shares twelve consecutive words with a seed policy."""
    seed = seed_runs(SEEDS)
    assert seed, f"no seed text found in {SEEDS}"
    copied = {
        str(path.relative_to(settings.BASE_DIR)): passages
        for path in shipped_files(settings.BASE_DIR)
        if (passages := copied_passages(path.read_text(encoding="utf-8", errors="replace"), seed))
    }
    assert not copied, "Reword these in our own words (they repeat a seed policy):\n" + "\n".join(
        f"{path}: {passage}" for path, passages in copied.items() for passage in passages
    )
