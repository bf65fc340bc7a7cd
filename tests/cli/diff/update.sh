#!/bin/sh
# update.sh path/to/sgc - rewrite the expected `sgc diff` reports of
# tests/cli/diff (make golden-update runs it; review the diff!).
set -eu
sgc=${1:?usage: update.sh path/to/sgc}
case "$sgc" in /*) ;; *) sgc="$PWD/$sgc" ;; esac
cd "$(dirname "$0")"
"$sgc" diff old.json new.yaml --format text > expected.txt
"$sgc" diff old.json new.yaml --format markdown > expected.md
"$sgc" diff old.json new.yaml --format json > expected.json
