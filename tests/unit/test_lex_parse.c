/*
 * test_lex_parse.c - unit tests for the front end: the flex scanner
 * (grammar/lexer.l, compiler/lex.c), the bison grammar (grammar/parser.y,
 * compiler/parse.c) and the literal conversion in compiler/ast.c.
 *
 * Accepted input is checked through ast_dump(); rejected input through
 * the diagnostic code and its 1-based line:column, plus the message
 * where the wording is the point (syntax errors).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "lex.h"
#include "parse.h"
#include "parser.h"
#include "src.h"

struct fixture {
	struct arena *arena;
	struct src_map map;
	struct diag_sink diags;
	uint32_t file;
	struct ast_file *ast;
};

static int setup(void **state)
{
	static struct fixture fx;
	memset(&fx, 0, sizeof fx);
	fx.arena = arena_new();
	src_map_init(&fx.map, fx.arena);
	diag_sink_init(&fx.diags, fx.arena);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	arena_free(fx->arena);
	return 0;
}

static struct fixture *parse_len(void **state, const char *text, size_t len)
{
	struct fixture *fx = *state;
	fx->file = src_add(&fx->map, "t.sgl", text, len);
	fx->ast = parse_file(fx->arena, &fx->diags, &fx->map, fx->file);
	assert_non_null(fx->ast);
	return fx;
}

static struct fixture *parse(void **state, const char *text)
{
	return parse_len(state, text, strlen(text));
}

/* ast_dump of the parsed file, copied into the arena. */
static const char *dump(struct fixture *fx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	ast_dump(out, fx->ast);
	fclose(out);
	const char *s = arena_strdup(fx->arena, buf);
	free(buf);
	return s;
}

/* Every diagnostic as "CODE line:col msg", one a line, in source order. */
static const char *diag_list(struct fixture *fx)
{
	size_t n, dropped;
	const struct diag **all = diag_sorted(&fx->diags, 0, &n, &dropped);
	const char *out = "";
	for (size_t i = 0; i < n; i++) {
		struct src_pos p = src_locate(src_get(&fx->map, all[i]->span.file),
					      all[i]->span.lo);
		out = arena_printf(fx->arena, "%s%s %u:%u %s\n", out,
				   diag_code_name(all[i]->code), p.line, p.col,
				   all[i]->msg);
	}
	return out;
}

static void assert_no_diags(struct fixture *fx)
{
	if (fx->diags.head)
		fail_msg("unexpected diagnostics:\n%s", diag_list(fx));
}

/* Parse `text` without any diagnostic and compare the dump with `want`. */
static void assert_parses(void **state, const char *text, const char *want)
{
	struct fixture *fx = parse(state, text);
	assert_no_diags(fx);
	const char *got = dump(fx);
	if (strcmp(got, want) != 0)
		fail_msg("dump of:\n%s\n--- want\n%s--- got\n%s---", text, want, got);
}

/* The i-th diagnostic in source order. */
static const struct diag *nth_diag(struct fixture *fx, size_t i)
{
	size_t n, dropped;
	const struct diag **all = diag_sorted(&fx->diags, 0, &n, &dropped);
	if (i >= n)
		fail_msg("wanted diagnostic #%zu, have:\n%s", i, diag_list(fx));
	return all[i];
}

static size_t ndiags(struct fixture *fx)
{
	size_t n = 0;
	for (const struct diag *d = fx->diags.head; d; d = d->next)
		n++;
	return n;
}

static void assert_diag_at(struct fixture *fx, const struct diag *d,
			   enum diag_code code, uint32_t line, uint32_t col)
{
	struct src_pos p = src_locate(src_get(&fx->map, d->span.file), d->span.lo);
	if (d->code != code || p.line != line || p.col != col)
		fail_msg("want %s at %u:%u, got %s at %u:%u (%s); all:\n%s",
			 diag_code_name(code), line, col, diag_code_name(d->code),
			 p.line, p.col, d->msg, diag_list(fx));
}

/* Exactly one diagnostic, with this code and position. */
static const struct diag *assert_one_diag(struct fixture *fx, enum diag_code code,
					  uint32_t line, uint32_t col)
{
	if (ndiags(fx) != 1)
		fail_msg("want exactly one %s, got:\n%s", diag_code_name(code),
			 diag_list(fx));
	const struct diag *d = fx->diags.head;
	assert_diag_at(fx, d, code, line, col);
	return d;
}

