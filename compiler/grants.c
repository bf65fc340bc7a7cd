/*
 * grants.c - what an execution role is granted, for notebooks and studios
 * alike (see grants.h): checked from `uses`, `managed_policies`, `allow`
 * blocks and the steps of lifecycle scripts, then lowered to the role.
 */
#include "grants.h"

#include <string.h>

#include "diag.h"
#include "names.h"

/* ---- checking ---------------------------------------------------------------- */

static const struct attr_schema allow_attrs[] = {
	{ "actions", VT_STRINGS, true, NULL, NULL, "IAM actions, `service:Action`" },
	{ "resources", VT_STRINGS, true, NULL, NULL, "resource ARNs (may use ${AWS::Region} etc.)" },
};

const struct block_schema grants_allow_schema = {
	"allow", "notebook|studio", false, SCHEMA_ATTRS(allow_attrs),
	"an explicit IAM statement added to the execution role"
};

struct m_use *grants_new_use(struct checker *ck, const char *what, const void *obj,
			     const char *kind, struct span span)
{
	struct m_use *u = arena_alloc(ck->arena, sizeof *u);
	u->what = what;
	u->obj = obj;
	u->kind = kind;
	u->span = span;
	return u;
}

static void grants_use(struct checker *ck, struct m_grants *g, const struct ast_item *b,
		       struct span at)
{
	void *obj = ck_object(ck, b);
	if (!obj)
		return;
	const char *k = b->block_kind;
	ptrvec_push(ck->arena, &g->uses, grants_new_use(ck, "uses", obj, k, at));
	ptrvec_add_unique(ck->arena, strcmp(k, "bucket") == 0 ? &g->buckets
		       : strcmp(k, "ecr_repository") == 0 ? &g->ecrs
		       : strcmp(k, "secret") == 0 ? &g->secrets
		       : strcmp(k, "repository") == 0 ? &g->repos : &g->kms, obj);
}

/* What a script's steps call: repositories it installs from, StopNotebookInstance. */
void grants_script(struct checker *ck, struct m_grants *g, const struct m_script *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->repos.n; k++)
		ptrvec_add_unique(ck->arena, &g->repos, s->repos.items[k]);
	for (size_t k = 0; k < s->uses.n; k++)
		ptrvec_push(ck->arena, &g->uses, s->uses.items[k]);
	g->stop_notebook |= s->stops_notebook;
}

/* Each element of `uses = [...]`, granted with the span that asked for it. */
void grants_uses(struct checker *ck, const struct scope *sc, const struct ast_item *attr,
		 const char *kinds, struct m_grants *g)
{
	if (!attr)
		return;
	const struct ast_expr *e = attr->value;
	const struct ast_expr *one_expr = e->kind == EX_LIST ? e->u.list.head : e;
	for (const struct ast_expr *x = one_expr; x; x = e->kind == EX_LIST ? x->next : NULL) {
		const struct ast_item *b = ck_ref_block(ck, sc, x, kinds);
		if (b)
			grants_use(ck, g, b, x->span);
	}
}

/* IAM actions look like `service:Action`; `*` alone is never granted. */
static bool action_ok(const char *a)
{
	const char *colon = strchr(a, ':');
	if (!colon || colon == a || !colon[1])
		return false;
	for (const char *p = a; p < colon; p++)
		if (!is_lower_alnum(*p) && *p != '-')
			return false;
	return true;
}

