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

/* `private_a` -> `PrivateA`; exposed for the unit tests. */
const char *lower_pascal(struct arena *a, const char *name);

#endif
