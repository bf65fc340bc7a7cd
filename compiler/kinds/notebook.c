/*
 * notebook.c - the `notebook` resource kind: a SageMaker notebook instance
 * with its execution role, security group and lifecycle configuration.
 *
 * Its schema (with `allow`, grants.h), its checks, the endpoints it needs
 * and the facts of its ways out (reach.c proves them), its role's IAM
 * needs (iam.c lists them), and its lowering.
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
#include "steps.h"

static const struct attr_schema notebook_attrs[] = {
	{ "instance", VT_INSTANCE, true, NULL, NULL,
	  "notebook instance type, or `param.x`" },
	{ "volume", VT_SIZE, false, NULL, NULL, "ML storage volume, 5 GB to 16384 GB (default 5 GB)" },
	{ "subnet", VT_REF, false, NULL, "subnet", "subnet the instance's interface lives in" },
	{ "security_groups", VT_REFS, false, NULL, "security_group",
	  "security groups (default: one made for the notebook, HTTPS to the VPC only)" },
	{ "root_access", VT_BOOL, false, NULL, NULL, "root for notebook users (default false)" },
	{ "direct_internet", VT_BOOL, false, NULL, NULL,
	  "SageMaker-provided internet (default: on only without a subnet)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "ML storage volume encryption" },
	{ "platform", VT_STRING, false, NULL, NULL,
	  "platform identifier (default \"notebook-al2-v3\")" },
	{ "uses", VT_REFS, false, NULL, "bucket|ecr_repository|secret|repository|kms_key",
	  "resources it reads and writes; each grants exactly that access" },
	{ "managed_policies", VT_STRINGS, false, NULL, NULL,
	  "AWS managed policy names to attach to its role" },
	{ "on_create", VT_SCRIPT, false, NULL, NULL, "lifecycle steps run once, when created" },
	{ "on_start", VT_SCRIPT, false, NULL, NULL, "lifecycle steps run on every start" },
	{ "runs", VT_WORDS, false, run_words, NULL,
	  "what its code launches or calls in SageMaker: jobs, Feature Store, ... (runs.h)" },
};

static const struct block_schema notebook_schema = {
	"notebook", "environment", true, SCHEMA_ATTRS(notebook_attrs),
	"a SageMaker notebook instance with its role and lifecycle config"
};

/*
 * A notebook instance without internet access talks to SageMaker and S3
 * through the VPC's endpoints.
 */
static const struct feature_needs running = {
	"a notebook instance without internet access",
	{ "sagemaker.api", "sagemaker.runtime", "s3" },
	{ "notebook", "sts", "logs", "monitoring", "ecr.api", "ecr.dkr" },
	"CreateNotebookInstance DirectInternetAccess; SageMaker Developer Guide, "
	"appendix-notebook-and-internet-access",
	{ { 0 } },
	NULL,
};

/* ---- checks --------------------------------------------------------------------- */

/*
 * The group sgc makes for a notebook without `security_groups`, in the
 * model so that the path proof judges what is emitted: HTTPS to the VPC
 * (its interface endpoints), plus the S3 prefix list when the network has
 * the S3 gateway endpoint; in a public network, HTTPS anywhere. In a
 * restricted network it does not reach the internet: there only the
 * user's own egress rules do. Never an ingress rule.
 */
