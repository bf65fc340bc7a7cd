#!/bin/sh
# Diagnostic formats: `sgc check --format F` over two files gives exactly
# tests/formats/expected.F for text, json, sarif and github; and over
# hostile.sgl, copied under a hostile file name, exactly
# tests/formats/expected-hostile.F, with every control character escaped;
# and over notes.sgl, which is correct, exactly tests/formats/expected-notes.F:
# notes (the template's scanner suppressions) in every format, exit 0 even
# with --deny warnings. Every SARIF log it makes (and more: each example, an
# absolute path, a parse error) is validated against the SARIF 2.1.0 schema
# and sgc's contract (validate_sarif.py, docs/formats.md). UPDATE=1 rewrites
# the expected files.
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

# keep_sarif NAME SUCCESS: keep $dir/out, a SARIF log, for the schema check below.
mkdir "$dir/sarif"
logs=""
keep_sarif() {
	cp "$dir/out" "$dir/sarif/$1.sarif"
	logs="$logs $dir/sarif/$1.sarif=$2"
}

for fmt in text json sarif github; do
	"$sgc" check --color=never --format "$fmt" tests/formats/network.sgl tests/formats/region.sgl \
		>"$dir/out" 2>"$dir/err"
	compare "" "$fmt" $?
	[ "$fmt" = sarif ] && keep_sarif two-files false
	(cd "$dir/in" && "$sgc" check --color=never --format "$fmt" "$hostile") \
		>"$dir/out" 2>"$dir/err"
	compare -hostile "$fmt" $?
	[ "$fmt" = sarif ] && keep_sarif hostile false
	(cd tests/formats && "$sgc" check --color=never --deny warnings --format "$fmt" notes.sgl) \
		>"$dir/out" 2>"$dir/err"
	compare -notes "$fmt" $? 0
	[ "$fmt" = sarif ] && keep_sarif notes true
done

# More logs: every example (clean, or warnings only: the run went to the end),
# an absolute path (a file:// URI), a parse error (checking stopped after parsing).
for src in examples/*.sgl; do
	"$sgc" check --format sarif "$src" >"$dir/out" 2>/dev/null
	keep_sarif "$(basename "$src" .sgl)" true
done
"$sgc" check --format sarif "$top/tests/formats/network.sgl" >"$dir/out" 2>/dev/null
keep_sarif absolute false
printf 'environment e {\n  region = \n' >"$dir/parse.sgl"
"$sgc" check --format sarif "$dir/parse.sgl" >"$dir/out" 2>/dev/null
keep_sarif parse-error false
if grep -q '"executionSuccessful": false' "$dir/sarif/parse-error.sarif" &&
	grep -q 'stopped after parsing' "$dir/sarif/parse-error.sarif" &&
	grep -q '"uri": "file:///' "$dir/sarif/absolute.sarif"; then
	pass=$((pass + 1))
else
	echo "FAIL formats sarif: a stopped run or an absolute path is not reported as such"
	fail=$((fail + 1))
fi

# Every log against the SARIF 2.1.0 schema and sgc's contract (docs/formats.md),
# the expected files too; and the check itself fails a log that breaks either.
check_sarif() {
	python3 tests/formats/validate_sarif.py tests/formats/sarif-schema-2.1.0.json \
		docs/diagnostics.md "$@"
}
# shellcheck disable=SC2086 # $logs: a list of paths without blanks
if check_sarif $logs tests/formats/expected.sarif=false tests/formats/expected-hostile.sarif=false \
	tests/formats/expected-notes.sarif=true >"$dir/schema.out" 2>&1; then
	pass=$((pass + 1))
else
	echo "FAIL formats sarif: a log breaks the schema or the contract"
	sed 's/^/  | /' "$dir/schema.out" | head -20
	fail=$((fail + 1))
fi
# Every code's helpUri, not only the codes these logs use, names a heading.
if python3 - <<'PY'; then
import re, sys
md = open("docs/diagnostics.md", encoding="utf-8").read()
anchor = lambda h: re.sub(r"[^a-z0-9 _-]", "", h.lower()).replace(" ", "-")
heads = {anchor(h) for h in re.findall(r"^#{1,6} (.*)$", md, re.M)}
codes = re.findall(r'^X\((\w+), "(.*)"\)', open("compiler/diag_codes.def").read(), re.M)
missing = [c for c, t in codes if anchor(f"{c}: {t}") not in heads]
print(*missing) if missing else None
sys.exit(bool(missing) or len(codes) < 90)
PY
	pass=$((pass + 1))
else
	echo "FAIL formats sarif: codes above have no heading \`## CODE: title\` in docs/diagnostics.md"
	fail=$((fail + 1))
fi
sed -e 's/"version": "2.1.0"/"version": "2.0"/' -e 's/#e0305-/#nowhere-/' \
	tests/formats/expected.sarif >"$dir/broken.sarif"
if check_sarif "$dir/broken.sarif=true" >"$dir/schema.out" 2>&1 ||
	! grep -q "schema: version" "$dir/schema.out" || ! grep -q "E0305: helpUri" "$dir/schema.out" ||
	! grep -q "executionSuccessful False, expected True" "$dir/schema.out"; then
	echo "FAIL formats sarif: the check passes a broken log"
	sed 's/^/  | /' "$dir/schema.out" | head -10
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
echo "formats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
