#!/usr/bin/env bash
# Adds (or replaces) one line gateway's MQTT credentials and ACL block for the Provenance broker.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/users.lib.sh"

usage() {
  cat <<USAGE
Usage: $(basename "$0") [options] SITE GATEWAY [PASSWORD]

Adds gateway GATEWAY of plant SITE to the mosquitto password file and ACL file:
  password file: user GATEWAY with PASSWORD (mosquitto_passwd -b); without PASSWORD a random one
                 is generated and printed once. THIS is the password the gateway uses with this
                 broker (firmware-sim --password); the secret 'provenance gateways add' prints is
                 for the embedded broker only.
  ACL file:      a block "user GATEWAY" allowed to publish only to prov/v1/SITE/GATEWAY/gnss,
                 .../seal, .../pack and .../status, and to read its end-to-end acknowledgements
                 prov/v1/SITE/GATEWAY/ack/stored
The broker binds each session to its user (use_username_as_clientid), so the gateway's client id
is GATEWAY whatever it sends. Re-running for the same GATEWAY replaces its password and its ACL
block (never duplicates); moving a gateway to another SITE is a re-run with the new SITE.

SITE and GATEWAY: 1-64 characters of [a-z0-9_-].

$(common_options_help)
USAGE
}

parse_common_options 2 "$@"
if [ ${#args[@]} -lt 2 ] || [ ${#args[@]} -gt 3 ]; then
  usage >&2
  exit 2
fi
site=${args[0]}
gateway=${args[1]}
valid_id "$site" || { echo "error: invalid SITE '$site': use 1-64 characters of [a-z0-9_-]" >&2; exit 2; }
valid_id "$gateway" || { echo "error: invalid GATEWAY '$gateway': use 1-64 characters of [a-z0-9_-]" >&2; exit 2; }
refuse_other_kind gateway "$gateway" ingestion
require_mosquitto_passwd
password=$(choose_password "${args[2]:-}")

set_password "$gateway" "$password"
replace_acl_block gateway "$gateway" \
  "topic write prov/v1/$site/$gateway/gnss" \
  "topic write prov/v1/$site/$gateway/seal" \
  "topic write prov/v1/$site/$gateway/pack" \
  "topic write prov/v1/$site/$gateway/status" \
  "topic read prov/v1/$site/$gateway/ack/stored"
if $acl_existed; then echo "replaced ACL block of '$gateway' in $acl_file: may publish to prov/v1/$site/$gateway/{gnss,seal,pack,status}"
else echo "added ACL block of '$gateway' to $acl_file: may publish to prov/v1/$site/$gateway/{gnss,seal,pack,status}"; fi
fix_ownership
if [ -z "${args[2]:-}" ]; then echo "generated password for '$gateway' (the gateway's MQTT password on this broker; store it in the gateway's secret store): $password"; fi
reload_hint
