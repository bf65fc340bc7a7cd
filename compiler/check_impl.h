/*
 * check_impl.h - what check.c, check_workloads.c and check_reach.c share
 * inside the checker. Not for other modules: their interface is check.h.
 */
#ifndef SGC_CHECK_IMPL_H
#define SGC_CHECK_IMPL_H

#include "attrs.h"
#include "names.h"

/* check_workloads.c: the kinds not yet in compiler/kinds/, and physical names. */
void ck_legacy(struct checker *ck, const char *kind, const struct ast_item *b);
void check_physical_names(struct checker *ck, struct physical *ph);

/* check_reach.c: reachability, isolation, instance fit and lints. */
void ck_reach(struct checker *ck);

#endif
