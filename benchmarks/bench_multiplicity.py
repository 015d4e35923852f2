"""Predictive multiplicity: exact ranges vs per-point CVXPY, quadratic approximation.

Tables:

1. Speed (synthetic, n x d): all n viable prediction ranges with the batched
   tilted-Newton solver vs the two per-point CVXPY problems (Clarabel; timed
   on a sample of points and extrapolated to n, in the same run), and the
   quadratic (ellipsoid) approximation with its error against the exact ranges.
2. Real risk data (German credit, bundled; from the shared data folder when
   present: COMPAS two-year recidivism with the ProPublica filter,
   mammography, Adult on a stratified subsample, and the heart-failure
   prediction set standing in for Cleveland heart disease): ambiguity and
   discrepancy bounds over ε for δ in {0.05, 0.1, 0.2}, and by subgroup.

``python -m benchmarks.bench_multiplicity adult heart`` runs only the named
real datasets (and writes ``multiplicity-adult-heart.json``, leaving the full
run's results alone).

A histogram of range widths is written to ``benchmarks/results``.
"""

import time
import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

from benchmarks._harness import RESULTS_DIR, Report, Timing, time_it
from sklike.exceptions import ConvergenceWarning
from sklike.inspection import LogisticRashomonSet, multiplicity_report

EPSILONS = (0.001, 0.005, 0.01, 0.02, 0.05)
DELTAS = (0.05, 0.1, 0.2)


def _cvxpy_per_point(rs, points):
    """Seconds per point and max/min scores by solving both problems per point."""
    import cvxpy as cp

    from sklike._solvers import solve_cvxpy

    Xa, s, omega = rs._Xa_, rs._signs_, rs._omega_
    w = cp.Variable(Xa.shape[1])
    v = cp.Parameter(Xa.shape[1])
    loss = omega @ cp.logistic(-cp.multiply(s, Xa @ w))
    loss = loss + 0.5 * rs._lam_ * cp.sum_squares(cp.multiply(rs._pen_, w))
    problem = cp.Problem(cp.Maximize(v @ w), [loss <= rs.loss_threshold_])
    out = np.empty((len(points), 2))
    with warnings.catch_warnings():
        # Clarabel often ends "optimal_inaccurate" on these cones; the error
        # column reports how far that leaves it from the certified answer.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        # Warm-up: CVXPY compiles the parametrised problem on the first solve;
        # that one-off cost is left out of the per-point time.
        v.value = rs._Xa_[0]
        solve_cvxpy(problem)
        start = time.perf_counter()
        for i, x in enumerate(rs._augment(points)):
            for j, sign in enumerate((-1.0, 1.0)):
                v.value = sign * x
                solve_cvxpy(problem)
                out[i, j] = sign * problem.value
    return (time.perf_counter() - start) / len(points), out


