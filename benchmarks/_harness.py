"""Shared benchmark machinery: timing with warm-up, tables with ratios, JSON.

Usage inside ``benchmarks/bench_<name>.py``::

    from benchmarks._harness import Report, time_it


    def run(quick):
        report = Report("fit time, n=10_000", baseline="numpy.linalg.lstsq")
        t = time_it(lambda: np.linalg.lstsq(A, b, rcond=None))
        report.add("numpy.linalg.lstsq", t)
        t = time_it(lambda: SketchedLinearRegression().fit(A, b))
        report.add("SketchedLinearRegression", t, error=1e-3)
        return [report]
"""

import json
import os
import platform
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

RESULTS_DIR = Path(__file__).parent / "results"


@dataclass
class Timing:
    """Seconds of the first call (includes JIT compilation) and the best repeat."""

    first: float
    best: float
    repeats: int

    @property
    def compile(self):
        """Time spent in the first call beyond a warm call (JIT compile, caches)."""
        return max(self.first - self.best, 0.0)


def time_it(func, *, repeat=3, min_time=0.0):
    """Call ``func`` once to warm up, then ``repeat`` times; keep the best.

    Repeats continue past ``repeat`` until ``min_time`` seconds are spent, which
    steadies very short timings.
    """
    start = time.perf_counter()
    func()
    first = time.perf_counter() - start
    times = []
    spent = 0.0
    while len(times) < repeat or spent < min_time:
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return Timing(first=first, best=min(times), repeats=len(times))


@dataclass
class Report:
    """One benchmark table: rows of (name, timing, extra columns), a baseline row.

    The ``ratio`` column is baseline seconds / row seconds (above 1: faster
    than the baseline).
    """

    title: str
    baseline: str
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, name, timing, **extra):
        self.rows.append({"name": name, "timing": timing, **extra})

    def _baseline_seconds(self):
        for row in self.rows:
            if row["name"] == self.baseline:
                return row["timing"].best
        return None

    def to_records(self):
        base = self._baseline_seconds()
        records = []
        for row in self.rows:
            t = row["timing"]
            rec = {
                "name": row["name"],
                "seconds": t.best,
                "compile_seconds": t.compile,
                "speedup_vs_baseline": (base / t.best) if base and t.best else None,
            }
            rec.update({k: v for k, v in row.items() if k not in ("name", "timing")})
            records.append(rec)
        return records

    def to_markdown(self):
        recs = self.to_records()
        extra = (
            [
                k
                for k in recs[0]
                if k
                not in ("name", "seconds", "compile_seconds", "speedup_vs_baseline")
            ]
            if recs
            else []
        )
        head = [
            "method",
            "seconds",
            "JIT/first-call extra s",
            f"speed-up vs {self.baseline}",
            *extra,
        ]
        lines = [
            f"### {self.title}",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        for r in recs:
            ratio = r["speedup_vs_baseline"]
            cells = [
                r["name"],
                f"{r['seconds']:.4g}",
                f"{r['compile_seconds']:.3g}",
                "-" if ratio is None else f"{ratio:.3g}x",
            ]
            cells += [_fmt(r[k]) for k in extra]
            lines.append("| " + " | ".join(cells) + " |")
        lines += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines)


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def machine_info():
    """A short description of where the numbers were produced."""
    import numpy as np

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = sorted({p.get("internal_api", "?") for p in threadpool_info()})
    except Exception:  # pragma: no cover - informational only
        pass
    return info


def write_results(name, reports, *, quick, results_dir=RESULTS_DIR):
    """Write ``reports`` to ``results_dir/<name>[-quick].json``; return the path."""
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}{'-quick' if quick else ''}.json"
    payload = {
        "benchmark": name,
        "quick": quick,
        "machine": machine_info(),
        "reports": [
            {
                "title": r.title,
                "baseline": r.baseline,
                "rows": r.to_records(),
                "notes": r.notes,
            }
            for r in reports
        ],
    }
    path.write_text(json.dumps(payload, indent=2, default=float))
    return path
