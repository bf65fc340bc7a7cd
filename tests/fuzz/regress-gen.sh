#!/bin/sh
# regress-gen.sh OUTDIR - write issue 9's large reproducers, too big to
# keep in git, as regression inputs for `make fuzz-regress`:
#   OUTDIR/sgl/definitions-chain-100000.sgl  d0 = d1 ... (a segfault: recursion depth)
#   OUTDIR/sgl/subnets-overlapping-16000.sgl one /24 sixteen thousand times (2 GB)
#   OUTDIR/sgl/line-5000-diagnostics.sgl     5,000 unknown services on one line
#                                            (each located from the line start)
#   OUTDIR/vars/json-40000-keys.json         a variables file of 40,000 keys (97 s)
# The small reproducers live in tests/fuzz/regress/ itself.
set -eu
out=$1
mkdir -p "$out/sgl" "$out/vars"

network_head='environment e {
  region = "us-east-1"
  network vpc {
    cidr      = 10.0.0.0/16
    isolation = isolated'

awk -v head="$network_head" 'BEGIN {
	n = 100000
	print "import std.endpoints\n"
	for (i = 0; i < n; i++) printf "d%d = d%d\n", i, i + 1
	printf "d%d = [logs]\n\n%s\n", n, head
	print "    subnet a { cidr = 10.0.1.0/24  zone = a }\n    endpoints = d0\n  }\n}"
}' >"$out/sgl/definitions-chain-100000.sgl"

awk -v head="$network_head" 'BEGIN {
	print head
	for (i = 0; i < 16000; i++) printf "    subnet s%d { cidr = 10.0.1.0/24  zone = a }\n", i
	print "  }\n}"
}' >"$out/sgl/subnets-overlapping-16000.sgl"

awk -v head="$network_head" 'BEGIN {
	print head
	print "    subnet a { cidr = 10.0.1.0/24  zone = a }"
	printf "    endpoints = [x0"
	for (i = 1; i < 5000; i++) printf ", x%d", i
	print "]\n  }\n}"
}' >"$out/sgl/line-5000-diagnostics.sgl"

awk 'BEGIN {
	printf "{"
	for (i = 0; i < 40000; i++) printf "%s\"key_%d\": \"v\"", i ? ", " : "", i
	print "}"
}' >"$out/vars/json-40000-keys.json"
