"""misclustering_error against a brute force over label permutations."""

import itertools

import numpy as np
import pytest

from sklike.metrics import misclustering_error


def _brute_force(y_true, y_pred):
    classes = np.unique(y_true)
    clusters = np.unique(y_pred)
    size = max(len(classes), len(clusters))
    best = 0
    for perm in itertools.permutations(range(size), len(clusters)):
        mapping = dict(zip(clusters, perm, strict=True))
        mapped = np.array([mapping[c] for c in y_pred])
        truth = np.searchsorted(classes, y_true)
        best = max(best, int(np.sum(mapped == truth)))
    return 1 - best / len(y_true)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k_true, k_pred", [(3, 3), (2, 4), (4, 2)])
def test_matches_brute_force(seed, k_true, k_pred):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(k_true, size=30)
    y_pred = rng.randint(k_pred, size=30)
    assert misclustering_error(y_true, y_pred) == pytest.approx(
        _brute_force(y_true, y_pred)
    )


def test_invariant_to_relabelling():
    y = np.array([0, 0, 1, 1, 2, 2, 2])
    assert misclustering_error(y, (y + 1) % 3) == 0.0
    assert misclustering_error(["a", "a", "b"], [5, 5, 7]) == 0.0


def test_bad_input():
    with pytest.raises(ValueError, match="inconsistent|samples"):
        misclustering_error([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="at least one sample"):
        misclustering_error([], [])
