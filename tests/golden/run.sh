#!/bin/sh
# Golden tests: every examples/NAME.sgl builds, byte for byte, to the
# directory tests/golden/NAME/ (stack.json, stack.yaml, plus the lifecycle/ and remote/
# files written beside it, and stderr when it prints warnings), twice in a
# row with identical output. A directory tests/golden/NAME@STAGE/ holds the
# build of examples/NAME.sgl with --stage STAGE. UPDATE=1 rewrites the
# expected files.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
# golden NAME SRC [--stage STAGE]
golden() {
	name=$1
	src=$2
	shift 2
	mkdir -p "$dir/$name" "$dir/again/$name"
	"$sgc" build --color=never "$@" "$src" -o "$dir/$name/stack.json" 2>"$dir/$name.stderr"
	status=$?
	"$sgc" build --color=never "$@" "$src" -o "$dir/$name/stack.yaml" 2>/dev/null
	"$sgc" build --color=never "$@" "$src" -o "$dir/again/$name/stack.json" 2>"$dir/again/$name.stderr"
	"$sgc" build --color=never "$@" "$src" -o "$dir/again/$name/stack.yaml" 2>/dev/null
	[ -s "$dir/$name.stderr" ] && cp "$dir/$name.stderr" "$dir/$name/stderr"
	[ -s "$dir/again/$name.stderr" ] && cp "$dir/again/$name.stderr" "$dir/again/$name/stderr"
	if [ "${UPDATE:-}" = 1 ] && [ "$status" -eq 0 ]; then
		rm -rf "tests/golden/$name"
		cp -R "$dir/$name" "tests/golden/$name"
	fi
	problem=
	if [ "$status" -ne 0 ]; then
		problem="exit $status"
		head -20 "$dir/$name.stderr"
	elif [ ! -d "tests/golden/$name" ]; then
		problem="no tests/golden/$name/"
	elif ! diff -r "tests/golden/$name" "$dir/$name" >"$dir/diff"; then
		problem="output differs from tests/golden/$name/"
		head -40 "$dir/diff"
	elif ! diff -r "$dir/$name" "$dir/again/$name" >/dev/null; then
		problem="two builds differ"
	fi
	if [ -n "$problem" ]; then
		echo "FAIL golden $name: $problem"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for src in examples/*.sgl; do
	golden "$(basename "$src" .sgl)" "$src"
done
for staged in tests/golden/*@*/; do
	[ -d "$staged" ] || continue
	name=$(basename "$staged")
	golden "$name" "examples/${name%@*}.sgl" --stage "${name#*@}"
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
