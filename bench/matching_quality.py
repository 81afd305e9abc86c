"""Ranking quality of the matching engine on a labelled event, with a baseline and ablations.

Run::

    .venv/bin/python -m bench.matching_quality [--data bench/data/eval_cmr.json]
    .venv/bin/python -m bench.matching_quality --synthetic 300   # generated development set

Metrics are computed over the participants that have at least one relevant partner
(``relevance`` grade >= 1, symmetric), on each participant's ranked list:

* recall@10: relevant partners in the top 10 / all relevant partners of that participant;
* nDCG@10: gain ``2**grade - 1``, log2 discount, ideal list from all its relevant partners;
* MRR: 1 / rank of the first relevant partner in the returned top 20 (0 if none).

``--candidates N`` checks the candidate search instead: on a generated event of N
participants it compares the pairs the engine scores with an exhaustive ranking (every pair
with any shared searched term scored, no diversity re-ranking, top 10): the share of each
participant's exhaustive top 10 that its candidates hold, and the overlap of the engine's own
top 10 (diversity off) with it.

The baseline is deliberately plain: one scikit-learn ``TfidfVectorizer(stop_words="english")``
(default lower-casing and token pattern, no accent folding, raw tf, smooth idf, L2 norm) over
each participant's profile + offers + requests concatenated; partners are ranked by cosine,
excluding oneself and one's own organisation. Ablations switch one part of the engine off
(``EngineConfig``) and keep everything else.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from app.matching import (
    DEFAULT_WEIGHTS,
    ENGINE_VERSION,
    EngineConfig,
    MatchingEngine,
    MatchingWeights,
)
from app.matching.config import DEFAULT_CONFIG
from app.matching.features import opportunity_text
from app.matching.types import ParticipantRecord
from bench.matching_speed import records_from_event, synthetic_event

DEFAULT_DATA = Path("bench/data/eval_cmr.json")
RESULTS = Path("bench/results")
Ranker = Callable[[Sequence[ParticipantRecord]], dict[int, list[int]]]

COMPLEMENTARITY_HEAVY = MatchingWeights(
    complementarity=0.7, profile=0.1, sectors=0.05, kind=0.1, cross_border_bonus=0.05
)
SIGNALS = ("complementarity", "profile", "sectors", "kind", "cross_border")


def engine_ranker(config: EngineConfig = DEFAULT_CONFIG, weights: MatchingWeights = DEFAULT_WEIGHTS) -> Ranker:
    """Rank with the engine (top 20 per participant)."""

    def rank(records: Sequence[ParticipantRecord]) -> dict[int, list[int]]:
        result = MatchingEngine(weights, top_k=20, config=config).fit(records).suggest_all()
        return {pid: [s.partner_id for s in items] for pid, items in result.items()}

    return rank


def baseline_ranker(records: Sequence[ParticipantRecord]) -> dict[int, list[int]]:
    """Plain TF-IDF cosine over all of a participant's text (see the module docstring)."""
    texts = [" ".join([r.profile_text, *(opportunity_text(o) for o in (*r.offers, *r.requests))]) for r in records]
    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    similarity = (vectors @ vectors.T).toarray()
    orgs = np.asarray([r.organisation_id for r in records])
    ids = np.asarray([r.id for r in records])
    ranked: dict[int, list[int]] = {}
    for i, record in enumerate(records):
        scores = similarity[i].copy()
        scores[orgs == record.organisation_id] = -1.0
        order = np.lexsort((ids, -scores))
        ranked[record.id] = [int(ids[j]) for j in order[:20] if scores[j] >= 0]
    return ranked


def variants() -> dict[str, Ranker]:
    """The engine, its ablations, each signal alone, and the baseline."""
    full = EngineConfig()
    runs: dict[str, Ranker] = {
        "full engine": engine_ranker(full),
        "full engine, complementarity-heavy weights": engine_ranker(full, COMPLEMENTARITY_HEAVY),
        "baseline: plain TF-IDF cosine": baseline_ranker,
    }
    runs["- complementarity"] = engine_ranker(replace(full, complementarity=False))
    runs["- char n-grams"] = engine_ranker(replace(full, char_ngrams=False))
    runs["- diacritics + multilingual stop words"] = engine_ranker(
        replace(full, fold_diacritics=False, stop_languages=("en",))
    )
    for signal in ("profile", "sectors", "kind", "cross_border", "diversity"):
        runs[f"- {signal}"] = engine_ranker(replace(full, **{signal: False}))
    for signal in SIGNALS:
        alone = {s: s == signal for s in SIGNALS}
        runs[f"only {signal}"] = engine_ranker(replace(full, diversity=False, **alone))
    return runs


def relevance_of(data: dict[str, Any], names: list[str]) -> dict[int, dict[int, int]]:
    """Symmetric grades by engine id: ``grades[a][b]``."""
    index = {name: i for i, name in enumerate(names)}
    grades: dict[int, dict[int, int]] = {}
    for item in data.get("relevance", []):
        a, b, grade = index.get(item["a"]), index.get(item["b"]), int(item["grade"])
        if a is None or b is None or grade <= 0:
            continue
        grades.setdefault(a, {})[b] = max(grade, grades.get(a, {}).get(b, 0))
        grades.setdefault(b, {})[a] = max(grade, grades.get(b, {}).get(a, 0))
    return grades


