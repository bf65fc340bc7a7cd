#!/bin/sh
# Golden tests: every examples/NAME.sgl builds, byte for byte, to
# tests/golden/NAME.json (and its diagnostics to NAME.stderr), twice in a
# row with identical output. UPDATE=1 rewrites the expected files.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
for src in examples/*.sgl; do
	name=$(basename "$src" .sgl)
	"$sgc" build --color=never "$src" -o "$dir/$name.json" 2>"$dir/$name.stderr"
	status=$?
	"$sgc" build --color=never "$src" -o "$dir/$name.again.json" 2>/dev/null
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$dir/$name.json" "tests/golden/$name.json" 2>/dev/null
		if [ -s "$dir/$name.stderr" ]; then
			cp "$dir/$name.stderr" "tests/golden/$name.stderr"
		else
			rm -f "tests/golden/$name.stderr"
		fi
	fi
	problem=
	if [ "$status" -ne 0 ]; then
		problem="exit $status"
	elif ! cmp -s "$dir/$name.json" "tests/golden/$name.json"; then
		problem="template differs from tests/golden/$name.json"
		diff -u "tests/golden/$name.json" "$dir/$name.json" | head -40
	elif ! cmp -s "$dir/$name.json" "$dir/$name.again.json"; then
		problem="two builds differ"
	else
		expected=/dev/null
		[ -f "tests/golden/$name.stderr" ] && expected="tests/golden/$name.stderr"
		if ! cmp -s "$dir/$name.stderr" "$expected"; then
			problem="diagnostics differ from $expected"
			diff -u "$expected" "$dir/$name.stderr" | head -40
		fi
	fi
	if [ -n "$problem" ]; then
		echo "FAIL golden $name: $problem"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
