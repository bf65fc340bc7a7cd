/*
 * lsp_complete.c - `textDocument/completion`, from a forgiving scan of
 * the text (not the syntax tree): a half-typed file is the normal case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "endpoints.h"
#include "instances.h"
#include "regions.h"
#include "stdmod.h"
#include "lsp_server.h"

/*
 * Completion reads the text, not the syntax tree: the file it is asked
 * about is half-typed, and does not parse. A forgiving scan finds where
 * the cursor is and every named block and parameter, in a tree of scopes
 * that follows the resolver's (resolve.c), so that only what resolves at
 * the cursor is offered.
 */

/* A named block or a parameter the scan found. */
struct decl {
	const char *kind;       /* the block's kind; "param" for a parameter */
	const char *name;
	const char *type;       /* a parameter's type word (NULL: not typed yet) */
	struct decl *parent;    /* the named block it is declared in; NULL: the file */
	unsigned id;            /* 1, 2, ...: the key of its scope in ctx.names */
	bool ambiguous;         /* a block of another kind has its name in its scope (E0218) */
};

/* What the scan knows at the cursor. */
struct ctx {
	const char *kind;       /* enclosing block kind; NULL at top level */
	const char *attr;       /* the attribute whose value is being written; NULL: none */
	uint32_t word_lo;       /* the (dotted) word before the cursor: [word_lo, off) */
	bool in_text;           /* the cursor is inside a comment or a string: nothing to offer */
	struct decl *scope;     /* the innermost named block at the cursor; NULL: the file */
	struct ptrvec blocks;   /* struct decl *: every named block, in text order */
	struct ptrvec params;   /* struct decl *: every `param NAME: TYPE` */
	struct ptrvec imports;  /* const char *: the modules imported at the top level */
	struct strmap names;    /* "scope/name" and "scope/kind name" -> the first block there */
};

enum { SCAN_DEPTH = 64 };

/* The scan's state between characters. */
struct scanner {
	struct arena *a;
	struct ctx *c;
	struct frame {
		const char *kind;   /* NULL: a map */
		struct decl *decl;  /* a named block; NULL: unnamed, or a map */
	} st[SCAN_DEPTH];
	int depth, skipped;     /* frames beyond SCAN_DEPTH are only counted */
	int brackets;
	const char *w0, *w1, *w2; /* the statement's first word and its last two */
	int nwords;
	const char *attr;
	struct decl *param;     /* a parameter whose type word comes next */
	bool op_pending;
};

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

static const char *scope_key(struct arena *a, const struct decl *scope, const char *kind, const char *name)
{
	return arena_printf(a, "%u/%s%s%s", scope ? scope->id : 0, kind ? kind : "", kind ? " " : "", name);
}

/* The named block the scan is in (blocks below SCAN_DEPTH count as the deepest kept). */
static struct decl *scope_of(const struct scanner *sc)
{
	for (int k = sc->depth - 1; k >= 0; k--)
		if (sc->st[k].decl)
			return sc->st[k].decl;
	return NULL;
}

/* A block's name goes into its scope twice: bare, and with its kind (`kind.name`). */
static struct decl *declare_block(struct scanner *sc, const char *kind, const char *name)
{
	struct ctx *c = sc->c;
	struct decl *d = arena_calloc(sc->a, 1, sizeof *d);
	*d = (struct decl){ kind, name, NULL, scope_of(sc), (unsigned)c->blocks.n + 1, false };
	ptrvec_push(sc->a, &c->blocks, d);
	const char *bare = scope_key(sc->a, d->parent, NULL, name);
	struct decl *first = strmap_get(&c->names, bare);
	if (!first)
		strmap_put(sc->a, &c->names, bare, d);
	else if (strcmp(first->kind, kind) != 0)
		first->ambiguous = true;
	const char *qual = scope_key(sc->a, d->parent, kind, name);
	if (!strmap_get(&c->names, qual))
		strmap_put(sc->a, &c->names, qual, d);
	return d;
}

/* The cursor is reached: what encloses it is what completion works with. */
static void at_cursor(struct scanner *sc)
{
	struct ctx *c = sc->c;
	bool in_map = sc->depth > 0 && !sc->st[sc->depth - 1].kind;
	c->kind = sc->depth > 0 ? sc->st[sc->depth - 1].kind : NULL;
	c->attr = in_map ? NULL : sc->attr;
	c->scope = scope_of(sc);
}

static void word(struct scanner *sc, const char *w)
{
	if (sc->param && !sc->param->type && sc->nwords == 2)
		sc->param->type = w;
	sc->param = NULL;
	if (sc->nwords == 0)
		sc->w0 = w;
	sc->w1 = sc->w2;
	sc->w2 = w;
	sc->nwords++;
	sc->op_pending = false;
}

