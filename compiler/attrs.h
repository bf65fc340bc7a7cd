/*
 * attrs.h - the checker's context, and every typed value of the schema read
 * from the syntax tree.
 *
 * A block is first validated against its schema (unknown, repeated and
 * missing attributes, child blocks in the right place); then each
 * attribute is read as its type: strings, booleans, words, ports, numbers,
 * sizes, durations, CIDR blocks, instance types, lists of strings and
 * references to other blocks. Each reader reports a value of the wrong type
 * and returns NULL or the default, so a rule never sees one. The checker's
 * stages (check.c, reach.c) and every resource kind (kinds/kind.h) check
 * through here.
 */
#ifndef SGC_ATTRS_H
#define SGC_ATTRS_H

#include "ast.h"
#include "confine.h"
#include "model.h"
#include "resolve.h"
#include "schema.h"

struct instance_type;

struct checker {
	struct arena *arena;
	struct diag_sink *diags;
	struct resolver *res;
	struct m_env *env;
	const struct schema_set *schemas;  /* every block kind's schema */
	struct strmap reg;                 /* `%p` of an AST item -> its model object */
	const struct ptrvec *vars;         /* struct var *: stage values */
	const struct confine *files;       /* what file("...") may read (confine.h) */
	const char *stage;                 /* --stage; NULL: none */
};

/* The attribute items of one block, indexed like its schema's attrs. */
struct slots {
	const struct ast_item *at[SCHEMA_MAX_ATTRS];
};

/* Generic validation against the schemas. */
const struct block_schema *ck_schema(const struct checker *ck, const char *kind);
void ck_unknown_kind(struct checker *ck, const struct ast_item *it);
bool ck_placement(struct checker *ck, const struct ast_item *it,
		  const struct block_schema *bs, const char *parent);
void ck_validate_attrs(struct checker *ck, const struct ast_item *block,
		       const struct block_schema *bs, struct slots *slots);
void ck_child_blocks(struct checker *ck, const struct ast_item *block,
		     const char *kind, struct ptrvec *out);

/*
 * The model object an AST block (or parameter) became, by a hash look-up:
 * every reference binds through here, so a file of thousands of networks
 * costs each reference the same.
 */
void ck_register(struct checker *ck, const struct ast_item *item, void *obj);
void *ck_object(const struct checker *ck, const struct ast_item *item);

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

/* One word of a VT_WORDS value: which of the choices, and where it was written. */
struct ck_word {
	size_t index;       /* in `choices` */
	struct span span;
};

/*
 * A word or a list of words, each one of `choices` (E0210 otherwise, with a
 * suggestion); a word written twice is W0631 and kept once. Pushes a
 * struct ck_word * per distinct word into out, in source order.
 */
void ck_get_words(struct checker *ck, const struct ast_item *attr,
		  const char *const *choices, struct ptrvec *out);
void ck_get_strings(struct checker *ck, const struct scope *sc,
		    const struct ast_item *attr, struct ptrvec *out);

/* Whole numbers in [lo, hi]: GB of a size, minutes or days of a duration, an integer. */
int ck_get_gb(struct checker *ck, const struct scope *sc,
	      const struct ast_item *attr, int dflt, int lo, int hi);
int ck_get_minutes(struct checker *ck, const struct scope *sc,
		   const struct ast_item *attr, int dflt, int lo, int hi);
int ck_get_days(struct checker *ck, const struct scope *sc,
		const struct ast_item *attr, int dflt, int lo, int hi);
int ck_get_int(struct checker *ck, const struct scope *sc,
	       const struct ast_item *attr, int dflt, int lo, int hi);

/* A CIDR block, parsed exactly; `*at` is its span. */
bool ck_get_cidr(struct checker *ck, const struct scope *sc,
		 const struct ast_item *attr, struct cidr *out, struct span *at);
const char *ck_fmt_cidr(struct checker *ck, struct cidr c);

/* References to blocks of one of `kinds` (`|`-separated). */
const struct ast_item *ck_ref_block(struct checker *ck, const struct scope *sc,
				    const struct ast_expr *e, const char *kinds);
/*
 * A rule to a gateway service's managed prefix list at `at`: in the GovCloud
 * and China partitions, whose IDs sgc carries no source for, an error; in a
 * Region missing from the table (prefix_lists.h), a warning, and the
 * template keeps the parameter without default.
 */
void ck_prefix_list(struct checker *ck, const struct ep_service *svc, struct span at);

void ck_ref_blocks(struct checker *ck, const struct scope *sc,
		   const struct ast_item *attr, const char *kinds,
		   struct ptrvec *out);
void *ck_ref_obj(struct checker *ck, const struct scope *sc,
		 const struct ast_item *attr, const char *kind);

/*
 * An instance type, `ml.t3.medium` or a `param.x` of type instance; then,
 * once the environment is checked, whether it exists and runs `where`
 * (INST_NOTEBOOK, INST_STUDIO), for `who` in messages.
 */
struct m_value ck_get_instance(struct checker *ck, const struct scope *sc,
			       const struct ast_item *attr);
const struct instance_type *ck_fit_instance(struct checker *ck, const struct m_value *v,
					    unsigned where, const char *who);

#endif
