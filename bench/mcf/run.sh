#!/bin/sh
# run.sh compares Fulcrum's min-cost flow solver with scipy (sparse
# min_weight_full_bipartite_matching, dense linear_sum_assignment) and LEMON
# (NetworkSimplex, CostScaling) on the same brokerage instances, checks that
# every solver reports the same optimal cost and prints the median times.
#
# Usage: bench/mcf/run.sh [RUNS]      (from anywhere; needs root for apt-get)
# Environment: DENSE_LIMIT bytes for scipy's dense matrix (default 2e9);
#              SKIP_INSTALL=1 to skip apt-get.
set -eu
RUNS=${1:-3}
DENSE_LIMIT=${DENSE_LIMIT:-2000000000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/bench/out/mcf
mkdir -p "$OUT"

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq python3-scipy python3-networkx liblemon-dev g++ >/dev/null
fi
PY=/usr/bin/python3

g++ -O3 -march=native -o "$OUT/lemon_mcf" "$HERE/lemon/lemon_mcf.cc" -llemon
(cd "$ROOT" && go build -o "$OUT/mcf" ./bench/mcf)
"$OUT/mcf" gen "$OUT" >/dev/null

printf '%-20s %-22s %14s %10s   %s\n' instance solver cost median_s "time / fulcrum's"
for name in 500x300-loose 500x300-tight 5000x3000-loose 5000x3000-tight 20000x10000-loose 20000x10000-tight; do
	f=$OUT/$name.min
	fres=$("$OUT/mcf" solve -runs "$RUNS" "$f")
	fcost=$(echo "$fres" | awk '{print $2}')
	ftime=$(echo "$fres" | awk '{print $4}')
	printf '%-20s %-22s %14s %10s   %s\n' "$name" fulcrum "$fcost" "$ftime" 1.00
	{ "$OUT/lemon_mcf" "$f" "$RUNS"; "$PY" "$HERE/scipy_mcf.py" "$f" "$RUNS" "$DENSE_LIMIT"; } | while read -r algo w1 cost w2 t; do
		if [ "$w1" != cost ]; then
			printf '%-20s %-22s %14s\n' "$name" "$algo" "$w1 $cost $w2 $t"
			continue
		fi
		ratio=$(awk -v a="$t" -v b="$ftime" 'BEGIN{printf "%.2f", a/b}')
		mark=""
		[ "$cost" = "$fcost" ] || mark="  COST DIFFERS"
		printf '%-20s %-22s %14s %10s   %s%s\n' "$name" "$algo" "$cost" "$t" "$ratio" "$mark"
	done
done | tee "$OUT/table.txt"
if grep -q 'COST DIFFERS' "$OUT/table.txt"; then
	echo "FAIL: solvers disagree on an optimal cost" >&2
	exit 1
fi
echo "all solvers agree on every optimal cost"
