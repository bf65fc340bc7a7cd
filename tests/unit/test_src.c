/*
 * test_src.c - unit tests for compiler/src.c: loading source text, the
 * line map, byte offset to 1-based line:column (columns count UTF-8 code
 * points, through the stride marks on long lines), line extraction for
 * snippets, UTF-8 validation, how a character is shown (src_visible_char)
 * and span_join.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "src.h"

struct fixture {
	struct arena *arena;
	struct src_map map;
};

static int setup(void **state)
{
	static struct fixture fx;
	fx.arena = arena_new();
	src_map_init(&fx.map, fx.arena);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	arena_free(fx->arena);
	return 0;
}

/* Load `len` bytes of `text` and return the file. */
static const struct src_file *load(void **state, const char *text, size_t len)
{
	struct fixture *fx = *state;
	uint32_t id = src_add(&fx->map, "t.sgl", text, len);
	const struct src_file *f = src_get(&fx->map, id);
	assert_non_null(f);
	return f;
}

static const struct src_file *load_str(void **state, const char *text)
{
	return load(state, text, strlen(text));
}

static void assert_pos(const struct src_file *f, uint32_t off, uint32_t line,
		       uint32_t col)
{
	struct src_pos p = src_locate(f, off);
	if (p.line != line || p.col != col)
		fail_msg("offset %u: got %u:%u, want %u:%u", off, p.line, p.col,
			 line, col);
}

/* ---- loading and the line map ---- */

static void test_add_copies_text(void **state)
{
	struct fixture *fx = *state;
	char buf[] = "x = 1";
	uint32_t id = src_add(&fx->map, "dir/a.sgl", buf, 5);
	buf[0] = 'y';
	const struct src_file *f = src_get(&fx->map, id);

	assert_string_equal(f->text, "x = 1");
	assert_string_equal(f->path, "dir/a.sgl");
	assert_int_equal(f->len, 5);
	assert_int_equal(f->text[5], '\0');
}

static void test_add_many_files(void **state)
{
	struct fixture *fx = *state;
	char path[32];

	for (uint32_t i = 0; i < 20; i++) {
		snprintf(path, sizeof path, "f%u.sgl", i);
		assert_int_equal(src_add(&fx->map, path, path, strlen(path)), i);
	}
	assert_int_equal(fx->map.nfiles, 20);
	for (uint32_t i = 0; i < 20; i++) {
		snprintf(path, sizeof path, "f%u.sgl", i);
		assert_string_equal(src_get(&fx->map, i)->path, path);
		assert_string_equal(src_get(&fx->map, i)->text, path);
	}
	assert_null(src_get(&fx->map, 20));
	assert_null(src_get(&fx->map, UINT32_MAX));
}

static void test_line_map(void **state)
{
	const struct src_file *f = load_str(state, "a\nbc\n\nd");

	assert_int_equal(f->nlines, 4);
	assert_int_equal(f->line_starts[0], 0);
	assert_int_equal(f->line_starts[1], 2);
	assert_int_equal(f->line_starts[2], 5);
	assert_int_equal(f->line_starts[3], 6);
}

static void test_line_map_edges(void **state)
{
	const struct src_file *empty = load_str(state, "");
	assert_int_equal(empty->nlines, 1);
	assert_int_equal(empty->line_starts[0], 0);

	/* A trailing newline starts an (empty) last line. */
	const struct src_file *nl = load_str(state, "a\n");
	assert_int_equal(nl->nlines, 2);
	assert_int_equal(nl->line_starts[1], 2);

	/* Embedded NUL bytes are text like any other. */
	const struct src_file *nul = load(state, "a\0\nb", 4);
	assert_int_equal(nul->len, 4);
	assert_int_equal(nul->nlines, 2);
	assert_int_equal(nul->line_starts[1], 3);
}

/* ---- src_locate ---- */

static void test_locate_ascii(void **state)
{
	const struct src_file *f = load_str(state, "ab\ncde\n\nf");

	assert_pos(f, 0, 1, 1);
	assert_pos(f, 1, 1, 2);
	assert_pos(f, 2, 1, 3); /* the newline itself ends line 1 */
	assert_pos(f, 3, 2, 1);
	assert_pos(f, 5, 2, 3);
	assert_pos(f, 7, 3, 1); /* empty line */
	assert_pos(f, 8, 4, 1);
	assert_pos(f, 9, 4, 2); /* end of file */
}

static void test_locate_clamps_past_end(void **state)
{
	const struct src_file *f = load_str(state, "ab\ncd");

	assert_pos(f, 5, 2, 3);
	assert_pos(f, 6, 2, 3);
	assert_pos(f, 1000, 2, 3);
}

