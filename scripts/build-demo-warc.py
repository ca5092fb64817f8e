#!/usr/bin/env python3
"""Builds demo/warc/harbourherald-crawl.warc.gz from the pages in demo-src/harbourherald/.

The output is a small crawl of "The Harbour Herald" in the shape CC-NEWS files have: a
warcinfo record, then a request and a response record per fetched URL, every record its own
gzip member. Besides the article pages it holds one 404 page, one image/png response and one
response sent with Transfer-Encoding: chunked, so that readers meet the cases real crawls have.

The file is deterministic: record ids are derived from the URLs, dates are fixed, and every
gzip member has mtime 0. Running the script twice gives the same bytes.

Usage (from anywhere, standard library only):

    python3 scripts/build-demo-warc.py            # writes the file
    python3 scripts/build-demo-warc.py --check    # rebuilds in memory, compares, exits 1 on a difference
"""

import base64
import gzip
import hashlib
import struct
import sys
import uuid
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "demo-src" / "harbourherald"
OUT = ROOT / "demo" / "warc" / "harbourherald-crawl.warc.gz"
SITE = "https://www.harbourherald.example"
FILENAME = OUT.name

# The crawl, in fetch order: (kind, source file or None, path on the site, WARC-Date, IP).
# kind is "page" (200 text/html), "chunked" (200 text/html, chunked), "missing" (404) or "png".
CRAWL = [
    ("chunked", "belgium-train-derailment-herentals.html",
     "/europe/2025/10/18/belgium-train-derailment-herentals", "2025-10-18T11:02:13Z", "192.0.2.41"),
    ("page", "dutch-belgian-women-children-repatriated-roj.html",
     "/world/2025/10/22/dutch-belgian-women-children-repatriated-roj", "2025-10-22T08:14:55Z", "192.0.2.41"),
    ("missing", None,
     "/world/2025/10/12/busayra-deal-explainer", "2025-10-22T08:15:02Z", "192.0.2.41"),
    ("page", "cycling-brinkhorst-three-year-ban.html",
     "/sport/2025/10/31/cycling-brinkhorst-three-year-ban", "2025-10-31T09:40:21Z", "192.0.2.42"),
    ("png", None,
     "/static/img/logo.png", "2025-10-31T09:40:22Z", "192.0.2.42"),
    ("page", "syria-busayra-convoy-larger-than-reported.html",
     "/world/2025/11/05/syria-busayra-convoy-larger-than-reported", "2025-11-05T10:27:48Z", "192.0.2.41"),
]

CRAWL_START = "2025-10-18T11:00:00Z"
USER_AGENT = "HarbourArchiveBot/1.2 (+https://archive.example/bot)"

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Page not found | The Harbour Herald</title></head>
<body>
<header class="masthead"><a href="/">The Harbour Herald</a></header>
<main class="error-page">
<h1>Sorry, we can&rsquo;t find that page</h1>
<p>The page may have moved or been removed. Try the <a href="/">home page</a> or search the site.</p>
</main>
</body>
</html>
"""


def record_id(kind: str, uri: str) -> str:
    return "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, "harbourherald-demo/%s/%s" % (kind, uri))


def http_date(warc_date: str) -> str:
    """'2025-10-18T11:02:13Z' -> 'Sat, 18 Oct 2025 11:02:13 GMT'."""
    date, time = warc_date.rstrip("Z").split("T")
    y, m, d = (int(x) for x in date.split("-"))
    # Zeller-free weekday: days since 1970-01-01 (a Thursday).
    a = (14 - m) // 12
    yy, mm = y + 4800 - a, m + 12 * a - 3
    jdn = d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - yy // 100 + yy // 400 - 32045
    weekday = WEEKDAYS[jdn % 7]
    return "%s, %02d %s %d %s GMT" % (weekday, d, MONTHS[m - 1], y, time)


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def tiny_png() -> bytes:
    """A 2x2 navy PNG, built by hand so the bytes never change."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    raw = b"".join(b"\x00" + b"\x10\x2a\x4b" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def chunked(body: bytes, size: int = 1500) -> bytes:
    out = bytearray()
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    out += b"0\r\n\r\n"
    return bytes(out)


