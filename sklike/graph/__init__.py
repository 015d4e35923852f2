"""sklike.graph: proximity measures on graph nodes and node clustering."""

from ._clustering import GraphKernelClustering, modularity
from ._graph_kernel import GraphKernel
from ._reject_curve import RejectCurveDisplay, reject_curve

__all__ = [
    "GraphKernel",
    "GraphKernelClustering",
    "RejectCurveDisplay",
    "modularity",
    "reject_curve",
]