/* Columns count code points: 2-, 3- and 4-byte sequences are one column each. */
static void test_locate_utf8_columns(void **state)
{
	/* "é" is C3 A9, "€" is E2 82 AC, U+1F600 is F0 9F 98 80. */
	const struct src_file *f = load_str(state,
		"x\n\xC3\xA9=\xE2\x82\xAC \xF0\x9F\x98\x80!");

	assert_pos(f, 2, 2, 1);  /* é */
	assert_pos(f, 4, 2, 2);  /* = */
	assert_pos(f, 5, 2, 3);  /* € */
	assert_pos(f, 8, 2, 4);  /* space */
	assert_pos(f, 9, 2, 5);  /* emoji */
	assert_pos(f, 13, 2, 6); /* ! */
}

static void test_locate_many_lines(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_alloc(fx->arena, 5000 * 3 + 1);
	for (int i = 0; i < 5000; i++)
		memcpy(text + 3 * i, "ab\n", 3);
	const struct src_file *f = load(state, text, 5000 * 3);

	assert_int_equal(f->nlines, 5001);
	assert_pos(f, 0, 1, 1);
	assert_pos(f, 3 * 2500 + 1, 2501, 2);
	assert_pos(f, 3 * 4999 + 2, 5000, 3);
	assert_pos(f, 3 * 5000, 5001, 1);
}

/*
 * Long lines use the stride marks: every offset of lines that start before,
 * on and after a mark, with multi-byte characters across marks, gives the
 * column of a plain count from the line start.
 */
static void test_locate_long_lines_match_count(void **state)
{
	struct fixture *fx = *state;
	enum { LEN = 5 * SRC_COLUMN_STRIDE + 77 };
	char *text = arena_alloc(fx->arena, LEN + 1);
	for (uint32_t i = 0; i < LEN;) {
		/* "é€x" repeated, with a newline now and then at odd places */
		static const char unit[] = "\xC3\xA9\xE2\x82\xACx";
		for (uint32_t k = 0; k < sizeof unit - 1 && i < LEN; k++)
			text[i++] = unit[k];
		if (i % 601 < 6 && i < LEN)
			text[i++] = '\n';
	}
	const struct src_file *f = load(state, text, LEN);
	uint32_t line = 1, col = 1;
	for (uint32_t off = 0; off <= LEN; off++) {
		assert_pos(f, off, line, col);
		if (off == LEN)
			break;
		if (text[off] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)text[off] & 0xC0) != 0x80) {
			col++;
		}
	}
}

/* A mark right at a line start, and a file ending on a mark. */
static void test_locate_marks_at_edges(void **state)
{
	struct fixture *fx = *state;
	enum { LEN = 2 * SRC_COLUMN_STRIDE };
	char *text = arena_alloc(fx->arena, LEN + 1);
	memset(text, 'a', LEN);
	text[SRC_COLUMN_STRIDE - 1] = '\n';
	const struct src_file *f = load(state, text, LEN);

	assert_pos(f, SRC_COLUMN_STRIDE - 1, 1, SRC_COLUMN_STRIDE);
	assert_pos(f, SRC_COLUMN_STRIDE, 2, 1);
	assert_pos(f, SRC_COLUMN_STRIDE + 1, 2, 2);
	assert_pos(f, LEN, 2, SRC_COLUMN_STRIDE + 1);
}

/* ---- src_line ---- */

