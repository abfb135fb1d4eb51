#!/usr/bin/env bash
# Installs what the bench starts for real (mosquitto, wrk) with apt when missing. Sourced by bench.sh and compare.sh.
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
