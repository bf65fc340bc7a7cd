#!/bin/sh
# run.sh FMTDIFF MODE GOLDENS - the formatter's differential test over
# every .sgl of the repository (examples/, tests/**, stdlib/), the fuzz
# inputs kept in git (tests/fuzz/seeds/**, regress/**, crashes/**), the
# large reproducers regress-gen.sh writes (build/fuzz-regress/sgl) and,
# when there is one and MODE is not `record`, the fuzz corpus of fuzz_fmt
# (build/fuzz-corpus/fmt: not in git, so no golden is kept for it).
# fmtdiff.c says what each MODE compares.
set -eu
bin=$1
mode=$2
shift 2
{
	find examples tests stdlib -name '*.sgl' -type f
	find tests/fuzz/seeds tests/fuzz/regress tests/fuzz/crashes -type f
	[ -d build/fuzz-regress/sgl ] && find build/fuzz-regress/sgl -type f
	[ "$mode" != record ] && [ -d build/fuzz-corpus/fmt ] && find build/fuzz-corpus/fmt -type f
	true
} | LC_ALL=C sort -u | "$bin" "$mode" "$@"
