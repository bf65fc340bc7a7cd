/*
 * attrs.c - the checker's context, and every typed value of the schema read
 * from the syntax tree (see attrs.h).
 */
#include "attrs.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "endpoints.h"
#include "instances.h"
#include "prefix_lists.h"
#include "resolve.h"
#include "suggest.h"

/* ---- generic validation ------------------------------------------------- */

const struct block_schema *ck_schema(const struct checker *ck, const char *kind)
{
	return schema_find(ck->schemas, kind);
}

/* Returns the index of the attribute suggested instead, or -1. */
static int unknown_attr(struct checker *ck, const struct ast_item *it,
			const struct block_schema *bs)
{
	const char *names[SCHEMA_MAX_ATTRS];
	for (size_t i = 0; i < bs->nattrs; i++)
		names[i] = bs->attrs[i].name;
	struct diag *d = diag_add(ck->diags, DIAG_E0205, it->name_span,
				  "`%s` blocks have no attribute `%s`", bs->kind,
				  it->name);
	const char *best = suggest_best(it->name, names, bs->nattrs);
	if (best) {
		diag_help(ck->diags, d, "did you mean `%s`?", best);
		diag_fix(ck->diags, d, it->name_span, "%s", best);
		return schema_attr_index(bs, best);
	} else {
		const char *list = NULL;
		for (size_t i = 0; i < bs->nattrs; i++)
			list = list ? arena_printf(ck->arena, "%s, `%s`", list, names[i])
				    : arena_printf(ck->arena, "`%s`", names[i]);
		diag_note(ck->diags, d, "`%s` takes %s", bs->kind, list);
	}
	return -1;
}

void ck_unknown_kind(struct checker *ck, const struct ast_item *it)
{
	size_t n = ck->schemas->n < SCHEMA_MAX_ATTRS ? ck->schemas->n : SCHEMA_MAX_ATTRS;
	const char *names[SCHEMA_MAX_ATTRS];
	for (size_t i = 0; i < n; i++)
		names[i] = ck->schemas->all[i]->kind;
	struct diag *d = diag_add(ck->diags, DIAG_E0204, it->kind_span,
				  "unknown block kind `%s`", it->block_kind);
	const char *best = suggest_best(it->block_kind, names, n);
	if (best) {
		diag_help(ck->diags, d, "did you mean `%s`?", best);
		diag_fix(ck->diags, d, it->kind_span, "%s", best);
	}
}

bool ck_placement(struct checker *ck, const struct ast_item *it,
		  const struct block_schema *bs, const char *parent)
{
	bool ok = parent ? schema_kind_in(bs->parent, parent) : bs->parent == NULL;
	if (!ok) {
		struct diag *d = diag_add(ck->diags, DIAG_E0208, it->kind_span,
					  "`%s` blocks cannot appear %s%s%s",
					  bs->kind, parent ? "inside `" : "at the top level",
					  parent ? parent : "", parent ? "`" : "");
		if (bs->parent) {
			char *kinds = arena_strdup(ck->arena, bs->parent);
			char *bar = strchr(kinds, '|');
			if (bar)
				*bar = '\0';
			diag_help(ck->diags, d, "move it inside `%s { ... }`%s", kinds,
				  bar ? arena_printf(ck->arena, " or `%s { ... }`", bar + 1) : "");
		}
		else
			diag_help(ck->diags, d, "move it to the top level of the file");
		return false;
	}
	if (bs->named && !it->name) {
		struct diag *d = diag_add(ck->diags, DIAG_E0215, it->kind_span,
					  "`%s` blocks need a name", bs->kind);
		diag_help(ck->diags, d, "write `%s <name> { ... }`", bs->kind);
		return false;
	}
	if (!bs->named && it->name) {
		struct diag *d = diag_add(ck->diags, DIAG_E0215, it->name_span,
					  "`%s` blocks take no name", bs->kind);
		diag_help(ck->diags, d, "write `%s { ... }`", bs->kind);
		return false;
	}
	return true;
}

