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

/* ---- completion ---------------------------------------------------------------- */

/* A named block found by the scanner, with its path below the environment. */
struct decl {
	const char *kind;
	const char *path;
};

/* What the scanner knows at the cursor. */
struct ctx {
	const char *kind;       /* enclosing block kind; NULL at top level */
	const char *attr;       /* the attribute whose value is being written; NULL: none */
	uint32_t word_lo;       /* the (dotted) word before the cursor: [word_lo, off) */
	bool in_text;           /* the cursor is inside a comment or a string: nothing to offer */
	struct ptrvec decls;    /* struct decl *: every named block of the text */
};

enum { SCAN_DEPTH = 64 };

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

/*
 * A forgiving scan of the whole text (half-typed is the normal case):
 * strings and comments skipped, `kind name {` opens a block, `{` after `=`
 * or `:` a map, `}` closes; `name =` at a block's level starts a value,
 * ended by a newline or `;` outside brackets when no operator is pending.
 */
static void scan(struct arena *a, const char *t, uint32_t len, uint32_t off, struct ctx *c)
{
	struct frame {
		const char *kind;   /* NULL: a map */
		const char *name;
	} st[SCAN_DEPTH];
	int depth = 0, skipped = 0; /* frames beyond SCAN_DEPTH are only counted */
	int brackets = 0;
	const char *w1 = NULL, *w2 = NULL; /* the last two words of the statement */
	int nwords = 0;
	const char *attr = NULL;
	bool op_pending = false, done = false;
	c->kind = NULL;
	c->attr = NULL;
	for (uint32_t i = 0; i < len;) {
		if (i >= off && !done) {
			done = true;
			c->kind = depth > 0 ? st[depth - 1].kind : NULL;
			c->attr = attr;
			if (depth > 0 && !st[depth - 1].kind)
				c->attr = NULL;
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
			nwords = 0;
			op_pending = false;
			continue;
		}
		if (word_char(ch) || ch == '.') {
			uint32_t s0 = i;
			while (i < len && (word_char(t[i]) || t[i] == '.'))
				i++;
			if (i >= off && s0 < off)
				continue; /* the word being typed: not part of the context */
			w1 = w2;
			w2 = arena_strndup(a, t + s0, i - s0);
			nwords++;
			op_pending = false;
			continue;
		}
		i++;
		switch (ch) {
		case '\n':
		case ';':
			if (!brackets && !op_pending) {
				attr = NULL;
				nwords = 0;
			}
			break;
		case '=':
			if (!brackets && nwords >= 1)
				attr = w2;
			op_pending = true;
			break;
		case '+':
		case '-':
		case ',':
		case ':':
			op_pending = true;
			break;
		case '[':
		case '(':
			brackets++;
			break;
		case ']':
		case ')':
			if (brackets)
				brackets--;
			break;
		case '{': {
			struct frame f = { NULL, NULL };
			if (!attr && !brackets && nwords >= 1) {
				f.kind = nwords >= 2 ? w1 : w2;
				f.name = nwords >= 2 ? w2 : NULL;
				if (f.name) {
					struct strbuf p = { 0 };
					for (int k = 0; k < depth; k++)
						if (st[k].kind && st[k].name && strcmp(st[k].kind, "environment") != 0)
							strbuf_printf(a, &p, "%s.", st[k].name);
					strbuf_printf(a, &p, "%s", f.name);
					struct decl *dcl = arena_alloc(a, sizeof *dcl);
					dcl->kind = f.kind;
					dcl->path = p.s;
					ptrvec_push(a, &c->decls, dcl);
				}
			}
			if (depth < SCAN_DEPTH)
				st[depth++] = f;
			else
				skipped++;
			if (f.kind) {
				attr = NULL;
				brackets = 0;
			}
			nwords = 0;
			op_pending = false;
			break;
		}
		case '}':
			if (skipped)
				skipped--;
			else if (depth)
				depth--;
			if (!(depth && !st[depth - 1].kind)) {
				attr = NULL;
				brackets = 0;
			}
			nwords = 0;
			op_pending = false;
			break;
		default:
			break;
		}
	}
	if (!done) {
		c->kind = depth > 0 ? st[depth - 1].kind : NULL;
		c->attr = attr;
		if (depth > 0 && !st[depth - 1].kind)
			c->attr = NULL;
	}
	c->word_lo = off;
	while (c->word_lo > 0 && (word_char(t[c->word_lo - 1]) || t[c->word_lo - 1] == '.'))
		c->word_lo--;
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
		for (unsigned m = 0; m < stdlib_count; m++) {
			/* The sets of std.endpoints: every top-level `name =` of the module. */
			if (strcmp(stdlib_files[m].name, "endpoints.sgl") != 0)
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
					item(it, arena_printf(a, "std.endpoints.%.*s", (int)(e - p), p), CK_MODULE,
					     "endpoint set");
				p = strchr(p, '\n');
				p = p ? p + 1 : t + strlen(t);
			}
		}
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
		for (size_t i = 0; i < c->decls.n; i++) {
			const struct decl *dcl = c->decls.items[i];
			if (as->ref_kind && schema_kind_in(as->ref_kind, dcl->kind))
				item(it, dcl->path, CK_REFERENCE, dcl->kind);
		}
		break;
	default:
		break;
	}
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
