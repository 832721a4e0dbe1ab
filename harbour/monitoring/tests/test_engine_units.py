"""Small rules of the monitoring engine: hosts, search terms, keywords, lists, timestamps, merging (FLT-08)."""

from __future__ import annotations

import pytest

from harbour.monitoring.engine import CategoryDB, KeywordSet, ScanResult
from harbour.monitoring.engine.formats import (
    clf_timestamp,
    csv_header,
    csv_timestamp,
    make_parser,
    parse_combined,
    parse_e2guardian,
    parse_squid,
)
from harbour.monitoring.engine.hosts import normalise_host, parent_domains, split_url
from harbour.monitoring.engine.lists import parse_entry
from harbour.monitoring.engine.searchterms import decode_terms, search_terms
from harbour.monitoring.engine.types import MAX_FLAGS, MAX_LINE_PROBLEMS, Flag


@pytest.mark.parametrize(
    ("authority", "host"),
    [
        ("WWW.Example.COM", "www.example.com"),
        ("example.com.", "example.com"),
        ("user:pw@example.com:8080", "example.com"),
        ("[2001:DB8::1]:443", "2001:db8::1"),
        ("10.0.0.1:3128", "10.0.0.1"),
        ("", None),
        ("exa mple.com", None),
        ("example.com:http", None),
        ("bücher.example", None),
        ("[2001:db8::1", None),
    ],
)
def test_normalise_host(authority, host):
    """FLT-08: lower-case, no userinfo, port or trailing dot; IPv6 without brackets; junk refused."""
    assert normalise_host(authority) == host


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        ("http://Example.com", ("example.com", "/")),
        ("https://example.com?q=1", ("example.com", "/?q=1")),
        ("https://a.example.com/x/y?z#f", ("a.example.com", "/x/y?z#f")),
        ("badsite.com:443", ("badsite.com", "/")),
        ("intranet:8080", ("intranet", "/")),
        ("error:invalid-request", None),
        ("-", None),
        ("http:///nohost", None),
        ("http://x.example/redirect?to=http://y.example/", ("x.example", "/redirect?to=http://y.example/")),
    ],
)
def test_split_url(url, parts):
    assert split_url(url) == parts


def test_parent_domains_and_ip_literals():
    assert parent_domains("a.b.example.com") == ["a.b.example.com", "b.example.com", "example.com", "com"]
    assert parent_domains("10.1.2.3") == ["10.1.2.3"]
    assert parent_domains("2001:db8::1") == ["2001:db8::1"]


@pytest.mark.parametrize(
    ("host", "path", "terms"),
    [
        ("www.google.co.uk", "/search?q=hello+world&hl=en", "hello world"),
        ("www.google.com", "/search?hl=en&q=caf%C3%A9", "café"),
        ("www.google.com", "/url?q=https://x.example/", ""),
        ("www.google.com", "/search", ""),
        ("www.bing.com", "/search?q=a%2520b", "a b"),  # double-encoded: decoded twice
        ("duckduckgo.com", "/?q=%E2%9C%93+ok", "✓ ok"),
        ("uk.search.yahoo.com", "/search?p=yahoo+terms", "yahoo terms"),
        ("m.youtube.com", "/results?search_query=cats%0Adogs", "cats dogs"),
        ("www.youtube.com", "/watch?v=abc", ""),
        ("www.example.com", "/search?q=not+a+search+engine", ""),
        ("www.google.com", "/search?q=&q=second", "second"),
        ("www.google.com", "/search?q=%FF", "\ufffd"),
        ("www.google.com", "/search?q=%25252525", "%25"),  # three decoding rounds, no more
    ],
)
def test_search_terms(host, path, terms):
    """FLT-08: terms from known search and video sites only, URL-decoded with a bounded number of rounds."""
    assert search_terms(host, path) == terms


def test_decode_terms_keeps_a_literal_plus():
    assert decode_terms("c%2B%2B+tutorial") == "c++ tutorial"


def _keywords(*rows: tuple[str, int, str]) -> KeywordSet:
    kw = KeywordSet()
    for row in rows:
        kw.add(*row)
    return kw


