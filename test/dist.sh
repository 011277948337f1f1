#!/usr/bin/env bash
# `make dist`: the release archive for PGXN, pg_actions-VERSION.zip at the top of the checkout, with
# every file git tracks (uncommitted changes to them included; .gitattributes lists what is left
# out) under the folder pg_actions-VERSION/. VERSION is META.json's, which must be the control
# file's default_version as SemVer (0.2 is 0.2.0: test/tap/009_release_files.pl checks them).
# Prints the archive's path.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
control=$(sed -nE "s/^default_version = '(.*)'/\1/p" pg_actions.control)
semver=$control; [[ $control =~ ^[0-9]+\.[0-9]+$ ]] && semver=$control.0
version=$(sed -nE 's/^   "version": "([^"]*)",?$/\1/p' META.json)
if [ "$version" != "$semver" ]; then
    echo "META.json's version ($version) is not the control file's default_version as SemVer ($semver)" >&2
    exit 1
fi
name=pg_actions-$version
# The working tree's tracked files as a commit (HEAD itself when nothing is changed).
tree=$(git stash create 2>/dev/null || true)
git archive --format=zip --prefix="$name/" -o "$top/$name.zip" "${tree:-HEAD}"
echo "$top/$name.zip"
