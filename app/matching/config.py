"""Engine settings that are not per-event weights: text handling, candidates, switches.

The defaults are what the engine ships with; the switches exist so the quality benchmark can
take one signal out at a time (an ablation) with the same code path.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CONFIG", "EngineConfig"]


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """How texts are compared and how many candidates are looked at.

    Attributes
    ----------
    stop_languages:
        stopwords-iso languages whose stop words are removed.
    fold_diacritics:
        Fold case *and* diacritics (``ș`` = ``ş`` = ``s``); when false only case is folded.
    char_ngrams:
        Link similarly spelled words through character n-grams (``digitalizare`` ~
        ``digitalisation``).
    char_range, char_min_word, char_neighbours, char_threshold, char_weight:
        ``char_wb`` n-gram sizes, shortest word that gets links, links per word, minimum
        n-gram cosine for a link, and how much a linked word counts (0..1) next to the word
        itself.
    char_profiles:
        Expand long profile texts along spelling links too (off: links are used for offers
        and requests, where they matter; profiles stay sparse and fast).
    max_df, prune_min_participants:
        Terms used by more than ``max_df`` of the participants are dropped once an event has
        at least ``prune_min_participants`` participants.
    candidates_per_row:
        How many partners the candidate search keeps per participant (see
        :mod:`app.matching.candidates`); with the pairs found from the other side, each
        participant is scored exactly against about 1.6 times as many.
    candidates_per_item:
        How many partners a second search keeps per request (best offers) and per offer (best
        requests), so that one strong match among several items is not missed.
    search_max_df, search_min_postings, search_max_postings:
        The candidate search (only) ignores terms used by more than
        ``min(search_max_postings, max(search_min_postings, search_max_df * participants))``
        participants (:meth:`search_cap`): they dominate the cost of the sparse products and
        say little about who matches whom. The upper bound keeps the search's cost linear in
        the number of participants for very large events.
    complementarity, profile, sectors, kind, cross_border, diversity:
        Switch a signal (or the diversity re-ranking) off without touching the weights.
    n_threads:
        Threads for sparse_dot_topn (at most 2 by policy).
    """

    stop_languages: tuple[str, ...] = ("en", "ro", "fr", "de", "es", "it")
    fold_diacritics: bool = True
    char_ngrams: bool = True
    char_range: tuple[int, int] = (3, 5)
    char_min_word: int = 4
    char_neighbours: int = 3
    char_threshold: float = 0.35
    char_weight: float = 0.5
    char_profiles: bool = False
    max_df: float = 0.3
    prune_min_participants: int = 200
    candidates_per_row: int = 30
    candidates_per_item: int = 5
    search_max_df: float = 0.05
    search_min_postings: int = 500
    search_max_postings: int = 2000
    complementarity: bool = True
    profile: bool = True
    sectors: bool = True
    kind: bool = True
    cross_border: bool = True
    diversity: bool = True
    n_threads: int = 2

    def search_cap(self, size: int) -> int:
        """Longest posting list (rows per column) the candidate search keeps for ``size`` rows.

        Example
        -------
        >>> EngineConfig().search_cap(20_000), EngineConfig().search_cap(100_000)
        (1000, 2000)
        """
        share = max(self.search_min_postings, int(self.search_max_df * size))
        return max(1, min(self.search_max_postings, share))


DEFAULT_CONFIG = EngineConfig()
