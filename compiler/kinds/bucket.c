/*
 * bucket.c - the `bucket` resource kind: an S3 bucket with public access
 * blocked, encrypted with SSE-KMS (its `kms_key`, else the environment
 * key), owner-enforced, versioned with a lifecycle, logging its access to
 * the environment's access-log bucket, refusing every request without TLS;
 * and what using one asks of a workload: the S3 gateway endpoint, and
 * object and listing access on that bucket only.
 */
#include <stddef.h>

#include "attrs.h"
#include "diag.h"
#include "iam_rows.h"
#include "kind.h"
#include "lowering.h"
#include "needs.h"

static const struct attr_schema bucket_attrs[] = {
	{ "versioning", VT_BOOL, false, NULL, NULL, "keep object versions (default true)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key",
	  "SSE-KMS key (default: the environment key)" },
	{ "retain", VT_BOOL, false, NULL, NULL,
	  "keep the bucket when the stack is deleted (default true)" },
};

static const struct block_schema bucket_schema = {
	"bucket", "environment", true, SCHEMA_ATTRS(bucket_attrs),
	"an S3 bucket: public access blocked, encrypted, TLS only"
};

/* ---- checking ------------------------------------------------------------------ */

static void check_bucket(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, &bucket_schema, &sl);
	struct m_bucket *bk = arena_alloc(ck->arena, sizeof *bk);
	bk->name = b->name;
	bk->span = b->name_span;
	bk->versioning = ck_get_bool(ck, b->scope, sl.at[0], true);
	bk->versioning_span = sl.at[0] ? sl.at[0]->span : b->name_span;
	bk->kms = ck_ref_obj(ck, b->scope, sl.at[1], "kms_key");
	bk->retain = ck_get_bool(ck, b->scope, sl.at[2], true);
	ck_register(ck, b, bk);
	ptrvec_push(ck->arena, &ck->env->buckets, bk);
}

/* An overwritten or deleted object is gone for good without versions. */
static void lint_bucket(struct checker *ck, const void *obj)
{
	const struct m_bucket *b = obj;
	if (b->versioning)
		return;
	struct diag *d = diag_add(ck->diags, DIAG_W0702, b->versioning_span,
				  "bucket `%s` keeps no object versions", b->name);
	diag_note(ck->diags, d, "an overwritten or deleted object cannot be recovered");
	diag_help(ck->diags, d, "remove `versioning = false`");
}

/* ---- using a bucket ---------------------------------------------------------------- */

static const struct feature_needs using_s3 = {
	"using an S3 bucket",
	{ "s3" },
	{ 0 },
	"S3 gateway endpoint",
	{
		EP_REQ("s3", "s3:GetObject", "arn:${AWS::Partition}:s3:::{?}/*"),
		EP_REQ("s3", "s3:PutObject", "arn:${AWS::Partition}:s3:::{?}/*"),
		EP_REQ("s3", "s3:ListBucket", "arn:${AWS::Partition}:s3:::{?}"),
	},
	"the role's own statements for a bucket it uses (docs/iam.md); the bucket's name is CloudFormation's",
};

#define SRC_S3 "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-policies-s3.html"

static const struct iam_row bucket_rows[] = {
	{ "s3:GetObject", "{arn}/{object}", NULL, IAM_BY_USER, SRC_S3 },
	{ "s3:PutObject", "{arn}/{object}", NULL, IAM_BY_USER, SRC_S3 },
	{ "s3:DeleteObject", "{arn}/{object}", NULL, IAM_BY_USER, SRC_S3 },
	{ "s3:AbortMultipartUpload", "{arn}/{object}", NULL, IAM_BY_USER, SRC_S3 },
	{ "s3:ListBucket", "{arn}", NULL, IAM_BY_USER, SRC_S3 },
	{ "s3:GetBucketLocation", "{arn}", NULL, IAM_BY_USER, SRC_S3 },
};

static void bucket_fills(struct iam_facts *f, const void *obj, struct iam_fills *out)
{
	iam_fill(out, "arn", iam_att(f, obj, "Arn"));
	iam_fill(out, "object", "*");
}

static const struct m_kms *bucket_key(const void *obj)
{
	return ((const struct m_bucket *)obj)->kms;
}

static const struct kind_use use = {
	.needs = &using_s3,
	.rows = bucket_rows,
	.nrows = sizeof bucket_rows / sizeof bucket_rows[0],
	.fills = bucket_fills,
	.key = bucket_key,
};

/* ---- lowering ------------------------------------------------------------------------ */

#define SRC_S3_LOGGING "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html"
#define SRC_S3_EVENTBRIDGE "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html"
#define SRC_S3_LIFECYCLE "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html"

static struct cv *obj1(struct lowerer *lw, const char *key, struct cv *v)
{
	struct cv *o = cv_obj(lw->a);
	cv_set(lw->a, o, key, v);
	return o;
}

static struct cv *days(struct lowerer *lw, const char *key, int n)
{
	return obj1(lw, key, cv_int(lw->a, n));
}

