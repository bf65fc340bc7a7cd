/*
 * grants.h - what an execution role is granted, for notebooks and studios
 * alike: each `uses = [...]` reference, `managed_policies`, `allow` blocks,
 * and what the steps of its lifecycle scripts call, collected in a struct
 * m_grants; then the role itself, with least-privilege statements derived
 * from those grants. The IAM report (iam.c) lists the same requests
 * independently, and the deploy tests hold the two against each other.
 */
#ifndef SGC_GRANTS_H
#define SGC_GRANTS_H

#include "attrs.h"
#include "lowering.h"

/* ---- checking ---------------------------------------------------------------- */

/* `allow` blocks, which notebooks and studios take. */
extern const struct block_schema grants_allow_schema;

struct m_use *grants_new_use(struct checker *ck, const char *what, const void *obj,
			     const char *kind, struct span span);

/* Each element of `uses = [...]` (blocks of `kinds`), granted with the span that asked for it. */
void grants_uses(struct checker *ck, const struct scope *sc, const struct ast_item *attr,
		 const char *kinds, struct m_grants *g);
void grants_managed(struct checker *ck, const struct scope *sc,
		    const struct ast_item *attr, struct m_grants *g);

/* The `allow` blocks inside `owner`. */
void grants_allows(struct checker *ck, const struct ast_item *owner, struct m_grants *g);

/* What a script's steps call: repositories it installs from, StopNotebookInstance. */
void grants_script(struct checker *ck, struct m_grants *g, const struct m_script *s);

/* W0705: an `allow` on every resource. */
void grants_lint(struct checker *ck, const struct m_grants *g);

/* ---- lowering ---------------------------------------------------------------- */

/*
 * The execution role `id` of `what` (`notebook analyst`), assumed by
 * SageMaker, and the managed policy `<id>Policy` attached to it (the
 * scanners ask for no inline policies: HIPAA/NIST IAMNoInlinePolicy): its
 * log group's statements, those its grants derive, then the statements
 * of `extra` (an array, or NULL). The policy attaches only after the role
 * exists, so whatever uses the role at creation depends on the policy:
 * its logical ID is the part "policy" of `g` (cfn_id_of). `at` is the
 * workload's declaration, where the notes of its wildcard suppressions
 * point.
 */
const char *grants_role(struct lowerer *lw, const char *id, const char *what,
			const struct m_grants *g, const char *log_group, bool push_images,
			const struct cv *extra, struct span at);

#endif
