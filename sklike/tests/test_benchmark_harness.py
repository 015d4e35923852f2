"""Unit tests of ``benchmarks/_harness.py`` (timing, ratios, JSON output).

The timing tests run on a fake clock, so they check the accounting exactly
and take no time.  ``benchmarks/`` lives next to the package in a source
checkout; the tests are skipped where it is absent (an installed wheel).
"""

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import sklike

REPO_ROOT = Path(sklike.__file__).resolve().parents[1]
if not (REPO_ROOT / "benchmarks" / "_harness.py").exists():
    pytest.skip("benchmarks/ is only in a source checkout", allow_module_level=True)
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
harness = pytest.importorskip("benchmarks._harness")


class FakeClock:
    """``time.perf_counter`` stand-in that advances only when work is done."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(harness, "time", SimpleNamespace(perf_counter=fake))
    return fake


def _work(clock, durations):
    """A function whose n-th call takes ``durations[n]`` (the last repeats)."""
    calls = []

    def func():
        clock.now += durations[min(len(calls), len(durations) - 1)]
        calls.append(1)

    return func, calls


def test_time_it_reports_first_call_apart(clock):
    # The first call compiles (0.5 s), later ones take 0.1 s or 0.125 s.
    func, calls = _work(clock, [0.5, 0.125, 0.1, 0.125])
    timing = harness.time_it(func, repeat=3)
    assert len(calls) == 4  # one warm-up + three timed repeats
    assert timing.first == pytest.approx(0.5)
    assert timing.best == pytest.approx(0.1)
    assert timing.repeats == 3
    assert timing.compile == pytest.approx(0.4)


def test_time_it_repeats_until_min_time(clock):
    func, calls = _work(clock, [0.3])
    timing = harness.time_it(func, repeat=2, min_time=1.0)
    # 0.3 s per call: 4 timed calls are needed to spend at least 1 s.
    assert timing.repeats == 4
    assert len(calls) == 5


def test_compile_time_is_never_negative(clock):
    func, _ = _work(clock, [0.1, 0.3])
    assert harness.time_it(func, repeat=2).compile == 0.0


def _timing(first, best):
    return harness.Timing(first=first, best=best, repeats=3)


def test_report_ratio_is_baseline_over_row():
    report = harness.Report("fit time", baseline="numpy")
    report.add("numpy", _timing(1.0, 0.6))
    report.add("sklike", _timing(2.0, 0.2), error=1e-3)
    report.add("slow peer", _timing(1.2, 1.2))
    records = {r["name"]: r for r in report.to_records()}
    assert records["numpy"]["speedup_vs_baseline"] == pytest.approx(1.0)
    assert records["sklike"]["speedup_vs_baseline"] == pytest.approx(0.6 / 0.2)
    assert records["slow peer"]["speedup_vs_baseline"] == pytest.approx(0.6 / 1.2)
    assert records["sklike"]["compile_seconds"] == pytest.approx(1.8)
    assert records["sklike"]["error"] == 1e-3  # extra columns are kept
    markdown = report.to_markdown()
    assert "speed-up vs numpy" in markdown and "| sklike | 0.2 | 1.8 | 3x |" in markdown


def test_report_without_baseline_row_has_no_ratio():
    report = harness.Report("fit time", baseline="absent")
    report.add("sklike", _timing(0.2, 0.1))
    assert report.to_records()[0]["speedup_vs_baseline"] is None
    assert "| - |" in report.to_markdown()


@pytest.mark.parametrize(
    "quick, filename", [(True, "demo-quick.json"), (False, "demo.json")]
)
def test_write_results_writes_valid_json(tmp_path, quick, filename):
    report = harness.Report("fit time", baseline="numpy", notes=["shared machine"])
    report.add("numpy", _timing(1.0, 0.5))
    report.add("sklike", _timing(1.0, 0.25))
    path = harness.write_results("demo", [report], quick=quick, results_dir=tmp_path)
    assert path == tmp_path / filename
    payload = json.loads(path.read_text())
    assert payload["benchmark"] == "demo" and payload["quick"] is quick
    assert payload["machine"]["python"] == sys.version.split()[0]
    (saved,) = payload["reports"]
    assert saved["title"] == "fit time" and saved["baseline"] == "numpy"
    assert saved["notes"] == ["shared machine"]
    assert saved["rows"] == report.to_records()
