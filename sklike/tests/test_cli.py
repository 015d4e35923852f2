"""The ``sklike`` command line: ``sklike tour`` and ``sklike versions``.

Tour entries are injected by replacing the registry's ``collect_entries``, so
these tests do not depend on which estimators exist yet.
"""

import subprocess
import sys
from pathlib import Path

import pytest

import sklike
from sklike._tour import TourEntry, TourResult, collect_entries
from sklike.cli import main

REPO_ROOT = Path(sklike.__file__).resolve().parents[1]


def _fake_entry(name, calls):
    def run(quick, outdir):
        calls.append((name, quick))
        plot = Path(outdir) / f"{name}.png"
        plot.write_bytes(b"not really a png")
        return TourResult(
            score=0.875,
            baseline_score=0.625,
            fit_seconds=0.5,
            baseline_fit_seconds=0.25,
            plots=[plot],
        )

    return TourEntry(
        name=name,
        method=f"{name.title()}Estimator",
        dataset=f"{name}-data",
        metric="accuracy (higher is better)",
        baseline="BaselineModel",
        run=run,
    )


@pytest.fixture
def use_entries(monkeypatch):
    """Make the tour see exactly the given entries."""

    def install(entries):
        def fake_collect(families=None):
            return list(entries)

        # The CLI's --list reads the package-level name, run_tour the module's.
        monkeypatch.setattr("sklike._tour.collect_entries", fake_collect)
        monkeypatch.setattr("sklike._tour._registry.collect_entries", fake_collect)

    return install


def test_tour_list_shows_every_entry(capsys):
    assert main(["tour", "--list"]) == 0
    out = capsys.readouterr().out
    for entry in collect_entries():
        assert entry.name in out


def test_tour_list_with_injected_entry(use_entries, capsys):
    use_entries([_fake_entry("alpha", [])])
    assert main(["tour", "--list"]) == 0
    out = capsys.readouterr().out
    assert "alpha" in out and "AlphaEstimator" in out and "BaselineModel" in out


def test_tour_without_entries_says_so_and_exits_0(use_entries, capsys, tmp_path):
    use_entries([])
    assert main(["tour", "--quick", "--outdir", str(tmp_path / "tour")]) == 0
    assert "no estimators are available" in capsys.readouterr().out
    assert not (tmp_path / "tour").exists()


def test_tour_quick_prints_one_table(use_entries, capsys, tmp_path):
    calls = []
    use_entries([_fake_entry("alpha", calls), _fake_entry("beta", calls)])
    outdir = tmp_path / "tour"
    assert main(["tour", "--quick", "--outdir", str(outdir)]) == 0
    out = capsys.readouterr().out
    assert calls == [("alpha", True), ("beta", True)]
    table = [line for line in out.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    assert header[:5] == ["method", "dataset", "metric", "sklike", "baseline"]
    assert len(table) == 2 + 2  # header, rule, one row per entry
    assert "AlphaEstimator" in table[2] and "BetaEstimator" in table[3]
    assert "0.875" in table[2] and "0.625 (BaselineModel)" in table[2]
    assert (outdir / "alpha.png").exists() and (outdir / "beta.png").exists()


def test_tour_only_runs_the_named_entry(use_entries, capsys, tmp_path):
    calls = []
    use_entries([_fake_entry("alpha", calls), _fake_entry("beta", calls)])
    assert main(["tour", "--only", "beta", "--outdir", str(tmp_path)]) == 0
    assert calls == [("beta", False)]
    assert "AlphaEstimator" not in capsys.readouterr().out


@pytest.mark.parametrize("entries", [[], ["alpha"]])
def test_tour_only_unknown_exits_2(use_entries, capsys, tmp_path, entries):
    calls = []
    use_entries([_fake_entry(name, calls) for name in entries])
    assert main(["tour", "--only", "unknown", "--outdir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown" in err and "available" in err
    assert calls == []


def test_tour_without_matplotlib_says_how_to_get_it(
    use_entries, capsys, tmp_path, monkeypatch
):
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "matplotlib" else real_find_spec(name, *args, **kwargs)

    calls = []
    use_entries([_fake_entry("alpha", calls)])
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert main(["tour", "--quick", "--outdir", str(tmp_path)]) == 2
    assert "pip install 'sklike[plot]'" in capsys.readouterr().err
    assert calls == []  # nothing ran half-way


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_python_m_sklike_versions():
    result = _run("-m", "sklike", "versions")
    assert result.returncode == 0, result.stderr
    assert f"sklike: {sklike.__version__}" in result.stdout
    assert "scikit-learn:" in result.stdout


def test_python_m_sklike_without_command_fails_with_usage():
    result = _run("-m", "sklike")
    assert result.returncode == 2
    assert "usage: sklike" in result.stderr


@pytest.mark.skipif(
    not (REPO_ROOT / "benchmarks" / "__main__.py").exists(),
    reason="benchmarks/ is only in a source checkout",
)
def test_python_m_benchmarks_list_from_repo_root():
    result = _run("-m", "benchmarks", "--list", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("available benchmarks:")
    scripts = sorted(
        p.stem[len("bench_") :] for p in REPO_ROOT.glob("benchmarks/bench_*.py")
    )
    for name in scripts:
        assert name in result.stdout
