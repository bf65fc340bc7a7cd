/*
 * ecr_repository.c - the `ecr_repository` resource kind: an ECR
 * repository with immutable tags (but for the filters it exempts), scanned
 * on push, encrypted, and a lifecycle policy that expires untagged images
 * and keeps the newest tagged ones; and what using one asks of a
 * workload: the ECR endpoints and S3 (image layers), and pulling from that
 * repository, pushing too from a studio with Docker.
 */
#include <stddef.h>
#include <string.h>

#include "attrs.h"
#include "diag.h"
#include "iam_rows.h"
#include "kind.h"
#include "lowering.h"
#include "names.h"
#include "needs.h"

static const struct attr_schema ecr_attrs[] = {
	{ "keep_images", VT_INT, false, NULL, NULL,
	  "keep this many newest images with `tag_prefix` (default 20)" },
	{ "tag_prefix", VT_STRING, false, NULL, NULL,
	  "tag prefix the keep rule applies to (default \"v\")" },
	{ "expire_untagged", VT_DURATION, false, NULL, NULL,
	  "expire untagged images after this many days (default 14d)" },
	{ "scan_on_push", VT_BOOL, false, NULL, NULL, "basic scan on push (default true)" },
	{ "immutable_tags", VT_BOOL, false, NULL, NULL, "tags cannot be overwritten (default true)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "KMS encryption (default AES256)" },
	{ "mutable_tags", VT_STRINGS, false, NULL, NULL,
	  "tags that may be pushed again although tags are immutable, such as \"latest\" (1 to 5; `*` matches any text)" },
	{ "retain", VT_BOOL, false, NULL, NULL,
	  "keep the repository and its images when the stack is deleted (default true); false deletes them" },
};

static const struct block_schema ecr_repository_schema = {
	"ecr_repository", "environment", true, SCHEMA_ATTRS(ecr_attrs),
	"an ECR repository with a lifecycle policy"
};

/* ---- checking ------------------------------------------------------------------ */

/* ECR tag filters: 1 to 5, each 1 to 128 of [0-9A-Za-z._-] or `*` (a wildcard). */
static void check_mutable_tags(struct checker *ck, const struct scope *sc,
			       const struct ast_item *attr, struct m_ecr *r)
{
	if (!attr)
		return;
	ck_get_strings(ck, sc, attr, &r->mutable_tags);
	struct span at = attr->value->span;
	if (!r->immutable) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, at,
					  "`mutable_tags` needs immutable tags");
		diag_help(ck->diags, d, "remove `immutable_tags = false`, or remove `mutable_tags`");
		return;
	}
	if (r->mutable_tags.n < 1 || r->mutable_tags.n > 5) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, at,
					  "`mutable_tags` lists %zu tag filters", r->mutable_tags.n);
		diag_note(ck->diags, d, "ECR takes 1 to 5 exclusion filters");
		return;
	}
	for (size_t i = 0; i < r->mutable_tags.n; i++) {
		const char *t = r->mutable_tags.items[i];
		bool ok = *t && strlen(t) <= 128;
		for (const char *p = t; *p; p++)
			ok &= is_alnum(*p) || strchr("._-*", *p) != NULL;
		if (!ok) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, at,
						  "`%s` is not an image tag filter", t);
			diag_note(ck->diags, d, "1 to 128 letters, digits, `.`, `_`, `-`, and `*` for any text");
		}
	}
}

static void check_ecr(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, &ecr_repository_schema, &sl);
	struct m_ecr *r = arena_alloc(ck->arena, sizeof *r);
	r->name = b->name;
	r->span = b->name_span;
	r->keep_images = ck_get_int(ck, b->scope, sl.at[0], 20, 1, 10000);
	r->tag_prefix = sl.at[1] ? ck_get_string(ck, b->scope, sl.at[1]) : "v";
	if (!r->tag_prefix)
		r->tag_prefix = "v";
	/* ECR image tags: letters, digits, `.`, `_` and `-`, at most 128. */
	bool tag_ok = *r->tag_prefix && strlen(r->tag_prefix) <= 128;
	for (const char *p = r->tag_prefix; *p; p++)
		tag_ok &= is_alnum(*p) || strchr("._-", *p) != NULL;
	if (!tag_ok) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, sl.at[1]->value->span,
					  "`%s` is not an image tag prefix", r->tag_prefix);
		diag_note(ck->diags, d, "ECR tags are 1 to 128 letters, digits, `.`, `_` and `-`");
		r->tag_prefix = "v";
	}
	r->expire_days = ck_get_days(ck, b->scope, sl.at[2], 14, 1, 3650);
	r->scan_on_push = ck_get_bool(ck, b->scope, sl.at[3], true);
	r->immutable = ck_get_bool(ck, b->scope, sl.at[4], true);
	r->kms = ck_ref_obj(ck, b->scope, sl.at[5], "kms_key");
	check_mutable_tags(ck, b->scope, sl.at[6], r);
	r->tags_span = !r->immutable && sl.at[4] ? sl.at[4]->span
		     : sl.at[6] ? sl.at[6]->span : (struct span){ UINT32_MAX, 0, 0 };
	r->retain = ck_get_bool(ck, b->scope, sl.at[7], true);
	ck_register(ck, b, r);
	ptrvec_push(ck->arena, &ck->env->ecrs, r);
}

/* ---- using a repository --------------------------------------------------------------- */

