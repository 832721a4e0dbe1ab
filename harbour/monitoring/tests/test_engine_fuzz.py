"""Fuzzing the log engine: every input ends, quickly, with the same result on both paths (issue #13 point 10).

FLT-08, INC-FILT-06.  Hypothesis builds log files in each of the five formats
from hostile pieces (odd timestamps, hosts with leading or trailing dots, upper
case, ports, userinfo, IPv6, non-ASCII, control bytes, invalid UTF-8, long
lines, CR line ends, files without a final newline, empty files), then
mutates some lines byte by byte.  Each file is scanned by the reference path
and by the fast path, whole, with the format detected and forced, in chunks
and with tiny read blocks, and every ``ScanResult`` must be equal field for
field (private fields included).

The run is bounded for CI: ``HARBOUR_FUZZ_EXAMPLES`` examples per format
(default 40), no example database, a per-example deadline that only a hang or
a super-linear blow-up can reach.  The whole file takes about 10-20 s on a
loaded two-core machine.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import string
import tempfile
import threading
import time
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.monitoring.engine import Chunk, load_categories, load_keywords, scan, scan_reference
from harbour.monitoring.engine.reader import find_boundaries

pytest.importorskip("numba", reason="the fast path needs Numba (requirements.txt)")

from harbour.monitoring.engine import fast as fast_module
from harbour.monitoring.engine.fast import scan_fast

SAMPLES = Path(__file__).parent / "samples"
FLAGGED = frozenset({"adult", "gambling", "malware", "school_block", "games"})
EXAMPLES = int(os.environ.get("HARBOUR_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a loaded CI machine stalls at random; the time bound is checked below instead
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# One example is a few dozen lines: scanning it four ways takes milliseconds. A hang (issue #13:
# the empty file spun for ever) or a quadratic blow-up on one long line reaches this at once.
EXAMPLE_SECONDS = 20.0
TEST_SECONDS = 120  # one test function, all its examples included

DB = load_categories(SAMPLES / "lists", allow=SAMPLES / "allow.txt", block=SAMPLES / "block.txt")
KW = load_keywords(SAMPLES / "keywords.tsv")


class Hang(BaseException):
    """Raised by the alarm; not an OSError (TimeoutError is one), which the engine would catch."""


@pytest.fixture(autouse=True)
def time_limit():
    """A hang fails the test instead of stalling CI: an alarm interrupts Python code, and should a
    compiled loop ever spin (where signals are not seen) faulthandler ends the process with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise Hang(f"a scan ran for more than {TEST_SECONDS} s: a hang (issue #13)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_SECONDS)
    faulthandler.dump_traceback_later(TEST_SECONDS + 30, exit=True)
    try:
        yield
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)


# -- pieces -----------------------------------------------------------------------------------

LISTED = [
    "example.xxx",
    "www.example.xxx",
    "badsite.com",
    "a.wildcard-adult.example",
    "www.tube.example",
    "bet.example",
    "casino.example.org",
    "www.school-games.example",
    "facebook.com",
    "education.facebook.com",
    "www.facebook.com",
    "proxy-unblock.example",
    "www.youtube.com",
    "www.google.co.uk",
    "www.google.com",
    "duckduckgo.com",
    "www.bing.com",
]
ODD_HOSTS = [
    ".giswebservice.com",  # issue #13: a leading dot
    "..badsite.com",
    "badsite.com.",
    "BadSite.COM",
    "bad_site.com",
    "-x.com",
    "x",
    ".",
    "",
    "10.0.0.1",
    "[::1]",
    "[fe80::1%eth0]",
    "[::1",
    "user:pw@badsite.com",
    "@badsite.com",
    "bücher.de",
    "xn--bcher-kva.de",
    "a..b",
    "1.2.3.4.5",
    "h\tx.com",
    "error:invalid-request",
]
PORTS = ["", ":443", ":80", ":", ":0x1", ":99999999999999999999", ":٣"]
SCHEMES = ["http://", "https://", "", "ftp://", "HTTP://", "h-t.tp://", "://", "1http://"]
PATHS = [
    "",
    "/",
    "/adult/x",
    "/flash/game",
    "/ourschool/",
    "/shorts/abc",
    "/search?q=where+to+buy+a+knife",
    "/search?q=how%20to%20hurt%20myself&hl=en",
    "/search?hl=en&q=suicide",
    "/?q=porn",
    "/results?search_query=buy+a+gun",
    "/search?q=%ZZ%",
    "/search?q=" + "%41" * 30,
    "?q=knife",
    "#frag",
    "/a b",
    "/caf\u00e9",
]
TIMESTAMPS = [
    "1795161720.123",
    "1795161720",
    "1795161720.",
    ".5",
    "0",
    "4102444799.999",
    "4102444800",
    "17951617201",
    "1795161720.12345678901234",
    "179516172012345",
    "-1",
    "1e9",
    "nan",
    "inf",
    "\u0661\u0667\u0669",  # Arabic-Indic digits: str.isdigit() says yes, the format says no
    "",
]
USERS = ["-", "alice", "Bob", "b o b", "ünï", "x" * 300, "\u00a0", "-x"]
IPS = ["10.0.0.9", "10.0.0.11", "::1", "fe80::1", "999.1.1.1", "-", ""]
SPACES = [" ", "  ", "    ", "\t", " \t ", "\u00a0", "\u3000"]
JUNK = [b"\x00", b"\xff", b"\xc3", b"\r", b"\x0b", b"\x0c", b"\x1b", b"\xe2\x80\xa8", b" ", b"\t", b".", b":", b"/"]

