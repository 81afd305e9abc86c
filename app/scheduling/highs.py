"""Typed access to HiGHS through scipy for sparse linear programs."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix


def solve_lp(
    cost: np.ndarray,
    upper_rows: csr_matrix | coo_matrix | None,
    upper_bounds: np.ndarray | None,
    equal_rows: csr_matrix | coo_matrix | None = None,
    equal_bounds: np.ndarray | None = None,
    bounds: Any = (0.0, 1.0),
) -> float | None:
    """Minimise ``cost @ x`` subject to sparse rows; returns the optimum or None if not solved.

    Parameters
    ----------
    cost:
        Objective coefficients.
    upper_rows, upper_bounds:
        ``upper_rows @ x <= upper_bounds`` (sparse).
    equal_rows, equal_bounds:
        ``equal_rows @ x == equal_bounds`` (sparse), optional.
    bounds:
        Variable bounds as ``linprog`` takes them.

    Returns
    -------
    float or None
        The optimal value, or None when HiGHS reports anything but success.

    Example
    -------
    >>> solve_lp(np.array([-1.0, -1.0]), csr_matrix(np.array([[1.0, 1.0]])), np.array([1.5]))
    -1.5
    """
    result = linprog(  # type: ignore[call-overload]  # HiGHS takes sparse rows; the stubs do not
        cost,
        A_ub=upper_rows,
        b_ub=upper_bounds,
        A_eq=equal_rows,
        b_eq=equal_bounds,
        bounds=bounds,
        method="highs",
    )
    return float(result.fun) if result.status == 0 else None
