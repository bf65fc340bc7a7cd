#!/bin/sh
# Good-input tests: every tests/good/NAME.sgl is a correct environment (most
# are the nearest correct variant of a tests/errors case) and must pass
# `sgc check` with exit status 0 and no error or warning at all: a rule
# that fires here is a false positive. Notes (N0640, N0641: the scanner
# findings the template suppresses, for review) are expected.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
for src in tests/good/*.sgl; do
	name=$(basename "$src" .sgl)
	"$sgc" check --color=never "$src" >"$dir/$name.stdout" 2>"$dir/$name.stderr"
	status=$?
	problem=
	if [ "$status" -ne 0 ]; then
		problem="exit $status, expected 0"
	elif grep -Eq '^[^ ].*: (error|warning)\[' "$dir/$name.stderr"; then
		problem="diagnostics printed"
	fi
	if [ -n "$problem" ]; then
		echo "FAIL good $name: $problem"
		head -n 20 "$dir/$name.stderr"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "good: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
