#!/usr/bin/env bash
# The benchmark command: installs what it needs (mosquitto, wrk), builds Release, measures every hot path against its
# raw baseline in the same run, prints the Markdown table and writes bench/results/latest.md.
#   ./bench.sh                      everything (a few minutes)
#   ./bench.sh --only ingestion     one path (ingestion, scan, issuance, ledger, fabric, fabric-network, nmea, nmea-decoder, mac; comma-separated)
#   ./bench.sh --quick              short smoke run;  --repeats N  repeats per end-to-end figure (default 3)
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >&2
  # The bench starts its own broker; do not leave the distribution's service holding port 1883.
  $sudo_cmd systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi

dotnet build src/Provenance.Host -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet build bench/Provenance.Bench -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet bench/Provenance.Bench/bin/Release/net10.0/provenance-bench.dll "$@"
