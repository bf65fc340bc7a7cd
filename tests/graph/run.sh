#!/bin/sh
# `sgc graph` golden tests: every examples/NAME.sgl draws, byte for byte,
# tests/graph/NAME.dot, twice in a row with identical output; an input
# with errors gives its diagnostics, exit 1 and no output file; a name full
# of hostile bytes stays inside its quoted DOT string. UPDATE=1 rewrites
# the expected files.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
check() {
	if [ "$2" = ok ]; then
		pass=$((pass + 1))
	else
		echo "FAIL graph $1"
		fail=$((fail + 1))
	fi
}
for src in examples/*.sgl; do
	name=$(basename "$src" .sgl)
	"$sgc" graph --color=never "$src" -o "$dir/$name.dot" 2>"$dir/$name.err"
	status=$?
	"$sgc" graph --color=never "$src" >"$dir/$name.again" 2>/dev/null
	if [ "${UPDATE:-}" = 1 ] && [ "$status" -eq 0 ]; then
		cp "$dir/$name.dot" "tests/graph/$name.dot"
	fi
	if [ "$status" -ne 0 ]; then
		head -20 "$dir/$name.err"
		check "$name: exit $status" no
	elif ! diff -u "tests/graph/$name.dot" "$dir/$name.dot" >"$dir/diff"; then
		head -40 "$dir/diff"
		check "$name: output differs from tests/graph/$name.dot" no
	elif ! cmp -s "$dir/$name.dot" "$dir/$name.again"; then
		check "$name: -o and standard output differ" no
	else
		check "$name" ok
	fi
done

# The golden files are not trivially equal: each picture is its own.
[ "$(cat tests/graph/*.dot | sort -u | wc -l)" -gt 100 ] && r=ok || r=no
check "goldens differ from each other" $r

# Invalid input: the checker's diagnostics, exit 1, nothing written.
cat >"$dir/bad.sgl" <<'SGL'
environment e {
  region = "eu-west-1"
  network vpc {
    cidr      = 10.0.0.0/16
    isolation = isolated
    subnet a { cidr = 10.1.0.0/24  zone = a }
  }
}
SGL
"$sgc" graph --color=never "$dir/bad.sgl" -o "$dir/bad.dot" 2>"$dir/bad.err"
[ $? -eq 1 ] && r=ok || r=no
check "invalid input exits 1" $r
grep -q 'error\[E0305\]' "$dir/bad.err" && r=ok || r=no
check "invalid input says E0305" $r
[ ! -e "$dir/bad.dot" ] && [ -z "$(ls "$dir" | grep 'bad.dot.tmp')" ] && r=ok || r=no
check "invalid input writes nothing" $r
# Its twin: the same file made valid draws.
sed 's/10.1.0.0/10.0.0.0/' "$dir/bad.sgl" >"$dir/good.sgl"
"$sgc" graph "$dir/good.sgl" -o "$dir/good.dot" 2>/dev/null && [ -s "$dir/good.dot" ] && r=ok || r=no
check "the fixed input draws" $r
grep -q '"no way out of vpc" \[label="no route to the internet"' "$dir/good.dot" && r=ok || r=no
check "an isolated network shows it has no way out" $r

# A hostile description: quotes, backslashes, a newline, a tab, DOT's
# own escapes, a carriage return, HTML-ish brackets, braces and non-ASCII
# (bytes that are not UTF-8 never pass the reader: tests/unit/test_graph.c).
printf 'environment e {\n  region = "eu-west-1"\n  description = "a\\"b\\\\c\\nd\\te\\\\N\\r<b>x</b> } ] ; digraph { caf\303\251"\n  bucket b {}\n}\n' >"$dir/hostile.sgl"
"$sgc" graph "$dir/hostile.sgl" -o "$dir/hostile.dot" 2>"$dir/hostile.err"
[ $? -eq 0 ] && r=ok || { cat "$dir/hostile.err"; r=no; }
check "hostile description draws" $r
grep -qF 'label="environment e (eu-west-1)\na\"b\\c\nd e\\N <b>x</b> } ] ; digraph { café"' "$dir/hostile.dot" && r=ok || { grep label= "$dir/hostile.dot" | head -1; r=no; }
check "hostile description escaped" $r
# Its twin: nothing of it outside the quoted string; the one statement per line stays one.
[ "$(grep -c '^digraph' "$dir/hostile.dot")" -eq 1 ] && [ "$(tail -n 1 "$dir/hostile.dot")" = "}" ] &&
	[ "$(wc -l <"$dir/hostile.dot")" -eq 5 ] && r=ok || r=no
check "hostile description opens no graph" $r
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$dir/hostile.dot" >"$dir/hostile.svg" 2>"$dir/dot.err" && r=ok || { cat "$dir/dot.err"; r=no; }
	check "dot reads the hostile graph" $r
	for src in examples/*.sgl; do
		name=$(basename "$src" .sgl)
		dot -Tsvg "tests/graph/$name.dot" >/dev/null 2>"$dir/dot.err" && [ ! -s "$dir/dot.err" ] && r=ok || { cat "$dir/dot.err"; r=no; }
		check "dot reads $name.dot" $r
	done
fi
echo "graph: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
