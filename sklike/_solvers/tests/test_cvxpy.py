"""solve_cvxpy: right answers, the fallback chain and honest statuses."""

import cvxpy as cp
import numpy as np
import pytest

from sklike._solvers import installed_cvxpy_solvers, solve_cvxpy
from sklike.exceptions import ConvergenceWarning, SolverError


def _least_squares(seed=0):
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(20, 3)), rng.normal(size=20)
    x = cp.Variable(3)
    return cp.Problem(cp.Minimize(cp.sum_squares(A @ x - b))), x, A, b


def test_solution_matches_closed_form():
    problem, x, A, b = _least_squares()
    result = solve_cvxpy(problem)
    expected = np.linalg.lstsq(A, b, rcond=None)[0]
    np.testing.assert_allclose(x.value, expected, atol=1e-6)
    assert result.status == "optimal"
    assert result.value == pytest.approx(np.sum((A @ expected - b) ** 2), rel=1e-6)


def test_falls_back_when_first_solver_errors(monkeypatch):
    problem, x, A, b = _least_squares()
    real_solve = cp.Problem.solve
    calls = []

    def flaky(self, *args, solver=None, **kwargs):
        calls.append(solver)
        if len(calls) == 1:
            raise cp.error.SolverError("simulated crash")
        return real_solve(self, *args, solver=solver, **kwargs)

    monkeypatch.setattr(cp.Problem, "solve", flaky)
    chain = tuple(s for s in ("CLARABEL", "SCS") if s in installed_cvxpy_solvers())
    if len(chain) < 2:
        pytest.skip("needs two installed solvers")
    result = solve_cvxpy(problem, chain=chain)
    assert calls == list(chain)
    assert result.solver == chain[1]
    assert result.attempts[0][1].startswith("error: simulated crash")
    np.testing.assert_allclose(x.value, np.linalg.lstsq(A, b, rcond=None)[0], atol=1e-3)


def test_infeasible_raises_solver_error_with_advice():
    x = cp.Variable()
    problem = cp.Problem(cp.Minimize(x), [x >= 1, x <= 0])
    with pytest.raises(SolverError, match=r"infeasible.*rescale the data") as info:
        solve_cvxpy(problem, what="a toy problem", advice="Try to rescale the data.")
    assert "a toy problem" in str(info.value)


def test_inaccurate_status_warns(monkeypatch):
    problem, *_ = _least_squares()
    real_solve = cp.Problem.solve

    def inaccurate(self, *args, **kwargs):
        value = real_solve(self, *args, **kwargs)
        self._status = cp.OPTIMAL_INACCURATE
        return value

    monkeypatch.setattr(cp.Problem, "solve", inaccurate)
    with pytest.warns(ConvergenceWarning, match="inaccurate.*Try another solver"):
        result = solve_cvxpy(problem)
    assert result.status == cp.OPTIMAL_INACCURATE


def test_unknown_solver_is_a_value_error():
    problem, *_ = _least_squares()
    with pytest.raises(ValueError, match="solver='NOPE' is not an installed"):
        solve_cvxpy(problem, solver="NOPE")
