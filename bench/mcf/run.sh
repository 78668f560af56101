#!/bin/sh
# run.sh compares Fulcrum's min-cost flow solvers with LEMON (NetworkSimplex,
# CostScaling) and scipy (sparse min_weight_full_bipartite_matching, dense
# linear_sum_assignment) on the same instances: the brokerage (assignment)
# instances, the general networks of flowgen.General, and the "cliff"
# instance (the largest loose brokerage instance with one provider's fee set
# to 1). It checks that every solver reports the same optimal cost and
# prints two tables:
#
#   solve: warm median, cold (first) solve, median CPU time of the solve
#          (parse excluded), from RUNS solves in one process;
#   whole: the whole process, read + solve once + write, as a user runs it
#          (`fulcrum broker solve --dimacs F`, `fulcrum-mcf --dimacs F`,
#          `lemon_mcf F 1 ns|cs`, `scipy_mcf.py F 1 0 sparse`): median wall
#          and user+sys CPU of WHOLE_RUNS runs (default 3), largest peak
#          RSS, each also as a ratio to LEMON NetworkSimplex's (below 1:
#          less than LEMON's), measured by `mcf whole`; the outputs of the
#          two fulcrum rows must be the same, byte for byte.
#
# Usage: bench/mcf/run.sh [RUNS]      (from anywhere; needs root for apt-get)
# Environment: DENSE_LIMIT bytes for scipy's dense matrix (default 2e9);
#              SKIP_INSTALL=1 to skip apt-get; INSTANCES to choose a subset;
#              WHOLE_RUNS runs of each whole process (default 3).
set -eu
RUNS=${1:-3}
WHOLE_RUNS=${WHOLE_RUNS:-3}
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
(cd "$ROOT" && go build -o "$OUT/mcf" ./bench/mcf && go build -o "$OUT/fulcrum" ./cmd/fulcrum &&
	go build -o "$OUT/fulcrum-mcf" ./cmd/fulcrum-mcf)
"$OUT/mcf" gen "$OUT" >/dev/null
# The cliff: one provider-to-sink arc (cost 0) of the 20k loose instance
# given a fee of 1.
awk 'BEGIN{d=0} /^a /{ if(!d && $3==1 && $2>20001 && $6==0){ $6=1; d=1 } } {print}' \
	"$OUT/20000x10000-loose.min" >"$OUT/cliff-20000x10000-loose.min"

ASSIGN="500x300-loose 500x300-tight 5000x3000-loose 5000x3000-tight 20000x10000-loose 20000x10000-tight cliff-20000x10000-loose"
GENERAL="g2000 g5000 g10000 g20000"
INSTANCES=${INSTANCES:-"$ASSIGN $GENERAL"}

echo "load before: $(cat /proc/loadavg)"
printf '%-24s %-22s %12s %9s %9s %9s %9s\n' instance solver cost warm_s cold_s cpu_s "cpu/ful"
for name in $INSTANCES; do
	f=$OUT/$name.min
	fres=$("$OUT/mcf" solve -runs "$RUNS" "$f")
	set -- $fres
	fcost=$2 fwarm=$4 fcold=$6 fcpu=$8
	printf '%-24s %-22s %12s %9s %9s %9s %9s\n' "$name" fulcrum "$fcost" "$fwarm" "$fcold" "$fcpu" 1.00
	{
		"$OUT/lemon_mcf" "$f" "$RUNS"
		case $name in g*) ;; *) "$PY" "$HERE/scipy_mcf.py" "$f" "$RUNS" "$DENSE_LIMIT" ;; esac
	} | while read -r algo w1 cost w2 warm w3 cold w4 cpu; do
		if [ "$w1" != cost ]; then
			printf '%-24s %-22s %12s\n' "$name" "$algo" "$w1"
			continue
		fi
		mark=""
		[ "$cost" = "$fcost" ] || mark="  COST DIFFERS"
		ratio=-
		[ -n "$cpu" ] && ratio=$(awk -v a="$cpu" -v b="$fcpu" 'BEGIN{printf "%.2f", a/b}')
		printf '%-24s %-22s %12s %9s %9s %9s %9s%s\n' "$name" "$algo" "$cost" "$warm" "$cold" "${cpu:--}" "$ratio" "$mark"
	done
done | tee "$OUT/table.txt"

whole() { # label command...: WHOLE_RUNS runs; median wall and CPU, largest RSS
	label=$1
	shift
	res=$("$OUT/mcf" whole -runs "$WHOLE_RUNS" -out "$OUT/whole-$label.out" "$@" 2>/dev/null) || { echo "$label failed"; return; }
	set -- $res
	printf '%s %s %s %s\n' "$label" "$2" "$4" "$6"
}
echo
printf '%-24s %-22s %8s %8s %8s %8s %8s %8s\n' instance "whole process" wall_s cpu_s rss_MB wall/ns cpu/ns rss/ns
for name in $INSTANCES; do
	f=$OUT/$name.min
	ns=$(whole lemon-ns "$OUT/lemon_mcf" "$f" 1 ns)
	for s in fulcrum fulcrum-mcf lemon-ns lemon-cs scipy-sparse; do
		case $s in
		fulcrum) line=$(whole "$s" "$OUT/fulcrum" broker solve --dimacs "$f") ;;
		fulcrum-mcf) line=$(whole "$s" "$OUT/fulcrum-mcf" --dimacs "$f") ;;
		lemon-ns) line=$ns ;;
		lemon-cs) line=$(whole "$s" "$OUT/lemon_mcf" "$f" 1 cs) ;;
		scipy-sparse) case $name in g*) continue ;; esac; line=$(whole "$s" "$PY" "$HERE/scipy_mcf.py" "$f" 1 0 sparse) ;;
		esac
		mark=""
		if [ "$s" = fulcrum-mcf ] && ! cmp -s "$OUT/whole-fulcrum.out" "$OUT/whole-fulcrum-mcf.out"; then
			mark="  OUTPUT DIFFERS"
		fi
		echo "$line $ns" | awk -v n="$name" -v m="$mark" 'NF < 8 { printf "%-24s %s\n", n, $0; next }
			{ printf "%-24s %-22s %8.4f %8.4f %8.1f %8.2f %8.2f %8.2f%s\n", n, $1, $2, $3, $4, $2/$6, $3/$7, $4/$8, m }'
	done
done | tee "$OUT/whole.txt"
echo "load after: $(cat /proc/loadavg)"
if grep -q 'COST DIFFERS' "$OUT/table.txt"; then
	echo "FAIL: solvers disagree on an optimal cost" >&2
	exit 1
fi
if grep -q 'OUTPUT DIFFERS' "$OUT/whole.txt"; then
	echo "FAIL: fulcrum-mcf's output differs from fulcrum broker solve's" >&2
	exit 1
fi
echo "all solvers agree on every optimal cost"
