/*
 * policies.c - VPC endpoint policies (see policies.h).
 *
 * Without a policy an endpoint allows every request its service accepts:
 * code in the VPC could write to any account's bucket through the S3
 * gateway, or call an interface endpoint with another account's keys
 * (VPC User Guide, vpc-endpoints-access, "Default endpoint policy"). So
 * every endpoint whose service takes a policy (endpoints.c,
 * policy_source) gets one, judged here and emitted by lowering:
 *
 *   interface: principals of the stack's account (aws:PrincipalAccount);
 *     Systems Manager's also AWS service principals
 *     (aws:PrincipalIsAWSService), as AWS's data-perimeter examples do.
 *   s3 (gateway): buckets of the stack's account (aws:ResourceAccount),
 *     plus s3:GetObject on the AWS-owned buckets the features of the
 *     network's workloads read through URLs AWS presigns (their requests,
 *     needs.h: ECR's image layers, CodeArtifact's assets).
 *   dynamodb (gateway): tables of the stack's account.
 *
 * A network's `endpoint_policy` blocks replace the generated policy of
 * the endpoints they name; each request a declared use sends through such
 * an endpoint must be allowed by one of them, or E0650 names the use.
 * The matching is IAM's (actions case-insensitive, `*` and `?` globs),
 * over requests whose unknown names (`{?}`) only `*` covers, so a policy
 * passes only when it allows the request whatever CloudFormation names it.
 */
#include "policies.h"

#include <ctype.h>
#include <string.h>

#include "diag.h"
#include "kinds/kinds.h"
#include "needs.h"

/*
 * CodeArtifact's package assets bucket, `assets-<account>-<region>`, per
 * Region: CodeArtifact User Guide, create-s3-gateway-endpoint ("Minimum
 * Amazon S3 bucket permissions for AWS CodeArtifact"), archived as
 * awsdocs/aws-codeartifact-user-guide doc_source/create-s3-gateway-endpoint.md.
 * Another Region gets `assets-*-<region>` (GetObject only).
 */
static const struct {
	const char *region, *account;
} ca_assets[] = {
	{ "us-east-1", "193858265520" },      { "us-east-2", "250872398865" },
	{ "us-west-2", "787052242323" },      { "eu-west-1", "438097961670" },
	{ "eu-west-2", "247805302724" },      { "eu-west-3", "762466490029" },
	{ "eu-north-1", "611884512288" },     { "eu-south-1", "484130244270" },
	{ "eu-central-1", "769407342218" },   { "ap-northeast-1", "660291247815" },
	{ "ap-southeast-1", "421485864821" }, { "ap-southeast-2", "860415559748" },
	{ "ap-south-1", "681137435769" },
};

static const char *ca_account(const char *region)
{
	for (size_t i = 0; i < sizeof ca_assets / sizeof ca_assets[0]; i++)
		if (strcmp(ca_assets[i].region, region) == 0)
			return ca_assets[i].account;
	return NULL;
}

static const char *partition_of(const char *region)
{
	if (strncmp(region, "cn-", 3) == 0)
		return "aws-cn";
	if (strncmp(region, "us-gov-", 7) == 0)
		return "aws-us-gov";
	return "aws";
}

/* `\x01` in a value stands for a name sgc does not know: only `*` covers it. */
#define UNKNOWN "\x01"

static const char *replace(struct arena *a, const char *s, const char *from, const char *to)
{
	const char *hit = strstr(s, from);
	if (!hit)
		return s;
	struct strbuf b = { 0 };
	size_t n = strlen(from);
	while (hit) {
		strbuf_add(a, &b, s, (size_t)(hit - s));
		strbuf_puts(a, &b, to);
		s = hit + n;
		hit = strstr(s, from);
	}
	strbuf_puts(a, &b, s);
	return b.s;
}

/* A text with this Region's pseudo parameters resolved, for matching. */
static const char *concrete(struct checker *ck, const char *s)
{
	const char *region = ck->env->region->name;
	s = replace(ck->arena, s, "${AWS::Partition}", partition_of(region));
	return replace(ck->arena, s, "${AWS::Region}", region);
}

/* A request's resource: `unknown` fills the names sgc does not know. */
static const char *request_resource(struct checker *ck, const struct ep_request *r,
				    const struct m_use *u, const char *unknown)
{
	const char *s = r->resource;
	const struct m_repo *rp = u && strcmp(u->kind, "repository") == 0 ? u->obj : NULL;
	s = replace(ck->arena, s, "{domain}", rp ? rp->domain->domain_name : unknown);
	s = replace(ck->arena, s, "{repo}", rp ? rp->repo_name : unknown);
	const char *acct = ck->env->region ? ca_account(ck->env->region->name) : NULL;
	s = replace(ck->arena, s, "{ca_account}", acct ? acct : unknown);
	return replace(ck->arena, s, "{?}", unknown);
}

