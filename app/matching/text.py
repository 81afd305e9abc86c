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
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize
from sparse_dot_topn import sp_matmul_topn

from app.matching.config import EngineConfig
from app.matching.sparse import sorted_unique

__all__ = [
    "SpellingLinks",
    "TextSpace",
    "analyse",
    "char_grams",
    "fit_text_space",
    "fold",
    "spelling_neighbours",
    "stop_words",
    "tokens",
]

_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]+")
_LETTERS = {
    ord("ł"): "l",
    ord("ø"): "o",
    ord("đ"): "d",
    ord("ð"): "d",
    ord("þ"): "th",
    ord("æ"): "ae",
    ord("œ"): "oe",
    ord("ı"): "i",
}
_TOKEN = re.compile(r"[^\W_]{2,}")
# Words that stopwords-iso lists (English "research", "system", "test", "information";
# Romanian "ai" = "you have") but that carry meaning at an innovation event.
DOMAIN_WORDS = frozenset(
    {
        "ai",
        "research",
        "researcher",
        "researchers",
        "researching",
        "researched",
        "system",
        "systems",
        "test",
        "tests",
        "testing",
        "information",
        "sale",
        "sales",
        "value",
        "values",
    }
)


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
    return _Analyser(stop_words(config.stop_languages, config.fold_diacritics), config.fold_diacritics)


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

    vocabulary: dict[str, int]  # folded term -> column
    analyser: _Analyser
    tfidf: TfidfTransformer
    links: SpellingLinks  # vocabulary x vocabulary: I + lambda * neighbours, pruned columns
    terms: np.ndarray  # column index -> folded term

    @property
    def expansion(self) -> sp.csr_matrix:
        """``I + lambda * N`` over the terms linked so far (others: the pruning diagonal)."""
        return self.links.matrix

    def transform(self, texts: Sequence[str], plain_rows: int = 0) -> sp.csr_matrix:
        """Vectorise texts with the fitted vocabulary (unknown words are ignored).

        Example
        -------
        >>> space, _ = fit_text_space(["solar energy", "wind energy"], EngineConfig())
        >>> space.transform(["solar panels"]).shape[0]
        1
        """
        return self.project(_counts(texts, self.analyser, self.vocabulary), plain_rows)

    def project(self, counts: sp.csr_matrix, plain_rows: int = 0) -> sp.csr_matrix:
        """Turn raw term counts into normalised TF-IDF rows, expanded along spelling links.

        The first ``plain_rows`` rows (long profile texts) keep only the pruning, not the
        links: spelling variants matter most in short offer/request texts, where one word
        form decides a match, and unexpanded profiles keep the all-pairs products sparse.
        """
        if counts.shape[0] == 0:
            return _empty_rows(0, len(self.terms))
        weighted = sp.csr_matrix(self.tfidf.transform(counts), dtype=np.float32)
        expanded = sp.csr_matrix(weighted[plain_rows:])
        parts = [
            weighted[:plain_rows] @ self.links.kept,
            expanded @ self.links.for_terms(sorted_unique(expanded.indices)),
        ]
        stacked = sp.csr_matrix(sp.vstack(parts, format="csr"), dtype=np.float32)
        stacked.sort_indices()  # the pair kernels merge sorted rows
        return sp.csr_matrix(normalize(stacked, norm="l2", copy=False))


