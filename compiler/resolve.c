/*
 * resolve.c - scopes, imports and reference binding (see resolve.h).
 *
 * The scope tree mirrors the block tree: the global scope holds the
 * environment, top-level definitions and the `std` namespace; each named
 * block's scope holds its named children, and a block that declares
 * parameters also holds a `param` namespace. Look-ups walk outward, so
 * `vpc.private_a` works from anywhere inside the environment.
 */
#include "resolve.h"

#include <string.h>

#include "diag.h"
#include "parse.h"
#include "src.h"
#include "stdmod.h"
#include "suggest.h"

static struct scope *scope_new(struct arena *a, struct scope *parent)
{
	struct scope *s = arena_alloc(a, sizeof *s);
	s->parent = parent;
	return s;
}

struct symbol *scope_find(const struct scope *s, const char *name)
{
	return strmap_get(&s->by_name, name);
}

static void scope_add(struct arena *a, struct scope *s, struct symbol *sym)
{
	ptrvec_push(a, &s->syms, sym);
	strmap_put(a, &s->by_name, sym->name, sym);
}

static const char *sym_what(const struct symbol *s)
{
	switch (s->kind) {
	case SYM_BLOCK: return s->item->block_kind;
	case SYM_DEF: return "definition";
	case SYM_PARAM: return "parameter";
	case SYM_MODULE: return "module";
	case SYM_NAMESPACE: return "namespace";
	}
	return "name";
}

static struct symbol *new_symbol(struct resolver *r, struct scope *s, enum sym_kind kind,
				 const char *name, struct span span, const struct ast_item *item)
{
	struct symbol *sym = arena_alloc(r->arena, sizeof *sym);
	sym->kind = kind;
	sym->name = name;
	sym->span = span;
	sym->item = item;
	sym->home = s;
	return sym;
}

static struct symbol *declare(struct resolver *r, struct scope *s,
			      enum sym_kind kind, const char *name,
			      struct span span, const struct ast_item *item, bool kinds_apart)
{
	struct symbol *old = scope_find(s, name);
	/*
	 * In the environment, blocks of different kinds may share a name: their
	 * AWS names live in different namespaces, and `kind.name` (which finds
	 * the environment's blocks from anywhere in it) tells them apart. The
	 * second joins the first's chain; only the first is in the name map.
	 * Deeper (a subnet and a group of one network) nothing could tell them
	 * apart, so names stay unique there.
	 */
	struct symbol *last = old;
	bool other_kind = old && kind == SYM_BLOCK && kinds_apart;
	for (const struct symbol *o = old; other_kind && o; o = o->other_kind) {
		other_kind = o->kind == SYM_BLOCK && strcmp(o->item->block_kind, item->block_kind) != 0;
		if (!o->other_kind)
			last = (struct symbol *)o;
	}
	if (other_kind) {
		struct symbol *sym = new_symbol(r, s, kind, name, span, item);
		last->other_kind = sym;
		ptrvec_push(r->arena, &s->syms, sym);
		return sym;
	}
	if (old) {
		/* The same kind twice, or a block and a definition: point at the one of the same kind. */
		for (const struct symbol *o = old; o; o = o->other_kind)
			if (kind == SYM_BLOCK && o->kind == SYM_BLOCK &&
			    strcmp(o->item->block_kind, item->block_kind) == 0)
				old = (struct symbol *)o;
		struct diag *d = diag_add(r->diags, DIAG_E0202, span,
					  "`%s` is declared twice", name);
		diag_label(r->diags, d, "second declaration");
		diag_secondary(r->diags, d, old->span, "first declared here as a %s",
			       sym_what(old));
		diag_help(r->diags, d,
			  "names must be unique within their block; rename one of them");
		return NULL;
	}
	struct symbol *sym = new_symbol(r, s, kind, name, span, item);
	scope_add(r->arena, s, sym);
	return sym;
}

