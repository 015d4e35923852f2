"""Tour entries of the linear-model family (each method keeps its own module)."""

from ._presto_tour import PRESTO_TOUR_ENTRY
from ._sketched_tour import SKETCHED_TOUR_ENTRY

TOUR_ENTRIES = [PRESTO_TOUR_ENTRY, SKETCHED_TOUR_ENTRY]
