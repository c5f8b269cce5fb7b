"""Import graph of klems, capital_stock and price_index, read from the code as the architecture
tests read it (``ast``, imports inside functions included); its strongly connected components by
scipy. A cycle is a component of more than one module.

Run from the repository root: ``python tests/architecture/import_graph.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def main() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    import test_layers as layers  # the tests' own graph: one definition of an import

    mods = sorted(layers.GRAPH)
    idx = {m: i for i, m in enumerate(mods)}
    edges = {(idx[a], idx[b]) for a in mods for b, _, _ in layers.GRAPH[a]}
    inner = sum(1 for a in mods for _, _, nested in layers.GRAPH[a] if nested)
    rows, cols = zip(*edges)
    graph = csr_matrix((np.ones(len(edges)), (rows, cols)), shape=(len(mods), len(mods)))
    n, label = connected_components(graph, directed=True, connection="strong")
    cycles = [c for c in range(n) if (label == c).sum() > 1]
    print(f"{len(mods)} modules, {len(edges)} import edges, {inner} project imports inside "
          "functions")
    print(f"strongly connected components: {n}; with more than one module (cycles): "
          f"{len(cycles)}")
    for c in cycles:
        print("  cycle:", [m for m in mods if label[idx[m]] == c])
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
