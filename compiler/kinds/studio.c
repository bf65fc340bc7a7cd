/*
 * studio.c - the `studio` resource kind: a SageMaker Studio domain with its
 * execution role, security group, app settings and lifecycle
 * configurations, user profiles and spaces (with remote access).
 *
 * Its schemas (with `allow`, grants.h), its checks and the uniqueness of
 * its names, the endpoints it needs and the facts of its ways out (reach.c
 * proves them), the IAM needs of its role and of its spaces' developers
 * (iam.c lists them), and its lowering.
 */
#include <stddef.h>
#include <string.h>

#include "attrs.h"
#include "diag.h"
#include "grants.h"
#include "iam_rows.h"
#include "instances.h"
#include "kind.h"
#include "lifecycle.h"
#include "lowering.h"
#include "names.h"
#include "needs.h"
#include "runs.h"
#include "stdmod.h"
#include "steps.h"

static const char *const auth_words[] = { "iam", "sso", NULL };
static const char *const access_words[] = { "vpc_only", "public_internet", NULL };
static const char *const app_words[] = { "code_editor", "jupyterlab", NULL };

static const struct attr_schema studio_attrs[] = {
	{ "subnets", VT_REFS, true, NULL, "subnet", "subnets of one network, in 1 to 16 zones" },
	{ "auth", VT_WORD, false, auth_words, NULL, "iam (default) or sso" },
	{ "access", VT_WORD, false, access_words, NULL,
	  "vpc_only or public_internet (default: vpc_only unless the network is public)" },
	{ "docker", VT_BOOL, false, NULL, NULL, "Docker access in spaces (default false)" },
	{ "efs_automount", VT_BOOL, false, NULL, NULL,
	  "create the domain's home EFS and mount it in apps (default false: spaces keep data on their EBS volumes)" },
	{ "ebs_default", VT_SIZE, false, NULL, NULL, "default space EBS size (default 5 GB)" },
	{ "ebs_max", VT_SIZE, false, NULL, NULL, "largest space EBS size (default 100 GB)" },
	{ "idle_timeout", VT_DURATION, false, NULL, NULL,
	  "shut idle JupyterLab and Code Editor apps down after this long (60m to 525600m)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "EFS and EBS encryption" },
	{ "uses", VT_REFS, false, NULL, "bucket|ecr_repository|secret|repository|kms_key",
	  "resources its users read and write" },
	{ "managed_policies", VT_STRINGS, false, NULL, NULL,
	  "AWS managed policy names to attach to its execution role" },
	{ "runs", VT_WORDS, false, run_words, NULL,
	  "what code in its apps launches or calls in SageMaker: jobs, Feature Store, ... (runs.h)" },
	{ "security_groups", VT_REFS, false, NULL, "security_group",
	  "security groups of every user and space (default: one made for the studio, HTTPS to the VPC only)" },
};

static const struct attr_schema app_attrs[] = {
	{ "on_start", VT_SCRIPT, false, NULL, NULL, "lifecycle steps run when the app starts" },
	{ "instance", VT_INSTANCE, false, NULL, NULL, "default instance type of the app" },
};

static const struct attr_schema user_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "profile name (default: the block name with `_` as `-`)" },
	{ "security_groups", VT_REFS, false, NULL, "security_group",
	  "security groups added to the studio's for this user's private spaces" },
};

static const struct attr_schema space_attrs[] = {
	{ "app", VT_WORD, true, app_words, NULL, "code_editor or jupyterlab" },
	{ "owner", VT_REF, false, NULL, "user", "owner of a private space; shared without one" },
	{ "instance", VT_INSTANCE, false, NULL, NULL, "instance type (default ml.t3.medium)" },
	{ "ebs", VT_SIZE, false, NULL, NULL, "EBS volume size (default: the domain's default)" },
	{ "remote_access", VT_BOOL, false, NULL, NULL,
	  "allow connecting from a local VS Code over SSH (default false)" },
	{ "name", VT_STRING, false, NULL, NULL,
	  "space name (default: the block name with `_` as `-`)" },
	{ "image", VT_STRING, false, NULL, NULL,
	  "SageMaker image or image-version ARN its app starts with (default: the domain's); "
	  "remote access needs SageMaker Distribution 2.7 or later" },
};

static const struct block_schema studio_schema = {
	"studio", "environment", true, SCHEMA_ATTRS(studio_attrs),
	"a SageMaker Studio domain with its execution role"
};

static const struct block_schema code_editor_schema = {
	"code_editor", "studio", false, SCHEMA_ATTRS(app_attrs),
	"Code Editor app settings and lifecycle config"
};

static const struct block_schema jupyterlab_schema = {
	"jupyterlab", "studio", false, SCHEMA_ATTRS(app_attrs),
	"JupyterLab app settings and lifecycle config"
};

static const struct block_schema user_schema = {
	"user", "studio", true, SCHEMA_ATTRS(user_attrs),
	"a Studio user profile"
};

static const struct block_schema space_schema = {
	"space", "studio", true, SCHEMA_ATTRS(space_attrs),
	"a Studio space"
};

/* ---- checks --------------------------------------------------------------------- */

enum { ST_SUBNETS, ST_AUTH, ST_ACCESS, ST_DOCKER, ST_EFS, ST_EBS_DEFAULT, ST_EBS_MAX,
       ST_IDLE, ST_KMS, ST_USES, ST_MANAGED, ST_RUNS, ST_SGS };

/*
 * SecurityGroups of a domain's default settings and of a user profile: at
 * most 5, and SageMaker adds one of its own for NFS, so at most 4 may be
 * given; a profile's are aggregated with the domain's (SageMaker API
 * reference, UserSettings.SecurityGroups; aws-sagemaker-domain.json).
 */
enum { STUDIO_MAX_SGS = 4 };

/* `security_groups` of a studio or a user: groups of the studio's network (E0511). */
static void check_sgs(struct checker *ck, const struct scope *sc, const struct ast_item *attr,
		      const struct m_studio *st, struct ptrvec *out, struct span *at)
{
	*at = attr ? attr->value->span : (struct span){ UINT32_MAX, 0, 0 };
	struct ptrvec blocks = { 0 };
	ck_ref_blocks(ck, sc, attr, "security_group", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		struct m_sg *sg = ck_object(ck, blocks.items[i]);
		if (!sg)
			continue;
		if (!st->net || sg->net != st->net) {
			struct diag *d = diag_add(ck->diags, DIAG_E0511, attr->value->span,
						  "security group `%s` is not in the studio's network", sg->name);
			diag_secondary(ck->diags, d, sg->span, "declared in network `%s`", sg->net->name);
			continue;
		}
		ptrvec_push(ck->arena, out, sg);
	}
}

/* E0625: more groups than SageMaker takes, counting sgc's own. */
static void sgs_limit(struct checker *ck, const struct m_studio *st, size_t n, struct span at,
		      const char *what)
{
	if (n <= STUDIO_MAX_SGS || at.file == UINT32_MAX)
		return;
	struct diag *d = diag_add(ck->diags, DIAG_E0625, at,
				  "%s carries %zu security groups; SageMaker takes at most %d", what, n,
				  STUDIO_MAX_SGS);
	diag_note(ck->diags, d, "the count includes the studio's own group (%s) and, for a user, the "
		  "studio's groups, which SageMaker adds to the profile's; SageMaker adds one more for NFS",
		  st->own_sg ? "EFS and app traffic" : "none");
	diag_help(ck->diags, d, "merge the rules of some groups into one");
}

/*
 * The group sgc makes for a studio in a VPC, in the model so that the path
 * proof judges what is emitted. Its self rules are sgc's own answer to
 * AWS's VpcOnly requirements (NFS 2049 to the home EFS, TCP 8192-65535
 * inside the group: reference endpoints.md 3.2); they do not carry HTTPS.
 * Without `security_groups` it also sends HTTPS to the VPC's interface
 * endpoints and the S3 gateway (anywhere in a public network); with them,
 * the user's egress rules alone say where apps go.
 */
static struct m_sg *studio_sg(struct checker *ck, const struct m_studio *st)
{
	struct arena *a = ck->arena;
	struct m_network *net = st->net;
	struct m_sg *sg = m_sg_generated(a, net, st->name, NULL,
					 arena_printf(a, st->efs_automount
						      ? "studio %s: EFS and app traffic inside the group, HTTPS out"
						      : "studio %s: app traffic inside the group, HTTPS out", st->name),
					 st->span);
	if (st->sgs.n == 0 && net->isolation == ISO_PUBLIC) {
		m_sg_rule(a, sg, true, 443, 443, PEER_CIDR, "HTTPS");
	} else if (st->sgs.n == 0) {
		struct m_rule *r = m_sg_rule(a, sg, true, 443, 443, PEER_CIDR, "HTTPS to the VPC endpoints");
		r->cidr = net->cidr;
		const struct ep_service *s3 = ep_find("s3");
		if (net->has_endpoint && net->has_endpoint[ep_index(s3)]) {
			r = m_sg_rule(a, sg, true, 443, 443, PEER_PREFIX_LIST,
				      "HTTPS to S3 through the gateway endpoint");
			r->prefix_list = s3;
			ck_prefix_list(ck, s3, st->span);
		}
	}
	if (st->efs_automount) {
		m_sg_rule(a, sg, false, 2049, 2049, PEER_SELF, "NFS to the home EFS volume")->logical = "StudioNfsIngress";
		m_sg_rule(a, sg, true, 2049, 2049, PEER_SELF, "NFS to the home EFS volume")->logical = "StudioNfsEgress";
	}
	m_sg_rule(a, sg, false, 8192, 65535, PEER_SELF, "traffic between Studio apps")->logical = "StudioAppsIngress";
	m_sg_rule(a, sg, true, 8192, 65535, PEER_SELF, "traffic between Studio apps")->logical = "StudioAppsEgress";
	return sg;
}

