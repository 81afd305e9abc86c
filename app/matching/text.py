"""Text normalisation and the vector space the engine compares texts in.

Two vectorisers from scikit-learn work together:

* a **word** TF-IDF (``CountVectorizer`` + ``TfidfTransformer``, sublinear tf) over folded
  tokens: case and diacritics folded (Romanian ``ș``/``ş``, ``ț``/``ţ``, ``ă``, ``â``, ``î`` meet
  their plain forms), stop words of several languages removed;
* a **character** n-gram TF-IDF (``char_wb``, 3-5) fitted on the *vocabulary* rather than on the
  documents. It links each word to the few words spelled most alike (``digitalizare`` ~
  ``digitalization`` ~ ``digitalisation``), and every text vector is expanded along those links
  (a soft cosine: ``cos(x M, y M)`` with ``M = I + lambda * N``). Vectors stay in the word space,
  a little denser than plain TF-IDF, so all-pairs products stay sparse and cheap, where a
  document-level char n-gram matrix would be 15-20 times denser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import stopwordsiso
from sklearn.feature_extraction.text import (
    CountVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.preprocessing import normalize
from sparse_dot_topn import sp_matmul_topn

from app.matching.config import EngineConfig

__all__ = ["TextSpace", "analyse", "fit_text_space", "fold", "stop_words", "tokens"]

_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]+")
_LETTERS = {ord("ł"): "l", ord("ø"): "o", ord("đ"): "d", ord("ð"): "d", ord("þ"): "th",
            ord("æ"): "ae", ord("œ"): "oe", ord("ı"): "i"}
_TOKEN = re.compile(r"[^\W_]{2,}")
# Words that stopwords-iso lists (English "research", "system", "test", "information";
# Romanian "ai" = "you have") but that carry meaning at an innovation event.
DOMAIN_WORDS = frozenset({
    "ai", "research", "researcher", "researchers", "researching", "researched", "system",
    "systems", "test", "tests", "testing", "information", "sale", "sales", "value", "values",
})


def fold(text: str) -> str:
    """Fold case and diacritics so that spelling variants compare equal.

    Parameters
    ----------
    text:
        Any text.

    Returns
    -------
    str
        Case-folded text with combining marks removed after NFKD decomposition, plus a few
        letters that do not decompose (``ł``, ``ø``, ``æ``...) mapped to ASCII.

    Example
    -------
    >>> fold("Ștefan Ţara ÎNVĂȚARE") == fold("stefan tara invatare")
    True
    """
    if text.isascii():  # the common case needs no decomposition
        return text.casefold()
    # NFKD before and after case folding: compatibility forms (``𝕬``) and letters whose
    # case folding composes again both end up as plain base letters plus marks.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return _COMBINING_RE.sub("", folded).translate(_LETTERS)


@lru_cache(maxsize=16)
def stop_words(languages: tuple[str, ...], folded: bool = True) -> frozenset[str]:
    """The union of stopwords-iso lists for ``languages``, folded like the texts.

    Parameters
    ----------
    languages:
        ISO 639-1 codes known to stopwords-iso.
    folded:
        Fold case and diacritics of each stop word (``și`` becomes ``si``).

    Returns
    -------
    frozenset[str]
        Stop words, minus :data:`DOMAIN_WORDS`.

    Example
    -------
    >>> {"si", "and", "und", "pentru"} <= stop_words(("en", "ro", "de"))
    True
    """
    words: set[str] = set()
    for language in languages:
        for word in stopwordsiso.stopwords(language):
            words.add(fold(word) if folded else word.casefold())
    return frozenset(words - DOMAIN_WORDS)


def tokens(text: str, stops: frozenset[str], fold_text: bool = True) -> list[str]:
    """Split ``text`` into tokens of two or more letters/digits, dropping stop words.

    Example
    -------
    >>> tokens("Căutăm parteneri și investitori 2025", stop_words(("ro",)))
    ['cautam', 'parteneri', 'investitori']
    """
    normal = fold(text) if fold_text else text.casefold()
    return [t for t in _TOKEN.findall(normal) if t not in stops and not t.isdigit()]


def analyse(config: EngineConfig) -> _Analyser:
    """The tokeniser ``CountVectorizer`` calls for one configuration.

    Example
    -------
    >>> analyse(EngineConfig())("Digitalizare și inovare")
    ['digitalizare', 'inovare']
    """
    return _Analyser(stop_words(config.stop_languages, config.fold_diacritics),
                     config.fold_diacritics)


@dataclass(frozen=True, slots=True)
class _Analyser:
    """A picklable callable: fold, tokenise, drop stop words."""

    stops: frozenset[str]
    fold_text: bool

    def __call__(self, text: str) -> list[str]:
        return tokens(text, self.stops, self.fold_text)


@dataclass(frozen=True, slots=True)
class TextSpace:
    """A fitted vector space: vocabulary, IDF and the spelling-neighbour expansion.

    ``transform`` maps texts to L2-normalised rows whose dot product is the (soft) cosine.
    """

    counter: CountVectorizer
    tfidf: TfidfTransformer
    expansion: sp.csr_matrix  # vocabulary x vocabulary: I + lambda * neighbours, pruned columns
    terms: np.ndarray  # column index -> folded term

    def transform(self, texts: Sequence[str], plain_rows: int = 0) -> sp.csr_matrix:
        """Vectorise texts with the fitted vocabulary (unknown words are ignored).

        Example
        -------
        >>> space, _ = fit_text_space(["solar energy", "wind energy"], EngineConfig())
        >>> space.transform(["solar panels"]).shape[0]
        1
        """
        return self.project(self.counter.transform(texts), plain_rows)

    def project(self, counts: sp.csr_matrix, plain_rows: int = 0) -> sp.csr_matrix:
        """Turn raw term counts into normalised TF-IDF rows, expanded along spelling links.

        The first ``plain_rows`` rows (long profile texts) keep only the pruning, not the
        links: spelling variants matter most in short offer/request texts, where one word
        form decides a match, and unexpanded profiles keep the all-pairs products sparse.
        """
        if counts.shape[0] == 0:
            return _empty_rows(0, int(self.expansion.shape[1]))
        weighted = sp.csr_matrix(self.tfidf.transform(counts), dtype=np.float32)
        kept = sp.diags(self.expansion.diagonal(), format="csr")
        parts = [weighted[:plain_rows] @ kept, weighted[plain_rows:] @ self.expansion]
        stacked = sp.csr_matrix(sp.vstack(parts, format="csr"), dtype=np.float32)
        rows = sp.csr_matrix(normalize(stacked, norm="l2", copy=False))
        rows.sort_indices()  # the pair kernels merge sorted rows
        return rows


def fit_text_space(texts: Sequence[str], config: EngineConfig, owners: np.ndarray | None = None,
                   plain_rows: int = 0) -> tuple[TextSpace, sp.csr_matrix]:
    """Fit the vocabulary, IDF and spelling neighbours on ``texts``.

    Parameters
    ----------
    texts:
        Every text of the event (profiles and opportunities).
    config:
        Engine configuration (languages, folding, char n-grams, pruning).
    owners:
        For each text, the index of the participant it belongs to. Document frequencies are
        counted per participant (a term in three of one participant's offers counts once).
        ``None`` means every text is its own participant.
    plain_rows:
        The first ``plain_rows`` texts are vectorised without spelling links
        (see :meth:`TextSpace.project`).

    Returns
    -------
    tuple
        The fitted :class:`TextSpace` and the vectors of ``texts`` (one row each).

    Example
    -------
    >>> space, rows = fit_text_space(["digitalizare IMM", "SME digitalisation"], EngineConfig())
    >>> float((rows[0] @ rows[1].T).toarray()[0, 0]) > 0
    True
    """
    counter = CountVectorizer(analyzer=analyse(config), dtype=np.float32)
    try:
        counts = sp.csr_matrix(counter.fit_transform(texts))
    except ValueError:  # no texts, or nothing but stop words: an empty space
        counter = CountVectorizer(analyzer=analyse(config), vocabulary=[""], dtype=np.float32)
        counts = sp.csr_matrix(counter.fit_transform(texts))
    owner_index = np.arange(len(texts)) if owners is None else owners
    per_participant = _sum_rows_by(counts, owner_index)
    # an empty event still gets a usable space
    fitting = per_participant if per_participant.shape[0] else _empty_rows(1, counts.shape[1])
    tfidf = TfidfTransformer(sublinear_tf=True).fit(fitting)
    terms = counter.get_feature_names_out()
    keep = _kept_terms(per_participant, config)
    expansion = _expansion(terms, keep, config)
    space = TextSpace(counter, tfidf, expansion, terms)
    return space, space.project(counts, 0 if config.char_profiles else plain_rows)


def _empty_rows(rows: int, columns: int) -> sp.csr_matrix:
    return sp.csr_matrix(np.zeros((rows, columns), dtype=np.float32))


def _sum_rows_by(matrix: sp.csr_matrix, owners: np.ndarray) -> sp.csr_matrix:
    """Add up the rows of ``matrix`` that share an owner."""
    n_owners = int(owners.max()) + 1 if len(owners) else 0
    ones = np.ones(len(owners), dtype=np.float32)
    grouping = sp.csr_matrix((ones, (owners, np.arange(len(owners)))),
                             shape=(n_owners, len(owners)))
    return sp.csr_matrix(grouping @ matrix)


def _kept_terms(per_participant: sp.csr_matrix, config: EngineConfig) -> np.ndarray:
    """Mask of terms used in fewer than ``max_df`` of the participants.

    Near-universal terms ("services", "solutions") say little about who matches whom and
    dominate the cost of the sparse products, so they are dropped once the event is large
    enough for the share to be meaningful.
    """
    n_docs = per_participant.shape[0]
    df = np.bincount(per_participant.indices, minlength=per_participant.shape[1])
    if n_docs < config.prune_min_participants:
        return np.ones(per_participant.shape[1], dtype=bool)
    return np.asarray(df <= config.max_df * n_docs)


def _expansion(terms: np.ndarray, keep: np.ndarray, config: EngineConfig) -> sp.csr_matrix:
    """``I + lambda * N`` restricted to kept columns; ``N`` links similarly spelled words."""
    size = len(terms)
    keep_diag = sp.diags(keep.astype(np.float32), format="csr")
    if not config.char_ngrams or config.char_weight <= 0 or size < 2:
        return keep_diag
    neighbours = spelling_neighbours(terms, config)
    expansion = sp.identity(size, dtype=np.float32, format="csr") + config.char_weight * neighbours
    pruned = sp.csr_matrix(expansion @ keep_diag)
    pruned.eliminate_zeros()
    return pruned


def spelling_neighbours(terms: Iterable[str], config: EngineConfig) -> sp.csr_matrix:
    """Link each term to the terms whose character n-grams are most alike.

    Parameters
    ----------
    terms:
        The folded vocabulary.
    config:
        ``char_range``, ``char_neighbours`` (links per term) and ``char_threshold``
        (minimum n-gram cosine).

    Returns
    -------
    scipy.sparse.csr_matrix
        Square term x term matrix of n-gram cosines, no diagonal, at most
        ``char_neighbours`` entries per row.

    Example
    -------
    >>> n = spelling_neighbours(["digitalizare", "digitalization", "agriculture"], EngineConfig())
    >>> bool(n[0, 1] > 0), bool(n[0, 2] == 0)
    (True, True)
    """
    words = list(terms)
    # Numbers and very short words have no meaningful spelling variants.
    eligible = ["" if len(w) < config.char_min_word or w.isdigit() else w for w in words]
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=config.char_range,
                                 sublinear_tf=True, dtype=np.float32, lowercase=False)
    grams = sp.csr_matrix(vectoriser.fit_transform(eligible))
    links = sp_matmul_topn(grams, grams.T.tocsr(), top_n=config.char_neighbours + 1,
                           threshold=config.char_threshold, n_threads=config.n_threads)
    links = sp.csr_matrix(links, dtype=np.float32)
    links.setdiag(0)
    links.eliminate_zeros()
    return links
