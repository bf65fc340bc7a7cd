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
 * The source "lives" in the sandbox of fuzz_common.h: file("...") reads
 * only the few scripts there, never the machine's files.
 *
 * Properties: json-deterministic (above), and bom-skipped: an input that
 * starts with a UTF-8 byte-order mark compiles as the same text without it
 * (issue 9: it was refused, with an invisible character in the message).
 *
 *   make fuzz FUZZ_SECONDS=60       (every target; tests/fuzz/README.md)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "emit.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static void check_bom(const char *text, size_t size, const struct compile *c, bool ok)
{
	static const char bom[] = "\xEF\xBB\xBF";
	/* One mark is skipped; a second one right after it is text, and an error. */
	if (size < 3 || memcmp(text, bom, 3) != 0 || (size >= 6 && memcmp(text + 3, bom, 3) == 0))
		return;
	struct compile d;
	compile_init(&d);
	bool ok_d = fuzz_compile_text(&d, fuzz_source_path(), text + 3, size - 3);
	if (ok != ok_d)
		fuzz_fail("bom-skipped", "the text %s with a byte-order mark, %s without",
			  ok ? "compiles" : "fails", ok_d ? "compiles" : "fails");
	else if (ok && (c->json_len != d.json_len || memcmp(c->json, d.json, d.json_len) != 0))
		fuzz_fail("bom-skipped", "a byte-order mark changes the template");
	compile_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compile c;
	compile_init(&c);
	bool ok = fuzz_compile_text(&c, fuzz_source_path(), (const char *)data, size);
	check_bom((const char *)data, size, &c, ok);

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
			fuzz_fail("json-deterministic", "a second emit_json differs");
		free(again);
	}
	compile_free(&c);
	return 0;
}
