#!/usr/bin/env bash
# The benchmark command: installs what it needs (mosquitto, wrk), builds Release, measures every hot path against its
# raw baseline in the same run, prints the Markdown table and writes bench/results/latest.md.
#   ./bench.sh                      everything (a few minutes)
#   ./bench.sh --only ingestion     one path (ingestion, scan, issuance, ledger, fabric, fabric-network, nmea, nmea-decoder, mac, nfc; comma-separated)
#   ./bench.sh --only ingestion-postgres,scan-postgres,scan-two-processes   the same on PostgreSQL (a throwaway cluster the bench
#                                   starts on 127.0.0.1), next to SQLite in the same run, and scans with two serve processes vs one
#   ./bench.sh --quick              short smoke run;  --repeats N  repeats per end-to-end figure (default 3)
#   bench/compare.sh REF [ARGS]     the same, alternating a build of git REF ("before") with this tree ("after")
set -euo pipefail
cd "$(dirname "$0")"

source bench/install-tools.sh

dotnet build src/Provenance.Host -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet build bench/Provenance.Bench -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet bench/Provenance.Bench/bin/Release/net10.0/provenance-bench.dll "$@"
