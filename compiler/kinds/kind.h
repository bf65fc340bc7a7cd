/*
 * kind.h - what a resource kind is: the interface each module of
 * compiler/kinds/ implements, one struct kind, registered in kinds.c.
 *
 * A kind's module holds everything about the kind: the schemas of its
 * blocks, its checks (building its model object), the uniqueness of the
 * names AWS sees, its own rules, the endpoints its features need and the
 * facts of its ways out, its IAM rows and principals, and its lowering.
 * The stages walk the registry (kinds.h) in its order and call down into
 * each kind through this struct. Adding a kind is one file in this folder
 * and one row in kinds.c (and its diagnostic codes, which stay central).
 *
 * A kind may include: diag.h, arena.h, cfn.h (CloudFormation values),
 * schema.h, model.h, and the services below the kinds: attrs.h (the
 * checker's context and typed values), names.h, epset.h, steps.h,
 * grants.h, lowering.h, iam_rows.h, needs.h, runs.h, and the tables cidr.h,
 * endpoints.h, instances.h, regions.h, lifecycle.h, stdmod.h, suggest.h.
 * A kind never includes a stage's header (check.h, reach.h, lower.h,
 * iam.h, compile.h), nor kinds.h, nor another kind's file: it calls no
 * stage and no other kind.
 */
#ifndef SGC_KIND_H
#define SGC_KIND_H

#include <stddef.h>

#include "model.h"
#include "schema.h"

struct ast_item;
struct checker;
struct feature_needs;
struct iam_facts;
struct iam_fills;
struct iam_row;
struct lowerer;
struct physical;

/*
 * What a workload needs in order to use one object of a kind (a `uses`
 * reference, a lifecycle step that names it): the facts from which the
 * stages derive the endpoints (reach.c) and the role's requests (iam.c).
 */
struct kind_use {
	const struct feature_needs *needs;         /* endpoints, when its subnets have no way out */
	const struct iam_row *rows;                /* requests of the role that uses it */
	size_t nrows;
	const struct iam_row *push_rows;           /* and with `docker = true` (images pushed) */
	size_t npush_rows;
	void (*fills)(struct iam_facts *f, const void *obj, struct iam_fills *out);
	/* The key that encrypts `obj`, used along with it; a key is its own. */
	const struct m_kms *(*key)(const void *obj);
};

/* One feature of a workload itself, and the endpoints it needs (needs.h). */
struct kind_need {
	const struct feature_needs *needs;
	struct span at;
	const char *use;                           /* "notebook `a`" in messages */
};

/*
 * One set of security groups a workload's network interfaces carry, with
 * the subnets they live in: what the path proof (paths.c) judges hop by
 * hop. A notebook has one; a studio has its domain's defaults (every
 * space) and one per user profile with groups of its own.
 */
struct kind_path {
	const char *what;                          /* "notebook `a`", "user `bob` of studio `s`" */
	const struct ptrvec *sgs;                  /* struct m_sg *: effective, declared or generated */
	const struct ptrvec *subnets;              /* struct m_subnet * */
	struct span at;                            /* the workload's declaration */
	struct span sgs_at;                        /* its `security_groups`; file UINT32_MAX: generated */
};

/*
 * What the reachability proofs (reach.c) must know of one workload: where
 * it lives, what it uses, what its own features need, and its own ways to
 * the internet. A kind fills it in and reports its own rules as it goes.
 */
struct kind_workload {
	const char *what;                          /* "notebook `analyst`" */
	const struct m_network *net;               /* NULL: in no VPC; nothing to prove */
	struct span at;                            /* its declaration */
	const struct m_grants *grants;
	bool no_internet;                          /* its subnets have no way out */
	struct ptrvec needs;                       /* struct kind_need *, in order */
	const struct ptrvec *sgs;                  /* struct m_sg *: their egress is a way out */
	bool own_internet;                         /* a way out of its own, */
	struct span own_at;                        /* set here, */
	const char *own_path;                      /* described as a path */
	const char *internet_note;                 /* W0606 (it can reach the internet), or NULL */
	struct ptrvec scripts;                     /* struct m_script *: lifecycle scripts it runs,
						      whose output goes to CloudWatch Logs (W0630) */
	struct ptrvec paths;                       /* struct kind_path *: judged when no_internet */
	bool nat_closed;                           /* no_internet only because its groups close the NAT path */
};

struct kind {
	const char *name;                          /* its block kind at the top level */
	const struct block_schema *const *schemas; /* its block kinds, itself first */
	size_t nschemas;
	size_t objects;                            /* offsetof(struct m_env, <its list>) */

	/* check.c: one block of the kind, into its model object (listed in `objects`) */
	void (*check)(struct checker *ck, const struct ast_item *block);
	/* then, every kind checked, the names AWS sees, unique where it looks them up */
	void (*names)(struct checker *ck, struct physical *ph);

	/* reach.c: a workload's facts, its own rules reported as they are found */
	void (*workload)(struct checker *ck, const void *obj, struct kind_workload *w);
	/* reach.c: one object's own rules over the checked environment (fit, lints) */
	void (*rules)(struct checker *ck, const void *obj);

	/* lower.c: one object's resources, in the registry's order; then what comes last (either may be NULL) */
	void (*lower)(struct lowerer *lw, const void *obj);
	void (*lower_last)(struct lowerer *lw, const void *obj);

	const struct kind_use *use;                /* NULL: nothing uses it */

	/* iam.c: the identities one object creates, with what they need (iam_rows.h) */
	void (*principals)(struct iam_facts *f, const void *obj);

	/*
	 * check.c: where one object keeps the key that encrypts it by default
	 * (NULL: it has none); an empty slot gets the environment key
	 * (docs/compliance.md), which lets CloudWatch Logs use it when what the
	 * kind encrypts is a log group.
	 */
	struct m_kms **(*default_key)(void *obj);
	bool default_key_for_logs;
};

#endif
