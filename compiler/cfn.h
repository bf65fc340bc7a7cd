/*
 * cfn.h - a CloudFormation template as a plain value tree.
 *
 * Lowering builds this; the JSON and YAML emitters only print it. Objects
 * keep insertion order, and lowering inserts keys in a fixed order, so
 * output is the same byte for byte on every run. Intrinsic functions are
 * ordinary one-key objects (`{"Ref": "Vpc"}`).
 */
#ifndef SGC_CFN_H
#define SGC_CFN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "src.h"

enum cv_kind {
	CV_STR,  /* u.s */
	CV_INT,  /* u.i */
	CV_BOOL, /* u.b */
	CV_ARR,  /* u.items: struct cv * */
	CV_OBJ,  /* u.items: struct cv_member * */
};

struct cv {
	enum cv_kind kind;
	union {
		const char *s;
		int64_t i;
		bool b;
		struct ptrvec items;
	} u;
};

struct cv_member {
	const char *key;
	struct cv *val;
};

struct cfn_resource {
	const char *id;
	const char *type;
	struct ptrvec depends_on; /* const char * logical IDs */
	const char *deletion_policy;
	const char *update_replace_policy;
	struct cv *metadata;      /* CV_OBJ, or NULL: none */
	struct cv *props;         /* CV_OBJ */
};

/* A file written beside the template: `lifecycle/analyst-on-start.sh`. */
struct cfn_file {
	const char *path;  /* relative to the template's directory */
	const char *text;
	size_t len;
	bool executable;
};

/*
 * One compliance-scanner suppression lowering wrote (suppress.h), for the
 * notes of `sgc check`: which table row, on which resource, for which
 * source line, and the rule ids it wrote.
 */
struct cfn_suppression {
	const char *resource;   /* logical ID */
	int row;                /* enum sup_id */
	struct span at;         /* what in the source it is about */
	struct ptrvec rules;    /* const char *: the ids written */
};

struct cfn_template {
	struct arena *arena;
	struct ptrvec files;      /* struct cfn_file * */
	const char *description;
	struct cv *parameters;    /* CV_OBJ */
	struct cv *rules;         /* CV_OBJ */
	struct cv *mappings;      /* CV_OBJ */
	struct cv *conditions;    /* CV_OBJ */
	struct ptrvec resources;  /* struct cfn_resource * */
	struct cv *outputs;       /* CV_OBJ */
	struct ptrvec param_values; /* struct cv_member *: key -> CV_STR, for the parameter file */
	struct strmap made_from;  /* "<model object>/<part>" -> logical ID: cfn_id_of() */
	struct ptrvec suppressions; /* struct cfn_suppression *, in the order written */
};

struct cfn_template *cfn_new(struct arena *a);

/*
 * The logical ID of one part of what a model object became: "resource"
 * (its main resource), "role" (the execution role holding a struct
 * m_grants), "access" (a remote-access space's policy for the developer);
 * NULL when lowering made no such part. Lowering records each with
 * cfn_map; references between resources, and the IAM report, read them.
 */
void cfn_map(struct cfn_template *t, const void *obj, const char *part, const char *id);
const char *cfn_id_of(const struct cfn_template *t, const void *obj, const char *part);

struct cv *cv_str(struct arena *a, const char *s);
struct cv *cv_strf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct cv *cv_int(struct arena *a, int64_t i);
struct cv *cv_bool(struct arena *a, bool b);
struct cv *cv_arr(struct arena *a);
struct cv *cv_obj(struct arena *a);
void cv_push(struct arena *a, struct cv *arr, struct cv *v);
void cv_set(struct arena *a, struct cv *obj, const char *key, struct cv *v);
struct cv *cv_get(const struct cv *obj, const char *key);

struct cv *cv_ref(struct arena *a, const char *id);
struct cv *cv_getatt(struct arena *a, const char *id, const char *attr);
struct cv *cv_sub(struct arena *a, const char *text);

struct cfn_resource *cfn_add(struct cfn_template *t, const char *id,
			     const char *type);
void cfn_depends(struct cfn_template *t, struct cfn_resource *r, const char *id);

/*
 * Silence one linter rule on one resource, with the reason: the rule goes
 * where the tool reads it (cfn-lint: Metadata.cfn-lint.config.ignore_checks),
 * and the rule with its reason under Metadata.sgc.suppressions, for review.
 */
void cfn_suppress(struct cfn_template *t, struct cfn_resource *r, const char *tool,
		  const char *rule, const char *reason);
void cfn_add_file(struct cfn_template *t, const char *path, const char *text,
		  size_t len, bool executable);

/* Standard base64 of data[0..n), NUL-terminated, in the arena. */
const char *cfn_base64(struct arena *a, const char *data, size_t n);

#endif
