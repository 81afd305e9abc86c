"""A small reader for the MiniZinc data (.dzn) subset used by the B2BSP instances.

Supported values: integers, one-dimensional arrays of integers or of sets, two-dimensional
arrays written ``[| a, b | c, d |]`` and sets ``{1, 2, 5..7}`` (``{}`` is empty). Comments
start with ``%``. That is all the published B2BSP files need; anything else is rejected.
"""

from __future__ import annotations

import re
from typing import NoReturn

DznValue = int | list[int] | list[list[int]] | list[frozenset[int]]

_COMMENT = re.compile(r"%[^\n]*")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", re.DOTALL)
_SET = re.compile(r"\{([^{}]*)\}")


def parse_dzn_values(text: str) -> dict[str, DznValue]:
    """Read every ``name = value;`` statement of a .dzn text.

    Parameters
    ----------
    text:
        The file's content.

    Returns
    -------
    dict
        Name to value: ``int``, ``list[int]``, ``list[list[int]]`` (rows of a 2-D array)
        or ``list[frozenset[int]]`` (an array of sets).

    Example
    -------
    >>> parse_dzn_values("n = 2; s = [{0}, {1, 3..4}];")
    {'n': 2, 's': [frozenset({0}), frozenset({1, 3, 4})]}
    """
    values: dict[str, DznValue] = {}
    for statement in _COMMENT.sub("", text).split(";"):
        if not statement.strip():
            continue
        match = _ASSIGNMENT.match(statement)
        if match is None:
            raise ValueError(f"not a dzn assignment: {statement.strip()[:60]!r}")
        values[match.group(1)] = _parse_value(match.group(2))
    return values


def _parse_value(expr: str) -> DznValue:
    if expr.startswith("[|"):
        return _parse_rows(expr)
    if expr.startswith("["):
        inner = expr[1:-1].strip() if expr.endswith("]") else _bad(expr)
        if inner.startswith("{"):
            return [_parse_set(body) for body in _SET.findall(inner)]
        return _parse_ints(inner)
    return _parse_int(expr)


def _parse_rows(expr: str) -> list[list[int]]:
    if not expr.endswith("|]"):
        _bad(expr)
    rows = expr[2:-2].split("|")
    return [_parse_ints(row) for row in rows if row.strip().strip(",")]


def _parse_ints(body: str) -> list[int]:
    return [_parse_int(item) for item in body.split(",") if item.strip()]


def _parse_set(body: str) -> frozenset[int]:
    members: set[int] = set()
    for item in body.split(","):
        if ".." in item:
            low, high = item.split("..")
            members.update(range(_parse_int(low), _parse_int(high) + 1))
        elif item.strip():
            members.add(_parse_int(item))
    return frozenset(members)


def _parse_int(token: str) -> int:
    try:
        return int(token.strip())
    except ValueError:
        _bad(token)


def _bad(expr: str) -> NoReturn:
    raise ValueError(f"unsupported dzn value: {expr.strip()[:60]!r}")
