"""Common tests: every public sklike estimator through the full harness.

The harness itself lives in :mod:`sklike.utils.estimator_checks`; its ability
to fail is tested in ``sklike/utils/tests/test_estimator_checks.py`` with
deliberately broken estimators.
"""

import inspect

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklike.utils._test_common.instance_generator import (
    GRID_PARAMS,
    _tested_estimators,
)
from sklike.utils.discovery import all_estimators
from sklike.utils.estimator_checks import (
    EXPECTED_FAILED_CHECKS,
    check_name,
    check_pipeline_gridsearch_dataframe,
    expected_failed_checks,
    sklike_checks_generator,
)

TESTED = list(_tested_estimators())


# Strict where scikit-learn supports it (>= 1.8): a declared failure that starts
# passing must be removed from EXPECTED_FAILED_CHECKS.
_STRICT = (
    {"xfail_strict": True}
    if "xfail_strict" in inspect.signature(parametrize_with_checks).parameters
    else {}
)


@parametrize_with_checks(
    TESTED, expected_failed_checks=expected_failed_checks, **_STRICT
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def _sklike_only_checks():
    for estimator in TESTED:
        expected = expected_failed_checks(estimator)
        for est, check in sklike_checks_generator(estimator, include_sklearn=False):
            name = check_name(check)
            marks = []
            if name in expected:
                marks.append(pytest.mark.xfail(reason=expected[name], strict=True))
            yield pytest.param(
                est, check, id=f"{type(est).__name__}-{name}", marks=marks
            )


@pytest.mark.parametrize("estimator, check", list(_sklike_only_checks()))
def test_sklike_checks(estimator, check):
    name = check_name(check)
    if name == "check_pipeline_gridsearch_dataframe":
        grid = GRID_PARAMS.get(type(estimator).__name__)
        check_pipeline_gridsearch_dataframe(type(estimator).__name__, estimator, grid)
    else:
        check(estimator)


def test_expected_failed_checks_table_is_honest():
    """Every entry names a real estimator and gives a real reason."""
    names = {name for name, _ in all_estimators()}
    for est_name, failures in EXPECTED_FAILED_CHECKS.items():
        assert est_name in names, f"{est_name} in EXPECTED_FAILED_CHECKS is not public"
        for check, reason in failures.items():
            assert check.startswith("check_"), check
            assert len(reason.split()) >= 5, f"{est_name}.{check}: give a real reason"


def test_every_public_estimator_is_tested():
    tested = {type(e).__name__ for e in TESTED}
    assert tested == {name for name, _ in all_estimators()}
