/*
 * iam.c - the IAM needs table and its instantiation for one environment
 * (see iam.h).
 *
 * Each capability is a list of rows; a row is one request, written with
 * placeholders ({domain}, {repo_arn}, ...) that the capability's instance
 * fills in: names from the model, resource attributes as Fn::Sub
 * references to the logical IDs lowering gave them (cfn_id_of), so the
 * requests name exactly the resources the template creates.
 */
#include "iam.h"

#include <string.h>

#include "kinds/kinds.h"


/* Sources: AWS documentation pages, each cited by the rows that need it. */
#define SAR IAM_SAR
#define SMDG IAM_SMDG
#define SRC_SM_ROLES IAM_SRC_SM_ROLES
#define SRC_SM_DOMAIN_KMS SMDG "sagemaker-roles.html#sagemaker-roles-createdomain-perms"
#define SRC_NB_LOGS SMDG "notebook-lifecycle-config.html"
#define SRC_PRIVATE_SPACES SMDG "studio-updated-jl-admin-guide-permissions.html"
#define SRC_RA_SETUP SMDG "remote-access-remote-setup.html"
#define SRC_SAR_SM IAM_SRC_SAR_SM
#define SRC_KMS_GRANT "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource"
#define SRC_CFN SAR "list_awscloudformation.html"

#define ARN(service) IAM_ARN(service)


/* ---- the table ------------------------------------------------------------------ */

/* SageMaker writes lifecycle-script output to CloudWatch Logs as the role. */
static const struct iam_row logs_rows[] = {
	{ "logs:CreateLogGroup", ARN("logs") "log-group:{log_group}", NULL, IAM_BY_SERVICE, SRC_SM_ROLES },
	{ "logs:CreateLogStream", ARN("logs") "log-group:{log_group}:*", NULL,
	  IAM_BY_SERVICE, SRC_NB_LOGS },
	{ "logs:PutLogEvents", ARN("logs") "log-group:{log_group}:*", NULL,
	  IAM_BY_SERVICE, SRC_NB_LOGS },
	{ "logs:DescribeLogStreams", ARN("logs") "log-group:{log_group}:*", NULL,
	  IAM_BY_SERVICE, SRC_SM_ROLES },
};

/* A Studio domain's customer key, checked when anyone starts an app. */
static const struct iam_row domain_key_rows[] = {
	{ "kms:CreateGrant", "{arn}", "kms:GrantIsForAWSResource=true", IAM_BY_SERVICE,
	  SRC_SM_DOMAIN_KMS " (condition: " SRC_KMS_GRANT ")" },
	{ "kms:DescribeKey", "{arn}", NULL, IAM_BY_SERVICE, SRC_SM_DOMAIN_KMS },
};

