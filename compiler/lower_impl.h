/*
 * lower_impl.h - what lower.c and lower_workloads.c share inside the
 * lowering stage. Not for other modules: their interface is lower.h.
 */
#ifndef SGC_LOWER_IMPL_H
#define SGC_LOWER_IMPL_H

#include "lowering.h"

/* lower_workloads.c: the kinds not yet in compiler/kinds/ */
void lower_legacy(struct lowerer *lw, const char *kind, const void *obj);
void lower_params(struct lowerer *lw);

#endif