static void check_studio_subnets(struct checker *ck, const struct ast_item *b,
				 const struct slots *sl, struct m_studio *st)
{
	struct ptrvec blocks = { 0 };
	ck_ref_blocks(ck, b->scope, sl->at[ST_SUBNETS], "subnet", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		struct m_subnet *sn = ck_object(ck, blocks.items[i]);
		if (!sn)
			continue;
		if (!st->net) {
			st->net = sn->net;
		} else if (sn->net != st->net) {
			struct diag *d = diag_add(ck->diags, DIAG_E0509, sl->at[ST_SUBNETS]->value->span,
						  "studio `%s` uses subnets of networks `%s` and `%s`",
						  st->name, st->net->name, sn->net->name);
			diag_help(ck->diags, d, "a domain lives in one VPC: pick subnets of one network");
			continue;
		}
		ptrvec_add_unique(ck->arena, &st->subnets, sn);
	}
	/* AWS::SageMaker::Domain SubnetIds: 1 to 16. */
	if (st->subnets.n > 16) {
		struct diag *d = diag_add(ck->diags, DIAG_E0508, sl->at[ST_SUBNETS]->value->span,
					  "a Studio domain takes at most 16 subnets, found %zu",
					  st->subnets.n);
		diag_help(ck->diags, d, "list at most 16");
	}
}

/* FNV-1a: a short, stable digest of a script, for config names. */
static unsigned digest(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * Every property of a Studio lifecycle config is create-only, so a changed
 * script replaces the config: the name carries a digest of the script, or
 * the replacement would collide with the old name. `<env>[-<stage>]-<studio>-<app>`
 * is cut to 54 characters so that the name stays within 63.
 */
static const char *studio_config_name(struct checker *ck, const struct ast_item *studio,
				      const char *app_name, const struct m_script *s)
{
	const char *base = arena_printf(ck->arena, "%s-%s-%s", ck->env->stem, studio->name, app_name);
	return aws_name(ck, arena_printf(ck->arena, "%.54s-%08x", base, digest(s->text, s->len)));
}

static void check_apps(struct checker *ck, const struct ast_item *b, struct m_studio *st)
{
	static const char *const kinds[] = { "code_editor", "jupyterlab" };
	for (int a = 0; a < 2; a++) {
		struct ptrvec blocks = { 0 };
		ck_child_blocks(ck, b, kinds[a], &blocks);
		if (!blocks.n)
			continue;
		const struct ast_item *ab = blocks.items[0];
		if (blocks.n > 1) {
			struct diag *d = diag_add(ck->diags, DIAG_E0207,
						  ((struct ast_item *)blocks.items[1])->kind_span,
						  "`%s` is set twice in studio `%s`", kinds[a], st->name);
			diag_secondary(ck->diags, d, ab->kind_span, "first set here");
		}
		struct slots sl;
		ck_validate_attrs(ck, ab, ck_schema(ck, kinds[a]), &sl);
		struct m_app_settings *app = &st->apps[a];
		app->present = true;
		app->instance = ck_get_instance(ck, ab->scope, sl.at[1]);
		const char *stem = aws_name(ck, b->name);
		const char *app_name = a == APP_CODE_EDITOR ? "code-editor" : "jupyterlab";
		app->on_start = steps_script(ck, ab->scope, sl.at[0],
					     a == APP_CODE_EDITOR ? LC_STUDIO | LC_CODE_EDITOR : LC_STUDIO,
					     a == APP_CODE_EDITOR ? "a Code Editor app" : "a JupyterLab app",
					     arena_printf(ck->arena, "%s-%s.sh", stem, app_name),
					     arena_printf(ck->arena, "studio %s, %s app start", b->name,
							  a == APP_CODE_EDITOR ? "Code Editor" : "JupyterLab"));
		if (app->on_start) {
			app->on_start->host = a == APP_CODE_EDITOR ? HOST_CODE_EDITOR : HOST_JUPYTERLAB;
			app->on_start->config_name = studio_config_name(ck, b, app_name, app->on_start);
		}
		grants_script(ck, &st->grants, app->on_start);
	}
}

static void check_users(struct checker *ck, const struct ast_item *b, struct m_studio *st)
{
	struct ptrvec blocks = { 0 };
	ck_child_blocks(ck, b, "user", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *ub = blocks.items[i];
		struct slots sl;
		ck_validate_attrs(ck, ub, ck_schema(ck, "user"), &sl);
		struct m_user *u = arena_alloc(ck->arena, sizeof *u);
		u->name = ub->name;
		u->span = ub->name_span;
		u->profile_name = checked_name(ck, ub, sl.at[0], "user profile", sagemaker_name_ok,
					       sagemaker_rule);
		check_sgs(ck, ub->scope, sl.at[1], st, &u->sgs, &u->sgs_span);
		sgs_limit(ck, st, st->sgs.n + (st->own_sg ? 1 : 0) + u->sgs.n, u->sgs_span,
			  arena_printf(ck->arena, "user `%s`", u->name));
		ck_register(ck, ub, u);
		ptrvec_push(ck->arena, &st->users, u);
	}
}

/*
 * W0712: with IAM authentication a person opens Studio as one of the
 * domain's user profiles (CreatePresignedDomainUrl takes UserProfileName,
 * and works only when AuthMode is IAM); a domain with none cannot be
 * opened. With IAM Identity Center the profiles come from there, and a
 * refused `auth` (E0210) is neither. A misspelt block (E0204) may be the
 * user: it counts as one.
 */
#define SRC_PRESIGNED_URL "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePresignedDomainUrl.html"

static void no_user_profile(struct checker *ck, const struct ast_item *b, const struct slots *sl,
			    const struct m_studio *st)
{
	if (st->sso || st->auth_unknown || st->users.n)
		return;
	for (const struct ast_item *it = b->children; it; it = it->next)
		if (it->kind == IT_BLOCK && !ck_schema(ck, it->block_kind))
			return;
	struct diag *d = diag_add(ck->diags, DIAG_W0712, b->name_span,
				  "nobody can open studio `%s`: IAM authentication, and no `user`", st->name);
	if (sl->at[ST_AUTH])
		diag_about(ck->diags, d, sl->at[ST_AUTH]->span);
	diag_note(ck->diags, d, "with IAM authentication a person opens Studio as one of the domain's "
		  "user profiles; source: " SRC_PRESIGNED_URL);
	diag_help(ck->diags, d, "add `user alice {}`, or `# sgc: allow W0712` if another stack creates "
		  "the profiles");
}

enum { SP_APP, SP_OWNER, SP_INSTANCE, SP_EBS, SP_REMOTE, SP_NAME, SP_IMAGE };

/*
 * arn:<partition>:sagemaker:<region>:<account>:image/<name> or
 * ...:image-version/<name>/<version>, the two forms a space's
 * DefaultResourceSpec takes (the CloudFormation schema has no version alias).
 */
static void check_image(struct checker *ck, const struct scope *sc, const struct ast_item *attr,
			struct m_space *sp)
{
	if (!attr)
		return;
	const char *arn = ck_get_string(ck, sc, attr);
	if (!arn)
		return;
	const char *p = arn;
	bool ok = strncmp(p, "arn:aws", 7) == 0;
	p += ok ? 7 : 0;
	while (ok && (is_lower_alnum(*p) || *p == '-'))
		p++;
	ok = ok && strncmp(p, ":sagemaker:", 11) == 0;
	p += ok ? 11 : 0;
	while (ok && (is_lower_alnum(*p) || *p == '-'))
		p++;
	ok = ok && *p++ == ':';
	for (int i = 0; ok && i < 12; i++)
		ok = *p >= '0' && *p++ <= '9';
	bool version = ok && strncmp(p, ":image-version/", 15) == 0;
	ok = ok && (version || strncmp(p, ":image/", 7) == 0);
	p += !ok ? 0 : version ? 15 : 7;
	size_t name = 0;
	while (ok && (is_alnum(*p) || *p == '-'))
		p++, name++;
	ok = ok && name > 0 && name <= 63;
	if (ok && version) {
		ok = *p++ == '/' && *p >= '1' && *p <= '9';
		while (ok && *p >= '0' && *p <= '9')
			p++;
	}
	if (!ok || *p) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, attr->value->span,
					  "`%s` is not a SageMaker image ARN", arn);
		diag_help(ck->diags, d, "write `arn:aws:sagemaker:REGION:ACCOUNT:image/NAME` or "
			  "`...:image-version/NAME/VERSION`");
		return;
	}
	sp->image = arn;
	sp->image_version = version;
}

