/*
 * codeartifact.c - the `codeartifact` resource kind: a CodeArtifact domain
 * and its repositories, each proxying a public registry or searching
 * upstreams of the same domain, created upstreams first; the outputs a
 * user copies (index URL, login or token command); and what using a
 * repository asks of a workload (`uses`, or std.lifecycle.pip_from): the
 * CodeArtifact endpoints, a token for the domain, and reading that
 * repository.
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

static const char *const external_words[] = { "pypi", "npm", "maven", "nuget",
					       NULL };

static const struct attr_schema codeartifact_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "domain name (default: the block name with `_` as `-`)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "encryption key" },
};

static const struct attr_schema repository_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "repository name (default: the block name with `_` as `-`)" },
	{ "external", VT_WORD, false, external_words, NULL,
	  "public registry it proxies: pypi, npm, maven or nuget" },
	{ "upstream", VT_REFS, false, NULL, "repository",
	  "repositories searched after this one, in order" },
	{ "description", VT_STRING, false, NULL, NULL, "repository description" },
};

static const struct block_schema codeartifact_schema = {
	"codeartifact", "environment", true, SCHEMA_ATTRS(codeartifact_attrs),
	"a CodeArtifact domain"
};

static const struct block_schema repository_schema = {
	"repository", "codeartifact", true, SCHEMA_ATTRS(repository_attrs),
	"a CodeArtifact repository"
};

/* ---- checking ------------------------------------------------------------------ */

/* CodeArtifact domains: `^([a-z][a-z0-9\-]{0,48}[a-z0-9])$`. */
static bool domain_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 50 || s[0] < 'a' || s[0] > 'z' || !is_lower_alnum(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

/* CodeArtifact repositories: `^([A-Za-z0-9][A-Za-z0-9._\-]{1,99})$`. */
static bool repo_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 100 || !is_alnum(s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

static const char *external_connection(const char *word, const char **format)
{
	static const char *const map[][3] = {
		{ "pypi", "public:pypi", "pypi" },
		{ "npm", "public:npmjs", "npm" },
		{ "maven", "public:maven-central", "maven" },
		{ "nuget", "public:nuget-org", "nuget" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], word) == 0) {
			*format = map[i][2];
			return map[i][1];
		}
	return NULL;
}

/*
 * Repositories come out upstreams first: CloudFormation creates a
 * repository only after the ones it names as upstreams (DependsOn), and a
 * cycle can never be created at all.
 */
static bool order_repo(struct checker *ck, struct m_domain *dom, struct m_repo *r,
		       struct ptrvec *visiting, struct ptrvec *done)
{
	for (size_t i = 0; i < done->n; i++)
		if (done->items[i] == r)
			return true;
	for (size_t i = 0; i < visiting->n; i++) {
		if (visiting->items[i] != r)
			continue;
		struct diag *d = diag_add(ck->diags, DIAG_E0506, r->span,
					  "repository `%s` is its own upstream through `%s`",
					  r->name, ((struct m_repo *)visiting->items[visiting->n - 1])->name);
		diag_help(ck->diags, d, "remove one `upstream` so the chain ends at a repository with `external`");
		return false;
	}
	ptrvec_push(ck->arena, visiting, r);
	for (size_t i = 0; i < r->upstreams.n; i++)
		if (!order_repo(ck, dom, r->upstreams.items[i], visiting, done))
			return false;
	visiting->n--;
	ptrvec_push(ck->arena, done, r);
	return true;
}

static void check_codeartifact(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, &codeartifact_schema, &sl);
	struct m_domain *dom = arena_alloc(ck->arena, sizeof *dom);
	dom->name = b->name;
	dom->span = b->name_span;
	dom->domain_name = checked_account_name(ck, b, sl.at[0], "CodeArtifact domain", domain_name_ok,
					"2 to 50 lowercase letters, digits and hyphens, starting with a letter");
	dom->kms = ck_ref_obj(ck, b->scope, sl.at[1], "kms_key");
	ck_register(ck, b, dom);

	struct ptrvec blocks = { 0 }, repos = { 0 };
	ck_child_blocks(ck, b, "repository", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *rb = blocks.items[i];
		struct m_repo *r = arena_alloc(ck->arena, sizeof *r);
		r->name = rb->name;
		r->span = rb->name_span;
		r->domain = dom;
		r->format = "pypi";
		ck_register(ck, rb, r);
		ptrvec_push(ck->arena, &repos, r);
	}
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *rb = blocks.items[i];
		struct m_repo *r = repos.items[i];
		struct slots rs;
		const struct block_schema *schema = &repository_schema;
		ck_validate_attrs(ck, rb, schema, &rs);
		r->repo_name = checked_name(ck, rb, rs.at[0], "CodeArtifact repository",
					    repo_name_ok,
					    "2 to 100 letters, digits, `.`, `_` and `-`, starting with a letter or digit");
		if (rs.at[1]) {
			const char *w = ck_get_word(ck, rs.at[1], schema->attrs[1].choices);
			if (w)
				r->external = external_connection(w, &r->format);
		}
		struct ptrvec ups = { 0 };
		ck_ref_blocks(ck, rb->scope, rs.at[2], "repository", &ups);
		for (size_t k = 0; k < ups.n; k++) {
			struct m_repo *up = ck_object(ck, ups.items[k]);
			if (!up || up->domain != dom) {
				struct diag *d = diag_add(ck->diags, DIAG_E0212, rs.at[2]->value->span,
							  "upstreams must be repositories of domain `%s`",
							  dom->name);
				diag_help(ck->diags, d, "declare the upstream inside `codeartifact %s`", dom->name);
				continue;
			}
			ptrvec_push(ck->arena, &r->upstreams, up);
		}
		r->description = ck_get_string(ck, rb->scope, rs.at[3]);
	}
	struct ptrvec visiting = { 0 };
	for (size_t i = 0; i < repos.n; i++)
		if (!order_repo(ck, dom, repos.items[i], &visiting, &dom->repos))
			break;
	ptrvec_push(ck->arena, &ck->env->domains, dom);
}

