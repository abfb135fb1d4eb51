#!/usr/bin/env bash
# Adds (or replaces) the MQTT user of one Provenance ingestion instance.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/users.lib.sh"

usage() {
  cat <<USAGE
Usage: $(basename "$0") [options] USER [PASSWORD]

Adds ingestion user USER to the mosquitto password file and ACL file: it may read every gateway
topic (prov/v1/#, plain or shared subscription) and publish the end-to-end acknowledgements
(prov/v1/+/+/ack/stored). The broker binds each session to its user (use_username_as_clientid),
so every ingestion instance needs its own USER: 'ingestion' for one instance; ingestion-1,
ingestion-2, ... (Compose) or provenance-ingestion-0, -1, ... (the Kubernetes pod names) when
scaled out. Several users may share one PASSWORD. Without PASSWORD a random one is generated and
printed once. The instance then runs with Mqtt__Username=USER and Mqtt__Password=PASSWORD.

USER: 1-64 characters of [a-z0-9_-].

$(common_options_help)
USAGE
}

parse_common_options 1 "$@"
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
  usage >&2
  exit 2
fi
user=${args[0]}
valid_id "$user" || { echo "error: invalid USER '$user': use 1-64 characters of [a-z0-9_-]" >&2; exit 2; }
refuse_other_kind ingestion "$user" gateway
require_mosquitto_passwd
password=$(choose_password "${args[1]:-}")

set_password "$user" "$password"
replace_acl_block ingestion "$user" \
  "topic read prov/v1/#" \
  "topic write prov/v1/+/+/ack/stored"
if $acl_existed; then echo "replaced ACL block of ingestion user '$user' in $acl_file"; else echo "added ACL block of ingestion user '$user' to $acl_file"; fi
fix_ownership
if [ -z "${args[1]:-}" ]; then echo "generated password for '$user' (Mqtt__Password of that ingestion instance): $password"; fi
reload_hint
