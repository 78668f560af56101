// lemon_mcf solves a DIMACS min-cost flow file with LEMON's NetworkSimplex
// and CostScaling, timing each (parse excluded) over N runs.
// Usage: lemon_mcf FILE RUNS [ns|cs]   (default both)
// Prints: "<algo> cost C median_seconds S cold_seconds S1 median_cpu_seconds
// S2" per algorithm (cold: the first run's wall time; cpu: process CPU time,
// which a loaded machine disturbs less than wall time). With RUNS 1 and one algorithm it is the "whole
// process" peer of `fulcrum broker solve`: read, solve once, print.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
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
  std::vector<double> t, c;
  double cold = 0;
  V total = 0;
  for (int r = 0; r < runs; r++) {
    auto start = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    Solver s(g);
    s.lowerMap(lo).upperMap(cap).costMap(cost).supplyMap(sup);
    typename Solver::ProblemType res = s.run();
    auto end = std::chrono::steady_clock::now();
    c.push_back(double(std::clock() - c0) / CLOCKS_PER_SEC);
    if (res != Solver::OPTIMAL) {
      std::printf("%s not optimal (%d)\n", name, (int)res);
      return;
    }
    total = s.template totalCost<V>();
    t.push_back(std::chrono::duration<double>(end - start).count());
    if (r == 0) cold = t[0];
  }
  std::sort(t.begin(), t.end());
  std::sort(c.begin(), c.end());
  std::printf("%s cost %lld median_seconds %.4f cold_seconds %.4f median_cpu_seconds %.4f\n", name, total, t[t.size() / 2], cold,
              c[c.size() / 2]);
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: lemon_mcf FILE RUNS [ns|cs]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  SmartDigraph g;
  SmartDigraph::ArcMap<V> lo(g), cap(g), cost(g);
  SmartDigraph::NodeMap<V> sup(g);
  readDimacsMin(in, g, lo, cap, cost, sup);
  int runs = std::atoi(argv[2]);
  std::string which = argc == 4 ? argv[3] : "both";
  if (which != "cs")
    timeit<NetworkSimplex<SmartDigraph, V, V>>("lemon-networksimplex", g, lo, cap, cost, sup, runs);
  if (which != "ns")
    timeit<CostScaling<SmartDigraph, V, V>>("lemon-costscaling", g, lo, cap, cost, sup, runs);
  return 0;
}
