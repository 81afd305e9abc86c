"""Fixtures for the scheduler tests: the B2BSP instance folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def b2bsp_dir() -> Path:
    """Where the B2BSP instances live: $MATCHMAKER_B2BSP_DIR or ../shared/benchmarks/b2bsp."""
    configured = os.environ.get("MATCHMAKER_B2BSP_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "benchmarks" / "b2bsp"


@pytest.fixture
def tic12() -> Path:
    path = b2bsp_dir() / "tic-12.original.dzn"
    if not path.is_file():
        pytest.skip(f"B2BSP instance not found at {path}")
    return path
