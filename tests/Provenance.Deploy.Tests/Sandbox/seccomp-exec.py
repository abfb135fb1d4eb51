#!/usr/bin/python3
# Applies a system-call filter with libseccomp (python3-seccomp) and execs a program under it, the
# way systemd applies SystemCallFilter= / RestrictAddressFamilies= / SystemCallArchitectures=native.
# Usage: seccomp-exec.py ALLOWED_FILE FAMILIES -- PROGRAM [ARGS...]
#   ALLOWED_FILE: system call names, whitespace-separated (the unit's resolved allow list)
#   FAMILIES:     comma-separated address family numbers socket() may use (others: EAFNOSUPPORT)
# Calls outside the list kill the process (SIGSYS, exit 159): stricter than the unit's EPERM, so a
# forbidden call cannot go unnoticed. The filter covers the native architecture only.
import errno
import os
import sys

import seccomp

allowed_file, families = sys.argv[1], sys.argv[2]
if sys.argv[3] != "--":
    sys.exit("usage: seccomp-exec.py ALLOWED_FILE FAMILIES -- PROGRAM [ARGS...]")
command = sys.argv[4:]

flt = seccomp.SyscallFilter(defaction=seccomp.KILL_PROCESS)
unknown = []
for name in open(allowed_file).read().split():
    if name == "socket":
        continue
    try:
        flt.add_rule(seccomp.ALLOW, name)
    except Exception:  # a name this kernel/libseccomp does not know, as systemd skips it
        unknown.append(name)

allowed_families = sorted(int(f) for f in families.split(","))
for family in allowed_families:
    flt.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, family))
for family in range(0, 64):
    if family not in allowed_families:
        flt.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))

flt.load()
os.execv(command[0], command)
