/*
 * test_diag.c - unit tests for compiler/diag.c: diagnostics as values
 * (levels from the code letter, code names and titles), ordering and
 * de-duplication for output, --deny warnings, `sgc: allow` comments, the
 * bound on what a sink keeps, and the rustc-style text rendering compared
 * byte for byte: control characters escaped, long lines shown as a window,
 * one write per diagnostic.
 */
#define _GNU_SOURCE /* fopencookie, to count writes */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "src.h"

struct fixture {
	struct arena *arena;
	struct src_map map;
	struct diag_sink sink;
};

static int setup(void **state)
{
	static struct fixture fx;
	fx.arena = arena_new();
	src_map_init(&fx.map, fx.arena);
	diag_sink_init(&fx.sink, fx.arena);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	arena_free(fx->arena);
	return 0;
}

static struct span sp(uint32_t file, uint32_t lo, uint32_t hi)
{
	struct span s = { file, lo, hi };
	return s;
}

/* Render the sink to a string (malloc'd; the caller frees). */
static char *render(struct fixture *fx, bool color, size_t cap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	struct diag_render_opts o = { .color = color, .cap = cap };
	diag_render_text(out, &fx->sink, &fx->map, &o);
	fclose(out);
	return buf;
}

static void assert_rendered(struct fixture *fx, const char *want)
{
	char *got = render(fx, false, 0);
	if (strcmp(got, want) != 0) {
		print_error("--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* ---- codes and levels ---- */

static void test_level_from_code_letter(void **state)
{
	struct fixture *fx = *state;

	struct diag *e = diag_add(&fx->sink, DIAG_E0305, sp(0, 0, 1), "e %d", 1);
	struct diag *w = diag_add(&fx->sink, DIAG_W0307, sp(0, 0, 1), "w");
	struct diag *w2 = diag_add(&fx->sink, DIAG_W0405, sp(0, 0, 1), "w");
	assert_int_equal(e->level, DIAG_ERROR);
	assert_int_equal(w->level, DIAG_WARNING);
	assert_int_equal(w2->level, DIAG_WARNING);
	assert_string_equal(e->msg, "e 1");
	assert_int_equal(fx->sink.nerrors, 1);
	assert_int_equal(fx->sink.nwarnings, 2);
	assert_true(diag_has_errors(&fx->sink));
}

static void test_warnings_only_is_not_error(void **state)
{
	struct fixture *fx = *state;

	assert_false(diag_has_errors(&fx->sink));
	diag_add(&fx->sink, DIAG_W0310, sp(0, 0, 1), "w");
	assert_false(diag_has_errors(&fx->sink));
	assert_int_equal(fx->sink.nwarnings, 1);
}

/* Every code: name parses back to itself, level follows its first letter. */
static void test_code_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		const char *name = diag_code_name((enum diag_code)i);
		assert_non_null(name);
		assert_int_equal(strlen(name), 5);
		assert_true(name[0] == 'E' || name[0] == 'W' || name[0] == 'N');
		for (int k = 1; k < 5; k++)
			assert_true(name[k] >= '0' && name[k] <= '9');
		enum diag_code back = DIAG_CODE_COUNT;
		assert_true(diag_code_parse(name, &back));
		assert_int_equal(back, i);
		assert_int_equal(diag_code_level((enum diag_code)i),
				 name[0] == 'W' ? DIAG_WARNING : name[0] == 'N' ? DIAG_NOTE : DIAG_ERROR);
		const char *title = diag_code_title((enum diag_code)i);
		assert_non_null(title);
		assert_true(strlen(title) > 0);
		assert_true(title[strlen(title) - 1] != '.');
	}
}

static void test_code_names_are_unique(void **state)
{
	(void)state;
	for (int i = 0; i < DIAG_CODE_COUNT; i++)
		for (int j = i + 1; j < DIAG_CODE_COUNT; j++)
			assert_string_not_equal(diag_code_name((enum diag_code)i),
						diag_code_name((enum diag_code)j));
}

static void test_code_known_values(void **state)
{
	(void)state;
	enum diag_code c;

	assert_string_equal(diag_code_name(DIAG_E0001), "E0001");
	assert_string_equal(diag_code_name(DIAG_W0307), "W0307");
	assert_string_equal(diag_code_title(DIAG_E0306), "subnets overlap");
	assert_true(diag_code_parse("E0201", &c));
	assert_int_equal(c, DIAG_E0201);
	assert_false(diag_code_parse("E9999", &c));
	assert_false(diag_code_parse("e0201", &c));
	assert_false(diag_code_parse("", &c));
	assert_false(diag_code_parse("W0306", &c)); /* right number, wrong letter */
	assert_null(diag_code_name(DIAG_CODE_COUNT));
	assert_null(diag_code_title(DIAG_CODE_COUNT));
}

/*
 * diag_codes.def promises that docs/diagnostics.md documents every code.
 * The unit tests run from the repository root (make unit).
 */
static void test_every_code_documented(void **state)
{
	(void)state;
	FILE *f = fopen("docs/diagnostics.md", "r");
	if (!f) {
		/* Not written yet; the check turns on as soon as it exists. */
		skip();
	}
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(f);
	fclose(mem);
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		const char *name = diag_code_name((enum diag_code)i);
		if (!strstr(text, name)) {
			free(text);
			fail_msg("%s is not documented in docs/diagnostics.md", name);
		}
	}
	free(text);
}

