/*
 * ast.c - syntax tree constructors and the test dump.
 *
 * The grammar's actions are single calls into this file. Literal
 * conversion happens here (escapes, integer range, size units, durations)
 * because it is about the token's spelling, not about what it means; CIDR
 * text is kept as written and parsed exactly by the checker.
 */
#include "ast.h"

#include <inttypes.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

static struct span sub_span(struct span s, uint32_t off, uint32_t len)
{
	return (struct span){ s.file, s.lo + off, s.lo + off + len };
}

static struct ast_expr *new_expr(struct ast_builder *b, enum ast_expr_kind k,
				 struct span span)
{
	struct ast_expr *e = arena_alloc(b->arena, sizeof *e);
	e->kind = k;
	e->span = span;
	return e; /* a leaf is depth 0; each enclosing list, map, call or `+` adds one */
}

struct ast_name *ast_name_new(struct ast_builder *b, struct token t)
{
	struct ast_name *n = arena_alloc(b->arena, sizeof *n);
	n->parts = arena_calloc(b->arena, 1, sizeof *n->parts);
	n->spans = arena_calloc(b->arena, 1, sizeof *n->spans);
	n->parts[0] = t.text;
	n->spans[0] = t.span;
	n->n = 1;
	n->span = t.span;
	return n;
}

struct ast_name *ast_name_append(struct ast_builder *b, struct ast_name *n,
				 struct token t)
{
	const char **parts = arena_calloc(b->arena, (size_t)n->n + 1, sizeof *parts);
	struct span *spans = arena_calloc(b->arena, (size_t)n->n + 1, sizeof *spans);
	memcpy(parts, n->parts, (size_t)n->n * sizeof *parts);
	memcpy(spans, n->spans, (size_t)n->n * sizeof *spans);
	parts[n->n] = t.text;
	spans[n->n] = t.span;
	n->parts = parts;
	n->spans = spans;
	n->n++;
	n->span = span_join(n->span, t.span);
	return n;
}

/* The token includes both quotes; escapes are \\ \" \n \t \r. */
struct ast_expr *ast_string(struct ast_builder *b, struct token t)
{
	struct ast_expr *e = new_expr(b, EX_STRING, t.span);
	char *out = arena_alloc(b->arena, t.len);
	uint32_t n = 0;
	for (uint32_t i = 1; i + 1 < t.len; i++) {
		char c = t.text[i];
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		char esc = t.text[++i];
		switch (esc) {
		case '\\': out[n++] = '\\'; break;
		case '"': out[n++] = '"'; break;
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		default: {
			/* A control character: the scanner reported it (lex_string). */
			if ((unsigned char)esc < 0x20 || esc == 0x7f) {
				out[n++] = esc;
				break;
			}
			/* The whole character, not its first byte: `\\é` is two bytes after the `\\`. */
			uint32_t k = src_utf8_length(t.text + i, t.len - 1 - i);
			if (k == 0)
				k = 1;
			struct diag *d = diag_add(b->diags, DIAG_E0102,
						  sub_span(t.span, i - 1, 1 + k),
						  "invalid escape `\\%.*s` in string",
						  (int)k, t.text + i);
			diag_help(b->diags, d,
				  "valid escapes are `\\\\`, `\\\"`, `\\n`, `\\t` and `\\r`");
			memcpy(out + n, t.text + i, k);
			n += k;
			i += k - 1;
		}
		}
	}
	out[n] = '\0';
	e->u.str.s = out;
	e->u.str.len = n;
	return e;
}

