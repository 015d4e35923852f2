"""One way to solve a CVXPY problem: a fallback chain and honest statuses.

Estimators build their :class:`cvxpy.Problem` once (with ``cp.Parameter`` for
anything that changes along a path, so CVXPY compiles it once) and call
:func:`solve_cvxpy` for every solve.  The helper

* tries the user's ``solver`` or, by default, a chain of installed solvers,
  moving on when a solver raises or returns no solution;
* turns ``optimal_inaccurate`` and hitting an iteration limit into a
  :class:`~sklearn.exceptions.ConvergenceWarning` that says what to change;
* raises :class:`~sklike.exceptions.SolverError` (never returns ``None``
  values) when no solver produced a usable solution, listing every attempt.

Only plain numbers and strings go into the result, so estimators store arrays
and ``solver_status_``, never the ``Problem`` (which does not pickle well).
"""

import warnings
from dataclasses import dataclass, field

from ..exceptions import ConvergenceWarning, SolverError

__all__ = ["CvxpyResult", "installed_cvxpy_solvers", "solve_cvxpy"]

#: Default order: interior point first (accurate), then a first-order fallback.
DEFAULT_CHAIN = ("CLARABEL", "ECOS", "SCS")


@dataclass
class CvxpyResult:
    """What a solve returned: status, solver used, objective and attempts."""

    status: str
    solver: str
    value: float
    attempts: list = field(default_factory=list)


def installed_cvxpy_solvers():
    """Names of the CVXPY solvers importable here, upper case."""
    import cvxpy as cp

    return [s.upper() for s in cp.installed_solvers()]


def solve_cvxpy(
    problem,
    *,
    solver=None,
    solver_options=None,
    chain=DEFAULT_CHAIN,
    warm_start=False,
    what="the optimisation problem",
    advice="",
):
    """Solve ``problem`` with ``solver`` or the first working solver of ``chain``.

    Parameters
    ----------
    problem : cvxpy.Problem
        A problem built once by the caller.
    solver : str, optional
        A CVXPY solver name; when given, only it is tried.
    solver_options : dict, optional
        Keyword arguments passed to ``problem.solve``.
    chain : tuple of str
        Solvers tried in order when ``solver`` is None (those not installed are
        skipped).
    warm_start : bool, default=False
        Passed to ``problem.solve``.
    what : str
        Description of the problem, used in messages.
    advice : str
        Extra, estimator-specific advice added to warnings and errors.

    Returns
    -------
    result : CvxpyResult
        ``result.status`` is ``"optimal"`` or ``"optimal_inaccurate"``.

    Raises
    ------
    SolverError
        When no solver returned a usable solution.

    Examples
    --------
    >>> import cvxpy as cp
    >>> from sklike._solvers import solve_cvxpy
    >>> x = cp.Variable()
    >>> res = solve_cvxpy(cp.Problem(cp.Minimize((x - 2) ** 2)))
    >>> res.status, round(float(x.value), 4)
    ('optimal', 2.0)
    """
    import cvxpy as cp

    options = dict(solver_options or {})
    installed = set(installed_cvxpy_solvers())
    if solver is not None:
        if solver.upper() not in installed:
            raise ValueError(
                f"solver={solver!r} is not an installed CVXPY solver; installed: "
                f"{sorted(installed)}."
            )
        candidates = [solver.upper()]
    else:
        candidates = [s for s in chain if s in installed]
        if not candidates:
            raise SolverError(
                f"None of the CVXPY solvers {list(chain)} is installed for {what}; "
                f"installed: {sorted(installed)}. Pass solver=..."
            )

    attempts = []
    hint = f" {advice}" if advice else ""
    for name in candidates:
        try:
            problem.solve(solver=name, warm_start=warm_start, **options)
        except (cp.error.SolverError, ArithmeticError, ValueError) as exc:
            attempts.append((name, f"error: {exc}".splitlines()[0][:200]))
            continue
        status = problem.status
        attempts.append((name, status))
        if status == cp.OPTIMAL:
            return CvxpyResult(status, name, float(problem.value), attempts)
        if status == cp.OPTIMAL_INACCURATE:
            warnings.warn(
                f"CVXPY solver {name} returned an inaccurate solution for {what} "
                "(status 'optimal_inaccurate'). Try another solver, raise its "
                "iteration limit through solver_options, or standardize the "
                f"features.{hint}",
                ConvergenceWarning,
                stacklevel=2,
            )
            return CvxpyResult(status, name, float(problem.value), attempts)
        if status in (cp.INFEASIBLE, cp.UNBOUNDED):
            # Another solver will not change the mathematics: stop here.
            break
    tried = "; ".join(f"{n}: {s}" for n, s in attempts)
    raise SolverError(
        f"No CVXPY solver solved {what} ({tried}). Check the input for extreme "
        f"scales or separable classes, or pass another solver=...{hint}"
    )
