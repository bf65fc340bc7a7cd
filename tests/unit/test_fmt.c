/*
 * test_fmt.c - unit tests for compiler/fmt.c, the formatter behind
 * `sgc fmt`: each layout rule on a small input with its exact output,
 * NULL for input that does not parse, and, over every .sgl file in the
 * repository, idempotence, an unchanged syntax tree and unchanged
 * comments; every example compiles to a byte-identical template after
 * formatting. Run from the repository root (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "compile.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"
#include "src.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* Format `len` bytes; NULL when fmt_source refuses. NUL-terminated otherwise. */
static const char *fmt_len(void **state, const char *in, size_t len, size_t *out_len)
{
	size_t n = (size_t)-1;
	const char *out = fmt_source(*state, in, len, &n);
	if (out) {
		assert_int_not_equal(n, (size_t)-1);
		assert_int_equal(strlen(out), n);
	}
	if (out_len)
		*out_len = n;
	return out;
}

static const char *fmt(void **state, const char *in)
{
	return fmt_len(state, in, strlen(in), NULL);
}

/* The exact output, and that formatting it again changes nothing. */
static void expect(void **state, const char *in, const char *want)
{
	const char *out = fmt(state, in);
	if (!out)
		fail_msg("fmt refused:\n%s", in);
	if (strcmp(out, want) != 0)
		fail_msg("input:\n%s\n--- got:\n%s--- want:\n%s", in, out, want);
	const char *again = fmt(state, out);
	assert_non_null(again);
	assert_string_equal(again, out);
}