static struct m_sg *notebook_sg(struct checker *ck, const struct m_notebook *nb)
{
	struct m_network *net = nb->subnet->net;
	struct m_sg *sg = m_sg_generated(ck->arena, net, nb->name,
					 NULL, arena_printf(ck->arena, "notebook %s: HTTPS out only", nb->name),
					 nb->span);
	if (net->isolation == ISO_PUBLIC) {
		m_sg_rule(ck->arena, sg, true, 443, 443, PEER_CIDR, "HTTPS");
		return sg;
	}
	struct m_rule *r = m_sg_rule(ck->arena, sg, true, 443, 443, PEER_CIDR, "HTTPS to the VPC endpoints");
	r->cidr = net->cidr;
	const struct ep_service *s3 = ep_find("s3");
	if (net->has_endpoint && net->has_endpoint[ep_index(s3)]) {
		r = m_sg_rule(ck->arena, sg, true, 443, 443, PEER_PREFIX_LIST,
			      "HTTPS to S3 through the gateway endpoint");
		r->prefix_list = s3;
		ck_prefix_list(ck, s3, nb->span);
	}
	if (net->firewall) {
		r = m_sg_rule(ck->arena, sg, true, 443, 443, PEER_CIDR,
			      arena_printf(ck->arena, "HTTPS to the domains firewall %s allows", net->firewall->name));
		r->cidr = (struct cidr){ 0, 0 };
	}
	return sg;
}

enum { NB_INSTANCE, NB_VOLUME, NB_SUBNET, NB_SGS, NB_ROOT, NB_DIRECT, NB_KMS,
       NB_PLATFORM, NB_USES, NB_MANAGED, NB_ON_CREATE, NB_ON_START, NB_RUNS };

static void check_notebook(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, ck_schema(ck, "notebook"), &sl);
	const struct scope *sc = b->scope;
	struct m_notebook *nb = arena_alloc(ck->arena, sizeof *nb);
	nb->name = b->name;
	nb->span = b->name_span;
	if (!sagemaker_name_ok(aws_name(ck, b->name)))
		bad_name(ck, b->name_span, "notebook", b->name, sagemaker_rule, false, false);
	/* Its lifecycle configuration is named `<env>[-<stage>]-<notebook>`. */
	const char *lc_name = arena_printf(ck->arena, "%s-%s", aws_name(ck, ck->env->stem),
					   aws_name(ck, b->name));
	if (sl.at[NB_ON_START] || sl.at[NB_ON_CREATE]) {
		nb->config_name = lc_name;
		if (!sagemaker_name_ok(lc_name))
			bad_name(ck, b->name_span, "notebook lifecycle configuration", lc_name,
				 sagemaker_rule, false, true);
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
	nb->sgs_span = sl.at[NB_SGS] ? sl.at[NB_SGS]->value->span : (struct span){ UINT32_MAX, 0, 0 };
	if (nb->subnet && nb->sgs.n == 0)
		nb->own_sg = notebook_sg(ck, nb);
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
	runs_get(ck, sl.at[NB_RUNS], &nb->runs);
	ck_register(ck, b, nb);
	ptrvec_push(ck->arena, &ck->env->notebooks, nb);
}

/* Its lifecycle configurations, and the scripts written to lifecycle/. */
static void notebook_names(struct checker *ck, struct physical *ph)
{
	struct strmap configs = { 0 };
	for (size_t i = 0; i < ck->env->notebooks.n; i++) {
		const struct m_notebook *nb = ck->env->notebooks.items[i];
		unique_name(ck, ph, &configs, "notebook lifecycle configuration name", nb->config_name,
			    nb->span, rename_block_help);
		const struct m_script *scripts[] = { nb->on_create, nb->on_start };
		for (int k = 0; k < 2; k++)
			if (scripts[k])
				unique_name(ck, ph, &ph->files, "file",
					    arena_printf(ck->arena, "lifecycle/%s", scripts[k]->file_name),
					    nb->span, rename_block_help);
	}
}

/* ---- reach: its facts, and its own rules --------------------------------------- */