static void check_spaces(struct checker *ck, const struct ast_item *b, struct m_studio *st)
{
	struct ptrvec blocks = { 0 };
	ck_child_blocks(ck, b, "space", &blocks);
	const struct block_schema *schema = ck_schema(ck, "space");
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *sb = blocks.items[i];
		struct slots sl;
		ck_validate_attrs(ck, sb, schema, &sl);
		struct m_space *sp = arena_alloc(ck->arena, sizeof *sp);
		sp->name = sb->name;
		sp->span = sb->name_span;
		sp->space_name = checked_name(ck, sb, sl.at[SP_NAME], "space", sagemaker_name_ok,
					      sagemaker_rule);
		const char *app = sl.at[SP_APP] ? ck_get_word(ck, sl.at[SP_APP], schema->attrs[SP_APP].choices) : NULL;
		sp->app = app && strcmp(app, "jupyterlab") == 0 ? APP_JUPYTERLAB : APP_CODE_EDITOR;
		if (sl.at[SP_OWNER]) {
			const struct ast_item *ob = ck_ref_block(ck, sb->scope, sl.at[SP_OWNER]->value, "user");
			sp->owner = ob ? ck_object(ck, ob) : NULL;
			if (ob && !sp->owner) {
				struct diag *d = diag_add(ck->diags, DIAG_E0212, sl.at[SP_OWNER]->value->span,
							  "the owner must be a user of studio `%s`", st->name);
				diag_help(ck->diags, d, "declare `user` blocks inside the studio that owns the space");
			}
		}
		sp->instance = ck_get_instance(ck, sb->scope, sl.at[SP_INSTANCE]);
		if (!sp->instance.literal && !sp->instance.param)
			sp->instance.literal = "ml.t3.medium";
		sp->ebs_gb = sl.at[SP_EBS] ? ck_get_gb(ck, sb->scope, sl.at[SP_EBS], 0, 5, st->ebs_max_gb) : 0;
		sp->remote_access = ck_get_bool(ck, sb->scope, sl.at[SP_REMOTE], false);
		if (sl.at[SP_REMOTE])
			sp->remote_span = sl.at[SP_REMOTE]->span;
		check_image(ck, sb->scope, sl.at[SP_IMAGE], sp);
		ck_register(ck, sb, sp);
		ptrvec_push(ck->arena, &st->spaces, sp);
	}
}

static void check_studio(struct checker *ck, const struct ast_item *b)
{
	const struct block_schema *schema = ck_schema(ck, "studio");
	struct slots sl;
	ck_validate_attrs(ck, b, schema, &sl);
	const struct scope *sc = b->scope;
	struct m_studio *st = arena_alloc(ck->arena, sizeof *st);
	st->name = b->name;
	st->span = b->name_span;
	/* The domain is named `<env>[-<stage>]-<studio>`. */
	const char *domain_name = arena_printf(ck->arena, "%s-%s", aws_name(ck, ck->env->stem),
					       aws_name(ck, b->name));
	st->domain_name = domain_name;
	if (!sagemaker_name_ok(domain_name))
		bad_name(ck, b->name_span, "Studio domain", domain_name, sagemaker_rule, false, true);
	check_studio_subnets(ck, b, &sl, st);
	if (sl.at[ST_SUBNETS])
		st->subnets_span = sl.at[ST_SUBNETS]->value->span;
	st->access_span = sl.at[ST_ACCESS] ? sl.at[ST_ACCESS]->span : b->name_span;
	const char *auth = sl.at[ST_AUTH] ? ck_get_word(ck, sl.at[ST_AUTH], schema->attrs[ST_AUTH].choices) : "iam";
	st->sso = auth && strcmp(auth, "sso") == 0;
	st->auth_unknown = !auth;
	const char *access = sl.at[ST_ACCESS] ? ck_get_word(ck, sl.at[ST_ACCESS], schema->attrs[ST_ACCESS].choices) : NULL;
	st->access_unknown = sl.at[ST_ACCESS] && !access;
	st->vpc_only = access ? strcmp(access, "vpc_only") == 0
			      : !(st->net && st->net->isolation == ISO_PUBLIC);
	st->docker = ck_get_bool(ck, sc, sl.at[ST_DOCKER], false);
	st->efs_automount = ck_get_bool(ck, sc, sl.at[ST_EFS], false);
	st->ebs_default_gb = ck_get_gb(ck, sc, sl.at[ST_EBS_DEFAULT], 5, 5, 16384);
	st->ebs_max_gb = ck_get_gb(ck, sc, sl.at[ST_EBS_MAX], 100, 5, 16384);
	if (st->ebs_default_gb > st->ebs_max_gb) {
		struct diag *d = diag_add(ck->diags, DIAG_E0508,
					  sl.at[ST_EBS_DEFAULT] ? sl.at[ST_EBS_DEFAULT]->value->span : b->name_span,
					  "default EBS size %d GB is above the maximum %d GB",
					  st->ebs_default_gb, st->ebs_max_gb);
		diag_help(ck->diags, d, "raise `ebs_max` or lower `ebs_default`");
	}
	/* Studio idle shutdown: 60 to 525600 minutes. */
	st->idle_minutes = sl.at[ST_IDLE] ? ck_get_minutes(ck, sc, sl.at[ST_IDLE], 0, 60, 525600) : 0;
	st->kms = ck_ref_obj(ck, sc, sl.at[ST_KMS], "kms_key");
	grants_uses(ck, sc, sl.at[ST_USES], schema->attrs[ST_USES].ref_kind, &st->grants);
	grants_managed(ck, sc, sl.at[ST_MANAGED], &st->grants);
	grants_allows(ck, b, &st->grants);
	check_sgs(ck, sc, sl.at[ST_SGS], st, &st->sgs, &st->sgs_span);
	if (st->net)
		st->own_sg = studio_sg(ck, st);
	sgs_limit(ck, st, st->sgs.n + (st->own_sg ? 1 : 0), st->sgs_span,
		  arena_printf(ck->arena, "studio `%s`", st->name));
	check_apps(ck, b, st);
	check_users(ck, b, st);
	no_user_profile(ck, b, &sl, st);
	check_spaces(ck, b, st);
	runs_get(ck, sl.at[ST_RUNS], &st->runs);
	ck_register(ck, b, st);
	ptrvec_push(ck->arena, &ck->env->studios, st);
}

static void unique_in_studios(struct checker *ck, struct physical *ph)
{
	for (size_t i = 0; i < ck->env->studios.n; i++) {
		const struct m_studio *st = ck->env->studios.items[i];
		struct strmap users = { 0 }, spaces = { 0 };
		for (size_t k = 0; k < st->users.n; k++) {
			const struct m_user *u = st->users.items[k];
			unique_name(ck, ph, &users, "user profile name", u->profile_name, u->span, rename_help);
		}
		for (size_t k = 0; k < st->spaces.n; k++) {
			const struct m_space *sp = st->spaces.items[k];
			unique_name(ck, ph, &spaces, "space name", sp->space_name, sp->span, rename_help);
		}
	}
}

/* Its lifecycle configurations, and the scripts written to lifecycle/. */
static void unique_lifecycle(struct checker *ck, struct physical *ph)
{
	struct strmap studio_configs = { 0 };
	for (size_t i = 0; i < ck->env->studios.n; i++) {
		const struct m_studio *st = ck->env->studios.items[i];
		for (int app = 0; app < 2; app++) {
			const struct m_script *s = st->apps[app].on_start;
			if (!s)
				continue;
			unique_name(ck, ph, &ph->files, "file",
				    arena_printf(ck->arena, "lifecycle/%s", s->file_name), st->span,
				    rename_block_help);
			unique_name(ck, ph, &studio_configs, "Studio lifecycle configuration name",
				    s->config_name, st->span,
				    "rename one of the studios: the name keeps the first 54 characters of "
				    "`<environment>-<studio>-<app>`");
		}
	}
}

/*
 * A space with remote access gets helper files named after it
 * (remote/<space>-connect.sh, .ssh_config, .vscode-settings.json) and the
 * SSH host `sgc-<environment>-<space>`: unique in the environment, not
 * only in its studio.
 */
static void unique_remote(struct checker *ck, struct physical *ph)
{
	struct strmap helpers = { 0 };
	for (size_t i = 0; i < ck->env->studios.n; i++) {
		const struct m_studio *st = ck->env->studios.items[i];
		for (size_t k = 0; k < st->spaces.n; k++) {
			const struct m_space *sp = st->spaces.items[k];
			if (!sp->remote_access || !sp->space_name)
				continue;
			struct diag *d = unique_name(ck, ph, &helpers, "file",
				arena_printf(ck->arena, "remote/%s-connect.sh", sp->space_name),
				sp->span, rename_help);
			if (d)
				diag_note(ck->diags, d, "a space with remote access names its helper files "
					  "and SSH host after its space name, in every studio");
		}
	}
}

/*
 * The names AWS sees, unique where it looks them up: domains, then each
 * studio's profiles and spaces, its lifecycle configurations and files,
 * and the helper files of spaces with remote access.
 */
static void studio_names(struct checker *ck, struct physical *ph)
{
	struct strmap studios = { 0 };
	for (size_t i = 0; i < ck->env->studios.n; i++) {
		const struct m_studio *st = ck->env->studios.items[i];
		unique_name(ck, ph, &studios, "Studio domain name", st->domain_name, st->span,
			    rename_block_help);
	}
	unique_in_studios(ck, ph);
	unique_lifecycle(ck, ph);
	unique_remote(ck, ph);
}

/* ---- endpoints ------------------------------------------------------------------- */

static const struct feature_needs vpc_only = {
	"a VpcOnly Studio domain",
	{ "sagemaker.api", "sagemaker.runtime", "s3" },
	{ "studio", "sts", "logs", "monitoring", "sagemaker.featurestore-runtime",
	  "servicecatalog", "ecr.api", "ecr.dkr", "elasticfilesystem" },
	"SageMaker Developer Guide, studio-notebooks-and-internet-access",
	{ { 0 } },
	NULL,
};

static const struct feature_needs remote_session = {
	"remote access over Session Manager",
	{ "ssm", "ssmmessages" },
	{ "ec2messages" },
	"SageMaker Developer Guide, remote-access-remote-setup-vpc-subnets-without-internet-access "
	"(endpoints.md 3.6)",
	{ { 0 } },
	NULL,
};

/* ---- reach: its facts, and its own rules --------------------------------------- */

