#!/usr/bin/env bash
# alpine-data.sh SRC: where the real Alpine test data (../shared/alpine,
# tests/lib.sh alpine_data) is for the source tree SRC, for tests/run.sh.
# Beside SRC; from a git worktree placed elsewhere, beside the main
# checkout whose repository it shares; from a clone of a local repository
# (git clone /work/main X), beside that repository and its main checkout
# (trial 13x F3).  Prints the first that exists on its first line; when
# none does, the first, and on a second line every place looked at.
set -u
looked=()
beside() { # DIR: a checkout (or the .git) of a repository
    local common
    looked+=("$(cd "$1" 2>/dev/null && pwd || echo "$1")/../shared/alpine")
    common=$(git -C "$1" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) &&
        looked+=("$(dirname "$common")/../shared/alpine")
}
beside "$1"
origin=$(git -C "$1" remote get-url origin 2>/dev/null || true)
case $origin in
    file://*) origin=${origin#file://} ;;
    /*) ;;
    *) origin= ;; # a remote repository has no directory beside it here
esac
[ -n "$origin" ] && [ -d "$origin" ] && beside "$origin"
for p in "${looked[@]}"; do
    [ -d "$p" ] && { echo "$p"; exit 0; }
done
printf '%s\n%s\n' "${looked[0]}" "${looked[*]}"
