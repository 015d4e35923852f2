"""The ``sklike`` command line: ``sklike tour`` and ``sklike versions``."""

import argparse
import sys

__all__ = ["main"]


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="sklike",
        description="scikit-learn-compatible estimators for recent statistics results.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    tour = sub.add_parser(
        "tour",
        help="run every estimator on a bundled real dataset next to its baseline",
    )
    tour.add_argument("--quick", action="store_true", help="small settings (for CI)")
    tour.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this entry (repeatable); see --list",
    )
    tour.add_argument("--list", action="store_true", help="list the entries and exit")
    tour.add_argument(
        "--outdir",
        default="sklike-tour",
        help="folder for plots (default: %(default)s)",
    )
    sub.add_parser("versions", help="print versions of sklike and its dependencies")
    return parser


def main(argv=None):
    """Entry point of the ``sklike`` console script."""
    args = _build_parser().parse_args(argv)
    if args.command == "versions":
        from .utils import show_versions

        show_versions()
        return 0
    from ._tour import collect_entries, run_tour

    if args.list:
        for entry in collect_entries():
            print(
                f"{entry.name:20s} {entry.method} on {entry.dataset} "
                f"vs {entry.baseline}"
            )
        return 0
    try:
        run_tour(quick=args.quick, only=args.only, outdir=args.outdir)
    except ValueError as exc:
        print(f"sklike tour: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