/* Decimal digits of t[0..len) into *v; false on overflow. */
static bool parse_u64(const char *t, uint32_t len, uint64_t *v)
{
	uint64_t x = 0;
	for (uint32_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(t[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

static uint32_t count_digits(const char *t, uint32_t len)
{
	uint32_t i = 0;
	while (i < len && t[i] >= '0' && t[i] <= '9')
		i++;
	return i;
}

struct ast_expr *ast_int(struct ast_builder *b, struct token t)
{
	struct ast_expr *e = new_expr(b, EX_INT, t.span);
	uint64_t v;
	if (!parse_u64(t.text, t.len, &v) || v > INT64_MAX) {
		diag_add(b->diags, DIAG_E0108, t.span,
			 "integer `%s` is too large", t.text);
		e->kind = EX_INVALID;
		return e;
	}
	e->u.i = (int64_t)v;
	return e;
}

static const struct {
	const char *name;
	enum size_unit unit;
} units[] = {
	{ "KB", UNIT_KB },   { "MB", UNIT_MB },   { "GB", UNIT_GB },
	{ "TB", UNIT_TB },   { "KiB", UNIT_KIB }, { "MiB", UNIT_MIB },
	{ "GiB", UNIT_GIB }, { "TiB", UNIT_TIB },
};

const char *ast_unit_name(enum size_unit u)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (units[i].unit == u)
			return units[i].name;
	return "?";
}

uint64_t ast_size_bytes(const struct ast_expr *e)
{
	static const uint64_t scale[] = {
		[UNIT_KB] = 1000ULL, [UNIT_MB] = 1000000ULL,
		[UNIT_GB] = 1000000000ULL, [UNIT_TB] = 1000000000000ULL,
		[UNIT_KIB] = 1ULL << 10, [UNIT_MIB] = 1ULL << 20,
		[UNIT_GIB] = 1ULL << 30, [UNIT_TIB] = 1ULL << 40,
	};
	uint64_t k = scale[e->u.size.unit];
	if (e->u.size.amount > UINT64_MAX / k)
		return UINT64_MAX;
	return e->u.size.amount * k;
}

/* "50 GB", "50GiB": digits, optional blanks, a unit the lexer matched. */
struct ast_expr *ast_size(struct ast_builder *b, struct token t)
{
	struct ast_expr *e = new_expr(b, EX_SIZE, t.span);
	uint32_t nd = count_digits(t.text, t.len);
	if (!parse_u64(t.text, nd, &e->u.size.amount)) {
		diag_add(b->diags, DIAG_E0108, sub_span(t.span, 0, nd),
			 "size `%s` is too large", t.text);
		e->kind = EX_INVALID;
		return e;
	}
	uint32_t u = nd;
	while (u < t.len && (t.text[u] == ' ' || t.text[u] == '\t'))
		u++;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(t.text + u, units[i].name) == 0)
			e->u.size.unit = units[i].unit;
	return e;
}

/* "12h", "1h30m", "90s", "7d". */
struct ast_expr *ast_duration(struct ast_builder *b, struct token t)
{
	struct ast_expr *e = new_expr(b, EX_DURATION, t.span);
	uint64_t total = 0;
	uint32_t i = 0;
	while (i < t.len) {
		uint32_t nd = count_digits(t.text + i, t.len - i);
		uint64_t v;
		uint64_t k;
		switch (t.text[i + nd]) {
		case 's': k = 1; break;
		case 'm': k = 60; break;
		case 'h': k = 3600; break;
		default: k = 86400; break;
		}
		if (!parse_u64(t.text + i, nd, &v) || v > (UINT64_MAX - total) / k) {
			diag_add(b->diags, DIAG_E0108, t.span,
				 "duration `%s` is too large", t.text);
			e->kind = EX_INVALID;
			return e;
		}
		total += v * k;
		i += nd + 1;
	}
	e->u.seconds = total;
	return e;
}

struct ast_expr *ast_cidr(struct ast_builder *b, struct token t)
{
	struct ast_expr *e = new_expr(b, EX_CIDR, t.span);
	e->u.text = t.text;
	return e;
}

struct ast_expr *ast_instance(struct ast_builder *b, struct token t)
{
	struct ast_expr *e = new_expr(b, EX_INSTANCE, t.span);
	e->u.text = t.text;
	return e;
}

struct ast_expr *ast_invalid(struct ast_builder *b, struct span span)
{
	return new_expr(b, EX_INVALID, span);
}

struct ast_expr *ast_bool(struct ast_builder *b, struct span span, bool v)
{
	struct ast_expr *e = new_expr(b, EX_BOOL, span);
	e->u.b = v;
	return e;
}

struct ast_expr *ast_ref(struct ast_builder *b, struct ast_name *n)
{
	struct ast_expr *e = new_expr(b, EX_NAME, n->span);
	e->u.name = n;
	return e;
}

/*
 * Later passes walk expressions recursively; an input such as
 * `a + a + ... + a` repeated a million times must not exhaust their stack,
 * so nesting beyond AST_MAX_DEPTH is reported here and cut off.
 */
static bool too_deep(struct ast_builder *b, struct ast_expr *e, int depth)
{
	if (depth <= AST_MAX_DEPTH) {
		e->depth = depth;
		return false;
	}
	/* Report once at the innermost cut; enclosing nodes stay poisoned. */
	if (depth == AST_MAX_DEPTH + 1)
		diag_add(b->diags, DIAG_E0109, e->span,
			 "expression nested more than %d levels deep",
			 AST_MAX_DEPTH);
	e->kind = EX_INVALID;
	e->depth = AST_MAX_DEPTH + 1;
	return true;
}

struct ast_expr *ast_list(struct ast_builder *b, struct span span,
			  struct ast_expr_list elems)
{
	struct ast_expr *e = new_expr(b, EX_LIST, span);
	int depth = 0;
	for (struct ast_expr *x = elems.head; x; x = x->next)
		if (x->depth > depth)
			depth = x->depth;
	if (too_deep(b, e, depth + 1))
		return e;
	e->u.list.head = elems.head;
	e->u.list.n = elems.n;
	return e;
}

struct ast_expr *ast_map(struct ast_builder *b, struct span span,
			 struct ast_entry_list entries)
{
	struct ast_expr *e = new_expr(b, EX_MAP, span);
	int depth = 0;
	for (struct ast_entry *x = entries.head; x; x = x->next)
		if (x->value->depth > depth)
			depth = x->value->depth;
	if (too_deep(b, e, depth + 1))
		return e;
	e->u.map.head = entries.head;
	e->u.map.n = entries.n;
	return e;
}

struct ast_expr *ast_binary(struct ast_builder *b, struct span span, char op,
			    struct ast_expr *lhs, struct ast_expr *rhs)
{
	struct ast_expr *e = new_expr(b, EX_BINARY, span);
	int depth = lhs->depth > rhs->depth ? lhs->depth : rhs->depth;
	if (too_deep(b, e, depth + 1))
		return e;
	e->u.bin.op = op;
	e->u.bin.lhs = lhs;
	e->u.bin.rhs = rhs;
	return e;
}

struct ast_expr *ast_call(struct ast_builder *b, struct span span,
			  struct ast_name *fn, struct ast_expr_list args)
{
	struct ast_expr *e = new_expr(b, EX_CALL, span);
	int depth = 0;
	for (struct ast_expr *x = args.head; x; x = x->next)
		if (x->depth > depth)
			depth = x->depth;
	if (too_deep(b, e, depth + 1))
		return e;
	e->u.call.fn = fn;
	e->u.call.args = args.head;
	e->u.call.nargs = args.n;
	return e;
}

struct ast_expr *ast_paren(struct ast_builder *b, struct ast_expr *e)
{
	(void)b;
	e->parens++;
	return e;
}

/* A quoted key is unquoted and its escapes expanded, like any string. */
struct ast_entry *ast_entry(struct ast_builder *b, struct token key,
			    struct ast_expr *value)
{
	struct ast_entry *en = arena_alloc(b->arena, sizeof *en);
	if (key.len >= 2 && key.text[0] == '"')
		en->key = ast_string(b, key)->u.str.s;
	else
		en->key = key.text;
	en->key_span = key.span;
	en->value = value;
	return en;
}

static struct ast_item *new_item(struct ast_builder *b, enum ast_item_kind k,
				 struct span span)
{
	struct ast_item *it = arena_alloc(b->arena, sizeof *it);
	it->kind = k;
	it->span = span;
	return it;
}

struct ast_item *ast_import(struct ast_builder *b, struct span span,
			    struct ast_name *path)
{
	struct ast_item *it = new_item(b, IT_IMPORT, span);
	it->path = path;
	it->name_span = path->span;
	return it;
}

struct ast_item *ast_attr(struct ast_builder *b, struct span span,
			  struct token name, struct ast_expr *value)
{
	struct ast_item *it = new_item(b, IT_ATTR, span);
	it->name = name.text;
	it->name_span = name.span;
	it->value = value;
	return it;
}

struct ast_item *ast_param(struct ast_builder *b, struct span span,
			   struct token name, struct token type,
			   struct ast_expr *dflt)
{
	struct ast_item *it = new_item(b, IT_PARAM, span);
	it->name = name.text;
	it->name_span = name.span;
	it->type_name = type.text;
	it->type_span = type.span;
	it->value = dflt;
	return it;
}

static int block_depth(const struct ast_item *body)
{
	int depth = 0;
	for (const struct ast_item *c = body; c; c = c->next)
		if (c->kind == IT_BLOCK && c->depth > depth)
			depth = c->depth;
	return depth;
}

struct ast_item *ast_block(struct ast_builder *b, struct span span,
			   struct token kind, const struct token *name,
			   struct ast_item_list body, struct span close)
{
	struct ast_item *it = new_item(b, IT_BLOCK, span);
	it->block_kind = kind.text;
	it->kind_span = kind.span;
	if (name) {
		it->name = name->text;
		it->name_span = name->span;
	}
	it->close_span = close;
	int depth = block_depth(body.head) + 1;
	if (depth > AST_MAX_DEPTH) {
		if (depth == AST_MAX_DEPTH + 1)
			diag_add(b->diags, DIAG_E0109, kind.span,
				 "blocks nested more than %d levels deep",
				 AST_MAX_DEPTH);
		it->depth = AST_MAX_DEPTH + 1;
		return it;
	}
	it->depth = depth;
	it->children = body.head;
	return it;
}

struct ast_item_list ast_items_append(struct ast_item_list l,
				      struct ast_item *it)
{
	if (!it)
		return l;
	if (l.tail)
		l.tail->next = it;
	else
		l.head = it;
	l.tail = it;
	return l;
}

struct ast_expr_list ast_exprs_append(struct ast_expr_list l,
				      struct ast_expr *e)
{
	if (l.tail)
		l.tail->next = e;
	else
		l.head = e;
	l.tail = e;
	l.n++;
	return l;
}

struct ast_entry_list ast_entries_append(struct ast_entry_list l,
					 struct ast_entry *e)
{
	if (l.tail)
		l.tail->next = e;
	else
		l.head = e;
	l.tail = e;
	l.n++;
	return l;
}

const char *ast_expr_kind_name(enum ast_expr_kind k)
{
	static const char *const names[] = {
		[EX_STRING] = "string",	    [EX_INT] = "integer",
		[EX_BOOL] = "boolean",	    [EX_SIZE] = "size",
		[EX_DURATION] = "duration", [EX_CIDR] = "CIDR block",
		[EX_INSTANCE] = "instance type", [EX_NAME] = "name",
		[EX_LIST] = "list",	    [EX_MAP] = "map",
		[EX_BINARY] = "set expression", [EX_CALL] = "call",
		[EX_INVALID] = "invalid value",
	};
	return names[k];
}

const char *ast_name_str(struct arena *a, const struct ast_name *n)
{
	size_t len = 0;
	for (int i = 0; i < n->n; i++)
		len += strlen(n->parts[i]) + 1;
	char *s = arena_alloc(a, len + 1);
	char *p = s;
	for (int i = 0; i < n->n; i++) {
		size_t k = strlen(n->parts[i]);
		if (i)
			*p++ = '.';
		memcpy(p, n->parts[i], k);
		p += k;
	}
	*p = '\0';
	return s;
}

/* ---- dump --------------------------------------------------------------- */

static void dump_name(FILE *out, const struct ast_name *n)
{
	for (int i = 0; i < n->n; i++)
		fprintf(out, "%s%s", i ? "." : "", n->parts[i]);
}

static void dump_expr(FILE *out, const struct ast_expr *e)
{
	switch (e->kind) {
	case EX_STRING:
		fputc('"', out);
		for (uint32_t i = 0; i < e->u.str.len; i++) {
			unsigned char c = (unsigned char)e->u.str.s[i];
			if (c == '"' || c == '\\')
				fprintf(out, "\\%c", c);
			else if (c < 0x20)
				fprintf(out, "\\x%02x", c);
			else
				fputc(c, out);
		}
		fputc('"', out);
		break;
	case EX_INT: fprintf(out, "%" PRId64, e->u.i); break;
	case EX_BOOL: fputs(e->u.b ? "true" : "false", out); break;
	case EX_SIZE:
		fprintf(out, "(size %" PRIu64 " %s)", e->u.size.amount,
			ast_unit_name(e->u.size.unit));
		break;
	case EX_DURATION: fprintf(out, "(duration %" PRIu64 "s)", e->u.seconds); break;
	case EX_CIDR: fprintf(out, "(cidr %s)", e->u.text); break;
	case EX_INSTANCE: fprintf(out, "(instance %s)", e->u.text); break;
	case EX_NAME: dump_name(out, e->u.name); break;
	case EX_LIST:
		fputc('[', out);
		for (const struct ast_expr *x = e->u.list.head; x; x = x->next) {
			dump_expr(out, x);
			if (x->next)
				fputs(", ", out);
		}
		fputc(']', out);
		break;
	case EX_MAP:
		fputc('{', out);
		for (const struct ast_entry *x = e->u.map.head; x; x = x->next) {
			fprintf(out, "%s: ", x->key);
			dump_expr(out, x->value);
			if (x->next)
				fputs(", ", out);
		}
		fputc('}', out);
		break;
	case EX_BINARY:
		fprintf(out, "(%c ", e->u.bin.op);
		dump_expr(out, e->u.bin.lhs);
		fputc(' ', out);
		dump_expr(out, e->u.bin.rhs);
		fputc(')', out);
		break;
	case EX_CALL:
		fputs("(call ", out);
		dump_name(out, e->u.call.fn);
		for (const struct ast_expr *x = e->u.call.args; x; x = x->next) {
			fputc(' ', out);
			dump_expr(out, x);
		}
		fputc(')', out);
		break;
	case EX_INVALID: fputs("<invalid>", out); break;
	}
}

static void dump_items(FILE *out, const struct ast_item *it, int indent)
{
	for (; it; it = it->next) {
		fprintf(out, "%*s", indent * 2, "");
		switch (it->kind) {
		case IT_IMPORT:
			fputs("import ", out);
			dump_name(out, it->path);
			fputc('\n', out);
			break;
		case IT_ATTR:
			fprintf(out, "%s = ", it->name);
			dump_expr(out, it->value);
			fputc('\n', out);
			break;
		case IT_PARAM:
			fprintf(out, "param %s: %s", it->name, it->type_name);
			if (it->value) {
				fputs(" = ", out);
				dump_expr(out, it->value);
			}
			fputc('\n', out);
			break;
		case IT_BLOCK:
			fprintf(out, "%s%s%s {\n", it->block_kind,
				it->name ? " " : "", it->name ? it->name : "");
			dump_items(out, it->children, indent + 1);
			fprintf(out, "%*s}\n", indent * 2, "");
			break;
		}
	}
}

void ast_dump(FILE *out, const struct ast_file *f)
{
	dump_items(out, f->items, 0);
}