text = st.text(alphabet=string.printable + "\u00e9\u00a0\u3000\u2028", max_size=12)


def pick(values: list[str]) -> st.SearchStrategy[str]:
    """Mostly the first (well-formed) value or another listed one, sometimes random text."""
    return st.integers(0, 39).flatmap(
        lambda n: text if n == 0 else st.sampled_from(values[1:]) if n < 5 else st.just(values[0])
    )


def often(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """A well-formed value three times out of four, else a hostile one or random text."""
    return st.integers(0, 19).flatmap(
        lambda n: text if n == 0 else st.sampled_from(bad) if n < 5 else st.sampled_from(good)
    )


hosts = often(LISTED, ODD_HOSTS)


@st.composite
def urls(draw) -> str:
    return draw(pick(SCHEMES)) + draw(hosts) + draw(pick(PORTS)) + draw(often(PATHS[:11], PATHS[11:]))


@st.composite
def squid_lines(draw) -> str:
    sp = draw(pick(SPACES))
    fields = [
        draw(pick(TIMESTAMPS)),
        draw(pick(["5", "120", "-", ""])),
        draw(pick(IPS)),
        draw(pick(["TCP_MISS/200", "TCP_TUNNEL/200", "NONE/400", "TCP_DENIED", "x/"])),
        "1234",
        draw(pick(["GET", "CONNECT", "POST", ""])),
        draw(urls()),
        draw(pick(USERS)),
        draw(pick(["HIER_DIRECT/192.0.2.1", "-", ""])),
        draw(pick(["text/html", "-", ""])),
    ]
    if draw(st.integers(0, 9)) == 0:
        fields = fields[: draw(st.integers(0, len(fields)))]
    return sp.join(fields)


@st.composite
def combined_lines(draw) -> str:
    vhost = draw(pick(["", "www.example.xxx:80 ", "vh:x "]))
    ts = draw(
        pick(
            ["20/Nov/2026:08:01:00 +0000", "20/Nov/2026:09:02:00 +0100", "31/Feb/2026:08:01:00", "1/Xyz/2026:00:00:00"]
        )
    )
    method = draw(pick(["GET", "CONNECT", "POST", ""]))
    target = draw(st.one_of(urls(), st.sampled_from(["/", "/search?q=knife", "*"])))
    req = draw(pick([f"{method} {target} HTTP/1.1", f"{method} {target}", target, '\\"', ""]))
    tail = draw(pick(['"-" "Mozilla/5.0"', "", '"-"', "TCP_MISS:HIER_DIRECT"]))
    return f'{vhost}{draw(pick(IPS))} - {draw(pick(USERS))} [{ts}] "{req}" {draw(pick(["200", "-", "2000"]))} 12 {tail}'


@st.composite
def e2guardian_lines(draw) -> str:
    date = draw(pick(["2026.11.20", "2026.2.30", "2026.13.1", "1969.12.31"]))
    clock = draw(pick(["8:1:0", "23:59:59", "24:0:0", "8:61:0"]))
    sp = draw(pick(SPACES))
    return sp.join([date, clock, draw(pick(USERS)), draw(pick(IPS)), draw(urls()), "GET 1001 0 1 200 text/html -"])


@st.composite
def pihole_lines(draw) -> str:
    when = draw(pick(["Nov 20 08:01:00", "Feb 30 08:01:00", "Nov  2 08:01:00", "Xyz 20 08:01:00"]))
    daemon = draw(pick(["dnsmasq[812]", "pihole-FTL[1]", "dnsmasq[x]"]))
    verb = draw(pick(["query[A]", "query[AAAA]", "forwarded", "reply", "query["]))
    name = draw(hosts)
    word = draw(pick(["from", "to", "is"]))
    return f"{when} {daemon}: {verb} {name} {word} {draw(pick(IPS))}"


CSV_HEADERS = [
    "timestamp,username,client_ip,url",
    "url,client_ip,timestamp",
    'timestamp,"username",client_ip,url,extra',
]


@st.composite
def csv_lines(draw) -> str:
    ts = draw(pick(["2026-11-20T08:01:00Z", "2026-11-20T09:02:00+01:00", "1795161720.5", "2026-13-01", "1e9"]))
    url = draw(urls())
    if draw(st.integers(0, 3)) == 0:
        url = '"' + url.replace('"', '""') + '"'
    user = draw(pick(USERS))
    return ",".join([ts, user, draw(pick(IPS)), url, *draw(st.lists(text, max_size=2))])


LINES = {
    "squid": squid_lines(),
    "combined": combined_lines(),
    "e2guardian": e2guardian_lines(),
    "pihole": pihole_lines(),
    "csv": csv_lines(),
}


@st.composite
def mutated(draw, line: st.SearchStrategy[str]) -> bytes:
    """A line as bytes, sometimes with a few bytes inserted, replaced or cut off."""
    raw = draw(line).encode("utf-8")
    for _ in range(max(0, draw(st.integers(-6, 3)))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw)))
        kind = draw(st.sampled_from(["insert", "replace", "cut", "none"]))
        junk = draw(st.sampled_from(JUNK))
        if kind == "insert":
            raw = raw[:at] + junk + raw[at:]
        elif kind == "replace":
            raw = raw[:at] + junk + raw[at + 1 :]
        elif kind == "cut":
            raw = raw[:at]
    if draw(st.integers(0, 40)) == 0:
        raw = raw + b"x" * draw(st.sampled_from([16 * 1024 - len(raw), 16 * 1024 + 1 - len(raw), 20_000]))
    return raw