/* What every bucket sgc makes has: no public access, owner-enforced, events to EventBridge. */
static void common_settings(struct lowerer *lw, struct cfn_resource *r)
{
	struct arena *a = lw->a;
	struct cv *pab = cv_obj(a);
	cv_set(a, pab, "BlockPublicAcls", cv_bool(a, true));
	cv_set(a, pab, "BlockPublicPolicy", cv_bool(a, true));
	cv_set(a, pab, "IgnorePublicAcls", cv_bool(a, true));
	cv_set(a, pab, "RestrictPublicBuckets", cv_bool(a, true));
	cv_set(a, r->props, "PublicAccessBlockConfiguration", pab);
	struct cv *own = cv_obj(a);
	cv_set(a, own, "ObjectOwnership", cv_str(a, "BucketOwnerEnforced"));
	cv_set(a, r->props, "OwnershipControls", obj1(lw, "Rules", lw_one(lw, own)));
	/*
	 * Object events go to the account's default EventBridge bus, where
	 * nothing is charged until a rule matches them (SRC_S3_EVENTBRIDGE):
	 * whoever needs them adds a rule, without touching the bucket.
	 */
	cv_set(a, r->props, "NotificationConfiguration",
	       obj1(lw, "EventBridgeConfiguration", obj1(lw, "EventBridgeEnabled", cv_bool(a, true))));
}

/*
 * The statement that refuses every request without TLS; the object ARN is
 * a Fn::Join of the bucket's Arn, the form Control Tower's CT.S3.PR.8
 * recognises as this bucket's.
 */
static struct cv *deny_insecure(struct lowerer *lw, const char *bucket)
{
	struct arena *a = lw->a;
	struct cv *st = cv_obj(a);
	cv_set(a, st, "Sid", cv_str(a, "DenyInsecureTransport"));
	cv_set(a, st, "Effect", cv_str(a, "Deny"));
	cv_set(a, st, "Principal", cv_str(a, "*"));
	cv_set(a, st, "Action", cv_str(a, "s3:*"));
	struct cv *parts = cv_arr(a);
	cv_push(a, parts, cv_getatt(a, bucket, "Arn"));
	cv_push(a, parts, cv_str(a, "/*"));
	struct cv *join = cv_arr(a);
	cv_push(a, join, cv_str(a, ""));
	cv_push(a, join, parts);
	struct cv *res = cv_arr(a);
	cv_push(a, res, cv_getatt(a, bucket, "Arn"));
	cv_push(a, res, obj1(lw, "Fn::Join", join));
	cv_set(a, st, "Resource", res);
	lw_when(lw, st, "Bool", "aws:SecureTransport", cv_str(a, "false"));
	return st;
}

/*
 * The environment's access-log bucket, made with its first bucket: S3
 * server access logs go only to a bucket with SSE-S3 and a policy that
 * lets the logging service write, from this account's buckets
 * (SRC_S3_LOGGING). Logs are kept a year, then expire; the bucket is kept
 * when the stack is deleted. Returns its bucket policy's logical ID: a
 * bucket that logs to it waits for the policy.
 */
static const char *access_log_bucket(struct lowerer *lw)
{
	struct arena *a = lw->a;
	const char *done = cfn_id_of(lw->t, lw->env, "access-log-policy");
	if (done)
		return done;
	const char *id = logical_id(lw, "AccessLogBucket");
	lw_map_part(lw, lw->env, "access-log-bucket", id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::S3::Bucket");
	r->deletion_policy = "Retain";
	r->update_replace_policy = "Retain";
	struct cv *dflt = obj1(lw, "SSEAlgorithm", cv_str(a, "AES256"));
	cv_set(a, r->props, "BucketEncryption", obj1(lw, "ServerSideEncryptionConfiguration",
		lw_one(lw, obj1(lw, "ServerSideEncryptionByDefault", dflt))));
	common_settings(lw, r);
	cv_set(a, r->props, "VersioningConfiguration", obj1(lw, "Status", cv_str(a, "Enabled")));
	struct cv *rule = cv_obj(a);
	cv_set(a, rule, "Status", cv_str(a, "Enabled"));
	cv_set(a, rule, "ExpirationInDays", cv_int(a, 365));
	cv_set(a, rule, "NoncurrentVersionExpiration", days(lw, "NoncurrentDays", 30));
	cv_set(a, rule, "AbortIncompleteMultipartUpload", days(lw, "DaysAfterInitiation", 7));
	cv_set(a, r->props, "LifecycleConfiguration", obj1(lw, "Rules", lw_one(lw, rule)));
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, "access-logs")));
	struct span env = lw->env->span;
	lw_suppress(lw, r, SUP_LOG_BUCKET_ENCRYPTION, env);
	lw_suppress(lw, r, SUP_LOG_BUCKET_LOGGING, env);
	lw_suppress(lw, r, SUP_BUCKET_REPLICATION, env);
	lw_suppress(lw, r, SUP_BUCKET_OBJECT_LOCK, env);

	const char *pid = logical_id(lw, "AccessLogBucketPolicy");
	lw_map_part(lw, lw->env, "access-log-policy", pid);
	struct cfn_resource *p = cfn_add(lw->t, pid, "AWS::S3::BucketPolicy");
	cv_set(a, p->props, "Bucket", cv_ref(a, id));
	struct cv *put = cv_obj(a);
	cv_set(a, put, "Sid", cv_str(a, "S3ServerAccessLogsFromThisAccount"));
	cv_set(a, put, "Effect", cv_str(a, "Allow"));
	cv_set(a, put, "Principal", obj1(lw, "Service", cv_str(a, "logging.s3.amazonaws.com")));
	cv_set(a, put, "Action", cv_str(a, "s3:PutObject"));
	cv_set(a, put, "Resource", cv_sub(a, arena_printf(a, "${%s.Arn}/*", id)));
	lw_when(lw, put, "StringEquals", "aws:SourceAccount", cv_ref(a, "AWS::AccountId"));
	struct cv *sts = lw_one(lw, deny_insecure(lw, id));
	cv_push(a, sts, put);
	cv_set(a, p->props, "PolicyDocument", lw_policy_doc(lw, sts));

	return pid;
}

