#!/bin/sh
# bench/bounds-diag.sh - rendering diagnostics stays linear in time and
# bounded in memory, in every format.
#
#   sh bench/bounds-diag.sh [path/to/sgc]      (default build/release/sgc)
#
# Two input shapes, each a file of stray `@` characters (E0103 each):
#   lines: N lines of one `@`           N = 1k, 10k, 100k, 1M
#   line:  one line of N `@ `           N = 10k, 25k, 50k, 100k, 200k
# and for each, `sgc check --format F` for text, json, sarif and github.
# Printed per run: wall seconds, peak RSS (from /usr/bin/time) and bytes
# written. What to look for: seconds grow in proportion to N (not N^2);
# peak RSS grows with the input only (the sink keeps at most
# DIAG_SINK_MAX diagnostics, each format writes at most DIAG_MACHINE_CAP
# per file, text at most 50), so it flattens once N passes 100k; bytes
# written stop growing at the caps; one long line costs no more than many
# short ones. Each run is limited to 60 s; a run that hits the limit is
# shown as `timeout`.
set -eu
sgc=${1:-build/release/sgc}
[ -x "$sgc" ] || { echo "bounds-diag: no sgc at $sgc (run make first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bounds-diag: needs /usr/bin/time" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# gen SHAPE N FILE
gen() {
	case $1 in
	lines) awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) print "@" }' >"$3" ;;
	line) awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "@ "; print "" }' >"$3" ;;
	esac
}

# run SHAPE N FORMAT FILE: one row
run() {
	status=0
	/usr/bin/time -f '%e %M' -o "$dir/time" timeout 60 \
		"$sgc" check --color=never --format "$3" "$4" >"$dir/out" 2>"$dir/err" || status=$?
	if [ "$status" -eq 124 ]; then
		printf '%-6s %8s %-7s %10s\n' "$1" "$2" "$3" timeout
		return
	fi
	# /usr/bin/time puts "Command exited with non-zero status 1" first
	read -r secs kb <<EOF
$(tail -n 1 "$dir/time")
EOF
	if [ "$3" = text ]; then out="$dir/err"; else out="$dir/out"; fi
	bytes=$(wc -c <"$out")
	awk -v shape="$1" -v n="$2" -v fmt="$3" -v secs="$secs" -v kb="$kb" -v bytes="$bytes" \
		'BEGIN { printf "%-6s %8s %-7s %10.2f %10.1f %12s\n", shape, n, fmt, secs, kb / 1024, bytes }'
}

printf '%-6s %8s %-7s %10s %10s %12s\n' shape N format seconds "RSS MB" "bytes out"
for shape_sizes in "lines 1000 10000 100000 1000000" "line 10000 25000 50000 100000 200000"; do
	set -- $shape_sizes
	shape=$1
	shift
	for n in "$@"; do
		gen "$shape" "$n" "$dir/in.sgl"
		for fmt in text json sarif github; do
			run "$shape" "$n" "$fmt" "$dir/in.sgl"
		done
	done
done