/* ---- building a diagnostic ---- */

static void test_labels_notes_help(void **state)
{
	struct fixture *fx = *state;
	struct diag *d = diag_add(&fx->sink, DIAG_E0202, sp(0, 5, 6), "dup");

	diag_label(&fx->sink, d, "second %s", "one");
	diag_help(&fx->sink, d, "first help");
	diag_help(&fx->sink, d, "rename `%s`", "a"); /* the last help wins */
	for (int i = 0; i < DIAG_MAX_LABELS + 2; i++)
		diag_secondary(&fx->sink, d, sp(0, (uint32_t)i, (uint32_t)i + 1), "s%d", i);
	for (int i = 0; i < DIAG_MAX_NOTES + 2; i++)
		diag_note(&fx->sink, d, "n%d", i);

	assert_string_equal(d->label, "second one");
	assert_string_equal(d->help, "rename `a`");
	assert_int_equal(d->nsecondary, DIAG_MAX_LABELS);
	assert_string_equal(d->secondary[DIAG_MAX_LABELS - 1].text, "s3");
	assert_int_equal(d->secondary[2].span.lo, 2);
	assert_int_equal(d->nnotes, DIAG_MAX_NOTES);
	assert_string_equal(d->notes[0], "n0");
	assert_string_equal(d->notes[DIAG_MAX_NOTES - 1], "n3");
}

static void test_exists_at(void **state)
{
	struct fixture *fx = *state;

	diag_add(&fx->sink, DIAG_E0107, sp(1, 10, 12), "x");
	assert_true(diag_exists_at(&fx->sink, sp(1, 10, 99)));
	assert_false(diag_exists_at(&fx->sink, sp(0, 10, 12)));
	assert_false(diag_exists_at(&fx->sink, sp(1, 11, 12)));
}

static void test_deny_warnings(void **state)
{
	struct fixture *fx = *state;

	struct diag *w = diag_add(&fx->sink, DIAG_W0307, sp(0, 0, 1), "w");
	struct diag *e = diag_add(&fx->sink, DIAG_E0101, sp(0, 1, 2), "e");
	struct diag *w2 = diag_add(&fx->sink, DIAG_W0405, sp(0, 2, 3), "w");
	assert_false(fx->sink.nerrors == 3);
	diag_deny_warnings(&fx->sink);
	assert_int_equal(w->level, DIAG_ERROR);
	assert_int_equal(w2->level, DIAG_ERROR);
	assert_int_equal(e->level, DIAG_ERROR);
	assert_int_equal(fx->sink.nerrors, 3);
	assert_int_equal(fx->sink.nwarnings, 0);
	/* Idempotent. */
	diag_deny_warnings(&fx->sink);
	assert_int_equal(fx->sink.nerrors, 3);
	assert_int_equal(fx->sink.nwarnings, 0);
}

/* ---- ordering ---- */

static void test_sorted_by_file_offset_code(void **state)
{
	struct fixture *fx = *state;
	struct diag_sink *s = &fx->sink;

	diag_add(s, DIAG_E0201, sp(1, 5, 6), "f1@5");
	diag_add(s, DIAG_E0305, sp(0, 30, 31), "f0@30");
	diag_add(s, DIAG_E0306, sp(0, 2, 3), "f0@2 E0306");
	diag_add(s, DIAG_E0101, sp(0, 2, 3), "f0@2 E0101");
	diag_add(s, DIAG_W0307, sp(0, 0, 9), "f0@0");

	size_t n = 0, dropped = 99;
	const struct diag **all = diag_sorted(s, 0, &n, &dropped);
	assert_int_equal(n, 5);
	assert_int_equal(dropped, 0);
	assert_string_equal(all[0]->msg, "f0@0");
	assert_string_equal(all[1]->msg, "f0@2 E0101");
	assert_string_equal(all[2]->msg, "f0@2 E0306");
	assert_string_equal(all[3]->msg, "f0@30");
	assert_string_equal(all[4]->msg, "f1@5");
}

/* Same code and same span is one diagnostic; any difference keeps both. */
static void test_sorted_drops_duplicates(void **state)
{
	struct fixture *fx = *state;
	struct diag_sink *s = &fx->sink;

	diag_add(s, DIAG_E0201, sp(0, 4, 8), "a");
	diag_add(s, DIAG_E0201, sp(0, 4, 8), "a again");
	diag_add(s, DIAG_E0201, sp(0, 4, 8), "a third time");
	diag_add(s, DIAG_E0202, sp(0, 4, 8), "other code");
	diag_add(s, DIAG_E0201, sp(0, 4, 9), "other end");
	diag_add(s, DIAG_E0201, sp(1, 4, 8), "other file");

	size_t n, dropped;
	const struct diag **all = diag_sorted(s, 0, &n, &dropped);
	assert_int_equal(n, 4);
	assert_int_equal(dropped, 0);
	int e0201 = 0, e0202 = 0;
	for (size_t i = 0; i < n; i++) {
		if (all[i]->code == DIAG_E0201)
			e0201++;
		if (all[i]->code == DIAG_E0202)
			e0202++;
	}
	assert_int_equal(e0201, 3);
	assert_int_equal(e0202, 1);
	/* The sink itself is unchanged. */
	assert_int_equal(s->nerrors, 6);
}