/*
 * A bucket: SSE-KMS with its key (the environment key unless it names
 * one), versioned, old versions expiring after 90 days and unfinished
 * uploads after 7 (SRC_S3_LIFECYCLE), access logs to the environment's
 * log bucket, TLS only.
 */
static void lower_bucket(struct lowerer *lw, const void *obj)
{
	const struct m_bucket *b = obj;
	struct arena *a = lw->a;
	const char *log_policy = access_log_bucket(lw);
	const char *stem = lw_pascal(lw, b->name);
	const char *id = logical_id(lw, "%sBucket", stem);
	lw_map_id(lw, b, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::S3::Bucket");
	cfn_depends(lw->t, r, log_policy);
	if (b->retain) {
		r->deletion_policy = "Retain";
		r->update_replace_policy = "Retain";
	}
	struct cv *dflt = cv_obj(a);
	cv_set(a, dflt, "SSEAlgorithm", cv_str(a, "aws:kms"));
	cv_set(a, dflt, "KMSMasterKeyID", lw_arn_of(lw, b->kms));
	struct cv *rule = cv_obj(a);
	cv_set(a, rule, "ServerSideEncryptionByDefault", dflt);
	cv_set(a, rule, "BucketKeyEnabled", cv_bool(a, true));
	cv_set(a, r->props, "BucketEncryption", obj1(lw, "ServerSideEncryptionConfiguration",
						     lw_one(lw, rule)));
	common_settings(lw, r);
	cv_set(a, r->props, "VersioningConfiguration",
	       obj1(lw, "Status", cv_str(a, b->versioning ? "Enabled" : "Suspended")));
	struct cv *life = cv_obj(a);
	cv_set(a, life, "Status", cv_str(a, "Enabled"));
	if (b->versioning)
		cv_set(a, life, "NoncurrentVersionExpiration", days(lw, "NoncurrentDays", 90));
	cv_set(a, life, "AbortIncompleteMultipartUpload", days(lw, "DaysAfterInitiation", 7));
	cv_set(a, r->props, "LifecycleConfiguration", obj1(lw, "Rules", lw_one(lw, life)));
	struct cv *logging = cv_obj(a);
	cv_set(a, logging, "DestinationBucketName",
	       cv_ref(a, cfn_id_of(lw->t, lw->env, "access-log-bucket")));
	cv_set(a, logging, "LogFilePrefix", cv_strf(a, "%s/", b->name));
	cv_set(a, r->props, "LoggingConfiguration", logging);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, b->name)));
	lw_suppress(lw, r, SUP_BUCKET_REPLICATION, b->span);
	lw_suppress(lw, r, SUP_BUCKET_OBJECT_LOCK, b->span);
	if (!b->versioning)
		lw_suppress(lw, r, SUP_BUCKET_VERSIONING_OFF, b->versioning_span);

	r = cfn_add(lw->t, logical_id(lw, "%sBucketPolicy", stem), "AWS::S3::BucketPolicy");
	cv_set(a, r->props, "Bucket", cv_ref(a, id));
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, lw_one(lw, deny_insecure(lw, id))));

	lw_output(lw, logical_id(lw, "%sBucketName", stem),
		  arena_printf(a, "name of bucket %s", b->name), cv_ref(a, id));
}

static const struct block_schema *const schemas[] = {
	&bucket_schema,
};

static struct m_kms **bucket_default_key(void *obj)
{
	return &((struct m_bucket *)obj)->kms;
}

const struct kind bucket_kind = {
	.name = "bucket",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, buckets),
	.check = check_bucket,
	.rules = lint_bucket,
	.lower = lower_bucket,
	.use = &use,
	.default_key = bucket_default_key,
};
