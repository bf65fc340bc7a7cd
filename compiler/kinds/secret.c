/*
 * secret.c - the `secret` resource kind: a Secrets Manager secret whose
 * value never appears in the template (set outside it, or generated); and
 * what using one asks of a workload: the `secretsmanager` endpoint, and
 * reading that secret only.
 */
#include <stddef.h>

#include "attrs.h"
#include "iam_rows.h"
#include "kind.h"
#include "lowering.h"
#include "needs.h"

static const struct attr_schema secret_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL, "secret description" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "encryption key" },
	{ "generate", VT_BOOL, false, NULL, NULL,
	  "let Secrets Manager generate a random value (default false: set it yourself)" },
};

static const struct block_schema secret_schema = {
	"secret", "environment", true, SCHEMA_ATTRS(secret_attrs),
	"a Secrets Manager secret; its value never appears in the template"
};

/* ---- checking ------------------------------------------------------------------ */

static void check_secret(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, &secret_schema, &sl);
	struct m_secret *s = arena_alloc(ck->arena, sizeof *s);
	s->name = b->name;
	s->span = b->name_span;
	s->description = ck_get_string(ck, b->scope, sl.at[0]);
	s->kms = ck_ref_obj(ck, b->scope, sl.at[1], "kms_key");
	s->generate = ck_get_bool(ck, b->scope, sl.at[2], false);
	ck_register(ck, b, s);
	ptrvec_push(ck->arena, &ck->env->secrets, s);
}

/* ---- using a secret ------------------------------------------------------------------- */

static const struct feature_needs reading_secrets = {
	"reading a secret",
	{ "secretsmanager" },
	{ 0 },
	"AWS PrivateLink service list",
	{
		EP_REQ("secretsmanager", "secretsmanager:GetSecretValue",
		  "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:{?}"),
	},
	"the role's own statements for a secret it reads (docs/iam.md)",
};

#define SRC_SECRETS IAM_SAR "list_awssecretsmanager.html"

static const struct iam_row secret_rows[] = {
	{ "secretsmanager:GetSecretValue", "{arn}", NULL, IAM_BY_USER, SRC_SECRETS },
	{ "secretsmanager:DescribeSecret", "{arn}", NULL, IAM_BY_USER, SRC_SECRETS },
};

/* A secret's ARN is its Ref. */
static void secret_fills(struct iam_facts *f, const void *obj, struct iam_fills *out)
{
	iam_fill(out, "arn", iam_att(f, obj, NULL));
}

static const struct m_kms *secret_key(const void *obj)
{
	return ((const struct m_secret *)obj)->kms;
}

static const struct kind_use use = {
	.needs = &reading_secrets,
	.rows = secret_rows,
	.nrows = sizeof secret_rows / sizeof secret_rows[0],
	.fills = secret_fills,
	.key = secret_key,
};

/* ---- lowering ------------------------------------------------------------------------ */

/* No SecretString: the value is set outside the template (or generated). */
static void lower_secret(struct lowerer *lw, const void *obj)
{
	const struct m_secret *s = obj;
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%sSecret", lw_pascal(lw, s->name));
	lw_map_id(lw, s, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SecretsManager::Secret");
	cv_set(a, r->props, "Name", cv_str(a, arena_printf(a, "%s/%s", lw->env->stem, s->name)));
	cv_set(a, r->props, "Description", cv_str(a, s->description ? s->description
			: arena_printf(a, "secret %s of environment %s; set its value with "
					  "aws secretsmanager put-secret-value", s->name, lw->env->name)));
	cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, s->kms));
	if (s->generate) {
		struct cv *gen = cv_obj(a);
		cv_set(a, gen, "PasswordLength", cv_int(a, 32));
		cv_set(a, gen, "ExcludePunctuation", cv_bool(a, true));
		cv_set(a, r->props, "GenerateSecretString", gen);
	}
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, s->name)));
	lw_suppress(lw, r, SUP_SECRET_ROTATION, s->span);
	lw_output(lw, logical_id(lw, "%sSecretArn", lw_pascal(lw, s->name)),
		  arena_printf(a, "ARN of secret %s", s->name), cv_ref(a, id));
}

static const struct block_schema *const schemas[] = {
	&secret_schema,
};

static struct m_kms **secret_default_key(void *obj)
{
	return &((struct m_secret *)obj)->kms;
}

const struct kind secret_kind = {
	.name = "secret",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, secrets),
	.check = check_secret,
	.lower = lower_secret,
	.use = &use,
	.default_key = secret_default_key,
};
