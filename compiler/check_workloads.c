/*
 * check_workloads.c - the checker's rules for everything in an environment
 * beyond its networks: KMS keys, CodeArtifact, buckets, ECR repositories,
 * secrets, notebook instances and Studio domains, their lifecycle scripts,
 * and the grants their execution roles derive from what they use.
 *
 * Names are checked against the patterns in the CloudFormation schemas
 * (shared/cfn-schemas/); limits come from shared/reference/cloudformation.md.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check_impl.h"
#include "diag.h"
#include "steps.h"
#include "names.h"
#include "grants.h"
#include "lifecycle.h"
#include "suggest.h"

/* ---- notebooks ---------------------------------------------------------------- */

enum { NB_INSTANCE, NB_VOLUME, NB_SUBNET, NB_SGS, NB_ROOT, NB_DIRECT, NB_KMS,
       NB_PLATFORM, NB_USES, NB_MANAGED, NB_ON_CREATE, NB_ON_START };

static void check_notebook(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, ck_schema(ck, "notebook"), &sl);
	const struct scope *sc = b->scope;
	struct m_notebook *nb = arena_alloc(ck->arena, sizeof *nb);
	nb->name = b->name;
	nb->span = b->name_span;
	if (!sagemaker_name_ok(aws_name(ck, b->name)))
		bad_name(ck, b->name_span, "notebook", b->name, sagemaker_rule, false);
	/* Its lifecycle configuration is named `<env>-<notebook>`. */
	const char *lc_name = arena_printf(ck->arena, "%s-%s", aws_name(ck, ck->env->name),
					   aws_name(ck, b->name));
	if (sl.at[NB_ON_START] || sl.at[NB_ON_CREATE]) {
		nb->config_name = lc_name;
		if (!sagemaker_name_ok(lc_name))
			bad_name(ck, b->name_span, "notebook lifecycle configuration", lc_name,
				 sagemaker_rule, false);
	}
	nb->instance = ck_get_instance(ck, sc, sl.at[NB_INSTANCE]);
	nb->volume_gb = ck_get_gb(ck, sc, sl.at[NB_VOLUME], 5, 5, 16384);
	const struct ast_item *sb = sl.at[NB_SUBNET] ? ck_ref_block(ck, sc, sl.at[NB_SUBNET]->value, "subnet") : NULL;
	nb->subnet = sb ? ck_object(ck, sb) : NULL;
	struct ptrvec sgs = { 0 };
	ck_ref_blocks(ck, sc, sl.at[NB_SGS], "security_group", &sgs);
	for (size_t i = 0; i < sgs.n; i++) {
		struct m_sg *sg = ck_object(ck, sgs.items[i]);
		if (!sg)
			continue;
		if (!nb->subnet || sg->net != nb->subnet->net) {
			struct diag *d = diag_add(ck->diags, DIAG_E0511, sl.at[NB_SGS]->value->span,
						  "security group `%s` is not in the notebook's network",
						  sg->name);
			diag_secondary(ck->diags, d, sg->span, "declared in network `%s`", sg->net->name);
			continue;
		}
		ptrvec_push(ck->arena, &nb->sgs, sg);
		struct span *at = arena_alloc(ck->arena, sizeof *at);
		*at = sl.at[NB_SGS]->value->span;
		ptrvec_push(ck->arena, &nb->sg_spans, at);
	}
	nb->root_access = ck_get_bool(ck, sc, sl.at[NB_ROOT], false);
	if (sl.at[NB_ROOT])
		nb->root_span = sl.at[NB_ROOT]->span;
	if (sl.at[NB_DIRECT])
		nb->direct_span = sl.at[NB_DIRECT]->span;
	bool private_net = nb->subnet && nb->subnet->net->isolation != ISO_PUBLIC;
	nb->direct_internet = ck_get_bool(ck, sc, sl.at[NB_DIRECT], !private_net && !nb->subnet);
	/* DirectInternetAccess Disabled is accepted only with a SubnetId. */
	if (!nb->direct_internet && !nb->subnet && !sl.at[NB_SUBNET]) {
		struct diag *d = diag_add(ck->diags, DIAG_E0510,
					  sl.at[NB_DIRECT] ? sl.at[NB_DIRECT]->span : b->name_span,
					  "notebook `%s` has direct internet access off but no subnet",
					  nb->name);
		diag_help(ck->diags, d, "add `subnet = <network>.<subnet>`");
	}
	nb->kms = ck_ref_obj(ck, sc, sl.at[NB_KMS], "kms_key");
	nb->platform = sl.at[NB_PLATFORM] ? ck_get_string(ck, sc, sl.at[NB_PLATFORM]) : NULL;
	if (!nb->platform)
		nb->platform = "notebook-al2-v3";
	grants_uses(ck, sc, sl.at[NB_USES], ck_schema(ck, "notebook")->attrs[NB_USES].ref_kind, &nb->grants);
	grants_managed(ck, sc, sl.at[NB_MANAGED], &nb->grants);
	grants_allows(ck, b, &nb->grants);
	const char *stem = aws_name(ck, b->name);
	nb->on_create = steps_script(ck, sc, sl.at[NB_ON_CREATE], LC_NOTEBOOK, "a notebook instance",
				     arena_printf(ck->arena, "%s-on-create.sh", stem),
				     arena_printf(ck->arena, "notebook %s, on create", b->name));
	nb->on_start = steps_script(ck, sc, sl.at[NB_ON_START], LC_NOTEBOOK, "a notebook instance",
				    arena_printf(ck->arena, "%s-on-start.sh", stem),
				    arena_printf(ck->arena, "notebook %s, on start", b->name));
	grants_script(ck, &nb->grants, nb->on_create);
	grants_script(ck, &nb->grants, nb->on_start);
	ck_register(ck, b, nb);
	ptrvec_push(ck->arena, &ck->env->notebooks, nb);
}