/* Remote access needs at least 8 GiB (AWS Toolkit and Unified Studio requirements). */
static void remote_fit(struct checker *ck, const struct m_space *sp,
		       const struct instance_type *t)
{
	if (!t || !sp->remote_access || t->memory_mib == 0 || t->memory_mib >= 8192)
		return;
	bool by_default = sp->instance.span.hi == 0;
	const struct m_param *p = sp->instance.param;
	struct span at = by_default ? sp->span
		       : sp->instance.literal ? sp->instance.span
		       : p->value ? p->value_span : p->dflt_span;
	struct diag *d = diag_add(ck->diags, DIAG_E0609, at,
				  "space `%s` has remote access on `%s`%s, which has %u MiB of memory",
				  sp->name, t->name, by_default ? " (the default)" : "", t->memory_mib);
	diag_secondary(ck->diags, d, sp->remote_span, "remote access enabled here");
	diag_note(ck->diags, d, "remote access needs an instance with at least 8 GiB");
	const struct instance_type *alt = instance_bigger(t, 8192, INST_STUDIO);
	if (alt)
		diag_help(ck->diags, d, "use `%s` (%u GiB)", alt->name, alt->memory_mib / 1024);
}

static void add_need(struct checker *ck, struct kind_workload *w, const struct feature_needs *fn,
		     struct span at, const char *use)
{
	struct kind_need *n = arena_alloc(ck->arena, sizeof *n);
	*n = (struct kind_need){ fn, at, use };
	ptrvec_push(ck->arena, &w->needs, n);
}

/* E0604: SageMaker takes no public subnet for a VpcOnly domain. */
static void public_subnets(struct checker *ck, const struct m_studio *st)
{
	struct strbuf b = { 0 };
	size_t npub = 0;
	for (size_t i = 0; i < st->subnets.n && npub < 16; i++) {
		const struct m_subnet *sn = st->subnets.items[i];
		if (sn->public)
			npub++;
	}
	for (size_t i = 0, k = 0; i < st->subnets.n && k < npub; i++) {
		const struct m_subnet *sn = st->subnets.items[i];
		if (!sn->public)
			continue;
		strbuf_printf(ck->arena, &b, "%s`%s`", k == 0 ? "" : k + 1 == npub ? " and " : ", ", sn->name);
		k++;
	}
	if (!npub)
		return;
	struct diag *d = diag_add(ck->diags, DIAG_E0604, st->subnets_span,
				  "VpcOnly studio `%s` uses public subnet%s %s", st->name,
				  npub == 1 ? "" : "s", b.s);
	diag_note(ck->diags, d, "SageMaker does not accept public subnets for VpcOnly domains");
	diag_help(ck->diags, d, "use private subnets, or `access = public_internet`");
}

static void studio_workload(struct checker *ck, const void *obj, struct kind_workload *w)
{
	const struct m_studio *st = obj;
	const struct m_network *net = st->net;
	bool via_nat = false;
	for (size_t i = 0; net && i < st->subnets.n; i++)
		via_nat |= net->isolation == ISO_RESTRICTED &&
			   !((const struct m_subnet *)st->subnets.items[i])->public;
	w->what = arena_printf(ck->arena, "studio `%s`", st->name);
	w->at = st->span;
	w->grants = &st->grants;
	/*
	 * Through a NAT gateway apps reach AWS only if the domain's groups
	 * send HTTPS anywhere, which a restricted network refuses (E0605) and
	 * sgc's group never does: so a VpcOnly domain reaches AWS through
	 * endpoints (the domain's groups aggregate into every profile's).
	 * Behind a firewall, HTTPS anywhere reaches only the allowed domains.
	 */
	struct ptrvec *domain = arena_alloc(ck->arena, sizeof *domain), *all = domain;
	if (st->own_sg)
		ptrvec_push(ck->arena, domain, st->own_sg);
	for (size_t i = 0; i < st->sgs.n; i++)
		ptrvec_push(ck->arena, domain, st->sgs.items[i]);
	w->no_internet = net && st->vpc_only && !(via_nat && !net->firewall && m_sgs_https_anywhere(domain));
	w->nat_closed = w->no_internet && via_nat;
	if (net) {
		struct kind_path *p = arena_alloc(ck->arena, sizeof *p);
		*p = (struct kind_path){ arena_printf(ck->arena, "studio `%s`", st->name), domain, &st->subnets,
					 st->span, st->sgs.n ? st->sgs_span : (struct span){ UINT32_MAX, 0, 0 } };
		ptrvec_push(ck->arena, &w->paths, p);
	}
	for (size_t i = 0; net && i < st->users.n; i++) {
		const struct m_user *u = st->users.items[i];
		if (!u->sgs.n)
			continue;
		struct ptrvec *sgs = arena_alloc(ck->arena, sizeof *sgs);
		for (size_t k = 0; k < domain->n; k++)
			ptrvec_push(ck->arena, sgs, domain->items[k]);
		for (size_t k = 0; k < u->sgs.n; k++)
			ptrvec_push(ck->arena, sgs, u->sgs.items[k]);
		if (all == domain)
			all = arena_alloc(ck->arena, sizeof *all);
		for (size_t k = 0; k < sgs->n; k++)
			ptrvec_push(ck->arena, all, sgs->items[k]);
		struct kind_path *p = arena_alloc(ck->arena, sizeof *p);
		*p = (struct kind_path){ arena_printf(ck->arena, "user `%s` of studio `%s`", u->name, st->name),
					 sgs, &st->subnets, u->span, u->sgs_span };
		ptrvec_push(ck->arena, &w->paths, p);
	}
	w->sgs = all;
	grants_lint(ck, &st->grants);
	for (int a = 0; a < 2; a++)
		if (st->apps[a].present)
			ck_fit_instance(ck, &st->apps[a].instance, INST_STUDIO, w->what);
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		const struct instance_type *t = ck_fit_instance(ck, &sp->instance, INST_STUDIO,
						    arena_printf(ck->arena, "space `%s`", sp->name));
		remote_fit(ck, sp, t);
		if (sp->remote_access && net)
			add_need(ck, w, &remote_session, sp->remote_span,
				 arena_printf(ck->arena, "remote access to space `%s`", sp->name));
	}
	/* A refused `access` is neither VpcOnly nor public: nothing to prove from it. */
	if (!net || st->access_unknown)
		return;
	w->net = net;
	if (st->vpc_only) {
		add_need(ck, w, &vpc_only, st->subnets_span, w->what);
		public_subnets(ck, st);
	}
	for (size_t i = 0; i < st->runs.n; i++) {
		const struct m_run *r = st->runs.items[i];
		add_need(ck, w, &r->feature->needs, r->span,
			 arena_printf(ck->arena, "%s, which %s,", w->what, r->feature->doing));
	}
	for (int a = 0; a < 2; a++)
		if (st->apps[a].on_start)
			ptrvec_push(ck->arena, &w->scripts, st->apps[a].on_start);
	w->own_internet = !st->vpc_only;
	w->own_at = st->access_span;
	w->own_path = arena_printf(ck->arena, "studio `%s` -> PublicInternetOnly: apps reach the internet "
				   "through SageMaker's network", st->name);
	if (!st->vpc_only && net->isolation != ISO_ISOLATED)
		w->internet_note = "its apps use PublicInternetOnly networking";
}

/* ---- IAM: its execution role, and the developers of its spaces --------------------- */

#define ARN(service) IAM_ARN(service)
#define SRC_SAR_SM IAM_SRC_SAR_SM
#define SRC_SM_DOMAIN_KMS IAM_SMDG "sagemaker-roles.html#sagemaker-roles-createdomain-perms"
#define SRC_PRIVATE_SPACES IAM_SMDG "studio-updated-jl-admin-guide-permissions.html"
#define SRC_RA_SETUP IAM_SMDG "remote-access-remote-setup.html"
#define SRC_KMS_GRANT "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource"
#define SRC_CFN IAM_SAR "list_awscloudformation.html"

/* A Studio domain's customer key, checked when anyone starts an app. */
static const struct iam_row domain_key_rows[] = {
	{ "kms:CreateGrant", "{arn}", "kms:GrantIsForAWSResource=true", IAM_BY_SERVICE,
	  SRC_SM_DOMAIN_KMS " (condition: " SRC_KMS_GRANT ")" },
	{ "kms:DescribeKey", "{arn}", NULL, IAM_BY_SERVICE, SRC_SM_DOMAIN_KMS },
};


/*
 * A Studio user at work, signed with the execution role. One role serves
 * every user of the domain, so the documented private-space policy keys
 * each request by the profile it comes from (sagemaker:UserProfileName)
 * and by the space's owner and sharing type. These rows give the scope
 * each kind of request may have; a context names the keys the scope is
 * conditioned on.
 */