void resolve_init(struct resolver *r, struct arena *a, struct diag_sink *d,
		  struct src_map *m)
{
	memset(r, 0, sizeof *r);
	r->arena = a;
	r->diags = d;
	r->src = m;
	r->global = scope_new(a, NULL);
}

static struct scope *param_namespace(struct resolver *r, struct scope *s)
{
	struct symbol *ns = scope_find(s, "param");
	if (ns && ns->kind == SYM_NAMESPACE)
		return ns->members;
	ns = arena_alloc(r->arena, sizeof *ns);
	ns->kind = SYM_NAMESPACE;
	ns->name = "param";
	ns->members = scope_new(r->arena, NULL);
	scope_add(r->arena, s, ns);
	return ns->members;
}

static void declare_items(struct resolver *r, struct scope *s,
			  struct ast_item *items, bool top, bool kinds_apart)
{
	for (struct ast_item *it = items; it; it = it->next) {
		switch (it->kind) {
		case IT_BLOCK: {
			struct scope *inner = scope_new(r->arena, s);
			it->scope = inner;
			if (it->name) {
				struct symbol *sym = declare(r, s, SYM_BLOCK, it->name,
							     it->name_span, it, kinds_apart);
				if (sym)
					sym->members = inner;
			}
			declare_items(r, inner, it->children, false,
				      top && strcmp(it->block_kind, "environment") == 0);
			break;
		}
		case IT_ATTR:
			/* Only top-level attributes are definitions; others are settings. */
			if (top)
				declare(r, s, SYM_DEF, it->name, it->name_span, it, false);
			break;
		case IT_PARAM:
			declare(r, param_namespace(r, s), SYM_PARAM, it->name,
				it->name_span, it, false);
			break;
		case IT_IMPORT:
			break;
		}
	}
}

static struct symbol *std_namespace(struct resolver *r, struct span first_import)
{
	struct symbol *std = scope_find(r->global, "std");
	if (std)
		return std;
	std = arena_alloc(r->arena, sizeof *std);
	std->kind = SYM_NAMESPACE;
	std->name = "std";
	std->span = first_import;
	std->members = scope_new(r->arena, NULL);
	scope_add(r->arena, r->global, std);
	return std;
}

/* E0203 for `std.<mod>`, suggesting `endpoints`, not `endpoints.sgl`. */
static void unknown_module(struct resolver *r, struct span at, const char *mod)
{
	const char *names[64];
	unsigned n = stdlib_module_names(names, 64);
	for (unsigned i = 0; i < n; i++)
		names[i] = arena_strndup(r->arena, names[i], strlen(names[i]) - 4);
	struct diag *d = diag_add(r->diags, DIAG_E0203, at, "no standard library module `std.%s`", mod);
	const char *best = suggest_best(mod, names, n);
	if (best)
		diag_help(r->diags, d, "did you mean `std.%s`?", best);
}

static void import_module(struct resolver *r, const struct ast_item *it)
{
	const struct ast_name *path = it->path;
	const char *full = ast_name_str(r->arena, path);
	if (path->n != 2 || strcmp(path->parts[0], "std") != 0) {
		struct diag *d = diag_add(r->diags, DIAG_E0203, path->span,
					  "cannot import `%s`", full);
		diag_label(r->diags, d, "not a standard library module");
		diag_help(r->diags, d,
			  "only `std.<module>` can be imported, e.g. `import std.endpoints`");
		return;
	}
	const char *mod = path->parts[1];
	const struct stdlib_file *sf = stdlib_module(mod);
	if (!sf) {
		unknown_module(r, path->spans[1], mod);
		return;
	}
	struct symbol *std = std_namespace(r, it->span);
	if (scope_find(std->members, mod))
		return; /* importing twice is harmless */
	uint32_t file = src_add(r->src, arena_printf(r->arena, "<std>/%s.sgl", mod),
				sf->text, sf->len);
	struct ast_file *af = parse_file(r->arena, r->diags, r->src, file);
	struct symbol *m = arena_alloc(r->arena, sizeof *m);
	m->kind = SYM_MODULE;
	m->name = mod;
	m->span = path->span;
	m->members = scope_new(r->arena, NULL);
	scope_add(r->arena, std->members, m);
	declare_items(r, m->members, af->items, true, false);
}