/* `n` copies of `c`, in the arena. */
static const char *rep(void **state, char c, size_t n)
{
	char *s = arena_alloc(*state, n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- items and blocks ---------------------------------------------------- */

static void test_indent_items_and_semicolons(void **state)
{
	expect(state,
	       "environment e{region=\"x\";tags={a:\"b\"}\n"
	       "network vpc{cidr=10.0.0.0/16;isolation=isolated;"
	       "subnet a{cidr=10.0.1.0/24;zone=a}}}",
	       "environment e {\n"
	       "  region = \"x\"\n"
	       "  tags   = { a: \"b\" }\n"
	       "  network vpc {\n"
	       "    cidr      = 10.0.0.0/16\n"
	       "    isolation = isolated\n"
	       "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	       "  }\n"
	       "}\n");
	/* Tabs and odd indentation are replaced, separators dropped. */
	expect(state, "x {\n\t\t  a = 1 ;;\n      b = x ;\n      y { c = 1; d = 2 }; e = 3\n}\n",
	       "x {\n  a = 1\n  b = x\n  y { c = 1  d = 2 }\n  e = 3\n}\n");
}

static void test_empty_block(void **state)
{
	expect(state, "bucket b {   }\nuser u {\n\n}\nx{}\n",
	       "bucket b {}\nuser u {}\nx {}\n");
}

static void test_imports_and_params(void **state)
{
	expect(state,
	       "import   std . endpoints\nimport std.lifecycle\n"
	       "environment e {\n  param p:instance=ml.t3.medium\n"
	       "  param  q :  string\n}\n",
	       "import std.endpoints\nimport std.lifecycle\n"
	       "environment e {\n  param p: instance = ml.t3.medium\n"
	       "  param q: string\n}\n");
}

static void test_one_line_block(void **state)
{
	/* A block spread over lines is never collapsed. */
	expect(state, "subnet a {\n  cidr = 10.0.1.0/24\n  zone = a\n}\n",
	       "subnet a {\n  cidr = 10.0.1.0/24\n  zone = a\n}\n");
	/* One written on one line stays there: up to three attributes, two spaces apart. */
	expect(state, "subnet a { cidr = 10.0.1.0/24 zone = a }\n",
	       "subnet a { cidr = 10.0.1.0/24  zone = a }\n");
	expect(state, "subnet nat_a     { cidr = 10.30.0.0/24   zone = a  public = true }\n",
	       "subnet nat_a { cidr = 10.30.0.0/24  zone = a  public = true }\n");
	expect(state, "egress { port = 443 }\n", "egress { port = 443 }\n");
	/* Four attributes: one per line. */
	expect(state, "x { a = 1  b = 2  c = 3  d = 4 }\n",
	       "x {\n  a = 1\n  b = 2\n  c = 3\n  d = 4\n}\n");
	/* A comment inside the body keeps it open; one after `}` does not. */
	expect(state, "y {\n  a = 1  # why\n}\n", "y {\n  a = 1  # why\n}\n");
	expect(state, "y {\n  # why\n  a = 1\n}\n", "y {\n  # why\n  a = 1\n}\n");
	expect(state, "y { a = 1 }   # why\n", "y { a = 1 }  # why\n");
	/* A nested block, even a short one, keeps the outer block open. */
	expect(state, "z { w { a = 1 } }\n", "z {\n  w { a = 1 }\n}\n");
	/* So does a param. */
	expect(state, "z { param p: string }\n", "z {\n  param p: string\n}\n");
}

static void test_one_line_block_width(void **state)
{
	/* `x { v = "..." }` is 12 columns plus the string's contents. */
	const char *s100 = rep(state, 's', 100 - 12);
	const char *s101 = rep(state, 's', 101 - 12);
	char in[512], want[512];
	snprintf(in, sizeof in, "x { v = \"%s\" }\n", s100);
	snprintf(want, sizeof want, "x { v = \"%s\" }\n", s100);
	expect(state, in, want);
	snprintf(in, sizeof in, "x { v = \"%s\" }\n", s101);
	snprintf(want, sizeof want, "x {\n  v = \"%s\"\n}\n", s101);
	expect(state, in, want);
	/* The indentation counts. */
	snprintf(in, sizeof in, "a {\n  x { v = \"%s\" }\n}\n", rep(state, 's', 100 - 14));
	snprintf(want, sizeof want, "a {\n  x { v = \"%s\" }\n}\n", rep(state, 's', 100 - 14));
	expect(state, in, want);
	snprintf(in, sizeof in, "a {\n  x { v = \"%s\" }\n}\n", rep(state, 's', 101 - 14));
	snprintf(want, sizeof want, "a {\n  x {\n    v = \"%s\"\n  }\n}\n", rep(state, 's', 101 - 14));
	expect(state, in, want);
}

/* ---- alignment ----------------------------------------------------------- */

static void test_alignment_runs(void **state)
{
	expect(state,
	       "x {\n"
	       "  region = \"r\"\n"
	       "  tags = { a: \"b\" }\n"
	       "\n"
	       "  cidr = 1\n"
	       "  isolation = i  # trailing comments do not end a run\n"
	       "  # an own-line comment does\n"
	       "  endpoints = e\n"
	       "  b { }\n"
	       "  zone = a\n"
	       "  param p: instance\n"
	       "  longer_name = 1\n"
	       "  n = 2\n"
	       "}\n",
	       "x {\n"
	       "  region = \"r\"\n"
	       "  tags   = { a: \"b\" }\n"
	       "\n"
	       "  cidr      = 1\n"
	       "  isolation = i  # trailing comments do not end a run\n"
	       "  # an own-line comment does\n"
	       "  endpoints = e\n"
	       "  b {}\n"
	       "  zone = a\n"
	       "  param p: instance\n"
	       "  longer_name = 1\n"
	       "  n           = 2\n"
	       "}\n");
	/* Top-level definitions align too; padding is never kept from the input. */
	expect(state, "vpc_range  = lab\nlab_range  = vpc\n\nall      = x\n",
	       "vpc_range = lab\nlab_range = vpc\n\nall = x\n");
	/* A multi-line value stays in its run. */
	expect(state,
	       "n {\n  instance = param.instance_type\n  root_access = false\n"
	       "  on_start = [std.lifecycle.pip_from(codeartifact.mlplatform.sagemaker_packages), "
	       "std.lifecycle.idle_stop(2h)]\n}\n",
	       "n {\n"
	       "  instance    = param.instance_type\n"
	       "  root_access = false\n"
	       "  on_start    = [\n"
	       "    std.lifecycle.pip_from(codeartifact.mlplatform.sagemaker_packages),\n"
	       "    std.lifecycle.idle_stop(2h),\n"
	       "  ]\n"
	       "}\n");
}

/* ---- spacing ------------------------------------------------------------- */

static void test_spacing(void **state)
{
	expect(state,
	       "x {\n  a=b+c - d\n  h=b+c-d\n  l=[ a ,b ]\n  m={a:1,\"B c\":2}\n"
	       "  f=g( a,b )\n  p=(a+b)-[c]\n  e=[]\n  o={ }\n  k=f()\n}\n",
	       "x {\n"
	       "  a = b + c - d\n"
	       "  h = b + c-d\n" /* `c-d` is one identifier */
	       "  l = [a, b]\n"
	       "  m = { a: 1, \"B c\": 2 }\n"
	       "  f = g(a, b)\n"
	       "  p = (a + b) - [c]\n"
	       "  e = []\n"
	       "  o = {}\n"
	       "  k = f()\n"
	       "}\n");
	/* `set-[kms]` is a difference: it gets its blanks. */
	expect(state, "e = set-[kms]\n", "e = set - [kms]\n");
	/* Trailing commas go when the list fits on one line. */
	expect(state, "l = [\n  a,\n  b,\n]\nm = {\n  k: \"v\",\n}\nc = f(a,)\n",
	       "l = [a, b]\nm = { k: \"v\" }\nc = f(a)\n");
}

static void test_tokens_kept(void **state)
{
	/* Sizes get one blank; durations, CIDR blocks, instance types, strings stay. */
	expect(state,
	       "x {\n  a = 50GB\n  b = 50   GiB\n  c = 1\tTiB\n  d = 1h30m\n  e = 10.0.0.0/16\n"
	       "  f = ml.g5.12xlarge\n  g = \"a\\tb \\\"q\\\"\"\n  h = us-east-1\n  i = true\n}\n",
	       "x {\n  a = 50 GB\n  b = 50 GiB\n  c = 1 TiB\n  d = 1h30m\n  e = 10.0.0.0/16\n"
	       "  f = ml.g5.12xlarge\n  g = \"a\\tb \\\"q\\\"\"\n  h = us-east-1\n  i = true\n}\n");
	/* A reference written `ml . t3 . large` must not become an instance type. */
	expect(state, "a = ml . t3 . large\nb = x.ml .t3.y\n", "a = ml .t3.large\nb = x.ml .t3.y\n");
	/* An attribute named like a unit after an integer would make a size. */
	expect(state, "x {\n  a = 1\n  GBx = 2\n}\n", "x {\n  a   = 1\n  GBx = 2\n}\n");
}

/* ---- breaking long values ------------------------------------------------ */

static void test_long_list(void **state)
{
	/* `l = [A, bbb]` is 11 columns plus A. */
	const char *a89 = rep(state, 'a', 89), *a90 = rep(state, 'a', 90);
	char in[512], want[512];
	snprintf(in, sizeof in, "l = [\n  %s,\n  bbb,\n]\n", a89);
	snprintf(want, sizeof want, "l = [%s, bbb]\n", a89);
	expect(state, in, want);
	snprintf(in, sizeof in, "l = [%s, bbb]\n", a90);
	snprintf(want, sizeof want, "l = [\n  %s,\n  bbb,\n]\n", a90);
	expect(state, in, want);
	/* Nested: only what does not fit breaks, one level deeper each time. */
	expect(state,
	       "x {\n  code_editor {\n    on_start = [std.lifecycle.install_tools([\"poetry\", \"uv\", \"pdm\"]), "
	       "std.lifecycle.git_config(\"Research Team\", \"research@example.com\")]\n  }\n}\n",
	       "x {\n"
	       "  code_editor {\n"
	       "    on_start = [\n"
	       "      std.lifecycle.install_tools([\"poetry\", \"uv\", \"pdm\"]),\n"
	       "      std.lifecycle.git_config(\"Research Team\", \"research@example.com\"),\n"
	       "    ]\n"
	       "  }\n"
	       "}\n");
}

static void test_long_map_and_call(void **state)
{
	expect(state,
	       "tags = { Environment: \"development\", Project: \"ml-platform\", Owner: \"team-a\", "
	       "\"Cost Center\": \"1234\" }\n",
	       "tags = {\n"
	       "  Environment: \"development\",\n"
	       "  Project: \"ml-platform\",\n"
	       "  Owner: \"team-a\",\n"
	       "  \"Cost Center\": \"1234\",\n"
	       "}\n");
	expect(state,
	       "s = std.lifecycle.code_editor_extensions(\"ms-python.python\", \"ms-toolsai.jupyter\", "
	       "\"vscodevim.vim\", \"x\")\n",
	       "s = std.lifecycle.code_editor_extensions(\n"
	       "  \"ms-python.python\",\n"
	       "  \"ms-toolsai.jupyter\",\n"
	       "  \"vscodevim.vim\",\n"
	       "  \"x\",\n"
	       ")\n");
}

static void test_long_set_expression(void **state)
{
	/* Fits in 100 columns: one line, whatever the input's breaks. */
	expect(state,
	       "n {\n  cidr = 10.0.0.0/16\n  endpoints = std.endpoints.notebook + std.endpoints.codeartifact\n"
	       "            + std.endpoints.ecr + [logs]\n}\n",
	       "n {\n  cidr      = 10.0.0.0/16\n  endpoints = std.endpoints.notebook + std.endpoints.codeartifact + "
	       "std.endpoints.ecr + [logs]\n}\n");
	/* Too long: filled, breaking before the operator, 4 columns in. */
	expect(state,
	       "environment e {\n  network vpc {\n    endpoints = std.endpoints.notebook + "
	       "std.endpoints.codeartifact + std.endpoints.ecr + std.endpoints.observability "
	       "- [monitoring] + [logs]\n  }\n}\n",
	       "environment e {\n"
	       "  network vpc {\n"
	       "    endpoints = std.endpoints.notebook + std.endpoints.codeartifact + std.endpoints.ecr\n"
	       "        + std.endpoints.observability - [monitoring] + [logs]\n"
	       "  }\n"
	       "}\n");
	expect(state,
	       "all = notebook + studio + codeartifact + ecr + observability + remote_access + "
	       "[secretsmanager, kms, x]\n",
	       "all = notebook + studio + codeartifact + ecr + observability + remote_access\n"
	       "    + [secretsmanager, kms, x]\n");
}

/* ---- comments and blank lines -------------------------------------------- */

static void test_comments(void **state)
{
	expect(state,
	       "# head\n"
	       "  // slashes, kept as written   \n"
	       "x {   # after the brace\n"
	       "      # own line, re-indented\n"
	       "  a = 1      # trailing: two blanks\n"
	       "  b = 2 // also trailing\n"
	       "  # dangling at the end of the block\n"
	       "}\n"
	       "# at the end\n",
	       "# head\n"
	       "// slashes, kept as written\n"
	       "x {  # after the brace\n"
	       "  # own line, re-indented\n"
	       "  a = 1  # trailing: two blanks\n"
	       "  b = 2  // also trailing\n"
	       "  # dangling at the end of the block\n"
	       "}\n"
	       "# at the end\n");
	/* A comment inside a list breaks it; the comma goes before the comment. */
	expect(state, "a = [x  # first\n  , y]\nb = [ # why\n]\n",
	       "a = [\n  x,  # first\n  y,\n]\nb = [  # why\n]\n");
	expect(state, "e = a +  # why\n  b + c\n", "e = a +  # why\n    b + c\n");
	expect(state, "e = a\n  # why\n  + b\n", "e = a\n    # why\n    + b\n");
}

static void test_blank_lines(void **state)
{
	expect(state,
	       "\n\n\n# top\n\n\n\nx {\n\n\n  a = 1\n\n\n\n  # c\n\n  b = 2\n\n\n}\n\n\n\ny {}\n\n\n",
	       "# top\n\nx {\n  a = 1\n\n  # c\n\n  b = 2\n}\n\ny {}\n");
	/* Blank lines between list elements stay (one), not after `[`. */
	expect(state, "a = [\n\n  # c\n  1,\n\n\n  2,\n\n]\n", "a = [\n  # c\n  1,\n\n  2,\n]\n");
}

static void test_file_end_and_whitespace(void **state)
{
	size_t n;
	const char *out = fmt_len(state, "", 0, &n);
	assert_non_null(out);
	assert_int_equal(n, 0);
	expect(state, "\n\n  \n", "");
	expect(state, "# only", "# only\n");
	expect(state, "a = 1", "a = 1\n");
	expect(state, "a = 1   \n\n\n", "a = 1\n");
	/* A byte order mark goes; the scanner skips a second one right after it. */
	expect(state, "\xEF\xBB\xBF" "a = 1\n", "a = 1\n");
	expect(state, "\xEF\xBB\xBF\xEF\xBB\xBF" "a = 1\n", "a = 1\n");
	/* CRLF in, LF out; a CR before a comment's end is dropped with the blanks. */
	expect(state, "x {\r\n  a = 1  # c\r\n\r\n\r\n  b = 2\r\n}\r\n",
	       "x {\n  a = 1  # c\n\n  b = 2\n}\n");
	/* UTF-8 in strings and comments: columns count code points. */
	expect(state, "x {\n  d = \"caf\xc3\xa9\"  # \xc3\xa9t\xc3\xa9\n  dd = 1\n}\n",
	       "x {\n  d  = \"caf\xc3\xa9\"  # \xc3\xa9t\xc3\xa9\n  dd = 1\n}\n");
}

/* ---- `# sgc: allow` lines ------------------------------------------------ */

static void test_allow_lines_keep_their_tokens(void **state)
{
	/* The allow comment silences its own line: nothing joins it... */
	expect(state,
	       "n {\n  endpoints = std.endpoints.notebook\n      + [secretsmanager]  # sgc: allow W0602\n}\n",
	       "n {\n  endpoints = std.endpoints.notebook\n      + [secretsmanager]  # sgc: allow W0602\n}\n");
	/* ...and nothing is split off it, even past 100 columns or 3 attributes. */
	const char *line =
		"  egress { port = 22  cidr = 0.0.0.0/0  protocol = tcp  description = "
		"\"ssh from anywhere, for the bastion\" }  # sgc: allow W0704\n";
	char in[512];
	snprintf(in, sizeof in, "g {\n%s}\n", line);
	expect(state, in, in);
	/* Items sharing an allow line stay on it, with each other and with a `{`. */
	expect(state, "x {\n  a = 1; root_access = true  # sgc: allow W0701\n}\n",
	       "x {\n  a = 1  root_access = true  # sgc: allow W0701\n}\n");
	expect(state, "e { region = \"us-east-1\"  description = \"x\"  # sgc: allow W0702\n}\n",
	       "e { region = \"us-east-1\"  description = \"x\"  # sgc: allow W0702\n}\n");
	/* ...and so do closers and elements sharing one (found by fuzz_fmt). */
	expect(state, "e {\n  tags = {\n    Team: \"ml\",   }  # sgc: allow W0702\n}\n",
	       "e {\n  tags = {\n    Team: \"ml\", }  # sgc: allow W0702\n}\n");
	expect(state, "n {\n  subnet a {\n    cidr = 10.0.1.0/24 }  # sgc: allow W0702\n}\n",
	       "n {\n  subnet a {\n    cidr = 10.0.1.0/24 }  # sgc: allow W0702\n}\n");
	expect(state, "x = [1, 2,\n  3, 4]  # sgc: allow W0702\n",
	       "x = [\n  1,\n  2,\n  3, 4]  # sgc: allow W0702\n");
	expect(state, "e {\n  tags = { a: 1,  # sgc: allow W0702\n  b: 2 }\n}\n",
	       "e {\n  tags = { a: 1,  # sgc: allow W0702\n    b: 2,\n  }\n}\n");
	/* Without the marker the same input is fine. */
	expect(state, "x {\n  a = 1; root_access = true  # fine\n}\n",
	       "x {\n  a           = 1\n  root_access = true  # fine\n}\n");
}

/* ---- refusals ------------------------------------------------------------ */

static void test_null_when_not_parsed(void **state)
{
	static const char *const bad[] = {
		"x {\n",                          /* unclosed */
		"x { a = 1 }}\n",                 /* stray closer */
		"x { a = [1, 2) }\n",             /* mismatched */
		"region \"x\"\n",                 /* syntax */
		"a = = b\n",
		"a = \"open\n",                   /* unterminated string */
		"a = \"\\q\"\n",                  /* bad escape */
		"a = 10.0.0/16\n",                /* malformed literal */
		"a = 50GBs\n",
		"a = 99999999999999999999\n",    /* integer out of range */
		"a = @\n",                        /* unexpected character */
		"a = / b\n",
		"a = caf\xc3\xa9\n",              /* non-ASCII outside strings */
		"import = 1\n",                   /* keyword as a name */
		"x { param = 1 }\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (fmt(state, bad[i]))
			fail_msg("formatted input that does not parse: %s", bad[i]);
	/* Invalid UTF-8, even in a comment; a NUL byte. */
	assert_null(fmt(state, "# \xff\na = 1\n"));
	assert_null(fmt_len(state, "a = 1\0\n", 7, NULL));
	/* Nesting deeper than the parser allows. */
	char deep[256] = "a = ";
	for (int i = 0; i < 70; i++)
		strcat(deep, "[");
	strcat(deep, "s3");
	for (int i = 0; i < 70; i++)
		strcat(deep, "]");
	assert_null(fmt(state, deep));
	assert_null(fmt_source(*state, NULL, 3, NULL));
}

/* ---- sgc fmt --tokens ---------------------------------------------------- */

static void test_tokens_dump(void **state)
{
	size_t n;
	bool clean;
	static const char text[] = "\xEF\xBB\xBFx { # c  \n  a = 50GB ; s = \"caf\xC3\xA9\"\n}";
	const char *out = fmt_tokens(*state, text, sizeof text - 1, &n, &clean);
	assert_true(clean);
	assert_string_equal(out,
			    "IDENT 1:1 x\n"
			    "LBRACE 1:3 {\n"
			    "COMMENT 1:5 # c\n"
			    "IDENT 2:3 a\n"
			    "EQ 2:5 =\n"
			    "SIZE 2:7 50GB\n"
			    "SEMI 2:12 ;\n"
			    "IDENT 2:14 s\n"
			    "EQ 2:16 =\n"
			    "STRING 2:18 \"caf\xC3\xA9\"\n"
			    "RBRACE 3:1 }\n"
			    "END 3:2\n");
	assert_int_equal(n, strlen(out));
	/* What does not lex is still listed, as the parser would be given it. */
	out = fmt_tokens(*state, "a = [\"\x1b\" @ }", 12, &n, &clean);
	assert_false(clean);
	assert_string_equal(out, "IDENT 1:1 a\nEQ 1:3 =\nLBRACK 1:5 [\nSTRING 1:6 \"\\x1b\"\n"
			    "RBRACK 1:12 ]\nEND 1:13\n");
	out = fmt_tokens(*state, "", 0, &n, &clean);
	assert_true(clean);
	assert_string_equal(out, "END 1:1\n");
}

/* ---- every .sgl file in the repository ----------------------------------- */

static void read_all(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	*text = buf;
	*len = n;
}

/* The syntax tree as ast_dump text (malloc'd), or NULL when there are errors. */
static char *dump_of(struct arena *a, const char *text, size_t len)
{
	struct src_map m;
	struct diag_sink d;
	src_map_init(&m, a);
	diag_sink_init(&d, a);
	uint32_t file = src_add(&m, "t.sgl", text, len);
	if (src_invalid_utf8(src_get(&m, file)) != UINT32_MAX)
		return NULL;
	struct ast_file *ast = parse_file(a, &d, &m, file);
	if (diag_has_errors(&d))
		return NULL;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	ast_dump(f, ast);
	fclose(f);
	return buf;
}

/* The comments of a text in order, trailing blanks dropped, one per line. */
static char *comments_of(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			for (i++; i < n && s[i] != '"' && s[i] != '\n'; i++)
				if (s[i] == '\\')
					i++;
		} else if (s[i] == '#' || (s[i] == '/' && i + 1 < n && s[i + 1] == '/')) {
			size_t j = i;
			while (j < n && s[j] != '\n')
				j++;
			size_t end = j;
			while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r'))
				end--;
			memcpy(o, s + i, end - i);
			o += end - i;
			*o++ = '\n';
			i = j;
		}
	}
	*o = '\0';
	return out;
}

