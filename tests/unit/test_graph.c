/*
 * test_graph.c - unit tests for compiler/graph.c (`sgc graph`): DOT
 * quoting of hostile text, and the proven paths drawn from a checked
 * model (an isolated notebook's dead end, a restricted one's way out
 * through its NAT gateway), each with its twin.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "graph.h"

/*
 * Is `s` one well-formed DOT quoted string, alone: opening and closing
 * quote, every inner `"` escaped, no raw line break or control byte, and
 * every byte above 0x7f part of valid UTF-8 (checked by the caller)?
 */
static bool dot_string_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	for (size_t i = 1; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
		if (c == '\\') {
			if (i + 2 >= n) /* a backslash would escape the closing quote */
				return false;
			i++;
		} else if (c == '"') {
			return false;
		}
	}
	return true;
}

static void test_quote_plain_and_escapes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(graph_quote(a, "vpc.private_a"), "\"vpc.private_a\"");
	assert_string_equal(graph_quote(a, ""), "\"\"");
	assert_string_equal(graph_quote(a, "a\"b"), "\"a\\\"b\"");
	assert_string_equal(graph_quote(a, "a\\"), "\"a\\\\\"");
	assert_string_equal(graph_quote(a, "\\N\\G"), "\"\\\\N\\\\G\"");
	assert_string_equal(graph_quote(a, "one\ntwo"), "\"one\\ntwo\"");
	assert_string_equal(graph_quote(a, "t\tr\r\x01\x7f"), "\"t r   \"");
	assert_string_equal(graph_quote(a, "<b>x</b>;}]"), "\"<b>x</b>;}]\"");
	arena_free(a);
}

static void test_quote_utf8(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	/* valid: kept byte for byte */
	assert_string_equal(graph_quote(a, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
			    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* not UTF-8: a lone byte, an overlong form, a surrogate, a cut sequence, past U+10FFFF */
	assert_string_equal(graph_quote(a, "\xff"), "\"\xef\xbf\xbd\"");
	assert_string_equal(graph_quote(a, "\xc0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(graph_quote(a, "\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(graph_quote(a, "x\xe2\x82"), "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(graph_quote(a, "\xf4\x90\x80\x80"),
			    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	arena_free(a);
}

/* Every hostile string quotes to one well-formed DOT string; the twin: the naive quoting does not. */
static void test_quote_hostile_is_one_string(void **state)
{
	(void)state;
	static const char *const hostile[] = {
		"\"", "\\", "a\" -> \"b", "x\"]; digraph g { y", "end\\", "line\nbreak\\\n",
		"\"\"\"\\\\\\", "\x1b[31m", "]}\";\n}",
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		assert_true(dot_string_ok(graph_quote(a, hostile[i])));
		const char *naive = arena_printf(a, "\"%s\"", hostile[i]);
		assert_false(dot_string_ok(naive));
	}
	arena_free(a);
}

static const char isolated[] =
	"environment e {\n"
	"  region = \"eu-west-1\"\n"
	"  network vpc {\n"
	"    cidr      = 10.0.0.0/16\n"
	"    isolation = isolated\n"
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	"    endpoints = [sagemaker.api, sagemaker.runtime, s3, logs]\n"
	"  }\n"
	"  notebook nb { instance = ml.t3.medium  subnet = vpc.a }\n"
	"}\n";

static const char restricted[] =
	"environment e {\n"
	"  region = \"eu-west-1\"\n"
	"  network vpc {\n"
	"    cidr      = 10.0.0.0/16\n"
	"    isolation = restricted\n"
	"    subnet pub { cidr = 10.0.0.0/24  zone = a  public = true }\n"
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	"    endpoints = [sagemaker.api, sagemaker.runtime, s3, logs]\n"
	"  }\n"
	"  notebook nb { instance = ml.t3.medium  subnet = vpc.a }\n"
	"}\n";

/* The DOT of `src` (malloc'd), or a failed test. */
static char *draw(const char *src)
{
	struct compile c;
	compile_init(&c);
	if (!compile_text(&c, "t.sgl", src, strlen(src), COMPILE_CHECK)) {
		struct diag_render_opts o = { .color = false, .cap = 0 };
		diag_render_text(stderr, &c.diags, &c.src, &o);
		compile_free(&c);
		fail_msg("compile failed");
	}
	size_t n;
	const char *dot = graph_dot(c.arena, c.env, &n);
	char *copy = strndup(dot, n);
	assert_int_equal(strlen(copy), n);
	compile_free(&c);
	return copy;
}

static void test_isolated_dead_end(void **state)
{
	(void)state;
	char *dot = draw(isolated);
	assert_non_null(strstr(dot, "\"notebook `nb`\" -> \"no way out of vpc\" [style=dashed"));
	assert_non_null(strstr(dot, "\"no way out of vpc\" [label=\"no route to the internet\""));
	assert_non_null(strstr(dot, "\"notebook `nb`\" -> \"endpoint vpc.sagemaker.api\""));
	assert_non_null(strstr(dot, "\"notebook `nb`\" -> \"endpoint vpc.s3\""));
	assert_null(strstr(dot, "internet gateway"));
	assert_null(strstr(dot, "\"internet\" [label"));
	/* deterministic */
	char *again = draw(isolated);
	assert_string_equal(dot, again);
	free(again);
	free(dot);
}

/* The twin: the same notebook behind a NAT gateway has a way out and no dead end. */
static void test_restricted_way_out(void **state)
{
	(void)state;
	char *dot = draw(restricted);
	assert_non_null(strstr(dot, "\"notebook `nb`\" -> \"NAT gateway vpc.pub\""));
	assert_non_null(strstr(dot, "\"NAT gateway vpc.pub\" -> \"internet gateway vpc\""));
	assert_non_null(strstr(dot, "\"internet gateway vpc\" -> \"internet\""));
	assert_null(strstr(dot, "no way out of vpc"));
	/* its generated group sends no HTTPS anywhere: the NAT path is drawn closed */
	assert_non_null(strstr(dot, "label=\"no HTTPS out: security groups\""));
	free(dot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_plain_and_escapes),
		cmocka_unit_test(test_quote_utf8),
		cmocka_unit_test(test_quote_hostile_is_one_string),
		cmocka_unit_test(test_isolated_dead_end),
		cmocka_unit_test(test_restricted_way_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