class SpellingLinks:
    """``I + lambda * N`` restricted to kept columns; ``N`` links similarly spelled words.

    A term's links are computed the first time a vector that uses it is expanded: only
    offer and request texts are expanded, and most of an event's vocabulary (names, places,
    the long tail of profile words) never appears in one, so the character n-gram search runs
    over a small share of the vocabulary. A term's links do not depend on when they are
    computed (its row of the n-gram product is the same), so the result equals linking every
    term up front.
    """

    def __init__(self, terms: np.ndarray, keep: np.ndarray, config: EngineConfig) -> None:
        size = len(terms)
        self.config = config
        self.keep = keep.astype(np.float32)
        self.kept = sp.csr_matrix(sp.diags(self.keep, format="csr"))
        self.matrix = self.kept
        self.linked = np.zeros(size, dtype=bool)
        self.enabled = config.char_ngrams and config.char_weight > 0 and size >= 2
        self.grams = self.grams_t = _empty_rows(0, 0)
        if self.enabled:
            self.grams = char_grams(terms, config)
            self.grams_t = sp.csr_matrix(self.grams.T.tocsr())

    def for_terms(self, columns: np.ndarray) -> sp.csr_matrix:
        """The expansion matrix, with links for ``columns`` computed if they are not yet."""
        if self.enabled:
            missing = columns[~self.linked[columns]]
            if len(missing):
                self._link(missing.astype(np.int64))
        return self.matrix

    def _link(self, rows: np.ndarray) -> None:
        config = self.config
        found = sp_matmul_topn(
            sp.csr_matrix(self.grams[rows]),
            self.grams_t,
            top_n=config.char_neighbours + 1,
            threshold=config.char_threshold,
            n_threads=config.n_threads if config.n_threads > 1 else None,
        )
        coo = sp.coo_matrix(found)
        source, target = rows[coo.row], coo.col.astype(np.int64)
        other = source != target  # a term is not its own neighbour
        weights = (config.char_weight * coo.data.astype(np.float32))[other] * self.keep[target[other]]
        links = sp.csr_matrix((weights, (source[other], target[other])), shape=self.matrix.shape, dtype=np.float32)
        links.eliminate_zeros()
        self.matrix = sp.csr_matrix(self.matrix + links)
        self.linked[rows] = True


def fit_text_space(
    texts: Sequence[str], config: EngineConfig, owners: np.ndarray | None = None, plain_rows: int = 0
) -> tuple[TextSpace, sp.csr_matrix]:
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
    analyser = analyse(config)
    counts, vocabulary = _fit_counts(texts, analyser)
    if not vocabulary:  # no texts, or nothing but stop words: an empty space
        vocabulary = {"": 0}
        counts = _empty_rows(len(texts), 1)
    owner_index = np.arange(len(texts)) if owners is None else owners
    per_participant = _sum_rows_by(counts, owner_index)
    # an empty event still gets a usable space
    fitting = per_participant if per_participant.shape[0] else _empty_rows(1, counts.shape[1])
    tfidf = TfidfTransformer(sublinear_tf=True).fit(fitting)
    terms = np.asarray(list(vocabulary), dtype=object)
    keep = _kept_terms(per_participant, config)
    space = TextSpace(vocabulary, analyser, tfidf, SpellingLinks(terms, keep, config), terms)
    return space, space.project(counts, 0 if config.char_profiles else plain_rows)


_SEPARATOR = "\x00"
_JOINER = " \x00 "
_TEXTS_PER_BATCH = 8192


class _Tokeniser:
    """Token ids of many texts, folding and scanning each distinct whitespace-separated chunk
    once.

    Folding and the token pattern work character by character and never join across
    whitespace, so the tokens of a text are the tokens of its chunks in order. Each distinct
    chunk is folded and scanned once; the texts' chunks are then numbered by C-level lookups
    and expanded into token ids with numpy. Stop words are kept (they are dropped by id
    later). ``separator`` is the id that ends each text.
    """

    def __init__(self, fold_text: bool, ids: dict[str, int], grow: bool, separator: int) -> None:
        self.fold_text = fold_text
        self.ids = ids  # token -> id (grow: new tokens get the next id; else unknown are left out)
        self.grow = grow
        self.chunks: dict[str, int] = {_SEPARATOR: 0}  # chunk -> its number
        self.tokens: list[int] = [separator]  # the chunks' token ids, one after the other
        self.starts: list[int] = [0, 1]  # chunk k's tokens: tokens[starts[k]:starts[k + 1]]

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        joined = _JOINER.join(texts) + _JOINER
        if joined.count(_SEPARATOR) != len(texts):  # a text held the separator itself
            joined = _JOINER.join(t.replace(_SEPARATOR, " ") for t in texts) + _JOINER
        chunks = joined.split()
        known = self.chunks
        for chunk in dict.fromkeys(chunks):
            if chunk not in known:
                known[chunk] = len(known)
                self.tokens.extend(self._chunk_ids(chunk))
                self.starts.append(len(self.tokens))
        number = np.fromiter(map(known.__getitem__, chunks), dtype=np.int64, count=len(chunks))
        starts = np.asarray(self.starts, dtype=np.int64)
        lengths = (starts[1:] - starts[:-1])[number]
        first = np.repeat(starts[number] - np.cumsum(lengths) + lengths, lengths)
        return np.asarray(self.tokens, dtype=np.int64)[first + np.arange(len(first))]

    def _chunk_ids(self, chunk: str) -> list[int]:
        normal = fold(chunk) if self.fold_text else chunk.casefold()
        ids = self.ids
        if self.grow:
            return [ids.setdefault(t, len(ids)) for t in _TOKEN.findall(normal)]
        return [ids[t] for t in _TOKEN.findall(normal) if t in ids]


