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
#include "lowering.h" /* lower_pascal, for the unit tests */
#include "model.h"

/* `src` gives the lines that suppression reasons name (lw_suppress). */
struct cfn_template *lower_env(struct arena *a, const struct m_env *env,
			       const struct src_map *src);

#endif