static void test_line_text(void **state)
{
	const struct src_file *f = load_str(state, "first\nsecond\n\nlast");
	uint32_t len = 99;

	const char *s = src_line(f, 1, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(s, "first", 5);
	s = src_line(f, 2, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(s, "second", 6);
	src_line(f, 3, &len);
	assert_int_equal(len, 0);
	s = src_line(f, 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "last", 4);
}

static void test_line_strips_cr(void **state)
{
	const struct src_file *f = load_str(state, "a = 1\r\nb\r\n\r\nc\r");
	uint32_t len;

	const char *s = src_line(f, 1, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(s, "a = 1", 5);
	src_line(f, 2, &len);
	assert_int_equal(len, 1);
	src_line(f, 3, &len);
	assert_int_equal(len, 0);
	s = src_line(f, 4, &len);
	assert_int_equal(len, 1);
	assert_int_equal(s[0], 'c');
}

/* Only a CR right before the line's end is stripped. */
static void test_line_keeps_inner_cr(void **state)
{
	const struct src_file *f = load_str(state, "a\rb\n");
	uint32_t len;

	src_line(f, 1, &len);
	assert_int_equal(len, 3);
}

static void test_line_out_of_range(void **state)
{
	const struct src_file *f = load_str(state, "one\ntwo");
	uint32_t len = 42;

	assert_string_equal(src_line(f, 0, &len), "");
	assert_int_equal(len, 0);
	len = 42;
	assert_string_equal(src_line(f, 3, &len), "");
	assert_int_equal(len, 0);
}

/* ---- src_invalid_utf8 ---- */

static uint32_t invalid_at(void **state, const char *bytes, size_t len)
{
	return src_invalid_utf8(load(state, bytes, len));
}

#define BAD(s) invalid_at(state, s, sizeof(s) - 1)

static void test_utf8_valid(void **state)
{
	assert_int_equal(BAD(""), UINT32_MAX);
	assert_int_equal(BAD("plain ascii\n"), UINT32_MAX);
	assert_int_equal(BAD("\xC3\xA9\xE2\x82\xAC"), UINT32_MAX);     /* é € */
	assert_int_equal(BAD("\xF0\x9F\x98\x80"), UINT32_MAX);         /* U+1F600 */
	assert_int_equal(BAD("\xF4\x8F\xBF\xBF"), UINT32_MAX);         /* U+10FFFF */
	assert_int_equal(BAD("\xED\x9F\xBF"), UINT32_MAX);             /* U+D7FF */
	assert_int_equal(BAD("\xEE\x80\x80"), UINT32_MAX);             /* U+E000 */
	assert_int_equal(BAD("\xC2\x80"), UINT32_MAX);                 /* U+0080 */
	assert_int_equal(BAD("a\0b"), UINT32_MAX);                     /* NUL is ASCII */
}

static void test_utf8_overlong(void **state)
{
	assert_int_equal(BAD("ab\xC0\x80"), 2);          /* overlong NUL */
	assert_int_equal(BAD("\xC1\xBF"), 0);            /* overlong U+007F */
	assert_int_equal(BAD("x\xE0\x80\x80"), 1);       /* 3-byte overlong */
	assert_int_equal(BAD("\xE0\x9F\xBF"), 0);        /* U+07FF in 3 bytes */
	assert_int_equal(BAD("\xF0\x8F\xBF\xBF"), 0);    /* U+FFFF in 4 bytes */
}

static void test_utf8_surrogates(void **state)
{
	assert_int_equal(BAD("ok \xED\xA0\x80"), 3);     /* U+D800 */
	assert_int_equal(BAD("\xED\xBF\xBF"), 0);        /* U+DFFF */
}

static void test_utf8_truncated(void **state)
{
	assert_int_equal(BAD("abc\xE2\x82"), 3);         /* end of file mid-sequence */
	assert_int_equal(BAD("\xF0\x9F\x98"), 0);
	assert_int_equal(BAD("\xC3"), 0);
	assert_int_equal(BAD("\xE2\x82x"), 0);           /* ASCII where a continuation belongs */
}

static void test_utf8_too_large_and_stray(void **state)
{
	assert_int_equal(BAD("\xF4\x90\x80\x80"), 0);    /* U+110000 */
	assert_int_equal(BAD("\xF7\xBF\xBF\xBF"), 0);
	assert_int_equal(BAD("\xF8\x88\x80\x80\x80"), 0); /* 5-byte form */
	assert_int_equal(BAD("ab\x80"), 2);              /* lone continuation */
	assert_int_equal(BAD("\xC3\xA9\xFF"), 2);        /* after a valid character */
	assert_int_equal(BAD("\xFE"), 0);
}

/* Only the first bad byte is reported. */
static void test_utf8_first_of_many(void **state)
{
	assert_int_equal(BAD("\xC3\xA9 \x80 \xFF"), 3);
}

/* ---- src_visible_char ---- */

/* What `bytes` shows as, and how many bytes that takes. */
static void assert_visible(const char *bytes, uint32_t n, const char *want, uint32_t want_len)
{
	char esc[SRC_ESCAPE_MAX];
	memset(esc, 'Z', sizeof esc);
	uint32_t k = src_visible_char(bytes, n, esc);
	if (k != want_len || strcmp(esc, want) != 0)
		fail_msg("got `%s` over %u bytes, want `%s` over %u", esc, k, want, want_len);
}

#define VIS(s, want, len) assert_visible(s, sizeof(s) - 1, want, len)

static void test_visible_printable(void **state)
{
	(void)state;
	VIS("a", "", 1);
	VIS(" ", "", 1);
	VIS("~", "", 1);
	VIS("\xC3\xA9", "", 2);          /* é */
	VIS("\xE2\x80\xA6", "", 3);      /* … */
	VIS("\xF0\x9F\x98\x80", "", 4);  /* U+1F600 */
	VIS("\xC2\xA0", "", 2);          /* no-break space: visible enough */
}

/* C0 controls and DEL: the common ones by name, the others in hex. */
static void test_visible_c0_and_del(void **state)
{
	(void)state;
	VIS("\n", "\\n", 1);
	VIS("\r", "\\r", 1);
	VIS("\t", "\\t", 1);
	VIS("\x1b]0;x", "\\x1b", 1);
	VIS("\x07", "\\x07", 1);
	VIS("\x01", "\\x01", 1);
	VIS("\x7f", "\\x7f", 1);
	assert_visible("\0", 1, "\\x00", 1);
}

/* C1 controls, decoded: a terminal may take U+009B as CSI. */
static void test_visible_c1(void **state)
{
	(void)state;
	VIS("\xC2\x80", "\\u{80}", 2);
	VIS("\xC2\x85", "\\u{85}", 2);
	VIS("\xC2\x9B", "\\u{9b}", 2);
	VIS("\xC2\x9F", "\\u{9f}", 2);
}

/* Bidi controls and invisible characters: they reorder or hide what is read. */
static void test_visible_bidi_and_invisible(void **state)
{
	(void)state;
	VIS("\xE2\x80\xAA", "\\u{202a}", 3); /* LRE */
	VIS("\xE2\x80\xAE", "\\u{202e}", 3); /* RLO */
	VIS("\xE2\x81\xA6", "\\u{2066}", 3); /* LRI */
	VIS("\xE2\x81\xA9", "\\u{2069}", 3); /* PDI */
	VIS("\xE2\x80\x8F", "\\u{200f}", 3); /* RLM */
	VIS("\xE2\x80\x8B", "\\u{200b}", 3); /* zero-width space */
	VIS("\xE2\x80\xA8", "\\u{2028}", 3); /* line separator */
	VIS("\xE2\x80\xA9", "\\u{2029}", 3); /* paragraph separator */
	VIS("\xD8\x9C", "\\u{61c}", 2);       /* Arabic letter mark */
	VIS("\xEF\xBB\xBF", "\\u{feff}", 3); /* BOM */
	VIS("\xC2\xAD", "\\u{ad}", 2);        /* soft hyphen */
}

/* A byte that is not UTF-8 is one `?`; the next byte is read afresh. */
static void test_visible_not_utf8(void **state)
{
	(void)state;
	VIS("\xFF", "?", 1);
	VIS("\xE9t", "?", 1);
	VIS("\xC0\xAF", "?", 1);          /* overlong */
	VIS("\xED\xA0\x80", "?", 1);      /* surrogate */
	VIS("\x80", "?", 1);               /* stray continuation */
	assert_visible("\xE2\x80\xAE", 2, "?", 1); /* cut short by n */
}

/* ---- span_join ---- */

static void test_span_join(void **state)
{
	(void)state;
	struct span a = { 2, 10, 15 }, b = { 2, 20, 25 }, c = { 2, 12, 13 };

	struct span j = span_join(a, b);
	assert_int_equal(j.file, 2);
	assert_int_equal(j.lo, 10);
	assert_int_equal(j.hi, 25);

	j = span_join(b, a); /* order does not matter */
	assert_int_equal(j.lo, 10);
	assert_int_equal(j.hi, 25);

	j = span_join(a, c); /* contained */
	assert_int_equal(j.lo, 10);
	assert_int_equal(j.hi, 15);

	struct span e = { 2, 7, 7 };
	j = span_join(e, a); /* empty span before */
	assert_int_equal(j.lo, 7);
	assert_int_equal(j.hi, 15);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_add_copies_text),
		T(test_add_many_files),
		T(test_line_map),
		T(test_line_map_edges),
		T(test_locate_ascii),
		T(test_locate_clamps_past_end),
		T(test_locate_utf8_columns),
		T(test_locate_many_lines),
		T(test_locate_long_lines_match_count),
		T(test_locate_marks_at_edges),
		T(test_line_text),
		T(test_line_strips_cr),
		T(test_line_keeps_inner_cr),
		T(test_line_out_of_range),
		T(test_utf8_valid),
		T(test_utf8_overlong),
		T(test_utf8_surrogates),
		T(test_utf8_truncated),
		T(test_utf8_too_large_and_stray),
		T(test_utf8_first_of_many),
		T(test_visible_printable),
		T(test_visible_c0_and_del),
		T(test_visible_c1),
		T(test_visible_bidi_and_invisible),
		T(test_visible_not_utf8),
		T(test_span_join),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
