#!/bin/sh
# la_survey.sh allocates reviewers in every local authority of England, one
# run of `fulcrum review allocate --la CODE` each (default rules, synthetic
# reviewers, seed 1), and prints per authority: places, unfilled, leads
# missing, the bound's unfilled and leads missing, the objective, the
# components and how many the exact search proved; then the totals and how
# many authorities the bound leaves unproven.
#
# Usage: bench/review/la_survey.sh [FULCRUM_BINARY] [DATA_DIR]
# (defaults: a fresh build of cmd/fulcrum; ../shared/data/raw beside the repo)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${1:-}
DATA=${2:-$ROOT/../shared/data/raw}
if [ -z "$BIN" ]; then
	BIN=$ROOT/bench/out/fulcrum
	mkdir -p "$ROOT/bench/out"
	(cd "$ROOT" && go build -o "$BIN" ./cmd/fulcrum)
fi
LAS=$(python3 -c "
import csv, gzip, glob, sys
f = glob.glob(sys.argv[1] + '/spc_school_level_underlying_data_*.csv.gz')[0]
r = csv.DictReader(gzip.open(f, 'rt', encoding='latin-1'))
print(' '.join(sorted({row['old_la_code'] for row in r if row['old_la_code'].isdigit()}, key=int)))
" "$DATA")
echo "la places unfilled leads_missing bound_unfilled bound_leads_missing objective components exact"
for la in $LAS; do
	printf '%s ' "$la"
	"$BIN" review allocate --data "$DATA" --la "$la" --format json 2>/dev/null | python3 -c "
import json, sys
a = json.load(sys.stdin)['allocation']
print(a['places'], a['unfilled'], a['leads_missing'], a['bound_unfilled'], a['bound_leads_missing'],
      round(a['objective'], 2), len(a['areas']), sum(1 for x in a['areas'] if x.get('exact')))
"
done | awk '{print; p+=$2; u+=$3; l+=$4; bu+=$5; bl+=$6; if ($3!=$5) {n++; np+=$3-$5}; if ($4!=$6) nl++}
END {printf "total: %d places, %d unfilled, %d leads missing; bound %d unfilled, %d leads missing; %d authorities with places unproven (%d places), %d with leads unproven\n", p, u, l, bu, bl, n, np, nl}'