/*
 * Fill `slots` with the block's attributes and report unknown, repeated
 * and missing ones. Child blocks and parameters are checked for placement
 * only; their callers check them in turn.
 */
void ck_validate_attrs(struct checker *ck, const struct ast_item *block,
		       const struct block_schema *bs, struct slots *slots)
{
	memset(slots, 0, sizeof *slots);
	bool suggested[SCHEMA_MAX_ATTRS] = { false };
	for (const struct ast_item *it = block->children; it; it = it->next) {
		if (it->kind == IT_IMPORT) {
			struct diag *d = diag_add(ck->diags, DIAG_E0216, it->span,
						  "imports must be at the top level");
			diag_help(ck->diags, d, "move this line to the top of the file");
			continue;
		}
		if (it->kind == IT_PARAM && strcmp(bs->kind, "environment") != 0) {
			struct diag *d = diag_add(ck->diags, DIAG_E0216, it->span,
						  "parameters belong to the environment");
			diag_help(ck->diags, d,
				  "declare `param %s` directly inside `environment`",
				  it->name);
			continue;
		}
		if (it->kind == IT_BLOCK) {
			const struct block_schema *cs = ck_schema(ck, it->block_kind);
			if (!cs)
				ck_unknown_kind(ck, it);
			else
				ck_placement(ck, it, cs, bs->kind);
			continue;
		}
		if (it->kind != IT_ATTR)
			continue;
		int i = schema_attr_index(bs, it->name);
		if (i < 0) {
			int instead = unknown_attr(ck, it, bs);
			if (instead >= 0)
				suggested[instead] = true;
			continue;
		}
		if (slots->at[i]) {
			struct diag *d = diag_add(ck->diags, DIAG_E0207, it->name_span,
						  "`%s` is set twice", it->name);
			diag_secondary(ck->diags, d, slots->at[i]->name_span,
				       "first set here");
			diag_help(ck->diags, d, "remove one of the two");
			continue;
		}
		slots->at[i] = it;
	}
	for (size_t i = 0; i < bs->nattrs; i++) {
		/* `zones = b` already said "did you mean `zone`": no second error. */
		if (!bs->attrs[i].required || slots->at[i] || suggested[i])
			continue;
		struct span at = block->name ? block->name_span : block->kind_span;
		struct diag *d = diag_add(ck->diags, DIAG_E0206, at,
					  "%s `%s` is missing `%s`", bs->kind,
					  block->name ? block->name : "", bs->attrs[i].name);
		if (!block->name)
			d->msg = arena_printf(ck->arena, "`%s` block is missing `%s`",
					      bs->kind, bs->attrs[i].name);
		diag_help(ck->diags, d, "add `%s = ...`: %s", bs->attrs[i].name,
			  bs->attrs[i].doc);
	}
}

/* Children of `block` of one kind, placed and named correctly (reported by validate_attrs otherwise). */
void ck_child_blocks(struct checker *ck, const struct ast_item *block,
		     const char *kind, struct ptrvec *out)
{
	for (const struct ast_item *it = block->children; it; it = it->next) {
		if (it->kind != IT_BLOCK || strcmp(it->block_kind, kind) != 0)
			continue;
		const struct block_schema *bs = ck_schema(ck, kind);
		if (!schema_kind_in(bs->parent, block->block_kind))
			continue;
		if (bs->named != (it->name != NULL))
			continue;
		ptrvec_push(ck->arena, out, (void *)it);
	}
}

/* ---- registry: AST item -> model object ----------------------------------- */

/* A hash map, not a list: every reference looks its block up here. */
void ck_register(struct checker *ck, const struct ast_item *item, void *obj)
{
	strmap_put(ck->arena, &ck->reg, arena_printf(ck->arena, "%p", (const void *)item), obj);
}

