/*
 * fuzz_fmt.c - libFuzzer target for the formatter's promises (fmt.h),
 * through its public function only: the scanner behind it may change.
 *
 * For any input: fmt_source() returns (no crash, no leak, no hang).
 * For any input it formats:
 *   fmt-idempotent       fmt(fmt(x)) == fmt(x), byte for byte;
 *   fmt-keeps-validity   fmt(x) compiles exactly when x does;
 *   fmt-keeps-diagnostics  the same codes, as many times each (positions move);
 *   fmt-keeps-template   when x compiles, the template and every file beside it
 *                        are byte-identical.
 * For any input that compiles:
 *   fmt-accepts-valid    fmt_source() formats it (`sgc fmt` refuses only
 *                        what does not parse).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "compile.h"
#include "fmt.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static const char *format(struct arena *a, const char *text, size_t len, size_t *out_len)
{
	fuzz_guard_on();
	const char *out = fmt_source(a, text, len, out_len);
	fuzz_guard_off();
	return out;
}

static size_t first_difference(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	return i;
}

static void check_idempotent(struct arena *a, const char *once, size_t n1)
{
	size_t n2 = 0;
	const char *twice = format(a, once, n1, &n2);
	if (!twice) {
		fuzz_fail("fmt-idempotent", "fmt's own output does not format");
		return;
	}
	if (n1 != n2 || memcmp(once, twice, n1) != 0)
		fuzz_fail("fmt-idempotent", "fmt(fmt(x)) differs from fmt(x) at byte %zu",
			  first_difference(once, n1, twice, n2));
}

/* Diagnostic codes in source order, as one string ("E0302 W0701 ..."), in the arena. */
static const char *codes(struct compile *c)
{
	size_t n, dropped;
	const struct diag **all = diag_sorted(&c->diags, 0, &n, &dropped);
	unsigned count[DIAG_CODE_COUNT] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[all[i]->code]++;
	const char *s = "";
	for (size_t k = 0; k < DIAG_CODE_COUNT; k++)
		if (count[k])
			s = arena_printf(c->arena, "%s %s*%u", s, diag_code_name((enum diag_code)k),
					 count[k]);
	return s;
}

static void check_same_files(const struct cfn_template *x, const struct cfn_template *y)
{
	if (x->files.n != y->files.n)
		fuzz_fail("fmt-keeps-template", "%zu files beside the template, %zu once formatted",
			  x->files.n, y->files.n);
	for (size_t i = 0; i < x->files.n && i < y->files.n; i++) {
		const struct cfn_file *f = x->files.items[i], *g = y->files.items[i];
		if (strcmp(f->path, g->path) != 0 || f->len != g->len ||
		    memcmp(f->text, g->text, f->len) != 0 || f->executable != g->executable)
			fuzz_fail("fmt-keeps-template", "`%s` differs once formatted", f->path);
	}
}

/*
 * The template with every source location a suppression's reason quotes,
 * `(FILE.sgl:LINE)` or `(FILE.sgl:LINE: `the line`)`, written `(FILE.sgl:#)`.
 * Such a reason names the .sgl line that turned a default off
 * (docs/compliance.md), and formatting moves and respaces lines: that is the
 * one difference fmt may make to a template.
 */
static const char *without_locations(struct arena *a, const char *json, size_t len, size_t *out_len)
{
	static const char mark[] = ".sgl:";
	const size_t m = sizeof mark - 1;
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t k = i + m;
		if (len - i > m && memcmp(json + i, mark, m) == 0 && k < len && json[k] >= '0' &&
		    json[k] <= '9') {
			while (k < len && json[k] >= '0' && json[k] <= '9')
				k++;
			if (len - k > 3 && memcmp(json + k, ": `", 3) == 0) {
				const char *close = NULL;
				/* To the last "`)" of this JSON string (escapes skipped). */
				for (size_t q = k + 3; q + 1 < len && json[q] != '"'; q++) {
					if (json[q] == '\\')
						q++;
					else if (json[q] == '`' && json[q + 1] == ')')
						close = json + q + 1;
				}
				if (close)
					k = (size_t)(close - json);
			}
			memcpy(out + o, ".sgl:#", 6);
			o += 6;
			i = k;
			continue;
		}
		out[o++] = json[i++];
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static void check_same_meaning(struct compile *x, bool ok_x, const char *formatted, size_t n)
{
	struct compile y;
	compile_init(&y);
	bool ok_y = fuzz_compile_text(&y, fuzz_source_path(), formatted, n);
	if (ok_x != ok_y)
		fuzz_fail("fmt-keeps-validity", "the input %s, its formatted text %s",
			  ok_x ? "compiles" : "does not compile", ok_y ? "does" : "does not");
	const char *cx = codes(x), *cy = codes(&y);
	if (strcmp(cx, cy) != 0)
		fuzz_fail("fmt-keeps-diagnostics", "codes [%s] became [%s]", cx, cy);
	if (ok_x && ok_y) {
		struct arena *a = arena_new();
		size_t nx, ny;
		const char *tx = without_locations(a, x->json, x->json_len, &nx);
		const char *ty = without_locations(a, y.json, y.json_len, &ny);
		if (nx != ny || memcmp(tx, ty, nx) != 0)
			fuzz_fail("fmt-keeps-template", "the template differs at byte %zu",
				  first_difference(tx, nx, ty, ny));
		arena_free(a);
		check_same_files(x->tmpl, y.tmpl);
	}
	compile_free(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct compile x;
	compile_init(&x);
	bool ok_x = fuzz_compile_text(&x, fuzz_source_path(), text, size);

	struct arena *a = arena_new();
	size_t n = 0;
	const char *once = format(a, text, size, &n);
	if (!once && ok_x)
		fuzz_fail("fmt-accepts-valid", "an input that compiles is not formatted");
	if (once) {
		check_idempotent(a, once, n);
		check_same_meaning(&x, ok_x, once, n);
	}
	arena_free(a);
	compile_free(&x);
	return 0;
}
