/*
 * iam_rows.h - the IAM needs table, as each resource kind declares its
 * part of it (kinds/kind.h), and the facts a kind hands to iam.c.
 *
 * A row is one request an identity makes: an action on a resource in a
 * request context, written with placeholders ({domain}, {arn}, ...) that a
 * capability's instance fills in: names from the model, and resource
 * attributes as Fn::Sub references to the logical IDs lowering gave them
 * (iam_att), so the requests name exactly the resources the template
 * creates. Each row cites the AWS documentation that says so. A kind
 * declares the rows of using one of its objects (its struct kind_use) and,
 * for the identities its objects create (iam_principal), the
 * capabilities they need and those they must be refused; iam.c
 * instantiates them into the report (iam.h).
 */
#ifndef SGC_IAM_ROWS_H
#define SGC_IAM_ROWS_H

#include <stddef.h>

#include "cfn.h"
#include "model.h"

enum iam_by {
	IAM_BY_SCRIPT,      /* a script sgc emits calls it */
	IAM_BY_SERVICE,     /* AWS calls it with the identity's permissions */
	IAM_BY_USER,        /* the person using the workload or IDE does */
	IAM_BY_DECLARATION, /* the .sgl file asks for it (`allow`) */
};

struct iam_row {
	const char *action;
	const char *resource; /* Fn::Sub text with {placeholders} */
	const char *context;  /* "key=value;key=value" with {placeholders}, or NULL */
	enum iam_by by;
	const char *source;
};

#define IAM_ROWS(r) r, sizeof r / sizeof r[0]

/* `arn:<partition>:<service>:<region>:<account>:` in Fn::Sub text. */
#define IAM_ARN(service) "arn:${AWS::Partition}:" service ":${AWS::Region}:${AWS::AccountId}:"

/* Sources: AWS documentation pages, each cited by the rows that need it. */
#define IAM_SAR "https://docs.aws.amazon.com/service-authorization/latest/reference/"
#define IAM_SMDG "https://docs.aws.amazon.com/sagemaker/latest/dg/"
#define IAM_SRC_SAR_SM IAM_SAR "list_amazonsagemaker.html"
#define IAM_SRC_SM_ROLES IAM_SMDG "sagemaker-roles.html"

/* Placeholders of one capability instance. */
struct iam_fills {
	const char *key[10];
	const char *val[10];
	int n;
};

/* What the kinds declare, and where iam.c reads the template's logical IDs. */
struct iam_facts {
	struct arena *a;
	const struct cfn_template *t;
	struct ptrvec principals;   /* struct iam_principal *, in order */
};

/* One capability of a principal: rows it needs, or rows it must be refused. */
struct iam_cap {
	const char *capability;     /* what the file declares that needs it */
	const struct iam_row *rows;
	size_t nrows;
	struct iam_fills fills;
	struct span span;
	const char *refused;        /* NULL: needed; else why it must be refused */
};

/*
 * An identity the template creates or asks a person to use, as its kind
 * declares it. iam.c lists, in this order: the rows of writing to
 * `log_group` (when set), those its `grants` derive (when set), then `caps`.
 */
struct iam_principal {
	const char *id;             /* logical ID: the role, or the developer's policy */
	const char *kind;           /* "execution-role" or "developer" */
	const char *what;           /* "notebook analyst" */
	struct ptrvec scripts;      /* const char *: emitted files run with its credentials */
	struct ptrvec managed;      /* const char *: AWS managed policy names attached */
	const char *log_group;
	struct span log_span;
	const struct m_grants *grants;
	bool push_images;           /* its grants' uses with `docker = true` */
	struct ptrvec caps;         /* struct iam_cap * */
};

void iam_fill(struct iam_fills *f, const char *key, const char *val);

/* A new principal, listed after those declared so far. */
struct iam_principal *iam_principal(struct iam_facts *f, const char *id, const char *kind,
				    const char *what);
/* `lifecycle/<file>` of a script the principal runs, when there is one. */
void iam_script(struct iam_facts *f, struct iam_principal *p, const struct m_script *s);
void iam_need(struct iam_facts *f, struct iam_principal *p, const char *capability,
	      const struct iam_row *rows, size_t n, const struct iam_fills *fills, struct span span);
void iam_refuse(struct iam_facts *f, struct iam_principal *p, const char *capability,
		const struct iam_row *rows, size_t n, const struct iam_fills *fills,
		struct span span, const char *why);

/* `${Id.Attr}` of the resource `obj` became, or `${Id}` (its Ref) without an attribute. */
const char *iam_att(const struct iam_facts *f, const void *obj, const char *attr);

#endif
