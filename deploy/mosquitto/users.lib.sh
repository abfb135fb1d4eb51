# Shared by add-gateway.sh and add-ingestion.sh: options, password entries, ACL blocks and file
# ownership of the mosquitto password and ACL files. Source it; do not run it.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
passwd_file=${MOSQUITTO_PASSWD_FILE:-$here/passwd}
acl_file=${MOSQUITTO_ACL_FILE:-$here/acl}
owner=${MOSQUITTO_FILE_OWNER:-}
args=()

common_options_help() {
  cat <<HELP
Options:
  --passwd FILE   password file (default: \$MOSQUITTO_PASSWD_FILE or $here/passwd;
                  bare host: /etc/mosquitto/passwd)
  --acl FILE      ACL file (default: \$MOSQUITTO_ACL_FILE or $here/acl; created from acl.base;
                  bare host: /etc/mosquitto/acl)
  --owner U[:G]   owner of both files (default: \$MOSQUITTO_FILE_OWNER; else, run as root on a host
                  with a 'mosquitto' group: root:mosquitto). The broker drops to its own user
                  before it reads them. Docker Compose (eclipse-mosquitto:2 runs as uid 1883):
                  --owner 1883:1883
  -h, --help      this text

The files end up mode 0640 (readable by the owner's group, e.g. mosquitto) or, without an owner
to give them to, 0600 for the password file and 0644 for the ACL (a broker running as you).
Afterwards make the broker reload its files: systemctl reload mosquitto (bare host),
docker compose kill -s HUP mosquitto (Compose), or kill -HUP <mosquitto pid>.
HELP
}

# $1: how many names come before the optional PASSWORD. Once they are all given, an argument that starts with
# '-' and is no known option is the PASSWORD: generated secrets (base64url) may start with '-'.
parse_common_options() {
  local names_before_password=$1
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
      --passwd) [ $# -ge 2 ] || { echo "error: --passwd needs a file" >&2; exit 2; }; passwd_file=$2; shift 2 ;;
      --acl) [ $# -ge 2 ] || { echo "error: --acl needs a file" >&2; exit 2; }; acl_file=$2; shift 2 ;;
      --owner) [ $# -ge 2 ] || { echo "error: --owner needs USER[:GROUP]" >&2; exit 2; }; owner=$2; shift 2 ;;
      --) shift; args+=("$@"); break ;;
      -*)
        if [ ${#args[@]} -eq "$names_before_password" ]; then args+=("$1"); shift; continue; fi
        echo "error: unknown option $1 (a PASSWORD that starts with '-' can also follow --)" >&2; usage >&2; exit 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
}

valid_id() { [[ "$1" =~ ^[a-z0-9][a-z0-9_-]{0,63}$ ]]; }

require_mosquitto_passwd() {
  command -v mosquitto_passwd >/dev/null 2>&1 || { echo "error: mosquitto_passwd not found (apt-get install mosquitto)" >&2; exit 3; }
}

# A random password of 32 characters [A-Za-z0-9], or the one given.
choose_password() {
  if [ -n "${1:-}" ]; then
    case "$1" in *:*) echo "error: PASSWORD must not contain ':'" >&2; exit 2 ;; esac
    printf '%s' "$1"
  else
    head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32
  fi
}

# Refuses USER when the ACL file already has a block of the other kind for it.
refuse_other_kind() {
  local kind=$1 user=$2 other=$3
  if [ -e "$acl_file" ] && grep -qxF "# BEGIN $other $user" "$acl_file"; then
    echo "error: '$user' is already an $other user in $acl_file; a $kind needs its own user name" >&2
    exit 2
  fi
}

set_password() {
  local user=$1 password=$2
  umask 077
  if [ ! -e "$passwd_file" ]; then
    : > "$passwd_file"
    echo "created password file $passwd_file"
  fi
  local existed=false
  grep -q "^${user}:" "$passwd_file" && existed=true
  mosquitto_passwd -b "$passwd_file" "$user" "$password"
  if $existed; then echo "replaced password of '$user' in $passwd_file"; else echo "added '$user' to $passwd_file"; fi
}

# replace_acl_block KIND USER LINE...: drops USER's previous block of KIND, appends the new one.
replace_acl_block() {
  local kind=$1 user=$2; shift 2
  if [ ! -e "$acl_file" ]; then
    if [ -f "$here/acl.base" ]; then cp "$here/acl.base" "$acl_file"; else : > "$acl_file"; fi
    chmod 644 "$acl_file"
    echo "created ACL file $acl_file"
  fi
  local begin="# BEGIN $kind $user" end="# END $kind $user"
  local tmp
  tmp=$(mktemp "$acl_file.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  acl_existed=false
  grep -qxF "$begin" "$acl_file" && acl_existed=true
  awk -v b="$begin" -v e="$end" '
    $0 == b { skip = 1; next }
    skip && $0 == e { skip = 0; next }
    !skip { print }
  ' "$acl_file" | cat -s | sed -e '${/^$/d;}' > "$tmp"
  {
    echo
    echo "$begin"
    echo "user $user"
    printf '%s\n' "$@"
    echo "$end"
  } >> "$tmp"
  chmod --reference="$acl_file" "$tmp" 2>/dev/null || chmod 644 "$tmp"
  mv "$tmp" "$acl_file"
  trap - EXIT
}

# Gives both files to the broker's user (see common_options_help).
fix_ownership() {
  local spec=$owner
  if [ -z "$spec" ] && [ "$(id -u)" -eq 0 ] && getent group mosquitto >/dev/null 2>&1; then
    spec=root:mosquitto
  fi
  if [ -n "$spec" ]; then
    chown "$spec" "$passwd_file" "$acl_file"
    chmod 0640 "$passwd_file" "$acl_file"
    echo "ownership: $passwd_file and $acl_file are $spec, mode 0640"
  else
    chmod 0600 "$passwd_file"
    chmod 0644 "$acl_file"
  fi
}

reload_hint() {
  echo "reload the broker to apply: systemctl reload mosquitto (bare host), docker compose kill -s HUP mosquitto (Compose), or kill -HUP <mosquitto pid>"
}