void *ck_object(const struct checker *ck, const struct ast_item *item)
{
	char key[32];
	snprintf(key, sizeof key, "%p", (const void *)item);
	return strmap_get(&ck->reg, key);
}

/* ---- values --------------------------------------------------------------- */

void ck_wrong_type(struct checker *ck, const struct ast_item *attr,
		   const struct ast_expr *e, enum vtype want)
{
	if (e->kind == EX_INVALID)
		return; /* already reported where it was read */
	struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
				  "`%s` expects %s, found %s %s", attr->name,
				  schema_type_name(want),
				  e->kind == EX_INT || e->kind == EX_INSTANCE ? "an" : "a",
				  ast_expr_kind_name(e->kind));
	if (e->kind == EX_STRING && (want == VT_CIDR || want == VT_INT || want == VT_BOOL ||
				     want == VT_PORT || want == VT_SIZE || want == VT_DURATION)) {
		diag_help(ck->diags, d, "remove the quotes: `%.*s`",
			  (int)e->u.str.len, e->u.str.s);
		diag_fix(ck->diags, d, e->span, "%.*s", (int)e->u.str.len, e->u.str.s);
	}
}

/*
 * The definition `e` (a name) stands for, seen from `sc`. Parameters are
 * deploy-time values and cannot stand where the checker needs the value;
 * blocks are not values. Reports and returns NULL for those.
 */
static struct symbol *definition_named(struct checker *ck, const struct scope *sc,
				       const struct ast_expr *e)
{
	struct symbol *sym = resolve_lookup(ck->res, sc, e->u.name);
	if (!sym)
		return NULL;
	if (sym->kind == SYM_PARAM) {
		struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
					  "`%s` is a deploy-time parameter; this value must be known when compiling",
					  ast_name_str(ck->arena, e->u.name));
		diag_help(ck->diags, d, "write the value itself, or a top-level definition");
		return NULL;
	}
	if (sym->kind != SYM_DEF) {
		struct diag *d = diag_add(ck->diags, DIAG_E0212, e->span,
					  "`%s` is a %s, not a value",
					  ast_name_str(ck->arena, e->u.name),
					  sym->kind == SYM_BLOCK ? sym->item->block_kind : "name");
		diag_secondary(ck->diags, d, sym->span, "declared here");
		return NULL;
	}
	return sym;
}

/* `use` leads into a loop of definitions that comes back to `again`. */
static void value_loop(struct checker *ck, const struct ast_expr *use,
		       const struct symbol *again, const struct symbol *closer)
{
	struct diag *d = diag_add(ck->diags, DIAG_E0214, use->span,
				  "`%s` is defined in terms of itself", again->name);
	diag_secondary(ck->diags, d, closer->span, "`%s` is part of the loop", closer->name);
	diag_help(ck->diags, d, "give one of the definitions a value");
}

/*
 * A bare name in a value position may name a top-level definition
 * (`cidr = base_range`); follow it to its value. The walk is a loop, not
 * a recursion, and every definition it passes records the value found,
 * so a chain of any length is followed once in all: a later use stops at
 * the first definition already done. Only a real loop is an error.
 */
const struct ast_expr *ck_deref(struct checker *ck, const struct scope *sc,
				const struct ast_expr *e)
{
	if (e->kind != EX_NAME)
		return e;
	struct symbol *sym = definition_named(ck, sc, e);
	if (!sym)
		return NULL;
	struct ptrvec path = { 0 };   /* definitions made ACTIVE by this walk */
	const struct ast_expr *value = NULL;
	for (;;) {
		if (sym->value_state == DEF_DONE) {
			value = sym->value;
			break;
		}
		if (sym->value_state == DEF_ACTIVE) {
			value_loop(ck, e, sym, path.n ? path.items[path.n - 1] : sym);
			break;
		}
		sym->value_state = DEF_ACTIVE;
		ptrvec_push(ck->arena, &path, sym);
		const struct ast_expr *v = sym->item->value;
		if (v->kind != EX_NAME) {
			value = v;
			break;
		}
		sym = definition_named(ck, sym->home, v);
		if (!sym)
			break;
	}
	for (size_t i = 0; i < path.n; i++) {
		struct symbol *done = path.items[i];
		done->value_state = DEF_DONE;
		done->value = value;
	}
	return value;
}

