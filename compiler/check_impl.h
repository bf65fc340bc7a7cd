/*
 * check_impl.h - what check.c and check_workloads.c share inside the
 * checker. Not for other modules: their interface is check.h.
 */
#ifndef SGC_CHECK_IMPL_H
#define SGC_CHECK_IMPL_H

#include "ast.h"
#include "confine.h"
#include "model.h"
#include "resolve.h"
#include "schema.h"

struct checker {
	struct arena *arena;
	struct diag_sink *diags;
	struct resolver *res;
	struct m_env *env;
	struct strmap reg;                 /* `%p` of an AST block -> its model object */
	const struct ptrvec *vars;         /* struct var *: stage values */
	const struct confine *files;       /* what file("...") may read (confine.h) */
};

/* The attribute items of one block, indexed like its schema's attrs. */
struct slots {
	const struct ast_item *at[SCHEMA_MAX_ATTRS];
};

/* Generic validation against the schema tables. */
void ck_unknown_kind(struct checker *ck, const struct ast_item *it);
void ck_validate_attrs(struct checker *ck, const struct ast_item *block,
		       const struct block_schema *bs, struct slots *slots);
void ck_child_blocks(struct checker *ck, const struct ast_item *block,
		     const char *kind, struct ptrvec *out);

/* Values: each reports a wrong type and returns NULL / the default. */
void ck_wrong_type(struct checker *ck, const struct ast_item *attr,
		   const struct ast_expr *e, enum vtype want);
const struct ast_expr *ck_deref(struct checker *ck, const struct scope *sc,
				const struct ast_expr *e);
const struct ast_expr *ck_value_of(struct checker *ck, const struct scope *sc,
				   const struct ast_item *attr,
				   enum ast_expr_kind want, enum vtype vt);
const char *ck_get_string(struct checker *ck, const struct scope *sc,
			  const struct ast_item *attr);
bool ck_get_bool(struct checker *ck, const struct scope *sc,
		 const struct ast_item *attr, bool dflt);
int ck_get_port(struct checker *ck, const struct scope *sc,
		const struct ast_item *attr);
const char *ck_get_word(struct checker *ck, const struct ast_item *attr,
			const char *const *choices);
const char *ck_fmt_cidr(struct checker *ck, struct cidr c);

/* Model objects by the AST block they came from. */
struct m_subnet *ck_subnet_of(struct checker *ck, const struct ast_item *block);
struct m_sg *ck_sg_of(struct checker *ck, const struct ast_item *block);
struct m_param *ck_param_of(struct checker *ck, const struct ast_item *item);

/* check_workloads.c: everything in an environment beyond its networks. */
void ck_workloads(struct checker *ck, const struct ast_item *env_block);

/* check_reach.c: reachability, isolation, instance fit and lints. */
void ck_reach(struct checker *ck);

#endif
