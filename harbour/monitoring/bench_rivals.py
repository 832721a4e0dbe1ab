"""What `make bench-monitoring` measures the engine against (issue #6 performance section).

- ``plain_classify``: the obvious line-by-line Python classifier a developer would
  write first: split the line, take the host from the URL, look the host and its
  parent domains up in one dict, pull the query out of search URLs, decode it and
  run Aho-Corasick over it, count per (person, category, day).  It is written
  plainly on purpose: it is the yardstick, not an engine (no malformed-line
  reasons, no allow list, no URL-prefix lists, looser host rules).
- squidGuard's offline mode: the Debian package, fed the same log rewritten as
  redirector input (``URL ip/fqdn user method``), with its Berkeley DB built from
  the same UT1 tree by ``squidGuard -C all``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote_plus

import ahocorasick

SEARCH_PARAMS = {
    "www.google.com": "q",
    "www.google.co.uk": "q",
    "www.bing.com": "q",
    "duckduckgo.com": "q",
    "search.yahoo.com": "p",
    "www.youtube.com": "search_query",
    "m.youtube.com": "search_query",
}


def load_plain_lists(lists_dir: Path) -> dict[str, tuple[str, ...]]:
    """domain -> categories, read from every <category>/domains file."""
    table: dict[str, tuple[str, ...]] = {}
    for folder in sorted(p for p in lists_dir.iterdir() if p.is_dir()):
        path = folder / "domains"
        if not path.is_file():
            continue
        name = folder.name
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                domain = line.strip().lower()
                if not domain or domain.startswith("#"):
                    continue
                old = table.get(domain)
                table[domain] = (name,) if old is None else (*old, name)
    return table


def load_plain_keywords(path: Path) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, _weight, category = line.split("\t")
        automaton.add_word(phrase.lower(), (phrase.lower(), category))
    automaton.make_automaton()
    return automaton


def plain_classify(log: Path, table: dict[str, tuple[str, ...]], automaton: ahocorasick.Automaton) -> dict:
    """One pass over a Squid native log; returns the counts (so the work cannot be skipped)."""
    per_person: Counter = Counter()
    keyword_hits: Counter = Counter()
    lines = requests = 0
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            lines += 1
            fields = line.split()
            if len(fields) < 8:
                continue
            try:
                day = int(float(fields[0]) // 86400)
            except ValueError:
                continue
            url = fields[6]
            rest = url.split("://", 1)[1] if "://" in url else url
            host = rest.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].lower()
            if not host:
                continue
            requests += 1
            person = fields[7] if fields[7] != "-" else fields[2]
            name = host
            while True:
                cats = table.get(name)
                if cats:
                    for cat in cats:
                        per_person[(person, cat, day)] += 1
                dot = name.find(".")
                if dot < 0:
                    break
                name = name[dot + 1 :]
            param = SEARCH_PARAMS.get(host)
            if param and "?" in url:
                for pair in url.split("?", 1)[1].split("&"):
                    key, _, value = pair.partition("=")
                    if key == param and value:
                        terms = unquote_plus(value).lower()
                        found = {cat for end, (phrase, cat) in automaton.iter(terms) if _whole(terms, end, phrase)}
                        for cat in found:
                            keyword_hits[cat] += 1
                            per_person[(person, "kw:" + cat, day)] += 1
                        break
    return {"lines": lines, "requests": requests, "keys": len(per_person), "keyword_hits": dict(keyword_hits)}


def _whole(text: str, end: int, phrase: str) -> bool:
    start = end - len(phrase) + 1
    return (start == 0 or not text[start - 1].isalnum()) and (end + 1 == len(text) or not text[end + 1].isalnum())


# -- squidGuard --------------------------------------------------------------------------------


def squidguard_binary() -> str | None:
    return shutil.which("squidGuard") or shutil.which("squidguard")


def squidguard_prepare(lists_dir: Path, workdir: Path) -> tuple[Path, float]:
    """Copy the UT1 tree, write squidGuard.conf and build the Berkeley DBs (once). Returns (conf, build seconds)."""
    home = workdir / "squidguard"
    db = home / "db"
    conf = home / "squidGuard.conf"
    stamp = home / "built"
    if stamp.exists():
        return conf, float(stamp.read_text() or 0)
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(lists_dir, db)
    (home / "log").mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in db.iterdir() if (p / "domains").is_file())
    parts = [f"dbhome {db}", f"logdir {home / 'log'}", ""]
    for name in names:
        parts.append(f"dest {name.replace('-', '_')} {{")
        parts.append(f"\tdomainlist {name}/domains")
        if (db / name / "urls").is_file():
            parts.append(f"\turllist {name}/urls")
        parts.append("}")
    blocked = " ".join(f"!{n.replace('-', '_')}" for n in names)
    parts += ["acl {", "\tdefault {", f"\t\tpass {blocked} all", "\t\tredirect http://blocked.invalid/", "\t}", "}", ""]
    conf.write_text("\n".join(parts), encoding="ascii")
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed arguments
        [squidguard_binary() or "squidGuard", "-c", str(conf), "-C", "all"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    stamp.write_text(f"{seconds:.1f}")
    return conf, seconds


def squidguard_input(log: Path, out: Path, lines: int) -> int:
    """Rewrite the first ``lines`` Squid lines as redirector input; returns how many were written."""
    written = 0
    with open(log, encoding="utf-8", errors="replace") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            fields = line.split()
            if len(fields) >= 8:
                dst.write(f"{fields[6]} {fields[2]}/- {fields[7]} {fields[5]}\n")
                written += 1
                if written >= lines:
                    break
    return written


def squidguard_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SQUIDGUARD_CONF", None)
    return env
