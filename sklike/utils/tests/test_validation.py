"""Shared validators: each mistake gets a clear message naming the parameter."""

import numpy as np
import pytest
import scipy.sparse as sp

from sklike.utils.validation import (
    check_adjacency,
    check_min_classes,
    check_min_samples,
    check_sample_weight,
)


def test_sample_weight_defaults_and_broadcast():
    np.testing.assert_array_equal(check_sample_weight(None, 3), np.ones(3))
    np.testing.assert_array_equal(check_sample_weight(2.0, 2), [2.0, 2.0])
    assert check_sample_weight([1, 0, 3], 3).dtype == np.float64


@pytest.mark.parametrize(
    "weights, match",
    [
        ([1.0, -1.0, 2.0], "non-negative"),
        ([1.0, np.nan, 2.0], "NaN or infinity"),
        ([1.0, np.inf, 2.0], "NaN or infinity"),
        ([0.0, 0.0, 0.0], "zero everywhere"),
        ([1.0, 2.0], "2 entries but X has 3"),
        ([[1.0, 2.0, 3.0]], "1-D"),
        (["a", "b", "c"], "numeric"),
    ],
)
def test_sample_weight_errors_name_the_problem(weights, match):
    with pytest.raises((ValueError, TypeError), match="sample_weight") as info:
        check_sample_weight(weights, 3)
    assert match in str(info.value)


def test_min_samples_and_classes():
    check_min_samples(3, 3, estimator_name="Est")
    with pytest.raises(ValueError, match="Est needs at least 3 samples to fit; got 2"):
        check_min_samples(2, 3, estimator_name="Est", why="to fit")
    check_min_classes([1, 2, 3], 3, estimator_name="Est")
    with pytest.raises(ValueError, match=r"at least 3 classes in y; got 2 classes"):
        check_min_classes(["lo", "hi"], 3, estimator_name="Est")


def test_adjacency_accepts_dense_and_sparse_symmetric():
    A = np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]], dtype=float)
    np.testing.assert_array_equal(check_adjacency(A), A)
    S = check_adjacency(sp.csr_matrix(A))
    assert sp.issparse(S)
    np.testing.assert_array_equal(S.toarray(), A)


@pytest.mark.parametrize(
    "A, kwargs, match",
    [
        (np.ones((2, 3)), {}, "square"),
        (np.array([[0, -1.0], [-1.0, 0]]), {}, "negative"),
        (np.array([[0, 1.0], [0.0, 0]]), {}, "symmetric"),
        (np.array([[1.0, 1.0], [1.0, 0]]), {"allow_self_loops": False}, "self-loop"),
        (np.array([[0, np.nan], [np.nan, 0]]), {}, "NaN"),
        (np.zeros((3, 3)), {"require_connected": True}, "disconnected"),
    ],
)
def test_adjacency_errors(A, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_adjacency(A, **kwargs)
    if match not in ("NaN", "square"):
        with pytest.raises(ValueError, match=match):
            check_adjacency(sp.csr_matrix(A), **kwargs)


def test_adjacency_asymmetry_allowed_when_directed():
    A = np.array([[0, 1.0], [0.0, 0]])
    np.testing.assert_array_equal(check_adjacency(A, symmetric=False), A)