const struct ast_expr *ck_value_of(struct checker *ck, const struct scope *sc,
				   const struct ast_item *attr, enum ast_expr_kind want,
				   enum vtype vt)
{
	if (!attr)
		return NULL;
	const struct ast_expr *v = attr->value;
	/* `public = yes`: a word where a boolean goes is a type error, not a typo of a name. */
	if (want == EX_BOOL && v->kind == EX_NAME && v->u.name->n == 1 &&
	    !resolve_find(sc, v->u.name)) {
		struct diag *d = diag_add(ck->diags, DIAG_E0209, v->span,
					  "`%s` expects `true` or `false`, found `%s`",
					  attr->name, v->u.name->parts[0]);
		diag_help(ck->diags, d, "write `%s = true` or `%s = false`", attr->name, attr->name);
		return NULL;
	}
	const struct ast_expr *e = ck_deref(ck, sc, v);
	if (!e)
		return NULL;
	if (e->kind != want) {
		ck_wrong_type(ck, attr, e, vt);
		return NULL;
	}
	return e;
}

const char *ck_get_string(struct checker *ck, const struct scope *sc,
			  const struct ast_item *attr)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_STRING, VT_STRING);
	return e ? e->u.str.s : NULL;
}

bool ck_get_bool(struct checker *ck, const struct scope *sc,
		 const struct ast_item *attr, bool dflt)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_BOOL, VT_BOOL);
	return e ? e->u.b : dflt;
}

int ck_get_port(struct checker *ck, const struct scope *sc,
		const struct ast_item *attr)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_INT, VT_PORT);
	if (!e)
		return -1;
	if (e->u.i > 65535) {
		struct diag *d = diag_add(ck->diags, DIAG_E0406, e->span,
					  "port %lld is out of range",
					  (long long)e->u.i);
		diag_help(ck->diags, d, "ports are 0 to 65535");
		return -1;
	}
	return (int)e->u.i;
}

static long word_index(const char *const *choices, const char *w)
{
	for (long i = 0; choices[i]; i++)
		if (strcmp(choices[i], w) == 0)
			return i;
	return -1;
}

/* E0210: `e`, a bare word, is none of `choices`; a suggestion, or the list. */
static void unknown_word(struct checker *ck, const struct ast_item *attr,
			 const struct ast_expr *e, const char *const *choices)
{
	const char *w = e->u.name->parts[0];
	size_t n = 0;
	while (choices[n])
		n++;
	struct diag *d = diag_add(ck->diags, DIAG_E0210, e->span,
				  "`%s` is not a valid `%s`", w, attr->name);
	const char *best = suggest_best(w, choices, n);
	const char *list = NULL;
	for (size_t i = 0; i < n; i++)
		list = list ? arena_printf(ck->arena, "%s, `%s`", list, choices[i])
			    : arena_printf(ck->arena, "`%s`", choices[i]);
	if (best) {
		diag_help(ck->diags, d, "did you mean `%s`?", best);
		diag_fix(ck->diags, d, e->span, "%s", best);
	} else
		diag_help(ck->diags, d, "use one of %s", list);
}

/* A bare word that must be one of `choices`: `isolation = isolated`. */
const char *ck_get_word(struct checker *ck, const struct ast_item *attr,
			const char *const *choices)
{
	if (!attr)
		return NULL;
	const struct ast_expr *e = attr->value;
	if (e->kind != EX_NAME || e->u.name->n != 1) {
		if (e->kind == EX_INVALID)
			return NULL;
		struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
					  "`%s` expects one of its words, found %s",
					  attr->name, ast_expr_kind_name(e->kind));
		diag_help(ck->diags, d, "write the word without quotes, e.g. `%s = %s`",
			  attr->name, choices[0]);
		return NULL;
	}
	const char *w = e->u.name->parts[0];
	long i = word_index(choices, w);
	if (i >= 0)
		return choices[i];
	unknown_word(ck, attr, e, choices);
	return NULL;
}

