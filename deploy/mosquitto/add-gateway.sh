#!/usr/bin/env bash
# Adds (or replaces) one line gateway's MQTT credentials and ACL block for the Provenance broker.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--passwd FILE] [--acl FILE] SITE GATEWAY [PASSWORD]

Adds gateway GATEWAY of plant SITE to the mosquitto password file and ACL file:
  password file: GATEWAY with PASSWORD (mosquitto_passwd -b); without PASSWORD a random one is
                 generated and printed once (store it in the gateway's secret store)
  ACL file:      a block "user GATEWAY" allowed to publish only to
                 prov/v1/SITE/GATEWAY/gnss, .../seal and .../status
Re-running for the same GATEWAY replaces its password and its ACL block (never duplicates);
moving a gateway to another SITE is a re-run with the new SITE.

SITE and GATEWAY: 1-64 characters of [a-z0-9_-].

Options:
  --passwd FILE  password file (default: \$MOSQUITTO_PASSWD_FILE or $here/passwd)
  --acl FILE     ACL file (default: \$MOSQUITTO_ACL_FILE or $here/acl; created from acl.base)
  -h, --help     this text

Afterwards make the broker reload its files: docker compose kill -s HUP mosquitto
(or systemctl reload mosquitto, or kill -HUP <pid>).
USAGE
}

passwd_file=${MOSQUITTO_PASSWD_FILE:-$here/passwd}
acl_file=${MOSQUITTO_ACL_FILE:-$here/acl}
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --passwd) [ $# -ge 2 ] || { echo "error: --passwd needs a file" >&2; exit 2; }; passwd_file=$2; shift 2 ;;
    --acl) [ $# -ge 2 ] || { echo "error: --acl needs a file" >&2; exit 2; }; acl_file=$2; shift 2 ;;
    --) shift; args+=("$@"); break ;;
    -*) echo "error: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ ${#args[@]} -lt 2 ] || [ ${#args[@]} -gt 3 ]; then
  usage >&2
  exit 2
fi
site=${args[0]}
gateway=${args[1]}
password=${args[2]:-}

valid_id() { [[ "$1" =~ ^[a-z0-9_-]{1,64}$ ]]; }
valid_id "$site" || { echo "error: invalid SITE '$site': use 1-64 characters of [a-z0-9_-]" >&2; exit 2; }
valid_id "$gateway" || { echo "error: invalid GATEWAY '$gateway': use 1-64 characters of [a-z0-9_-]" >&2; exit 2; }
if [ "$gateway" = "ingestion" ]; then
  echo "error: 'ingestion' is the ingestion service user, not a gateway id" >&2; exit 2
fi
command -v mosquitto_passwd >/dev/null 2>&1 || { echo "error: mosquitto_passwd not found (apt-get install mosquitto)" >&2; exit 3; }

generated=false
if [ -z "$password" ]; then
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)
  generated=true
fi
case "$password" in *:*) echo "error: PASSWORD must not contain ':'" >&2; exit 2 ;; esac

umask 077
# Password file: mosquitto_passwd -b replaces an existing entry of the same user.
if [ ! -e "$passwd_file" ]; then
  : > "$passwd_file"
  echo "created password file $passwd_file"
fi
existed_pw=false
grep -q "^${gateway}:" "$passwd_file" && existed_pw=true
mosquitto_passwd -b "$passwd_file" "$gateway" "$password"
if $existed_pw; then echo "replaced password of '$gateway' in $passwd_file"; else echo "added '$gateway' to $passwd_file"; fi

# ACL file: drop any previous block of this gateway, then append the new one.
if [ ! -e "$acl_file" ]; then
  if [ -f "$here/acl.base" ]; then cp "$here/acl.base" "$acl_file"; else : > "$acl_file"; fi
  chmod 644 "$acl_file"
  echo "created ACL file $acl_file"
fi
begin="# BEGIN gateway $gateway"
end="# END gateway $gateway"
tmp=$(mktemp "$acl_file.XXXXXX")
trap 'rm -f "$tmp"' EXIT
existed_acl=false
grep -qxF "$begin" "$acl_file" && existed_acl=true
awk -v b="$begin" -v e="$end" '
  $0 == b { skip = 1; next }
  skip && $0 == e { skip = 0; next }
  !skip { print }
' "$acl_file" | cat -s | sed -e '${/^$/d;}' > "$tmp"
{
  echo
  echo "$begin"
  echo "user $gateway"
  echo "topic write prov/v1/$site/$gateway/gnss"
  echo "topic write prov/v1/$site/$gateway/seal"
  echo "topic write prov/v1/$site/$gateway/status"
  echo "$end"
} >> "$tmp"
chmod --reference="$acl_file" "$tmp" 2>/dev/null || chmod 644 "$tmp"
mv "$tmp" "$acl_file"
trap - EXIT
if $existed_acl; then echo "replaced ACL block of '$gateway' in $acl_file: may publish to prov/v1/$site/$gateway/{gnss,seal,status}"
else echo "added ACL block of '$gateway' to $acl_file: may publish to prov/v1/$site/$gateway/{gnss,seal,status}"; fi
if $generated; then echo "generated password for '$gateway': $password"; fi
echo "reload the broker to apply: docker compose kill -s HUP mosquitto (or kill -HUP <mosquitto pid>)"
