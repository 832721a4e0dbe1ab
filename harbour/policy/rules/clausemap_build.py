"""Build the demo schools' clause maps from the "Source clauses" column of REQUIREMENTS.md.

Run ``python -m harbour.policy.rules.clausemap_build [REQUIREMENTS.md]`` to print, as YAML, a
``clauses`` mapping per school (row ID -> the school's own clause references). The output is pasted into
harbour/policy/seeds/<slug>.yaml; this script is only the tool that made it, so the seeds stay the
single source.

Column format (REQUIREMENTS.md §0): ``St James <refs>; Joy Lane <refs>``, refs separated by commas,
ranges with an en dash. Ranges are expanded into single references: ``6.3.8(a)–(c)`` gives 6.3.8(a),
6.3.8(b), 6.3.8(c); ``9.3 p3–p5`` gives 9.3 p3, 9.3 p4, 9.3 p5; ``1.4–1.7`` gives 1.4 … 1.7. A bare
``p5`` continues the section of the reference before it. When the catalogue's clause index
(Appendix C) is present, expanded references it does not list are dropped (they do not exist in the
document, e.g. St James has no 2.1), and references it does not list are reported on stderr.

Pure Python (GOV-23, GOV-24).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SCHOOLS = {"St James": "st-james", "Joy Lane": "joy-lane"}
DEFAULT_PATH = Path(__file__).resolve().parents[4] / "shared" / "spec" / "REQUIREMENTS.md"

_ROW = re.compile(r"^\|\s*([A-Z]{2,5}(?:-[A-Z]{2,6})?-\d{2,3})\s*\|")
_LETTER_RANGE = re.compile(r"^(?P<base>.*)\((?P<a>[a-z])\)[–-]\((?P<b>[a-z])\)$")
_PARA_RANGE = re.compile(r"^(?:(?P<sec>\S+) )?p(?P<a>\d+)[–-]p(?P<b>\d+)$")
_PARA = re.compile(r"^(?:(?P<sec>\S+) )?p(?P<n>\d+)$")
_NUMBER_RANGE = re.compile(r"^(?P<prefix>(?:\d+\.)*)(?P<a>\d+)[–-](?P=prefix)(?P<b>\d+)$")


def expand(refs_text: str) -> list[str]:
    """The single references in one school's part of a Source clauses cell, in order, de-duplicated."""
    out: list[str] = []
    section = ""
    for raw in refs_text.split(","):
        ref = raw.strip()
        if not ref:
            continue
        refs: list[str]
        if m := _LETTER_RANGE.match(ref):
            refs = [f"{m['base']}({chr(c)})" for c in range(ord(m["a"]), ord(m["b"]) + 1)]
        elif m := _PARA_RANGE.match(ref):
            section = m["sec"] or section
            refs = [f"{section} p{n}" for n in range(int(m["a"]), int(m["b"]) + 1)]
        elif m := _PARA.match(ref):
            section = m["sec"] or section
            refs = [f"{section} p{m['n']}"]
        elif m := _NUMBER_RANGE.match(ref):
            refs = [f"{m['prefix']}{n}" for n in range(int(m["a"]), int(m["b"]) + 1)]
        else:
            refs = [ref]
        for single in refs:
            if single not in out:
                out.append(single)
    return out


def split_source(cell: str) -> dict[str, list[str]]:
    """``St James 1.1; Joy Lane 1 p1`` -> {"st-james": ["1.1"], "joy-lane": ["1 p1"]}."""
    result: dict[str, list[str]] = {}
    for part in cell.split(";"):
        part = part.strip()
        for school, slug in SCHOOLS.items():
            if part.startswith(school + " "):
                result.setdefault(slug, [])
                for ref in expand(part[len(school) + 1 :]):
                    if ref not in result[slug]:
                        result[slug].append(ref)
    return result


def clause_index(text: str) -> dict[str, set[str]]:
    """Appendix C: every clause reference each document has."""
    index: dict[str, set[str]] = {}
    current = ""
    in_appendix = False
    for line in text.splitlines():
        if line.startswith("## Appendix C"):
            in_appendix = True
            continue
        if not in_appendix:
            continue
        if line.startswith("### "):
            current = next((slug for school, slug in SCHOOLS.items() if line[4:].startswith(school)), "")
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current and len(cells) == 3 and cells[1].isdigit():
            index.setdefault(current, set()).add(cells[0])
    return index


def build(text: str, *, warn=None) -> dict[str, dict[str, list[str]]]:
    """Per school slug: {row_id: [refs]} for every catalogue row whose Source clauses cite that school."""
    index = clause_index(text)
    maps: dict[str, dict[str, list[str]]] = {slug: {} for slug in SCHOOLS.values()}
    for line in text.splitlines():
        m = _ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5:  # appendix tables have other shapes
            continue
        row_id, source = cells[0], cells[4]
        for slug, refs in split_source(source).items():
            known = index.get(slug)
            if known:
                unknown = [r for r in refs if r not in known]
                for ref in unknown:
                    if warn is not None:
                        warn(f"{row_id}: {slug} reference {ref!r} is not in the clause index")
                refs = [r for r in refs if r in known]
            if refs:
                maps[slug][row_id] = refs
    return maps


def to_yaml(maps: dict[str, dict[str, list[str]]]) -> str:
    """The maps as YAML, one ``<slug>: clauses:`` block per school, one row per line."""
    lines = ["# Generated by python -m harbour.policy.rules.clausemap_build from REQUIREMENTS.md."]
    for slug, rows in maps.items():
        lines.append(f"{slug}:")
        lines.append("  clauses:")
        for row_id, refs in rows.items():
            lines.append(f"    {row_id}: [{', '.join(_quote(r) for r in refs)}]")
    return "\n".join(lines) + "\n"


def _quote(ref: str) -> str:
    # Quote everything that YAML could read as a number or that holds YAML punctuation.
    if re.fullmatch(r"[A-Za-z][\w ()]*", ref) and ref.lower() not in ("yes", "no", "on", "off", "true", "false"):
        return ref
    return "'" + ref.replace("'", "''") + "'"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    maps = build(path.read_text(encoding="utf-8"), warn=lambda msg: print(msg, file=sys.stderr))
    sys.stdout.write(to_yaml(maps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
