"""Diversity re-ranking and the doctests of the engine's modules."""

from __future__ import annotations

import doctest
import importlib
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.matching.ranking import diversify

MODULES = [
    "app.matching",
    "app.matching.config",
    "app.matching.text",
    "app.matching.sparse",
    "app.matching.kinds",
    "app.matching.features",
    "app.matching.candidates",
    "app.matching.scoring",
    "app.matching.ranking",
    "app.matching.engine",
]


@given(
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["RO", "BG", "IT", ""])), max_size=40),
    st.integers(0, 3),
    st.integers(0, 5),
)
def test_diversify_is_a_permutation_that_respects_caps_when_possible(
    items: list[tuple[int, str]], max_org: int, max_country: int
) -> None:
    orgs, countries = [o for o, _ in items], [c for _, c in items]
    order = diversify(orgs, countries, max_org, max_country)
    assert sorted(order) == list(range(len(items)))
    top = order[:10]
    greedy_ok = all(
        (max_org <= 0 or Counter(orgs[i] for i in top)[orgs[p]] <= max_org)
        and (max_country <= 0 or countries[p] == "" or Counter(countries[i] for i in top)[countries[p]] <= max_country)
        for p in top
    )
    feasible = _feasible(orgs, countries, max_org, max_country)
    assert greedy_ok or feasible < min(10, len(items))


def _feasible(orgs: list[int], countries: list[str], max_org: int, max_country: int) -> int:
    """How many places the greedy pass can fill within the caps (an upper bound check)."""
    per_org: Counter[int] = Counter()
    per_country: Counter[str] = Counter()
    filled = 0
    for org, country in zip(orgs, countries, strict=True):
        if (max_org > 0 and per_org[org] >= max_org) or (
            max_country > 0 and country and per_country[country] >= max_country
        ):
            continue
        per_org[org] += 1
        per_country[country] += 1
        filled += 1
    return filled


def test_diversify_keeps_order_without_conflicts() -> None:
    assert diversify([1, 2, 3], ["RO", "BG", "IT"], 1, 1) == [0, 1, 2]


def test_diversify_defers_and_refills() -> None:
    assert diversify([1, 1, 1], ["RO", "RO", "RO"], 1, 4, window=2) == [0, 1, 2]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    failures, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert failures == 0
