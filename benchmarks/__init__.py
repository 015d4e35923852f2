"""sklike benchmarks: ``python -m benchmarks NAME [--quick]``.

One script per estimator family, ``benchmarks/bench_<name>.py``, defining
``run(quick: bool) -> list[Report]`` (see :mod:`benchmarks._harness`).  Each
compares sklike with its peers *in the same process*, warms up first so JIT
compile time is reported apart, prints markdown tables with ratios and writes
JSON to ``benchmarks/results/<name>.json``.
"""
