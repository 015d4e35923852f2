"""The ``sklike tour``: every estimator on a bundled real dataset next to its baseline.

Each method family declares its entries in a private ``_tour.py`` module of
its subpackage (``sklike/<family>/_tour.py``) as a module-level list
``TOUR_ENTRIES`` of :class:`TourEntry`.  The tour imports those modules, runs
the entries and prints one table.
"""

from ._registry import TourEntry, TourResult, collect_entries, run_tour

__all__ = ["TourEntry", "TourResult", "collect_entries", "run_tour"]