#define PROFILE ARN("sagemaker") "user-profile/{domain_id}/"
#define OWN "sagemaker:UserProfileName={user};sagemaker:OwnerUserProfileArn=" PROFILE "{user}"
static const struct iam_row studio_scope_rows[] = {
	/* spaces no profile owns (shared ones) and their apps */
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteApp", ARN("sagemaker") "app/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:CreateSpace", ARN("sagemaker") "space/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:UpdateSpace", ARN("sagemaker") "space/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteSpace", ARN("sagemaker") "space/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	/* the user's own private spaces and their apps */
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/*",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteApp", ARN("sagemaker") "app/{domain_id}/*",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:CreateSpace", ARN("sagemaker") "space/{domain_id}/*",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:UpdateSpace", ARN("sagemaker") "space/{domain_id}/*",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteSpace", ARN("sagemaker") "space/{domain_id}/*",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	/* Studio tags what it creates */
	{ "sagemaker:AddTags", ARN("sagemaker") "app/{domain_id}/*", "sagemaker:TaggingAction=CreateApp",
	  IAM_BY_SERVICE, SRC_PRIVATE_SPACES },
	{ "sagemaker:AddTags", ARN("sagemaker") "space/{domain_id}/*", "sagemaker:TaggingAction=CreateSpace",
	  IAM_BY_SERVICE, SRC_PRIVATE_SPACES },
	/* reading the domain, and the listings, which have no resource scope */
	{ "sagemaker:DescribeApp", ARN("sagemaker") "app/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DescribeSpace", ARN("sagemaker") "space/{domain_id}/*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DescribeUserProfile", PROFILE "*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DescribeDomain", ARN("sagemaker") "domain/{domain_id}", NULL, IAM_BY_USER,
	  SRC_PRIVATE_SPACES },
	{ "sagemaker:ListApps", "*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:ListSpaces", "*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:ListUserProfiles", "*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:ListDomains", "*", NULL, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:ListTags", "*", NULL, IAM_BY_USER, SRC_SAR_SM },
};

/* The owner at work in one declared private space. */
static const struct iam_row studio_owner_rows[] = {
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/{space}/{app_type}/default",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteApp", ARN("sagemaker") "app/{domain_id}/{space}/{app_type}/default",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:UpdateSpace", ARN("sagemaker") "space/{domain_id}/{space}",
	  OWN ";sagemaker:SpaceSharingType=Private", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DescribeApp", ARN("sagemaker") "app/{domain_id}/{space}/{app_type}/default", NULL,
	  IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DescribeSpace", ARN("sagemaker") "space/{domain_id}/{space}", NULL,
	  IAM_BY_USER, SRC_PRIVATE_SPACES },
};

/* Any user at work in one declared shared space. */
static const struct iam_row studio_shared_rows[] = {
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/{space}/{app_type}/default",
	  "sagemaker:SpaceSharingType=Shared", IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteApp", ARN("sagemaker") "app/{domain_id}/{space}/{app_type}/default",
	  "sagemaker:SpaceSharingType=Shared", IAM_BY_USER, SRC_PRIVATE_SPACES },
};

/* What no user of a domain may do: act on another profile's private space. */
#define OTHER "sagemaker:UserProfileName={user};sagemaker:OwnerUserProfileArn=" PROFILE "{other}" \
	";sagemaker:SpaceSharingType=Private"
static const struct iam_row studio_refused_rows[] = {
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/{other}-space/{app_type}/default",
	  OTHER, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteApp", ARN("sagemaker") "app/{domain_id}/{other}-space/{app_type}/default",
	  OTHER, IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:UpdateSpace", ARN("sagemaker") "space/{domain_id}/{other}-space", OTHER,
	  IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:DeleteSpace", ARN("sagemaker") "space/{domain_id}/{other}-space", OTHER,
	  IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:CreateSpace", ARN("sagemaker") "space/{domain_id}/{other}-space", OTHER,
	  IAM_BY_USER, SRC_PRIVATE_SPACES },
	{ "sagemaker:StartSession", ARN("sagemaker") "space/{domain_id}/{other}-space",
	  "sagemaker:UserProfileName={user};sagemaker:ResourceTag/sagemaker:user-profile-arn=" PROFILE "{other}",
	  IAM_BY_USER, SRC_RA_SETUP },
};

/*
 * "Open in VS Code" from the Studio UI: the session is the execution
 * role's, for spaces the requesting profile created (SageMaker tags them
 * with its ARN): the scope, and the owner of one declared space.
 */
static const struct iam_row deep_link_scope_rows[] = {
	{ "sagemaker:StartSession", ARN("sagemaker") "space/{domain_id}/*",
	  "sagemaker:UserProfileName={user};sagemaker:ResourceTag/sagemaker:user-profile-arn=" PROFILE "{user}",
	  IAM_BY_USER, SRC_RA_SETUP },
};
static const struct iam_row deep_link_rows[] = {
	{ "sagemaker:StartSession", ARN("sagemaker") "space/{domain_id}/{space}",
	  "sagemaker:UserProfileName={user};sagemaker:ResourceTag/sagemaker:user-profile-arn=" PROFILE "{user}",
	  IAM_BY_USER, SRC_RA_SETUP },
};

/* The developer's own principal, from a local IDE: the SSH connect script... */
static const struct iam_row remote_ssh_rows[] = {
	{ "cloudformation:DescribeStacks",
	  ARN("cloudformation") "stack/${AWS::StackName}/*", NULL,
	  IAM_BY_SCRIPT, SRC_CFN },
	{ "sagemaker:DescribeSpace", "{space_arn}", NULL, IAM_BY_SCRIPT, SRC_RA_SETUP },
	{ "sagemaker:DescribeApp", ARN("sagemaker") "app/{domain_id}/{space}/*", NULL,
	  IAM_BY_SCRIPT, SRC_RA_SETUP },
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/{space}/*", NULL,
	  IAM_BY_SCRIPT, SRC_RA_SETUP },
	{ "sagemaker:StartSession", "{space_arn}", NULL, IAM_BY_SCRIPT, SRC_RA_SETUP },
};

/* ...the AWS Toolkit... */
static const struct iam_row remote_toolkit_rows[] = {
	{ "sagemaker:ListSpaces", "*", NULL, IAM_BY_USER, SRC_RA_SETUP },
	{ "sagemaker:ListApps", "*", NULL, IAM_BY_USER, SRC_RA_SETUP },
	{ "sagemaker:DescribeDomain", ARN("sagemaker") "domain/{domain_id}", NULL, IAM_BY_USER, SRC_RA_SETUP },
	{ "sagemaker:UpdateSpace", "{space_arn}", NULL, IAM_BY_USER, SRC_RA_SETUP },
	{ "sagemaker:DeleteApp", ARN("sagemaker") "app/{domain_id}/{space}/*", NULL,
	  IAM_BY_USER, SRC_RA_SETUP },
	{ "sagemaker:AddTags", ARN("sagemaker") "app/{domain_id}/{space}/*",
	  "sagemaker:TaggingAction=CreateApp", IAM_BY_USER, SRC_RA_SETUP },
};

/* ...and, in a domain with IAM sign-in, the Studio UI of the space's owner. */
static const struct iam_row remote_deep_link_rows[] = {
	{ "sagemaker:CreatePresignedDomainUrl", PROFILE "{user}", NULL, IAM_BY_USER, SRC_RA_SETUP },
};

/* A developer of one space must not reach the others. */
static const struct iam_row remote_refused_rows[] = {
	{ "sagemaker:StartSession", ARN("sagemaker") "space/{domain_id}/another-space", NULL,
	  IAM_BY_USER, SRC_RA_SETUP },
	{ "sagemaker:CreateApp", ARN("sagemaker") "app/{domain_id}/another-space/{app_type}/default",
	  NULL, IAM_BY_USER, SRC_RA_SETUP },
};

static const char *app_type(enum m_app app)
{
	return app == APP_CODE_EDITOR ? "codeeditor" : "jupyterlab";
}

static void role_principal(struct iam_facts *f, const struct m_studio *st)
{
	struct arena *a = f->a;
	const char *role = cfn_id_of(f->t, &st->grants, "role");
	struct iam_principal *p = iam_principal(f, role, "execution-role",
						arena_printf(a, "studio %s", st->name));
	for (int app = 0; app < 2; app++)
		iam_script(f, p, st->apps[app].on_start);
	p->managed = st->grants.managed;
	p->log_group = "/aws/sagemaker/studio";
	p->log_span = st->span;
	p->grants = &st->grants;
	p->push_images = st->docker;
	const char *domain_id = iam_att(f, st, "DomainId");
	struct iam_fills scope = { 0 };
	iam_fill(&scope, "domain_id", domain_id);
	iam_fill(&scope, "user", "any-user");
	iam_need(f, p, "a Studio user at work", IAM_ROWS(studio_scope_rows), &scope, st->span);
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		if (sp->remote_access) {
			iam_need(f, p, "remote_access (deep link)", IAM_ROWS(deep_link_scope_rows), &scope,
				 sp->remote_span);
			break;
		}
	}
	if (st->kms) {
		struct iam_fills k = { 0 };
		iam_fill(&k, "arn", iam_att(f, st->kms, "Arn"));
		iam_need(f, p, "studio kms_key (app volumes)", IAM_ROWS(domain_key_rows), &k, st->span);
	}
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		struct iam_fills s = { 0 };
		iam_fill(&s, "domain_id", domain_id);
		iam_fill(&s, "space", sp->space_name);
		iam_fill(&s, "app_type", app_type(sp->app));
		if (!sp->owner) {
			iam_need(f, p, arena_printf(a, "shared space %s", sp->name),
				 IAM_ROWS(studio_shared_rows), &s, sp->span);
			continue;
		}
		iam_fill(&s, "user", sp->owner->profile_name);
		iam_fill(&s, "other", "someone-else");
		const char *cap = arena_printf(a, "private space %s of user %s", sp->name, sp->owner->name);
		iam_need(f, p, cap, IAM_ROWS(studio_owner_rows), &s, sp->span);
		iam_refuse(f, p, cap, IAM_ROWS(studio_refused_rows), &s, sp->span,
			   "another user's private space");
		if (sp->remote_access)
			iam_need(f, p, arena_printf(a, "remote_access of space %s (deep link)", sp->name),
				 IAM_ROWS(deep_link_rows), &s, sp->remote_span);
	}
}