static void notebook_workload(struct checker *ck, const void *obj, struct kind_workload *w)
{
	const struct m_notebook *nb = obj;
	const struct m_network *net = nb->subnet ? nb->subnet->net : NULL;
	w->what = arena_printf(ck->arena, "notebook `%s`", nb->name);
	w->at = nb->span;
	w->grants = &nb->grants;
	ck_fit_instance(ck, &nb->instance, INST_NOTEBOOK, w->what);
	if (nb->root_access) {
		struct diag *d = diag_add(ck->diags, DIAG_W0701, nb->root_span,
					  "notebook `%s` gives its users root", nb->name);
		diag_note(ck->diags, d, "root can change the lifecycle configuration's settings and read other users' files");
		diag_help(ck->diags, d, "remove `root_access = true` unless the team needs it");
	}
	grants_lint(ck, &nb->grants);
	if (!net) {
		if (nb->direct_internet) {
			struct diag *d = diag_add(ck->diags, DIAG_W0606, nb->span,
						  "notebook `%s` can reach the internet", nb->name);
			diag_note(ck->diags, d, "it has no subnet, so it uses SageMaker's own network with direct internet access");
			diag_about(ck->diags, d, nb->direct_span);
		}
		return;
	}
	/*
	 * SageMaker gives a notebook's interface no public address, so only a
	 * private subnet routed to a NAT gateway (restricted) reaches the
	 * internet through the VPC; a public subnet's gateway route does not.
	 * AWS's addresses are no fixed range: through the NAT gateway the
	 * notebook reaches AWS only if its groups send HTTPS anywhere, which a
	 * restricted network refuses (E0605); its generated group never does.
	 * So it reaches AWS through endpoints. Behind a firewall (firewall.c)
	 * HTTPS anywhere reaches only the domains the firewall allows.
	 */
	struct ptrvec *sgs = arena_alloc(ck->arena, sizeof *sgs);
	if (nb->own_sg)
		ptrvec_push(ck->arena, sgs, nb->own_sg);
	for (size_t i = 0; i < nb->sgs.n; i++)
		ptrvec_push(ck->arena, sgs, nb->sgs.items[i]);
	bool via_nat = net->isolation == ISO_RESTRICTED && !nb->subnet->public;
	w->net = net;
	w->no_internet = !nb->direct_internet && !(via_nat && !net->firewall && m_sgs_https_anywhere(sgs));
	w->nat_closed = !nb->direct_internet && via_nat && w->no_internet;
	struct ptrvec *subnets = arena_alloc(ck->arena, sizeof *subnets);
	ptrvec_push(ck->arena, subnets, nb->subnet);
	struct kind_path *p = arena_alloc(ck->arena, sizeof *p);
	*p = (struct kind_path){ w->what, sgs, subnets, nb->span,
				 nb->sgs.n ? nb->sgs_span : (struct span){ UINT32_MAX, 0, 0 } };
	ptrvec_push(ck->arena, &w->paths, p);
	struct kind_need *n = arena_alloc(ck->arena, sizeof *n);
	*n = (struct kind_need){ &running, nb->span, w->what };
	ptrvec_push(ck->arena, &w->needs, n);
	for (size_t i = 0; i < nb->runs.n; i++) {
		const struct m_run *r = nb->runs.items[i];
		n = arena_alloc(ck->arena, sizeof *n);
		*n = (struct kind_need){ &r->feature->needs, r->span,
					 arena_printf(ck->arena, "%s, which %s,", w->what, r->feature->doing) };
		ptrvec_push(ck->arena, &w->needs, n);
	}
	const struct m_script *scripts[] = { nb->on_create, nb->on_start };
	for (int i = 0; i < 2; i++)
		if (scripts[i])
			ptrvec_push(ck->arena, &w->scripts, (void *)scripts[i]);
	w->sgs = sgs;
	w->own_internet = nb->direct_internet;
	w->own_at = nb->direct_span;
	w->own_path = arena_printf(ck->arena, "notebook `%s` -> SageMaker-managed network with internet "
				   "(DirectInternetAccess Enabled)", nb->name);
	/* In an isolated network that is an error already (E0603). */
	if (nb->direct_internet && net->isolation != ISO_ISOLATED)
		w->internet_note = "direct internet access is on: SageMaker's network, not the VPC's";
}

/* ---- IAM: its execution role ------------------------------------------------------ */