static const struct iam_row idle_stop_rows[] = {
	{ "sagemaker:StopNotebookInstance", "{notebook_arn}", NULL, IAM_BY_SCRIPT, SRC_SAR_SM },
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

/* idle_stop stops its own notebook, never another. */
static const struct iam_row idle_stop_refused_rows[] = {
	{ "sagemaker:StopNotebookInstance", ARN("sagemaker") "notebook-instance/another-notebook", NULL,
	  IAM_BY_SCRIPT, SRC_SAR_SM },
};

/* ---- instantiation ------------------------------------------------------------ */

struct builder {
	struct arena *a;
	const struct m_env *env;
	const struct cfn_template *t;
	const struct src_map *src;
	struct iam_report *r;
};


static const char *expand(struct arena *a, const char *text, const struct iam_fills *f)
{
	struct strbuf b = { 0 };
	strbuf_puts(a, &b, "");
	for (const char *p = text; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		bool done = false;
		for (int i = 0; close && i < f->n; i++) {
			size_t n = strlen(f->key[i]);
			if ((size_t)(close - p - 1) == n && strncmp(p + 1, f->key[i], n) == 0) {
				strbuf_puts(a, &b, f->val[i]);
				p = close + 1;
				done = true;
				break;
			}
		}
		if (!done)
			strbuf_add(a, &b, p++, 1);
	}
	return b.s;
}

/* A string that names template values is a Fn::Sub; any other is plain. */
static struct cv *arn_value(struct arena *a, const char *text)
{
	return strstr(text, "${") ? cv_sub(a, text) : cv_str(a, text);
}

static struct cv *context_value(struct arena *a, const char *text, const struct iam_fills *f)
{
	if (!text)
		return NULL;
	struct cv *o = cv_obj(a);
	const char *all = expand(a, text, f);
	while (*all) {
		const char *end = strchr(all, ';');
		size_t n = end ? (size_t)(end - all) : strlen(all);
		const char *pair = arena_strndup(a, all, n);
		const char *eq = strchr(pair, '=');
		cv_set(a, o, arena_strndup(a, pair, (size_t)(eq - pair)), arn_value(a, eq + 1));
		all += n + (end ? 1 : 0);
	}
	return o;
}

static void add_rows(struct builder *b, struct ptrvec *into, const char *identity,
		     const char *capability, const struct iam_row *rows, size_t n,
		     const struct iam_fills *f, struct span span, const char *why)
{
	for (size_t i = 0; i < n; i++) {
		struct iam_request *q = arena_alloc(b->a, sizeof *q);
		q->identity = identity;
		q->capability = capability;
		q->action = rows[i].action;
		q->resource = arn_value(b->a, expand(b->a, rows[i].resource, f));
		q->context = context_value(b->a, rows[i].context, f);
		q->by = rows[i].by;
		q->source = rows[i].source;
		q->why = why;
		q->span = span;
		ptrvec_push(b->a, into, q);
	}
}

static void need(struct builder *b, const char *identity, const char *capability,
		 const struct iam_row *rows, size_t n, const struct iam_fills *f, struct span span)
{
	add_rows(b, &b->r->needs, identity, capability, rows, n, f, span, NULL);
}

static void refuse(struct builder *b, const char *identity, const char *capability,
		   const struct iam_row *rows, size_t n, const struct iam_fills *f, struct span span,
		   const char *why)
{
	add_rows(b, &b->r->refused, identity, capability, rows, n, f, span, why);
}

static const char *att(struct builder *b, const void *obj, const char *attr)
{
	struct iam_facts f = { .a = b->a, .t = b->t };
	return iam_att(&f, obj, attr);
}

static struct iam_identity *identity(struct builder *b, const char *id, const char *kind,
				     const char *what)
{
	struct iam_identity *i = arena_alloc(b->a, sizeof *i);
	i->id = id;
	i->kind = kind;
	i->what = what;
	/* The role's own inline policy, and every policy attached to it. */
	bool role = strcmp(kind, "execution-role") == 0;
	ptrvec_push(b->a, &i->policies, (void *)id);
	for (size_t k = 0; role && k < b->t->resources.n; k++) {
		const struct cfn_resource *r = b->t->resources.items[k];
		const struct cv *roles = cv_get(r->props, "Roles");
		if (strcmp(r->type, "AWS::IAM::ManagedPolicy") != 0 || !roles)
			continue;
		for (size_t j = 0; j < roles->u.items.n; j++) {
			const struct cv *ref = cv_get(roles->u.items.items[j], "Ref");
			if (ref && ref->kind == CV_STR && strcmp(ref->u.s, id) == 0)
				ptrvec_push(b->a, &i->policies, (void *)r->id);
		}
	}
	ptrvec_push(b->a, &b->r->identities, i);
	return i;
}

static void add_script(struct builder *b, struct iam_identity *i, const struct m_script *s)
{
	if (s)
		ptrvec_push(b->a, &i->scripts, (void *)arena_printf(b->a, "lifecycle/%s", s->file_name));
}

static const char *where(struct builder *b, struct span s)
{
	const struct src_file *f = src_get(b->src, s.file);
	struct src_pos p = src_locate(f, s.lo);
	return arena_printf(b->a, "%s:%u", f->path, p.line);
}

/* The keys whose use the workload's grants imply, each once: the rows of using a key. */
static void key_needs(struct builder *b, const char *role, const struct m_kms *k,
		      struct ptrvec *seen, struct span at)
{
	if (!k)
		return;
	for (size_t i = 0; i < seen->n; i++)
		if (seen->items[i] == k)
			return;
	ptrvec_push(b->a, seen, (void *)k);
	const struct kind_use *use = kinds_of("kms_key")->use;
	struct iam_facts facts = { .a = b->a, .t = b->t };
	struct iam_fills f = { 0 };
	use->fills(&facts, k, &f);
	need(b, role, arena_printf(b->a, "a resource encrypted with kms_key %s", k->name),
	     use->rows, use->nrows, &f, at);
}

/*
 * One use of an object of a kind: the rows its kind declares for using it
 * (and for pushing images, in a studio with docker), then those of the key
 * that encrypts it. Using a key is using the key alone.
 */
static void use_needs(struct builder *b, const char *role, const struct kind_use *use,
		      const struct m_use *u, bool push_images, struct ptrvec *keys)
{
	const struct m_kms *key = use->key ? use->key(u->obj) : NULL;
	if (key != u->obj) {
		struct iam_facts facts = { .a = b->a, .t = b->t };
		struct iam_fills f = { 0 };
		use->fills(&facts, u->obj, &f);
		const char *what = strcmp(u->what, "uses") == 0
			? arena_printf(b->a, "%s %s", u->what, u->kind) : u->what;
		need(b, role, what, use->rows, use->nrows, &f, u->span);
		if (push_images && use->npush_rows)
			need(b, role, arena_printf(b->a, "%s (docker: push)", what),
			     use->push_rows, use->npush_rows, &f, u->span);
	}
	key_needs(b, role, key, keys, u->span);
}

/* Every use the file declares, for the role that holds the grants. */
static void grant_needs(struct builder *b, const char *role, const struct m_grants *g,
			bool push_images)
{
	struct ptrvec keys = { 0 };
	for (size_t i = 0; i < g->uses.n; i++) {
		const struct m_use *u = g->uses.items[i];
		const struct kind *k = kinds_of(u->kind);
		if (k && k->use)
			use_needs(b, role, k->use, u, push_images, &keys);
	}
	for (size_t i = 0; i < g->allows.n; i++) {
		const struct m_allow *al = g->allows.items[i];
		for (size_t k = 0; k < al->actions.n; k++) {
			for (size_t j = 0; j < al->resources.n; j++) {
				struct iam_row r = { al->actions.items[k], al->resources.items[j], NULL,
						 IAM_BY_DECLARATION, where(b, al->span) };
				struct iam_fills none = { 0 };
				need(b, role, "allow", &r, 1, &none, al->span);
			}
		}
	}
}

static void logs_needs(struct builder *b, const char *role, const char *group, struct span at)
{
	struct iam_fills f = { 0 };
	iam_fill(&f, "log_group", group);
	need(b, role, "lifecycle script logs", IAM_ROWS(logs_rows), &f, at);
}

static void notebook_needs(struct builder *b, const struct m_notebook *nb)
{
	const char *role = cfn_id_of(b->t, &nb->grants, "role");
	struct iam_identity *id = identity(b, role, "execution-role",
					   arena_printf(b->a, "notebook %s", nb->name));
	add_script(b, id, nb->on_create);
	add_script(b, id, nb->on_start);
	id->managed = nb->grants.managed;
	logs_needs(b, role, "/aws/sagemaker/NotebookInstances", nb->span);
	grant_needs(b, role, &nb->grants, false);
	if (!nb->grants.stop_notebook)
		return;
	struct iam_fills f = { 0 };
	iam_fill(&f, "notebook_arn", att(b, nb, NULL));
	struct span at = nb->span;
	for (size_t i = 0; i < nb->grants.uses.n; i++) {
		const struct m_use *u = nb->grants.uses.items[i];
		if (strcmp(u->what, "idle_stop") == 0)
			at = u->span;
	}
	need(b, role, "idle_stop", IAM_ROWS(idle_stop_rows), &f, at);
	refuse(b, role, "idle_stop", IAM_ROWS(idle_stop_refused_rows), &f, at,
	       "idle_stop may stop only its own notebook");
}

static const char *app_type(enum m_app app)
{
	return app == APP_CODE_EDITOR ? "codeeditor" : "jupyterlab";
}

static void studio_needs(struct builder *b, const struct m_studio *st)
{
	struct arena *a = b->a;
	const char *role = cfn_id_of(b->t, &st->grants, "role");
	struct iam_identity *id = identity(b, role, "execution-role",
					   arena_printf(a, "studio %s", st->name));
	for (int app = 0; app < 2; app++)
		add_script(b, id, st->apps[app].on_start);
	id->managed = st->grants.managed;
	logs_needs(b, role, "/aws/sagemaker/studio", st->span);
	grant_needs(b, role, &st->grants, st->docker);
	const char *domain_id = att(b, st, "DomainId");
	struct iam_fills scope = { 0 };
	iam_fill(&scope, "domain_id", domain_id);
	iam_fill(&scope, "user", "any-user");
	need(b, role, "a Studio user at work", IAM_ROWS(studio_scope_rows), &scope, st->span);
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		if (sp->remote_access) {
			need(b, role, "remote_access (deep link)", IAM_ROWS(deep_link_scope_rows), &scope,
			     sp->remote_span);
			break;
		}
	}
	if (st->kms) {
		struct iam_fills f = { 0 };
		iam_fill(&f, "arn", att(b, st->kms, "Arn"));
		need(b, role, "studio kms_key (app volumes)", IAM_ROWS(domain_key_rows), &f, st->span);
	}
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		struct iam_fills f = { 0 };
		iam_fill(&f, "domain_id", domain_id);
		iam_fill(&f, "space", sp->space_name);
		iam_fill(&f, "app_type", app_type(sp->app));
		if (!sp->owner) {
			need(b, role, arena_printf(a, "shared space %s", sp->name),
			     IAM_ROWS(studio_shared_rows), &f, sp->span);
			continue;
		}
		iam_fill(&f, "user", sp->owner->profile_name);
		iam_fill(&f, "other", "someone-else");
		const char *cap = arena_printf(a, "private space %s of user %s", sp->name, sp->owner->name);
		need(b, role, cap, IAM_ROWS(studio_owner_rows), &f, sp->span);
		refuse(b, role, cap, IAM_ROWS(studio_refused_rows), &f, sp->span,
		       "another user's private space");
		if (sp->remote_access)
			need(b, role, arena_printf(a, "remote_access of space %s (deep link)", sp->name),
			     IAM_ROWS(deep_link_rows), &f, sp->remote_span);
	}
}

