/*
 * lower.h - lowering: the checked model in, a CloudFormation template out.
 *
 * Each model object becomes its resources, with logical IDs derived from
 * the sgl names (PascalCase, stable across compiles, unique in the
 * template) and keys inserted in a fixed order. Lowering trusts the
 * model: it never validates and never reports.
 */
#ifndef SGC_LOWER_H
#define SGC_LOWER_H

#include "cfn.h"
#include "model.h"

struct cfn_template *lower_env(struct arena *a, const struct m_env *env);

/*
 * The logical ID of one part of what a model object became: "resource"
 * (its main resource), "role" (the execution role holding a struct
 * m_grants), "access" (a remote-access space's policy for the developer);
 * NULL when lowering made no such part.
 */
const char *lower_id(const struct cfn_template *t, const void *obj, const char *part);

/* `private_a` -> `PrivateA`; exposed for the unit tests. */
const char *lower_pascal(struct arena *a, const char *name);

#endif
