"""Prometheus metrics, defined once and shared by the HTTP layer and the job runners.

With several API or worker processes, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty, writable
folder before the processes start: each process then writes its samples there and ``render``
merges them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "matchmaker_http_requests_total",
    "HTTP requests by route template, method and status code",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "matchmaker_http_request_duration_seconds",
    "HTTP request latency by route template and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
READ_CACHE = Counter(
    "matchmaker_read_cache_lookups_total",
    "Lookups in the per-process read caches (public profiles, suggestion pages), by cache and outcome",
    ["cache", "outcome"],
)
JOBS = Counter("matchmaker_jobs_total", "Jobs finished, by kind and outcome", ["kind", "outcome"])
JOB_DURATION = Histogram(
    "matchmaker_job_duration_seconds",
    "Job run time by kind",
    ["kind"],
    buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0),
)
JOB_SIZE = Histogram(
    "matchmaker_job_size_participants",
    "Participants in the event a job worked on, by kind",
    ["kind"],
    buckets=(10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 20000, 50000, 100000),
)
QUEUE_DEPTH = Gauge(
    "matchmaker_queue_depth",
    "Jobs waiting to run, by kind",
    ["kind"],
    multiprocess_mode="livemax",
)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def render() -> bytes:
    """The exposition text: this process's registry, or every process's when in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()