void ck_get_words(struct checker *ck, const struct ast_item *attr,
		  const char *const *choices, struct ptrvec *out)
{
	if (!attr)
		return;
	const struct ast_expr *e = attr->value;
	size_t n = 0;
	while (choices[n])
		n++;
	struct span *seen = arena_calloc(ck->arena, n + 1, sizeof *seen);
	bool *have = arena_calloc(ck->arena, n + 1, sizeof *have);
	const struct ast_expr *first = e->kind == EX_LIST ? e->u.list.head : e;
	for (const struct ast_expr *x = first; x; x = e->kind == EX_LIST ? x->next : NULL) {
		if (x->kind != EX_NAME || x->u.name->n != 1) {
			if (x->kind == EX_INVALID)
				continue;
			struct diag *d = diag_add(ck->diags, DIAG_E0209, x->span,
						  "`%s` expects words, found %s",
						  attr->name, ast_expr_kind_name(x->kind));
			diag_help(ck->diags, d, "write the word without quotes, e.g. `%s = [%s]`",
				  attr->name, choices[0]);
			continue;
		}
		long i = word_index(choices, x->u.name->parts[0]);
		if (i < 0) {
			unknown_word(ck, attr, x, choices);
			continue;
		}
		if (have[i]) {
			struct diag *d = diag_add(ck->diags, DIAG_W0631, x->span,
						  "`%s` is listed twice in `%s`", choices[i], attr->name);
			diag_secondary(ck->diags, d, seen[i], "first listed here");
			diag_help(ck->diags, d, "remove this one");
			continue;
		}
		have[i] = true;
		seen[i] = x->span;
		struct ck_word *w = arena_alloc(ck->arena, sizeof *w);
		w->index = (size_t)i;
		w->span = x->span;
		ptrvec_push(ck->arena, out, w);
	}
}

void ck_get_strings(struct checker *ck, const struct scope *sc,
		    const struct ast_item *attr, struct ptrvec *out)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_LIST, VT_STRINGS);
	if (!e)
		return;
	for (const struct ast_expr *x = e->u.list.head; x; x = x->next) {
		const struct ast_expr *v = ck_deref(ck, sc, x);
		if (!v)
			continue;
		if (v->kind != EX_STRING) {
			ck_wrong_type(ck, attr, v, VT_STRINGS);
			continue;
		}
		ptrvec_push(ck->arena, out, (void *)v->u.str.s);
	}
}

/* ---- numbers, sizes and durations -------------------------------------------- */

/*
 * Whole gigabytes: `50 GB` and `50 GiB` both mean 50, as the SageMaker
 * APIs count volume sizes in GiB under the name "GB".
 */
int ck_get_gb(struct checker *ck, const struct scope *sc,
	      const struct ast_item *attr, int dflt, int lo, int hi)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_SIZE, VT_SIZE);
	if (!e)
		return dflt;
	uint64_t gb;
	switch (e->u.size.unit) {
	case UNIT_GB:
	case UNIT_GIB: gb = e->u.size.amount; break;
	case UNIT_TB:
	case UNIT_TIB: gb = e->u.size.amount > UINT64_MAX / 1024 ? UINT64_MAX : e->u.size.amount * 1024; break;
	default: gb = 0; break;
	}
	if (gb < (uint64_t)lo || gb > (uint64_t)hi) {
		struct diag *d = diag_add(ck->diags, DIAG_E0508, e->span,
					  "`%s` must be from %d GB to %d GB", attr->name, lo, hi);
		diag_label(ck->diags, d, "%s", e->u.size.unit < UNIT_GB || (e->u.size.unit >= UNIT_KIB && e->u.size.unit < UNIT_GIB)
			   ? "sizes here are whole GB" : "out of range");
		return dflt;
	}
	return (int)gb;
}

