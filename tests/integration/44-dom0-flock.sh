#!/usr/bin/env bash
# dom0 only
# The image's flock(1): what Xen's hotplug scripts (locking.sh: `flock -x FD`)
# rely on, checked against a second holder of the lock.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
flock="$MKDOM0_BUILD/dom0/flock"
file "$flock" | matches 'statically linked' || fail "flock is not static"
lock=$(mktemp); trap 'rm -f "$lock"' EXIT

# FILE COMMAND: runs the command under the lock and passes its status on.
"$flock" -x "$lock" sh -c 'exit 7' && fail "command status lost" || [ $? = 7 ] || fail "wrong status"

# FD form, as locking.sh uses it: a second open file description must wait;
# with -n it fails at once with status 1.
exec 9>"$lock"
"$flock" -x 9
( exec 8>"$lock"; if "$flock" -n -x 8; then exit 1; else [ $? = 1 ]; fi ) || fail "-n did not report the held lock"
( exec 8>"$lock"; timeout 2 "$flock" -x 8 ) && fail "a second holder got the lock"
"$flock" -u 9
( exec 8>"$lock"; timeout 2 "$flock" -x 8 ) || fail "the lock was not released by -u"
exec 9>&-

"$flock" 2>/dev/null && fail "no arguments accepted" || [ $? = 64 ] || fail "usage status not 64"
"$flock" -x /nonexistent/dir/lock true 2>/dev/null && fail "unopenable file accepted" || [ $? = 66 ] || fail "unopenable file not 66"
# A command that cannot be run: 127 and the reason, as a shell says it.
rc=0; out=$("$flock" -x "$lock" /nonexistent/cmd 2>&1) || rc=$?
[ $rc = 127 ] || fail "a missing command gave status $rc, not 127"
echo "$out" | matches '^flock: cannot run /nonexistent/cmd: No such file' || fail "no reason given: $out"
echo "flock: ok"
