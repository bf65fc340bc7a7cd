#!/bin/sh
# regress.sh BINARY ARTIFACT_DIR "LIMITS" DIR... - run a libFuzzer target
# on every file of the DIRs (missing DIRs are skipped), one process per
# file, each file whole: libFuzzer does not cut a file named on its command
# line to -max_len. Prints one line per failing input with libFuzzer's or
# the property's verdict, and exits 1 if any crashed, leaked, timed out,
# ran out of memory or broke a property. Used by `make fuzz-regress`.
set -eu
bin=$1 artifacts=$2 limits=$3
shift 3
name=$(basename "$bin")
list=$(mktemp)
log=$(mktemp)
trap 'rm -f "$list" "$log"' EXIT
for d in "$@"; do
	if [ -d "$d" ]; then find "$d" -type f ! -name README.md; fi
done | sort >"$list"
total=0 failed=0
while IFS= read -r input; do
	total=$((total + 1))
	# shellcheck disable=SC2086 # LIMITS is a list of flags
	if "$bin" $limits -artifact_prefix="$artifacts/" "$input" >"$log" 2>&1; then
		continue
	fi
	failed=$((failed + 1))
	verdict=$(grep -m 1 -E '^==fuzz property|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error' "$log" || tail -n 1 "$log")
	echo "FAIL $name $input: $verdict"
	cp "$log" "$artifacts/regress-$(basename "$input").log"
done <"$list"
echo "== fuzz-regress $name: $((total - failed)) of $total inputs pass"
[ "$failed" -eq 0 ]
