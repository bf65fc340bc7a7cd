/*
 * policies.h - VPC endpoint policies (policies.c): the policy sgc
 * generates for each endpoint, from what the workloads of its network
 * use, and the check that a policy written in `endpoint_policy` blocks
 * lets every declared use through (E0650). reach.c calls it once the
 * workloads are proved.
 */
#ifndef SGC_POLICIES_H
#define SGC_POLICIES_H

#include "attrs.h"

/* `workloads`: struct kind_workload *, each in one of the environment's networks. */
void ck_policies(struct checker *ck, const struct ptrvec *workloads);

#endif
