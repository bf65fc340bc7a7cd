#!/bin/sh
# bench/bounds-files.sh - the bounds of issue 9's "files" part, measured:
# time and peak RSS of `sgc check` against input size, for the inputs
# that part made the compiler do more work on.
#
#   notebooks  N notebooks with lifecycle scripts (physical-name checks:
#              configuration names, script files, per notebook)
#   spaces     N spaces with remote access and an owner, over N/10 studios
#              (helper files checked across the environment; owners looked up)
#   steps      one script with N file() steps reading the same 6 KB file:
#              the script fails E0501 with its size, but past 12288 bytes
#              it keeps no text (flat RSS), and each read is bounded
#   path       one file() whose path is N components `./` then `a/..`
#              (the walk; paths longer than PATH_MAX are refused unread)
#
# Usage: sh bench/bounds-files.sh [path/to/sgc]   (default build/release/sgc)
# Linear means: doubling N about doubles the time, and RSS grows at most
# linearly. Each run is capped with a generous timeout as a hang guard.
set -u
sgc=${1:-build/release/sgc}
case "$sgc" in /*) ;; *) sgc="$PWD/$sgc" ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

head() {
	cat <<EOF
import std.endpoints
import std.lifecycle
environment bench {
  region = "us-east-1"
  network vpc {
    cidr = 10.0.0.0/16
    isolation = isolated
    subnet private_a { cidr = 10.0.1.0/24 zone = a }
    endpoints = std.endpoints.notebook + std.endpoints.studio + std.endpoints.remote_access + [logs]
  }
EOF
}

gen_notebooks() {
	head
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "  notebook nb%d { instance = ml.t3.medium subnet = vpc.private_a on_start = std.lifecycle.git_config(\"a\", \"b\") }\n", i }'
	echo "}"
}

gen_spaces() {
	head
	awk -v n="$1" 'BEGIN { for (s = 0; s < n / 10; s++) {
		printf "  studio st%d {\n    subnets = [vpc.private_a]\n    user u%d {}\n", s, s
		for (i = 0; i < 10; i++)
			printf "    space sp%d_%d { app = code_editor instance = ml.t3.large remote_access = true owner = u%d }\n", s, i, s
		printf "  }\n" } }'
	echo "}"
}

gen_steps() {
	head
	printf '  notebook nb { instance = ml.t3.medium subnet = vpc.private_a on_start = ['
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "file(\"s.sh\"), " }'
	echo 'file("s.sh")] }'
	echo "}"
}

gen_path() {
	head
	printf '  notebook nb { instance = ml.t3.medium subnet = vpc.private_a on_start = file("'
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf (i % 2 ? "./" : "a/../") }'
	echo 's.sh") }'
	echo "}"
}

mkdir -p "$dir/a"
awk 'BEGIN { for (i = 0; i < 500; i++) print "echo line " i }' >"$dir/s.sh"

# measure CLASS N: one line with the input size, seconds and peak RSS (KiB).
measure() {
	"gen_$1" "$2" >"$dir/in.sgl"
	bytes=$(wc -c <"$dir/in.sgl")
	/usr/bin/time -f '%e %M' -o "$dir/time" timeout 120 "$sgc" check "$dir/in.sgl" \
		>/dev/null 2>"$dir/err"
	status=$?
	read -r secs rss <<EOF
$(tail -n 1 "$dir/time")
EOF
	[ "$status" -eq 124 ] && secs="timeout"
	printf '%-10s %8s %10s %8s s %9s KiB  exit %s  %s\n' "$1" "$2" "$bytes" "$secs" "$rss" "$status" "$(grep -o "error\[E[0-9]*\]" "$dir/err" | sort | uniq -c | tr -s " " | tr "\n" " ")"
}

printf '%-10s %8s %10s %10s %13s\n' class N bytes time "peak RSS"
for n in 1000 2000 4000 8000 16000; do measure notebooks "$n"; done
for n in 1000 2000 4000 8000 16000; do measure spaces "$n"; done
for n in 1000 2000 4000 8000 16000; do measure steps "$n"; done
for n in 100 200 400 800 1600 100000; do measure path "$n"; done
