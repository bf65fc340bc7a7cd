/*
 * fuzz_fmtdiff.c - libFuzzer target of the differential test: for any
 * input, the old formatter (fmt_old.c) and the new one (fmt.c) print the
 * same bytes, or both refuse. `make fuzz-run-fmtdiff FUZZ_SECONDS=N`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fmt.h"
#include "fmt_old.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct arena *a = arena_new();
	size_t n = 0, m = 0;
	const char *out = fmt_source(a, text, size, &n);
	const char *was = fmt_old_source(a, text, size, &m);
	if (!out != !was || (out && (n != m || memcmp(out, was, n) != 0))) {
		fprintf(stderr, "==fuzz property fmt-differential failed: %s\n",
			!out != !was ? (out ? "only the new formatter formats it"
					    : "only the old formatter formats it")
				     : "the outputs differ");
		abort();
	}
	arena_free(a);
	return 0;
}
