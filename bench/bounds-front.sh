#!/bin/sh
# bounds-front.sh - time and peak memory of the front end (lexer, resolver,
# checker's evaluation, vars loader) against input size, for the input
# classes of issue 9 that used to blow up:
#
#   doubling   26 lines `d0 = d1 + d1`, ..., `d26 = [logs]`: each definition
#              used twice by the one above it (2^26 evaluations before)
#   set-chain  `d0 = d1`, `d1 = d2`, ... endpoint sets (segfaulted at 100k)
#   value-chain `c0 = c1`, ... plain values (E0214 "loop" beyond 64 before)
#   overlap    n subnets, 64 to a /24, covering their /16 (an n-sized array and
#              an O(n) free-range search per overlap before)
#   json-vars  a --vars JSON file with n keys (quadratic key search before)
#   yaml-vars  the same as YAML
#   params-vars n parameters and a YAML file setting each (every variable
#              compared with every parameter before)
#   tags       one `tags` map of n entries (every key compared with every
#              earlier one before)
#
# Usage: sh bench/bounds-front.sh [path/to/sgc] [class...]
# Prints one line per run: class, size, exit status, seconds, peak RSS (MB),
# diagnostics printed (text output stops at 50). Each run has a 60 s hang
# guard (timeout) and a 4 GB address-space cap (ULIMIT_KB; 0 for none, as an
# ASan build needs); no run should come near either. Not a test: nothing
# here asserts on time (tests/unit/test_resolve_check.c and test_vars.c test
# the bounds).
set -u
sgc=${1:-build/release/sgc}
[ $# -gt 0 ] && shift
classes=${*:-doubling set-chain value-chain overlap json-vars yaml-vars params-vars tags}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# An environment around one network; $1 is the network's `cidr`, $2 its
# endpoints line, and stdin more lines for the network body.
env_file() {
	printf 'environment e {\n  region = "us-east-1"\n  network vpc {\n'
	printf '    cidr = %s\n    isolation = isolated\n' "$1"
	cat
	printf '%s\n  }\n}\n' "$2"
}

gen_doubling() { # depth
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "d%d = d%d + d%d\n", i, i + 1, i + 1;
		printf "d%d = [logs]\n", n }'
	echo '    subnet a { cidr = 10.0.1.0/24  zone = a }' |
		env_file 10.0.0.0/16 '    endpoints = d0'
}

gen_set_chain() { # length
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "d%d = d%d\n", i, i + 1;
		printf "d%d = [logs]\n", n }'
	echo '    subnet a { cidr = 10.0.1.0/24  zone = a }' |
		env_file 10.0.0.0/16 '    endpoints = d0'
}

gen_value_chain() { # length
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "c%d = c%d\n", i, i + 1;
		printf "c%d = 10.0.0.0/16\n", n }'
	echo '    subnet a { cidr = 10.0.1.0/24  zone = a }' | env_file c0 ''
}

gen_overlap() { # subnets
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "    subnet s%d { cidr = 10.0.%d.0/24  zone = a }\n", i, i % 256 }' |
		env_file 10.0.0.0/16 ''
}

gen_params() { # parameters
	awk -v n="$1" 'BEGIN { printf "environment e {\n  region = \"us-east-1\"\n";
		for (i = 0; i < n; i++) printf "  param p%d: string = \"x\"\n", i; printf "}\n" }'
}

gen_tags() { # entries
	awk -v n="$1" 'BEGIN { printf "environment e {\n  region = \"us-east-1\"\n  tags = {\n";
		for (i = 0; i < n; i++) printf "    key_%d: \"value\",\n", i; printf "  }\n}\n" }'
}

gen_json_vars() { # keys
	awk -v n="$1" 'BEGIN { printf "{\n"; for (i = 0; i < n; i++)
		printf "  \"key_%d\": \"value %d\"%s\n", i, i, i + 1 < n ? "," : ""; printf "}\n" }'
}

gen_yaml_vars() { # keys
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "key_%d: value %d\n", i, i }'
}

# run CLASS SIZE COMMAND...: one line of the table.
run() {
	class=$1 size=$2
	shift 2
	(
		[ "${ULIMIT_KB:-4194304}" = 0 ] || ulimit -v "${ULIMIT_KB:-4194304}"
		exec timeout 60 /usr/bin/time -f '%e %M' -o "$dir/time" "$@" >/dev/null 2>"$dir/err"
	)
	status=$?
	# time(1) puts "Command exited with non-zero status N" first; the numbers are last.
	last=$(tail -n 1 "$dir/time" 2>/dev/null)
	case $last in
	[0-9]*' '[0-9]*) secs=${last% *} kb=${last#* } ;;
	*) secs='?' kb=0 ;;
	esac
	ndiag=$(grep -c '^[^ ]*: \(error\|warning\)\[' "$dir/err")
	[ "$status" -eq 124 ] && secs='>60'
	[ "$status" -gt 128 ] && secs="$secs (signal $((status - 128)))"
	printf '%-12s %8s  exit %3s  %8s s  %7s MB  %6s diagnostics\n' "$class" "$size" "$status" \
		"$secs" "$((kb / 1024))" "$ndiag"
}

printf '%-12s %8s  %8s  %10s  %10s  %s\n' class size status time 'peak RSS' ''
for class in $classes; do
	case $class in
	doubling)
		for n in 10 14 18 22 26; do
			gen_doubling "$n" >"$dir/in.sgl"
			run doubling "$n" "$sgc" check "$dir/in.sgl"
		done ;;
	set-chain)
		for n in 1000 10000 50000 100000; do
			gen_set_chain "$n" >"$dir/in.sgl"
			run set-chain "$n" "$sgc" check "$dir/in.sgl"
		done ;;
	value-chain)
		for n in 65 1000 10000 100000; do
			gen_value_chain "$n" >"$dir/in.sgl"
			run value-chain "$n" "$sgc" check "$dir/in.sgl"
		done ;;
	overlap)
		for n in 1000 2000 4000 8000 16000; do
			gen_overlap "$n" >"$dir/in.sgl"
			run overlap "$n" "$sgc" check "$dir/in.sgl"
		done ;;
	json-vars | yaml-vars)
		ext=${class%-vars}
		for n in 5000 10000 20000 40000; do
			"gen_${ext}_vars" "$n" >"$dir/vars.$ext"
			run "$class" "$n" "$sgc" build examples/isolated-network.sgl \
				--vars "$dir/vars.$ext" -o "$dir/out.json"
		done ;;
	params-vars)
		for n in 5000 10000 20000 40000; do
			gen_params "$n" >"$dir/in.sgl"
			awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "p%d: y\n", i }' >"$dir/vars.yaml"
			run params-vars "$n" "$sgc" build "$dir/in.sgl" --vars "$dir/vars.yaml" -o "$dir/out.json"
		done ;;
	tags)
		for n in 12500 25000 50000 100000; do
			gen_tags "$n" >"$dir/in.sgl"
			run tags "$n" "$sgc" check "$dir/in.sgl"
		done ;;
	*)
		echo "unknown class $class" >&2
		exit 2 ;;
	esac
done