def test_keyword_whole_words_and_case():
    """FLT-08: case-insensitive, whole words only; a request counts once per category."""
    kw = _keywords(("knife", 40, "weapons"), ("gun", 30, "weapons"), ("Knife Crime", 10, "news"))
    assert kw.match("KNIFE and gun") == {"weapons": (("gun", "knife"), 70)}
    assert kw.match("knifepoint") == {}
    assert kw.match("penknife") == {}
    assert kw.match("knife-crime") == {"weapons": (("knife",), 40)}
    assert kw.match("knife   crime") == {"news": (("knife crime",), 10), "weapons": (("knife",), 40)}
    assert kw.match("") == {}


def test_keyword_combination_needs_every_part():
    kw = _keywords(("how to + hurt myself", 80, "self_harm"))
    assert kw.match("how to hurt myself") == {"self_harm": (("how to + hurt myself",), 80)}
    assert kw.match("hurt myself how to") == {"self_harm": (("how to + hurt myself",), 80)}
    assert kw.match("how to bake") == {}


def test_keyword_phrase_without_letters_is_refused():
    with pytest.raises(ValueError, match="letter or digit"):
        _keywords(("!!!", 5, "x"))
    with pytest.raises(ValueError, match="category"):
        _keywords(("word", 5, " "))


def test_keyword_set_survives_pickling():
    import pickle

    kw = _keywords(("knife", 40, "weapons"))
    assert kw.match("knife") == {"weapons": (("knife",), 40)}
    again = pickle.loads(pickle.dumps(kw))
    assert again.match("a knife") == {"weapons": (("knife",), 40)}


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("Example.COM", ("example.com", "")),
        ("*.example.com", ("example.com", "")),
        (".example.com", ("example.com", "")),
        ("www.Example.com/Path/X", ("www.example.com", "/Path/X")),
        ("http://example.com/a", ("example.com", "/a")),
        ("intranet/page", ("intranet", "/page")),
        ("bad!entry", None),
    ],
)
def test_list_entries(entry, parsed):
    assert parse_entry(entry) == parsed


def test_categories_union_urls_allow_and_block():
    """FLT-08: subdomains match; URL prefixes compare host exactly and path case-sensitively; allow wins."""
    db = CategoryDB.build(
        {
            "adult": ["example.xxx", "shared.example"],
            "news": ["shared.example", "sub.shared.example"],
            "video": ["tube.example/Adult/"],
        },
        allow=["safe.example.xxx", "tube.example/Adult/ok"],
        block=["blocked.example", "tube.example/Adult/bad"],
    )
    assert db.categorise("www.example.xxx", "/") == ("adult",)
    assert db.categorise("safe.example.xxx", "/") == ()
    assert db.categorise("deep.safe.example.xxx", "/") == ()
    assert db.categorise("a.sub.shared.example", "/") == ("adult", "news")
    assert db.categorise("tube.example", "/Adult/x") == ("video",)
    assert db.categorise("tube.example", "/adult/x") == ()
    assert db.categorise("www.tube.example", "/Adult/x") == ()
    assert db.categorise("tube.example", "/Adult/ok/1") == ()
    assert db.categorise("tube.example", "/Adult/bad") == ("school_block", "video")
    assert db.categorise("blocked.example", "") == ("school_block",)
    assert db.categorise("example.xxx.evil", "/") == ()
    assert db.sizes["video"] == (0, 1)


def test_timestamps():
    """Combined with offsets, CSV ISO 8601 (zone or UTC) and epoch; impossible dates refused."""
    assert clf_timestamp("20/Nov/2026:09:02:00 +0100") == 1795161720.0
    assert clf_timestamp("20/Nov/2026:08:02:00 +0000") == 1795161720.0
    assert clf_timestamp("31/Nov/2026:08:02:00 +0000") is None
    assert clf_timestamp("20/Foo/2026:08:02:00 +0000") is None
    assert csv_timestamp("2026-11-20T08:02:00Z") == 1795161720.0
    assert csv_timestamp("2026-11-20 08:02:00") == 1795161720.0
    assert csv_timestamp("1795161720.5") == 1795161720.5
    assert csv_timestamp("nan") is None
    assert csv_timestamp("1e9") is None
    assert csv_timestamp("2200-01-01T00:00:00Z") is None


