/*
 * lsp_query.c - requests about a position or a document: the symbol
 * under the cursor (from the last check), hover, definition, references,
 * formatting and the quick fixes of the diagnostics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "endpoints.h"
#include "fmt.h"
#include "instances.h"
#include "lex.h"
#include "lsp_server.h"

/* ---- where the cursor is ------------------------------------------------------ */


static bool in_span(struct span sp, uint32_t off)
{
	return sp.lo <= off && off <= sp.hi && sp.hi > sp.lo;
}

static const struct ast_expr *expr_at(const struct ast_expr *e, uint32_t off, int *part)
{
	if (!e || !in_span(e->span, off))
		return NULL;
	const struct ast_expr *in = NULL;
	switch (e->kind) {
	case EX_LIST:
		for (const struct ast_expr *x = e->u.list.head; x && !in; x = x->next)
			in = expr_at(x, off, part);
		break;
	case EX_MAP:
		for (const struct ast_entry *x = e->u.map.head; x && !in; x = x->next)
			in = expr_at(x->value, off, part);
		break;
	case EX_BINARY:
		in = expr_at(e->u.bin.lhs, off, part);
		if (!in)
			in = expr_at(e->u.bin.rhs, off, part);
		break;
	case EX_CALL:
		for (const struct ast_expr *x = e->u.call.args; x && !in; x = x->next)
			in = expr_at(x, off, part);
		break;
	case EX_NAME:
		*part = 0;
		for (int i = 0; i < e->u.name->n; i++)
			if (e->u.name->spans[i].lo <= off)
				*part = i;
		break;
	default:
		break;
	}
	return in ? in : e;
}

static bool find_at(const struct ast_item *items, const char *kind, const struct scope *sc,
		    uint32_t off, struct at *out)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		if (!in_span(it->span, off))
			continue;
		out->item = it;
		out->kind = kind;
		out->scope = sc;
		if (it->kind == IT_BLOCK && !in_span(it->kind_span, off) &&
		    !(it->name && in_span(it->name_span, off))) {
			if (find_at(it->children, it->block_kind, it->scope ? it->scope : sc, off, out))
				return true;
			out->item = it;
			out->kind = kind;
			out->scope = sc;
		}
		if (it->value)
			out->expr = expr_at(it->value, off, &out->part);
		return true;
	}
	return false;
}

/* The symbol expression `e`'s first `n` parts name, from `sc`. */
static struct symbol *lookup(const struct scope *sc, const struct ast_expr *e, int n)
{
	if (!sc || !e || e->kind != EX_NAME)
		return NULL;
	struct ast_name name = *e->u.name;
	name.n = n;
	return resolve_find(sc, &name);
}

/* The symbol under the cursor: a reference, or a declaration's name. */
static struct symbol *symbol_at(const struct doc *d, uint32_t off, struct at *at)
{
	*at = (struct at){ 0 };
	if (!d->c.ast || !d->c.global || !find_at(d->c.ast->items, NULL, d->c.global, off, at))
		return NULL;
	if (at->expr && at->expr->kind == EX_NAME)
		return lookup(at->scope, at->expr, at->part + 1);
	const struct ast_item *it = at->item;
	if (it->name && in_span(it->name_span, off) && it->kind != IT_IMPORT) {
		struct symbol *sym = scope_find(at->scope, it->name);
		for (; sym; sym = sym->other_kind)
			if (sym->item == it)
				return sym;
	}
	return NULL;
}

/* ---- requests on a document --------------------------------------------------- */


/* The document and cursor of a textDocument request; false: answered already. */
bool lsp_req_open(struct server *s, json_t *id, json_t *params, bool with_pos, struct req *r)
{
	const char *uri = lsp_param_uri(params);
	json_int_t line = 0, ch = 0;
	if (!uri || (with_pos && !lsp_get_pos(json_object_get(params, "position"), &line, &ch))) {
		lsp_reply_error(s, id, RPC_INVALID_PARAMS, "textDocument.uri and position expected");
		return false;
	}
	r->d = lsp_doc_find(s, uri);
	if (!r->d) {
		lsp_reply_error(s, id, RPC_INVALID_PARAMS, "document not open");
		return false;
	}
	lsp_doc_check(s, r->d);
	if (!lsp_lines_init(&r->l, r->d->text, r->d->len, s->utf8)) {
		lsp_reply_error(s, id, RPC_REQUEST_FAILED, "out of memory");
		return false;
	}
	r->bom = (uint32_t)lex_bom_length(r->d->text, r->d->len);
	uint32_t off = lsp_pos_to_off(&r->l, line, ch);
	r->off = off >= r->bom ? off - r->bom : 0;
	return true;
}