void grants_allows(struct checker *ck, const struct ast_item *owner,
		   struct m_grants *g)
{
	struct ptrvec blocks = { 0 };
	ck_child_blocks(ck, owner, "allow", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *b = blocks.items[i];
		struct slots sl;
		ck_validate_attrs(ck, b, ck_schema(ck, "allow"), &sl);
		struct m_allow *al = arena_alloc(ck->arena, sizeof *al);
		al->span = b->kind_span;
		ck_get_strings(ck, b->scope, sl.at[0], &al->actions);
		ck_get_strings(ck, b->scope, sl.at[1], &al->resources);
		if (sl.at[1])
			al->resources_span = sl.at[1]->value->span;
		for (size_t k = 0; k < al->actions.n; k++) {
			const char *a = al->actions.items[k];
			if (action_ok(a))
				continue;
			struct diag *d = diag_add(ck->diags, DIAG_E0210, sl.at[0]->value->span,
						  "`%s` is not an IAM action sgc will grant", a);
			diag_note(ck->diags, d, "actions are `service:Action`; a bare `*` would grant everything");
			diag_help(ck->diags, d, "name the actions, e.g. `\"s3:GetObject\"`");
		}
		if (sl.at[0] && sl.at[1] && al->actions.n && al->resources.n)
			ptrvec_push(ck->arena, &g->allows, al);
	}
}

void grants_managed(struct checker *ck, const struct scope *sc,
		    const struct ast_item *attr, struct m_grants *g)
{
	ck_get_strings(ck, sc, attr, &g->managed);
	for (size_t i = 0; i < g->managed.n; i++) {
		const char *name = g->managed.items[i];
		bool ok = *name != '\0';
		for (const char *p = name; *p; p++)
			if (!is_alnum(*p) && !strchr("+=,.@_-/", *p))
				ok = false;
		if (!ok || name[0] == '/' || strstr(name, "arn:")) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, attr->value->span,
						  "`%s` is not an AWS managed policy name", name);
			diag_help(ck->diags, d, "write the name only, e.g. `\"AmazonSageMakerFullAccess\"`");
		}
	}
}

void grants_lint(struct checker *ck, const struct m_grants *g)
{
	for (size_t i = 0; i < g->allows.n; i++) {
		const struct m_allow *al = g->allows.items[i];
		for (size_t k = 0; k < al->resources.n; k++) {
			if (strcmp(al->resources.items[k], "*") != 0)
				continue;
			struct diag *d = diag_add(ck->diags, DIAG_W0705, al->resources_span,
						  "`allow` grants its actions on every resource");
			diag_help(ck->diags, d, "name the ARNs, e.g. `\"arn:${AWS::Partition}:s3:::bucket/*\"`");
			break;
		}
	}
}

/* ---- the execution role -------------------------------------------------------- */

static struct cv *sub_arn(struct lowerer *lw, const char *text)
{
	return cv_sub(lw->a, text);
}

static void add_kms_use(struct lowerer *lw, struct ptrvec *keys, const struct m_kms *k)
{
	if (k)
		ptrvec_add_unique(lw->a, keys, (void *)k);
}

/*
 * Least privilege from declarations: each bucket, image repository,
 * secret, package repository and key the workload uses adds exactly the
 * actions that use needs, on that resource's ARN only. Statements whose
 * action cannot be scoped to a resource (ecr:GetAuthorizationToken,
 * sts:GetServiceBearerToken) say so in their Sid and carry a condition
 * where AWS offers one.
 */