static void developer_principal(struct iam_facts *f, const struct m_studio *st,
				const struct m_space *sp)
{
	struct arena *a = f->a;
	const char *policy = cfn_id_of(f->t, sp, "access");
	if (!policy)
		return;
	struct iam_principal *p = iam_principal(f, policy, "developer",
						arena_printf(a, "developer of space %s", sp->name));
	ptrvec_push(a, &p->scripts, (void *)arena_printf(a, "remote/%s-connect.sh", sp->space_name));
	struct iam_fills s = { 0 };
	iam_fill(&s, "domain_id", iam_att(f, st, "DomainId"));
	iam_fill(&s, "space", sp->space_name);
	iam_fill(&s, "space_arn", iam_att(f, sp, "SpaceArn"));
	iam_fill(&s, "app_type", app_type(sp->app));
	iam_fill(&s, "user", sp->owner ? sp->owner->profile_name : "");
	iam_need(f, p, "remote_access (ssh)", IAM_ROWS(remote_ssh_rows), &s, sp->remote_span);
	iam_need(f, p, "remote_access (AWS Toolkit)", IAM_ROWS(remote_toolkit_rows), &s, sp->remote_span);
	if (sp->owner && !st->sso)
		iam_need(f, p, "remote_access (deep link)", IAM_ROWS(remote_deep_link_rows), &s,
			 sp->remote_span);
	iam_refuse(f, p, "remote_access", IAM_ROWS(remote_refused_rows), &s, sp->remote_span,
		   "another space of the domain");
	if (st->kms) {
		struct iam_fills k = { 0 };
		iam_fill(&k, "arn", iam_att(f, st->kms, "Arn"));
		iam_need(f, p, "remote_access: CreateApp in a domain with a kms_key",
			 IAM_ROWS(domain_key_rows), &k, sp->remote_span);
	}
}

static void studio_principals(struct iam_facts *f, const void *obj)
{
	const struct m_studio *st = obj;
	role_principal(f, st);
	for (size_t k = 0; k < st->spaces.n; k++)
		if (((const struct m_space *)st->spaces.items[k])->remote_access)
			developer_principal(f, st, st->spaces.items[k]);
}

/* ---- lowering ------------------------------------------------------------------------ */

/*
 * A Studio domain encrypted with a customer key: whoever starts an app (the
 * execution role from Studio, a developer from a local IDE) needs
 * kms:CreateGrant and kms:DescribeKey on it, checked at CreateApp
 * (SageMaker developer guide, execution roles, CreateDomain). The grants
 * are the ones SageMaker makes for the app's volumes, so CreateGrant is
 * allowed only for AWS resources (kms:GrantIsForAWSResource, KMS guide).
 */
static void domain_key_statements(struct lowerer *lw, struct cv *sts, const struct m_kms *key)
{
	struct arena *a = lw->a;
	static const char *const grant[] = { "kms:CreateGrant" };
	static const char *const describe[] = { "kms:DescribeKey" };
	struct cv *st = lw_statement(lw, "DomainKeyGrantsForApps", "Allow", lw_strs(lw, grant, 1),
				  lw_one(lw, lw_arn_of(lw, key)));
	cv_push(a, sts, lw_when(lw, st, "Bool", "kms:GrantIsForAWSResource", cv_str(a, "true")));
	cv_push(a, sts, lw_statement(lw, "DomainKeyDescribe", "Allow", lw_strs(lw, describe, 1),
				  lw_one(lw, lw_arn_of(lw, key))));
}

/* The domain's groups: sgc's own, then the user's. */
static struct cv *domain_sgs(struct lowerer *lw, const struct m_studio *st, const char *own)
{
	struct cv *arr = cv_arr(lw->a);
	if (own)
		cv_push(lw->a, arr, cv_getatt(lw->a, own, "GroupId"));
	for (size_t i = 0; i < st->sgs.n; i++)
		cv_push(lw->a, arr, cv_getatt(lw->a, lw_sg_id(lw, st->sgs.items[i]), "GroupId"));
	return arr;
}

/*
 * The studio's generated group (studio_sg), as the model holds it: the
 * rules naming the group itself are separate resources, as inline they
 * would make the group depend on itself.
 */
static const char *lower_studio_sg(struct lowerer *lw, const struct m_studio *st, const struct netl *nl)
{
	const char *stem = lw_pascal(lw, st->name);
	const char *id = logical_id(lw, "%sStudioSecurityGroup", stem);
	lw_security_group(lw, st->own_sg, id, nl->vpc, cv_str(lw->a, st->own_sg->description),
			  lw_env_name(lw, st->name));
	lw_sg_peer_rules(lw, st->own_sg, stem);
	return id;
}

static const char *studio_lcc(struct lowerer *lw, const struct m_studio *st, enum m_app app)
{
	struct arena *a = lw->a;
	const struct m_script *s = st->apps[app].on_start;
	const char *kind = app == APP_CODE_EDITOR ? "CodeEditor" : "JupyterLab";
	const char *id = logical_id(lw, "%s%sLifecycleConfig", lw_pascal(lw, st->name), kind);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::StudioLifecycleConfig");
	cv_set(a, r->props, "StudioLifecycleConfigName", cv_str(a, s->config_name));
	cv_set(a, r->props, "StudioLifecycleConfigAppType", cv_str(a, kind));
	cv_set(a, r->props, "StudioLifecycleConfigContent", lw_script(lw, s));
	return id;
}

static struct cv *app_settings(struct lowerer *lw, const struct m_studio *st, enum m_app app,
			       const char *lcc)
{
	struct arena *a = lw->a;
	struct cv *o = cv_obj(a);
	const struct m_app_settings *as = &st->apps[app];
	if (lcc || as->instance.literal || as->instance.param) {
		struct cv *spec = cv_obj(a);
		if (as->instance.literal || as->instance.param)
			cv_set(a, spec, "InstanceType", lw_value(lw, &as->instance));
		if (lcc)
			cv_set(a, spec, "LifecycleConfigArn", cv_getatt(a, lcc, "StudioLifecycleConfigArn"));
		cv_set(a, o, "DefaultResourceSpec", spec);
	}
	if (lcc)
		cv_set(a, o, "LifecycleConfigArns", lw_one(lw, cv_getatt(a, lcc, "StudioLifecycleConfigArn")));
	if (st->idle_minutes) {
		struct cv *idle = cv_obj(a), *mgmt = cv_obj(a);
		cv_set(a, idle, "LifecycleManagement", cv_str(a, "ENABLED"));
		cv_set(a, idle, "IdleTimeoutInMinutes", cv_int(a, st->idle_minutes));
		cv_set(a, mgmt, "IdleSettings", idle);
		cv_set(a, o, "AppLifecycleManagement", mgmt);
	}
	return o;
}

static struct cv *storage_settings(struct lowerer *lw, const struct m_studio *st)
{
	struct arena *a = lw->a;
	struct cv *ebs = cv_obj(a), *o = cv_obj(a);
	cv_set(a, ebs, "DefaultEbsVolumeSizeInGb", cv_int(a, st->ebs_default_gb));
	cv_set(a, ebs, "MaximumEbsVolumeSizeInGb", cv_int(a, st->ebs_max_gb));
	cv_set(a, o, "DefaultEbsStorageSettings", ebs);
	return o;
}

/* `arn:<partition>:sagemaker:<region>:<account>:` as Fn::Sub text. */
#define SM_ARN "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:"

/*
 * What the developer's own IAM principal needs to reach one space from a
 * local IDE (docs/remote-access.md): with the AWS Toolkit or the SSH
 * connect script it reads the space, starts its app and opens a session,
 * all on this space's ARN; the listing calls have no resource scope; the
 * deep link from the Studio UI needs only a presigned URL for the owner's
 * profile (the session is then the execution role's). CreateApp on a
 * domain with a customer key needs that key's grant too.
 */
static void remote_access_policy(struct lowerer *lw, const struct m_studio *st,
				 const struct m_space *sp, const char *domain, const char *space)
{
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, sp->name);
	const char *id = logical_id(lw, "%sRemoteAccessPolicy", stem);
	lw_map_part(lw, sp, "access", id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Description", cv_strf(a,
		"attach to the IAM principal of whoever connects to space %s from a local IDE", sp->name));
	struct cv *sts = cv_arr(a);
	static const char *const on_space[] = { "sagemaker:StartSession", "sagemaker:DescribeSpace",
						"sagemaker:UpdateSpace" };
	cv_push(a, sts, lw_statement(lw, "ThisSpace", "Allow", lw_strs(lw, on_space, 3),
		lw_one(lw, cv_getatt(a, space, "SpaceArn"))));
	const char *apps = arena_printf(a, SM_ARN "app/${%s.DomainId}/%s/*", domain, sp->space_name);
	static const char *const on_app[] = { "sagemaker:CreateApp", "sagemaker:DescribeApp",
					      "sagemaker:DeleteApp" };
	cv_push(a, sts, lw_statement(lw, "AppsOfThisSpace", "Allow", lw_strs(lw, on_app, 3),
		lw_one(lw, cv_sub(a, apps))));
	static const char *const tag[] = { "sagemaker:AddTags" };
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "TagAppsItCreates", "Allow", lw_strs(lw, tag, 1),
					   lw_one(lw, cv_sub(a, apps))),
			     "Null", "sagemaker:TaggingAction", cv_str(a, "false")));
	static const char *const on_domain[] = { "sagemaker:DescribeDomain" };
	cv_push(a, sts, lw_statement(lw, "ItsDomain", "Allow", lw_strs(lw, on_domain, 1),
		lw_one(lw, cv_getatt(a, domain, "DomainArn"))));
	if (sp->owner && !st->sso) {
		static const char *const deep[] = { "sagemaker:CreatePresignedDomainUrl" };
		cv_push(a, sts, lw_statement(lw, "DeepLinkAsOwner", "Allow", lw_strs(lw, deep, 1),
			lw_one(lw, cv_sub(a, arena_printf(a, SM_ARN "user-profile/${%s.DomainId}/%s",
							domain, sp->owner->profile_name)))));
	}
	static const char *const list[] = { "sagemaker:ListSpaces", "sagemaker:ListApps" };
	cv_push(a, sts, lw_statement(lw, "ListingHasNoResourceScope", "Allow", lw_strs(lw, list, 2),
		lw_one(lw, cv_str(a, "*"))));
	/* The connect script reads the space ARN from this stack's outputs. */
	static const char *const stack[] = { "cloudformation:DescribeStacks" };
	cv_push(a, sts, lw_statement(lw, "ThisStacksOutputs", "Allow", lw_strs(lw, stack, 1),
		lw_one(lw, cv_sub(a, "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*"))));
	if (st->kms)
		domain_key_statements(lw, sts, st->kms);
	struct cv *doc = lw_policy_doc(lw, sts);
	cv_set(a, r->props, "PolicyDocument", doc);
	lw_suppress_wildcards(lw, r, doc, sp->remote_span.file == UINT32_MAX ? sp->span : sp->remote_span);
	lw_output(lw, logical_id(lw, "%sRemoteAccessPolicyArn", stem),
		  arena_printf(a, "policy to attach to the principal that connects to space %s", sp->name),
		  cv_ref(a, id));
}

