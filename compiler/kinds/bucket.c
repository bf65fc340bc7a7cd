/*
 * bucket.c - the `bucket` resource kind: an S3 bucket with public access
 * blocked, encrypted (SSE-S3, or SSE-KMS with a `kms_key`), owner-enforced,
 * refusing every request without TLS; and what using one asks of a
 * workload: the S3 gateway endpoint, and object and listing access on that
 * bucket only.
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
	  "SSE-KMS key (default: SSE-S3)" },
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

static void lower_bucket(struct lowerer *lw, const void *obj)
{
	const struct m_bucket *b = obj;
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%sBucket", lw_pascal(lw, b->name));
	lw_map_id(lw, b, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::S3::Bucket");
	if (b->retain) {
		r->deletion_policy = "Retain";
		r->update_replace_policy = "Retain";
	}
	struct cv *dflt = cv_obj(a);
	if (b->kms) {
		cv_set(a, dflt, "SSEAlgorithm", cv_str(a, "aws:kms"));
		cv_set(a, dflt, "KMSMasterKeyID", lw_arn_of(lw, b->kms));
	} else {
		cv_set(a, dflt, "SSEAlgorithm", cv_str(a, "AES256"));
	}
	struct cv *rule = cv_obj(a);
	cv_set(a, rule, "ServerSideEncryptionByDefault", dflt);
	cv_set(a, rule, "BucketKeyEnabled", cv_bool(a, b->kms != NULL));
	struct cv *enc = cv_obj(a);
	cv_set(a, enc, "ServerSideEncryptionConfiguration", lw_one(lw, rule));
	cv_set(a, r->props, "BucketEncryption", enc);
	struct cv *pab = cv_obj(a);
	cv_set(a, pab, "BlockPublicAcls", cv_bool(a, true));
	cv_set(a, pab, "BlockPublicPolicy", cv_bool(a, true));
	cv_set(a, pab, "IgnorePublicAcls", cv_bool(a, true));
	cv_set(a, pab, "RestrictPublicBuckets", cv_bool(a, true));
	cv_set(a, r->props, "PublicAccessBlockConfiguration", pab);
	struct cv *own = cv_obj(a);
	cv_set(a, own, "ObjectOwnership", cv_str(a, "BucketOwnerEnforced"));
	struct cv *owner = cv_obj(a);
	cv_set(a, owner, "Rules", lw_one(lw, own));
	cv_set(a, r->props, "OwnershipControls", owner);
	struct cv *ver = cv_obj(a);
	cv_set(a, ver, "Status", cv_str(a, b->versioning ? "Enabled" : "Suspended"));
	cv_set(a, r->props, "VersioningConfiguration", ver);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, b->name)));

	/* Refuse every request that does not use TLS. */
	r = cfn_add(lw->t, logical_id(lw, "%sBucketPolicy", lw_pascal(lw, b->name)), "AWS::S3::BucketPolicy");
	cv_set(a, r->props, "Bucket", cv_ref(a, id));
	struct cv *st = cv_obj(a);
	cv_set(a, st, "Sid", cv_str(a, "DenyInsecureTransport"));
	cv_set(a, st, "Effect", cv_str(a, "Deny"));
	cv_set(a, st, "Principal", cv_str(a, "*"));
	cv_set(a, st, "Action", cv_str(a, "s3:*"));
	struct cv *res = cv_arr(a);
	cv_push(a, res, cv_getatt(a, id, "Arn"));
	cv_push(a, res, cv_sub(a, arena_printf(a, "${%s.Arn}/*", id)));
	cv_set(a, st, "Resource", res);
	struct cv *cond = cv_obj(a), *b_ = cv_obj(a);
	cv_set(a, b_, "aws:SecureTransport", cv_str(a, "false"));
	cv_set(a, cond, "Bool", b_);
	cv_set(a, st, "Condition", cond);
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, lw_one(lw, st)));
	lw_output(lw, logical_id(lw, "%sBucketName", lw_pascal(lw, b->name)),
		  arena_printf(a, "name of bucket %s", b->name), cv_ref(a, id));
}

static const struct block_schema *const schemas[] = {
	&bucket_schema,
};

const struct kind bucket_kind = {
	.name = "bucket",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, buckets),
	.check = check_bucket,
	.rules = lint_bucket,
	.lower = lower_bucket,
	.use = &use,
};