/* Layout promises any output keeps: one final newline, no trailing blanks. */
static void check_shape(const char *path, const char *s, size_t n, bool widths)
{
	if (n == 0)
		return;
	if (s[n - 1] != '\n' || (n >= 2 && s[n - 2] == '\n'))
		fail_msg("%s: does not end with exactly one newline", path);
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				fail_msg("%s: trailing blank at byte %zu", path, i);
			if (widths && col > 100)
				fail_msg("%s: a line of %zu columns", path, col);
			if (i + 2 < n && s[i + 1] == '\n' && s[i + 2] == '\n')
				fail_msg("%s: two blank lines in a row at byte %zu", path, i);
			col = 0;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			col++;
		}
	}
}

static size_t check_files(void **state, const char *pattern, bool all_parse, bool widths)
{
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0)
		fail_msg("no files match %s", pattern);
	size_t formatted = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		char *text;
		size_t len;
		read_all(path, &text, &len);
		char *before = dump_of(*state, text, len);
		size_t n;
		const char *out = fmt_len(state, text, len, &n);
		if (!before) {
			/* Only input the front end refuses may be refused. */
			if (out)
				fail_msg("%s: formatted, though it does not parse", path);
			if (all_parse)
				fail_msg("%s: does not parse", path);
			free(text);
			continue;
		}
		if (!out)
			fail_msg("%s: parses but was not formatted", path);
		formatted++;
		check_shape(path, out, n, widths);
		/* Idempotent. */
		size_t n2;
		const char *again = fmt_len(state, out, n, &n2);
		if (!again || n2 != n || memcmp(again, out, n) != 0)
			fail_msg("%s: formatting twice changes the text", path);
		/* Same tree, same comments. */
		char *after = dump_of(*state, out, n);
		assert_non_null(after);
		if (strcmp(before, after) != 0)
			fail_msg("%s: the syntax tree changed", path);
		char *c1 = comments_of(text, len), *c2 = comments_of(out, n);
		if (strcmp(c1, c2) != 0)
			fail_msg("%s: comments changed:\n%s---\n%s", path, c1, c2);
		free(c1);
		free(c2);
		free(after);
		free(before);
		free(text);
	}
	globfree(&g);
	return formatted;
}

