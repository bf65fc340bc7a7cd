#!/bin/sh
# Diagnostic formats: `sgc check --format F` over two files gives exactly
# tests/formats/expected.F for text, json, sarif and github. UPDATE=1
# rewrites the expected files.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
for fmt in text json sarif github; do
	"$sgc" check --color=never --format "$fmt" tests/formats/network.sgl tests/formats/region.sgl \
		>"$dir/out" 2>"$dir/err"
	status=$?
	# text goes to standard error, the machine formats to standard output
	if [ "$fmt" = text ]; then got="$dir/err"; else got="$dir/out"; fi
	[ "${UPDATE:-}" = 1 ] && cp "$got" "tests/formats/expected.$fmt"
	if [ "$status" -ne 1 ]; then
		echo "FAIL formats $fmt: exit $status, expected 1"
		fail=$((fail + 1))
	elif ! cmp -s "$got" "tests/formats/expected.$fmt"; then
		echo "FAIL formats $fmt: output differs"
		diff -u "tests/formats/expected.$fmt" "$got" | head -30
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "formats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