/* Domain names per account and Region, repository names per domain (names.h). */
static void codeartifact_names(struct checker *ck, struct physical *ph)
{
	struct strmap domains = { 0 };
	for (size_t i = 0; i < ck->env->domains.n; i++) {
		const struct m_domain *dom = ck->env->domains.items[i];
		unique_name(ck, ph, &domains, "CodeArtifact domain name", dom->domain_name, dom->span,
			    rename_help);
		struct strmap repos = { 0 };
		for (size_t k = 0; k < dom->repos.n; k++) {
			const struct m_repo *r = dom->repos.items[k];
			unique_name(ck, ph, &repos, "repository name", r->repo_name, r->span, rename_help);
		}
	}
}

/* ---- using a repository --------------------------------------------------------------- */

static const struct feature_needs installing = {
	"installing packages through CodeArtifact",
	{ "codeartifact.api", "codeartifact.repositories" },
	{ "s3" },
	"CodeArtifact User Guide, create-vpc-endpoints",
	{
		EP_REQ("codeartifact.api", "codeartifact:GetAuthorizationToken",
		  "arn:${AWS::Partition}:codeartifact:${AWS::Region}:${AWS::AccountId}:domain/{domain}"),
		/* GetAuthorizationToken is also authorized as this STS action, and
		 * the guide's endpoint policy for codeartifact.api lists it. */
		EP_REQ("codeartifact.api", "sts:GetServiceBearerToken", "*"),
		EP_REQ("codeartifact.api", "codeartifact:GetRepositoryEndpoint",
		  "arn:${AWS::Partition}:codeartifact:${AWS::Region}:${AWS::AccountId}:repository/{domain}/{repo}"),
		EP_REQ("codeartifact.repositories", "codeartifact:ReadFromRepository",
		  "arn:${AWS::Partition}:codeartifact:${AWS::Region}:${AWS::AccountId}:repository/{domain}/{repo}"),
		/* Package assets, through a redirect to a URL CodeArtifact presigns;
		 * not needed for Python (create-s3-gateway-endpoint, current page). */
		EP_REQ_AWS("s3", "s3:GetObject", "arn:${AWS::Partition}:s3:::assets-{ca_account}-${AWS::Region}/*", true),
	},
	"CodeArtifact User Guide, create-vpc-endoint-policy (the API and repository actions) and "
	"create-s3-gateway-endpoint (the assets bucket of each Region)",
};

#define SRC_CA_IAM "https://docs.aws.amazon.com/codeartifact/latest/ug/auth-and-access-control-iam-identity-based-access-control.html"
#define SRC_CA_PIP "https://docs.aws.amazon.com/codeartifact/latest/ug/python-configure-pip.html"
#define SRC_SAR_CA IAM_SAR "list_awscodeartifact.html"

/* std.lifecycle.pip_from: a token, the endpoint, then pip reads packages. */
/* std.lifecycle.pip_from: a token, the endpoint, then pip reads packages. */
static const struct iam_row pip_rows[] = {
	{ "codeartifact:GetAuthorizationToken", IAM_ARN("codeartifact") "domain/{domain}", NULL,
	  IAM_BY_SCRIPT, SRC_SAR_CA },
	{ "sts:GetServiceBearerToken", "*", "sts:AWSServiceName=codeartifact.amazonaws.com",
	  IAM_BY_SERVICE, SRC_CA_IAM },
	{ "codeartifact:GetRepositoryEndpoint", IAM_ARN("codeartifact") "repository/{domain}/{repo}", NULL,
	  IAM_BY_SCRIPT, SRC_SAR_CA },
	{ "codeartifact:ReadFromRepository", IAM_ARN("codeartifact") "repository/{domain}/{repo}", NULL,
	  IAM_BY_USER, SRC_CA_PIP },
};

