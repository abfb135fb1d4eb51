#!/bin/bash
# Run by `unshare --mount --propagation private` as root: rebuilds the parts of provenance.service's
# sandbox that are mounts and credentials, then hands over to seccomp-exec.py.
#   ProcSubset=pid + ProtectProc=invisible  -> a private /proc with subset=pid,hidepid=invisible
#   ProtectSystem=strict + ReadWritePaths   -> / read-only, the data directory (and /tmp) writable
#   User=                                   -> setpriv to UID:GID, no new privileges
# Usage: run-in-unit-sandbox.sh DATA_DIR UID GID -- seccomp-exec.py ...
set -euo pipefail
data=$1 uid=$2 gid=$3
shift 3
[ "$1" = "--" ] && shift
mount -t proc -o hidepid=invisible,subset=pid proc /proc
mount --bind /tmp /tmp
mount --bind "$data" "$data"
mount -o bind,remount,ro /
cd "$data"
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs -- "$@"
