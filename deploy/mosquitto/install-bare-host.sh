#!/usr/bin/env bash
# Installs the Provenance mosquitto configuration on a plain Debian/Ubuntu host (package mosquitto).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--root DIR] [--group GROUP]

Installs $here/mosquitto.conf as /etc/mosquitto/mosquitto.conf with the Debian paths
(persistence in /var/lib/mosquitto/, password_file /etc/mosquitto/passwd, acl_file
/etc/mosquitto/acl, include_dir /etc/mosquitto/conf.d) and prepares the files mosquitto reads
after it drops to its own user:
  /etc/mosquitto/passwd   root:GROUP 0640 (created empty when missing)
  /etc/mosquitto/acl      root:GROUP 0640 (from acl.base when missing)
  /etc/mosquitto/certs/   root:GROUP 0750 (server.key must be root:GROUP 0640)
  /var/lib/mosquitto/     mosquitto:GROUP 0750 (persistence)
  /etc/mosquitto/conf.d/tls.conf.example   the TLS listener (8883) with /etc/mosquitto/certs paths;
                          copy it to tls.conf once ca.crt, server.crt and server.key are in certs/
An existing /etc/mosquitto/mosquitto.conf is kept as mosquitto.conf.orig (once). The Debian
package's conf.d/*.conf files are loaded too: remove any that opens a second listener.

Then add users and reload:
  $here/add-ingestion.sh --passwd /etc/mosquitto/passwd --acl /etc/mosquitto/acl ingestion
  $here/add-gateway.sh --passwd /etc/mosquitto/passwd --acl /etc/mosquitto/acl SITE GATEWAY
  systemctl restart mosquitto

Options:
  --root DIR     install under DIR instead of / (to inspect the result)
  --group GROUP  the group mosquitto runs as (default: mosquitto)
  -h, --help     this text
USAGE
}

root=/
group=mosquitto
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --root) [ $# -ge 2 ] || { echo "error: --root needs a directory" >&2; exit 2; }; root=$2; shift 2 ;;
    --group) [ $# -ge 2 ] || { echo "error: --group needs a name" >&2; exit 2; }; group=$2; shift 2 ;;
    *) echo "error: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

etc="${root%/}/etc/mosquitto"
lib="${root%/}/var/lib/mosquitto"
can_chown=false
if [ "$(id -u)" -eq 0 ] && getent group "$group" >/dev/null 2>&1; then
  can_chown=true
elif [ "$root" = / ]; then
  echo "error: run as root on a host with the '$group' group (apt-get install mosquitto)" >&2
  exit 3
fi

install -d -m 0755 "$etc" "$etc/conf.d"
install -d -m 0750 "$etc/certs" "$lib"
if [ -e "$etc/mosquitto.conf" ] && [ ! -e "$etc/mosquitto.conf.orig" ]; then
  cp -p "$etc/mosquitto.conf" "$etc/mosquitto.conf.orig"
  echo "kept the previous configuration as $etc/mosquitto.conf.orig"
fi
sed -e 's|^persistence_location .*|persistence_location /var/lib/mosquitto/|' \
    -e 's|^password_file .*|password_file /etc/mosquitto/passwd|' \
    -e 's|^acl_file .*|acl_file /etc/mosquitto/acl|' \
    -e 's|^include_dir .*|include_dir /etc/mosquitto/conf.d|' \
    "$here/mosquitto.conf" > "$etc/mosquitto.conf.new"
chmod 0644 "$etc/mosquitto.conf.new"
mv "$etc/mosquitto.conf.new" "$etc/mosquitto.conf"
sed -e 's|/mosquitto/certs/|/etc/mosquitto/certs/|' "$here/conf.d/tls.conf.example" > "$etc/conf.d/tls.conf.example"
chmod 0644 "$etc/conf.d/tls.conf.example"
[ -e "$etc/passwd" ] || : > "$etc/passwd"
[ -e "$etc/acl" ] || cp "$here/acl.base" "$etc/acl"
chmod 0640 "$etc/passwd" "$etc/acl"
if $can_chown; then
  chown "root:$group" "$etc/passwd" "$etc/acl" "$etc/certs"
  [ -e "$etc/certs/server.key" ] && chown "root:$group" "$etc/certs/server.key" && chmod 0640 "$etc/certs/server.key"
  chown "mosquitto:$group" "$lib" 2>/dev/null || chown "root:$group" "$lib"
fi
echo "installed $etc/mosquitto.conf (persistence $lib, users $etc/passwd, ACL $etc/acl)"
$can_chown || echo "note: not root or no '$group' group: ownership left as is (mode 0640 files need root:$group on the real host)"
echo "next: add-ingestion.sh / add-gateway.sh with --passwd $etc/passwd --acl $etc/acl, then systemctl restart mosquitto"