static void remote_needs(struct builder *b, const struct m_studio *st, const struct m_space *sp)
{
	struct arena *a = b->a;
	const char *policy = cfn_id_of(b->t, sp, "access");
	if (!policy)
		return;
	struct iam_identity *id = identity(b, policy, "developer",
					   arena_printf(a, "developer of space %s", sp->name));
	ptrvec_push(a, &id->scripts, (void *)arena_printf(a, "remote/%s-connect.sh", sp->space_name));
	struct iam_fills f = { 0 };
	iam_fill(&f, "domain_id", att(b, st, "DomainId"));
	iam_fill(&f, "space", sp->space_name);
	iam_fill(&f, "space_arn", att(b, sp, "SpaceArn"));
	iam_fill(&f, "app_type", app_type(sp->app));
	iam_fill(&f, "user", sp->owner ? sp->owner->profile_name : "");
	need(b, policy, "remote_access (ssh)", IAM_ROWS(remote_ssh_rows), &f, sp->remote_span);
	need(b, policy, "remote_access (AWS Toolkit)", IAM_ROWS(remote_toolkit_rows), &f, sp->remote_span);
	if (sp->owner && !st->sso)
		need(b, policy, "remote_access (deep link)", IAM_ROWS(remote_deep_link_rows), &f,
		     sp->remote_span);
	refuse(b, policy, "remote_access", IAM_ROWS(remote_refused_rows), &f, sp->remote_span,
	       "another space of the domain");
	if (st->kms) {
		struct iam_fills k = { 0 };
		iam_fill(&k, "arn", att(b, st->kms, "Arn"));
		need(b, policy, "remote_access: CreateApp in a domain with a kms_key",
		     IAM_ROWS(domain_key_rows), &k, sp->remote_span);
	}
}