/*
 * The SSH method, beyond AWS: a connect script that opens a Session
 * Manager stream to the space, and the ~/.ssh/config entry that uses it
 * as its ProxyCommand, so `ssh <alias>` (or VS Code Remote-SSH) connects.
 */
static void lower_remote_files(struct lowerer *lw, const struct m_studio *st,
			       const struct m_space *sp, const char *arn_output)
{
	struct arena *a = lw->a;
	const struct stdlib_file *script = stdlib_find("remote/connect.sh");
	const struct stdlib_file *config = stdlib_find("remote/ssh_config");
	if (!script || !config)
		return;
	const char *connect = arena_printf(a, "remote/%s-connect.sh", sp->space_name);
	const char *names[] = { "SPACE_ARN_OUTPUT", "STACK_NAME_DEFAULT", "REGION",
				"SPACE_NAME", "DOMAIN_OUTPUT" };
	const char *values[] = {
		lc_quote(a, arn_output), lc_quote(a, lw->env->stack_name),
		lc_quote(a, lw->env->region->name), lc_quote(a, sp->space_name),
		lc_quote(a, arena_printf(a, "%sDomainId", lw_pascal(lw, st->name))),
	};
	size_t n;
	const char *text = lc_render(a, script->text, script->len, names, values, 5, &n);
	cfn_add_file(lw->t, connect, text, n, true);
	/*
	 * ssh runs ProxyCommand through the user's shell, which expands `~`;
	 * of the % tokens ssh itself expands there only %%, %h, %n, %p and %r.
	 */
	const char *home_path = arena_printf(a, ".ssh/sgc/%s-%s-connect.sh", lw->env->stem,
					     sp->space_name);
	const char *cnames[] = { "HOST_ALIAS", "CONNECT_SCRIPT", "CONNECT_SOURCE", "CONNECT_HOME_PATH" };
	const char *cvalues[] = { arena_printf(a, "sgc-%s-%s", lw->env->stem, sp->space_name),
				  arena_printf(a, "~/%s", home_path), connect, home_path };
	text = lc_render(a, config->text, config->len, cnames, cvalues, 4, &n);
	cfn_add_file(lw->t, arena_printf(a, "remote/%s.ssh_config", sp->space_name), text, n, false);
	/*
	 * VS Code settings for the alias: the VS Code server and extensions are
	 * downloaded on the local machine and copied over the SSH connection,
	 * so a space without internet works; starting a stopped space takes
	 * minutes, longer than Remote-SSH waits by default. The alias is
	 * [a-z0-9-] (a checked environment and space name), safe in JSON.
	 */
	text = arena_printf(a,
		"{\n"
		"  \"remote.SSH.remotePlatform\": {\n"
		"    \"%s\": \"linux\"\n"
		"  },\n"
		"  \"remote.SSH.connectTimeout\": 600,\n"
		"  \"remote.SSH.localServerDownload\": \"always\",\n"
		"  \"remote.downloadExtensionsLocally\": true\n"
		"}\n", cvalues[0]);
	cfn_add_file(lw->t, arena_printf(a, "remote/%s.vscode-settings.json", sp->space_name),
		     text, strlen(text), false);
}

static void lower_spaces(struct lowerer *lw, const struct m_studio *st, const char *domain)
{
	struct arena *a = lw->a;
	for (size_t i = 0; i < st->users.n; i++) {
		const struct m_user *u = st->users.items[i];
		const char *id = logical_id(lw, "%sUserProfile", lw_pascal(lw, u->name));
		lw_map_id(lw, u, id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::UserProfile");
		cv_set(a, r->props, "DomainId", cv_getatt(a, domain, "DomainId"));
		cv_set(a, r->props, "UserProfileName", cv_str(a, u->profile_name));
		if (u->sgs.n) {
			/* Added to the domain's by SageMaker: only the user's own here. */
			struct cv *us = cv_obj(a), *arr = cv_arr(a);
			for (size_t k = 0; k < u->sgs.n; k++)
				cv_push(a, arr, cv_getatt(a, lw_sg_id(lw, u->sgs.items[k]), "GroupId"));
			cv_set(a, us, "SecurityGroups", arr);
			cv_set(a, r->props, "UserSettings", us);
		}
		cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, u->name)));
	}
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		const char *stem = lw_pascal(lw, sp->name);
		const char *id = logical_id(lw, "%sSpace", stem);
		lw_map_id(lw, sp, id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::Space");
		cv_set(a, r->props, "DomainId", cv_getatt(a, domain, "DomainId"));
		cv_set(a, r->props, "SpaceName", cv_str(a, sp->space_name));
		struct cv *share = cv_obj(a);
		cv_set(a, share, "SharingType", cv_str(a, sp->owner ? "Private" : "Shared"));
		if (sp->owner) {
			/* The owner is named, not referenced: wait for the profile. */
			cfn_depends(lw->t, r, lw_id_of(lw, sp->owner));
			struct cv *own = cv_obj(a);
			cv_set(a, own, "OwnerUserProfileName", cv_str(a, sp->owner->profile_name));
			cv_set(a, r->props, "OwnershipSettings", own);
		}
		cv_set(a, r->props, "SpaceSharingSettings", share);
		struct cv *settings = cv_obj(a), *spec = cv_obj(a), *app = cv_obj(a);
		cv_set(a, settings, "AppType", cv_str(a, sp->app == APP_CODE_EDITOR ? "CodeEditor" : "JupyterLab"));
		cv_set(a, spec, "InstanceType", lw_value(lw, &sp->instance));
		if (sp->image)
			cv_set(a, spec, sp->image_version ? "SageMakerImageVersionArn" : "SageMakerImageArn",
			       cv_str(a, sp->image));
		cv_set(a, app, "DefaultResourceSpec", spec);
		cv_set(a, settings, sp->app == APP_CODE_EDITOR ? "CodeEditorAppSettings" : "JupyterLabAppSettings", app);
		if (sp->ebs_gb) {
			struct cv *ebs = cv_obj(a), *stg = cv_obj(a);
			cv_set(a, ebs, "EbsVolumeSizeInGb", cv_int(a, sp->ebs_gb));
			cv_set(a, stg, "EbsStorageSettings", ebs);
			cv_set(a, settings, "SpaceStorageSettings", stg);
		}
		if (sp->remote_access)
			cv_set(a, settings, "RemoteAccess", cv_str(a, "ENABLED"));
		cv_set(a, r->props, "SpaceSettings", settings);
		cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, sp->name)));
		lw_output(lw, logical_id(lw, "%sSpaceArn", stem), arena_printf(a, "ARN of space %s", sp->name),
			  cv_getatt(a, id, "SpaceArn"));
		if (sp->remote_access) {
			remote_access_policy(lw, st, sp, domain, id);
			lower_remote_files(lw, st, sp, arena_printf(a, "%sSpaceArn", stem));
		}
	}
}

static struct cv *in_domain(struct lowerer *lw, const char *domain, const char *kind)
{
	return cv_sub(lw->a, arena_printf(lw->a, SM_ARN "%s/${%s.DomainId}/*", kind, domain));
}

/*
 * Studio signs what a user does in it (open a space, start its app) with
 * the execution role, and one role serves every user of the domain. So
 * each statement on apps and spaces carries the condition keys SageMaker
 * documents for private spaces ("give your users access to only their
 * private spaces"): a user may act on spaces without an owner and on
 * spaces the user's own profile owns, never on another user's private
 * space. The policy variable ${sagemaker:UserProfileName} is the profile
 * the request comes from; in Fn::Sub it is written ${!...}. The domain
 * names the role, so these statements cannot live in the role itself (a
 * cycle): a managed policy attached to it holds them.
 */