static json_t *location(struct server *s, const struct req *r, struct span sp)
{
	const struct doc *d = r->d;
	json_t *loc = json_object();
	struct lines own = r->l, other;
	struct lines *l = &own;
	uint32_t bom = r->bom;
	if (sp.file == d->c.file) {
		json_object_set_new(loc, "uri", json_string(d->uri));
	} else {
		const struct src_file *f = src_get(&d->c.src, sp.file);
		const char *name = strncmp(f->path, "<std>/", 6) == 0 ? f->path + 6 : f->path;
		char *u = malloc(sizeof LSP_STDLIB_SCHEME + strlen(name));
		if (!u || !lsp_lines_init(&other, f->text, f->len, s->utf8)) {
			free(u);
			json_decref(loc);
			return NULL;
		}
		sprintf(u, "%s%s", LSP_STDLIB_SCHEME, name);
		json_object_set_new(loc, "uri", json_string(u));
		free(u);
		l = &other;
		bom = 0;
	}
	json_object_set_new(loc, "range", lsp_json_range(l, sp.lo + bom, sp.hi + bom));
	if (l == &other)
		lsp_lines_free(&other);
	return loc;
}

static const char *vtype_doc(enum vtype t)
{
	return schema_type_name(t);
}

static void md_attr(struct strbuf *b, struct arena *a, const char *kind, const struct attr_schema *as)
{
	strbuf_printf(a, b, "**%s**.`%s`: %s%s\n\n%s", kind, as->name, vtype_doc(as->type),
		      as->required ? " (required)" : "", as->doc ? as->doc : "");
	if (as->choices) {
		strbuf_printf(a, b, "\n\nallowed: ");
		for (int i = 0; as->choices[i]; i++)
			strbuf_printf(a, b, "%s`%s`", i ? ", " : "", as->choices[i]);
	}
	if (as->ref_kind)
		strbuf_printf(a, b, "\n\nrefers to: `%s`", as->ref_kind);
}

const struct attr_schema *lsp_attr_of(const struct server *s, const char *kind, const char *name)
{
	const struct block_schema *bs = kind ? schema_find(s->schemas, kind) : NULL;
	int i = bs ? schema_attr_index(bs, name) : -1;
	return i >= 0 ? &bs->attrs[i] : NULL;
}

static void md_symbol(struct strbuf *b, struct arena *a, const struct doc *d, const struct symbol *sym)
{
	const struct src_file *f = src_get(&d->c.src, sym->span.file);
	struct src_pos p = src_locate(f, sym->span.lo);
	switch (sym->kind) {
	case SYM_BLOCK:
		strbuf_printf(a, b, "%s `%s`", sym->item->block_kind, sym->name);
		break;
	case SYM_DEF:
		strbuf_printf(a, b, "definition `%s`", sym->name);
		break;
	case SYM_PARAM:
		strbuf_printf(a, b, "parameter `%s`: %s", sym->name,
			      sym->item && sym->item->type_name ? sym->item->type_name : "?");
		break;
	case SYM_MODULE:
		strbuf_printf(a, b, "module `%s`", sym->name);
		break;
	case SYM_NAMESPACE:
		strbuf_printf(a, b, "namespace `%s`", sym->name);
		return;
	}
	strbuf_printf(a, b, ", declared at %s:%u:%u", f->path, p.line, p.col);
	if (sym->set_state == DEF_DONE && sym->set) {
		size_t n = 0;
		for (size_t i = 0; i < ep_count; i++)
			n += sym->set[i];
		strbuf_printf(a, b, "\n\nendpoint set of %zu service%s: ", n, n == 1 ? "" : "s");
		size_t k = 0;
		for (size_t i = 0; i < ep_count; i++)
			if (sym->set[i])
				strbuf_printf(a, b, "%s`%s`", k++ ? ", " : "", ep_services[i].name);
	}
}

