/*
 * check.h - the checker: a resolved syntax tree in, a checked model out.
 *
 * Every block is validated against the schema tables (schema.h), then the
 * kind-specific rules run: CIDR arithmetic, zones against the Region,
 * isolation rules, endpoint sets, subnet capacity. Diagnostics go to the
 * sink; the model is returned only when there was no error.
 */
#ifndef SGC_CHECK_H
#define SGC_CHECK_H

#include "ast.h"
#include "model.h"

struct confine;
struct diag_sink;
struct resolver;

/*
 * `vars`: struct var * (vars.h) giving this stage's parameter values; may be NULL.
 * `files`: where file("...") steps may read, and the .sgl file's name below it.
 * `stage`: the stage's name (its physical names carry it), or NULL.
 */
struct m_env *check_file(struct resolver *r, const struct ast_file *f,
			 const struct ptrvec *vars, const struct confine *files,
			 const char *stage);

#endif