void resolve_file(struct resolver *r, struct ast_file *f)
{
	for (const struct ast_item *it = f->items; it; it = it->next)
		if (it->kind == IT_IMPORT)
			import_module(r, it);
	declare_items(r, r->global, f->items, true, false);
}

/* Names visible from `s` outward, innermost first, for suggestions. */
static size_t visible_names(const struct scope *s, const char **out, size_t cap)
{
	size_t n = 0;
	for (; s; s = s->parent)
		for (size_t i = 0; i < s->syms.n && n < cap; i++)
			out[n++] = ((struct symbol *)s->syms.items[i])->name;
	return n;
}

static size_t member_names(const struct scope *s, const char **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; s && i < s->syms.n && n < cap; i++)
		out[n++] = ((struct symbol *)s->syms.items[i])->name;
	return n;
}

enum { MAX_CANDIDATES = 256 };

/* `std.X.y` with no `import std.X`: say what to import, not "unknown std". */
static bool std_not_imported(struct resolver *r, const struct ast_name *name)
{
	if (name->n < 2 || strcmp(name->parts[0], "std") != 0)
		return false;
	const char *mod = name->parts[1];
	if (stdlib_module(mod)) {
		struct diag *d = diag_add(r->diags, DIAG_E0213, name->spans[1],
					  "module `std.%s` is not imported", mod);
		diag_help(r->diags, d, "add `import std.%s` at the top of the file", mod);
		return true;
	}
	unknown_module(r, name->spans[1], mod);
	return true;
}

static void unknown_first(struct resolver *r, const struct scope *from,
			  const struct ast_name *name)
{
	if (std_not_imported(r, name))
		return;
	const char *cands[MAX_CANDIDATES];
	size_t n = visible_names(from, cands, MAX_CANDIDATES);
	struct diag *d = diag_add(r->diags, DIAG_E0201, name->spans[0],
				  "unknown name `%s`", name->parts[0]);
	diag_label(r->diags, d, "not declared here or in an enclosing block");
	const char *best = suggest_best(name->parts[0], cands, n);
	if (best) {
		diag_help(r->diags, d, "did you mean `%s`?", best);
		diag_fix(r->diags, d, name->spans[0], "%s", best);
	}
}

static void unknown_member(struct resolver *r, const struct ast_name *name,
			   int i, const struct symbol *owner)
{
	const char *prefix = ast_name_str(r->arena, &(struct ast_name){
		.parts = name->parts, .spans = name->spans, .n = i });
	if (owner->kind == SYM_NAMESPACE && strcmp(owner->name, "std") == 0 && i == 1 &&
	    std_not_imported(r, name))
		return;
	const char *cands[MAX_CANDIDATES];
	size_t n = member_names(owner->members, cands, MAX_CANDIDATES);
	struct diag *d = diag_add(r->diags, DIAG_E0201, name->spans[i],
				  "unknown name `%s.%s`", prefix, name->parts[i]);
	diag_label(r->diags, d, "no `%s` in %s `%s`", name->parts[i],
		   sym_what(owner), prefix);
	const char *best = suggest_best(name->parts[i], cands, n);
	if (best) {
		diag_help(r->diags, d, "did you mean `%s.%s`?", prefix, best);
		diag_fix(r->diags, d, name->spans[i], "%s", best);
	}
}

/*
 * `codeartifact.ml.packages`: a block kind may prefix a block's name, for
 * readability; the kind must then match.
 */
