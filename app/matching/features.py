"""Participants as arrays: the vectors and attributes the scoring works on.

A :class:`Features` table holds one row per participant plus one row per opportunity. A
participant's requests are the rows ``req_ptr[i]:req_ptr[i+1]`` of ``req`` (offers likewise).
A participant without requests has an empty block: its complementarity is 0 (nothing asked,
nothing to answer), and the other signals still rank its partners.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from app.matching.kinds import kind_code
from app.matching.text import fold
from app.matching.types import OpportunityText, ParticipantRecord

__all__ = ["Features", "build_features", "event_texts", "opportunity_text", "sector_key"]

_SECTOR_BUCKETS = 1 << 20


def opportunity_text(item: OpportunityText) -> str:
    """The text of one offer or request: title, description and keywords.

    Example
    -------
    >>> opportunity_text(OpportunityText(1, "Solar", "PV parks", ("energy",)))
    'Solar. PV parks. energy'
    """
    return ". ".join(part for part in (item.title, item.description, " ".join(item.keywords)) if part)


def profile_text(record: ParticipantRecord) -> str:
    """Profile text plus sectors; the opportunities when a participant wrote no profile."""
    text = " ".join((record.profile_text, " ".join(record.sectors))).strip()
    if record.profile_text.strip():
        return text
    items = (*record.offers, *record.requests)
    return " ".join((text, *(opportunity_text(item) for item in items))).strip()


def sector_key(sector: str) -> str:
    """A comparable form of a sector name.

    Example
    -------
    >>> sector_key(" Agri-Food ") == sector_key("agri food")
    True
    """
    return "_".join(fold(sector).replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class EventTexts:
    """All texts of some participants, in the row order :class:`Features` expects."""

    texts: list[str]
    owners: np.ndarray  # text -> participant position
    n_profiles: int
    req_ptr: np.ndarray
    off_ptr: np.ndarray
    req_item: np.ndarray  # request row -> index in record.requests
    off_item: np.ndarray
    req_source: np.ndarray  # request row -> text row
    off_source: np.ndarray


def event_texts(records: Sequence[ParticipantRecord]) -> EventTexts:
    """Collect profile and opportunity texts and the row bookkeeping around them.

    Example
    -------
    >>> r = ParticipantRecord(1, 1, "company", "RO", profile_text="x")
    >>> event_texts([r]).req_ptr.tolist()
    [0, 0]
    """
    texts = [profile_text(r) for r in records]
    owners = list(range(len(records)))
    req = _opportunity_rows(records, texts, owners, offers=False)
    off = _opportunity_rows(records, texts, owners, offers=True)
    return EventTexts(
        texts, np.asarray(owners, dtype=np.int64), len(records), req[0], off[0], req[1], off[1], req[2], off[2]
    )


def _opportunity_rows(
    records: Sequence[ParticipantRecord], texts: list[str], owners: list[int], offers: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Append opportunity texts; return block pointers, item indices and text rows."""
    ptr, items, sources = [0], [], []
    for position, record in enumerate(records):
        chosen = record.offers if offers else record.requests
        for index, item in enumerate(chosen):
            items.append(index)
            sources.append(len(texts))
            texts.append(opportunity_text(item))
            owners.append(position)
        ptr.append(len(items))
    return (np.asarray(ptr, dtype=np.int64), np.asarray(items, dtype=np.int64), np.asarray(sources, dtype=np.int64))


