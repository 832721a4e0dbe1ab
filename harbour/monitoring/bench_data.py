"""Deterministic benchmark data for `make bench-monitoring` (issue #6, FLT performance goal).

Writes, into one folder, a Squid native access log, a UT1-layout category tree and a keywords
file. The same seed and sizes always give byte-identical files, so figures from two runs (or
two machines) are comparable, and the folder is reused when it already holds a complete set.

The log aims to look like a school's day: a few hundred popular hosts carry most traffic (Zipf),
a tail of listed and unlisted hosts, HTTPS CONNECT lines, search-engine and video-site searches
(some with safeguarding keyword hits), authenticated users and anonymous devices, and a sprinkle
of malformed lines (blank, truncated, binary) that every engine must count and skip.
"""

from __future__ import annotations

import json
import random
from itertools import accumulate
from pathlib import Path

SEED = 20260603
START_TS = 1_767_600_000  # 2026-01-05, a Monday
DAYS = 5

CATEGORIES = [
    "adult", "aggressive", "agressif", "arjel", "astrology", "audio-video", "bank", "bitcoin", "blog",
    "celebrity", "chat", "cooking", "dangerous_material", "dating", "drogue", "forums", "gambling",
    "games", "hacking", "jobsearch", "lingerie", "malware", "manga", "mixed_adult", "phishing", "press",
    "remote-control", "sect", "shopping", "social_networks", "sports", "translation", "vpn", "warez",
    "webmail",
]  # fmt: skip
SYLLABLES = [
    "ka",
    "lo",
    "ma",
    "ri",
    "ne",
    "to",
    "su",
    "vi",
    "ba",
    "de",
    "fi",
    "gu",
    "ho",
    "ja",
    "ke",
    "li",
    "mo",
    "nu",
    "pa",
    "qui",
    "ra",
    "se",
    "ti",
    "vo",
    "wa",
    "xe",
    "yo",
    "zu",
    "bri",
    "cra",
    "dro",
    "fle",
    "gro",
    "pla",
    "stu",
    "tre",
    "vel",
    "mon",
    "tar",
    "lin",
    "dor",
    "fen",
    "gar",
    "hul",
    "jin",
    "kor",
    "lum",
    "nar",
    "pel",
    "rus",
    "sol",
    "tum",
    "ver",
    "win",
    "zel",
]
TLDS = ["com"] * 8 + ["net"] * 2 + ["org", "fr", "de", "co.uk", "info", "io", "ru", "es", "it", "nl"]
POPULAR = [
    "www.google.com", "www.google.co.uk", "www.bing.com", "duckduckgo.com", "search.yahoo.com",
    "www.youtube.com", "m.youtube.com", "www.bbc.co.uk", "login.microsoftonline.com", "outlook.office365.com",
    "www.gstatic.com", "fonts.googleapis.com", "ajax.googleapis.com", "clients4.google.com",
    "classroom.google.com", "docs.google.com", "drive.google.com", "www.wikipedia.org", "en.wikipedia.org",
    "www.bbc.com", "bitesize.bbc.co.uk", "www.oaknational.org.uk", "www.tiktok.com", "www.instagram.com",
    "www.facebook.com", "twitter.com", "x.com", "discord.com", "www.roblox.com", "www.minecraft.net",
    "cdn.jsdelivr.net", "www.amazon.co.uk", "images-eu.ssl-images-amazon.com", "i.ytimg.com",
    "update.microsoft.com", "ctldl.windowsupdate.com", "ocsp.digicert.com", "www.apple.com",
    "teams.microsoft.com", "www.mathsisfun.com", "www.timestables.co.uk", "www.twinkl.co.uk",
]  # fmt: skip
SAFE_WORDS = [
    "homework",
    "help",
    "fractions",
    "volcano",
    "romans",
    "history",
    "coding",
    "python",
    "scratch",
    "minecraft",
    "football",
    "recipe",
    "weather",
    "map",
    "spelling",
    "times",
    "tables",
    "science",
    "experiment",
    "rainforest",
    "dinosaurs",
    "poems",
    "music",
    "lyrics",
    "netflix",
    "film",
    "trailer",
    "news",
    "london",
    "translate",
    "french",
    "german",
    "essay",
    "planets",
    "kings",
    "queens",
]
KEYWORDS = {
    "self-harm": ["self harm", "cutting myself", "how to cut", "suicide", "kill myself", "overdose"],
    "extremism": ["isis", "jihad", "white power", "nazi", "bomb making", "join the caliphate"],
    "bullying": ["everyone hates me", "beat him up", "loser", "kill yourself"],
    "adult": ["porn", "xxx", "nude", "naked girls", "sex video"],
    "drugs": ["weed", "cocaine", "buy pills", "mdma"],
    "weapons": ["buy a knife", "gun shop", "zombie knife", "make a gun"],
}