void lsp_hover(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!lsp_req_open(s, id, params, true, &r))
		return;
	struct doc *d = r.d;
	struct arena *a = d->c.arena;
	struct strbuf b = { 0 };
	struct span at_span = { 0, 0, 0 };
	struct at at = { 0 };
	if (d->c.ast && find_at(d->c.ast->items, NULL, d->c.global, r.off, &at)) {
		const struct ast_item *it = at.item;
		const struct attr_schema *as = it->kind == IT_ATTR ? lsp_attr_of(s, at.kind, it->name) : NULL;
		if (it->kind == IT_BLOCK && in_span(it->kind_span, r.off)) {
			const struct block_schema *bs = schema_find(s->schemas, it->block_kind);
			if (bs) {
				strbuf_printf(a, &b, "**%s** block: %s\n\nattributes: ", bs->kind, bs->doc ? bs->doc : "");
				for (size_t i = 0; i < bs->nattrs; i++)
					strbuf_printf(a, &b, "%s`%s`", i ? ", " : "", bs->attrs[i].name);
			}
			at_span = it->kind_span;
		} else if (it->kind == IT_BLOCK && it->name && in_span(it->name_span, r.off)) {
			const struct block_schema *bs = schema_find(s->schemas, it->block_kind);
			strbuf_printf(a, &b, "%s `%s`", it->block_kind, it->name);
			if (bs && bs->doc)
				strbuf_printf(a, &b, ": %s", bs->doc);
			at_span = it->name_span;
		} else if (it->kind == IT_ATTR && in_span(it->name_span, r.off) && as) {
			md_attr(&b, a, at.kind, as);
			at_span = it->name_span;
		} else if (at.expr) {
			const struct ast_expr *e = at.expr;
			at_span = e->span;
			struct symbol *sym = e->kind == EX_NAME ? lookup(at.scope, e, at.part + 1) : NULL;
			const struct ep_service *svc = e->kind == EX_NAME && e->u.name->n == 1
				? ep_find(e->u.name->parts[0]) : e->kind == EX_STRING ? ep_find(e->u.str.s) : NULL;
			if (sym) {
				md_symbol(&b, a, d, sym);
				at_span = e->u.name->spans[at.part];
			} else if (as && as->type == VT_ENDPOINTS && svc) {
				strbuf_printf(a, &b, "endpoint service `%s`: `%s` (%s endpoint)\n\n%s", svc->name,
					      svc->service_name, svc->type == EP_GATEWAY ? "gateway" : "interface",
					      svc->what ? svc->what : "");
			} else if (e->kind == EX_INSTANCE) {
				const struct instance_type *t = instance_find(e->u.text);
				if (t)
					strbuf_printf(a, &b, "instance type `%s`: %u vCPU, %u MiB memory%s%s", t->name,
						      t->vcpu, t->memory_mib,
						      t->valid & INST_NOTEBOOK ? "; notebook instances" : "",
						      t->valid & INST_STUDIO ? "; Studio apps" : "");
			} else if (as) {
				md_attr(&b, a, at.kind, as);
			}
		}
	}
	if (!b.s) {
		lsp_lines_free(&r.l);
		lsp_reply(s, id, json_null());
		return;
	}
	json_t *res = json_object(), *c = json_object();
	json_object_set_new(c, "kind", json_string("markdown"));
	json_object_set_new(c, "value", json_string(b.s));
	json_object_set_new(res, "contents", c);
	json_object_set_new(res, "range", lsp_json_range(&r.l, at_span.lo + r.bom, at_span.hi + r.bom));
	lsp_lines_free(&r.l);
	lsp_reply(s, id, res);
}

void lsp_definition(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!lsp_req_open(s, id, params, true, &r))
		return;
	struct at at;
	struct symbol *sym = symbol_at(r.d, r.off, &at);
	json_t *loc = sym && sym->kind != SYM_NAMESPACE ? location(s, &r, sym->span) : NULL;
	lsp_lines_free(&r.l);
	lsp_reply(s, id, loc);
}

struct refs {
	struct server *s;
	const struct req *r;
	const struct symbol *target;
	json_t *out;
};

static void refs_expr(struct refs *x, const struct scope *sc, const struct ast_expr *e)
{
	for (; e; e = NULL) {
		switch (e->kind) {
		case EX_NAME:
			for (int k = 1; k <= e->u.name->n; k++)
				if (lookup(sc, e, k) == x->target) {
					json_t *loc = location(x->s, x->r, e->u.name->spans[k - 1]);
					if (loc)
						json_array_append_new(x->out, loc);
				}
			break;
		case EX_LIST:
			for (const struct ast_expr *i = e->u.list.head; i; i = i->next)
				refs_expr(x, sc, i);
			break;
		case EX_MAP:
			for (const struct ast_entry *i = e->u.map.head; i; i = i->next)
				refs_expr(x, sc, i->value);
			break;
		case EX_BINARY:
			refs_expr(x, sc, e->u.bin.lhs);
			refs_expr(x, sc, e->u.bin.rhs);
			break;
		case EX_CALL:
			for (const struct ast_expr *i = e->u.call.args; i; i = i->next)
				refs_expr(x, sc, i);
			break;
		default:
			break;
		}
	}
}