def warc_record(fields: list, block: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join("%s: %s\r\n" % (k, v) for k, v in fields)
    head += "Content-Length: %d\r\n\r\n" % len(block)
    return head.encode("utf-8") + block + b"\r\n\r\n"


def request_block(path: str, date: str) -> bytes:
    lines = [
        "GET %s HTTP/1.1" % path,
        "Host: www.harbourherald.example",
        "User-Agent: %s" % USER_AGENT,
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language: en-GB,en;q=0.8",
        "Accept-Encoding: identity",
        "Connection: close",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def response_block(kind: str, body: bytes, date: str) -> tuple:
    """The HTTP message as sent, and the payload (entity body without transfer coding)."""
    if kind == "missing":
        status, ctype = "404 Not Found", "text/html; charset=utf-8"
    elif kind == "png":
        status, ctype = "200 OK", "image/png"
    else:
        status, ctype = "200 OK", "text/html; charset=utf-8"
    headers = [
        ("Date", http_date(date)),
        ("Server", "nginx"),
        ("Content-Type", ctype),
    ]
    if kind == "chunked":
        headers.append(("Transfer-Encoding", "chunked"))
        wire = chunked(body)
    else:
        headers.append(("Content-Length", str(len(body))))
        wire = body
    if kind == "png":
        headers.append(("Cache-Control", "public, max-age=31536000"))
    else:
        headers.append(("Cache-Control", "max-age=60"))
        headers.append(("Vary", "Accept-Encoding"))
    headers.append(("X-Cache", "HIT" if kind == "page" else "MISS"))
    headers.append(("Connection", "close"))
    head = "HTTP/1.1 %s\r\n" % status + "".join("%s: %s\r\n" % kv for kv in headers) + "\r\n"
    return head.encode("ascii") + wire, body


def build() -> bytes:
    listed = {src for _, src, _, _, _ in CRAWL if src}
    present = {p.name for p in SRC.glob("*.html")}
    if listed != present:
        missing, extra = sorted(listed - present), sorted(present - listed)
        sys.exit("build-demo-warc: %s: pages listed but missing: %s; present but not listed: %s"
                 % (SRC, missing or "none", extra or "none"))

    info_id = record_id("warcinfo", FILENAME)
    info_block = (
        "software: build-demo-warc.py (storyline demo corpus)\r\n"
        "format: WARC File Format 1.0\r\n"
        "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
        "isPartOf: harbourherald-demo-crawl\r\n"
        "operator: storyline demo corpus\r\n"
        "description: A small crawl of The Harbour Herald, an invented English-language paper.\r\n"
        "robots: obey\r\n"
        "http-header-user-agent: %s\r\n" % USER_AGENT
    ).encode("utf-8")
    members = [warc_record([
        ("WARC-Type", "warcinfo"),
        ("WARC-Date", CRAWL_START),
        ("WARC-Record-ID", info_id),
        ("WARC-Filename", FILENAME),
        ("Content-Type", "application/warc-fields"),
    ], info_block)]

    for kind, src, path, date, ip in CRAWL:
        uri = SITE + path
        if kind in ("page", "chunked"):
            body = (SRC / src).read_bytes()
            body.decode("utf-8")  # the pages must be UTF-8
        elif kind == "missing":
            body = NOT_FOUND_PAGE.encode("utf-8")
        else:
            body = tiny_png()
        req_id = record_id("request", uri)
        req = request_block(path, date)
        members.append(warc_record([
            ("WARC-Type", "request"),
            ("WARC-Date", date),
            ("WARC-Record-ID", req_id),
            ("WARC-Target-URI", uri),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-IP-Address", ip),
            ("Content-Type", "application/http; msgtype=request"),
            ("WARC-Block-Digest", sha1_b32(req)),
        ], req))
        resp, payload = response_block(kind, body, date)
        members.append(warc_record([
            ("WARC-Type", "response"),
            ("WARC-Date", date),
            ("WARC-Record-ID", record_id("response", uri)),
            ("WARC-Target-URI", uri),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-Concurrent-To", req_id),
            ("WARC-IP-Address", ip),
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Identified-Payload-Type", "image/png" if kind == "png" else "text/html"),
            ("WARC-Payload-Digest", sha1_b32(payload)),
            ("WARC-Block-Digest", sha1_b32(resp)),
        ], resp))

    return b"".join(gzip.compress(m, compresslevel=9, mtime=0) for m in members)


def main() -> int:
    data = build()
    if "--check" in sys.argv[1:]:
        current = OUT.read_bytes() if OUT.exists() else b""
        if current != data:
            print("build-demo-warc: %s is out of date; run scripts/build-demo-warc.py" % OUT, file=sys.stderr)
            return 1
        print("build-demo-warc: %s is up to date" % OUT)
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print("build-demo-warc: wrote %s (%d bytes, %d records)" % (OUT.relative_to(ROOT), len(data), 1 + 2 * len(CRAWL)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
