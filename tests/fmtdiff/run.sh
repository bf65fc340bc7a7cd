#!/bin/sh
# run.sh FMTDIFF MODE [GOLDENS] - the formatter's differential test over
# every .sgl of the repository (examples/, tests/**, stdlib/), the fuzz
# inputs kept in git (tests/fuzz/seeds/**, regress/**, crashes/**), the
# large reproducers regress-gen.sh writes (build/fuzz-regress/sgl) and,
# when there is one, the fuzz corpus of fuzz_fmt (build/fuzz-corpus/fmt).
# fmtdiff.c says what each MODE compares.
set -eu
bin=$1
shift
{
	find examples tests stdlib -name '*.sgl' -type f
	find tests/fuzz/seeds tests/fuzz/regress tests/fuzz/crashes -type f
	for d in build/fuzz-regress/sgl build/fuzz-corpus/fmt; do
		[ -d "$d" ] && find "$d" -type f
	done
} | LC_ALL=C sort -u | "$bin" "$@"