static void test_examples_files(void **state)
{
	assert_true(check_files(state, "examples/*.sgl", true, true) >= 6);
}

static void test_stdlib_files(void **state)
{
	assert_true(check_files(state, "stdlib/*.sgl", true, true) >= 2);
}

static void test_good_files(void **state)
{
	assert_true(check_files(state, "tests/good/*.sgl", true, false) >= 20);
}

static void test_error_files(void **state)
{
	/* Most of them parse (their errors are semantic) and must format. */
	assert_true(check_files(state, "tests/errors/*.sgl", false, false) >= 50);
}

/* Formatting an example changes nothing in its template. */
static void test_examples_same_template(void **state)
{
	glob_t g;
	assert_int_equal(glob("examples/*.sgl", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 6);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		char *text;
		size_t len, n;
		read_all(path, &text, &len);
		const char *out = fmt_len(state, text, len, &n);
		if (!out)
			fail_msg("%s: not formatted", path);
		struct compile a, b;
		compile_init(&a);
		compile_init(&b);
		if (!compile_text(&a, path, text, len, COMPILE_LOWER))
			fail_msg("%s: does not compile", path);
		if (!compile_text(&b, path, out, n, COMPILE_LOWER))
			fail_msg("%s: does not compile once formatted", path);
		assert_non_null(a.json);
		assert_non_null(b.json);
		if (a.json_len != b.json_len || memcmp(a.json, b.json, a.json_len) != 0)
			fail_msg("%s: the template changed", path);
		assert_int_equal(a.diags.nwarnings, b.diags.nwarnings);
		compile_free(&a);
		compile_free(&b);
		free(text);
	}
	globfree(&g);
}

/* Warnings silenced by `# sgc: allow` stay silenced, the others stay. */
static void test_allow_files_same_warnings(void **state)
{
	static const char *const paths[] = {
		"tests/good/allow-comment-every-line.sgl",
		"tests/good/endpoint-unused-allowed.sgl",
		"tests/errors/allow-comment-one-line.sgl",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char *text;
		size_t len, n;
		read_all(paths[i], &text, &len);
		const char *out = fmt_len(state, text, len, &n);
		assert_non_null(out);
		struct compile a, b;
		compile_init(&a);
		compile_init(&b);
		bool oka = compile_text(&a, paths[i], text, len, COMPILE_CHECK);
		bool okb = compile_text(&b, paths[i], out, n, COMPILE_CHECK);
		assert_int_equal(oka, okb);
		assert_int_equal(a.diags.nerrors, b.diags.nerrors);
		assert_int_equal(a.diags.nwarnings, b.diags.nwarnings);
		compile_free(&a);
		compile_free(&b);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_indent_items_and_semicolons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imports_and_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_line_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_line_block_width, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spacing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_map_and_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_set_expression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_end_and_whitespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allow_lines_keep_their_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_when_not_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_examples_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdlib_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_examples_same_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allow_files_same_warnings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
