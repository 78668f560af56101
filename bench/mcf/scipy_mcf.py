"""Solve a Fulcrum brokerage DIMACS instance with scipy.

The instance must have the layout `mcf gen` writes: node 1 the sink, needs
with supply 1, providers with an arc to the sink whose capacity is their
number of slots, and each need's penalty arc to the sink. Capacities are
expanded into slots (one column per slot) and each need gets its own
"unmet" column at its penalty, so a full matching of the rows always exists.

Usage: scipy_mcf.py FILE RUNS DENSE_LIMIT_BYTES [sparse]   (sparse: skip dense)
Prints "<algo> cost C median_seconds S cold_seconds S1" for scipy's sparse
min_weight_full_bipartite_matching and, when the dense matrix fits in
DENSE_LIMIT_BYTES, dense linear_sum_assignment; "skipped" otherwise.
"""
import statistics
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def read(path):
    supply = {}
    arcs = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if not p or p[0] == "c":
                continue
            if p[0] == "p":
                nodes = int(p[2])
            elif p[0] == "n":
                supply[int(p[1])] = int(p[2])
            elif p[0] == "a":
                arcs.append((int(p[1]), int(p[2]), int(p[4]), int(p[5])))
    sink = [v for v, b in supply.items() if b < 0]
    assert len(sink) == 1, "one sink expected"
    sink = sink[0]
    needs = sorted(v for v, b in supply.items() if b == 1)
    row = {v: i for i, v in enumerate(needs)}
    cap = {}
    fee = {}
    pen = {}
    edges = []
    for u, v, c, w in arcs:
        if u in row and v == sink:
            pen[u] = min(pen.get(u, w), w)
        elif v == sink:
            cap[u] = c
            fee[u] = w  # a provider's fee: added to each of its slots
        else:
            edges.append((u, v, w))
    first = {}
    col = 0
    for prov in sorted(cap):
        first[prov] = col
        col += cap[prov]
    slots = col
    rows, cols, data = [], [], []
    for u, v, w in edges:
        for s in range(cap.get(v, 0)):
            rows.append(row[u])
            cols.append(first[v] + s)
            data.append(w + fee.get(v, 0))
    for u, i in row.items():
        rows.append(i)
        cols.append(slots + i)
        data.append(pen[u])
    n = len(needs)
    return n, slots + n, np.array(rows), np.array(cols), np.array(data, dtype=np.float64)


def main():
    path, runs, dense_limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    n, m, r, c, w = read(path)
    # Costs are shifted by +1 so that no weight is zero: scipy keeps explicit
    # zeros as edges, but the shift keeps the test independent of that.
    shifted = w + 1.0
    mat = csr_matrix((shifted, (r, c)), shape=(n, m))
    mat.sum_duplicates()
    times = []
    cost = None
    for _ in range(runs):
        t0 = time.perf_counter()
        ri, ci = min_weight_full_bipartite_matching(mat)
        times.append(time.perf_counter() - t0)
        cost = int(round(float(mat[ri, ci].sum()))) - n
    print(f"scipy-sparse cost {cost} median_seconds {statistics.median(times):.4f} cold_seconds {times[0]:.4f}")
    if n * m * 8 > dense_limit or sys.argv[4:] == ["sparse"]:
        print("scipy-dense skipped")
        return
    big = float(w.max()) * 4 + 1
    times = []
    for _ in range(runs):
        dense = np.full((n, m), big)
        np.minimum.at(dense, (r, c), w)
        t0 = time.perf_counter()
        ri, ci = linear_sum_assignment(dense)
        times.append(time.perf_counter() - t0)
        cost = int(round(float(dense[ri, ci].sum())))
    print(f"scipy-dense cost {cost} median_seconds {statistics.median(times):.4f} cold_seconds {times[0]:.4f}")


if __name__ == "__main__":
    main()
