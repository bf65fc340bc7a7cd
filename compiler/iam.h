/*
 * iam.h - what each identity an environment creates must be allowed to do,
 * and what it must be refused, derived from what the file declares.
 *
 * This is the specification the emitted policies are held to: lowering
 * writes IAM statements; this module, independently, lists the requests
 * (action, resource, request context) that each declared capability makes,
 * each with the AWS documentation that says so. tests/deploy evaluates the
 * template's policies against it, and checks that every AWS call the
 * emitted scripts really make is one of these requests. `sgc iam` prints it.
 */
#ifndef SGC_IAM_H
#define SGC_IAM_H

#include "cfn.h"
#include "iam_rows.h"
#include "model.h"
#include "src.h"

/* One request: an identity performs `action` on `resource` in `context`. */
struct iam_request {
	const char *identity;   /* logical ID of the role or managed policy */
	const char *capability; /* what the file declares that needs it */
	const char *action;
	struct cv *resource;    /* an ARN, possibly as Fn::Sub */
	struct cv *context;     /* CV_OBJ: condition key -> value, or NULL */
	enum iam_by by;
	const char *source;     /* AWS documentation URL, or FILE:LINE */
	const char *why;        /* for a refused request: why it must be refused */
	struct span span;       /* where the file asks for the capability */
};

/* An IAM principal the template creates or asks a person to use. */
struct iam_identity {
	const char *id;         /* logical ID: the role, or the developer's policy */
	const char *kind;       /* "execution-role" or "developer" */
	const char *what;       /* "notebook analyst" */
	struct ptrvec policies; /* const char *: logical IDs whose documents apply */
	struct ptrvec scripts;  /* const char *: emitted files run with its credentials */
	struct ptrvec managed;  /* const char *: AWS managed policy names attached */
};

struct iam_report {
	struct ptrvec identities; /* struct iam_identity * */
	struct ptrvec needs;      /* struct iam_request *: must be allowed */
	struct ptrvec refused;    /* struct iam_request *: must be denied */
};

struct iam_report *iam_report(struct arena *a, const struct m_env *env,
			      const struct cfn_template *t, const struct src_map *src);

/* The report as the value `sgc iam --format json` prints (docs/iam.md). */
struct cv *iam_report_value(struct arena *a, const struct iam_report *r,
			    const struct m_env *env, const struct src_map *src);

#endif