static void test_sorted_cap(void **state)
{
	struct fixture *fx = *state;
	struct diag_sink *s = &fx->sink;

	for (uint32_t i = 0; i < 30; i++)
		diag_add(s, DIAG_E0107, sp(0, 100 - i, 101 - i), "%u", 100 - i);
	diag_add(s, DIAG_E0107, sp(0, 100, 101), "dup"); /* not counted as dropped */

	size_t n, dropped;
	const struct diag **all = diag_sorted(s, 20, &n, &dropped);
	assert_int_equal(n, 20);
	assert_int_equal(dropped, 10);
	/* The cap keeps the first ones in source order. */
	assert_string_equal(all[0]->msg, "71");
	assert_string_equal(all[19]->msg, "90");

	all = diag_sorted(s, 0, &n, &dropped);
	assert_int_equal(n, 30);
	assert_int_equal(dropped, 0);
	all = diag_sorted(s, 30, &n, &dropped);
	assert_int_equal(n, 30);
	assert_int_equal(dropped, 0);
}

static void test_sorted_empty(void **state)
{
	struct fixture *fx = *state;
	size_t n = 7, dropped = 7;

	const struct diag **all = diag_sorted(&fx->sink, 0, &n, &dropped);
	assert_non_null(all);
	assert_int_equal(n, 0);
	assert_int_equal(dropped, 0);
}

/* ---- text rendering ---- */

static const char net_src[] =
	"network vpc {\n"
	"  cidr = 10.0.0.0/16\n"
	"}\n";

static void test_render_error_full(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "dir/t.sgl", net_src, strlen(net_src));
	/* `10.0.0.0/16` is bytes 23..34, `vpc` bytes 8..11. */
	struct diag *d = diag_add(&fx->sink, DIAG_E0305, sp(f, 23, 34),
				  "subnet `%s` is outside network `%s`", "a", "vpc");
	diag_label(&fx->sink, d, "not inside");
	diag_secondary(&fx->sink, d, sp(f, 8, 11), "declared here");
	diag_note(&fx->sink, d, "first note");
	diag_note(&fx->sink, d, "second note");
	diag_help(&fx->sink, d, "pick `10.0.1.0/24`");

	assert_rendered(fx,
		"dir/t.sgl:2:10: error[E0305]: subnet `a` is outside network `vpc`\n"
		"  |\n"
		"2 |   cidr = 10.0.0.0/16\n"
		"  |          ^^^^^^^^^^^ not inside\n"
		"  |\n"
		"1 | network vpc {\n"
		"  |         --- declared here\n"
		"  = note: first note\n"
		"  = note: second note\n"
		"  = help: pick `10.0.1.0/24`\n"
		"\n"
		"1 error, 0 warnings\n");
}

static void test_render_warning_minimal(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "t.sgl", net_src, strlen(net_src));
	diag_add(&fx->sink, DIAG_W0310, sp(f, 8, 11), "public range");

	assert_rendered(fx,
		"t.sgl:1:9: warning[W0310]: public range\n"
		"  |\n"
		"1 | network vpc {\n"
		"  |         ^^^\n"
		"\n"
		"0 errors, 1 warning\n");
}

/* Diagnostics come out in source order, whatever order they were added in. */
static void test_render_order_and_counts(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "t.sgl", net_src, strlen(net_src));
	diag_add(&fx->sink, DIAG_E0101, sp(f, 28, 29), "second");
	diag_add(&fx->sink, DIAG_E0101, sp(f, 0, 7), "first");
	diag_add(&fx->sink, DIAG_W0405, sp(f, 35, 36), "third");

	assert_rendered(fx,
		"t.sgl:1:1: error[E0101]: first\n"
		"  |\n"
		"1 | network vpc {\n"
		"  | ^^^^^^^\n"
		"\n"
		"t.sgl:2:15: error[E0101]: second\n"
		"  |\n"
		"2 |   cidr = 10.0.0.0/16\n"
		"  |               ^\n"
		"\n"
		"t.sgl:3:1: warning[W0405]: third\n"
		"  |\n"
		"3 | }\n"
		"  | ^\n"
		"\n"
		"2 errors, 1 warning\n");
}

