/*
 * kms_key.c - the `kms_key` resource kind: a customer managed KMS key and
 * its alias, and what using one asks of a workload: the `kms` endpoint,
 * and Decrypt, GenerateDataKey and DescribeKey on the key. A key that
 * encrypts a bucket, a repository, a secret or a CodeArtifact domain is
 * used along with it (kind_use.key).
 */
#include <stddef.h>

#include "attrs.h"
#include "diag.h"
#include "iam_rows.h"
#include "kind.h"
#include "lowering.h"
#include "needs.h"

static const struct attr_schema kms_key_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL, "key description" },
	{ "rotation", VT_BOOL, false, NULL, NULL,
	  "yearly automatic rotation (default true)" },
	{ "deletion_window", VT_DURATION, false, NULL, NULL,
	  "days before a deleted key is gone, 7d to 30d (default 30d)" },
};

static const struct block_schema kms_key_schema = {
	"kms_key", "environment", true, SCHEMA_ATTRS(kms_key_attrs),
	"a customer managed KMS key"
};

/* ---- checking ------------------------------------------------------------------ */

static void check_kms(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, &kms_key_schema, &sl);
	struct m_kms *k = arena_alloc(ck->arena, sizeof *k);
	k->name = b->name;
	k->span = b->name_span;
	k->description = ck_get_string(ck, b->scope, sl.at[0]);
	k->rotation = ck_get_bool(ck, b->scope, sl.at[1], true);
	/* AWS KMS waits 7 to 30 days before deleting a key. */
	k->window_days = ck_get_days(ck, b->scope, sl.at[2], 30, 7, 30);
	ck_register(ck, b, k);
	ptrvec_push(ck->arena, &ck->env->kms_keys, k);
}

/* ---- using a key ------------------------------------------------------------------- */

static const struct feature_needs calling_kms = {
	"calling KMS",
	{ "kms" },
	{ 0 },
	"AWS PrivateLink service list",
	{
		EP_REQ("kms", "kms:Decrypt", "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/{?}"),
		EP_REQ("kms", "kms:GenerateDataKey", "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/{?}"),
	},
	"the role's own statements for a key it uses (docs/iam.md)",
};

#define SRC_KMS IAM_SAR "list_awskeymanagementservice.html"

/* A key that encrypts what the workload reads and writes. */
static const struct iam_row key_rows[] = {
	{ "kms:Decrypt", "{arn}", NULL, IAM_BY_SERVICE, SRC_KMS },
	{ "kms:GenerateDataKey", "{arn}", NULL, IAM_BY_SERVICE, SRC_KMS },
	{ "kms:DescribeKey", "{arn}", NULL, IAM_BY_SERVICE, SRC_KMS },
};

static void key_fills(struct iam_facts *f, const void *obj, struct iam_fills *out)
{
	iam_fill(out, "arn", iam_att(f, obj, "Arn"));
}

static const struct m_kms *itself(const void *obj)
{
	return obj;
}

static const struct kind_use use = {
	.needs = &calling_kms,
	.rows = key_rows,
	.nrows = sizeof key_rows / sizeof key_rows[0],
	.fills = key_fills,
	.key = itself,
};

/* ---- lowering ------------------------------------------------------------------------ */

#define SRC_LOGS_KMS "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
#define SRC_CT_KMS_3 "https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html"

/*
 * CloudWatch Logs encrypts a log group's data with the key only when the
 * key policy lets the service principal of the Region do so, limited by
 * the encryption context to this account's log groups (SRC_LOGS_KMS).
 */