static void studio_apps_policy(struct lowerer *lw, const struct m_studio *st,
			       const char *domain, const char *role)
{
	struct arena *a = lw->a;
	struct cfn_resource *r = cfn_add(lw->t, logical_id(lw, "%sStudioAppsPolicy", lw_pascal(lw, st->name)),
					 "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Description",
	       cv_strf(a, "studio %s: each user starts apps and opens spaces of their own, in this domain only", st->name));
	cv_set(a, r->props, "Roles", lw_one(lw, cv_ref(a, role)));
	struct cv *own = cv_sub(a, arena_printf(a, SM_ARN "user-profile/${%s.DomainId}/${!sagemaker:UserProfileName}",
						domain));
	struct cv *sts = cv_arr(a);
	static const char *const app_ops[] = { "sagemaker:CreateApp", "sagemaker:DeleteApp" };
	static const char *const space_ops[] = { "sagemaker:CreateSpace", "sagemaker:UpdateSpace",
						 "sagemaker:DeleteSpace" };
	static const char *const private[] = { "Private" };
	static const char *const any_sharing[] = { "Private", "Shared" };
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "AppsOfSpacesWithoutOwner", "Allow", lw_strs(lw, app_ops, 2),
					   lw_one(lw, in_domain(lw, domain, "app"))),
			     "Null", "sagemaker:OwnerUserProfileArn", cv_str(a, "true")));
	struct cv *st_apps = lw_statement(lw, "AppsOfOwnPrivateSpaces", "Allow", lw_strs(lw, app_ops, 2),
				       lw_one(lw, in_domain(lw, domain, "app")));
	lw_when(lw, st_apps, "ArnLike", "sagemaker:OwnerUserProfileArn", own);
	cv_push(a, sts, lw_when(lw, st_apps, "StringEquals", "sagemaker:SpaceSharingType", lw_strs(lw, private, 1)));
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "SpacesWithoutOwner", "Allow", lw_strs(lw, space_ops, 3),
					   lw_one(lw, in_domain(lw, domain, "space"))),
			     "Null", "sagemaker:OwnerUserProfileArn", cv_str(a, "true")));
	struct cv *st_spaces = lw_statement(lw, "OwnSpaces", "Allow", lw_strs(lw, space_ops, 3),
					 lw_one(lw, in_domain(lw, domain, "space")));
	lw_when(lw, st_spaces, "ArnLike", "sagemaker:OwnerUserProfileArn", own);
	cv_push(a, sts, lw_when(lw, st_spaces, "StringEquals", "sagemaker:SpaceSharingType",
			     lw_strs(lw, any_sharing, 2)));
	static const char *const tag[] = { "sagemaker:AddTags" };
	struct cv *taggable = cv_arr(a);
	cv_push(a, taggable, in_domain(lw, domain, "app"));
	cv_push(a, taggable, in_domain(lw, domain, "space"));
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "TagWhatStudioCreates", "Allow", lw_strs(lw, tag, 1), taggable),
			     "Null", "sagemaker:TaggingAction", cv_str(a, "false")));
	static const char *const read_apps[] = { "sagemaker:DescribeApp" };
	static const char *const read_spaces[] = { "sagemaker:DescribeSpace" };
	static const char *const read_profiles[] = { "sagemaker:DescribeUserProfile" };
	cv_push(a, sts, lw_statement(lw, "ReadAppsOfThisDomain", "Allow", lw_strs(lw, read_apps, 1),
				  lw_one(lw, in_domain(lw, domain, "app"))));
	cv_push(a, sts, lw_statement(lw, "ReadSpacesOfThisDomain", "Allow", lw_strs(lw, read_spaces, 1),
				  lw_one(lw, in_domain(lw, domain, "space"))));
	cv_push(a, sts, lw_statement(lw, "ReadProfilesOfThisDomain", "Allow", lw_strs(lw, read_profiles, 1),
				  lw_one(lw, in_domain(lw, domain, "user-profile"))));
	static const char *const dom[] = { "sagemaker:DescribeDomain" };
	cv_push(a, sts, lw_statement(lw, "ThisDomain", "Allow", lw_strs(lw, dom, 1), lw_one(lw, cv_getatt(a, domain, "DomainArn"))));
	/* "Open in VS Code" from Studio starts the session with this role. */
	bool remote = false;
	for (size_t i = 0; i < st->spaces.n; i++)
		remote |= ((const struct m_space *)st->spaces.items[i])->remote_access;
	if (remote) {
		static const char *const session[] = { "sagemaker:StartSession" };
		cv_push(a, sts, lw_when(lw, lw_statement(lw, "OwnSpacesFromLocalIde", "Allow", lw_strs(lw, session, 1),
						   lw_one(lw, in_domain(lw, domain, "space"))),
				     "ArnLike", "sagemaker:ResourceTag/sagemaker:user-profile-arn", own));
	}
	static const char *const list[] = { "sagemaker:ListApps", "sagemaker:ListSpaces",
					    "sagemaker:ListUserProfiles", "sagemaker:ListDomains",
					    "sagemaker:ListTags" };
	cv_push(a, sts, lw_statement(lw, "ListingHasNoResourceScope", "Allow", lw_strs(lw, list, 5),
				  lw_one(lw, cv_str(a, "*"))));
	struct cv *doc = lw_policy_doc(lw, sts);
	cv_set(a, r->props, "PolicyDocument", doc);
	lw_suppress_wildcards(lw, r, doc, st->span);
}

static void lower_studio(struct lowerer *lw, const void *obj)
{
	const struct m_studio *st = obj;
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, st->name);
	const struct netl *nl = st->net ? lw_net(lw, st->net) : NULL;
	struct cv *key_statements = cv_arr(a);
	if (st->kms)
		domain_key_statements(lw, key_statements, st->kms);
	const char *role = grants_role(lw, logical_id(lw, "%sExecutionRole", stem),
				       arena_printf(a, "studio %s", st->name), &st->grants,
				       "/aws/sagemaker/studio", st->docker, key_statements, st->span);
	const char *sg = nl && st->own_sg ? lower_studio_sg(lw, st, nl) : NULL;
	const char *lcc[2] = { NULL, NULL };
	for (int app = 0; app < 2; app++)
		if (st->apps[app].on_start)
			lcc[app] = studio_lcc(lw, st, (enum m_app)app);

	const char *id = logical_id(lw, "%sDomain", stem);
	lw_map_id(lw, st, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::Domain");
	for (size_t i = 0; nl && st->vpc_only && i < nl->endpoint_ids.n; i++)
		cfn_depends(lw->t, r, nl->endpoint_ids.items[i]);
	/* Apps start as the execution role: its policy attached first. */
	cfn_depends(lw->t, r, cfn_id_of(lw->t, &st->grants, "policy"));
	cv_set(a, r->props, "DomainName", cv_str(a, st->domain_name));
	cv_set(a, r->props, "AuthMode", cv_str(a, st->sso ? "SSO" : "IAM"));
	cv_set(a, r->props, "AppNetworkAccessType", cv_str(a, st->vpc_only ? "VpcOnly" : "PublicInternetOnly"));
	if (nl) {
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		struct cv *subnets = cv_arr(a);
		for (size_t i = 0; i < st->subnets.n; i++)
			cv_push(a, subnets, cv_ref(a, lw_subnet_id(lw, st->subnets.items[i])));
		cv_set(a, r->props, "SubnetIds", subnets);
	}
	if (st->kms)
		cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, st->kms));
	if (!st->efs_automount) {
		/*
		 * No home EFS: spaces keep their data on EBS, and stack deletes do
		 * not fail on the EFS SageMaker leaves behind with its network
		 * interfaces and security groups (cloudformation-coverage-roadmap#1085).
		 */
		cv_set(a, r->props, "HomeEfsFileSystemCreation", cv_str(a, "Disabled"));
		cfn_suppress(lw->t, r, "cfn-lint", "E3002",
			     "HomeEfsFileSystemCreation is in the official AWS::SageMaker::Domain "
			     "schema; cfn-lint 1.51's bundled schema predates it");
	}
	struct cv *user = cv_obj(a);
	cv_set(a, user, "ExecutionRole", cv_getatt(a, role, "Arn"));
	if (nl)
		cv_set(a, user, "SecurityGroups", domain_sgs(lw, st, sg));
	cv_set(a, user, "AutoMountHomeEFS", cv_str(a, st->efs_automount ? "Enabled" : "Disabled"));
	cv_set(a, user, "SpaceStorageSettings", storage_settings(lw, st));
	struct cv *ce = app_settings(lw, st, APP_CODE_EDITOR, lcc[APP_CODE_EDITOR]);
	struct cv *jl = app_settings(lw, st, APP_JUPYTERLAB, lcc[APP_JUPYTERLAB]);
	if (ce->u.items.n)
		cv_set(a, user, "CodeEditorAppSettings", ce);
	if (jl->u.items.n)
		cv_set(a, user, "JupyterLabAppSettings", jl);
	cv_set(a, user, "StudioWebPortal", cv_str(a, "ENABLED"));
	cv_set(a, user, "DefaultLandingUri", cv_str(a, "studio::"));
	cv_set(a, r->props, "DefaultUserSettings", user);
	struct cv *space = cv_obj(a);
	cv_set(a, space, "ExecutionRole", cv_getatt(a, role, "Arn"));
	if (nl)
		cv_set(a, space, "SecurityGroups", domain_sgs(lw, st, sg));
	cv_set(a, r->props, "DefaultSpaceSettings", space);
	if (st->docker) {
		struct cv *docker = cv_obj(a), *ds = cv_obj(a);
		cv_set(a, docker, "EnableDockerAccess", cv_str(a, "ENABLED"));
		cv_set(a, ds, "DockerSettings", docker);
		cv_set(a, r->props, "DomainSettings", ds);
	}
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, st->name)));
	studio_apps_policy(lw, st, id, role);
	lw_output(lw, logical_id(lw, "%sStudioUrl", stem), arena_printf(a, "URL of studio %s", st->name),
		  cv_getatt(a, id, "Url"));
	lw_output(lw, logical_id(lw, "%sDomainId", stem), arena_printf(a, "domain ID of studio %s", st->name),
		  cv_getatt(a, id, "DomainId"));
	lower_spaces(lw, st, id);
}


static const struct block_schema *const schemas[] = {
	&studio_schema,
	&code_editor_schema,
	&jupyterlab_schema,
	&user_schema,
	&space_schema,
	&grants_allow_schema,
};

const struct kind studio_kind = {
	.name = "studio",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, studios),
	.check = check_studio,
	.names = studio_names,
	.workload = studio_workload,
	.lower = lower_studio,
	.principals = studio_principals,
};
