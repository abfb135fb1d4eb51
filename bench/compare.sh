#!/usr/bin/env bash
# Before/after in one run: builds git REF (its src/, with this tree's bench/ on top) in a temporary directory, then
# alternates the two builds round by round (before, after, before, after, …), each round measuring its own baseline,
# and writes bench/results/before-after.md. Arguments after REF go to every round (e.g. --only ledger,nmea).
#   bench/compare.sh main --only ledger          ROUNDS=5 bench/compare.sh HEAD~3
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/compare.sh REF [bench arguments]" >&2; exit 2; }
ref=$1; shift
rounds=${ROUNDS:-3}
source bench/install-tools.sh

runs=$(mktemp -d /tmp/provenance-runs-XXXXXX)
export PROVENANCE_SHARED="$(cd .. && pwd)/shared"
if [ -n "${BEFORE_TREE:-}" ]; then
  # A before tree built earlier (e.g. by a previous compare.sh run kept with KEEP_BEFORE=1): used as it is.
  before=$BEFORE_TREE
  trap 'rm -rf "$runs"' EXIT
  trees=(.)
else
  before=$(mktemp -d /tmp/provenance-before-XXXXXX)
  if [ -n "${KEEP_BEFORE:-}" ]; then trap 'rm -rf "$runs"; echo "before tree kept in $before" >&2' EXIT; else trap 'rm -rf "$before" "$runs"' EXIT; fi
  git archive "$ref" | tar -x -C "$before"
  # The bench references tests/Provenance.Testing (the PostgreSQL cluster): this tree's, like bench/.
  rm -rf "$before/bench" "$before/tests/Provenance.Testing"
  tar -c --exclude=bin --exclude=obj bench tests/Provenance.Testing | tar -x -C "$before"
  trees=("$before" .)
fi

# The before tree lives in /tmp, where the project's relative ../shared does not reach: name the embedded schema outright.
schema="$PROVENANCE_SHARED/conformance/epcis/EPCIS-JSON-Schema.json"
for tree in "${trees[@]}"; do
  dotnet build "$tree/src/Provenance.Host" -c Release --nologo -v quiet -clp:ErrorsOnly "-p:EpcisSchemaPath=$schema" >&2
  dotnet build "$tree/bench/Provenance.Bench" -c Release --nologo -v quiet -clp:ErrorsOnly "-p:EpcisSchemaPath=$schema" >&2
done

dll=bench/Provenance.Bench/bin/Release/net10.0/provenance-bench.dll
for i in $(seq 1 "$rounds"); do
  echo "== round $i/$rounds: before ($ref)" >&2
  (cd "$before" && dotnet "$dll" "$@" --json "$runs/before-$i.json" >/dev/null)
  echo "== round $i/$rounds: after" >&2
  dotnet "$dll" "$@" --json "$runs/after-$i.json" >/dev/null
done
dotnet "$dll" --compare "$runs" --before-label "$ref"