def metrics(ranked: dict[int, list[int]], grades: dict[int, dict[int, int]]) -> dict[str, float]:
    """Mean recall@10, nDCG@10 and MRR over participants with a relevant partner.

    Example
    -------
    >>> metrics({1: [2, 3]}, {1: {3: 2}})["mrr"]
    0.5
    """
    recall, ndcg, mrr = [], [], []
    for pid, relevant in grades.items():
        got = ranked.get(pid, [])
        top = got[:10]
        recall.append(sum(1 for p in top if p in relevant) / len(relevant))
        dcg = sum((2 ** relevant.get(p, 0) - 1) / math.log2(k + 2) for k, p in enumerate(top))
        ideal = sorted(relevant.values(), reverse=True)[:10]
        idcg = sum((2**g - 1) / math.log2(k + 2) for k, g in enumerate(ideal))
        ndcg.append(dcg / idcg)
        first = next((k for k, p in enumerate(got) if p in relevant), None)
        mrr.append(0.0 if first is None else 1.0 / (first + 1))
    count = max(1, len(recall))
    return {
        "recall@10": sum(recall) / count,
        "ndcg@10": sum(ndcg) / count,
        "mrr": sum(mrr) / count,
        "participants": len(recall),
    }


def table(rows: dict[str, dict[str, float]]) -> str:
    lines = ["| variant | recall@10 | nDCG@10 | MRR | seconds |", "|---|---:|---:|---:|---:|"]
    for name, m in rows.items():
        lines.append(f"| {name} | {m['recall@10']:.3f} | {m['ndcg@10']:.3f} | {m['mrr']:.3f} | {m['seconds']:.1f} |")
    return "\n".join(lines)


def candidate_check(size: int, seed: int) -> dict[str, float]:
    """Candidate pools and top 10 against an exhaustive ranking (see the module docstring)."""
    records, _ = records_from_event(synthetic_event(size, seed=seed, plant=False))
    everything = EngineConfig(
        candidates_per_row=size,
        candidates_per_item=0,
        search_min_postings=size,
        search_max_postings=size,
        diversity=False,
    )
    exact = MatchingEngine(top_k=10, config=everything).fit(records).suggest_all()
    started = time.perf_counter()
    engine = MatchingEngine(top_k=10, config=replace(DEFAULT_CONFIG, diversity=False))
    engine.fit(records)
    pool: dict[int, set[int]] = {}
    for a, b in engine.candidate_pairs():
        pool.setdefault(a, set()).add(b)
        pool.setdefault(b, set()).add(a)
    ranked = engine.suggest_all()
    seconds = time.perf_counter() - started
    held, same = [], []
    for pid, items in exact.items():
        best = {s.partner_id for s in items}
        if best:
            held.append(len(best & pool.get(pid, set())) / len(best))
            same.append(len(best & {s.partner_id for s in ranked[pid]}) / len(best))
    count = max(1, len(held))
    return {
        "pool_recall@10": sum(held) / count,
        "top10_overlap": sum(same) / count,
        "candidates_per_participant": sum(len(v) for v in pool.values()) / size,
        "seconds": seconds,
    }


def load(args: argparse.Namespace) -> dict[str, Any]:
    if args.synthetic:
        data = synthetic_event(args.synthetic, seed=args.seed)
        path = Path(f"/tmp/matching_dev_{args.synthetic}_{args.seed}.json")
        path.write_text(json.dumps(data))
        return data
    return dict(json.loads(Path(args.data).read_text(encoding="utf-8")))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--synthetic", type=int, help="generate a development set of N instead")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", help="comma-separated variant names to run")
    parser.add_argument("--candidates", type=int, help="check the candidate search against exhaustive ranking on N")
    args = parser.parse_args(argv)
    if args.candidates:
        result = candidate_check(args.candidates, args.seed)
        print(
            f"engine {ENGINE_VERSION}, candidates on synthetic {args.candidates} "
            f"(seed {args.seed}): " + ", ".join(f"{k} {v:.3f}" for k, v in result.items())
        )
        return
    data = load(args)
    records, names = records_from_event(data)
    grades = relevance_of(data, names)
    rows: dict[str, dict[str, float]] = {}
    wanted = set(args.only.split(",")) if args.only else None
    for name, ranker in variants().items():
        if wanted and name not in wanted:
            continue
        started = time.perf_counter()
        rows[name] = {**metrics(ranker(records), grades), "seconds": time.perf_counter() - started}
    source = f"synthetic {args.synthetic} (seed {args.seed})" if args.synthetic else args.data
    print(f"engine {ENGINE_VERSION} on {source}: {len(records)} participants, {len(grades)} with a relevant partner\n")
    print(table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"synthetic_{args.synthetic}" if args.synthetic else Path(args.data).stem
    out = RESULTS / f"matching_quality_{stem}.json"
    out.write_text(json.dumps({"engine": ENGINE_VERSION, "data": source, "results": rows}, indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