static struct cv *logs_statement(struct lowerer *lw)
{
	struct arena *a = lw->a;
	struct cv *principal = cv_obj(a);
	cv_set(a, principal, "Service", cv_sub(a, "logs.${AWS::Region}.amazonaws.com"));
	static const char *const ops[] = { "kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
					   "kms:GenerateDataKey*", "kms:Describe*" };
	struct cv *st = cv_obj(a);
	cv_set(a, st, "Sid", cv_str(a, "CloudWatchLogs"));
	cv_set(a, st, "Effect", cv_str(a, "Allow"));
	cv_set(a, st, "Principal", principal);
	cv_set(a, st, "Action", lw_strs(lw, ops, 5));
	cv_set(a, st, "Resource", cv_str(a, "*"));
	lw_when(lw, st, "ArnLike", "kms:EncryptionContext:aws:logs:arn",
		cv_sub(a, "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"));
	return st;
}

/*
 * Grants only for AWS resources or to AWS services (Control Tower
 * CT.KMS.PR.3, SRC_CT_KMS_3): a principal that may use the key cannot hand
 * that use on through a grant of its own. Studio's and SageMaker's grants
 * are for AWS resources (kms:GrantIsForAWSResource).
 */
static struct cv *grants_for_aws_only(struct lowerer *lw)
{
	struct arena *a = lw->a;
	struct cv *st = cv_obj(a);
	cv_set(a, st, "Sid", cv_str(a, "GrantsOnlyForAws"));
	cv_set(a, st, "Effect", cv_str(a, "Deny"));
	cv_set(a, st, "Principal", cv_str(a, "*"));
	cv_set(a, st, "Action", cv_str(a, "kms:CreateGrant"));
	cv_set(a, st, "Resource", cv_str(a, "*"));
	lw_when(lw, st, "BoolIfExists", "kms:GrantIsForAWSResource", cv_str(a, "false"));
	lw_when(lw, st, "BoolIfExists", "aws:PrincipalIsAWSService", cv_str(a, "false"));
	return st;
}

/*
 * The key policy delegates to IAM (the account root may administer the
 * key), which is what lets execution roles use it through their own
 * policies; the roles get only Decrypt, GenerateDataKey and DescribeKey.
 */
static void lower_kms(struct lowerer *lw, const void *obj)
{
	const struct m_kms *k = obj;
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%sKey", lw_pascal(lw, k->name));
	lw_map_id(lw, k, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::KMS::Key");
	r->deletion_policy = "Retain";
	r->update_replace_policy = "Retain";
	cv_set(a, r->props, "Description", cv_str(a, k->description ? k->description
			: arena_printf(a, "sgc environment %s: key %s", lw->env->name, k->name)));
	cv_set(a, r->props, "EnableKeyRotation", cv_bool(a, k->rotation));
	cv_set(a, r->props, "PendingWindowInDays", cv_int(a, k->window_days));
	struct cv *principal = cv_obj(a);
	cv_set(a, principal, "AWS", cv_sub(a, "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"));
	struct cv *st = cv_obj(a);
	cv_set(a, st, "Sid", cv_str(a, "AccountAdministersThroughIam"));
	cv_set(a, st, "Effect", cv_str(a, "Allow"));
	cv_set(a, st, "Principal", principal);
	cv_set(a, st, "Action", cv_str(a, "kms:*"));
	cv_set(a, st, "Resource", cv_str(a, "*"));
	struct cv *sts = lw_one(lw, st);
	if (k->logs)
		cv_push(a, sts, logs_statement(lw));
	cv_push(a, sts, grants_for_aws_only(lw));
	cv_set(a, r->props, "KeyPolicy", lw_policy_doc(lw, sts));
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, k->name)));

	r = cfn_add(lw->t, logical_id(lw, "%sKeyAlias", lw_pascal(lw, k->name)), "AWS::KMS::Alias");
	cv_set(a, r->props, "AliasName", cv_strf(a, "alias/%s", lw_env_name(lw, k->name)));
	cv_set(a, r->props, "TargetKeyId", cv_ref(a, id));
}

static const struct block_schema *const schemas[] = {
	&kms_key_schema,
};

const struct kind kms_key_kind = {
	.name = "kms_key",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, kms_keys),
	.check = check_kms,
	.lower = lower_kms,
	.use = &use,
};