static struct symbol *kind_qualified(const struct scope *from, const struct ast_name *name)
{
	if (name->n < 2)
		return NULL;
	for (const struct scope *s = from; s; s = s->parent)
		for (struct symbol *sym = scope_find(s, name->parts[1]); sym; sym = sym->other_kind)
			if (sym->kind == SYM_BLOCK && strcmp(sym->item->block_kind, name->parts[0]) == 0)
				return sym;
	return NULL;
}

/* Whether the rest of `name` (after its first part) exists below `sym`. */
static bool rest_resolves(const struct symbol *sym, const struct ast_name *name)
{
	for (int i = 1; i < name->n; i++) {
		sym = sym->members ? scope_find(sym->members, name->parts[i]) : NULL;
		if (!sym)
			return false;
	}
	return true;
}

/*
 * E0218: a bare name that blocks of different kinds share. The help
 * offers the kind-qualified forms that lead somewhere (all when none does).
 */
static void ambiguous(struct resolver *r, const struct ast_name *name, const struct symbol *sym)
{
	size_t total = 0, fit = 0;
	for (const struct symbol *o = sym; o; o = o->other_kind) {
		total++;
		fit += rest_resolves(o, name);
	}
	struct strbuf kinds = { 0 }, forms = { 0 };
	size_t k = 0, f = 0;
	for (const struct symbol *o = sym; o; o = o->other_kind, k++) {
		strbuf_printf(r->arena, &kinds, "%sa `%s`", k == 0 ? "" : k + 1 == total ? " and " : ", ",
			      o->item->block_kind);
		if (fit && !rest_resolves(o, name))
			continue;
		size_t want = fit ? fit : total;
		strbuf_printf(r->arena, &forms, "%s`%s.%s`", f == 0 ? "" : f + 1 == want ? " or " : ", ",
			      o->item->block_kind, ast_name_str(r->arena, name));
		f++;
	}
	struct diag *d = diag_add(r->diags, DIAG_E0218, name->spans[0],
				  "`%s` is ambiguous: it names %s", name->parts[0], kinds.s);
	for (const struct symbol *o = sym; o; o = o->other_kind)
		diag_secondary(r->diags, d, o->span, "a `%s`", o->item->block_kind);
	diag_note(r->diags, d, "blocks of different kinds may share a name; a reference then names the kind");
	diag_help(r->diags, d, "write %s", forms.s);
}

/*
 * Bind `name` from `from`: the first part outward (or a kind-qualified
 * name), the rest through members. Reports only when `r` is given.
 */
static struct symbol *walk(struct resolver *r, const struct scope *from,
			   const struct ast_name *name)
{
	struct symbol *sym = NULL;
	int first = 1;
	for (const struct scope *s = from; s && !sym; s = s->parent)
		sym = scope_find(s, name->parts[0]);
	if (!sym && (sym = kind_qualified(from, name)) != NULL)
		first = 2;
	else if (sym && sym->other_kind) {
		if (r)
			ambiguous(r, name, sym);
		return NULL;
	}
	if (!sym) {
		if (r)
			unknown_first(r, from, name);
		return NULL;
	}
	for (int i = first; i < name->n; i++) {
		struct symbol *next = sym->members ? scope_find(sym->members, name->parts[i]) : NULL;
		/* `param.x` may be declared in any enclosing block, not just the nearest. */
		if (!next && sym->kind == SYM_NAMESPACE && strcmp(sym->name, "param") == 0) {
			for (const struct scope *s = from; s && !next; s = s->parent) {
				struct symbol *ns = scope_find(s, "param");
				if (ns && ns->kind == SYM_NAMESPACE)
					next = scope_find(ns->members, name->parts[i]);
			}
		}
		if (!next) {
			if (r)
				unknown_member(r, name, i, sym);
			return NULL;
		}
		sym = next;
	}
	return sym;
}

struct symbol *resolve_lookup(struct resolver *r, const struct scope *from,
			      const struct ast_name *name)
{
	return walk(r, from, name);
}

struct symbol *resolve_find(const struct scope *from, const struct ast_name *name)
{
	return walk(NULL, from, name);
}