static struct cv *grant_statements(struct lowerer *lw, const struct m_grants *g,
				   const char *log_group, bool push_images)
{
	struct arena *a = lw->a;
	struct cv *sts = cv_arr(a);
	/* SageMaker writes the workload's lifecycle-script output to its log group. */
	static const char *const group_actions[] = { "logs:CreateLogGroup" };
	static const char *const stream_actions[] = { "logs:CreateLogStream", "logs:PutLogEvents",
						      "logs:DescribeLogStreams" };
	const char *group = arena_printf(a, "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:%s",
					 log_group);
	cv_push(a, sts, lw_statement(lw, "SageMakerLogGroup", "Allow", lw_strs(lw, group_actions, 1),
				  lw_one(lw, sub_arn(lw, group))));
	cv_push(a, sts, lw_statement(lw, "SageMakerLogStreams", "Allow", lw_strs(lw, stream_actions, 3),
				  lw_one(lw, sub_arn(lw, arena_printf(a, "%s:*", group)))));
	struct ptrvec keys = { 0 };
	for (size_t i = 0; i < g->kms.n; i++)
		add_kms_use(lw, &keys, g->kms.items[i]);
	for (size_t i = 0; i < g->buckets.n; i++) {
		const struct m_bucket *b = g->buckets.items[i];
		const char *id = lw_id_of(lw, b);
		static const char *const obj[] = { "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
						   "s3:AbortMultipartUpload" };
		static const char *const list[] = { "s3:ListBucket", "s3:GetBucketLocation" };
		cv_push(a, sts, lw_statement(lw, arena_printf(a, "%sObjects", id), "Allow", lw_strs(lw, obj, 4),
			lw_one(lw, cv_sub(a, arena_printf(a, "${%s.Arn}/*", id)))));
		cv_push(a, sts, lw_statement(lw, arena_printf(a, "%sList", id), "Allow", lw_strs(lw, list, 2),
			lw_one(lw, cv_getatt(a, id, "Arn"))));
		add_kms_use(lw, &keys, b->kms);
	}
	if (g->ecrs.n) {
		static const char *const pull[] = { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
						    "ecr:BatchCheckLayerAvailability" };
		struct cv *res = cv_arr(a);
		for (size_t i = 0; i < g->ecrs.n; i++) {
			cv_push(a, res, lw_arn_of(lw, g->ecrs.items[i]));
			add_kms_use(lw, &keys, ((const struct m_ecr *)g->ecrs.items[i])->kms);
		}
		cv_push(a, sts, lw_statement(lw, "EcrPull", "Allow", lw_strs(lw, pull, 3), res));
		if (push_images) {
			/* Docker in Studio builds images; pushing them needs these too. */
			static const char *const push[] = { "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
							    "ecr:CompleteLayerUpload", "ecr:PutImage" };
			cv_push(a, sts, lw_statement(lw, "EcrPush", "Allow", lw_strs(lw, push, 4), res));
		}
		static const char *const auth[] = { "ecr:GetAuthorizationToken" };
		cv_push(a, sts, lw_statement(lw, "EcrLoginHasNoResourceScope", "Allow", lw_strs(lw, auth, 1),
			lw_one(lw, cv_str(a, "*"))));
	}
	if (g->secrets.n) {
		static const char *const read[] = { "secretsmanager:GetSecretValue",
						    "secretsmanager:DescribeSecret" };
		struct cv *res = cv_arr(a);
		for (size_t i = 0; i < g->secrets.n; i++) {
			cv_push(a, res, cv_ref(a, lw_id_of(lw, g->secrets.items[i])));
			add_kms_use(lw, &keys, ((const struct m_secret *)g->secrets.items[i])->kms);
		}
		cv_push(a, sts, lw_statement(lw, "SecretsRead", "Allow", lw_strs(lw, read, 2), res));
	}
	if (g->repos.n) {
		struct cv *domains = cv_arr(a), *repos = cv_arr(a);
		struct ptrvec seen = { 0 };
		for (size_t i = 0; i < g->repos.n; i++) {
			const struct m_repo *rp = g->repos.items[i];
			cv_push(a, repos, lw_arn_of(lw, rp));
			bool dup = false;
			for (size_t k = 0; k < seen.n; k++)
				dup |= seen.items[k] == rp->domain;
			if (!dup) {
				ptrvec_push(a, &seen, rp->domain);
				cv_push(a, domains, lw_arn_of(lw, rp->domain));
				add_kms_use(lw, &keys, rp->domain->kms);
			}
		}
		static const char *const token[] = { "codeartifact:GetAuthorizationToken" };
		static const char *const read[] = { "codeartifact:GetRepositoryEndpoint",
						    "codeartifact:ReadFromRepository" };
		cv_push(a, sts, lw_statement(lw, "CodeArtifactToken", "Allow", lw_strs(lw, token, 1), domains));
		cv_push(a, sts, lw_statement(lw, "CodeArtifactRead", "Allow", lw_strs(lw, read, 2), repos));
		static const char *const bearer[] = { "sts:GetServiceBearerToken" };
		struct cv *st = lw_statement(lw, "CodeArtifactBearerTokenOnly", "Allow", lw_strs(lw, bearer, 1),
					  lw_one(lw, cv_str(a, "*")));
		struct cv *eq = cv_obj(a), *cond = cv_obj(a);
		cv_set(a, eq, "sts:AWSServiceName", cv_str(a, "codeartifact.amazonaws.com"));
		cv_set(a, cond, "StringEquals", eq);
		cv_set(a, st, "Condition", cond);
		cv_push(a, sts, st);
	}
	if (keys.n) {
		static const char *const use[] = { "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey" };
		struct cv *res = cv_arr(a);
		for (size_t i = 0; i < keys.n; i++)
			cv_push(a, res, lw_arn_of(lw, keys.items[i]));
		cv_push(a, sts, lw_statement(lw, "KmsUse", "Allow", lw_strs(lw, use, 3), res));
	}
	for (size_t i = 0; i < g->allows.n; i++) {
		const struct m_allow *al = g->allows.items[i];
		struct cv *res = cv_arr(a);
		for (size_t k = 0; k < al->resources.n; k++) {
			const char *r = al->resources.items[k];
			cv_push(a, res, strstr(r, "${") ? cv_sub(a, r) : cv_str(a, r));
		}
		cv_push(a, sts, lw_statement(lw, arena_printf(a, "Declared%zu", i + 1), "Allow",
			lw_strs(lw, (const char *const *)al->actions.items, al->actions.n), res));
	}
	return sts;
}