static const struct iam_row idle_stop_rows[] = {
	{ "sagemaker:StopNotebookInstance", "{notebook_arn}", NULL, IAM_BY_SCRIPT, IAM_SRC_SAR_SM },
};

/* idle_stop stops its own notebook, never another. */
static const struct iam_row idle_stop_refused_rows[] = {
	{ "sagemaker:StopNotebookInstance", IAM_ARN("sagemaker") "notebook-instance/another-notebook", NULL,
	  IAM_BY_SCRIPT, IAM_SRC_SAR_SM },
};


static void notebook_principals(struct iam_facts *f, const void *obj)
{
	const struct m_notebook *nb = obj;
	const char *role = cfn_id_of(f->t, &nb->grants, "role");
	struct iam_principal *p = iam_principal(f, role, "execution-role",
						arena_printf(f->a, "notebook %s", nb->name));
	iam_script(f, p, nb->on_create);
	iam_script(f, p, nb->on_start);
	p->managed = nb->grants.managed;
	p->log_group = "/aws/sagemaker/NotebookInstances";
	p->log_span = nb->span;
	p->grants = &nb->grants;
	if (!nb->grants.stop_notebook)
		return;
	struct iam_fills fills = { 0 };
	iam_fill(&fills, "notebook_arn", iam_att(f, nb, NULL));
	struct span at = nb->span;
	for (size_t i = 0; i < nb->grants.uses.n; i++) {
		const struct m_use *u = nb->grants.uses.items[i];
		if (strcmp(u->what, "idle_stop") == 0)
			at = u->span;
	}
	iam_need(f, p, "idle_stop", IAM_ROWS(idle_stop_rows), &fills, at);
	iam_refuse(f, p, "idle_stop", IAM_ROWS(idle_stop_refused_rows), &fills, at,
		   "idle_stop may stop only its own notebook");
}

/* ---- lowering ------------------------------------------------------------------------ */

/*
 * idle_stop stops the instance it runs on, and only that one. Its ARN
 * (the notebook's Ref) names the role's own user, so the statement lives
 * in a policy attached after the instance exists: the role cannot wait
 * for it. Stopping is needed only after minutes of idleness, never while
 * the instance is being created.
 */
static void idle_stop_policy(struct lowerer *lw, const struct m_notebook *nb,
			     const char *notebook, const char *role)
{
	struct arena *a = lw->a;
	struct cfn_resource *r = cfn_add(lw->t, logical_id(lw, "%sNotebookIdleStopPolicy",
							 lw_pascal(lw, nb->name)),
					 "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Description", cv_strf(a, "notebook %s: idle_stop may stop this instance only",
						  nb->name));
	cv_set(a, r->props, "Roles", lw_one(lw, cv_ref(a, role)));
	static const char *const stop[] = { "sagemaker:StopNotebookInstance" };
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, lw_one(lw,
		lw_statement(lw, "StopThisNotebookWhenIdle", "Allow", lw_strs(lw, stop, 1),
			  lw_one(lw, cv_ref(a, notebook))))));
}