/* `n` copies of `s` in the arena. */
static char *repeat(struct fixture *fx, const char *s, int n)
{
	size_t k = strlen(s);
	char *out = arena_alloc(fx->arena, k * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		memcpy(out + k * (size_t)i, s, k);
	return out;
}

/* The value of the first top-level item. */
static const struct ast_expr *first_value(struct fixture *fx)
{
	assert_non_null(fx->ast->items);
	assert_non_null(fx->ast->items->value);
	return fx->ast->items->value;
}

/* ---- items ------------------------------------------------------------ */

static void test_blocks_named_and_unnamed(void **state)
{
	assert_parses(state,
		"environment dev {\n"
		"  network vpc {\n"
		"    security_group web {\n"
		"      ingress { port = 443 }\n"
		"      egress {}\n"
		"    }\n"
		"  }\n"
		"}\n",
		"environment dev {\n"
		"  network vpc {\n"
		"    security_group web {\n"
		"      ingress {\n"
		"        port = 443\n"
		"      }\n"
		"      egress {\n"
		"      }\n"
		"    }\n"
		"  }\n"
		"}\n");
}

static void test_block_fields(void **state)
{
	struct fixture *fx = parse(state, "subnet a { cidr = 10.0.1.0/24 }\nx {}\n");
	assert_no_diags(fx);
	const struct ast_item *b = fx->ast->items;
	assert_int_equal(b->kind, IT_BLOCK);
	assert_string_equal(b->block_kind, "subnet");
	assert_string_equal(b->name, "a");
	assert_int_equal(b->kind_span.lo, 0);
	assert_int_equal(b->kind_span.hi, 6);
	assert_int_equal(b->name_span.lo, 7);
	assert_int_equal(b->close_span.lo, 30);
	assert_int_equal(b->span.lo, 0);
	assert_int_equal(b->span.hi, 31);
	assert_int_equal(b->depth, 1);
	assert_int_equal(b->children->kind, IT_ATTR);
	assert_string_equal(b->children->name, "cidr");

	const struct ast_item *x = b->next;
	assert_int_equal(x->kind, IT_BLOCK);
	assert_null(x->name);
	assert_null(x->children);
	assert_null(x->next);
}

static void test_attributes_scalars(void **state)
{
	assert_parses(state,
		"s = \"text\"\n"
		"i = 42\n"
		"z = 0\n"
		"t = true\n"
		"f = false\n"
		"w = isolated\n"
		"e = \"\"\n",
		"s = \"text\"\n"
		"i = 42\n"
		"z = 0\n"
		"t = true\n"
		"f = false\n"
		"w = isolated\n"
		"e = \"\"\n");
}

/* Items need no separator; `;` is allowed and ignored. */
static void test_semicolons_and_layout(void **state)
{
	assert_parses(state,
		"a = 1; b = 2;; c { d = 3; } e = [1,\n2]",
		"a = 1\n"
		"b = 2\n"
		"c {\n"
		"  d = 3\n"
		"}\n"
		"e = [1, 2]\n");
}

static void test_params(void **state)
{
	assert_parses(state,
		"environment e {\n"
		"  param owner: string\n"
		"  param size: int = 3\n"
		"  param type: instance = ml.t3.medium\n"
		"}\n",
		"environment e {\n"
		"  param owner: string\n"
		"  param size: int = 3\n"
		"  param type: instance = (instance ml.t3.medium)\n"
		"}\n");
	struct fixture *fx = *state;
	const struct ast_item *p = fx->ast->items->children;
	assert_int_equal(p->kind, IT_PARAM);
	assert_string_equal(p->type_name, "string");
	assert_null(p->value);
	assert_string_equal(p->next->type_name, "int");
	assert_int_equal(p->next->value->u.i, 3);
}

static void test_imports(void **state)
{
	assert_parses(state,
		"import std.endpoints\n"
		"import a.b.c\n"
		"import single\n",
		"import std.endpoints\n"
		"import a.b.c\n"
		"import single\n");
	struct fixture *fx = *state;
	const struct ast_item *it = fx->ast->items;
	assert_int_equal(it->kind, IT_IMPORT);
	assert_int_equal(it->path->n, 2);
	assert_string_equal(it->path->parts[1], "endpoints");
	assert_int_equal(it->path->spans[1].lo, 11);
	assert_int_equal(it->path->span.lo, 7);
	assert_int_equal(it->path->span.hi, 20);
}

/* ---- expressions ------------------------------------------------------ */

static void test_lists(void **state)
{
	assert_parses(state,
		"a = []\n"
		"b = [1]\n"
		"c = [1, 2, 3,]\n"
		"d = [[1], [], [\"x\", y]]\n"
		"e = [\n  s3,\n  logs,\n]\n",
		"a = []\n"
		"b = [1]\n"
		"c = [1, 2, 3]\n"
		"d = [[1], [], [\"x\", y]]\n"
		"e = [s3, logs]\n");
	struct fixture *fx = *state;
	const struct ast_item *c = fx->ast->items->next->next;
	assert_int_equal(c->value->kind, EX_LIST);
	assert_int_equal(c->value->u.list.n, 3);
}

static void test_maps(void **state)
{
	assert_parses(state,
		"a = {}\n"
		"b = { Team: \"ml\", \"Cost Center\": \"42\", }\n"
		"c = { x: [1, 2], y: { z: true } }\n",
		"a = {}\n"
		"b = {Team: \"ml\", Cost Center: \"42\"}\n"
		"c = {x: [1, 2], y: {z: true}}\n");
	struct fixture *fx = *state;
	const struct ast_expr *b = fx->ast->items->next->value;
	assert_int_equal(b->kind, EX_MAP);
	assert_int_equal(b->u.map.n, 2);
	/* The quoted key's span covers its quotes. */
	assert_int_equal(b->u.map.head->next->key_span.hi -
			 b->u.map.head->next->key_span.lo, 13);
}

/* `+` and `-` have equal precedence and group to the left. */
static void test_set_ops_left_assoc(void **state)
{
	assert_parses(state,
		"a = x + y\n"
		"b = x - y + z\n"
		"c = x + y - z - w\n"
		"d = x - (y + z)\n"
		"e = ((x))\n"
		"f = [s3] + std.endpoints.notebook - [sts]\n",
		"a = (+ x y)\n"
		"b = (+ (- x y) z)\n"
		"c = (- (- (+ x y) z) w)\n"
		"d = (- x (+ y z))\n"
		"e = x\n"
		"f = (- (+ [s3] std.endpoints.notebook) [sts])\n");
	struct fixture *fx = *state;
	const struct ast_expr *b = fx->ast->items->next->value;
	/* The whole expression's span runs from `x` to `z`. */
	assert_int_equal(b->span.lo, 14);
	assert_int_equal(b->span.hi, 23);
	/* Leaves are depth 0; each operator adds one. */
	assert_int_equal(b->depth, 2);
}

static void test_calls(void **state)
{
	assert_parses(state,
		"a = f()\n"
		"b = f(1)\n"
		"c = lib.fn(1, x.y, [2],)\n"
		"d = f(g(h()))\n",
		"a = (call f)\n"
		"b = (call f 1)\n"
		"c = (call lib.fn 1 x.y [2])\n"
		"d = (call f (call g (call h)))\n");
	struct fixture *fx = *state;
	const struct ast_expr *c = fx->ast->items->next->next->value;
	assert_int_equal(c->u.call.nargs, 3);
	assert_int_equal(c->u.call.fn->n, 2);
}

static void test_sizes(void **state)
{
	assert_parses(state,
		"a = 50 GB\n"
		"b = 50GiB\n"
		"c = 1\tKB\n"
		"d = 2 TiB\n"
		"e = 512MiB\n"
		"f = 3 TB\n"
		"g = 7 KiB\n"
		"h = 9MB\n",
		"a = (size 50 GB)\n"
		"b = (size 50 GiB)\n"
		"c = (size 1 KB)\n"
		"d = (size 2 TiB)\n"
		"e = (size 512 MiB)\n"
		"f = (size 3 TB)\n"
		"g = (size 7 KiB)\n"
		"h = (size 9 MB)\n");
	struct fixture *fx = *state;
	const struct ast_item *it = fx->ast->items;
	assert_int_equal(ast_size_bytes(it->value), 50000000000ULL);
	assert_int_equal(ast_size_bytes(it->next->value), 50ULL << 30);
	assert_int_equal(ast_size_bytes(it->next->next->value), 1000);
	assert_int_equal(ast_size_bytes(it->next->next->next->value), 2ULL << 40);
}

/* Sizes saturate rather than wrap when converted to bytes. */
static void test_size_bytes_saturate(void **state)
{
	struct fixture *fx = parse(state, "a = 18446744073709551615 TiB\n");
	assert_no_diags(fx);
	assert_int_equal(first_value(fx)->u.size.amount, UINT64_MAX);
	assert_true(ast_size_bytes(first_value(fx)) == UINT64_MAX);
}

static void test_durations(void **state)
{
	assert_parses(state,
		"a = 1h30m\n"
		"b = 90s\n"
		"c = 7d\n"
		"d = 12h\n"
		"e = 1d1h1m1s\n"
		"f = 0s\n"
		"g = 30m1h\n",
		"a = (duration 5400s)\n"
		"b = (duration 90s)\n"
		"c = (duration 604800s)\n"
		"d = (duration 43200s)\n"
		"e = (duration 90061s)\n"
		"f = (duration 0s)\n"
		"g = (duration 5400s)\n");
}

static void test_cidr_and_instance_literals(void **state)
{
	assert_parses(state,
		"a = 10.0.0.0/16\n"
		"b = 10.0.0.1/16\n"
		"c = 999.1.2.3/40\n"
		"d = ml.t3.medium\n"
		"e = ml.p6-b200.48xlarge\n"
		"f = ml.g5.12xlarge\n",
		"a = (cidr 10.0.0.0/16)\n"
		"b = (cidr 10.0.0.1/16)\n"
		"c = (cidr 999.1.2.3/40)\n" /* the checker parses CIDRs exactly */
		"d = (instance ml.t3.medium)\n"
		"e = (instance ml.p6-b200.48xlarge)\n"
		"f = (instance ml.g5.12xlarge)\n");
	struct fixture *fx = *state;
	assert_int_equal(first_value(fx)->kind, EX_CIDR);
	assert_int_equal(first_value(fx)->span.lo, 4);
	assert_int_equal(first_value(fx)->span.hi, 15);
}

/*
 * Hyphens join words into one identifier (service names such as
 * `featurestore-runtime`); a `-` with a blank before it is an operator.
 */
static void test_hyphenated_identifiers(void **state)
{
	assert_parses(state,
		"a = [sagemaker.featurestore-runtime]\n"
		"b = us-east-1\n"
		"c = x-y\n"
		"d = x - y\n"
		"e = x -y\n"
		"f = x- y\n",
		"a = [sagemaker.featurestore-runtime]\n"
		"b = us-east-1\n"
		"c = x-y\n"
		"d = (- x y)\n"
		"e = (- x y)\n"
		"f = (- x y)\n");
	struct fixture *fx = *state;
	const struct ast_expr *a = first_value(fx)->u.list.head;
	assert_int_equal(a->kind, EX_NAME);
	assert_int_equal(a->u.name->n, 2);
	assert_string_equal(a->u.name->parts[0], "sagemaker");
	assert_string_equal(a->u.name->parts[1], "featurestore-runtime");
	const struct ast_expr *c = fx->ast->items->next->next->value;
	assert_int_equal(c->u.name->n, 1);
	assert_string_equal(c->u.name->parts[0], "x-y");
}

static void test_param_reference(void **state)
{
	struct fixture *fx = parse(state, "x = param.instance_type\ny = a.b.c\n");
	assert_no_diags(fx);
	assert_string_equal(dump(fx), "x = param.instance_type\ny = a.b.c\n");
	const struct ast_expr *x = first_value(fx);
	assert_int_equal(x->kind, EX_NAME);
	assert_int_equal(x->u.name->n, 2);
	assert_string_equal(x->u.name->parts[0], "param");
	assert_string_equal(x->u.name->parts[1], "instance_type");
	assert_int_equal(x->u.name->spans[1].lo, 10);
	assert_int_equal(x->span.lo, 4);
	assert_int_equal(x->span.hi, 23);
	assert_string_equal(ast_name_str(fx->arena, fx->ast->items->next->value->u.name),
			    "a.b.c");
}

static void test_comments(void **state)
{
	assert_parses(state,
		"# a comment\n"
		"a = 1 # trailing\n"
		"// another\n"
		"b = \"# not a comment\" // trailing\n"
		"c = \"// nor this\"\n"
		"#d = 4\n"
		"e { # in a block\n"
		"  f = 5 // here too\n"
		"}\n"
		"# last line, no newline",
		"a = 1\n"
		"b = \"# not a comment\"\n"
		"c = \"// nor this\"\n"
		"e {\n"
		"  f = 5\n"
		"}\n");
}

static void test_string_escapes(void **state)
{
	struct fixture *fx = parse(state,
		"s = \"q\\\"b\\\\n\\nt\\tr\\r.\"\n"
		"u = \"caf\xC3\xA9\"\n");
	assert_no_diags(fx);
	const struct ast_expr *s = first_value(fx);
	assert_int_equal(s->kind, EX_STRING);
	assert_int_equal(s->u.str.len, 11);
	assert_memory_equal(s->u.str.s, "q\"b\\n\nt\tr\r.", 11);
	assert_int_equal(s->u.str.s[11], '\0');
	assert_string_equal(dump(fx),
		"s = \"q\\\"b\\\\n\\x0at\\x09r\\x0d.\"\n"
		"u = \"caf\xC3\xA9\"\n");
	/* The span covers both quotes. */
	assert_int_equal(s->span.lo, 4);
	assert_int_equal(s->span.hi, 4 + 18);
}

static void test_integer_bounds(void **state)
{
	struct fixture *fx = parse(state, "a = 9223372036854775807\nb = 007\n");
	assert_no_diags(fx);
	assert_true(first_value(fx)->u.i == INT64_MAX);
	assert_int_equal(fx->ast->items->next->value->u.i, 7);
}

/* Exactly 64 levels is fine. */
static void test_depth_64_accepted(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_printf(fx->arena, "x = %s%s\n", repeat(fx, "[", 64),
				  repeat(fx, "]", 64));
	parse(state, text);
	assert_no_diags(fx);
	assert_int_equal(first_value(fx)->depth, 64);
	assert_int_equal(first_value(fx)->kind, EX_LIST);
}

/* ---- lexical errors --------------------------------------------------- */

static void test_unterminated_string(void **state)
{
	struct fixture *fx = parse(state, "a = 1\nb = \"abc\nc = 2\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0101, 2, 5);
	assert_string_equal(d->msg, "unterminated string");
	/* The caret is on the opening quote only. */
	assert_int_equal(d->span.hi - d->span.lo, 1);
	assert_non_null(d->help);
	/* The string became an invalid value; the next line still parses. */
	assert_string_equal(dump(fx), "a = 1\nb = <invalid>\nc = 2\n");
}

static void test_unterminated_string_at_eof(void **state)
{
	struct fixture *fx = parse(state, "x = \"abc\\");
	assert_one_diag(fx, DIAG_E0101, 1, 5);
}

static void test_bad_escape(void **state)
{
	struct fixture *fx = parse(state, "x = 1\ny = \"a\\qb\\x\"\n");
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = nth_diag(fx, 0);
	assert_diag_at(fx, d, DIAG_E0102, 2, 7);
	assert_string_equal(d->msg, "invalid escape `\\q` in string");
	assert_int_equal(d->span.hi - d->span.lo, 2);
	assert_diag_at(fx, nth_diag(fx, 1), DIAG_E0102, 2, 10);
	/* The character after the backslash is kept. */
	assert_string_equal(dump(fx), "x = 1\ny = \"aqbx\"\n");
}

static void test_bad_escape_in_map_key(void **state)
{
	struct fixture *fx = parse(state, "t = { \"a\\zb\": \"v\" }\n");
	assert_one_diag(fx, DIAG_E0102, 1, 9);
}

static void test_unexpected_character(void **state)
{
	struct fixture *fx = parse(state, "a = 1\n  b = 2 @\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 2, 9);
	assert_string_equal(d->msg, "unexpected character `@`");
	assert_string_equal(dump(fx), "a = 1\nb = 2\n");
}

static void test_unexpected_control_and_utf8(void **state)
{
	struct fixture *fx = parse(state, "\x01 a = 1\n\xC3\xA9 b = 2\n");
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = nth_diag(fx, 0);
	assert_diag_at(fx, d, DIAG_E0103, 1, 1);
	assert_string_equal(d->msg, "unexpected control character U+0001 (SOH)");
	d = nth_diag(fx, 1);
	assert_diag_at(fx, d, DIAG_E0103, 2, 1);
	assert_string_equal(d->msg, "unexpected character `\xC3\xA9` (U+00E9)");
	/* The whole two-byte character is one span. */
	assert_int_equal(d->span.hi - d->span.lo, 2);
	assert_string_equal(dump(fx), "a = 1\nb = 2\n");
}

static void test_malformed_literal(void **state)
{
	struct fixture *fx = parse(state, "x = 1\ny = 10.0.1/24\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0104, 2, 5);
	assert_string_equal(d->msg, "malformed literal `10.0.1/24`");
	assert_int_equal(d->span.hi - d->span.lo, 9);
	assert_non_null(strstr(d->help, "CIDR"));
	/* No syntax error follows: the literal stands in as a value. */
	assert_string_equal(dump(fx), "x = 1\ny = <invalid>\n");
}

static void test_malformed_number(void **state)
{
	struct fixture *fx = parse(state, "a = 12x\nb = 1h30\nc = 10.0.0.0/16x\n");
	assert_int_equal(ndiags(fx), 3);
	assert_diag_at(fx, nth_diag(fx, 0), DIAG_E0104, 1, 5);
	assert_non_null(strstr(nth_diag(fx, 0)->help, "sizes take a unit"));
	assert_diag_at(fx, nth_diag(fx, 1), DIAG_E0104, 2, 5);
	assert_diag_at(fx, nth_diag(fx, 2), DIAG_E0104, 3, 5);
}

/* An unclosed `{` is reported at the brace itself, not at the end of the file. */
static void test_unclosed_brace(void **state)
{
	struct fixture *fx = parse(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network vpc {\n"
		"    cidr = 10.0.0.0/16\n"
		"  }\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0105, 1, 15);
	assert_string_equal(d->msg, "unclosed delimiter `{`");
	assert_int_equal(d->nsecondary, 1);
	/* "the file ends here" points at the last line, not past the final newline. */
	struct src_pos end = src_locate(src_get(&fx->map, fx->file),
					d->secondary[0].span.lo);
	assert_int_equal(end.line, 5);
	assert_int_equal(end.col, 4);
	assert_non_null(strstr(d->help, "`}`"));
}

/* With several open, the innermost one is the culprit. */
static void test_unclosed_innermost(void **state)
{
	struct fixture *fx = parse(state, "a {\n  b {\n    x = [1, 2]\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0105, 2, 5);
	assert_string_equal(d->msg, "unclosed delimiter `{`");
}

static void test_stray_closing_brace(void **state)
{
	struct fixture *fx = parse(state, "a = 1\nb = 2 }\nc = 3\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0106, 2, 7);
	assert_string_equal(d->msg, "unexpected closing delimiter `}`");
	assert_string_equal(d->label, "no `{` is open here");
	/* Parsing carried on after the stray brace. */
	assert_non_null(strstr(dump(fx), "c = 3\n"));
}

static void test_mismatched_closing(void **state)
{
	struct fixture *fx = parse(state, "b {\n  x = [1, 2}\ny = 3\n");
	const struct diag *d = nth_diag(fx, 0);
	assert_diag_at(fx, d, DIAG_E0106, 2, 12);
	assert_string_equal(d->msg, "mismatched closing delimiter `}`");
	assert_string_equal(d->label, "expected `]`");
	assert_int_equal(d->nsecondary, 1);
	assert_int_equal(src_locate(src_get(&fx->map, fx->file),
				    d->secondary[0].span.lo).col, 7);
	/* The `}` closed the block, so nothing is left open at the end. */
	assert_int_equal(ndiags(fx), 1);
}

/* ---- syntax errors ---------------------------------------------------- */

static void test_syntax_error_message(void **state)
{
	struct fixture *fx = parse(state, "a = 1\nb = = 2\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0107, 2, 5);
	assert_string_equal(d->msg, "expected a value, found `=`");
	assert_string_equal(d->label, "unexpected here");
}

static void test_syntax_error_expected_list(void **state)
{
	struct fixture *fx = parse(state, "environment e { region \"x\" }\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0107, 1, 24);
	assert_string_equal(d->msg, "expected identifier, `{` or `=`, found `\"x\"`");
}

static void test_syntax_error_at_eof(void **state)
{
	struct fixture *fx = parse(state, "a = 1\nb =\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0107, 3, 1);
	assert_string_equal(d->msg, "expected a value, found end of file");
	assert_string_equal(d->label, "unexpected end of file");
}

static void test_syntax_error_long_token(void **state)
{
	/* Tokens longer than 24 bytes are named by category, not quoted. */
	struct fixture *fx = parse(state, "a b \"a string that is long enough\"\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0107, 1, 5);
	assert_non_null(strstr(d->msg, "found string"));
}

/*
 * After `[1,` both a value and `]` may follow, and after `f(` a value or
 * `)`; the message should offer both, not only the closing bracket.
 */
static void test_syntax_error_after_comma_lists_value(void **state)
{
	/*
	 * Was a bug: without `%define parse.lac full`, bison reports the expected
	 * tokens of the state after a default reduction, so the message reads
	 * "expected `]`, found `=`" for `[1, = 2]` and "expected `)`, found
	 * `,`" for `f(,)`. Fixed with `%define parse.lac full`.
	 */
	struct fixture *fx = parse(state, "a = [1, = 2]\nc = f(,)\n");
	assert_int_equal(ndiags(fx), 2);
	assert_string_equal(nth_diag(fx, 0)->msg, "expected a value or `]`, found `=`");
	assert_string_equal(nth_diag(fx, 1)->msg, "expected a value or `)`, found `,`");
}

/* Error productions at item and bracket boundaries: one run, several errors. */
static void test_syntax_error_recovery(void **state)
{
	struct fixture *fx = parse(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network vpc {\n"
		"    cidr = = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"  }\n"
		"  x = ,\n"
		"}\n"
		"y = [1, 2, )]\n"
		"z = 3\n");
	assert_int_equal(ndiags(fx), 3);
	assert_diag_at(fx, nth_diag(fx, 0), DIAG_E0107, 4, 12);
	assert_diag_at(fx, nth_diag(fx, 1), DIAG_E0107, 7, 7);
	/* A `)` where `]` belongs is the scanner's to report. */
	assert_diag_at(fx, nth_diag(fx, 2), DIAG_E0106, 9, 12);
	/* What parsed around the errors is kept. */
	const char *d = dump(fx);
	assert_non_null(strstr(d, "    isolation = isolated\n"));
	assert_non_null(strstr(d, "\nz = 3\n"));
	assert_non_null(strstr(d, "environment e {\n  region = \"us-east-1\"\n"));
}

/*
 * The scanner decides that the `}` in `[1, 2}` closes the enclosing `{`
 * (and says so in E0106); the parser should resume there and go on to
 * report the errors further down.
 */
static void test_recovery_after_mismatched_delimiter(void **state)
{
	/*
	 * Was a bug: the parser did not follow the scanner's repair. It recovers
	 * with `LBRACK error RBRACK`, discards tokens looking for a `]` that
	 * never comes and aborts at the end of the file: the syntax errors on
	 * lines 3 and 4 are never reported and parse_finish() is never
	 * called, so the whole tree is lost. Fixed: the scanner hands the
	 * parser the `]` it implies.
	 */
	/*
	 * Bison reports a new error only after three tokens have been shifted
	 * since the last one, so a clean statement separates the two errors.
	 */
	struct fixture *fx = parse(state,
		"b {\n"
		"  x = [1, 2}\n"
		"c = = 1\n"
		"e = 5\n"
		"d = = 2\n");
	assert_int_equal(ndiags(fx), 3);
	assert_diag_at(fx, nth_diag(fx, 0), DIAG_E0106, 2, 12);
	assert_diag_at(fx, nth_diag(fx, 1), DIAG_E0107, 3, 5);
	assert_diag_at(fx, nth_diag(fx, 2), DIAG_E0107, 5, 5);
	assert_non_null(fx->ast->items);
}

/* ---- literal range ---------------------------------------------------- */

static void test_integer_too_large(void **state)
{
	struct fixture *fx = parse(state, "a = 1\nb = 9223372036854775808\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0108, 2, 5);
	assert_string_equal(d->msg, "integer `9223372036854775808` is too large");
	assert_string_equal(dump(fx), "a = 1\nb = <invalid>\n");
}

static void test_integer_far_too_large(void **state)
{
	struct fixture *fx = parse(state, "b = 99999999999999999999999999\n");
	assert_one_diag(fx, DIAG_E0108, 1, 5);
}

static void test_size_and_duration_too_large(void **state)
{
	struct fixture *fx = parse(state,
		"a = 99999999999999999999 GB\n"
		"b = 213503982334601d\n"       /* 18446744073709526400 s: fits */
		"c = 213503982334602d\n"       /* just over 2^64 - 1 */
		"d = 213503982334601d30000s\n" /* the sum overflows */
		"e = 99999999999999999999s\n");
	assert_int_equal(ndiags(fx), 4);
	assert_diag_at(fx, nth_diag(fx, 0), DIAG_E0108, 1, 5);
	assert_diag_at(fx, nth_diag(fx, 1), DIAG_E0108, 3, 5);
	assert_diag_at(fx, nth_diag(fx, 2), DIAG_E0108, 4, 5);
	assert_diag_at(fx, nth_diag(fx, 3), DIAG_E0108, 5, 5);
	const struct ast_expr *b = fx->ast->items->next->value;
	assert_int_equal(b->kind, EX_DURATION);
	assert_true(b->u.seconds == 18446744073709526400ULL);
}

/* ---- nesting limits --------------------------------------------------- */

static void test_list_nested_too_deep(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_printf(fx->arena, "x = %s%s\ny = 1\n",
				  repeat(fx, "[", 70), repeat(fx, "]", 70));
	parse(state, text);
	/* Reported once, at the list that is 65 levels deep. */
	const struct diag *d = assert_one_diag(fx, DIAG_E0109, 1, 10);
	assert_string_equal(d->msg, "expression nested more than 64 levels deep");
	assert_int_equal(first_value(fx)->kind, EX_INVALID);
	assert_non_null(strstr(dump(fx), "\ny = 1\n"));
}

static void test_binary_chain_too_deep(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_printf(fx->arena, "x = a%s\n", repeat(fx, " + a", 100));
	parse(state, text);
	assert_one_diag(fx, DIAG_E0109, 1, 5);
	assert_int_equal(first_value(fx)->kind, EX_INVALID);
}

static void test_calls_and_maps_too_deep(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_printf(fx->arena, "x = %s1%s\ny = %s1%s\n",
				  repeat(fx, "f(", 80), repeat(fx, ")", 80),
				  repeat(fx, "{k: ", 66), repeat(fx, "}", 66));
	parse(state, text);
	assert_int_equal(ndiags(fx), 2);
	assert_int_equal(nth_diag(fx, 0)->code, DIAG_E0109);
	assert_int_equal(nth_diag(fx, 1)->code, DIAG_E0109);
	assert_int_equal(src_locate(src_get(&fx->map, fx->file),
				    nth_diag(fx, 1)->span.lo).line, 2);
}

static void test_blocks_nested_too_deep(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_printf(fx->arena, "%s%s", repeat(fx, "a {\n", 70),
				  repeat(fx, "}\n", 70));
	parse(state, text);
	/* The block at line 6 is the 65th level counted from the innermost. */
	const struct diag *d = assert_one_diag(fx, DIAG_E0109, 6, 1);
	assert_string_equal(d->msg, "blocks nested more than 64 levels deep");
}

/* Parentheses add no tree depth but do fill the parser's stack. */
static void test_parser_stack_exhausted(void **state)
{
	struct fixture *fx = *state;
	char *text = arena_printf(fx->arena, "x = %s1%s\n", repeat(fx, "(", 5000),
				  repeat(fx, ")", 5000));
	parse(state, text);
	const struct diag *d = nth_diag(fx, 0);
	assert_int_equal(ndiags(fx), 1);
	assert_int_equal(d->code, DIAG_E0109);
	assert_string_equal(d->msg, "input nested too deeply");
}

/* ---- odd input -------------------------------------------------------- */

static void test_empty_and_blank_input(void **state)
{
	struct fixture *fx = parse(state, "");
	assert_no_diags(fx);
	assert_null(fx->ast->items);
	fx = parse(state, "  \n\t\r\n# only a comment\n");
	assert_no_diags(fx);
	assert_null(fx->ast->items);
}

/* A NUL byte outside a string is an unexpected character, not the end of input. */
static void test_nul_byte(void **state)
{
	static const char text[] = "a = 1\n\0\nb = 2\n";
	struct fixture *fx = parse_len(state, text, sizeof text - 1);
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 2, 1);
	assert_string_equal(d->msg, "unexpected control character U+0000 (NUL)");
	assert_string_equal(dump(fx), "a = 1\nb = 2\n");
}

static void test_crlf_positions(void **state)
{
	struct fixture *fx = parse(state, "a = 1\r\nb = = 2\r\n");
	assert_one_diag(fx, DIAG_E0107, 2, 5);
}

/* ---- control characters and byte order marks ---------------------------- */

/* A NUL inside a string used to end the value there, silently. */
static void test_nul_in_string(void **state)
{
	static const char text[] = "a = \"x\0y\"\nb = 2\n";
	struct fixture *fx = parse_len(state, text, sizeof text - 1);
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 1, 7);
	assert_string_equal(d->msg, "control character U+0000 (NUL) in a string");
	assert_int_equal(d->span.hi - d->span.lo, 1);
	assert_string_equal(d->help, "remove it: strings cannot hold control characters");
}

static void test_tab_in_string(void **state)
{
	struct fixture *fx = parse(state, "a = \"x\ty\"\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 1, 7);
	assert_string_equal(d->msg, "control character U+0009 (tab) in a string");
	assert_string_equal(d->help, "write it as the escape `\\t`");
}

/* Only the first is reported, with a count of the others. */
static void test_escape_sequences_in_string(void **state)
{
	struct fixture *fx = parse(state, "a = \"\x1b[31mred\x1b[0m\x7f\"\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 1, 6);
	assert_string_equal(d->msg, "control character U+001B (ESC) in a string");
	assert_string_equal(d->label, "and 2 more in this string");
}

/* C1 controls (U+0080 to U+009F) are two bytes in UTF-8; U+00A0 is not one. */
static void test_c1_control_in_string(void **state)
{
	struct fixture *fx = parse(state, "a = \"\xC2\xA0 \xC2\x9B\"\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 1, 8);
	assert_string_equal(d->msg, "control character U+009B in a string");
	assert_int_equal(d->span.hi - d->span.lo, 2);
}

static void test_escaped_controls_are_fine(void **state)
{
	assert_parses(state, "a = \"x\\ty\\r\\n\xC3\xA9\"\n", "a = \"x\\x09y\\x0d\\x0a\xC3\xA9\"\n");
}

/* Control characters in an unterminated string: that error is enough. */
static void test_control_in_unterminated_string(void **state)
{
	struct fixture *fx = parse(state, "a = \"x\x01\nb = 2\n");
	assert_one_diag(fx, DIAG_E0101, 1, 5);
}

static void test_bom_at_start_skipped(void **state)
{
	assert_parses(state, "\xEF\xBB\xBF" "a = 1\n", "a = 1\n");
}

static void test_bom_elsewhere_named(void **state)
{
	struct fixture *fx = parse(state, "a = 1\n\xEF\xBB\xBF" "b = 2\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 2, 1);
	assert_string_equal(d->msg, "unexpected byte order mark U+FEFF");
	assert_int_equal(d->span.hi - d->span.lo, 3);
	assert_string_equal(dump(fx), "a = 1\nb = 2\n");
}

/* Invisible characters are named by code point, not only printed. */
static void test_invisible_character_named(void **state)
{
	struct fixture *fx = parse(state, "a =\xC2\xA0" "1\nb = \xE2\x80\x8B" "2\n");
	assert_int_equal(ndiags(fx), 2);
	assert_string_equal(nth_diag(fx, 0)->msg, "unexpected character `\xC2\xA0` (U+00A0)");
	assert_string_equal(nth_diag(fx, 1)->msg, "unexpected character `\xE2\x80\x8B` (U+200B)");
}

static void test_c1_control_outside_string(void **state)
{
	struct fixture *fx = parse(state, "a = 1 \xC2\x85\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 1, 7);
	assert_string_equal(d->msg, "unexpected control character U+0085");
}

/* `\` then a multibyte character: the message holds the whole character. */
static void test_bad_escape_multibyte(void **state)
{
	struct fixture *fx = parse(state, "a = \"x\\\xC3\xA9y\"\n");
	const struct diag *d = assert_one_diag(fx, DIAG_E0102, 1, 7);
	assert_string_equal(d->msg, "invalid escape `\\\xC3\xA9` in string");
	assert_int_equal(d->span.hi - d->span.lo, 3);
}

/* `\` then a NUL: one error, the scanner's, not a second with a cut-off message. */
static void test_escaped_nul_one_error(void **state)
{
	static const char text[] = "a = \"x\\\0y\"\n";
	struct fixture *fx = parse_len(state, text, sizeof text - 1);
	const struct diag *d = assert_one_diag(fx, DIAG_E0103, 1, 8);
	assert_string_equal(d->msg, "control character U+0000 (NUL) in a string");
}

/* ---- trivia mode (the formatter's scanner) ------------------------------ */

/*
 * The trivia of a file as text, one token a line: `KIND line text`, `~`
 * first when a blank line precedes it, `  <- comment` when a comment
 * trails it; its leading comments on lines of their own before it.
 */
static const char *trivia_text(struct arena *a, const struct ast_trivia *tv)
{
	const char *out = "";
	for (uint32_t i = 0; i < tv->ntokens; i++) {
		const struct ast_token *t = &tv->tokens[i];
		for (uint32_t c = t->lead; c < t->lead + t->nlead; c++) {
			const struct ast_comment *k = &tv->comments[c];
			out = arena_printf(a, "%s  %s%u %.*s\n", out, k->blank_before ? "~" : "",
					   k->line, (int)k->len, k->text);
		}
		out = arena_printf(a, "%s%s%s %u %.*s", out, t->blank_before ? "~" : "",
				   lex_token_name(t->kind), t->line, (int)t->len, t->text);
		if (t->trail >= 0) {
			const struct ast_comment *k = &tv->comments[t->trail];
			out = arena_printf(a, "%s  <- %.*s", out, (int)k->len, k->text);
		}
		out = arena_printf(a, "%s\n", out);
	}
	return out;
}

static void assert_trivia(void **state, const char *text, const char *want)
{
	struct fixture *fx = *state;
	fx->file = src_add(&fx->map, "t.sgl", text, strlen(text));
	fx->ast = parse_file_trivia(fx->arena, &fx->diags, &fx->map, fx->file);
	assert_no_diags(fx);
	const char *got = trivia_text(fx->arena, &fx->ast->trivia);
	if (strcmp(got, want) != 0)
		fail_msg("trivia of:\n%s\n--- want\n%s--- got\n%s---", text, want, got);
}

static void test_trivia_comments_attached(void **state)
{
	assert_trivia(state,
		      "# head\n"
		      "x {   # after the brace   \n"
		      "  // own line\n"
		      "\n"
		      "  # after a blank line\n"
		      "  a = 1 // trails 1\n"
		      "  # before the closer\n"
		      "}\n"
		      "# at the end\n",
		      "  1 # head\n"
		      "IDENT 2 x\n"
		      "LBRACE 2 {  <- # after the brace\n"
		      "  3 // own line\n"
		      "  ~5 # after a blank line\n"
		      "IDENT 6 a\n"
		      "EQ 6 =\n"
		      "INT 6 1  <- // trails 1\n"
		      "  7 # before the closer\n"
		      "RBRACE 8 }\n"
		      "  9 # at the end\n"
		      "END 10 \n");
}

static void test_trivia_blank_lines(void **state)
{
	/* No blank line at the start; several count as one; CRLF counts. */
	assert_trivia(state, "\n\n\na = 1\r\n\r\n\r\nb = 2\n",
		      "IDENT 4 a\nEQ 4 =\nINT 4 1\n~IDENT 7 b\nEQ 7 =\nINT 7 2\nEND 8 \n");
	/* Blanks split by something else are no blank line. */
	assert_trivia(state, "a = [1,\n \t\n2]\n",
		      "IDENT 1 a\nEQ 1 =\nLBRACK 1 [\nINT 1 1\nCOMMA 1 ,\n~INT 3 2\n"
		      "RBRACK 3 ]\nEND 4 \n");
}

static void test_trivia_semicolons_pass(void **state)
{
	/* A comment after `;` trails the token before it... */
	assert_trivia(state, "a = 1; # c\n",
		      "IDENT 1 a\nEQ 1 =\nINT 1 1  <- # c\nSEMI 1 ;\nEND 2 \n");
	/* ...unless that token is on another line; a blank line before `;` counts after it. */
	assert_trivia(state, "a = 1\n\n; # c\nb = 2\n",
		      "IDENT 1 a\nEQ 1 =\nINT 1 1\nSEMI 3 ;\n  ~3 # c\nIDENT 4 b\nEQ 4 =\n"
		      "INT 4 2\nEND 5 \n");
	assert_trivia(state, ";\n\nx {}\n", "SEMI 1 ;\nIDENT 3 x\nLBRACE 3 {\nRBRACE 3 }\nEND 4 \n");
}

static void test_trivia_same_tree(void **state)
{
	static const char text[] =
		"import std.endpoints  # why\nx {\n  a = (b + c) - [d]  // note\n}\n";
	struct fixture *fx = parse(state, text);
	assert_no_diags(fx);
	assert_int_equal(fx->ast->trivia.ntokens, 0);
	assert_int_equal(fx->ast->trivia.ncomments, 0);
	const char *plain = dump(fx);
	fx->ast = parse_file_trivia(fx->arena, &fx->diags, &fx->map, fx->file);
	assert_no_diags(fx);
	assert_string_equal(dump(fx), plain);
	assert_int_equal(fx->ast->trivia.ntokens, 19);
	assert_int_equal(fx->ast->trivia.ncomments, 2);
}

static void test_paren_count(void **state)
{
	struct fixture *fx = parse(state, "a = ((b)) + (c) - d\n");
	assert_no_diags(fx);
	const struct ast_expr *e = fx->ast->items->value;
	assert_int_equal(e->parens, 0);
	assert_int_equal(e->u.bin.rhs->parens, 0);
	const struct ast_expr *l = e->u.bin.lhs;
	assert_int_equal(l->parens, 0);
	assert_int_equal(l->u.bin.lhs->parens, 2);
	assert_int_equal(l->u.bin.rhs->parens, 1);
	/* The span is still the value's own, for diagnostics. */
	assert_int_equal(l->u.bin.lhs->span.lo, 6);
	assert_int_equal(l->u.bin.lhs->span.hi, 7);
}

static void test_scan_alone(void **state)
{
	struct fixture *fx = *state;
	static const char text[] = "x { a = [1, 2} ; b = @ }  # c\n";
	fx->file = src_add(&fx->map, "t.sgl", text, sizeof text - 1);
	struct ast_trivia tv;
	lex_scan_file(fx->arena, &fx->diags, &fx->map, fx->file, &tv);
	/* The parser is not run; the scanner still reports and implies `]`. */
	assert_string_equal(trivia_text(fx->arena, &tv),
			    "IDENT 1 x\nLBRACE 1 {\nIDENT 1 a\nEQ 1 =\nLBRACK 1 [\nINT 1 1\n"
			    "COMMA 1 ,\nINT 1 2\nRBRACK 1 ]\nSEMI 1 ;\nIDENT 1 b\nEQ 1 =\n"
			    "RBRACE 1 }  <- # c\nEND 2 \n");
	assert_int_equal(ndiags(fx), 2);
}

static void test_first_token(void **state)
{
	struct fixture *fx = *state;
	uint32_t n;
	assert_int_equal(lex_first_token(fx->arena, "ml.t3.large", 11, &n), INSTANCE);
	assert_int_equal(n, 11);
	assert_int_equal(lex_first_token(fx->arena, "ml.T3.large", 11, &n), IDENT);
	assert_int_equal(n, 2);
	assert_int_equal(lex_first_token(fx->arena, "1  GBx", 6, &n), SIZE);
	assert_int_equal(n, 5);
	assert_int_equal(lex_first_token(fx->arena, "1  x", 4, &n), INT);
	assert_int_equal(n, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_blocks_named_and_unnamed),
		T(test_block_fields),
		T(test_attributes_scalars),
		T(test_semicolons_and_layout),
		T(test_params),
		T(test_imports),
		T(test_lists),
		T(test_maps),
		T(test_set_ops_left_assoc),
		T(test_calls),
		T(test_sizes),
		T(test_size_bytes_saturate),
		T(test_durations),
		T(test_cidr_and_instance_literals),
		T(test_hyphenated_identifiers),
		T(test_param_reference),
		T(test_comments),
		T(test_string_escapes),
		T(test_integer_bounds),
		T(test_depth_64_accepted),
		T(test_unterminated_string),
		T(test_unterminated_string_at_eof),
		T(test_bad_escape),
		T(test_bad_escape_in_map_key),
		T(test_unexpected_character),
		T(test_unexpected_control_and_utf8),
		T(test_malformed_literal),
		T(test_malformed_number),
		T(test_unclosed_brace),
		T(test_unclosed_innermost),
		T(test_stray_closing_brace),
		T(test_mismatched_closing),
		T(test_syntax_error_message),
		T(test_syntax_error_expected_list),
		T(test_syntax_error_at_eof),
		T(test_syntax_error_long_token),
		T(test_syntax_error_after_comma_lists_value),
		T(test_syntax_error_recovery),
		T(test_recovery_after_mismatched_delimiter),
		T(test_integer_too_large),
		T(test_integer_far_too_large),
		T(test_size_and_duration_too_large),
		T(test_list_nested_too_deep),
		T(test_binary_chain_too_deep),
		T(test_calls_and_maps_too_deep),
		T(test_blocks_nested_too_deep),
		T(test_parser_stack_exhausted),
		T(test_empty_and_blank_input),
		T(test_nul_byte),
		T(test_crlf_positions),
		T(test_nul_in_string),
		T(test_tab_in_string),
		T(test_escape_sequences_in_string),
		T(test_c1_control_in_string),
		T(test_escaped_controls_are_fine),
		T(test_control_in_unterminated_string),
		T(test_bom_at_start_skipped),
		T(test_bom_elsewhere_named),
		T(test_invisible_character_named),
		T(test_c1_control_outside_string),
		T(test_bad_escape_multibyte),
		T(test_escaped_nul_one_error),
		T(test_trivia_comments_attached),
		T(test_trivia_blank_lines),
		T(test_trivia_semicolons_pass),
		T(test_trivia_same_tree),
		T(test_paren_count),
		T(test_scan_alone),
		T(test_first_token),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