def _fit_counts(texts: Sequence[str], analyser: _Analyser) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Term counts of ``texts`` over their sorted vocabulary (as ``CountVectorizer``).

    Tokens get provisional ids in order of appearance; stop words and numbers are dropped by
    id afterwards, and the kept terms are numbered in sorted order.
    """
    provisional: dict[str, int] = {_SEPARATOR: 0}
    tokeniser = _Tokeniser(analyser.fold_text, provisional, grow=True, separator=0)
    parts = [tokeniser(texts[start : start + _TEXTS_PER_BATCH]) for start in range(0, len(texts), _TEXTS_PER_BATCH)]
    words = list(provisional)
    stops = analyser.stops
    valid = sorted(w for w in words[1:] if w not in stops and not w.isdigit())
    vocabulary = {word: column for column, word in enumerate(valid)}
    final = np.fromiter((vocabulary.get(w, -1) for w in words), dtype=np.int64, count=len(words))
    ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return _count_rows(final[ids], ids == 0, len(texts), len(vocabulary)), vocabulary


def _counts(texts: Sequence[str], analyser: _Analyser, vocabulary: dict[str, int]) -> sp.csr_matrix:
    """Term counts of ``texts`` over a fitted vocabulary (unknown words are ignored)."""
    if len(texts) == 0:
        return _empty_rows(0, max(len(vocabulary), 1))
    ids = _Tokeniser(analyser.fold_text, vocabulary, grow=False, separator=-1)(texts)
    return _count_rows(ids, ids == -1, len(texts), len(vocabulary))


def _count_rows(columns: np.ndarray, separator: np.ndarray, n_texts: int, n_terms: int) -> sp.csr_matrix:
    """A texts x terms count matrix from the tokens' columns (negative: dropped); ``separator``
    marks the tokens that end a text."""
    text = np.cumsum(separator) - separator
    keep = columns >= 0
    data = np.ones(int(keep.sum()), dtype=np.float32)
    counts = sp.csr_matrix((data, (text[keep], columns[keep])), shape=(n_texts, max(n_terms, 1)), dtype=np.float32)
    counts.sum_duplicates()
    return counts


def _empty_rows(rows: int, columns: int) -> sp.csr_matrix:
    return sp.csr_matrix(np.zeros((rows, columns), dtype=np.float32))


def _sum_rows_by(matrix: sp.csr_matrix, owners: np.ndarray) -> sp.csr_matrix:
    """Add up the rows of ``matrix`` that share an owner."""
    n_owners = int(owners.max()) + 1 if len(owners) else 0
    ones = np.ones(len(owners), dtype=np.float32)
    grouping = sp.csr_matrix((ones, (owners, np.arange(len(owners)))), shape=(n_owners, len(owners)))
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


def char_grams(terms: Iterable[str], config: EngineConfig) -> sp.csr_matrix:
    """L2-normalised ``char_wb`` n-gram TF-IDF rows of the terms (numbers, short words: empty).

    The rows are those of scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` (sublinear
    tf), bit for bit: the n-grams of single-word terms are counted with numpy
    (:func:`_char_wb_counts`, about five times faster than the vectoriser's per-word Python
    loop) and weighted by the same ``TfidfTransformer``; other input goes through the
    vectoriser itself.
    """
    words = list(terms)
    # Numbers and very short words have no meaningful spelling variants.
    eligible = ["" if len(w) < config.char_min_word or w.isdigit() else w for w in words]
    counts = _char_wb_counts(eligible, config.char_range)
    if counts is not None:
        return sp.csr_matrix(TfidfTransformer(sublinear_tf=True).fit_transform(counts))
    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=config.char_range, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    try:
        return sp.csr_matrix(vectoriser.fit_transform(eligible))
    except ValueError:  # no eligible word at all
        return _empty_rows(len(words), 1)


_GRAM_DIGITS = 5  # n-grams up to this length are packed into one int64


def _char_wb_counts(words: Sequence[str], ngram_range: tuple[int, int]) -> sp.csr_matrix | None:
    """``CountVectorizer(analyzer="char_wb", lowercase=False, dtype=float32)`` counts of
    one-word documents ("" = no n-grams), or ``None`` where this shortcut does not apply.

    Each n-gram is packed into an integer (characters numbered in code-point order, 0 after
    the end), so integer order is string order and the columns come out sorted as the
    vectoriser sorts its vocabulary. Within a row the columns keep the vectoriser's order:
    by first appearance in the corpus (its provisional ids, which it sorts by before renaming
    them), so the TF-IDF norms add up in the same order and the rows are identical.
    """
    low, high = ngram_range
    padded = [f" {w} " for w in words if w]
    if (
        not padded
        or not 1 <= low <= high <= _GRAM_DIGITS
        or any(len(w.split()) != 1 for w in padded)
        or min(map(len, padded)) < low
    ):
        return None  # nothing to count, multi-word or very short documents: the vectoriser
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    points = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    alphabet, codes = np.unique(points, return_inverse=True)
    base = len(alphabet) + 1
    if base**_GRAM_DIGITS >= 1 << 63:
        return None
    codes = codes.reshape(-1).astype(np.int64) + 1
    sizes = np.arange(low, high + 1)
    per_size = np.maximum(lengths[:, None] - sizes[None, :] + 1, 0).reshape(-1)
    # every (document, n, offset) in the vectoriser's order: by document, then n, then offset
    doc = np.repeat(np.repeat(np.arange(len(padded)), len(sizes)), per_size)
    size = np.repeat(np.tile(sizes, len(padded)), per_size)
    offset = np.arange(int(per_size.sum())) - np.repeat(np.cumsum(per_size) - per_size, per_size)
    begin = (np.cumsum(lengths) - lengths)[doc] + offset
    gram = np.zeros(len(doc), dtype=np.int64)
    for place in range(_GRAM_DIGITS):
        digit = codes[np.minimum(begin + place, len(codes) - 1)]
        gram = gram * base + np.where(place < size, digit, 0)
    distinct, first_seen, column = np.unique(gram, return_index=True, return_inverse=True)
    n_grams = len(distinct)
    provisional = np.empty(n_grams, dtype=np.int64)
    provisional[np.argsort(first_seen, kind="stable")] = np.arange(n_grams)
    cells, count = np.unique(doc * n_grams + provisional[column.reshape(-1)], return_counts=True)
    rows = np.flatnonzero([bool(w) for w in words])[cells // n_grams]
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=len(words)))]
    return sp.csr_matrix(
        (count.astype(np.float32), np.argsort(provisional)[cells % n_grams].astype(np.int32), indptr.astype(np.int32)),
        shape=(len(words), n_grams),
    )


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
    grams = char_grams(terms, config)
    links = sp_matmul_topn(
        grams,
        grams.T.tocsr(),
        top_n=config.char_neighbours + 1,
        threshold=config.char_threshold,
        n_threads=config.n_threads,
    )
    links = sp.csr_matrix(links, dtype=np.float32)
    links.setdiag(0)
    links.eliminate_zeros()
    return links