@st.composite
def log_files(draw, fmt: str) -> bytes:
    lines = draw(st.lists(mutated(LINES[fmt]), max_size=30))
    if fmt == "csv" and draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(CSV_HEADERS)).encode())
    if draw(st.integers(0, 8)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.binary(max_size=64)))
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = end.join(lines)
    if lines and draw(st.booleans()):
        data += end
    return data


# -- running both paths ------------------------------------------------------------------------


@contextmanager
def block_size(size: int):
    """The fast path's read block, made tiny so that lines cross block ends."""
    saved = fast_module.BLOCK
    fast_module.BLOCK = size
    try:
        yield
    finally:
        fast_module.BLOCK = saved


def assert_same(fast, ref) -> None:
    assert fast.to_json() == ref.to_json()
    assert fast.problems == ref.problems
    assert fast.person_day == ref.person_day
    assert fast.flags == ref.flags
    assert fast._users == ref._users
    assert fast == ref


def check(data: bytes, fmt: str) -> None:
    """Both paths, format detected and forced, whole file, two chunks and tiny blocks: all equal."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="harbour-fuzz-") as folder:
        path = os.path.join(folder, f"log.{fmt}")
        with open(path, "wb") as f:
            f.write(data)
        common = {"categories": DB, "keywords": KW, "flag_categories": FLAGGED, "year": 2026}
        for forced in ("auto", fmt):
            ref = scan_reference([path], fmt=forced, **common)
            assert_same(scan_fast([path], fmt=forced, **common), ref)
            assert ref.lines - ref.requests == ref.malformed >= 0
            with block_size(64):
                assert_same(scan_fast([path], fmt=forced, **common), ref)
            # The public entry point, on each engine, as the CLI and the Django side call it.
            assert_same(scan([path], fmt=forced, engine="fast", **common), ref)
        # Byte-range chunks, as workers get them, format forced (as scan() plans them).
        cuts = find_boundaries(path, 0, len(data), 3)
        chunks = [Chunk(path, a, b, fmt) for a, b in pairwise(cuts)]
        assert_same(scan_fast(chunks, **common), scan_reference(chunks, **common))
    assert time.monotonic() - started < EXAMPLE_SECONDS


@pytest.mark.parametrize("fmt", sorted(LINES))
def test_fuzzed_logs_end_with_identical_results_on_both_paths(fmt):
    """FLT-08: no input hangs or crashes either path, and both give the same ScanResult."""

    @FUZZ
    @given(data=log_files(fmt))
    def run(data: bytes) -> None:
        check(data, fmt)

    run()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"\r\n\r\n",
        b"garbage\nmore garbage\n",
        b"1795161780.003    21 10.0.0.12 TCP_TUNNEL/200 1003 CONNECT .giswebservice.com:443 bob HIER_DIRECT/x -\n",
        b"1795161780.003 21 10.0.0.12 TCP_TUNNEL/200 1003 CONNECT ...:443 bob HIER_DIRECT/x -",
        b"\x00" * 100,
        b"x" * 70_000,
    ],
    ids=["empty", "newline", "crlf", "garbage", "leading-dot", "only-dots", "nul", "one-long-line"],
)
@pytest.mark.parametrize("fmt", ["squid", "combined", "e2guardian", "pihole", "csv"])
def test_issue_13_inputs(data, fmt):
    """The inputs of issue #13 (an empty file spun for ever; all-malformed lines raised IndexError)."""
    check(data, fmt)