/* The gutter is as wide as the largest line number shown, secondary labels included. */
static void test_render_gutter_width(void **state)
{
	struct fixture *fx = *state;
	char text[256] = "";
	for (int i = 1; i <= 12; i++) {
		char line[16];
		snprintf(line, sizeof line, "l%d\n", i);
		strcat(text, line);
	}
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	const struct src_file *sf = src_get(&fx->map, f);
	uint32_t l3 = sf->line_starts[2], l12 = sf->line_starts[11];
	struct diag *d = diag_add(&fx->sink, DIAG_E0306, sp(f, l3, l3 + 2), "overlap");
	diag_secondary(&fx->sink, d, sp(f, l12, l12 + 3), "other");

	assert_rendered(fx,
		"t.sgl:3:1: error[E0306]: overlap\n"
		"   |\n"
		" 3 | l3\n"
		"   | ^^\n"
		"   |\n"
		"12 | l12\n"
		"   | --- other\n"
		"\n"
		"1 error, 0 warnings\n");
}

/* A secondary label in another file gets a `:::` location line. */
static void test_render_other_file(void **state)
{
	struct fixture *fx = *state;
	uint32_t a = src_add(&fx->map, "a.sgl", "x = y\n", 6);
	uint32_t b = src_add(&fx->map, "<std>/b.sgl", "\n\ny = 1\n", 8);
	struct diag *d = diag_add(&fx->sink, DIAG_E0214, sp(a, 4, 5), "loop");
	diag_secondary(&fx->sink, d, sp(b, 2, 3), "defined here");

	assert_rendered(fx,
		"a.sgl:1:5: error[E0214]: loop\n"
		"  |\n"
		"1 | x = y\n"
		"  |     ^\n"
		" ::: <std>/b.sgl:3:1\n"
		"3 | y = 1\n"
		"  | - defined here\n"
		"\n"
		"1 error, 0 warnings\n");
}

/*
 * Tabs are shown as four spaces and the caret follows them; a span
 * running past the end of its line is cut there; multi-byte characters
 * take one column.
 */
static void test_render_tabs_and_utf8(void **state)
{
	struct fixture *fx = *state;
	const char text[] = "\tname = \"\xC3\xA9t\xC3\xA9\" x\nnext\n";
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	/* `x` is at byte 16; the string is bytes 8 to 15. */
	diag_add(&fx->sink, DIAG_E0103, sp(f, 16, 30), "x");
	diag_add(&fx->sink, DIAG_E0102, sp(f, 8, 15), "s");

	assert_rendered(fx,
		"t.sgl:1:9: error[E0102]: s\n"
		"  |\n"
		"1 |     name = \"\xC3\xA9t\xC3\xA9\" x\n"
		"  |            ^^^^^\n"
		"\n"
		"t.sgl:1:15: error[E0103]: x\n"
		"  |\n"
		"1 |     name = \"\xC3\xA9t\xC3\xA9\" x\n"
		"  |                  ^\n"
		"\n"
		"2 errors, 0 warnings\n");
}

/* An empty span (end of file) still gets one caret. */
static void test_render_empty_span(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "t.sgl", "x =", 3);
	struct diag *d = diag_add(&fx->sink, DIAG_E0107, sp(f, 3, 3), "eof");
	diag_label(&fx->sink, d, "here");

	assert_rendered(fx,
		"t.sgl:1:4: error[E0107]: eof\n"
		"  |\n"
		"1 | x =\n"
		"  |    ^ here\n"
		"\n"
		"1 error, 0 warnings\n");
}

static void test_render_nothing(void **state)
{
	struct fixture *fx = *state;
	src_add(&fx->map, "t.sgl", "x", 1);
	assert_rendered(fx, "");
}

static void test_render_cap_note(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "t.sgl", "abcdef\n", 7);
	for (uint32_t i = 0; i < 5; i++)
		diag_add(&fx->sink, DIAG_E0103, sp(f, i, i + 1), "c%u", i);

	char *out = render(fx, false, 2);
	assert_non_null(strstr(out, "error[E0103]: c0\n"));
	assert_non_null(strstr(out, "error[E0103]: c1\n"));
	assert_null(strstr(out, "c2"));
	assert_non_null(strstr(out, "note: 3 more diagnostics not shown\n"));
	/* The summary counts what was shown. */
	assert_non_null(strstr(out, "\n2 errors, 0 warnings\n"));
	free(out);
}

static void test_render_color(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "t.sgl", net_src, strlen(net_src));
	struct diag *d = diag_add(&fx->sink, DIAG_E0305, sp(f, 23, 34), "bad");
	diag_help(&fx->sink, d, "fix it");

	char *plain = render(fx, false, 0);
	char *color = render(fx, true, 0);
	assert_null(strchr(plain, '\033'));
	assert_non_null(strstr(color, "\033[1;31merror[E0305]\033[0m"));
	assert_non_null(strstr(color, "\033[0m"));
	assert_non_null(strstr(color, "\033[1;36mhelp\033[0m: fix it"));
	/* The text itself is the same once the escapes are removed. */
	char *stripped = malloc(strlen(color) + 1);
	size_t k = 0;
	for (const char *p = color; *p; p++) {
		if (*p == '\033') {
			while (*p && *p != 'm')
				p++;
			continue;
		}
		stripped[k++] = *p;
	}
	stripped[k] = '\0';
	assert_string_equal(stripped, plain);
	free(stripped);
	free(plain);
	free(color);
}