def test_parsers_pick_person_and_username():
    req = parse_squid("1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://a.example/ carol DIRECT/x text/html")
    assert (req.person, req.username, req.client_ip, req.host, req.path) == (
        "carol",
        "carol",
        "10.0.0.9",
        "a.example",
        "/",
    )
    req = parse_squid("1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://a.example/ - DIRECT/x text/html")
    assert (req.person, req.username) == ("10.0.0.9", "")
    assert parse_squid("1e9 5 10.0.0.9 TCP_MISS/200 10 GET http://a.example/ - DIRECT/x -") == "invalid timestamp"
    req = parse_combined('10.0.0.9 dave - [20/Nov/2026:08:02:00 +0000] "GET http://a.example/x HTTP/1.1" 200 1')
    assert (req.person, req.path) == ("dave", "/x")  # ident used when the user field is "-"
    req = parse_e2guardian("2026.11.20 8:02:00 - 10.0.0.9 https://a.example:443 *DENIED* CONNECT 0 0")
    assert (req.person, req.host, req.ts) == ("10.0.0.9", "a.example", 1795161720.0)
    pihole = make_parser("pihole", year=2025)
    assert pihole("Nov 20 08:02:00 dnsmasq[1]: query[A] a.example from 10.0.0.9").ts == 1795161720.0 - 365 * 86400


def test_csv_header_any_order():
    assert csv_header("timestamp,username,client_ip,url") == (0, 1, 2, 3)
    assert csv_header("URL, Client_IP ,extra,Timestamp") == (3, -1, 1, 0)
    assert csv_header("time,ip,url") is None
    parse = make_parser("csv", year=2026, columns=(3, -1, 1, 0))
    req = parse("http://a.example/,10.0.0.9,x,2026-11-20T08:02:00Z")
    assert (req.person, req.host) == ("10.0.0.9", "a.example")


def _flag(ts: float) -> Flag:
    return Flag(ts, "p", "ip", "", "keyword", "c", "h", "u", "t", ("t",), 1)


def test_merge_is_exact_and_caps_flags_and_problems():
    """Scale: merging partial results equals one pass; caps keep the earliest flags and first problems."""
    a, b = ScanResult(lines=3, requests=2), ScanResult(lines=2, requests=2)
    a.add_category("adult", "alice")
    b.add_category("adult", "alice")
    b.add_category("adult", "bob")
    a.person_day[("alice", "adult", "2026-11-20")] = 1
    b.person_day[("alice", "adult", "2026-11-20")] = 1
    b.person_day[("bob", "adult", "2026-11-21")] = 1
    b.person_day[("bob", "kw:weapons", "2026-11-21")] = 5
    a.flags = [_flag(float(i)) for i in range(MAX_FLAGS, 0, -1)]
    b.flags = [_flag(0.5)]
    for i in range(MAX_LINE_PROBLEMS):
        a.note_line_problem("f", i + 1, "blank line")
    b.note_line_problem("g", 1, "blank line")
    b.note_file_problem("g", "empty file")
    merged = a.merge(b)
    assert merged.to_json() == {
        "lines": 5,
        "requests": 4,
        "malformed": 1,
        "categories": {"adult": {"requests": 3, "users": 2}},
        "keyword_hits": {},
        "top": [["alice", "adult", 2], ["bob", "adult", 1]],
    }
    assert len(merged.flags) == MAX_FLAGS
    assert merged.flags[0].ts == 0.5
    assert merged.flags[-1].ts == MAX_FLAGS - 1
    assert merged.problems[0] == "g: empty file"
    assert len(merged.problems) == 1 + MAX_LINE_PROBLEMS
    assert "g:1: blank line" not in merged.problems


def test_replacing_lists_never_reuses_the_lookup_cache():
    """A school's copy of the shared lists (dataclasses.replace) must not see the shared copy's cached answers."""
    import dataclasses

    shared = CategoryDB.build({"adult": ["x.example"]})
    assert shared.categorise("www.x.example", "/") == ("adult",)
    school = dataclasses.replace(shared, allow_domains=frozenset({"x.example"}))
    assert school.categorise("www.x.example", "/") == ()
    assert shared.categorise("www.x.example", "/") == ("adult",)
