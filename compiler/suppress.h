/*
 * suppress.h - the fixed table of compliance-scanner findings sgc
 * suppresses, each with the resource kind it applies to, the condition
 * under which it applies and the reason written into the template.
 *
 * The scanners are cfn-guard with the AWS Control Tower proactive controls
 * (rule ids `CT.*`) and cdk-nag with the AwsSolutions, HIPAA Security and
 * NIST 800-53 rev 5 packs. What has a safe default is fixed by default in
 * lowering; what does not is a row here, and nowhere else: lowering names
 * a row (lw_suppress, lowering.h), which writes the rules where each tool
 * reads them (Metadata.cdk_nag.rules_to_suppress, Metadata.guard.
 * SuppressedRules) and records the suppression for `sgc check`'s notes
 * (N0640, N0641). docs/compliance.md prints this table; a unit test keeps
 * the two equal.
 */
#ifndef SGC_SUPPRESS_H
#define SGC_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

enum sup_id {
	SUP_VPC_DEFAULT_SG,
	SUP_IGW_ROUTE,
	SUP_BUCKET_REPLICATION,
	SUP_BUCKET_OBJECT_LOCK,
	SUP_LOG_BUCKET_ENCRYPTION,
	SUP_LOG_BUCKET_LOGGING,
	SUP_BUCKET_VERSIONING_OFF,
	SUP_SECRET_ROTATION,
	SUP_ECR_MUTABLE_TAGS,
	SUP_IAM5_NO_RESOURCE_SCOPE,
	SUP_IAM5_LOG_STREAMS,
	SUP_IAM5_OBJECTS,
	SUP_IAM5_STUDIO_NAMES,
	SUP_IAM5_STACK_ID,
	SUP_COUNT
};

enum { SUP_MAX_RULES = 8 };

struct sup_row {
	const char *name;                 /* stable key, in docs and notes */
	const char *rules[SUP_MAX_RULES]; /* scanner rule ids; `CT.` ones are cfn-guard's */
	const char *type;                 /* the CloudFormation resource type */
	const char *kind;                 /* the sgl block it comes from */
	const char *when;                 /* the condition under which it applies */
	const char *reason;               /* the reason the template carries */
	const char *source;               /* where the fact behind the reason is written */
	bool turned_off;                  /* a default the source turned off: the reason
					     names its line (N0641 rather than N0640) */
	/*
	 * AwsSolutions-IAM5 rows: the wildcard resources they cover, as
	 * cdk-nag prints them (`${X}` as `<X>`), fnmatch(3) patterns; and for
	 * `*` itself, the only actions the statement may hold.
	 */
	const char *resource_pattern;
	const char *actions[8];
};

const struct sup_row *sup_table(size_t *n);
const struct sup_row *sup_row(enum sup_id id);

/*
 * The IAM5 row that covers a wildcard resource (cdk-nag's form) of a
 * statement with these actions; NULL: none does, and the finding stays.
 */
const struct sup_row *sup_iam5_row(const char *resource, const char *const *actions, size_t n);

/* The table as the Markdown of docs/compliance.md's table section. */
char *sup_table_markdown(void);

#endif
