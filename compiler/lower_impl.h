/*
 * lower_impl.h - what lower.c and lower_workloads.c share inside the
 * lowering stage. Not for other modules: their interface is lower.h.
 */
#ifndef SGC_LOWER_IMPL_H
#define SGC_LOWER_IMPL_H

#include "lowering.h"

/* lower_workloads.c */
void lower_workloads(struct lowerer *lw);
void lower_params(struct lowerer *lw);

#endif
