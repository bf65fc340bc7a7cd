/*
 * fuzz_compile.c - libFuzzer target for the whole pipeline.
 *
 * Each input is one source text run through compile_text() up to
 * lowering, its diagnostics rendered as `sgc` renders them, and the
 * template (when one came out) through the JSON emitter once more: the
 * same path as `sgc build`, plus a determinism check. Nothing survives from one run to the next; a compile
 * owns one arena and compile_free() releases it, so LeakSanitizer sees
 * every leak a compile could cause.
 *
 *   make fuzz FUZZ_SECONDS=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "emit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compile c;
	compile_init(&c);
	compile_text(&c, "fuzz.sgl", (const char *)data, size, COMPILE_LOWER);

	/* The renderer walks spans back to lines and columns: fuzz it too. */
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		struct diag_render_opts ro = { .color = size & 1, .cap = 50 };
		diag_render_text(sink, &c.diags, &c.src, &ro);
		fclose(sink);
	}

	/*
	 * compile_text() leaves the JSON in c.json. Emitting is a pure
	 * function of the template, so a second emit must match it byte for
	 * byte (golden tests and `sgc build` rely on that).
	 */
	if (c.tmpl) {
		size_t len = 0;
		char *again = emit_json(c.tmpl, &len);
		if (again && c.json &&
		    (len != c.json_len || memcmp(again, c.json, len) != 0))
			abort();
		free(again);
	}
	compile_free(&c);
	return 0;
}
