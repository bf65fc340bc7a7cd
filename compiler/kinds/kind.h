/*
 * kind.h - what a resource kind is: the interface each module of
 * compiler/kinds/ implements, one struct kind, registered in kinds.c.
 *
 * A kind's module holds everything about the kind: the schemas of its
 * blocks, its checks (building its model object), and, as the kind is
 * moved out of the stages (issue 10), its rules, its endpoint needs, its
 * IAM rows and its lowering. The stages walk the registry (kinds.h) in its
 * order and call down into each kind through this struct.
 *
 * A kind may include: diag.h, arena.h, cfn.h (CloudFormation values),
 * schema.h, model.h, and the services below the kinds: attrs.h (the
 * checker's context and typed values), names.h, epset.h, steps.h,
 * grants.h, lowering.h, and the tables cidr.h, endpoints.h, instances.h,
 * regions.h, lifecycle.h, stdmod.h, suggest.h. A kind never includes a
 * stage's header (check.h, lower.h, iam.h, compile.h), nor kinds.h, nor
 * another kind's file: it calls no stage and no other kind.
 */
#ifndef SGC_KIND_H
#define SGC_KIND_H

#include <stddef.h>

#include "model.h"
#include "schema.h"

struct kind {
	const char *name;                          /* its block kind at the top level */
	const struct block_schema *const *schemas; /* its block kinds, itself first */
	size_t nschemas;
	size_t objects;                            /* offsetof(struct m_env, <its list>) */
};

#endif
