"""``harbour-monitor scan ...`` and ``python -m harbour.monitoring`` (FLT-08).

Exit status: 0 after a scan (malformed lines are counted, not errors); 2 for
a usage error, with one clear line on standard error: a missing list folder,
an unreadable or unknown-format log file, an invalid keywords line
(``file:line: reason``); 1 for an unexpected failure, still without a
traceback; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from collections.abc import Sequence

from . import (
    FORMATS,
    EngineUnavailable,
    KeywordError,
    ListError,
    ScanResult,
    load_any,
    load_categories,
    scan,
)
from .formats import detect
from .reader import STDIN, file_size, iter_lines, open_log
from .reference import current_year
from .widgets import ProgressBar, summary

PROG = "harbour-monitor"


class UsageError(Exception):
    """Printed as ``harbour-monitor: error: ...`` with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Read web filter and DNS logs; count categories and keyword searches.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    s = sub.add_parser("scan", help="scan log files and print a summary (or --json)")
    s.add_argument(
        "--lists",
        metavar="DIR",
        help="UT1/Shalla folder: DIR/<category>/domains and urls (with --index: the folder it must match)",
    )
    s.add_argument(
        "--index", metavar="FILE", help="prebuilt category index (harbour-monitor index build): starts in milliseconds"
    )
    s.add_argument(
        "--keywords",
        required=True,
        action="append",
        metavar="FILE",
        help="phrase<TAB>weight<TAB>category file or e2guardian weighted phrase list (repeatable)",
    )
    s.add_argument("--allow", metavar="FILE", help="school allow list: domains or host/path prefixes")
    s.add_argument("--block", metavar="FILE", help="school block list: adds the category school_block")
    s.add_argument("--format", default="auto", choices=("auto", *FORMATS), help="log format (default: per file)")
    s.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    s.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use; 0 = one per CPU")
    s.add_argument("--engine", default="auto", choices=("auto", "reference", "fast"))
    s.add_argument("--year", type=int, metavar="YYYY", help="year of Pi-hole/dnsmasq lines (default: this year)")
    s.add_argument(
        "--flag", action="append", default=[], metavar="CATEGORY", help="list requests in this category (repeatable)"
    )
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("logfiles", nargs="+", metavar="LOGFILE", help='log files (.gz read as such); "-" = standard input')

    i = sub.add_parser("index", help="build or check a prebuilt category index")
    isub = i.add_subparsers(dest="index_command", metavar="ACTION", parser_class=_Parser)
    b = isub.add_parser("build", help="compile a list folder into one memory-mapped index file")
    b.add_argument("--lists", required=True, metavar="DIR", help="UT1/Shalla folder")
    b.add_argument("--out", required=True, metavar="FILE", help="index file to write (replaced atomically)")
    v = isub.add_parser("verify", help="check every byte of an index, and that it matches its lists")
    v.add_argument("--lists", metavar="DIR", help="the folder it must match (default: the one it was built from)")
    v.add_argument("file", metavar="FILE")
    return parser


def run_index(args: argparse.Namespace) -> int:
    from .index import build_index, open_index

    try:
        if args.index_command == "build":
            info = build_index(args.lists, args.out)
            sys.stdout.write(
                f"Wrote {info.path}: {info.domains:,} domains, {info.url_hosts:,} hosts with URL prefixes, "
                f"{info.size / 1e6:.1f} MB, in {info.seconds:.1f} s\n"
            )
            return 0
        if args.index_command == "verify":
            db = open_index(args.file, lists_dir=args.lists, verify=True)
            sys.stdout.write(f"{args.file}: sound; {len(db.domains):,} domains in {len(db.sizes)} categories\n")
            return 0
    except ListError as exc:
        raise UsageError(str(exc)) from None
    raise UsageError("index: choose build or verify (see harbour-monitor index --help)")


def _categories(args: argparse.Namespace):
    """The lists: from a prebuilt index when given (refused when stale or damaged), else from the folder."""
    if args.index is None:
        if args.lists is None:
            raise UsageError("one of --lists DIR or --index FILE is required")
        return load_categories(args.lists, allow=args.allow, block=args.block)
    from .index import open_index
    from .lists import read_list_file

    db = open_index(args.index, lists_dir=args.lists)
    allow = read_list_file(args.allow) if args.allow is not None else ()
    block = read_list_file(args.block) if args.block is not None else ()
    return db.with_school_lists(allow=allow, block=block)


def _check_logs(paths: Sequence[str], fmt: str, year: int) -> None:
    """Refuse unreadable files and files whose format cannot be recognised, before any work."""
    if paths.count(STDIN) > 1:
        raise UsageError('standard input ("-") can be read only once')
    for path in paths:
        if path == STDIN:
            continue
        if os.path.isdir(path):
            raise UsageError(f"{path}: is a folder, not a log file")
        if not os.path.exists(path):
            raise UsageError(f"{path}: no such log file")
        try:
            with open_log(path) as f:
                head = [line for _, line in zip(range(200), iter_lines(f), strict=False)]
        except (OSError, EOFError, zlib.error) as exc:
            raise UsageError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        if fmt == "auto" and head and detect(head, year=year) is None:
            raise UsageError(
                f"{path}: unknown log format; the first lines are none of {', '.join(FORMATS)} (use --format)"
            )


def run_scan(args: argparse.Namespace) -> int:
    if args.workers < 0:
        raise UsageError("--workers must be 0 (one per CPU) or more")
    if args.year is not None and not 1970 <= args.year <= 2099:
        raise UsageError("--year must be between 1970 and 2099")
    year = args.year or current_year()
    try:
        categories = _categories(args)
        keywords = load_any(args.keywords)
    except (ListError, KeywordError) as exc:
        raise UsageError(str(exc)) from None
    _check_logs(args.logfiles, args.format, year)

    bar = None
    if not args.quiet and sys.stderr.isatty():
        bar = ProgressBar(sum(file_size(p) for p in args.logfiles), sys.stderr)
    started = time.monotonic()
    try:
        result = scan(
            args.logfiles,
            categories=categories,
            keywords=keywords,
            fmt=args.format,
            workers=args.workers,
            engine=args.engine,
            flag_categories=frozenset(args.flag),
            progress=bar.advance if bar else None,
            year=year,
        )
    except EngineUnavailable as exc:
        raise UsageError(str(exc)) from None
    finally:
        if bar:
            bar.close()
    elapsed = time.monotonic() - started
    if result.formats.get(STDIN) == "unknown":
        raise UsageError("standard input: unknown log format (use --format)")
    _warn_file_problems(result)
    if args.json:
        sys.stdout.write(json.dumps(result.to_json()) + "\n")  # ASCII-only: valid whatever the locale
    else:
        sys.stdout.write(summary(result, elapsed=elapsed, categories=categories, keywords=keywords))
    sys.stdout.flush()
    return 0


def _warn_file_problems(result: ScanResult) -> None:
    for problem in result._file_problems:
        sys.stderr.write(f"{PROG}: warning: {problem}\n")


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a C locale must not turn a name into a crash
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "index":
            return run_index(args)
        if args.command != "scan":
            parser.print_help(sys.stderr)
            return 2
        return run_scan(args)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); silence the second error at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {exc}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