/* ---- hostile text: nothing reaches the terminal or a CI log raw ---- */

/* Every byte is printable ASCII, a newline, or part of a UTF-8 character that is not a control. */
static void assert_no_control_bytes(const char *out)
{
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("control byte 0x%02x at %zu in:\n%s", *p, (size_t)(p - (const unsigned char *)out), out);
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			fail_msg("C1 control at %zu", (size_t)(p - (const unsigned char *)out));
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
			fail_msg("bidi override at %zu", (size_t)(p - (const unsigned char *)out));
		if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
			fail_msg("bidi isolate at %zu", (size_t)(p - (const unsigned char *)out));
	}
}

/*
 * A string value holding a newline and `::error ...::` would start a
 * GitHub workflow command on a line of its own; ESC sequences would retitle
 * or clear the terminal; U+202E would reverse what follows. Message, label,
 * secondary label, note, help and path show them escaped.
 */
static void test_render_escapes_hostile_text(void **state)
{
	struct fixture *fx = *state;
	const char text[] = "region = \"x\"\n";
	uint32_t f = src_add(&fx->map, "dir/\x1b[31mred\n::error file=y::z.sgl", text, strlen(text));
	struct diag *d = diag_add(&fx->sink, DIAG_E0309, sp(f, 9, 12),
				  "unknown AWS Region `%s`",
				  "us-east-1\n::error file=x::pwned\x1b]0;title\x07\xE2\x80\xAE");
	diag_label(&fx->sink, d, "label\r\x1b[2J");
	diag_secondary(&fx->sink, d, sp(f, 0, 6), "first\xC2\x9B""1m");
	diag_note(&fx->sink, d, "note\x07\x7f");
	diag_help(&fx->sink, d, "help\t\xE2\x81\xA6\xFF");

	assert_rendered(fx,
		"dir/\\x1b[31mred\\n::error file=y::z.sgl:1:10: error[E0309]: unknown AWS Region "
		"`us-east-1\\n::error file=x::pwned\\x1b]0;title\\x07\\u{202e}`\n"
		"  |\n"
		"1 | region = \"x\"\n"
		"  |          ^^^ label\\r\\x1b[2J\n"
		"  |\n"
		"1 | region = \"x\"\n"
		"  | ------ first\\u{9b}1m\n"
		"  = note: note\\x07\\x7f\n"
		"  = help: help\\t\\u{2066}?\n"
		"\n"
		"1 error, 0 warnings\n");
	char *colored = render(fx, true, 0);
	/* With colour on, the only ESC bytes are sgc's own styles. */
	for (char *p = colored; (p = strchr(p, '\033')); p++)
		assert_true(p[1] == '[' && (p[2] == '0' || p[2] == '1') && (p[3] == 'm' || p[3] == ';'));
	free(colored);
	char *plain = render(fx, false, 0);
	assert_no_control_bytes(plain);
	free(plain);
}

/* The echoed source line escapes its control characters too, and the caret follows the escapes. */
static void test_render_source_line_escapes_aligned(void **state)
{
	struct fixture *fx = *state;
	/* bytes: `a = "` 0-4, ESC 5, `[2J` 6-8, U+202E 9-11, `"` 12, ` ` 13, `b` 14 */
	const char text[] = "a = \"\x1b[2J\xE2\x80\xAE\" b\x07\n";
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	diag_add(&fx->sink, DIAG_E0103, sp(f, 14, 15), "after");
	diag_add(&fx->sink, DIAG_E0102, sp(f, 5, 12), "over");

	assert_rendered(fx,
		"t.sgl:1:6: error[E0102]: over\n"
		"  |\n"
		"1 | a = \"\\x1b[2J\\u{202e}\" b\\x07\n"
		"  |      ^^^^^^^^^^^^^^^\n"
		"\n"
		"t.sgl:1:13: error[E0103]: after\n"
		"  |\n"
		"1 | a = \"\\x1b[2J\\u{202e}\" b\\x07\n"
		"  |                       ^\n"
		"\n"
		"2 errors, 0 warnings\n");
}

/* ---- long lines: a window around the span ---- */

enum { LONG = 1000 };

/* "0123456789" repeated: LONG characters on line 1. */
static uint32_t add_long_line(struct fixture *fx)
{
	char *text = arena_alloc(fx->arena, LONG + 2);
	for (int i = 0; i < LONG; i++)
		text[i] = (char)('0' + i % 10);
	text[LONG] = '\n';
	text[LONG + 1] = '\0';
	return src_add(&fx->map, "t.sgl", text, LONG + 1);
}