int ck_get_minutes(struct checker *ck, const struct scope *sc,
		   const struct ast_item *attr, int dflt, int lo, int hi)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_DURATION, VT_DURATION);
	if (!e)
		return dflt;
	uint64_t m = e->u.seconds / 60;
	if (e->u.seconds % 60 || m < (uint64_t)lo || m > (uint64_t)hi) {
		struct diag *d = diag_add(ck->diags, DIAG_E0508, e->span,
					  "`%s` must be whole minutes from %dm to %dm", attr->name, lo, hi);
		diag_help(ck->diags, d, "write e.g. `%dm` or `%dh`", lo, lo / 60 ? lo / 60 : 1);
		return dflt;
	}
	return (int)m;
}

int ck_get_days(struct checker *ck, const struct scope *sc,
		const struct ast_item *attr, int dflt, int lo, int hi)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_DURATION, VT_DURATION);
	if (!e)
		return dflt;
	uint64_t d = e->u.seconds / 86400;
	if (e->u.seconds % 86400 || d < (uint64_t)lo || d > (uint64_t)hi) {
		struct diag *dg = diag_add(ck->diags, DIAG_E0508, e->span,
					   "`%s` must be whole days from %dd to %dd", attr->name, lo, hi);
		diag_help(ck->diags, dg, "write e.g. `%dd`", lo);
		return dflt;
	}
	return (int)d;
}

int ck_get_int(struct checker *ck, const struct scope *sc,
	       const struct ast_item *attr, int dflt, int lo, int hi)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_INT, VT_INT);
	if (!e)
		return dflt;
	if (e->u.i < lo || e->u.i > hi) {
		diag_add(ck->diags, DIAG_E0508, e->span, "`%s` must be from %d to %d",
			 attr->name, lo, hi);
		return dflt;
	}
	return (int)e->u.i;
}

/* ---- CIDR blocks ------------------------------------------------------- */

const char *ck_fmt_cidr(struct checker *ck, struct cidr c)
{
	char buf[CIDR_STR_MAX];
	cidr_format(c, buf);
	return arena_strdup(ck->arena, buf);
}

/*
 * Parse a CIDR literal exactly. Host bits are an error (AWS would silently
 * canonicalise a VPC range, which hides a typo); the aligned block is
 * returned so later checks still run on something sensible.
 */
bool ck_get_cidr(struct checker *ck, const struct scope *sc,
		 const struct ast_item *attr, struct cidr *out, struct span *at)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_CIDR, VT_CIDR);
	if (!e)
		return false;
	*at = e->span;
	size_t len = strlen(e->u.text), off = 0;
	enum cidr_error err = cidr_parse(e->u.text, len, out, &off);
	if (err != CIDR_OK) {
		size_t end = off + 1;
		while (end < len && e->u.text[end] >= '0' && e->u.text[end] <= '9' &&
		       e->u.text[off] >= '0' && e->u.text[off] <= '9')
			end++;
		struct span sp = { e->span.file, e->span.lo + (uint32_t)off,
				   e->span.lo + (uint32_t)end };
		if (sp.hi > e->span.hi)
			sp = (struct span){ e->span.file, e->span.hi - 1, e->span.hi };
		struct diag *d = diag_add(ck->diags, DIAG_E0301, sp,
					  "invalid CIDR block `%s`", e->u.text);
		diag_label(ck->diags, d, "%s", cidr_error_str(err));
		diag_help(ck->diags, d,
			  "write four numbers from 0 to 255 and a prefix from 0 to 32, like `10.0.0.0/16`");
		return false;
	}
	if (cidr_has_host_bits(*out)) {
		struct cidr aligned = cidr_aligned(*out);
		struct diag *d = diag_add(ck->diags, DIAG_E0302, e->span,
					  "CIDR block `%s` has host bits set", e->u.text);
		diag_label(ck->diags, d, "the /%u block containing this address starts at `%s`",
			   out->prefix, ck_fmt_cidr(ck, aligned));
		diag_help(ck->diags, d, "write `%s`", ck_fmt_cidr(ck, aligned));
		*out = aligned;
	}
	return true;
}

