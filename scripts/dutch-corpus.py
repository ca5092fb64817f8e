#!/usr/bin/env python3
"""Builds a JSON Lines corpus of Dutch news-length articles from real Dutch newspaper sentences,
for timing ingest on real text (`storyline bench --corpus`).

The sentences are CoNLL-2002's Dutch part (De Morgen, 2000) in ../shared/data/conll2002-nl/
(`ned.train`, one token a line, read as Latin-1 as that folder's README says). Each article
draws whole sentences at random (seeded, so the same arguments give the same file) until it
reaches the size asked for; its title is its first sentence, cut to a headline's length. The
articles come as a newsroom's flow does: --per-day of them a day (spread from 06:00 to 22:00),
day after day, so a clusterer's window of recent stories holds what it would hold on real
news. The text stays outside the repository: write the file anywhere but here.

usage: scripts/dutch-corpus.py OUT.jsonl [--articles 5000] [--bytes 3300] [--per-day 100]
                               [--seed 1] [--conll ../shared/data/conll2002-nl/ned.train]
"""
import argparse, datetime, json, random, sys
from pathlib import Path

def sentences(path):
    """The sentences of a CoNLL file, tokens re-joined with the spacing of running text."""
    out, words = [], []
    for line in open(path, encoding="latin-1"):
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if words:
                out.append(join(words))
                words = []
            continue
        words.append(parts[0])
    if words:
        out.append(join(words))
    return [s for s in out if len(s) > 30]

def join(words):
    text = ""
    for w in words:
        if text and not (w in ",.;:!?)'\"" or text.endswith("(")):
            text += " "
        text += w
    return text

def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--bytes", type=int, default=3300)
    ap.add_argument("--per-day", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--conll", default=str(here / "../../shared/data/conll2002-nl/ned.train"))
    a = ap.parse_args()
    if Path(a.out).resolve().is_relative_to(here.parent):
        sys.exit("write the corpus outside the repository (real third-party text stays out of it)")
    pool = sentences(a.conll)
    rng = random.Random(a.seed)
    start = datetime.datetime(2000, 1, 1, 6, 0, 0)
    per_day = max(1, a.per_day)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.articles):
            body, size = [], 0
            while size < a.bytes:
                s = rng.choice(pool)
                body.append(s)
                size += len(s.encode("utf-8")) + 1
            title = body[0] if len(body[0]) <= 90 else body[0][:87].rsplit(" ", 1)[0] + " ..."
            at = start + datetime.timedelta(days=i // per_day, seconds=(i % per_day) * 16 * 3600 // per_day)
            published = at.isoformat() + "Z"
            row = {"id": f"nl-{i}", "title": title, "text": "\n".join(body[1:]), "source": "De Morgen",
                   "published": published, "language": "nl"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{a.out}: {a.articles} articles from {len(pool)} sentences", file=sys.stderr)

if __name__ == "__main__":
    main()
