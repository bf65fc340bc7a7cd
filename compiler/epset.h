/*
 * epset.h - endpoint-set expressions, the set algebra of `endpoints = ...`:
 * lists are literal services, names are sets defined at the top level or
 * in an imported module (`std.endpoints.notebook`), `+` is union and `-`
 * difference. Each definition is evaluated once, however often it is
 * named, on an explicit stack, so a chain of any length takes no C stack.
 */
#ifndef SGC_EPSET_H
#define SGC_EPSET_H

#include <stdbool.h>

#include "attrs.h"
#include "endpoints.h"

/* A set of services: on[i] for ep_services[i], at[i] where it was asked for. */
struct epset {
	bool *on;
	struct span *at;
};

void epset_init(struct checker *ck, struct epset *s);

/* Adds the services `e` names to `out`; false when part of it was invalid (reported). */
bool epset_eval(struct checker *ck, const struct scope *sc, const struct ast_expr *e,
		struct epset *out);

#endif
