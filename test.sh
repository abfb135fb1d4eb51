#!/usr/bin/env bash
# The test command: installs what the tests need, builds, runs every test suite (.NET and npm),
# and ends with one line "N passed, N failed, N skipped" summed over all suites.
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

step "System packages"
"$root/eng/install-deps.sh" || { echo "installing system packages failed"; echo "0 passed, 1 failed"; exit 1; }

step "npm packages"
for dir in tests/js tests/epcis-js tests/iothub-js deploy/validate deploy/ip-geo fabric-network/chaincode; do
  if [ -f "$dir/package.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $dir"; echo "0 passed, 1 failed"; exit 1; }
  fi
done

step "Build"
dotnet build Provenance.sln -c Release --nologo -v quiet -clp:ErrorsOnly || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0; status=0

# Runs one test project; its results count towards the summary line. Arguments: project, results name, extra dotnet test arguments.
run_project() {
  local proj=$1 name=$2; shift 2
  echo "-- $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" -- RunConfiguration.TreatNoTestsAsError=false \
    > "$results/$name.log" 2>&1
  local rc=$?
  grep -E '^\s*(Passed|Failed|Skipped) |^\s*Error Message|^\s*\[xUnit|Total tests|Passed!|Failed!|coverage|\[report\]' "$results/$name.log" | grep -vE '^\s*Passed ' | tail -n 80
  local trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    local counters p f t e
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    p=${p:-0}; f=${f:-0}; t=${t:-0}; e=${e:-0}
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
    echo "   $name: $p passed, $f failed"
  else
    echo "   $name: no results (exit $rc); see $results/$name.log"; tail -n 40 "$results/$name.log"; failed=$((failed + 1))
  fi
  [ $rc -ne 0 ] && status=1
  return 0
}

step ".NET tests"
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  # Shared test support (a library the test projects reference), not a test project.
  [ "$name" = Provenance.Testing ] && continue
  run_project "$proj" "$name"
done

# The same tests again with the product's state on PostgreSQL (a throwaway cluster the tests start; every data
# directory gets its own database). Tests that read SQLite's own files or plans carry the trait Storage=sqlite-only.
step ".NET tests on PostgreSQL (Storage:Provider=postgres)"
for name in Provenance.Storage.Tests Provenance.Ingestion.Tests Provenance.Api.Tests; do
  PROVENANCE_TEST_STORAGE=postgres run_project "tests/$name/$name.csproj" "$name.postgres" --filter "Storage!=sqlite-only"
done
PROVENANCE_TEST_STORAGE=postgres run_project tests/Provenance.Host.Tests/Provenance.Host.Tests.csproj Provenance.Host.Tests.postgres \
  --filter "$(cat tests/Provenance.Host.Tests/postgres-suites.filter)"

step "npm tests"
for dir in fabric-network/chaincode; do
  if [ -f "$dir/package.json" ]; then
    echo "-- $dir"
    (cd "$dir" && npm test --silent) > "$results/npm-$(basename "$dir").log" 2>&1
    rc=$?
    tail -n 30 "$results/npm-$(basename "$dir").log"
    p=$(grep -E '^# pass ' "$results/npm-$(basename "$dir").log" | awk '{s+=$3} END {print s+0}')
    f=$(grep -E '^# fail ' "$results/npm-$(basename "$dir").log" | awk '{s+=$3} END {print s+0}')
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ $rc -ne 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    [ $rc -ne 0 ] && status=1
  fi
done

[ $failed -gt 0 ] && status=1
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