/* ---- Studio ------------------------------------------------------------------ */

enum { ST_SUBNETS, ST_AUTH, ST_ACCESS, ST_DOCKER, ST_EFS, ST_EBS_DEFAULT, ST_EBS_MAX,
       ST_IDLE, ST_KMS, ST_USES, ST_MANAGED };

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
 * the replacement would collide with the old name. `<env>-<studio>-<app>`
 * is cut to 54 characters so that the name stays within 63.
 */
static const char *studio_config_name(struct checker *ck, const struct ast_item *studio,
				      const char *app_name, const struct m_script *s)
{
	const char *base = arena_printf(ck->arena, "%s-%s-%s", ck->env->name, studio->name, app_name);
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
		ck_register(ck, ub, u);
		ptrvec_push(ck->arena, &st->users, u);
	}
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
	/* The domain is named `<env>-<studio>`. */
	const char *domain_name = arena_printf(ck->arena, "%s-%s", aws_name(ck, ck->env->name),
					       aws_name(ck, b->name));
	st->domain_name = domain_name;
	if (!sagemaker_name_ok(domain_name))
		bad_name(ck, b->name_span, "Studio domain", domain_name, sagemaker_rule, false);
	check_studio_subnets(ck, b, &sl, st);
	if (sl.at[ST_SUBNETS])
		st->subnets_span = sl.at[ST_SUBNETS]->value->span;
	st->access_span = sl.at[ST_ACCESS] ? sl.at[ST_ACCESS]->span : b->name_span;
	const char *auth = sl.at[ST_AUTH] ? ck_get_word(ck, sl.at[ST_AUTH], schema->attrs[ST_AUTH].choices) : "iam";
	st->sso = auth && strcmp(auth, "sso") == 0;
	const char *access = sl.at[ST_ACCESS] ? ck_get_word(ck, sl.at[ST_ACCESS], schema->attrs[ST_ACCESS].choices) : NULL;
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
	check_apps(ck, b, st);
	check_users(ck, b, st);
	check_spaces(ck, b, st);
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

/* Lifecycle configurations, and the scripts written to lifecycle/. */
static void unique_lifecycle(struct checker *ck, struct physical *ph)
{
	struct strmap configs = { 0 }, files = { 0 }, studio_configs = { 0 };
	for (size_t i = 0; i < ck->env->notebooks.n; i++) {
		const struct m_notebook *nb = ck->env->notebooks.items[i];
		unique_name(ck, ph, &configs, "notebook lifecycle configuration name", nb->config_name,
			    nb->span, rename_block_help);
		const struct m_script *scripts[] = { nb->on_create, nb->on_start };
		for (int k = 0; k < 2; k++)
			if (scripts[k])
				unique_name(ck, ph, &files, "file",
					    arena_printf(ck->arena, "lifecycle/%s", scripts[k]->file_name),
					    nb->span, rename_block_help);
	}
	for (size_t i = 0; i < ck->env->studios.n; i++) {
		const struct m_studio *st = ck->env->studios.items[i];
		for (int app = 0; app < 2; app++) {
			const struct m_script *s = st->apps[app].on_start;
			if (!s)
				continue;
			unique_name(ck, ph, &files, "file",
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

void check_physical_names(struct checker *ck, struct physical *ph)
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

/* The kinds not yet in compiler/kinds/: a block of one of them. */
void ck_legacy(struct checker *ck, const char *kind, const struct ast_item *b)
{
	static const struct {
		const char *kind;
		void (*check)(struct checker *, const struct ast_item *);
	} legacy[] = {
		{ "notebook", check_notebook },
		{ "studio", check_studio },
	};
	for (size_t k = 0; k < sizeof legacy / sizeof legacy[0]; k++)
		if (strcmp(legacy[k].kind, kind) == 0)
			legacy[k].check(ck, b);
}
