#!/bin/sh
# Diagnostic formats: `sgc check --format F` over two files gives exactly
# tests/formats/expected.F for text, json, sarif and github; and over
# hostile.sgl, copied under a hostile file name, exactly
# tests/formats/expected-hostile.F, with every control character escaped;
# and over notes.sgl, which is correct, exactly tests/formats/expected-notes.F:
# notes (the template's scanner suppressions) in every format, exit 0 even
# with --deny warnings. UPDATE=1 rewrites the expected files.
set -u
sgc=${1:?usage: run.sh path/to/sgc}
case $sgc in /*) ;; *) sgc="$(pwd)/$sgc" ;; esac
top=$(pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0

# The file name: ESC ] 0 ; title BEL (retitles a terminal), a newline and
# `::warning file=y::` (a workflow command of its own), `%`, `,` and 0xFF.
hostile=$(printf 'evil\033]0;title\007\n::warning file=y::pwned,%%\377.sgl')
mkdir "$dir/in"
cp tests/formats/hostile.sgl "$dir/in/$hostile"

# compare NAME FORMAT: $dir/out (or err for text) against tests/formats/expected{NAME}.FORMAT
compare() {
	name=$1
	fmt=$2
	status=$3
	want_status=${4:-1}
	# text goes to standard error, the machine formats to standard output
	if [ "$fmt" = text ]; then got="$dir/err"; else got="$dir/out"; fi
	want="$top/tests/formats/expected$name.$fmt"
	[ "${UPDATE:-}" = 1 ] && cp "$got" "$want"
	if [ "$status" -ne "$want_status" ]; then
		echo "FAIL formats$name $fmt: exit $status, expected $want_status"
		fail=$((fail + 1))
	elif ! cmp -s "$got" "$want"; then
		echo "FAIL formats$name $fmt: output differs"
		diff -u "$want" "$got" | head -30
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for fmt in text json sarif github; do
	"$sgc" check --color=never --format "$fmt" tests/formats/network.sgl tests/formats/region.sgl \
		>"$dir/out" 2>"$dir/err"
	compare "" "$fmt" $?
	(cd "$dir/in" && "$sgc" check --color=never --format "$fmt" "$hostile") \
		>"$dir/out" 2>"$dir/err"
	compare -hostile "$fmt" $?
	(cd tests/formats && "$sgc" check --color=never --deny warnings --format "$fmt" notes.sgl) \
		>"$dir/out" 2>"$dir/err"
	compare -notes "$fmt" $? 0
done
echo "formats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
