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

# Runs one test project into its own log and .trx (quietly: projects run side by side, see the lanes below), and
# prints one progress line when it ends. Arguments: project, results name, extra dotnet test arguments.
run_project() {
  local proj=$1 name=$2 began=$SECONDS; shift 2
  echo "-- $name: started"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" -- RunConfiguration.TreatNoTestsAsError=false \
    > "$results/$name.log" 2>&1
  echo $? > "$results/$name.rc"
  echo "-- $name: ended after $((SECONDS - began)) s"
}

# Prints one finished project's failures and counts its results towards the summary line.
report_project() {
  local name=$1 rc
  rc=$(cat "$results/$name.rc" 2>/dev/null || echo 1)
  echo "-- $name"
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
  [ "$rc" -ne 0 ] && status=1
  return 0
}

# The suites run in two lanes side by side: much of their time is spent waiting on the servers they start (brokers,
# databases, Fabric peers, browsers, timeouts), so two lanes on two cores take far less than one after the other.
# Every project still runs its own tests one at a time. The lanes are balanced by measured durations (each project
# prints its own as it ends): Host is the longest, so its lane takes only Deploy and the small projects. The PostgreSQL passes run the same
# tests again with the product's state on PostgreSQL (a throwaway cluster each test process starts; every data
# directory gets its own database); tests that read SQLite's own files or plans carry the trait Storage=sqlite-only.
host=tests/Provenance.Host.Tests/Provenance.Host.Tests.csproj
first_lane=(Provenance.Host.Tests Provenance.Deploy.Tests Provenance.Ingestion.Tests Provenance.Storage.Tests)
postgres_projects=(Provenance.Storage.Tests Provenance.Ingestion.Tests Provenance.Api.Tests)
second_lane=()
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  # Provenance.Testing is shared test support (a library the test projects reference), not a test project.
  [ "$name" = Provenance.Testing ] || [[ " ${first_lane[*]} " == *" $name "* ]] || second_lane+=("$name")
done

run_first_lane() {
  local name
  for name in "${first_lane[@]}"; do run_project "tests/$name/$name.csproj" "$name"; done
  for name in "${postgres_projects[@]}"; do
    PROVENANCE_TEST_STORAGE=postgres run_project "tests/$name/$name.csproj" "$name.postgres" --filter "Storage!=sqlite-only"
  done
}

run_second_lane() {
  local name
  for name in "${second_lane[@]}"; do run_project "tests/$name/$name.csproj" "$name"; done
  PROVENANCE_TEST_STORAGE=postgres run_project "$host" Provenance.Host.Tests.postgres \
    --filter "$(cat tests/Provenance.Host.Tests/postgres-suites.filter)"
}

step ".NET tests (two lanes side by side; each line is a project starting or ending)"
run_first_lane & first=$!
run_second_lane & second=$!
wait "$first" "$second"

step ".NET test results"
for name in "${first_lane[@]}" "${second_lane[@]}"; do report_project "$name"; done
for name in "${postgres_projects[@]}"; do report_project "$name.postgres"; done
report_project Provenance.Host.Tests.postgres

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