/* A newline or `;`: the statement ends unless an operator or a bracket carries it on. */
static void end_statement(struct scanner *sc)
{
	if (sc->brackets || sc->op_pending)
		return;
	if (sc->depth == 0 && !sc->skipped && sc->nwords == 2 && strcmp(sc->w0, "import") == 0)
		ptrvec_push(sc->a, &sc->c->imports, (void *)sc->w2);
	sc->attr = NULL;
	sc->nwords = 0;
}

/* `param NAME:` declares a parameter of the enclosing block; its type word follows. */
static void colon(struct scanner *sc)
{
	if (!sc->brackets && !sc->attr && sc->nwords == 2 && strcmp(sc->w0, "param") == 0) {
		struct decl *d = arena_calloc(sc->a, 1, sizeof *d);
		*d = (struct decl){ "param", sc->w2, NULL, scope_of(sc), 0, false };
		ptrvec_push(sc->a, &sc->c->params, d);
		sc->param = d;
	}
	sc->op_pending = true;
}

static void open_brace(struct scanner *sc)
{
	struct frame f = { NULL, NULL };
	if (!sc->attr && !sc->brackets && sc->nwords >= 1) {
		f.kind = sc->nwords >= 2 ? sc->w1 : sc->w2;
		if (sc->nwords >= 2)
			f.decl = declare_block(sc, f.kind, sc->w2);
	}
	if (sc->depth < SCAN_DEPTH)
		sc->st[sc->depth++] = f;
	else
		sc->skipped++;
	if (f.kind) {
		sc->attr = NULL;
		sc->brackets = 0;
	}
	sc->nwords = 0;
	sc->op_pending = false;
}

static void close_brace(struct scanner *sc)
{
	if (sc->skipped)
		sc->skipped--;
	else if (sc->depth)
		sc->depth--;
	if (!(sc->depth && !sc->st[sc->depth - 1].kind)) {
		sc->attr = NULL;
		sc->brackets = 0;
	}
	sc->nwords = 0;
	sc->op_pending = false;
}

static void punct(struct scanner *sc, char ch)
{
	switch (ch) {
	case '\n':
	case ';':
		end_statement(sc);
		break;
	case '=':
		if (!sc->brackets && sc->nwords >= 1)
			sc->attr = sc->w2;
		sc->op_pending = true;
		break;
	case ':':
		colon(sc);
		break;
	case '+':
	case '-':
	case ',':
		sc->op_pending = true;
		break;
	case '[':
	case '(':
		sc->brackets++;
		break;
	case ']':
	case ')':
		if (sc->brackets)
			sc->brackets--;
		break;
	case '{':
		open_brace(sc);
		break;
	case '}':
		close_brace(sc);
		break;
	default:
		break;
	}
}

/*
 * A forgiving scan of the whole text (half-typed is the normal case):
 * strings and comments skipped, `kind name {` opens a block, `{` after `=`
 * or `:` a map, `}` closes; `name =` at a block's level starts a value,
 * ended by a newline or `;` outside brackets when no operator is pending.
 * The whole text is read, not only up to the cursor: a reference may name
 * a block declared after it.
 */
static void scan(struct arena *a, const char *t, uint32_t len, uint32_t off, struct ctx *c)
{
	struct scanner sc = { .a = a, .c = c };
	bool done = false;
	for (uint32_t i = 0; i < len;) {
		if (i >= off && !done) {
			done = true;
			at_cursor(&sc);
		}
		char ch = t[i];
		if (ch == '#' || (ch == '/' && i + 1 < len && t[i + 1] == '/')) {
			uint32_t s0 = i;
			while (i < len && t[i] != '\n')
				i++;
			c->in_text |= s0 < off && off <= i;
			continue;
		}
		if (ch == '"') {
			uint32_t s0 = i;
			i++;
			while (i < len && t[i] != '"' && t[i] != '\n')
				i += t[i] == '\\' && i + 1 < len ? 2 : 1;
			c->in_text |= s0 < off && off <= i;
			i++;
			sc.nwords = 0;
			sc.op_pending = false;
			continue;
		}
		if (word_char(ch) || ch == '.') {
			uint32_t s0 = i;
			while (i < len && (word_char(t[i]) || t[i] == '.'))
				i++;
			if (!(i >= off && s0 < off)) /* the word being typed is not part of the context */
				word(&sc, arena_strndup(a, t + s0, i - s0));
			continue;
		}
		i++;
		punct(&sc, ch);
	}
	end_statement(&sc); /* an import on the last line, without its newline */
	if (!done)
		at_cursor(&sc);
	c->word_lo = off;
	while (c->word_lo > 0 && (word_char(t[c->word_lo - 1]) || t[c->word_lo - 1] == '.'))
		c->word_lo--;
}

/* ---- what is in scope at the cursor ---------------------------------------------- */

