"""``python -m benchmarks [NAME ...] [--quick] [--list]``."""

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from ._harness import machine_info, write_results


def available():
    here = Path(__file__).parent
    return sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument("--list", action="store_true", help="list benchmarks and exit")
    args = parser.parse_args(argv)
    names = available()
    if args.list or not names:
        print("available benchmarks:", ", ".join(names) if names else "none yet")
        return 0
    unknown = sorted(set(args.names) - set(names))
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {names}", file=sys.stderr)
        return 2
    print(f"machine: {machine_info()}\n")
    for name in args.names or names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"## {name}{' (quick)' if args.quick else ''}\n", flush=True)
        reports = module.run(quick=args.quick)
        for report in reports:
            print(report.to_markdown() + "\n", flush=True)
        path = write_results(name, reports, quick=args.quick)
        print(f"results written to {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
