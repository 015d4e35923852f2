"""Private solver helpers shared by the estimators."""

from ._cvxpy import CvxpyResult, installed_cvxpy_solvers, solve_cvxpy

__all__ = ["CvxpyResult", "installed_cvxpy_solvers", "solve_cvxpy"]