/* The environment `d` is in (or is); NULL: none. */
static const struct decl *env_of(const struct decl *d)
{
	while (d && strcmp(d->kind, "environment") != 0)
		d = d->parent;
	return d;
}

/* Is `outer` `d` or one of the blocks `d` is declared in? (NULL: the file, encloses all.) */
static bool encloses(const struct decl *outer, const struct decl *d)
{
	for (; d; d = d->parent)
		if (d == outer)
			return true;
	return !outer;
}

/*
 * The first block declaring `name` (of `kind`, unless NULL) from the
 * cursor's scope outward: where the resolver binds a name's first part
 * (resolve.c, walk and kind_qualified).
 */
static const struct decl *find_out(struct arena *a, const struct ctx *c, const char *kind, const char *name)
{
	for (const struct decl *s = c->scope;; s = s->parent) {
		const struct decl *d = strmap_get(&c->names, scope_key(a, s, kind, name));
		if (d || !s)
			return d;
	}
}

static void path_below(struct arena *a, struct strbuf *p, const struct decl *d, const struct decl *env)
{
	if (d->parent != env)
		path_below(a, p, d->parent, env);
	strbuf_printf(a, p, "%s%s", p->s && p->s[0] ? "." : "", d->name);
}

/*
 * How a reference to block `b` of environment `env` is written at the
 * cursor: its path below the environment (`vpc.private_a`), or with its
 * kind (`codeartifact.research.packages`) when blocks of two kinds share
 * the first name (E0218) or a nearer block hides it; NULL when neither
 * form resolves to `b` from the cursor.
 */
static const char *ref_text(struct arena *a, const struct ctx *c, const struct decl *b, const struct decl *env)
{
	const struct decl *top = b;
	while (top->parent != env)
		top = top->parent;
	struct strbuf p = { 0 };
	path_below(a, &p, b, env);
	const struct decl *first = find_out(a, c, NULL, top->name);
	if (first == top && !first->ambiguous)
		return p.s;
	if (!find_out(a, c, NULL, top->kind) && find_out(a, c, top->kind, top->name) == top)
		return arena_printf(a, "%s.%s", top->kind, p.s);
	return NULL;
}

/* The type word of the parameters an attribute of type `t` may take. */
static const char *param_type(enum vtype t)
{
	switch (t) {
	case VT_STRING:
		return "string";
	case VT_INT:
	case VT_PORT:
		return "int";
	case VT_BOOL:
		return "bool";
	case VT_INSTANCE:
		return "instance";
	case VT_SIZE:
		return "size";
	default:
		return NULL;
	}
}

static bool imported(const struct ctx *c, const char *module)
{
	for (size_t i = 0; i < c->imports.n; i++)
		if (strcmp(c->imports.items[i], module) == 0)
			return true;
	return false;
}

struct items {
	json_t *list;
	const char *prefix;
	size_t nprefix;
	json_t *range;       /* the word being typed, replaced by an item */
};

enum { CK_MODULE = 9, CK_PROPERTY = 10, CK_VALUE = 12, CK_KEYWORD = 14, CK_REFERENCE = 18,
       CK_ENUM_MEMBER = 20 };

static void item(struct items *it, const char *label, int kind, const char *detail)
{
	if (json_array_size(it->list) >= LSP_COMPLETION_MAX || strncmp(label, it->prefix, it->nprefix) != 0)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "label", json_string(label));
	json_object_set_new(o, "kind", json_integer(kind));
	if (detail)
		json_object_set_new(o, "detail", json_string(detail));
	json_t *edit = json_object();
	json_object_set(edit, "range", it->range);
	json_object_set_new(edit, "newText", json_string(label));
	json_object_set_new(o, "textEdit", edit);
	json_array_append_new(it->list, o);
}

/*
 * The definitions of stdlib module `module` as `std.MODULE.NAME`: every
 * top-level `name =` of its file (read from the text: no compile needed).
 */
static void std_sets(struct items *it, struct arena *a, const char *module)
{
	const char *file = arena_printf(a, "%s.sgl", module);
	for (unsigned m = 0; m < stdlib_count; m++) {
		if (strcmp(stdlib_files[m].name, file) != 0)
			continue;
		const char *t = stdlib_files[m].text;
		for (const char *p = t; *p;) {
			const char *e = p;
			while (word_char(*e))
				e++;
			const char *q = e;
			while (*q == ' ' || *q == '\t')
				q++;
			if (e > p && *q == '=' && (p == t || p[-1] == '\n'))
				item(it, arena_printf(a, "std.%s.%.*s", module, (int)(e - p), p), CK_MODULE,
				     "endpoint set");
			p = strchr(p, '\n');
			p = p ? p + 1 : t + strlen(t);
		}
	}
}