static void lower_notebook(struct lowerer *lw, const void *obj)
{
	const struct m_notebook *nb = obj;
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, nb->name);
	const struct netl *nl = nb->subnet ? lw_net(lw, nb->subnet->net) : NULL;
	const char *role = grants_role(lw, logical_id(lw, "%sNotebookRole", stem),
				       arena_printf(a, "notebook %s", nb->name), &nb->grants,
				       "/aws/sagemaker/NotebookInstances", false, NULL, nb->span);
	const char *lc = NULL;
	if (nb->on_create || nb->on_start) {
		lc = logical_id(lw, "%sNotebookLifecycleConfig", stem);
		struct cfn_resource *r = cfn_add(lw->t, lc, "AWS::SageMaker::NotebookInstanceLifecycleConfig");
		cv_set(a, r->props, "NotebookInstanceLifecycleConfigName", cv_str(a, nb->config_name));
		struct cv *hook;
		if (nb->on_create) {
			hook = cv_obj(a);
			cv_set(a, hook, "Content", lw_script(lw, nb->on_create));
			cv_set(a, r->props, "OnCreate", lw_one(lw, hook));
		}
		if (nb->on_start) {
			hook = cv_obj(a);
			cv_set(a, hook, "Content", lw_script(lw, nb->on_start));
			cv_set(a, r->props, "OnStart", lw_one(lw, hook));
		}
	}
	struct cv *sgs = cv_arr(a);
	if (nl && nb->own_sg) {
		const char *sg = logical_id(lw, "%sNotebookSecurityGroup", stem);
		lw_security_group(lw, nb->own_sg, sg, nl->vpc, cv_str(a, nb->own_sg->description),
				  lw_env_name(lw, nb->name));
		cv_push(a, sgs, cv_getatt(a, sg, "GroupId"));
	}
	for (size_t i = 0; i < nb->sgs.n; i++) {
		const struct m_sg *sg = nb->sgs.items[i];
		cv_push(a, sgs, cv_getatt(a, lw_sg_id(lw, sg), "GroupId"));
	}
	const char *id = logical_id(lw, "%sNotebook", stem);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::NotebookInstance");
	/* Lifecycle steps reach AWS through the endpoints: create those first. */
	for (size_t i = 0; nl && i < nl->endpoint_ids.n; i++)
		cfn_depends(lw->t, r, nl->endpoint_ids.items[i]);
	/* And call AWS as the role: its policy must be attached before they run. */
	cfn_depends(lw->t, r, cfn_id_of(lw->t, &nb->grants, "policy"));
	cv_set(a, r->props, "InstanceType", lw_value(lw, &nb->instance));
	cv_set(a, r->props, "RoleArn", cv_getatt(a, role, "Arn"));
	if (nb->subnet) {
		cv_set(a, r->props, "SubnetId", cv_ref(a, lw_subnet_id(lw, nb->subnet)));
		cv_set(a, r->props, "SecurityGroupIds", sgs);
	}
	cv_set(a, r->props, "DirectInternetAccess", cv_str(a, nb->direct_internet ? "Enabled" : "Disabled"));
	cv_set(a, r->props, "RootAccess", cv_str(a, nb->root_access ? "Enabled" : "Disabled"));
	cv_set(a, r->props, "VolumeSizeInGB", cv_int(a, nb->volume_gb));
	if (nb->kms)
		cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, nb->kms));
	cv_set(a, r->props, "PlatformIdentifier", cv_str(a, nb->platform));
	if (lc)
		cv_set(a, r->props, "LifecycleConfigName",
		       cv_getatt(a, lc, "NotebookInstanceLifecycleConfigName"));
	struct cv *imds = cv_obj(a);
	cv_set(a, imds, "MinimumInstanceMetadataServiceVersion", cv_str(a, "2"));
	cv_set(a, r->props, "InstanceMetadataServiceConfiguration", imds);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, nb->name)));
	lw_map_id(lw, nb, id);
	if (nb->grants.stop_notebook)
		idle_stop_policy(lw, nb, id, role);
	lw_output(lw, logical_id(lw, "%sNotebookUrl", stem),
		  arena_printf(a, "console page of notebook %s", nb->name),
		  cv_sub(a, arena_printf(a,
			  "https://${AWS::Region}.console.aws.amazon.com/sagemaker/home?region=${AWS::Region}#/notebook-instances/${%s.NotebookInstanceName}",
			  id)));
}


static const struct block_schema *const schemas[] = {
	&notebook_schema,
	&grants_allow_schema,
};

static struct m_kms **notebook_default_key(void *obj)
{
	return &((struct m_notebook *)obj)->kms;
}

const struct kind notebook_kind = {
	.name = "notebook",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, notebooks),
	.check = check_notebook,
	.names = notebook_names,
	.workload = notebook_workload,
	.lower = lower_notebook,
	.principals = notebook_principals,
	.default_key = notebook_default_key,
};