struct iam_report *iam_report(struct arena *a, const struct m_env *env,
			      const struct cfn_template *t, const struct src_map *src)
{
	struct builder b = { a, env, t, src, arena_alloc(a, sizeof(struct iam_report)) };
	for (size_t i = 0; i < env->notebooks.n; i++)
		notebook_needs(&b, env->notebooks.items[i]);
	for (size_t i = 0; i < env->studios.n; i++) {
		const struct m_studio *st = env->studios.items[i];
		studio_needs(&b, st);
		for (size_t k = 0; k < st->spaces.n; k++)
			if (((const struct m_space *)st->spaces.items[k])->remote_access)
				remote_needs(&b, st, st->spaces.items[k]);
	}
	return b.r;
}

/* ---- rendering ------------------------------------------------------------------ */

static struct cv *strings(struct arena *a, const struct ptrvec *v)
{
	struct cv *arr = cv_arr(a);
	for (size_t i = 0; i < v->n; i++)
		cv_push(a, arr, cv_str(a, v->items[i]));
	return arr;
}

static const char *by_name(enum iam_by by)
{
	static const char *const names[] = { "script", "service", "user", "declaration" };
	return names[by];
}

static struct cv *requests(struct arena *a, const struct ptrvec *v, const struct src_map *src)
{
	struct cv *arr = cv_arr(a);
	for (size_t i = 0; i < v->n; i++) {
		const struct iam_request *q = v->items[i];
		struct cv *o = cv_obj(a);
		cv_set(a, o, "identity", cv_str(a, q->identity));
		cv_set(a, o, "capability", cv_str(a, q->capability));
		const struct src_file *f = src_get(src, q->span.file);
		cv_set(a, o, "line", cv_int(a, src_locate(f, q->span.lo).line));
		cv_set(a, o, "action", cv_str(a, q->action));
		cv_set(a, o, "resource", q->resource);
		cv_set(a, o, "context", q->context ? q->context : cv_obj(a));
		cv_set(a, o, "by", cv_str(a, by_name(q->by)));
		cv_set(a, o, "source", cv_str(a, q->source));
		if (q->why)
			cv_set(a, o, "why", cv_str(a, q->why));
		cv_push(a, arr, o);
	}
	return arr;
}

struct cv *iam_report_value(struct arena *a, const struct iam_report *r,
			    const struct m_env *env, const struct src_map *src)
{
	struct cv *o = cv_obj(a);
	cv_set(a, o, "version", cv_int(a, 1));
	cv_set(a, o, "environment", cv_str(a, env->name));
	cv_set(a, o, "region", cv_str(a, env->region->name));
	struct cv *ids = cv_arr(a);
	for (size_t i = 0; i < r->identities.n; i++) {
		const struct iam_identity *id = r->identities.items[i];
		struct cv *x = cv_obj(a);
		cv_set(a, x, "id", cv_str(a, id->id));
		cv_set(a, x, "kind", cv_str(a, id->kind));
		cv_set(a, x, "of", cv_str(a, id->what));
		cv_set(a, x, "policies", strings(a, &id->policies));
		cv_set(a, x, "scripts", strings(a, &id->scripts));
		cv_set(a, x, "managed_policies", strings(a, &id->managed));
		cv_push(a, ids, x);
	}
	cv_set(a, o, "identities", ids);
	cv_set(a, o, "needs", requests(a, &r->needs, src));
	cv_set(a, o, "forbidden", requests(a, &r->refused, src));
	return o;
}
