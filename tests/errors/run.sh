#!/bin/sh
# Bad-input tests: tests/errors/NAME.sgl must be refused with exactly the
# diagnostics in NAME.expected (code, file:line:column, message, caret
# lines), exit status 1, and no output file or temporary left behind.
# A file whose first line is `# expect-exit: 0` holds warnings only: it
# must build, and print exactly NAME.expected. UPDATE=1 rewrites.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
for src in tests/errors/*.sgl; do
	name=$(basename "$src" .sgl)
	want=1
	head -n 1 "$src" | grep -q '^# expect-exit: 0' && want=0
	out="$dir/$name/stack.json"
	mkdir -p "$dir/$name"
	"$sgc" build --color=never "$src" -o "$out" 2>"$dir/$name.stderr"
	status=$?
	[ "${UPDATE:-}" = 1 ] && cp "$dir/$name.stderr" "tests/errors/$name.expected"
	problem=
	if [ "$status" -ne "$want" ]; then
		problem="exit $status, expected $want"
	elif [ "$want" = 1 ] && [ -n "$(ls -A "$dir/$name")" ]; then
		problem="left files behind: $(ls -A "$dir/$name")"
	elif [ "$want" = 0 ] && [ ! -s "$out" ]; then
		problem="no template written"
	elif [ ! -f "tests/errors/$name.expected" ]; then
		problem="no tests/errors/$name.expected"
	elif ! grep -q '^tests/errors/.*: \(error\|warning\)\[[EW][0-9]\{4\}\]' "tests/errors/$name.expected"; then
		problem="$name.expected names no diagnostic"
	elif ! cmp -s "$dir/$name.stderr" "tests/errors/$name.expected"; then
		problem="diagnostics differ"
		diff -u "tests/errors/$name.expected" "$dir/$name.stderr" | head -40
	fi
	if [ -n "$problem" ]; then
		echo "FAIL errors $name: $problem"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