static void repo_fills(struct iam_facts *f, const void *obj, struct iam_fills *out)
{
	(void)f;
	const struct m_repo *rp = obj;
	iam_fill(out, "domain", rp->domain->domain_name);
	iam_fill(out, "repo", rp->repo_name);
}

static const struct m_kms *repo_key(const void *obj)
{
	return ((const struct m_repo *)obj)->domain->kms;
}

static const struct kind_use use = {
	.needs = &installing,
	.rows = pip_rows,
	.nrows = sizeof pip_rows / sizeof pip_rows[0],
	.fills = repo_fills,
	.key = repo_key,
};

/* ---- lowering ------------------------------------------------------------------------ */

static void lower_domain(struct lowerer *lw, const void *obj)
{
	const struct m_domain *d = obj;
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%sCodeArtifactDomain", lw_pascal(lw, d->name));
	lw_map_id(lw, d, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::CodeArtifact::Domain");
	cv_set(a, r->props, "DomainName", cv_str(a, d->domain_name));
	if (d->kms)
		cv_set(a, r->props, "EncryptionKey", lw_arn_of(lw, d->kms));
	cv_set(a, r->props, "Tags", lw_tags(lw, d->domain_name));
	/* d->repos is ordered upstreams first; GetAtt Name also orders creation. */
	for (size_t i = 0; i < d->repos.n; i++) {
		const struct m_repo *rp = d->repos.items[i];
		const char *rid = logical_id(lw, "%sRepository", lw_pascal(lw, rp->name));
		lw_map_id(lw, rp, rid);
		r = cfn_add(lw->t, rid, "AWS::CodeArtifact::Repository");
		cv_set(a, r->props, "RepositoryName", cv_str(a, rp->repo_name));
		cv_set(a, r->props, "DomainName", cv_getatt(a, id, "Name"));
		if (rp->description)
			cv_set(a, r->props, "Description", cv_str(a, rp->description));
		if (rp->external)
			cv_set(a, r->props, "ExternalConnections", lw_one(lw, cv_str(a, rp->external)));
		if (rp->upstreams.n) {
			struct cv *ups = cv_arr(a);
			for (size_t k = 0; k < rp->upstreams.n; k++)
				cv_push(a, ups, cv_getatt(a, lw_id_of(lw, rp->upstreams.items[k]), "Name"));
			cv_set(a, r->props, "Upstreams", ups);
		}
		cv_set(a, r->props, "Tags", lw_tags(lw, rp->repo_name));
	}
}

/* Outputs a user copies: the index URL and the login command. */
static void repo_outputs(struct lowerer *lw, const struct m_repo *rp)
{
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, rp->name);
	lw_output(lw, logical_id(lw, "%sRepositoryEndpoint", stem),
		  arena_printf(a, "%s index URL of CodeArtifact repository %s", rp->format, rp->repo_name),
		  cv_sub(a, arena_printf(a,
			  "https://%s-${AWS::AccountId}.d.codeartifact.${AWS::Region}.amazonaws.com/%s/%s/",
			  rp->domain->domain_name, rp->format, rp->repo_name)));
	/* `aws codeartifact login` knows pip, npm and nuget; Maven takes the bare token. */
	if (strcmp(rp->format, "maven") == 0)
		lw_output(lw, logical_id(lw, "%sTokenCommand", stem),
			  arena_printf(a, "token for Maven settings.xml, repository %s (valid 12 hours)", rp->repo_name),
			  cv_sub(a, arena_printf(a,
				  "aws codeartifact get-authorization-token --domain %s --domain-owner ${AWS::AccountId} --query authorizationToken --output text --region ${AWS::Region}",
				  rp->domain->domain_name)));
	else
		lw_output(lw, logical_id(lw, "%sLoginCommand", stem),
			  arena_printf(a, "configure %s for repository %s (token valid 12 hours)", rp->format, rp->repo_name),
			  cv_sub(a, arena_printf(a,
				  "aws codeartifact login --tool %s --domain %s --domain-owner ${AWS::AccountId} --repository %s --region ${AWS::Region}",
				  strcmp(rp->format, "pypi") == 0 ? "pip" : rp->format,
				  rp->domain->domain_name, rp->repo_name)));
}

/* After every resource, the outputs of each repository of the domain. */
static void domain_outputs(struct lowerer *lw, const void *obj)
{
	const struct m_domain *d = obj;
	for (size_t k = 0; k < d->repos.n; k++)
		repo_outputs(lw, d->repos.items[k]);
}

static const struct block_schema *const schemas[] = {
	&codeartifact_schema,
	&repository_schema,
};

const struct kind codeartifact_kind = {
	.name = "codeartifact",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, domains),
	.check = check_codeartifact,
	.names = codeartifact_names,
	.lower = lower_domain,
	.lower_last = domain_outputs,
	.use = &use,
};