/* ---- references ------------------------------------------------------------ */

static const char *kinds_text(struct checker *ck, const char *kinds)
{
	struct strbuf b = { 0 };
	strbuf_puts(ck->arena, &b, "`");
	for (const char *p = kinds; *p; p++) {
		if (*p == '|')
			strbuf_puts(ck->arena, &b, strchr(p + 1, '|') ? "`, `" : "` or `");
		else
			strbuf_add(ck->arena, &b, p, 1);
	}
	strbuf_puts(ck->arena, &b, "`");
	return b.s;
}

/* A reference to a block of one of `kinds`; reports and returns NULL otherwise. */
const struct ast_item *ck_ref_block(struct checker *ck, const struct scope *sc,
				    const struct ast_expr *e, const char *kinds)
{
	if (e->kind != EX_NAME) {
		if (e->kind != EX_INVALID) {
			struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
						  "expected a reference to a %s block, found %s",
						  kinds_text(ck, kinds), ast_expr_kind_name(e->kind));
			diag_help(ck->diags, d, "write the block's name, e.g. `vpc.private_a`");
		}
		return NULL;
	}
	struct symbol *sym = resolve_lookup(ck->res, sc, e->u.name);
	if (!sym)
		return NULL;
	if (sym->kind != SYM_BLOCK || !schema_kind_in(kinds, sym->item->block_kind)) {
		struct diag *d = diag_add(ck->diags, DIAG_E0212, e->span,
					  "`%s` is %s, not a %s block",
					  ast_name_str(ck->arena, e->u.name),
					  sym->kind == SYM_BLOCK
						  ? arena_printf(ck->arena, "a `%s` block", sym->item->block_kind)
						  : sym->kind == SYM_PARAM ? "a parameter" : "a definition",
					  kinds_text(ck, kinds));
		diag_secondary(ck->diags, d, sym->span, "declared here");
		return NULL;
	}
	return sym->item;
}

/* Each element of a list, or the single value. */
void ck_ref_blocks(struct checker *ck, const struct scope *sc,
		   const struct ast_item *attr, const char *kinds,
		   struct ptrvec *out)
{
	if (!attr)
		return;
	const struct ast_expr *e = attr->value;
	if (e->kind != EX_LIST) {
		const struct ast_item *b = ck_ref_block(ck, sc, e, kinds);
		if (b)
			ptrvec_push(ck->arena, out, (void *)b);
		return;
	}
	for (const struct ast_expr *x = e->u.list.head; x; x = x->next) {
		const struct ast_item *b = ck_ref_block(ck, sc, x, kinds);
		if (b)
			ptrvec_push(ck->arena, out, (void *)b);
	}
}

void *ck_ref_obj(struct checker *ck, const struct scope *sc,
		 const struct ast_item *attr, const char *kind)
{
	if (!attr)
		return NULL;
	const struct ast_item *b = ck_ref_block(ck, sc, attr->value, kind);
	return b ? ck_object(ck, b) : NULL;
}

/* ---- instance types ---------------------------------------------------------- */

