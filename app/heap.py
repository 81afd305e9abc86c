"""The garbage collector of a serving process: fewer, cheaper full collections.

Measured under the load benchmark (``bench/README-load.md``, 2026-11-22): with CPython's default
thresholds ``(700, 10, 10)`` one API worker ran 22 full (generation 2) collections in 50 s, each
walking 125,000-450,000 objects for 80-430 ms. Every request in flight on that worker waits through
each of them: 6 s of 50 s in the collector, and most of the p95 at a moderate load.

Two causes, two settings:

* The objects made at start-up (modules, routes, schemas, SQLAlchemy mappers) live as long as the
  process; :func:`settle` collects once and moves them to the permanent generation
  (``gc.freeze``), which collections never walk. Nothing is garbage right after a full collection,
  so nothing is kept alive by it.
* Under load a request lives for hundreds of milliseconds, so the default young thresholds promote its
  short-lived objects to the old generations, where they make full collections frequent. Larger young
  thresholds collect less often, by which time most of those requests have ended and reference
  counting has freed their objects.

Only for serving processes (``matchmaker serve``): tests and command-line tools keep the defaults.
"""

from __future__ import annotations

import gc
from typing import Final

from sqlalchemy.orm import configure_mappers

SERVING_THRESHOLDS: Final = (50_000, 20, 10)


def settle() -> None:
    """Freeze what start-up made and raise the young thresholds; call once, before serving requests."""
    configure_mappers()  # built lazily on the first query otherwise, and then walked by every full collection
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
