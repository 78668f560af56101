// lemon_mcf solves a DIMACS min-cost flow file with LEMON's NetworkSimplex
// and CostScaling, timing each (parse excluded) over N runs.
// Usage: lemon_mcf FILE RUNS
// Prints: "<algo> cost C median_seconds S" per algorithm.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <vector>
#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

using namespace lemon;
typedef long long V;

template <typename Solver>
void timeit(const char *name, const SmartDigraph &g, const SmartDigraph::ArcMap<V> &lo,
            const SmartDigraph::ArcMap<V> &cap, const SmartDigraph::ArcMap<V> &cost,
            const SmartDigraph::NodeMap<V> &sup, int runs) {
  std::vector<double> t;
  V total = 0;
  for (int r = 0; r < runs; r++) {
    auto start = std::chrono::steady_clock::now();
    Solver s(g);
    s.lowerMap(lo).upperMap(cap).costMap(cost).supplyMap(sup);
    typename Solver::ProblemType res = s.run();
    auto end = std::chrono::steady_clock::now();
    if (res != Solver::OPTIMAL) {
      std::printf("%s not optimal (%d)\n", name, (int)res);
      return;
    }
    total = s.template totalCost<V>();
    t.push_back(std::chrono::duration<double>(end - start).count());
  }
  std::sort(t.begin(), t.end());
  std::printf("%s cost %lld median_seconds %.4f\n", name, total, t[t.size() / 2]);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: lemon_mcf FILE RUNS\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  SmartDigraph g;
  SmartDigraph::ArcMap<V> lo(g), cap(g), cost(g);
  SmartDigraph::NodeMap<V> sup(g);
  readDimacsMin(in, g, lo, cap, cost, sup);
  int runs = std::atoi(argv[2]);
  timeit<NetworkSimplex<SmartDigraph, V, V>>("lemon-networksimplex", g, lo, cap, cost, sup, runs);
  timeit<CostScaling<SmartDigraph, V, V>>("lemon-costscaling", g, lo, cap, cost, sup, runs);
  return 0;
}
