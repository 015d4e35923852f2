"""sklike.graph: proximity measures on graph nodes and node clustering."""

from ._clustering import GraphKernelClustering, modularity
from ._graph_kernel import GraphKernel

__all__ = ["GraphKernel", "GraphKernelClustering", "modularity"]
