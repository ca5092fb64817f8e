#!/usr/bin/env python3
"""Builds a JSON Lines corpus of Dutch news-length articles from real Dutch newspaper sentences,
for timing ingest on real text (`storyline bench --corpus`).

The sentences are CoNLL-2002's Dutch part (De Morgen, 2000) in ../shared/data/conll2002-nl/
(`ned.train`, one token a line, read as Latin-1 as that folder's README says). Each article
draws whole sentences at random (seeded, so the same arguments give the same file) until it
reaches the size asked for; its title is its first sentence, cut to a headline's length, and
each article gets its own day. The text stays outside the repository: write the file anywhere
but here.

usage: scripts/dutch-corpus.py OUT.jsonl [--articles 5000] [--bytes 3300] [--seed 1]
                               [--conll ../shared/data/conll2002-nl/ned.train]
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
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--conll", default=str(here / "../../shared/data/conll2002-nl/ned.train"))
    a = ap.parse_args()
    if Path(a.out).resolve().is_relative_to(here.parent):
        sys.exit("write the corpus outside the repository (real third-party text stays out of it)")
    pool = sentences(a.conll)
    rng = random.Random(a.seed)
    day = datetime.date(2000, 1, 1)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.articles):
            body, size = [], 0
            while size < a.bytes:
                s = rng.choice(pool)
                body.append(s)
                size += len(s.encode("utf-8")) + 1
            title = body[0] if len(body[0]) <= 90 else body[0][:87].rsplit(" ", 1)[0] + " ..."
            published = (day + datetime.timedelta(days=i % 365)).isoformat() + "T09:00:00Z"
            row = {"id": f"nl-{i}", "title": title, "text": "\n".join(body[1:]), "source": "De Morgen",
                   "published": published, "language": "nl"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{a.out}: {a.articles} articles from {len(pool)} sentences", file=sys.stderr)

if __name__ == "__main__":
    main()