def _speed(n, d, n_cvxpy):
    X, y = make_classification(
        n, d, n_informative=max(2, d // 2), n_redundant=0, random_state=0
    )
    X = StandardScaler().fit_transform(X)
    rs = LogisticRashomonSet(0.01).fit(X, y)
    report = Report(
        f"All {n} viable prediction ranges, synthetic {n} x {d}, ε = 1% (relative)",
        baseline="CVXPY per point (Clarabel), extrapolated",
    )
    sample = np.random.default_rng(0).choice(n, n_cvxpy, replace=False)
    per_point, cvx_scores = _cvxpy_per_point(rs, X[sample])
    exact_ranges = None

    def exact():
        nonlocal exact_ranges
        exact_ranges = rs.set_params(method="exact", n_jobs=None)
        exact_ranges = exact_ranges._extreme_scores(rs._Xa_, rs.loss_threshold_)

    t_exact = time_it(exact, repeat=1)
    low, high, _, _, gaps = exact_ranges
    scores = np.column_stack([low, high])
    report.add(
        "CVXPY per point (Clarabel), extrapolated",
        Timing(first=per_point * n, best=per_point * n, repeats=1),
        sampled_points=n_cvxpy,
        max_abs_score_error_vs_exact=float(
            np.nanmax(np.abs(scores[sample] - cvx_scores))
        ),
        max_certified_gap="-",
        median_rel_halfwidth_error="-",
    )
    report.add(
        "exact (batched tilted Newton)",
        t_exact,
        sampled_points=n,
        max_abs_score_error_vs_exact=0.0,
        max_certified_gap=float(gaps.max()),
        median_rel_halfwidth_error=0.0,
    )
    rs.set_params(n_jobs=2)
    report.add(
        "exact, n_jobs=2 (joblib threads)",
        time_it(lambda: rs._extreme_scores(rs._Xa_, rs.loss_threshold_), repeat=1),
        sampled_points=n,
        max_abs_score_error_vs_exact=0.0,
        max_certified_gap="-",
        median_rel_halfwidth_error=0.0,
    )
    rs.set_params(n_jobs=None, method="quadratic")
    quad = rs._extreme_scores(rs._Xa_, rs.loss_threshold_)
    p0 = rs._Xa_ @ rs._w0_
    rel = np.abs((quad[1] - p0) - (high - p0)) / np.maximum(high - p0, 1e-300)
    report.add(
        "quadratic approximation",
        time_it(lambda: rs._extreme_scores(rs._Xa_, rs.loss_threshold_), repeat=3),
        sampled_points=n,
        max_abs_score_error_vs_exact=float(
            np.max(np.abs(np.column_stack(quad[:2]) - scores))
        ),
        max_certified_gap="-",
        median_rel_halfwidth_error=float(np.median(rel)),
    )
    report.notes.append(
        "CVXPY time = seconds per point (two exponential-cone solves, problem "
        "compiled once with a cp.Parameter, compile time excluded) on "
        f"{n_cvxpy} random points, times n."
        " Score errors are in logit units, against the exact ranges on the "
        "CVXPY sample (CVXPY row: its own disagreement is that number)."
    )
    return report


def _load_compas():
    import pandas as pd

    from sklike.datasets import get_shared_data_dir

    root = get_shared_data_dir()
    path = None if root is None else root / "compas" / "compas-scores-two-years.csv"
    if path is None or not path.exists():
        return None
    df = pd.read_csv(path)
    # ProPublica's filter (their analysis notebook).
    df = df[
        df.days_b_screening_arrest.between(-30, 30)
        & (df.is_recid != -1)
        & (df.c_charge_degree != "O")
        & (df.score_text != "N/A")
    ]
    X = pd.DataFrame(
        {
            "age": df.age,
            "priors_count": df.priors_count,
            "juv_fel_count": df.juv_fel_count,
            "juv_misd_count": df.juv_misd_count,
            "juv_other_count": df.juv_other_count,
            "felony": (df.c_charge_degree == "F").astype(float),
            "female": (df.sex == "Female").astype(float),
        }
    )
    groups = np.where(
        df.race.isin(["African-American", "Caucasian"]), df.race, "Other race"
    )
    return X.to_numpy(float), df.two_year_recid.to_numpy(), groups, df.sex.to_numpy()


def _load_mammography():
    import pandas as pd

    from sklike.datasets import get_shared_data_dir

    root = get_shared_data_dir()
    path = None if root is None else root / "mammography" / "mammography.csv"
    if path is None or not path.exists():
        return None
    df = pd.read_csv(path, header=None, quotechar="'")
    return df.iloc[:, :6].to_numpy(float), (df.iloc[:, 6] == 1).astype(int).to_numpy()


ADULT_SUBSAMPLE = 2000


def _load_adult(n_rows=ADULT_SUBSAMPLE):
    import pandas as pd
    from sklearn.model_selection import train_test_split

    from sklike.datasets import get_shared_data_dir

    root = get_shared_data_dir()
    path = None if root is None else root / "adult" / "adult-train.csv"
    if path is None or not path.exists():
        return None
    names = [
        "age", "workclass", "fnlwgt", "education", "education_num",
        "marital_status", "occupation", "relationship", "race", "sex",
        "capital_gain", "capital_loss", "hours_per_week", "native_country",
        "income",
    ]  # fmt: skip
    df = pd.read_csv(
        path, header=None, names=names, skipinitialspace=True, na_values="?"
    )
    # The exact ranges cost about n^2 p per ε: all 32561 rows did not finish
    # 200 ranges in 5 minutes, so a stratified (income x sex) subsample.
    strata = df.income + df.sex
    df, _ = train_test_split(df, train_size=n_rows, stratify=strata, random_state=0)
    numeric = ["age", "education_num", "capital_gain", "capital_loss"]
    numeric.append("hours_per_week")
    # fnlwgt is a census sampling weight and education duplicates
    # education_num, so both are left out; '?' becomes its own level.
    categorical = ["workclass", "marital_status", "occupation", "relationship"]
    categorical += ["race", "sex", "native_country"]
    dummies = pd.get_dummies(
        df[categorical].fillna("missing"), drop_first=True, dtype=float
    )
    X = pd.concat([df[numeric], dummies], axis=1)
    y = (df.income == ">50K").astype(int).to_numpy()
    return X.to_numpy(float), y, df.sex.to_numpy(), df.race.to_numpy()


def _load_heart():
    import pandas as pd

    from sklike.datasets import get_shared_data_dir

    root = get_shared_data_dir()
    path = None if root is None else root / "mldatar" / "heartdisease.csv"
    if path is None or not path.exists():
        return None
    df = pd.read_csv(path)
    categorical = ["Sex", "RestingECG", "Angina"]
    dummies = pd.get_dummies(df[categorical], drop_first=True, dtype=float)
    X = pd.concat([df.drop(columns=categorical + ["HeartDisease"]), dummies], axis=1)
    sex = df.Sex.map({"M": "male", "F": "female"}).to_numpy()
    return X.to_numpy(float), df.HeartDisease.to_numpy().astype(int), sex


def _real(name, X, y, epsilons, group_sets, quick):
    X = StandardScaler().fit_transform(X)
    # Fitted at ε = 1% (histogram, groups); the ε grid only changes the
    # threshold, which multiplicity_report takes per ε.
    rs = LogisticRashomonSet(0.01).fit(X, y)
    # The level set is always defined by all rows; --quick evaluates fewer.
    n_eval = 150 if quick else len(y)
    X_eval = X[:n_eval]
    reports = []
    overall = Report(
        f"{name} (n = {len(y)}, {X.shape[1]} features, C = 1, scores on "
        f"{n_eval} points): ambiguity A and discrepancy bounds [D_lb, D_ub = A] "
        "over ε (relative)",
        baseline="-",
    )
    start = time.perf_counter()
    table = multiplicity_report(rs, X_eval, epsilons=epsilons, deltas=DELTAS)
    seconds = time.perf_counter() - start
    for eps in epsilons:
        rows = table[table.epsilon == eps].set_index("delta")
        extra = {"mean_width": float(rows.mean_width.iloc[0])}
        for delta in DELTAS:
            extra[f"A(δ={delta})"] = float(rows.ambiguity[delta])
            extra[f"D_lb(δ={delta})"] = float(rows.discrepancy_lower[delta])
        overall.add(
            f"ε = {eps}",
            Timing(seconds / len(epsilons), seconds / len(epsilons), 1),
            **extra,
        )
    overall.notes.append(
        "Seconds: time per ε of the exact ranges plus the scores (all points)."
    )
    reports.append(overall)
    widths = {}
    for label, groups in group_sets.items():
        eps = 0.01
        start = time.perf_counter()
        by = multiplicity_report(
            rs, X_eval, epsilons=[eps], deltas=DELTAS, groups=groups[:n_eval]
        )
        seconds = time.perf_counter() - start
        rep = Report(
            f"{name} by {label}, ε = {eps}: ambiguity and mean range width",
            baseline="-",
        )
        for g, rows in by.groupby("group", sort=False):
            rows = rows.set_index("delta")
            extra = {"n": int(rows.n_samples.iloc[0])}
            extra["mean_width"] = float(rows.mean_width.iloc[0])
            for delta in DELTAS:
                extra[f"A(δ={delta})"] = float(rows.ambiguity[delta])
            extra["D_lb(δ=0.1)"] = float(rows.discrepancy_lower[0.1])
            rep.add(str(g), Timing(seconds, seconds, 1), **extra)
        reports.append(rep)
    r = rs.viable_prediction_range(X_eval)
    widths[name] = r[:, 1] - r[:, 0]
    return reports, widths, rs, X


def _plot(widths, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, w in widths.items():
        ax.hist(w, bins=30, alpha=0.6, label=name, density=True)
    ax.set_xlabel("viable prediction range width (ε = 1%)")
    ax.set_ylabel("density")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _compas_case():
    data = _load_compas()
    if data is None:
        return None
    X, y, race, sex = data
    return "COMPAS two-year recidivism", X, y, {"race": race, "sex": sex}


def _mammography_case():
    data = _load_mammography()
    if data is None:
        return None
    return "Mammography (calcification, 2.3% positive)", *data, {}


def _adult_case():
    data = _load_adult()
    if data is None:
        return None
    X, y, sex, race = data
    name = f"Adult (stratified subsample of {ADULT_SUBSAMPLE} of 32561 rows)"
    return name, X, y, {"sex": sex, "race": race}


def _heart_case():
    data = _load_heart()
    if data is None:
        return None
    X, y, sex = data
    name = "Heart failure prediction (MLDataR; stands in for Cleveland)"
    return name, X, y, {"Sex": sex}


# Real datasets read from the shared data folder (skipped when absent).
SHARED_DATASETS = {
    "compas": _compas_case,
    "mammography": _mammography_case,
    "adult": _adult_case,
    "heart": _heart_case,
}


def run_datasets(names, epsilons=EPSILONS, quick=False):
    """Real-data tables for the named shared datasets; absent ones are skipped."""
    reports, widths = [], {}
    for key in names:
        case = SHARED_DATASETS[key]()
        if case is None:
            print(f"{key}: not in the shared data folder, skipped", flush=True)
            continue
        name, X, y, groups = case
        rep, w, _, _ = _real(name, X, y, epsilons, groups, quick)
        reports += rep
        widths.update(w)
    return reports, widths


def run(quick):
    from sklike.datasets import load_german_credit

    reports = []
    if quick:
        reports.append(_speed(400, 5, n_cvxpy=3))
    else:
        reports.append(_speed(3000, 10, n_cvxpy=10))
    credit = load_german_credit()
    epsilons = (0.01,) if quick else EPSILONS
    groups = {"sex": credit.sex}
    if not quick:
        groups["age < 25"] = np.where(credit.age < 25, "age < 25", "age >= 25")
    rep, widths, _, _ = _real(
        "German credit", credit.data, credit.target, epsilons, groups, quick
    )
    reports += rep
    if not quick:
        reports_more, w = run_datasets(SHARED_DATASETS, epsilons, quick)
        reports += reports_more
        widths.update(w)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"multiplicity_widths{'-quick' if quick else ''}.png"
    _plot(widths, path)
    reports[-1].notes.append(f"Range-width histogram: {path.name}")
    return reports


if __name__ == "__main__":
    import sys

    from benchmarks._harness import machine_info, write_results

    selected = sys.argv[1:]
    unknown = sorted(set(selected) - set(SHARED_DATASETS))
    if not selected or unknown:
        choices = " ".join(SHARED_DATASETS)
        sys.exit(f"usage: python -m benchmarks.bench_multiplicity {choices}")
    print(f"machine: {machine_info()}\n")
    reports, widths = run_datasets(selected)
    for report in reports:
        print(report.to_markdown() + "\n", flush=True)
    tag = "-".join(selected)
    if widths:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        _plot(widths, RESULTS_DIR / f"multiplicity_widths-{tag}.png")
    path = write_results(f"multiplicity-{tag}", reports, quick=False)
    print(f"results written to {path}")