/* The snippet of a diagnostic at [lo, hi) of the long line, rendered alone. */
static void assert_window(struct fixture *fx, uint32_t lo, uint32_t hi, const char *want_line,
			  const char *want_marks)
{
	uint32_t f = add_long_line(fx);
	diag_add(&fx->sink, DIAG_E0103, sp(f, lo, hi), "m");
	char *got = render(fx, false, 0);
	char want[4096];
	snprintf(want, sizeof want,
		 "t.sgl:1:%u: error[E0103]: m\n  |\n1 | %s\n  | %s\n\n1 error, 0 warnings\n",
		 lo + 1, want_line, want_marks);
	if (strcmp(got, want) != 0) {
		print_error("--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* Text of the long line from `from` for `n` characters; `pre`/`post` around it. */
static const char *slice(char *buf, const char *pre, uint32_t from, uint32_t n, const char *post)
{
	size_t k = (size_t)sprintf(buf, "%s", pre);
	for (uint32_t i = 0; i < n; i++)
		buf[k++] = (char)('0' + (from + i) % 10);
	sprintf(buf + k, "%s", post);
	return buf;
}

static const char *marks(char *buf, uint32_t pad, uint32_t n)
{
	memset(buf, ' ', pad);
	memset(buf + pad, '^', n);
	buf[pad + n] = '\0';
	return buf;
}

#define ELLIPSIS "\xE2\x80\xA6"

/* In the middle: 40 columns before the span, 120 in all, `…` at both cuts. */
static void test_render_long_line_middle(void **state)
{
	char line[512], m[512];
	assert_window(*state, 500, 505, slice(line, ELLIPSIS, 460, 120, ELLIPSIS),
		      marks(m, 1 + 40, 5));
}

/* Near the start: no cut on the left. */
static void test_render_long_line_start(void **state)
{
	char line[512], m[512];
	assert_window(*state, 10, 11, slice(line, "", 0, 120, ELLIPSIS), marks(m, 10, 1));
}

/* Near the end: the room goes to the context before the span. */
static void test_render_long_line_end(void **state)
{
	char line[512], m[512];
	assert_window(*state, 990, 1000, slice(line, ELLIPSIS, 880, 120, ""),
		      marks(m, 1 + 110, 10));
}

/* A span running past the window is underlined up to and under the `…`. */
static void test_render_long_line_span_past_window(void **state)
{
	char line[512], m[512];
	assert_window(*state, 590, 1000, slice(line, ELLIPSIS, 550, 120, ELLIPSIS),
		      marks(m, 1 + 40, 80 + 1));
}

/* Output grows with the number of diagnostics, not with diagnostics times line length. */
static void test_render_many_on_one_long_line(void **state)
{
	struct fixture *fx = *state;
	enum { N = 2000 };
	char *text = arena_alloc(fx->arena, N + 2);
	memset(text, '@', N);
	text[N] = '\n';
	uint32_t f = src_add(&fx->map, "t.sgl", text, N + 1);
	for (uint32_t i = 0; i < N; i++)
		diag_add(&fx->sink, DIAG_E0103, sp(f, i, i + 1), "unexpected character `@`");
	char *out = render(fx, false, 0);
	size_t len = strlen(out);
	/* a header of about 50 bytes, a window of at most 120 columns and its caret line */
	if (len > (size_t)N * 400)
		fail_msg("%zu bytes for %d diagnostics", len, N);
	assert_non_null(strstr(out, "t.sgl:1:2000: error[E0103]"));
	free(out);
}

#ifdef __GLIBC__
struct counted {
	size_t writes, bytes;
};

static ssize_t count_write(void *cookie, const char *buf, size_t n)
{
	struct counted *c = cookie;
	(void)buf;
	c->writes++;
	c->bytes += n;
	return (ssize_t)n;
}

/*
 * Standard error is unbuffered: each diagnostic is written whole, with one
 * write, and the summary with one more.
 */
static void test_render_one_write_per_diagnostic(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = src_add(&fx->map, "t.sgl", net_src, strlen(net_src));
	struct diag *d = diag_add(&fx->sink, DIAG_E0305, sp(f, 23, 34), "outside");
	diag_label(&fx->sink, d, "not inside");
	diag_secondary(&fx->sink, d, sp(f, 8, 11), "declared here");
	diag_note(&fx->sink, d, "note");
	diag_help(&fx->sink, d, "help");
	diag_add(&fx->sink, DIAG_W0310, sp(f, 8, 11), "public range");
	diag_add(&fx->sink, DIAG_E0101, sp(f, 0, 7), "first");

	struct counted c = { 0, 0 };
	cookie_io_functions_t io = { .write = count_write };
	FILE *out = fopencookie(&c, "w", io);
	assert_non_null(out);
	setvbuf(out, NULL, _IONBF, 0);
	struct diag_render_opts o = { .color = true, .cap = 0 };
	diag_render_text(out, &fx->sink, &fx->map, &o);
	fclose(out);
	assert_int_equal(c.writes, 3 + 1);
	assert_true(c.bytes > 300);
}
#endif

/* ---- `sgc: allow` comments ---- */

/* Which of the warnings added at `offsets` of `text` survive the allow comments. */
static void check_allowed(struct fixture *fx, const char *text, const uint32_t *offsets,
			  const enum diag_code *codes, size_t n, const bool *want_suppressed)
{
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	struct diag *ds[16];
	for (size_t i = 0; i < n; i++)
		ds[i] = diag_add(&fx->sink, codes[i], sp(f, offsets[i], offsets[i] + 1), "w%zu", i);
	unsigned before = fx->sink.nwarnings;
	diag_apply_allow_comments(&fx->sink, &fx->map);
	unsigned dropped = 0;
	for (size_t i = 0; i < n; i++) {
		if (ds[i]->suppressed != want_suppressed[i])
			fail_msg("diagnostic %zu (%s at %u): suppressed %d, want %d", i,
				 diag_code_name(codes[i]), offsets[i], ds[i]->suppressed,
				 want_suppressed[i]);
		dropped += ds[i]->suppressed;
	}
	assert_int_equal(fx->sink.nwarnings, before - dropped);
}

static void test_allow_codes_after_marker(void **state)
{
	const char text[] =
		"a  # sgc: allow W0405, W0702\n"     /* 0: both listed */
		"b  # W0405 sgc: allow W0702\n"      /* 29: W0405 is before the marker */
		"c  // sgc: allow W0405\tW0310\r\n"  /* 57: `//`, a tab, a CR */
		"d = \"# sgc: allow W0405\"\n"       /* 87: inside a string */
		"e  # sgc: allow W04051 W0702x\n"    /* 112: not codes */
		"f  # sgc: allow E0103\n";           /* 142: errors stay */
	const uint32_t at[] = { 0, 0, 29, 29, 57, 57, 87, 112, 112, 142 };
	const enum diag_code codes[] = { DIAG_W0405, DIAG_W0702, DIAG_W0405, DIAG_W0702,
					 DIAG_W0405, DIAG_W0310, DIAG_W0405, DIAG_W0405,
					 DIAG_W0702, DIAG_E0103 };
	const bool want[] = { true, true, false, true, true, true, false, false, false, false };
	check_allowed(*state, text, at, codes, sizeof at / sizeof at[0], want);
}

/* Warnings are matched to their own line, in whatever order they were added. */
static void test_allow_own_line_only(void **state)
{
	const char text[] = "x\ny  # sgc: allow W0405\nz\n"; /* lines at 0, 2, 24 */
	const uint32_t at[] = { 24, 0, 25, 2 };
	const enum diag_code codes[] = { DIAG_W0405, DIAG_W0405, DIAG_W0405, DIAG_W0405 };
	const bool want[] = { false, false, false, true };
	check_allowed(*state, text, at, codes, 4, want);
}

/* Thousands of warnings on one long line with an allow comment: all go. */
static void test_allow_many_on_one_line(void **state)
{
	struct fixture *fx = *state;
	enum { N = 5000 };
	static const char tail[] = "  # sgc: allow W0405";
	char *text = arena_alloc(fx->arena, N + sizeof tail + 1);
	memset(text, 'x', N);
	memcpy(text + N, tail, sizeof tail);
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	for (uint32_t i = N; i-- > 0;)
		diag_add(&fx->sink, DIAG_W0405, sp(f, i, i + 1), "w");
	diag_add(&fx->sink, DIAG_W0702, sp(f, 7, 8), "not listed");
	diag_apply_allow_comments(&fx->sink, &fx->map);
	assert_int_equal(fx->sink.nwarnings, 1);
}

/* An allow on any line of a warning's span, or of the attribute it is about, silences it. */
static void test_allow_span_and_about_lines(void **state)
{
	struct fixture *fx = *state;
	const char text[] =
		"n {\n"                           /* 0: the warning points here */
		"  d = true  # sgc: allow W0606\n" /* 4: the attribute it is about */
		"  e = [a,\n"                     /* 35 */
		"    b]  # sgc: allow W0602\n"     /* 45: second line of a two-line span */
		"}\n";
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	struct diag *about = diag_add(&fx->sink, DIAG_W0606, sp(f, 2, 3), "about");
	diag_about(&fx->sink, about, sp(f, 6, 14));
	struct diag *bare = diag_add(&fx->sink, DIAG_W0606, sp(f, 0, 1), "no about");
	struct diag *multi = diag_add(&fx->sink, DIAG_W0602, sp(f, 39, 52), "two lines");
	struct diag *other = diag_add(&fx->sink, DIAG_W0602, sp(f, 0, 1), "elsewhere");
	diag_apply_allow_comments(&fx->sink, &fx->map);
	assert_true(about->suppressed);
	assert_false(bare->suppressed);
	assert_true(multi->suppressed);
	assert_false(other->suppressed);
	assert_int_equal(fx->sink.nwarnings, 2);
}

/* W0710 for codes that silence nothing by nature, W0711 for unused ones, only when asked. */
static void test_allow_checked(void **state)
{
	struct fixture *fx = *state;
	const char text[] =
		"a  # sgc: allow W0702 W9999\n"   /* 0: W0702 used, W9999 unknown */
		"b  # sgc: allow E0301, W0711\n"  /* 28: an error, W0711 */
		"c  # sgc: allow W0405\n"         /* 57: unused */
		"d  # sgc: allow W0799 W0710\n"   /* 79: unknown, kept quiet */
		"e  # `sgc: allow W0405` quoted\n"; /* 107: prose */
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	diag_add(&fx->sink, DIAG_W0702, sp(f, 0, 1), "used");
	diag_apply_allow_comments(&fx->sink, &fx->map);
	diag_check_allow_comments(&fx->sink, &fx->map, f, false);
	unsigned w0710 = 0, w0711 = 0;
	for (const struct diag *d = fx->sink.head; d; d = d->next) {
		w0710 += d->code == DIAG_W0710;
		w0711 += d->code == DIAG_W0711;
	}
	assert_int_equal(w0710, 3);
	assert_int_equal(w0711, 0);
	diag_check_allow_comments(&fx->sink, &fx->map, f, true);
	w0711 = 0;
	const struct diag *unused = NULL;
	for (const struct diag *d = fx->sink.head; d; d = d->next)
		if (d->code == DIAG_W0711) {
			w0711++;
			unused = d;
		}
	assert_int_equal(w0711, 1);
	assert_int_equal(unused->span.lo, 57 + 16);
}

/* ---- what a sink keeps ---- */

/*
 * Past DIAG_SINK_MAX, diagnostics are counted but not kept; the caller's
 * labels on them go nowhere; the renderers say how many were left out.
 */
static void test_sink_keeps_at_most_max(void **state)
{
	struct fixture *fx = *state;
	const char text[] = "abcdefghij\n";
	uint32_t f = src_add(&fx->map, "t.sgl", text, strlen(text));
	for (uint32_t i = 0; i < DIAG_SINK_MAX; i++)
		diag_add(&fx->sink, DIAG_E0103, sp(f, i % 10, i % 10 + 1), "e%u", i);
	struct diag *late = diag_add(&fx->sink, DIAG_E0101, sp(f, 3, 4), "late");
	diag_label(&fx->sink, late, "l");
	diag_secondary(&fx->sink, late, sp(f, 0, 1), "s");
	diag_note(&fx->sink, late, "n");
	diag_help(&fx->sink, late, "h");
	diag_add(&fx->sink, DIAG_W0405, sp(f, 5, 6), "late warning");
	diag_add(&fx->sink, DIAG_W0405, sp(f, 6, 7), "late warning");

	assert_int_equal(fx->sink.nerrors, DIAG_SINK_MAX + 1);
	assert_int_equal(fx->sink.nwarnings, 2);
	size_t kept = 0;
	for (const struct diag *d = fx->sink.head; d; d = d->next)
		kept++;
	assert_int_equal(kept, DIAG_SINK_MAX);

	size_t n, dropped;
	const struct diag **all = diag_sorted(&fx->sink, 0, &n, &dropped);
	assert_int_equal(n, 10); /* the rest were duplicates */
	assert_int_equal(dropped, 3);
	struct span at = diag_omitted_at(&fx->sink, all, n);
	assert_int_equal(at.lo, 3);
	all = diag_sorted(&fx->sink, 4, &n, &dropped);
	assert_int_equal(n, 4);
	assert_int_equal(dropped, 6 + 3);
	at = diag_omitted_at(&fx->sink, all, n);
	assert_int_equal(at.lo, 4);

	char *out = render(fx, false, 0);
	assert_non_null(strstr(out, "note: 3 more diagnostics not shown\n"));
	free(out);

	diag_deny_warnings(&fx->sink);
	assert_int_equal(fx->sink.nwarnings, 0);
	assert_int_equal(fx->sink.nerrors, DIAG_SINK_MAX + 3);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_level_from_code_letter),
		T(test_warnings_only_is_not_error),
		T(test_code_round_trip),
		T(test_code_names_are_unique),
		T(test_code_known_values),
		T(test_every_code_documented),
		T(test_labels_notes_help),
		T(test_allow_span_and_about_lines),
		T(test_allow_checked),
		T(test_exists_at),
		T(test_deny_warnings),
		T(test_sorted_by_file_offset_code),
		T(test_sorted_drops_duplicates),
		T(test_sorted_cap),
		T(test_sorted_empty),
		T(test_render_error_full),
		T(test_render_warning_minimal),
		T(test_render_order_and_counts),
		T(test_render_gutter_width),
		T(test_render_other_file),
		T(test_render_tabs_and_utf8),
		T(test_render_empty_span),
		T(test_render_nothing),
		T(test_render_cap_note),
		T(test_render_color),
		T(test_render_escapes_hostile_text),
		T(test_render_source_line_escapes_aligned),
		T(test_render_long_line_middle),
		T(test_render_long_line_start),
		T(test_render_long_line_end),
		T(test_render_long_line_span_past_window),
		T(test_render_many_on_one_long_line),
#ifdef __GLIBC__
		T(test_render_one_write_per_diagnostic),
#endif
		T(test_allow_codes_after_marker),
		T(test_allow_own_line_only),
		T(test_allow_many_on_one_line),
		T(test_sink_keeps_at_most_max),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
