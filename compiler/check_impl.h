/*
 * check_impl.h - what check.c, check_workloads.c and check_reach.c share
 * inside the checker. Not for other modules: their interface is check.h.
 */
#ifndef SGC_CHECK_IMPL_H
#define SGC_CHECK_IMPL_H

#include "attrs.h"

/* check_workloads.c: everything in an environment beyond its networks. */
void ck_workloads(struct checker *ck, const struct ast_item *env_block);

/* check_reach.c: reachability, isolation, instance fit and lints. */
void ck_reach(struct checker *ck);

#endif