/* IAM globbing: `*` any run (and the unknown), `?` one known character. */
static bool glob(const char *p, const char *v, bool nocase)
{
	const char *star = NULL, *resume = NULL;
	while (*v) {
		if (*p == '*') {
			star = p++;
			resume = v;
		} else if (*v != UNKNOWN[0] &&
			   (*p == '?' || (nocase ? tolower((unsigned char)*p) == tolower((unsigned char)*v)
					 : *p == *v))) {
			p++;
			v++;
		} else if (star) {
			p = star + 1;
			v = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

static bool any_glob(struct checker *ck, const struct ptrvec *pats, const char *v, bool nocase)
{
	for (size_t i = 0; i < pats->n; i++)
		if (glob(concrete(ck, pats->items[i]), v, nocase))
			return true;
	return false;
}

/* Whether statement `st` lets request `r` (resource `res`, concrete) through. */
static bool admits(struct checker *ck, const struct m_ep_stmt *st, const struct ep_request *r,
		   const char *res)
{
	if (st->principal_account && r->by_aws)
		return false;
	if (st->resource_account && r->aws_resource)
		return false;
	if (st->aws_services && !st->principal_account)
		return false; /* only AWS services' own requests; no feature lists those */
	return any_glob(ck, &st->actions, r->action, true) && any_glob(ck, &st->resources, res, false);
}

static struct m_ep_stmt *generated(struct checker *ck, const char *sid, const char *action,
				   const char *why)
{
	struct m_ep_stmt *st = arena_alloc(ck->arena, sizeof *st);
	st->sid = sid;
	st->why = why;
	ptrvec_push(ck->arena, &st->actions, (void *)action);
	ptrvec_push(ck->arena, &st->resources, (void *)"*");
	return st;
}

/* The requests of a use, or of a workload's own feature. */
static const struct feature_needs *needs_of_use(const struct m_use *u)
{
	return u->needs ? u->needs : kinds_of(u->kind)->use->needs;
}

/* Each feature of the workloads in `net`, with its use (NULL: the workload's own). */
struct feature {
	const struct feature_needs *fn;
	const struct m_use *use;
	struct span at;
	const char *what;
};

static void features_of(struct checker *ck, const struct ptrvec *workloads, const struct m_network *net,
			struct ptrvec *out)
{
	for (size_t i = 0; i < workloads->n; i++) {
		const struct kind_workload *w = workloads->items[i];
		if (w->net != net)
			continue;
		for (size_t k = 0; k < w->needs.n; k++) {
			const struct kind_need *n = w->needs.items[k];
			struct feature *f = arena_alloc(ck->arena, sizeof *f);
			*f = (struct feature){ n->needs, NULL, n->at, n->use };
			ptrvec_push(ck->arena, out, f);
		}
		for (size_t k = 0; w->grants && k < w->grants->uses.n; k++) {
			const struct m_use *u = w->grants->uses.items[k];
			struct feature *f = arena_alloc(ck->arena, sizeof *f);
			*f = (struct feature){ needs_of_use(u), u, u->span,
					       arena_printf(ck->arena, "`%s` in %s", u->what, w->what) };
			ptrvec_push(ck->arena, out, f);
		}
	}
}

static bool is_ssm(const struct ep_service *svc)
{
	return strcmp(svc->name, "ssm") == 0 || strcmp(svc->name, "ssmmessages") == 0 ||
	       strcmp(svc->name, "ec2messages") == 0;
}

#define WHY_ACCOUNT "only principals of the stack's account (aws:PrincipalAccount): credentials of another account cannot use the endpoint"
#define WHY_SERVICES "AWS service principals (aws:PrincipalIsAWSService), which Systems Manager may use from the VPC: aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/ssm_endpoint_policy.json"
#define WHY_BUCKETS "only buckets of the stack's account (aws:ResourceAccount): nothing in the VPC can write to another account's bucket"
#define WHY_TABLES "only tables of the stack's account (aws:ResourceAccount)"

/* The policy sgc writes for `ep`, from the requests of the network's features. */
static void generate(struct checker *ck, struct m_endpoint *ep, const struct ptrvec *features)
{
	const struct ep_service *svc = ep->svc;
	struct arena *a = ck->arena;
	if (strcmp(svc->name, "s3") == 0) {
		struct m_ep_stmt *own = generated(ck, "OwnAccountBuckets", "s3:*", WHY_BUCKETS);
		own->resource_account = true;
		ptrvec_push(a, &ep->policy, own);
		struct m_ep_stmt *aws = generated(ck, "AwsOwnedBucketsTheFeaturesRead", "s3:GetObject", NULL);
		aws->resources.n = 0;
		struct strbuf why = { 0 };
		for (size_t i = 0; i < features->n; i++) {
			const struct feature *f = features->items[i];
			for (int k = 0; k < NEEDS_MAX_REQUESTS && f->fn->requests[k].endpoint; k++) {
				const struct ep_request *r = &f->fn->requests[k];
				if (strcmp(r->endpoint, "s3") != 0 || !r->aws_resource)
					continue;
				const char *res = request_resource(ck, r, f->use, "*");
				bool seen = false;
				for (size_t j = 0; j < aws->resources.n; j++)
					seen |= strcmp(aws->resources.items[j], res) == 0;
				if (seen)
					continue;
				ptrvec_push(a, &aws->resources, (void *)res);
				strbuf_printf(a, &why, "%s%s (%s)", why.n ? "; " : "", f->fn->what,
					      f->fn->requests_source);
			}
		}
		if (aws->resources.n) {
			aws->why = why.s;
			ptrvec_push(a, &ep->policy, aws);
		}
		return;
	}
	if (strcmp(svc->name, "dynamodb") == 0) {
		struct m_ep_stmt *own = generated(ck, "OwnAccountTables", "dynamodb:*", WHY_TABLES);
		own->resource_account = true;
		ptrvec_push(a, &ep->policy, own);
		return;
	}
	struct m_ep_stmt *own = generated(ck, "OwnAccountPrincipals", "*", WHY_ACCOUNT);
	own->principal_account = true;
	ptrvec_push(a, &ep->policy, own);
	if (is_ssm(svc)) {
		struct m_ep_stmt *aws = generated(ck, "AwsServicePrincipals", "*", WHY_SERVICES);
		aws->aws_services = true;
		ptrvec_push(a, &ep->policy, aws);
	}
}

/* The `endpoint_policy` statement a help line suggests for request `r`. */
static const char *suggestion(struct checker *ck, const struct ep_request *r, const struct m_use *u)
{
	return arena_printf(ck->arena,
			    "endpoint_policy %s { services = [%s]  actions = [\"%s\"]  resources = [\"%s\"]%s }",
			    r->by_aws ? "aws_presigned" : "declared_use", r->endpoint, r->action,
			    request_resource(ck, r, u, "*"), r->by_aws ? "  principals = any" : "");
}

/* E0650: each request of a declared use through a written policy, allowed by a statement. */
static void check_written(struct checker *ck, const struct m_network *net, const struct ptrvec *features)
{
	struct strmap reported = { 0 };
	for (size_t i = 0; i < features->n; i++) {
		const struct feature *f = features->items[i];
		for (int k = 0; k < NEEDS_MAX_REQUESTS && f->fn->requests[k].endpoint; k++) {
			const struct ep_request *r = &f->fn->requests[k];
			const struct ep_service *svc = ep_find(r->endpoint);
			const struct m_endpoint *ep = NULL;
			for (size_t j = 0; svc && j < net->endpoints.n; j++)
				if (((const struct m_endpoint *)net->endpoints.items[j])->svc == svc)
					ep = net->endpoints.items[j];
			if (!ep || !ep->written || r->optional)
				continue;
			const char *res = concrete(ck, request_resource(ck, r, f->use, UNKNOWN));
			bool ok = false;
			for (size_t j = 0; j < ep->policy.n && !ok; j++)
				ok = admits(ck, ep->policy.items[j], r, res);
			const char *key = arena_printf(ck->arena, "%s/%u/%u", svc->name, f->at.file, f->at.lo);
			if (ok || strmap_get(&reported, key))
				continue;
			strmap_put(ck->arena, &reported, key, (void *)f);
			const struct m_ep_stmt *first = ep->policy.items[0];
			struct diag *d = diag_add(ck->diags, DIAG_E0650, first->services_span,
						  "the endpoint policy of `%s` in network `%s` blocks %s",
						  svc->name, net->name, f->what);
			diag_label(ck->diags, d, "no statement for `%s` allows `%s` on `%s`%s", svc->name,
				   r->action, request_resource(ck, r, f->use, "<name>"),
				   r->by_aws ? " by a URL AWS presigns" : "");
			diag_secondary(ck->diags, d, f->at, "%s", f->fn->what);
			diag_note(ck->diags, d, "%s sends this request through the `%s` endpoint; source: %s",
				  f->fn->what, svc->name, f->fn->requests_source);
			if (r->by_aws)
				diag_note(ck->diags, d, "the URL is signed by an AWS-owned account: a statement "
					  "with `principals = account` cannot allow it");
			diag_help(ck->diags, d, "add `%s`", suggestion(ck, r, f->use));
		}
	}
}

void ck_policies(struct checker *ck, const struct ptrvec *workloads)
{
	const struct m_env *env = ck->env;
	if (!env->region)
		return;
	for (size_t n = 0; n < env->networks.n; n++) {
		const struct m_network *net = env->networks.items[n];
		struct ptrvec features = { 0 };
		features_of(ck, workloads, net, &features);
		for (size_t i = 0; i < net->endpoints.n; i++) {
			struct m_endpoint *ep = net->endpoints.items[i];
			size_t idx = ep_index(ep->svc);
			ep->policy.n = 0;
			for (size_t k = 0; k < net->ep_policies.n; k++) {
				struct m_ep_stmt *st = net->ep_policies.items[k];
				if (st->services[idx])
					ptrvec_push(ck->arena, &ep->policy, st);
			}
			ep->written = ep->policy.n > 0;
			if (!ep->written && ep->svc->policy_source)
				generate(ck, ep, &features);
		}
		check_written(ck, net, &features);
	}
}