static void refs_items(struct refs *x, const struct scope *sc, const struct ast_item *items)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		if (it->kind == IT_BLOCK)
			refs_items(x, it->scope ? it->scope : sc, it->children);
		else if (it->value)
			refs_expr(x, sc, it->value);
	}
}

void lsp_references(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!lsp_req_open(s, id, params, true, &r))
		return;
	struct at at;
	struct symbol *sym = symbol_at(r.d, r.off, &at);
	json_t *out = json_array();
	if (sym) {
		json_t *ctx = lsp_param_obj(params, "context");
		if (json_is_true(json_object_get(ctx, "includeDeclaration")) && sym->span.file == r.d->c.file) {
			json_t *loc = location(s, &r, sym->kind == SYM_BLOCK || sym->kind == SYM_DEF ||
							     sym->kind == SYM_PARAM
						       ? sym->item->name_span : sym->span);
			if (loc)
				json_array_append_new(out, loc);
		}
		struct refs x = { s, &r, sym, out };
		refs_items(&x, r.d->c.global, r.d->c.ast->items);
	}
	lsp_lines_free(&r.l);
	lsp_reply(s, id, out);
}

void lsp_formatting(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!lsp_req_open(s, id, params, false, &r))
		return;
	struct arena *a = arena_new();
	size_t n;
	const char *out = fmt_source(a, r.d->text, r.d->len, &n);
	json_t *res;
	if (!out) {
		res = json_null(); /* it does not parse: the diagnostics say why */
	} else {
		res = json_array();
		if (n != r.d->len || memcmp(out, r.d->text, n) != 0) {
			json_t *e = json_object();
			json_object_set_new(e, "range", lsp_json_range(&r.l, 0, (uint32_t)r.d->len));
			json_object_set_new(e, "newText", json_stringn(out, n));
			json_array_append_new(res, e);
		}
	}
	arena_free(a);
	lsp_lines_free(&r.l);
	lsp_reply(s, id, res);
}

void lsp_code_action(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!lsp_req_open(s, id, params, false, &r))
		return;
	json_t *range = lsp_param_obj(params, "range");
	json_int_t l1, c1, l2, c2;
	if (!range || !lsp_get_pos(json_object_get(range, "start"), &l1, &c1) ||
	    !lsp_get_pos(json_object_get(range, "end"), &l2, &c2)) {
		lsp_lines_free(&r.l);
		lsp_reply_error(s, id, RPC_INVALID_PARAMS, "range expected");
		return;
	}
	uint32_t lo = lsp_pos_to_off(&r.l, l1, c1), hi = lsp_pos_to_off(&r.l, l2, c2);
	json_t *out = json_array();
	size_t n, dropped;
	const struct diag **all = diag_sorted(&r.d->c.diags, LSP_DIAG_CAP, &n, &dropped);
	for (size_t i = 0; i < n; i++) {
		const struct diag *g = all[i];
		uint32_t a, b;
		if (!g->nfixes || !lsp_local_span(r.d, r.bom, g->span, &a, &b) || b < lo || a > hi)
			continue;
		json_t *edits = json_array();
		for (int k = 0; k < g->nfixes; k++) {
			uint32_t fa, fb;
			if (!lsp_local_span(r.d, r.bom, g->fixes[k].span, &fa, &fb))
				continue;
			json_t *e = json_object();
			json_object_set_new(e, "range", lsp_json_range(&r.l, fa, fb));
			json_object_set_new(e, "newText", json_string(g->fixes[k].text));
			json_array_append_new(edits, e);
		}
		json_t *changes = json_object(), *edit = json_object(), *act = json_object();
		json_object_set_new(changes, r.d->uri, edits);
		json_object_set_new(edit, "changes", changes);
		json_object_set_new(act, "title", json_string(arena_printf(
			r.d->c.arena, "%s: %s", diag_code_name(g->code), g->help ? g->help : "apply the fix")));
		json_object_set_new(act, "kind", json_string("quickfix"));
		json_t *ds = json_array();
		json_array_append_new(ds, lsp_diag_json(s, r.d, &r.l, r.bom, g));
		json_object_set_new(act, "diagnostics", ds);
		json_object_set_new(act, "isPreferred", json_true());
		json_object_set_new(act, "edit", edit);
		json_array_append_new(out, act);
	}
	lsp_lines_free(&r.l);
	lsp_reply(s, id, out);
}
