"""Tour entries, their discovery and the runner behind ``sklike tour``."""

import importlib
import importlib.util
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FAMILIES",
    "TourEntry",
    "TourResult",
    "collect_entries",
    "pyplot",
    "run_tour",
    "save_figure",
]

#: Subpackages searched for a ``_tour`` module, in display order.
FAMILIES = (
    "linear_model",
    "cluster",
    "graph",
    "ensemble",
    "naive_bayes",
    "privacy",
    "inspection",
)


@dataclass
class TourResult:
    """What one tour entry measured.

    ``score``/``baseline_score`` use the entry's ``metric`` (say which way is
    better in the metric's name, e.g. ``"ARI (higher is better)"``).
    ``plots`` are paths of files written under the output folder.
    """

    score: float
    baseline_score: float
    fit_seconds: float
    baseline_fit_seconds: float
    plots: list = field(default_factory=list)
    note: str = ""


@dataclass
class TourEntry:
    """One line of the tour.

    Parameters
    ----------
    name : str
        Short identifier used by ``--only`` (e.g. ``"presto"``).
    method : str
        The sklike estimator shown (e.g. ``"PrestoClassifier"``).
    dataset : str
        The bundled real dataset it runs on.
    metric : str
        What the scores mean.
    baseline : str
        The estimator a user would otherwise use.
    run : callable ``run(quick: bool, outdir: pathlib.Path) -> TourResult``
        Does the work; with ``quick=True`` it must finish in seconds.
    """

    name: str
    method: str
    dataset: str
    metric: str
    baseline: str
    run: Callable


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend: the tour only writes files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, outdir, filename, *, dpi=100):
    """Lay out, write ``outdir/filename``, close ``fig``; return the path."""
    fig.tight_layout()
    path = Path(outdir) / filename
    fig.savefig(path, dpi=dpi)
    pyplot().close(fig)
    return path


def collect_entries(families=FAMILIES):
    """Import ``sklike.<family>._tour`` for each family and gather their entries."""
    entries = []
    for family in families:
        try:
            module = importlib.import_module(f"sklike.{family}._tour")
        except ModuleNotFoundError as exc:
            if exc.name != f"sklike.{family}._tour":
                raise
            continue
        entries.extend(module.TOUR_ENTRIES)
    return entries


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def format_table(rows):
    """Render ``rows`` (list of dicts with the same keys) as a markdown table."""
    if not rows:
        return ""
    keys = list(rows[0])
    cells = [[_fmt(r[k]) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]

    def line(vals):
        padded = (v.ljust(w) for v, w in zip(vals, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    out = [line(keys), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in cells]
    return "\n".join(out)


def run_tour(*, quick=False, only=None, outdir="sklike-tour", stream=None):
    """Run the tour entries, print progress and the table; return the rows.

    Parameters
    ----------
    quick : bool
        Small settings, for CI.
    only : list of str, optional
        Entry names to run.
    outdir : str or Path
        Folder for the plots.
    stream : file, optional
        Where progress and the table go (default ``sys.stdout``).

    Returns
    -------
    rows : list of dict
    """
    stream = stream or sys.stdout
    entries = collect_entries()
    if only:
        known = {e.name for e in entries}
        unknown = sorted(set(only) - known)
        if unknown:
            raise ValueError(
                f"Unknown tour entry {unknown}; available: {sorted(known) or 'none'}."
            )
        entries = [e for e in entries if e.name in only]
    if not entries:
        print(
            "sklike tour: no estimators are available yet, so there is nothing to "
            "run. (Each method family adds its tour entry when it lands.)",
            file=stream,
        )
        return []
    if importlib.util.find_spec("matplotlib") is None:
        # Every entry draws its plot; say so before running anything.
        raise ValueError(
            "the tour writes plots with matplotlib, which is not installed; "
            "install it with: pip install 'sklike[plot]'"
        )
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, entry in enumerate(entries, 1):
        print(
            f"[{i}/{len(entries)}] {entry.name}: {entry.method} on {entry.dataset} "
            f"vs {entry.baseline} ...",
            file=stream,
            flush=True,
        )
        start = time.perf_counter()
        result = entry.run(quick=quick, outdir=outdir)
        elapsed = time.perf_counter() - start
        print(f"      done in {elapsed:.1f} s", file=stream, flush=True)
        rows.append(
            {
                "method": entry.method,
                "dataset": entry.dataset,
                "metric": entry.metric,
                "sklike": result.score,
                "baseline": f"{_fmt(result.baseline_score)} ({entry.baseline})",
                "fit s (sklike)": result.fit_seconds,
                "fit s (baseline)": result.baseline_fit_seconds,
            }
        )
        for plot in result.plots:
            print(f"      wrote {plot}", file=stream)
    print("\n" + format_table(rows), file=stream)
    print(f"\nPlots are in {outdir.resolve()}", file=stream)
    return rows
