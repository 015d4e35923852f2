"""The conformance harness must be able to fail.

A small, correct nearest-centroid classifier and a correct scaler pass every
check.  Each broken variant below breaks exactly one contract, and the check
that guards that contract must catch it.
"""

from numbers import Real

import numpy as np
import pytest
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    OneToOneFeatureMixin,
    TransformerMixin,
)
from sklearn.utils.multiclass import check_classification_targets

from sklike.utils._sklearn_compat import (
    Interval,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from sklike.utils.estimator_checks import (
    check_estimator,
    check_name,
    sklike_checks_generator,
)
from sklike.utils.validation import check_min_classes, check_min_samples


class _GoodCentroidClassifier(ClassifierMixin, BaseEstimator):
    """Nearest shrunken centroid: small but fully conforming."""

    _parameter_constraints = {
        "shrink": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    }

    def __init__(self, shrink=0.0, random_state=None):
        self.shrink = shrink
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        check_min_samples(X.shape[0], 2, estimator_name=type(self).__name__)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        check_min_classes(self.classes_, 2, estimator_name=type(self).__name__)
        centre = X.mean(axis=0)
        self.centroids_ = np.array(
            [X[y_idx == k].mean(axis=0) for k in range(len(self.classes_))]
        )
        self.centroids_ = (1 - self.shrink) * self.centroids_ + self.shrink * centre
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        distances = ((X[:, None, :] - self.centroids_[None]) ** 2).sum(-1)
        return self.classes_[np.argmin(distances, axis=1)]


class _GoodScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Centre and scale by the max absolute deviation."""

    _parameter_constraints = {"with_centering": ["boolean"]}

    def __init__(self, with_centering=True):
        self.with_centering = with_centering

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        X = validate_data(self, X)
        check_min_samples(X.shape[0], 2, estimator_name=type(self).__name__)
        self.center_ = X.mean(axis=0) if self.with_centering else np.zeros(X.shape[1])
        scale = np.abs(X - self.center_).max(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return (X - self.center_) / self.scale_


# ---- broken variants: each violates one contract --------------------------
class _SilentNaN(_GoodCentroidClassifier):
    def fit(self, X, y):
        X, y = validate_data(self, X, y, ensure_all_finite=False)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        self.centroids_ = np.array(
            [X[y_idx == k].mean(axis=0) for k in range(len(self.classes_))]
        )
        return self


class _CrashesOnOneSample(_GoodCentroidClassifier):
    def fit(self, X, y):
        # Unguarded n - 1 before any validation: one sample crashes here
        # instead of raising a clear error.
        self.spread_ = 1.0 / (len(y) - 1)
        return super().fit(X, y)


class _MutatesParams(_GoodCentroidClassifier):
    def fit(self, X, y):
        super().fit(X, y)
        self.shrink = 0.5  # writes a parameter during fit
        return self


class _DropsFeatureNames(_GoodCentroidClassifier):
    def fit(self, X, y):
        return super().fit(np.asarray(X), y)

    def predict(self, X):
        return super().predict(np.asarray(X))


class _Unpicklable(_GoodCentroidClassifier):
    def fit(self, X, y):
        super().fit(X, y)
        self.score_fn_ = lambda Z: Z  # lambdas do not pickle
        return self


class _IgnoresRandomState(_GoodCentroidClassifier):
    def fit(self, X, y):
        super().fit(X, y)
        self.centroids_ = self.centroids_ + np.random.normal(  # noqa: NPY002 - global RNG on purpose
            size=self.centroids_.shape
        )
        return self


def _run(estimator, wanted):
    for est, check in sklike_checks_generator(estimator):
        if check_name(check) == wanted:
            check(est)
            return
    raise LookupError(f"{wanted} was not generated for {type(estimator).__name__}")


@pytest.mark.parametrize("estimator", [_GoodCentroidClassifier(), _GoodScaler()])
def test_conforming_estimators_pass_everything(estimator):
    check_estimator(estimator)


@pytest.mark.parametrize(
    "broken, guarding_check",
    [
        (_SilentNaN(), "check_bad_input_nan"),
        (_CrashesOnOneSample(), "check_bad_input_single_sample"),
        (_MutatesParams(), "check_dont_overwrite_parameters"),
        (_DropsFeatureNames(), "check_pipeline_gridsearch_dataframe"),
        (_Unpicklable(), "check_pickle_joblib_roundtrip"),
        (_IgnoresRandomState(), "check_random_state_reproducible"),
    ],
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_broken_estimator_is_caught(broken, guarding_check):
    with pytest.raises(AssertionError):
        _run(broken, guarding_check)
    with pytest.raises(AssertionError, match="failed check_"):
        check_estimator(broken)


def test_crash_deep_inside_is_reported_as_such():
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        _run(_CrashesOnOneSample(), "check_bad_input_single_sample")