const char *grants_role(struct lowerer *lw, const char *id, const char *what,
			const struct m_grants *g, const char *log_group, bool push_images,
			const struct cv *extra, struct span at)
{
	struct arena *a = lw->a;
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::IAM::Role");
	struct cv *principal = cv_obj(a);
	cv_set(a, principal, "Service", cv_str(a, "sagemaker.amazonaws.com"));
	struct cv *st = cv_obj(a);
	cv_set(a, st, "Effect", cv_str(a, "Allow"));
	cv_set(a, st, "Principal", principal);
	cv_set(a, st, "Action", cv_str(a, "sts:AssumeRole"));
	cv_set(a, r->props, "AssumeRolePolicyDocument", lw_policy_doc(lw, lw_one(lw, st)));
	cv_set(a, r->props, "Description", cv_strf(a, "execution role of %s, derived by sgc", what));
	if (g->managed.n) {
		struct cv *arns = cv_arr(a);
		for (size_t i = 0; i < g->managed.n; i++)
			cv_push(a, arns, cv_sub(a, arena_printf(a, "arn:${AWS::Partition}:iam::aws:policy/%s",
								(const char *)g->managed.items[i])));
		cv_set(a, r->props, "ManagedPolicyArns", arns);
	}
	cv_set(a, r->props, "Tags", lw_tags(lw, what));
	lw_map_part(lw, g, "role", id);

	const char *pid = logical_id(lw, "%sPolicy", id);
	struct cfn_resource *p = cfn_add(lw->t, pid, "AWS::IAM::ManagedPolicy");
	cv_set(a, p->props, "Roles", lw_one(lw, cv_ref(a, id)));
	struct cv *sts = grant_statements(lw, g, log_group, push_images);
	for (size_t i = 0; extra && i < extra->u.items.n; i++)
		cv_push(a, sts, extra->u.items.items[i]);
	struct cv *doc = lw_policy_doc(lw, sts);
	cv_set(a, p->props, "PolicyDocument", doc);
	lw_suppress_wildcards(lw, p, doc, at);
	lw_map_part(lw, g, "policy", pid);
	return id;
}