def _label(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _domain(rng: random.Random) -> str:
    name = _label(rng, rng.randint(2, 4))
    if rng.random() < 0.25:
        name += "-" + _label(rng, 2)
    if rng.random() < 0.08:
        name = _label(rng, 2) + "." + name  # UT1 lists hold some sub-domains too
    return name + "." + rng.choice(TLDS)


def write_categories(root: Path, domains: int, rng: random.Random) -> list[str]:
    """UT1 tree: root/<category>/domains (+ urls for a few). Returns a sample of listed domains."""
    seen: set[str] = set()
    per_cat: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    weights = list(accumulate(1.0 / (i + 1) ** 0.7 for i in range(len(CATEGORIES))))
    while len(seen) < domains:
        d = _domain(rng)
        if d in seen:
            continue
        seen.add(d)
        cats = rng.choices(CATEGORIES, cum_weights=weights, k=2 if rng.random() < 0.03 else 1)
        for c in set(cats):
            per_cat[c].append(d)
    for cat, items in per_cat.items():
        folder = root / cat
        folder.mkdir(parents=True, exist_ok=True)
        body = f"# {cat}: generated for the Harbour benchmark\n\n" + "\n".join(items) + "\n"
        (folder / "domains").write_text(body, encoding="ascii")
    # A few `urls` lists, as UT1 has (host/path without scheme).
    for cat in ("adult", "blog", "warez", "press"):
        hosts = rng.sample(sorted(POPULAR) + per_cat["blog"][:500], 40)
        urls = sorted({f"{h}/{_label(rng, 3)}" for h in hosts} | {f"{h}/user/{_label(rng, 2)}" for h in hosts})
        (root / cat / "urls").write_text("\n".join(urls) + "\n", encoding="ascii")
    ordered = sorted(seen)
    return rng.sample(ordered, min(40_000, len(ordered)))


def write_keywords(path: Path) -> None:
    lines = ["# phrase<TAB>weight<TAB>category"]
    for cat, phrases in KEYWORDS.items():
        lines += [f"{p}\t{10 + 5 * (i % 4)}\t{cat}" for i, p in enumerate(phrases)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _search_url(rng: random.Random) -> tuple[str, str]:
    words = rng.sample(SAFE_WORDS, rng.randint(1, 4))
    if rng.random() < 0.12:
        cat = rng.choice(list(KEYWORDS))
        words.insert(rng.randint(0, len(words)), rng.choice(KEYWORDS[cat]))
    q = " ".join(words)
    if rng.random() < 0.1:
        q = q.title()
    enc = q.replace(" ", "+") if rng.random() < 0.7 else q.replace(" ", "%20")
    kind = rng.random()
    if kind < 0.45:
        return "www.google.com", f"/search?q={enc}&hl=en&source=hp"
    if kind < 0.6:
        return "www.bing.com", f"/search?q={enc}&form=QBLH"
    if kind < 0.7:
        return "duckduckgo.com", f"/?q={enc}&ia=web"
    if kind < 0.75:
        return "search.yahoo.com", f"/search?p={enc}&fr=yfp"
    return "www.youtube.com", f"/results?search_query={enc}"


def _path(rng: random.Random) -> str:
    depth = rng.randint(0, 4)
    p = "/" + "/".join(_label(rng, rng.randint(1, 3)) for _ in range(depth))
    r = rng.random()
    if r < 0.3:
        p += rng.choice([".js", ".css", ".png", ".jpg", ".html", ".json"])
    elif r < 0.45:
        p += f"?id={rng.randint(1, 99999)}&v={_label(rng, 2)}"
    return p


def write_log(path: Path, lines: int, listed: list[str], rng: random.Random) -> None:
    users = [f"{_label(rng, 2)}.{_label(rng, 2)}{rng.randint(1, 99)}" for _ in range(1200)]
    ips = [f"10.{rng.randint(0, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(1800)]
    unlisted = [f"{rng.choice(['www.', 'cdn.', 'api.', ''])}{_label(rng, 5)}.{rng.choice(TLDS)}" for _ in range(30_000)]
    listed_hosts = [rng.choice(["", "", "www.", "m.", "img.", "cdn.a."]) + d for d in listed]
    rng.shuffle(listed_hosts)
    rng.shuffle(unlisted)
    span = DAYS * 86400 / lines
    # Most traffic goes to a few popular hosts; about a tenth to listed (categorised) hosts.
    groups = rng.choices((POPULAR, unlisted, listed_hosts), weights=(0.55, 0.35, 0.10), k=lines)
    zipf = {
        id(g): list(accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(g)))) for g in (POPULAR, unlisted, listed_hosts)
    }
    hosts = [rng.choices(g, cum_weights=zipf[id(g)])[0] for g in groups]
    statuses = ["TCP_MISS/200", "TCP_TUNNEL/200", "TCP_HIT/200", "TCP_MISS/304", "TCP_DENIED/403", "TCP_MISS/404"]
    types = ["text/html", "image/png", "application/javascript", "text/css", "application/json", "-"]
    out = []
    for i in range(lines):
        ts = START_TS + i * span
        r = rng.random()
        if r < 0.0004:
            out.append(rng.choice(["", "garbage line without fields", f"{ts:.3f}    12 10.0.0.1 TCP_MISS/200"]))
            continue
        if r < 0.0005:
            out.append(f"{ts:.3f} \x00\x01\x02 binary junk")
            continue
        who = rng.randrange(1800)
        user = users[who % 1200] if who % 5 < 3 else "-"
        ip = ips[who]
        elapsed = rng.randint(0, 99999) if rng.random() < 0.9 else rng.randint(100000, 2_000_000)
        if r < 0.03:  # searches: about 3% of requests (a results page pulls in dozens of assets)
            host, pq = _search_url(rng)
            url, method, status = f"https://{host}{pq}", "GET", "TCP_MISS/200"
        elif r < 0.30:
            host = hosts[i]
            url, method, status = f"{host}:443", "CONNECT", "TCP_TUNNEL/200"
        else:
            host = hosts[i]
            scheme = "https" if rng.random() < 0.6 else "http"
            url, method, status = (
                f"{scheme}://{host}{_path(rng)}",
                rng.choice(["GET"] * 9 + ["POST"]),
                rng.choice(statuses),
            )
        size = rng.randint(200, 400_000)
        peer = "HIER_DIRECT/" + ".".join(str(rng.randint(1, 254)) for _ in range(4))
        out.append(f"{ts:.3f} {elapsed:6d} {ip} {status} {size} {method} {url} {user} {peer} {rng.choice(types)}")
    path.write_bytes(("\n".join(out) + "\n").encode("utf-8", "surrogateescape"))


def ensure_data(workdir: Path, lines: int, domains: int) -> dict[str, Path]:
    """Generate (once) and return paths: log, lists, keywords. Cached by sizes and seed."""
    folder = workdir / f"squid-{lines}-{domains}-{SEED}"
    paths = {"log": folder / "access.log", "lists": folder / "ut1", "keywords": folder / "keywords.tsv"}
    stamp = folder / "complete.json"
    if stamp.exists():
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    listed = write_categories(paths["lists"], domains, rng)
    write_keywords(paths["keywords"])
    write_log(paths["log"], lines, listed, rng)
    stamp.write_text(json.dumps({"lines": lines, "domains": domains, "seed": SEED}))
    return paths
