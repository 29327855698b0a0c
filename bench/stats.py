"""Printing a benchmark's throughput, latency percentiles and its ratio to the raw database; raw SQL helpers."""

from __future__ import annotations

import statistics
import time

from django.db import connection


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, ours: list[float], raw: list[float], *, baseline: str = "raw database") -> float:
    ratio = statistics.median(raw) / statistics.median(ours)
    print(f"\n{name}")
    print(
        f"  yigou : {len(ours) / sum(ours):9.1f} ops/s  p50 {percentile(ours, 0.5) * 1000:8.2f} ms  "
        f"p95 {percentile(ours, 0.95) * 1000:8.2f} ms"
    )
    print(
        f"  {baseline}: {len(raw) / sum(raw):9.1f} ops/s  p50 {percentile(raw, 0.5) * 1000:8.2f} ms  "
        f"p95 {percentile(raw, 0.95) * 1000:8.2f} ms"
    )
    if ratio >= 1:
        print(f"  ratio : {ratio:.1f}× faster than the {baseline} (median latency)")
    else:
        print(f"  ratio : {1 / ratio:.2f}× the {baseline}'s median latency")
    return ratio


def timed(label: str, func, *args, **kwargs):
    """Run one long step of a benchmark's setup or work, printing its wall time."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"  {label}: {time.perf_counter() - start:.1f} s")
    return result


# Raw SQL for the benches' data and baselines, on the connection Django set up.
def execute(sql: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fetch(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