@dataclass(frozen=True, slots=True)
class Features:
    """Vectors and attributes of participants, row-aligned with ``records``."""

    records: tuple[ParticipantRecord, ...]
    ids: np.ndarray
    org: np.ndarray
    country: np.ndarray
    kind: np.ndarray
    listed: np.ndarray
    profile: sp.csr_matrix
    sectors: sp.csr_matrix
    req: sp.csr_matrix
    off: sp.csr_matrix
    req_ptr: np.ndarray
    off_ptr: np.ndarray
    req_item: np.ndarray
    off_item: np.ndarray

    @property
    def size(self) -> int:
        return len(self.records)

    def select(self, rows: np.ndarray) -> Features:
        """A new table with the participants at ``rows`` (in that order)."""
        req_rows, req_ptr = _block_rows(self.req_ptr, rows)
        off_rows, off_ptr = _block_rows(self.off_ptr, rows)
        return Features(
            tuple(self.records[i] for i in rows.tolist()),
            self.ids[rows],
            self.org[rows],
            self.country[rows],
            self.kind[rows],
            self.listed[rows],
            self.profile[rows],
            self.sectors[rows],
            self.req[req_rows],
            self.off[off_rows],
            req_ptr,
            off_ptr,
            self.req_item[req_rows],
            self.off_item[off_rows],
        )

    def append(self, other: Features) -> Features:
        """This table followed by ``other`` (both built in the same text space)."""
        return Features(
            self.records + other.records,
            np.r_[self.ids, other.ids],
            np.r_[self.org, other.org],
            np.r_[self.country, other.country],
            np.r_[self.kind, other.kind],
            np.r_[self.listed, other.listed],
            _vstack(self.profile, other.profile),
            _vstack(self.sectors, other.sectors),
            _vstack(self.req, other.req),
            _vstack(self.off, other.off),
            np.r_[self.req_ptr, other.req_ptr[1:] + self.req_ptr[-1]],
            np.r_[self.off_ptr, other.off_ptr[1:] + self.off_ptr[-1]],
            np.r_[self.req_item, other.req_item],
            np.r_[self.off_item, other.off_item],
        )


def _vstack(top: sp.csr_matrix, bottom: sp.csr_matrix) -> sp.csr_matrix:
    return sp.csr_matrix(sp.vstack([top, bottom], format="csr"))


def _block_rows(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the chosen blocks and the new block pointers."""
    sizes = ptr[rows + 1] - ptr[rows]
    new_ptr = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    starts = np.repeat(ptr[rows] - new_ptr[:-1], sizes)
    return starts + np.arange(int(new_ptr[-1]), dtype=np.int64), new_ptr


def build_features(records: Sequence[ParticipantRecord], texts: EventTexts, vectors: sp.csr_matrix) -> Features:
    """Assemble a :class:`Features` table from records and the vectors of their texts.

    Parameters
    ----------
    records:
        The participants.
    texts:
        Their texts as returned by :func:`event_texts`.
    vectors:
        One vector row per text in ``texts.texts`` (from the fitted text space).

    Returns
    -------
    Features
        The table.

    Example
    -------
    >>> from app.matching.config import EngineConfig
    >>> from app.matching.text import fit_text_space
    >>> r = ParticipantRecord(1, 1, "company", "RO", profile_text="solar energy")
    >>> t = event_texts([r])
    >>> build_features([r], t, fit_text_space(t.texts, EngineConfig())[1]).size
    1
    """
    return Features(
        tuple(records),
        np.asarray([r.id for r in records], dtype=np.int64),
        np.asarray([r.organisation_id for r in records], dtype=np.int64),
        np.asarray([r.country.strip().upper() for r in records], dtype=object),
        np.asarray([kind_code(r.organisation_kind) for r in records], dtype=np.int64),
        np.asarray([r.listed for r in records], dtype=bool),
        sp.csr_matrix(vectors[: texts.n_profiles]),
        _sector_matrix(records),
        sp.csr_matrix(vectors[texts.req_source]),
        sp.csr_matrix(vectors[texts.off_source]),
        texts.req_ptr,
        texts.off_ptr,
        texts.req_item,
        texts.off_item,
    )


def _sector_matrix(records: Sequence[ParticipantRecord]) -> sp.csr_matrix:
    """Hashed, L2-normalised sector indicators: a dot product is the sector cosine."""
    rows, cols = [], []
    for position, record in enumerate(records):
        for key in sorted({sector_key(s) for s in record.sectors if s.strip()}):
            rows.append(position)
            cols.append(zlib.crc32(key.encode()) % _SECTOR_BUCKETS)
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(records), _SECTOR_BUCKETS))
    matrix.sum_duplicates()
    per_row = np.diff(matrix.indptr)
    matrix.data[:] = np.repeat(1.0 / np.sqrt(np.maximum(per_row, 1)), per_row)
    return matrix
