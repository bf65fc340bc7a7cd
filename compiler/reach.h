/*
 * reach.h - the checker's proofs over a checked environment (reach.c):
 * each workload's needs met by its network's endpoints, an isolated
 * network without a way out, the endpoints no workload uses, each kind's
 * own rules and the lints. check.c calls it once every kind is checked.
 */
#ifndef SGC_REACH_H
#define SGC_REACH_H

#include "attrs.h"

void ck_reach(struct checker *ck);

#endif
