#!/bin/sh
# Bounds of the command line's own work (issue 9), for growing inputs:
#
#   walk      `sgc check DIR` over N small files, with two symlinks to `.`
#             and a hard link to every file (each file checked once): time
#             and memory grow linearly with N, and the links add nothing.
#   manifest  `sgc build -o OUT` where OUT's previous manifest has M lines
#             (entries sgc must validate and may not act on): linear in M.
#   input     `sgc check` on a file of S MiB (comment lines), up to the
#             64 MiB limit: linear in S.
#
# Prints one line per size: elapsed seconds and peak RSS (KiB), from
# /usr/bin/time (GNU) or, without it, bash's `time` (elapsed only).
# Usage: sh bench/bounds-cli.sh [path/to/sgc]   (each run well under a minute)
set -u
sgc=${1:-build/release/sgc}
case "$sgc" in /*) ;; *) sgc="$PWD/$sgc" ;; esac
good=examples/isolated-network.sgl
nb=examples/private-notebook-codeartifact.sgl
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

measure() { # measure LABEL COMMAND...: "LABEL  seconds  peak-RSS-KiB"
	label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>&1
		read -r secs rss <"$dir/time"
	else
		start=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		secs=$(echo "$(date +%s.%N) - $start" | bc)
		rss=-
	fi
	printf '%-28s %8s s %10s KiB\n' "$label" "$secs" "$rss"
}

echo "== walk: sgc check DIR (N files, each also hard-linked, two links to .)"
for n in 1000 4000 16000; do
	w="$dir/walk$n"
	mkdir -p "$w/sub"
	ln -s . "$w/loop1"
	ln -s . "$w/loop2"
	awk -v n="$n" -v w="$w" 'BEGIN { for (i = 0; i < n; i++) {
		f = w "/f" i ".sgl"; printf "environment e%d {\n  region = \"us-east-1\"\n  kms_key data {}\n}\n", i > f; close(f) } }'
	find "$w" -maxdepth 1 -name '*.sgl' -exec ln -t "$w/sub" {} +
	measure "N=$n" "$sgc" check --format json "$w"
	rm -rf "$w"
done

echo "== manifest: sgc build -o OUT, previous manifest of M entries"
for m in 10000 100000 1000000; do
	o="$dir/man$m"
	mkdir -p "$o"
	"$sgc" build "$nb" -o "$o/stack.json" 2>/dev/null
	awk -v m="$m" 'BEGIN { for (i = 0; i < m; i++) printf "lifecycle/gone-%d.sh\n", i }' \
		>"$o/stack.json.sgc-manifest"
	measure "M=$m" "$sgc" build "$nb" -o "$o/stack.json"
	rm -rf "$o"
done

echo "== input: sgc check FILE of S MiB"
for s in 8 16 32 64; do
	f="$dir/in$s.sgl"
	cp "$good" "$f"
	pad=$((s * 1048576 - $(wc -c <"$good")))
	awk -v n="$pad" 'BEGIN { line = "#"; while (length(line) < 1023) line = line "x";
		for (; n >= 1024; n -= 1024) print line; t = "#"; while (length(t) < n - 1) t = t "x"; if (n) print t }' >>"$f"
	measure "S=${s} MiB" "$sgc" check "$f"
	rm -f "$f"
done
