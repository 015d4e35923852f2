"""Validation shared by the clusterers that take a precomputed kernel."""

import numpy as np

from ..utils._sklearn_compat import validate_data
from ..utils.validation import check_adjacency

__all__ = ["validate_kernel"]


def validate_kernel(estimator, X, n_clusters):
    """A square, symmetric, finite float64 kernel with >= n_clusters samples."""
    X = validate_data(estimator, X, dtype=np.float64, ensure_min_samples=2)
    # A kernel may have any sign (log kernels are indefinite); only its shape
    # and symmetry are checked.
    K = check_adjacency(
        X, allow_negative=True, accept_sparse=False, name="X (precomputed kernel)"
    )
    if K.shape[0] < n_clusters:
        raise ValueError(
            f"n_samples={K.shape[0]} should be >= n_clusters={n_clusters}."
        )
    return np.ascontiguousarray(K)