def test_leading_dot_host_is_a_request_on_both_paths(tmp_path):
    """Squid logs ``CONNECT .host:443`` for a name with a leading dot: a request for host (issue #13)."""
    path = tmp_path / "dot.log"
    path.write_bytes(
        b"1795161780.003    21 10.0.0.12 TCP_TUNNEL/200 1003 CONNECT .giswebservice.com:443 bob HIER_DIRECT/x -\n"
        b"1795161780.004    21 10.0.0.12 TCP_TUNNEL/200 1003 CONNECT ..badsite.com:443 bob HIER_DIRECT/x -\n"
    )
    common = {"categories": DB, "keywords": KW, "flag_categories": FLAGGED, "year": 2026}
    for fmt in ("auto", "squid"):
        ref = scan_reference([str(path)], fmt=fmt, **common)
        assert (ref.lines, ref.requests, ref.malformed) == (2, 2, 0)
        assert ref.categories["adult"]["requests"] == 1
        assert [f.host for f in ref.flags if f.category == "adult"] == ["badsite.com"]
        assert_same(scan_fast([str(path)], fmt=fmt, **common), ref)


@pytest.mark.parametrize("fmt", ["squid", "combined", "e2guardian", "pihole", "csv"])
@pytest.mark.parametrize(
    "line",
    [
        "a:" + "1" * 16_000,
        ":" * 16_000,
        "x " * 8_000,
        "1795161720 " * 1_400 + "http://" + "a." * 2_000,
        '1.1.1.1 - u [20/Nov/2026:08:01:00 +0000] "' + "\\" * 15_000,
        "https://www.google.com/search?q=" + "%" * 16_000,
        "https://www.google.com/search?q=" + "how+to+" * 2_000,
    ],
    ids=["colon-digits", "colons", "spaces", "many-fields", "backslashes", "percents", "phrase-prefixes"],
)
def test_hostile_long_lines_take_linear_time(tmp_path, fmt, line):
    """A file of 200 worst-case 16 KiB lines is scanned in well under a second per megabyte on both paths."""
    path = tmp_path / "hostile.log"
    path.write_text((line[: 16 * 1024] + "\n") * 200)
    common = {"categories": DB, "keywords": KW, "flag_categories": FLAGGED, "year": 2026}
    started = time.process_time()
    ref = scan_reference([str(path)], fmt=fmt, **common)
    assert_same(scan_fast([str(path)], fmt=fmt, **common), ref)
    # 3.2 MB in all; a super-linear parser would need minutes here.
    assert time.process_time() - started < 10