static const struct feature_needs pulling_images = {
	"pulling images from ECR",
	{ "ecr.api", "ecr.dkr", "s3" },
	{ "logs" },
	"ECR User Guide, vpc-endpoints",
	{
		EP_REQ("ecr.api", "ecr:GetAuthorizationToken", "*"),
		EP_REQ("ecr.dkr", "ecr:BatchGetImage",
		  "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/{?}"),
		EP_REQ("ecr.dkr", "ecr:GetDownloadUrlForLayer",
		  "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/{?}"),
		/* Image layers, through URLs an ECR account presigns. */
		EP_REQ_AWS("s3", "s3:GetObject", "arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*", false),
	},
	"ECR User Guide, vpc-endpoints (\"Minimum Amazon S3 bucket permissions for Amazon ECR\"); "
	"aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/README.md",
};

#define SRC_ECR_PULL "https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_id-based-policy-examples.html"
#define SRC_ECR_PUSH "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html"

static const struct iam_row ecr_pull_rows[] = {
	{ "ecr:GetAuthorizationToken", "*", NULL, IAM_BY_USER, SRC_ECR_PULL },
	{ "ecr:BatchCheckLayerAvailability", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PULL },
	{ "ecr:GetDownloadUrlForLayer", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PULL },
	{ "ecr:BatchGetImage", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PULL },
};

static const struct iam_row ecr_push_rows[] = {
	{ "ecr:InitiateLayerUpload", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PUSH },
	{ "ecr:UploadLayerPart", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PUSH },
	{ "ecr:CompleteLayerUpload", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PUSH },
	{ "ecr:PutImage", "{arn}", NULL, IAM_BY_USER, SRC_ECR_PUSH },
};

static void ecr_fills(struct iam_facts *f, const void *obj, struct iam_fills *out)
{
	iam_fill(out, "arn", iam_att(f, obj, "Arn"));
}

static const struct m_kms *ecr_key(const void *obj)
{
	return ((const struct m_ecr *)obj)->kms;
}

static const struct kind_use use = {
	.needs = &pulling_images,
	.rows = ecr_pull_rows,
	.nrows = sizeof ecr_pull_rows / sizeof ecr_pull_rows[0],
	.push_rows = ecr_push_rows,
	.npush_rows = sizeof ecr_push_rows / sizeof ecr_push_rows[0],
	.fills = ecr_fills,
	.key = ecr_key,
};

/* ---- lowering ------------------------------------------------------------------------ */

/* Lifecycle policy text is JSON inside a string; the prefix is [A-Za-z0-9._-]. */
static const char *ecr_lifecycle(struct lowerer *lw, const struct m_ecr *e)
{
	return arena_printf(lw->a,
		"{\"rules\":["
		"{\"rulePriority\":1,\"description\":\"expire untagged images after %d days\","
		"\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
		"\"countUnit\":\"days\",\"countNumber\":%d},\"action\":{\"type\":\"expire\"}},"
		"{\"rulePriority\":2,\"description\":\"keep the newest %d images tagged %s*\","
		"\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"%s\"],"
		"\"countType\":\"imageCountMoreThan\",\"countNumber\":%d},\"action\":{\"type\":\"expire\"}}]}",
		e->expire_days, e->expire_days, e->keep_images, e->tag_prefix, e->tag_prefix,
		e->keep_images);
}

static void lower_ecr(struct lowerer *lw, const void *obj)
{
	const struct m_ecr *e = obj;
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%sEcrRepository", lw_pascal(lw, e->name));
	lw_map_id(lw, e, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::ECR::Repository");
	struct cv *scan = cv_obj(a);
	cv_set(a, scan, "ScanOnPush", cv_bool(a, e->scan_on_push));
	cv_set(a, r->props, "ImageScanningConfiguration", scan);
	if (e->retain) {
		r->deletion_policy = "Retain";
		r->update_replace_policy = "Retain";
	} else {
		cv_set(a, r->props, "EmptyOnDelete", cv_bool(a, true));
	}
	cv_set(a, r->props, "ImageTagMutability", cv_str(a, !e->immutable ? "MUTABLE"
		: e->mutable_tags.n ? "IMMUTABLE_WITH_EXCLUSION" : "IMMUTABLE"));
	if (e->immutable && e->mutable_tags.n) {
		struct cv *filters = cv_arr(a);
		for (size_t i = 0; i < e->mutable_tags.n; i++) {
			struct cv *f = cv_obj(a);
			cv_set(a, f, "ImageTagMutabilityExclusionFilterType", cv_str(a, "WILDCARD"));
			cv_set(a, f, "ImageTagMutabilityExclusionFilterValue", cv_str(a, e->mutable_tags.items[i]));
			cv_push(a, filters, f);
		}
		cv_set(a, r->props, "ImageTagMutabilityExclusionFilters", filters);
	}
	if (!e->immutable || e->mutable_tags.n)
		lw_suppress(lw, r, SUP_ECR_MUTABLE_TAGS, e->tags_span);
	struct cv *enc = cv_obj(a);
	cv_set(a, enc, "EncryptionType", cv_str(a, e->kms ? "KMS" : "AES256"));
	if (e->kms)
		cv_set(a, enc, "KmsKey", lw_arn_of(lw, e->kms));
	cv_set(a, r->props, "EncryptionConfiguration", enc);
	struct cv *lp = cv_obj(a);
	cv_set(a, lp, "LifecyclePolicyText", cv_str(a, ecr_lifecycle(lw, e)));
	cv_set(a, r->props, "LifecyclePolicy", lp);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, e->name)));
	lw_output(lw, logical_id(lw, "%sEcrRepositoryUri", lw_pascal(lw, e->name)),
		  arena_printf(a, "URI of ECR repository %s", e->name),
		  cv_getatt(a, id, "RepositoryUri"));
}

static const struct block_schema *const schemas[] = {
	&ecr_repository_schema,
};

const struct kind ecr_repository_kind = {
	.name = "ecr_repository",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, ecrs),
	.check = check_ecr,
	.lower = lower_ecr,
	.use = &use,
};
