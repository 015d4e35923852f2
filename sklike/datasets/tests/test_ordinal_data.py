"""Tests for make_relaxed_proportional_odds and load_wine_quality."""

import numpy as np
import pytest
from scipy.special import expit

from sklike.datasets import load_wine_quality, make_relaxed_proportional_odds


@pytest.mark.parametrize("design", ["sparse", "dense"])
def test_relaxed_po_probabilities_follow_the_model(design):
    X, y, proba, coef = make_relaxed_proportional_odds(
        n_samples=4000, design=design, random_state=0
    )
    cumulative = expit(X @ coef.T + np.array([0.0, 3.0, 5.0]))
    np.testing.assert_allclose(np.cumsum(proba, axis=1)[:, :-1], cumulative)
    assert np.all(proba >= 0)
    assert np.all((X >= -1) & (X <= 1))
    # y is drawn from proba: class shares agree within sampling error
    shares = np.bincount(y, minlength=4) / len(y)
    se = np.sqrt(proba.mean(0) * (1 - proba.mean(0)) / len(y))
    assert np.all(np.abs(shares - proba.mean(0)) < 5 * se)
    # the last class is rare (about 1% in the paper's setting)
    assert 0.002 < proba[:, -1].mean() < 0.03


def test_sparse_design_steps():
    _, _, _, coef = make_relaxed_proportional_odds(
        n_features=40, dev_size=0.1, dev_prob=0.5, random_state=1
    )
    steps = np.diff(np.vstack([np.zeros(40), coef]), axis=0)
    assert set(np.round(np.abs(steps).ravel(), 12)) <= {0.0, 0.1}
    assert np.all(steps[0] >= 0)
    assert 0.25 < np.mean(steps != 0) < 0.75


def test_relaxed_po_is_reproducible_and_validates():
    a = make_relaxed_proportional_odds(n_samples=100, random_state=3)
    b = make_relaxed_proportional_odds(n_samples=100, random_state=3)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    with pytest.raises(ValueError, match="intercepts must have"):
        make_relaxed_proportional_odds(n_classes=3, intercepts=(0, 1, 2))
    with pytest.raises(ValueError, match="increasing"):
        make_relaxed_proportional_odds(intercepts=(0, 5, 3))


def test_wine_quality_matches_the_shared_copy(shared_data_dir):
    X, y = load_wine_quality(return_X_y=True)
    raw = np.loadtxt(
        shared_data_dir / "wine_quality" / "winequality-red.csv", delimiter=","
    )
    np.testing.assert_array_equal(X, raw[:, :-1])
    np.testing.assert_array_equal(y, raw[:, -1])


def test_wine_quality_frame():
    pytest.importorskip("pandas")
    bunch = load_wine_quality(as_frame=True)
    assert list(bunch.data.columns) == bunch.feature_names
    assert bunch.frame.shape == (1599, 12)
    np.testing.assert_array_equal(
        np.bincount(bunch.target)[3:], [10, 53, 681, 638, 199, 18]
    )
