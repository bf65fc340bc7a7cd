/*
 * epset.c - endpoint-set expressions: `std.endpoints.notebook + [logs]`
 * evaluated to the services in them (see epset.h).
 */
#include "epset.h"

#include <string.h>

#include "diag.h"
#include "resolve.h"
#include "suggest.h"

void epset_init(struct checker *ck, struct epset *s)
{
	s->on = arena_calloc(ck->arena, ep_count, sizeof *s->on);
	s->at = arena_calloc(ck->arena, ep_count, sizeof *s->at);
}

static void epset_add(struct epset *dst, const struct epset *src)
{
	for (size_t i = 0; i < ep_count; i++)
		if (src->on[i] && !dst->on[i]) {
			dst->on[i] = true;
			dst->at[i] = src->at[i];
		}
}

static void epset_remove(struct epset *dst, const struct epset *src)
{
	for (size_t i = 0; i < ep_count; i++)
		if (src->on[i])
			dst->on[i] = false;
}

static void list_services(struct checker *ck, const struct ast_expr *e,
			  struct epset *out)
{
	const char *names[64];
	size_t nnames = ep_count < 64 ? ep_count : 64;
	ep_fill_names(names);
	for (const struct ast_expr *x = e->u.list.head; x; x = x->next) {
		const char *name;
		if (x->kind == EX_NAME)
			name = ast_name_str(ck->arena, x->u.name);
		else if (x->kind == EX_STRING)
			name = x->u.str.s;
		else {
			if (x->kind != EX_INVALID)
				diag_add(ck->diags, DIAG_E0209, x->span,
					 "expected an endpoint service name, found %s",
					 ast_expr_kind_name(x->kind));
			continue;
		}
		const struct ep_service *svc = ep_find(name);
		if (!svc) {
			struct diag *d = diag_add(ck->diags, DIAG_E0403, x->span,
						  "unknown endpoint service `%s`", name);
			const char *best = suggest_best(name, names, nnames);
			if (best) {
				diag_help(ck->diags, d, "did you mean `%s`?", best);
				diag_fix(ck->diags, d, x->span, x->kind == EX_STRING ? "\"%s\"" : "%s", best);
			} else
				diag_note(ck->diags, d,
					  "docs/endpoints.md lists the services sgc knows");
			continue;
		}
		size_t i = ep_index(svc);
		if (out->on[i]) {
			struct diag *d = diag_add(ck->diags, DIAG_W0405, x->span,
						  "`%s` is listed twice", name);
			diag_secondary(ck->diags, d, out->at[i], "first listed here");
			continue;
		}
		out->on[i] = true;
		out->at[i] = x->span;
	}
}

/* The definitions an endpoint expression names, in order (not inside lists). */
static void named_definitions(struct checker *ck, const struct scope *sc,
			      const struct ast_expr *e, struct ptrvec *out)
{
	if (e->kind == EX_BINARY) {
		named_definitions(ck, sc, e->u.bin.lhs, out);
		named_definitions(ck, sc, e->u.bin.rhs, out);
	} else if (e->kind == EX_NAME) {
		struct symbol *sym = resolve_find(sc, e->u.name);
		if (sym && sym->kind == SYM_DEF)
			ptrvec_push(ck->arena, out, sym);
	}
}

/* One definition on the stack of endpoint_definition. */
struct set_frame {
	struct symbol *sym;
	struct ptrvec deps;  /* the definitions it names */
	size_t next;         /* deps[0..next) are done or on the stack */
};

static void push_frame(struct checker *ck, struct ptrvec *stack, struct symbol *sym)
{
	struct set_frame *f = arena_calloc(ck->arena, 1, sizeof *f);
	f->sym = sym;
	sym->set_state = DEF_ACTIVE;
	named_definitions(ck, sym->home, sym->item->value, &f->deps);
	ptrvec_push(ck->arena, stack, f);
}

/*
 * Evaluate the endpoint set `root` defines, once: the definitions it
 * names are evaluated first, depth first, on an explicit stack, so a chain
 * of any length takes no C stack; each definition's own expression is at
 * most AST_MAX_DEPTH deep and is evaluated by the recursion in
 * eval_endpoints, which then finds every definition it names done (or
 * still ACTIVE: a loop). Work and memory are linear in the definitions.
 */
static void endpoint_definition(struct checker *ck, struct symbol *root)
{
	if (root->set_state != DEF_UNSEEN)
		return;
	struct ptrvec stack = { 0 };
	push_frame(ck, &stack, root);
	while (stack.n) {
		struct set_frame *top = stack.items[stack.n - 1];
		if (top->next < top->deps.n) {
			struct symbol *dep = top->deps.items[top->next++];
			if (dep->set_state == DEF_UNSEEN)
				push_frame(ck, &stack, dep);
			continue;
		}
		struct epset set;
		epset_init(ck, &set);
		top->sym->set_ok = epset_eval(ck, top->sym->home, top->sym->item->value, &set);
		top->sym->set = set.on;
		top->sym->set_state = DEF_DONE;
		stack.n--;
	}
}

/*
 * Evaluate `a + b - [c]`: lists are literal services, names are sets
 * defined at the top level or in an imported module.
 */
bool epset_eval(struct checker *ck, const struct scope *sc,
		const struct ast_expr *e, struct epset *out)
{
	switch (e->kind) {
	case EX_LIST:
		list_services(ck, e, out);
		return true;
	case EX_BINARY: {
		struct epset rhs;
		epset_init(ck, &rhs);
		bool ok = epset_eval(ck, sc, e->u.bin.lhs, out);
		ok = epset_eval(ck, sc, e->u.bin.rhs, &rhs) && ok;
		if (e->u.bin.op == '+')
			epset_add(out, &rhs);
		else
			epset_remove(out, &rhs);
		return ok;
	}
	case EX_NAME: {
		/* `endpoints = logs`: a service where a set goes. */
		const char *word = ast_name_str(ck->arena, e->u.name);
		if (!resolve_find(sc, e->u.name) && ep_find(word)) {
			struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
						  "`%s` is a service, not an endpoint set", word);
			diag_help(ck->diags, d, "put services in a list: `[%s]`", word);
			return false;
		}
		struct symbol *sym = resolve_lookup(ck->res, sc, e->u.name);
		if (!sym)
			return false;
		if (sym->kind != SYM_DEF) {
			struct diag *d = diag_add(ck->diags, DIAG_E0212, e->span,
						  "`%s` is not an endpoint set",
						  ast_name_str(ck->arena, e->u.name));
			if (ep_find(ast_name_str(ck->arena, e->u.name)))
				diag_help(ck->diags, d, "to name a service, put it in a list: `[%s]`",
					  ast_name_str(ck->arena, e->u.name));
			return false;
		}
		if (sym->set_state == DEF_ACTIVE) {
			struct diag *d = diag_add(ck->diags, DIAG_E0214, e->span,
						  "`%s` is defined in terms of itself",
						  sym->name);
			diag_secondary(ck->diags, d, sym->span, "defined here");
			return false;
		}
		endpoint_definition(ck, sym);
		/* A set's services point at the line that asked for the set. */
		for (size_t i = 0; i < ep_count; i++)
			if (sym->set[i] && !out->on[i]) {
				out->on[i] = true;
				out->at[i] = e->span;
			}
		return sym->set_ok;
	}
	case EX_INVALID:
		return false;
	default: {
		struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
					  "expected an endpoint set, found %s",
					  ast_expr_kind_name(e->kind));
		diag_help(ck->diags, d, "write a list of services such as `[sagemaker.api, s3]`");
		return false;
	}
	}
}