/* The blocks of `kinds` in the cursor's environment, as they resolve from the cursor. */
static void complete_refs(struct items *it, const struct ctx *c, const char *kinds, struct arena *a)
{
	const struct decl *env = env_of(c->scope);
	for (size_t i = 0; kinds && i < c->blocks.n; i++) {
		const struct decl *b = c->blocks.items[i];
		if (!schema_kind_in(kinds, b->kind) || b == env || env_of(b) != env)
			continue;
		const char *text = ref_text(a, c, b, env);
		if (text)
			item(it, text, CK_REFERENCE, b->kind);
	}
}

/* `param.NAME` for the parameters of type `type` declared around the cursor. */
static void complete_params(struct items *it, const struct ctx *c, const char *type, struct arena *a)
{
	for (size_t i = 0; type && i < c->params.n; i++) {
		const struct decl *p = c->params.items[i];
		if (p->type && strcmp(p->type, type) == 0 && encloses(p->parent, c->scope))
			item(it, arena_printf(a, "param.%s", p->name), CK_VALUE, arena_printf(a, "parameter: %s", type));
	}
}

static void complete_value(struct server *s, struct items *it, const struct ctx *c,
			   const struct attr_schema *as, struct arena *a)
{
	switch (as->type) {
	case VT_WORD:
	case VT_WORDS:
		for (int i = 0; as->choices && as->choices[i]; i++)
			item(it, as->choices[i], CK_ENUM_MEMBER, as->doc);
		break;
	case VT_BOOL:
		item(it, "true", CK_VALUE, NULL);
		item(it, "false", CK_VALUE, NULL);
		break;
	case VT_ZONE:
		for (const char *z = "abcdef"; *z; z++)
			item(it, arena_strndup(a, z, 1), CK_VALUE, "availability zone");
		break;
	case VT_REGION: {
		size_t n = region_count();
		const char **names = arena_calloc(a, n ? n : 1, sizeof *names);
		region_fill_names(names);
		for (size_t i = 0; i < n; i++)
			item(it, arena_printf(a, "\"%s\"", names[i]), CK_VALUE, "AWS Region");
		break;
	}
	case VT_ENDPOINTS:
		for (size_t i = 0; i < ep_count; i++)
			item(it, ep_services[i].name, CK_VALUE, ep_services[i].what);
		if (imported(c, "std.endpoints")) /* without the import, E0213 */
			std_sets(it, a, "endpoints");
		break;
	case VT_INSTANCE: {
		unsigned where = c->kind && strcmp(c->kind, "notebook") == 0 ? INST_NOTEBOOK : INST_STUDIO;
		for (size_t i = 0; i < instance_type_count; i++)
			if (instance_types[i].valid & where)
				item(it, instance_types[i].name, CK_VALUE, "instance type");
		break;
	}
	case VT_REF:
	case VT_REFS:
		complete_refs(it, c, as->ref_kind, a);
		break;
	default:
		break;
	}
	if (strncmp(it->prefix, "param.", 6) == 0)
		complete_params(it, c, param_type(as->type), a);
	(void)s;
}

void lsp_completion(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!lsp_req_open(s, id, params, true, &r))
		return;
	struct arena *a = arena_new();
	struct ctx c = { 0 };
	uint32_t off = r.off + r.bom;
	scan(a, r.d->text, (uint32_t)r.d->len, off, &c);
	struct items it = { json_array(), arena_strndup(a, r.d->text + c.word_lo, off - c.word_lo),
			    off - c.word_lo, lsp_json_range(&r.l, c.word_lo, off) };
	const struct attr_schema *as = c.attr ? lsp_attr_of(s, c.kind, c.attr) : NULL;
	if (c.in_text) {
		/* nothing inside a comment or a string */
	} else if (as) {
		complete_value(s, &it, &c, as, a);
	} else if (!c.attr) {
		for (size_t i = 0; i < s->schemas->n; i++) {
			const struct block_schema *bs = s->schemas->all[i];
			if (c.kind ? bs->parent && schema_kind_in(bs->parent, c.kind) : !bs->parent)
				item(&it, bs->kind, CK_KEYWORD, bs->doc);
		}
		const struct block_schema *bs = c.kind ? schema_find(s->schemas, c.kind) : NULL;
		for (size_t i = 0; bs && i < bs->nattrs; i++)
			item(&it, bs->attrs[i].name, CK_PROPERTY, bs->attrs[i].doc);
		if (!c.kind) {
			item(&it, "import", CK_KEYWORD, "import std.MODULE");
			item(&it, "param", CK_KEYWORD, "param NAME: TYPE = DEFAULT");
		}
	}
	json_decref(it.range);
	json_t *res = json_object();
	json_object_set_new(res, "isIncomplete", json_false());
	json_object_set_new(res, "items", it.list);
	arena_free(a);
	lsp_lines_free(&r.l);
	lsp_reply(s, id, res);
}
