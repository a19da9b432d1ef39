"""Reference point: flashtext's keyword scan for the 10k most frequent entity strings of
news31k, over the same text as the aho-corasick reference bench (each article's title, a
newline and its body), so its MB/s sits beside `cargo bench --bench reference`.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install flashtext==2.7
    /tmp/peers/bin/python benchsuite/peers/flashtext_names.py ../shared/data/news31k --runs 3

Prints one line per run and the median; `--processes 2` splits the articles over two
worker processes (flashtext is pure Python, so threads would share one interpreter lock).
Case-sensitive, as the aho-corasick bench is.
"""

import argparse
import json
import statistics
import time
from multiprocessing import Pool
from pathlib import Path

from flashtext import KeywordProcessor

_processor = None


def _load(names):
    global _processor
    _processor = KeywordProcessor(case_sensitive=True)
    for name in names:
        _processor.add_keyword(name)


def _count(texts):
    return sum(len(_processor.extract_keywords(t)) for t in texts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("news31k", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args()

    names = [l for l in (args.news31k / "entity-strings-top10k.txt").read_text().splitlines() if l]
    texts = []
    with open(args.news31k / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                v = json.loads(line)
                texts.append(f"{v.get('title') or ''}\n{v.get('body') or ''}")
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"{len(names)} names, {len(texts)} articles, {size / 1e6:.1f} MB")

    chunks = [texts[i :: args.processes] for i in range(args.processes)]
    with Pool(args.processes, initializer=_load, initargs=(names,)) as pool:
        rates = []
        for run in range(args.runs):
            start = time.perf_counter()
            found = sum(pool.map(_count, chunks))
            seconds = time.perf_counter() - start
            rates.append(size / 1e6 / seconds)
            print(f"run {run + 1}: {seconds:.2f} s, {found} matches, {rates[-1]:.2f} MB/s")
    print(f"median {statistics.median(rates):.2f} MB/s with {args.processes} process(es)")


if __name__ == "__main__":
    main()