/* `ml.t3.medium`, or `param.x` of type instance (a deploy-time value). */
struct m_value ck_get_instance(struct checker *ck, const struct scope *sc,
			       const struct ast_item *attr)
{
	struct m_value v = { 0 };
	if (!attr)
		return v;
	const struct ast_expr *e = attr->value;
	v.span = e->span;
	if (e->kind == EX_NAME) {
		struct symbol *sym = resolve_lookup(ck->res, sc, e->u.name);
		if (sym && sym->kind == SYM_PARAM) {
			v.param = ck_object(ck, sym->item);
			if (v.param && strcmp(v.param->type, "instance") != 0) {
				struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
							  "parameter `%s` is a %s, not an instance type",
							  v.param->name, v.param->type);
				diag_secondary(ck->diags, d, v.param->span, "declared here");
				v.param = NULL;
			}
			if (v.param)
				v.param->used = true;
			return v;
		}
		if (!sym)
			return v;
		e = ck_deref(ck, sc, e);
		if (!e)
			return v;
	}
	if (e->kind != EX_INSTANCE) {
		ck_wrong_type(ck, attr, e, VT_INSTANCE);
		return v;
	}
	v.literal = e->u.text;
	return v;
}

const struct instance_type *ck_fit_instance(struct checker *ck, const struct m_value *v,
					    unsigned where, const char *who)
{
	/* A parameter is checked with this stage's value, else its default. */
	const struct m_param *p = v->param;
	const char *name = v->literal ? v->literal : p ? (p->value ? p->value : p->dflt) : NULL;
	if (v->span.hi == 0 && v->literal) /* sgc's own default: known good */
		return instance_find(name);
	struct span at = v->literal ? v->span : p ? (p->value ? p->value_span : p->dflt_span) : v->span;
	if (!name)
		return NULL;
	const struct instance_type *t = instance_find(name);
	const char *kind = where == INST_NOTEBOOK ? "notebook instances" : "Studio apps";
	if (!t) {
		const char *names[256];
		size_t n = instance_names(where, names, 256);
		struct diag *d = diag_add(ck->diags, DIAG_E0607, at, "unknown instance type `%s`", name);
		const char *best = suggest_best(name, names, n);
		if (best) {
			diag_help(ck->diags, d, "did you mean `%s`?", best);
			if (v->literal)
				diag_fix(ck->diags, d, at, "%s", best);
		} else
			diag_note(ck->diags, d, "docs/language.md lists the types for %s", kind);
		return NULL;
	}
	if (!(t->valid & where)) {
		struct diag *d = diag_add(ck->diags, DIAG_E0608, at,
					  "`%s` is not available for %s", name, kind);
		diag_label(ck->diags, d, "used by %s", who);
		const struct instance_type *alt = instance_bigger(t, t->memory_mib, where);
		if (alt)
			diag_help(ck->diags, d, "use `%s`", alt->name);
		return NULL;
	}
	return t;
}

/* ---- managed prefix lists ----------------------------------------------- */

void ck_prefix_list(struct checker *ck, const struct ep_service *svc, struct span at)
{
	const struct region *r = ck->env ? ck->env->region : NULL;
	if (!svc || !r || prefix_list_id(r, svc->name))
		return;
	if (prefix_list_other_partition(r)) {
		struct diag *d = diag_add(ck->diags, DIAG_E0540, at,
					  "sgc knows no ID of the managed prefix list `com.amazonaws.%s.%s`",
					  r->name, svc->name);
		diag_note(ck->diags, d, "sgc carries prefix-list IDs from cited sources only, and none "
			  "gives those of the GovCloud (US) or China partitions");
		diag_help(ck->diags, d, "reach the service through `cidr = ...` rules of a declared "
			  "security group, or deploy to a Region of the `aws` partition");
		return;
	}
	struct diag *d = diag_add(ck->diags, DIAG_W0540, at,
				  "sgc knows no ID of the managed prefix list `com.amazonaws.%s.%s`",
				  r->name, svc->name);
	diag_note(ck->diags, d, "the template keeps the parameter `%sPrefixListId` without a default",
		  svc->logical);
	diag_help(ck->diags, d, "pass it at deploy: `aws ec2 describe-managed-prefix-lists --filters "
		  "Name=prefix-list-name,Values=com.amazonaws.%s.%s`", r->name, svc->name);
}
