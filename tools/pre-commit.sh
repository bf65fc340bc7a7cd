#!/bin/sh
# The entry of the pre-commit hooks (.pre-commit-hooks.yaml, `language:
# script`: pre-commit runs it from its clone of this repository).
# pre-commit.sh ARGS... runs `sgc ARGS...` with the sgc on PATH, or, when
# there is none, with one built in this clone on first use (`make`: it
# needs make, a C compiler, flex, bison, pkg-config and the jansson and
# libyaml headers, and says so when they are missing). $SGC overrides both.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
sgc=${SGC:-}
if [ -z "$sgc" ]; then
	sgc=$(command -v sgc 2>/dev/null || true)
fi
if [ -z "$sgc" ]; then
	sgc=$here/build/release/sgc
	if ! make -C "$here" -s all >"$here/.pre-commit-build.log" 2>&1; then
		echo "sgc pre-commit hook: no sgc on PATH, and building one in $here failed:" >&2
		tail -5 "$here/.pre-commit-build.log" >&2
		echo "install sgc (make && sudo make install, or the .deb), or the build tools:" >&2
		echo "  apt-get install make gcc flex bison pkg-config libjansson-dev libyaml-dev" >&2
		exit 2
	fi
	rm -f "$here/.pre-commit-build.log"
fi
exec "$sgc" "$@"
