"""Test instances for the common tests (the scikit-learn ``instance_generator`` way).

Every public estimator is tested through an instance.  When its constructor
needs arguments, or its defaults are too slow for a test run on 2 cores, put
the arguments in :data:`INIT_PARAMS` -- one dict, or a list of dicts to test
several configurations.  Grids for the Pipeline + GridSearchCV check go in
:data:`GRID_PARAMS`.
"""

from sklike.utils.discovery import all_estimators

#: {estimator class name: dict or list of dicts of constructor arguments}
INIT_PARAMS: dict[str, dict | list[dict]] = {
    # The common checks' graphs include isolated nodes (sparse checks), where a
    # log kernel is undefined (a clear ValueError, tested in sklike/graph/tests);
    # plain kernels are defined there. One instance per output keeps it fast.
    "GraphKernel": [
        {"kind": "Comm", "param": 0.3},
        {"kind": "For", "param": 0.5, "output": "distance"},
    ],
    "GraphKernelClustering": {"n_clusters": 3, "kernel": "Comm", "param": 0.3},
    "KernelKMeans": {"n_clusters": 3, "n_init": 2},
    "KernelWard": {"n_clusters": 3},
    # Loose ADMM tolerances, few starts and alternations keep each fit short.
    "SDPKMeans": {
        "n_clusters": 3,
        "solver": "admm",
        "n_init": 2,
        "solver_params": {"tol": 1e-3},
    },
    "ILASDPClustering": {
        "n_clusters": 3,
        "init": "kmeans++",
        "n_init": 1,
        "solver": "admm",
        "max_iter": 1,
        "solver_params": {"tol": 1e-3, "max_iter": 200},
    },
    "SketchedLinearRegression": [
        {"random_state": 0},
        {"sketch": "countsketch", "random_state": 0},
        {"sketch": "gaussian", "solver": "ihs", "random_state": 0},
    ],
    "PrestoClassifierCV": {"n_alphas": 4, "cv": 3},
    # The unpenalised MLE does not exist on the separable test data; a small
    # ridge makes the fit unique (needed for the sample-weight equivalence check).
    "ProportionalOddsClassifier": {"alpha": 0.01},
    "LDPSparseLinearRegression": [
        {"tau_x": 3.0, "tau_y": 3.0, "random_state": 0},
        {
            "tau_x": 3.0,
            "tau_y": 3.0,
            "fit_intercept": True,
            "noise": "analytic_gaussian",
            "random_state": 0,
        },
    ],
    "LDPIHTRegressor": {"n_nonzero": 2, "tau_x": 3.0, "tau_y": 3.0, "random_state": 0},
}

#: {estimator class name: param_grid for check_pipeline_gridsearch_dataframe}
GRID_PARAMS: dict[str, dict] = {}


def _construct_instances(estimator_class):
    params = INIT_PARAMS.get(estimator_class.__name__, {})
    for kwargs in params if isinstance(params, list) else [params]:
        yield estimator_class(**kwargs)


def _tested_estimators():
    """Yield one test instance per configuration of every public estimator."""
    for _, estimator_class in all_estimators():
        yield from _construct_instances(estimator_class)
