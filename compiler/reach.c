/*
 * reach.c - the checker's proofs over a checked environment (see reach.h):
 * every service a workload uses is reachable, an isolated network has no
 * way out, and the lints a reviewer wants.
 *
 * The proofs span kinds, so they stay a stage: each workload kind declares
 * its facts through the registry (kinds/kind.h: struct kind_workload), and
 * reachability reads the endpoints each feature and each kind of use needs
 * (needs.h), as the kinds declare them. Isolation is
 * proved over what sgc itself emits: a private subnet's route table holds
 * only the local route and gateway endpoints, so the ways out are a public
 * subnet (E0401), a workload's own internet access, and security-group
 * egress; each is checked here and reported hop by hop.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "reach.h"
#include "diag.h"
#include "kinds/kinds.h"
#include "needs.h"
#include "paths.h"
#include "policies.h"

/* The source of `s` on one line: runs of blanks and newlines become one space. */
static const char *src_text(struct checker *ck, struct span s)
{
	const struct src_file *f = src_get(ck->res->src, s.file);
	struct strbuf b = { 0 };
	bool blank = false;
	for (uint32_t i = s.lo; i < s.hi; i++) {
		char c = f->text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = true;
			continue;
		}
		if (blank && b.n)
			strbuf_puts(ck->arena, &b, " ");
		blank = false;
		strbuf_add(ck->arena, &b, &c, 1);
	}
	return b.s ? b.s : "";
}

static bool has_ep(const struct m_network *net, const char *name)
{
	const struct ep_service *svc = ep_find(name);
	return svc && net->has_endpoint[ep_index(svc)];
}

/* "`a`", "`a` and `b`", "`a`, `b` and `c`"; and "[a, b]" for the help line. */
static const char *word_list(struct checker *ck, const char *const *eps, size_t n, bool bracket)
{
	struct strbuf b = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (bracket)
			strbuf_printf(ck->arena, &b, "%s%s", i ? ", " : "", eps[i]);
		else
			strbuf_printf(ck->arena, &b, "%s`%s`", i == 0 ? "" : i + 1 == n ? " and " : ", ", eps[i]);
	}
	return b.s ? b.s : "";
}

/* One diagnostic per use, naming every endpoint it misses: the help then fixes it at once. */
static void missing_endpoints(struct checker *ck, const struct kind_workload *w,
			      const struct feature_needs *fn, const char *const *eps, size_t n,
			      struct span at, const char *use)
{
	const struct m_network *net = w->net;
	struct diag *d = diag_add(ck->diags, DIAG_E0601, at,
				  "%s needs the %s endpoint%s, which network `%s` lacks",
				  use, word_list(ck, eps, n, false), n == 1 ? "" : "s", net->name);
	diag_label(ck->diags, d, "%s", fn->what);
	if (net->endpoints_attr.file != UINT32_MAX)
		diag_secondary(ck->diags, d, net->endpoints_attr, "endpoint set declared here");
	else
		diag_secondary(ck->diags, d, net->span, "network declared here, without endpoints");
	if (w->nat_closed && net->firewall)
		diag_note(ck->diags, d, "its subnets route through firewall `%s`, which passes only the domains it "
			  "allows: AWS is reached through endpoints; source: %s", net->firewall->name, fn->source);
	else if (w->nat_closed)
		diag_note(ck->diags, d, "its subnets route to a NAT gateway, but its security groups send HTTPS "
			  "only to listed ranges (restricted network): AWS is reached through endpoints; "
			  "source: %s", fn->source);
	else
		diag_note(ck->diags, d, "its subnets have no route to the internet; source: %s", fn->source);
	if (net->endpoints_attr.file != UINT32_MAX) {
		diag_help(ck->diags, d, "write `endpoints = %s + [%s]`",
			  src_text(ck, net->endpoints_value), word_list(ck, eps, n, true));
		/* The same, as an edit: `+ [...]` after the set (left-associative, so after a `-` too). */
		struct span end = { net->endpoints_value.file, net->endpoints_value.hi, net->endpoints_value.hi };
		diag_fix(ck->diags, d, end, " + [%s]", word_list(ck, eps, n, true));
	} else
		diag_help(ck->diags, d, "add `endpoints = [%s]` to network `%s`",
			  word_list(ck, eps, n, true), net->name);
}

static void need(struct checker *ck, const struct kind_workload *w, const struct feature_needs *fn,
		 struct span at, const char *use, bool *used, bool *required)
{
	const char *missing[NEEDS_MAX];
	size_t n = 0;
	for (int i = 0; fn->required[i]; i++) {
		used[ep_index(ep_find(fn->required[i]))] = true;
		required[ep_index(ep_find(fn->required[i]))] = true;
		if (w->no_internet && !has_ep(w->net, fn->required[i]))
			missing[n++] = fn->required[i];
	}
	for (int i = 0; fn->optional[i]; i++)
		used[ep_index(ep_find(fn->optional[i]))] = true;
	/* A set that failed to evaluate (E0213, E0403, ...) is not what the user meant: its help would guess. */
	if (n && !w->net->endpoints_unknown)
		missing_endpoints(ck, w, fn, missing, n, at, use);
}

/* A use needs the endpoints of using its object's kind, or those of its step. */
static const struct feature_needs *needs_of_use(const struct m_use *u)
{
	return u->needs ? u->needs : kinds_of(u->kind)->use->needs;
}

static void uses_needs(struct checker *ck, const struct kind_workload *w, bool *used, bool *required)
{
	for (size_t i = 0; i < w->grants->uses.n; i++) {
		const struct m_use *u = w->grants->uses.items[i];
		const char *what = strcmp(u->what, "uses") == 0
			? arena_printf(ck->arena, "%s, using `%s`,", w->what, src_text(ck, u->span))
			: arena_printf(ck->arena, "`%s` in %s", u->what, w->what);
		need(ck, w, needs_of_use(u), u->span, what, used, required);
	}
}

/* ---- isolation ---------------------------------------------------------------- */

static void egress_rules(struct checker *ck, const struct kind_workload *w,
			 const struct m_sg *sg)
{
	const struct m_network *net = w->net;
	for (size_t k = 0; k < sg->rules.n; k++) {
		const struct m_rule *r = sg->rules.items[k];
		if (!r->egress || r->peer != PEER_CIDR || cidr_contains(net->cidr, r->cidr))
			continue;
		const char *to = ck_fmt_cidr(ck, r->cidr);
		if (net->isolation == ISO_ISOLATED) {
			struct diag *d = diag_add(ck->diags, DIAG_E0603, r->peer_span,
						  "isolated network `%s` lets %s out to `%s`",
						  net->name, w->what, to);
			diag_note(ck->diags, d, "path: %s -> security group `%s` -> egress to %s, outside `%s`",
				  w->what, sg->name, to, ck_fmt_cidr(ck, net->cidr));
			diag_secondary(ck->diags, d, w->at, "workload declared here");
			diag_help(ck->diags, d, "allow egress only inside `%s` or to `prefix_list = s3`",
				  ck_fmt_cidr(ck, net->cidr));
		} else if (net->isolation == ISO_RESTRICTED && r->cidr.prefix == 0 && !net->firewall) {
			struct diag *d = diag_add(ck->diags, DIAG_E0605, r->peer_span,
						  "restricted network `%s` lets %s out to anywhere",
						  net->name, w->what);
			diag_note(ck->diags, d, "path: %s -> security group `%s` -> egress to 0.0.0.0/0 -> NAT gateway",
				  w->what, sg->name);
			diag_help(ck->diags, d, "list the ranges it may reach, one `egress` per range");
		}
	}
}

static void check_isolation(struct checker *ck, const struct kind_workload *w,
			    const struct ptrvec *sgs, bool own_internet, struct span own_at,
			    const char *own_path)
{
	if (own_internet && w->net && w->net->isolation == ISO_ISOLATED) {
		struct diag *d = diag_add(ck->diags, DIAG_E0603, own_at,
					  "isolated network `%s`, but %s has its own way to the internet",
					  w->net->name, w->what);
		diag_note(ck->diags, d, "path: %s", own_path);
		diag_help(ck->diags, d, "remove this setting: in an isolated network the default is no internet");
	}
	for (size_t i = 0; w->net && sgs && i < sgs->n; i++)
		egress_rules(ck, w, sgs->items[i]);
}

/* ---- lints ------------------------------------------------------------------------- */

static bool looks_secret(const char *name)
{
	static const char *const words[] = { "password", "passwd", "secret", "token",
					     "apikey", "api_key", "private_key", NULL };
	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		for (const char *p = name; *p; p++)
			if (strncasecmp(p, words[i], n) == 0)
				return true;
	}
	return false;
}

static void lint_params(struct checker *ck)
{
	for (size_t i = 0; i < ck->env->params.n; i++) {
		const struct m_param *p = ck->env->params.items[i];
		if (strcmp(p->type, "string") != 0 || !looks_secret(p->name))
			continue;
		struct diag *d = diag_add(ck->diags, DIAG_W0703, p->span,
					  "parameter `%s` looks like a secret", p->name);
		diag_note(ck->diags, d, "parameter values show in the console, the API and the stack's events");
		diag_help(ck->diags, d, "declare `secret %s {}` and name it in `uses`", p->name);
	}
}

/* ---- per workload ------------------------------------------------------------------- */

/*
 * W0630: lifecycle scripts write their output to CloudWatch Logs (the
 * notebook's /aws/sagemaker/NotebookInstances, Studio's /aws/sagemaker/studio);
 * without internet that needs the `logs` endpoint, or a failing script
 * leaves nothing to read. Not reported when a feature of the workload
 * requires `logs` already (E0601 says it), nor, like W0602, when the file
 * has errors (they come first: the fix of one may change the network).
 */
static void script_logs(struct checker *ck, const struct kind_workload *w)
{
	if (!w->no_internet || !w->scripts.n || has_ep(w->net, "logs"))
		return;
	for (size_t i = 0; i < w->needs.n; i++) {
		const struct kind_need *n = w->needs.items[i];
		for (int k = 0; n->needs->required[k]; k++)
			if (strcmp(n->needs->required[k], "logs") == 0)
				return;
	}
	const struct m_network *net = w->net;
	const struct m_script *s = w->scripts.items[0];
	struct diag *d = diag_add(ck->diags, DIAG_W0630, s->span,
				  "the lifecycle logs of %s are lost: network `%s` has no `logs` endpoint",
				  w->what, net->name);
	diag_label(ck->diags, d, "this script's output goes to CloudWatch Logs");
	if (net->endpoints_attr.file != UINT32_MAX)
		diag_secondary(ck->diags, d, net->endpoints_attr, "endpoint set declared here");
	else
		diag_secondary(ck->diags, d, net->span, "network declared here, without endpoints");
	diag_note(ck->diags, d, "its subnets have no route to the internet, so a failing script shows only "
		  "as a failed start; source: SageMaker Developer Guide, notebook-lifecycle-config "
		  "and studio-lcc-debug");
	if (net->endpoints_attr.file != UINT32_MAX) {
		diag_help(ck->diags, d, "write `endpoints = %s + [logs]`, or `# sgc: allow W0630` on this line",
			  src_text(ck, net->endpoints_value));
		struct span end = { net->endpoints_value.file, net->endpoints_value.hi, net->endpoints_value.hi };
		diag_fix(ck->diags, d, end, " + [logs]");
	} else
		diag_help(ck->diags, d, "add `endpoints = [logs]` to network `%s`, or `# sgc: allow W0630` "
			  "on this line", net->name);
}

/*
 * What one workload's facts prove: its own needs, its uses' needs, the
 * paths to what it requires (only over a complete model: after an error a
 * group may miss the rule that failed), its ways out.
 */
static bool *prove(struct checker *ck, const struct kind_workload *w, bool *used, bool complete)
{
	bool *required = arena_calloc(ck->arena, ep_count, sizeof *required);
	for (size_t i = 0; i < w->needs.n; i++) {
		const struct kind_need *n = w->needs.items[i];
		need(ck, w, n->needs, n->at, n->use, used, required);
	}
	uses_needs(ck, w, used, required);
	if (complete && w->no_internet)
		ck_paths(ck, w, required);
	check_isolation(ck, w, w->sgs, w->own_internet, w->own_at, w->own_path);
	if (w->internet_note) {
		struct diag *d = diag_add(ck->diags, DIAG_W0606, w->at, "%s can reach the internet", w->what);
		diag_note(ck->diags, d, "%s", w->internet_note);
		diag_about(ck->diags, d, w->own_at); /* the setting that opens the way */
	}
	return required;
}

/* What `sgc graph` draws of one workload (model.h, struct m_reach). */
static void record(struct checker *ck, const struct kind *k, const void *obj,
		   const struct kind_workload *w, bool *required)
{
	struct m_reach *r = arena_calloc(ck->arena, 1, sizeof *r);
	*r = (struct m_reach){ .what = w->what, .kind = k->name, .obj = obj, .net = w->net,
			       .required = required, .no_internet = w->no_internet,
			       .own_internet = w->own_internet, .own_path = w->own_path };
	/* A studio's paths (one per user with groups of its own) share its subnets: merged once. */
	for (size_t i = 0; i < w->paths.n; i++) {
		const struct kind_path *p = w->paths.items[i];
		if (i > 0 && p->subnets == ((const struct kind_path *)w->paths.items[i - 1])->subnets)
			continue;
		for (size_t s = 0; s < p->subnets->n; s++)
			ptrvec_add_unique(ck->arena, &r->subnets, p->subnets->items[s]);
	}
	ptrvec_push(ck->arena, &ck->env->reached, r);
}

/*
 * Interface endpoints bill per hour in every zone: flag those no workload
 * uses, one diagnostic per place they were asked for (a named set brings
 * several at once).
 */
static void unused_endpoints(struct checker *ck, const struct m_network *net, const bool *used)
{
	bool *done = arena_calloc(ck->arena, ep_count, sizeof *done);
	for (size_t i = 0; i < ep_count; i++) {
		if (done[i] || !net->has_endpoint[i] || used[i] || ep_services[i].type != EP_INTERFACE)
			continue;
		const char *names[64];
		size_t n = 0;
		for (size_t k = i; k < ep_count && n < 64; k++) {
			if (!net->has_endpoint[k] || used[k] || ep_services[k].type != EP_INTERFACE ||
			    net->endpoint_span[k].lo != net->endpoint_span[i].lo)
				continue;
			done[k] = true;
			names[n++] = ep_services[k].name;
		}
		struct diag *d = diag_add(ck->diags, DIAG_W0602, net->endpoint_span[i],
					  "no workload in network `%s` uses the %s endpoint%s",
					  net->name, word_list(ck, names, n, false), n == 1 ? "" : "s");
		diag_note(ck->diags, d, "each interface endpoint is billed per hour in every zone it serves");
		diag_about(ck->diags, d, net->endpoints_attr);
		diag_help(ck->diags, d, "remove %s with `- [%s]`, or `# sgc: allow W0602` if another stack uses %s",
			  n == 1 ? "it" : "them", word_list(ck, names, n, true), n == 1 ? "it" : "them");
	}
}

void ck_reach(struct checker *ck)
{
	const struct m_env *env = ck->env;
	size_t nnets = env->networks.n;
	/* The path proofs need a complete model: after an error a group may miss the rule that failed. */
	bool complete = !diag_has_errors(ck->diags);
	bool **used = arena_calloc(ck->arena, nnets + 1, sizeof *used);
	bool *has_workload = arena_calloc(ck->arena, nnets + 1, sizeof *has_workload);
	for (size_t i = 0; i <= nnets; i++)
		used[i] = arena_calloc(ck->arena, ep_count, sizeof **used);
	/* Each network's place in `used`, by a hash look-up: thousands of networks cost each workload the same. */
	struct strmap index = { 0 };
	for (size_t k = 0; k < nnets; k++)
		strmap_put(ck->arena, &index, arena_printf(ck->arena, "%p", env->networks.items[k]),
			   (void *)(env->networks.items + k));
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	struct ptrvec workloads = { 0 };            /* struct kind_workload *, proved */
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->workload && i < objs->n; i++) {
			struct kind_workload w = { 0 };
			kinds[k]->workload(ck, objs->items[i], &w);
			/* A refused isolation is none: proving as if isolated would invent errors. */
			if (!w.net || w.net->isolation_unknown) {
				record(ck, kinds[k], objs->items[i], &w, NULL);
				continue;
			}
			char key[32];
			snprintf(key, sizeof key, "%p", (const void *)w.net);
			void **at = strmap_get(&index, key);
			if (!at)
				continue;
			size_t n = (size_t)(at - env->networks.items);
			record(ck, kinds[k], objs->items[i], &w, prove(ck, &w, used[n], complete));
			struct kind_workload *proved = arena_alloc(ck->arena, sizeof *proved);
			*proved = w;
			ptrvec_push(ck->arena, &workloads, proved);
			has_workload[n] = true;
		}
	}
	for (size_t k = 0; complete && k < nnets; k++) {
		ck_paths_network(ck, env->networks.items[k]);
		ck_routes_network(ck, env->networks.items[k]);
	}
	/* Each endpoint's policy, from what the workloads use; a written one must let them through. */
	ck_policies(ck, &workloads);
	/* Lost lifecycle logs matter once the file is otherwise right: its errors come first. */
	for (size_t i = 0; !diag_has_errors(ck->diags) && i < workloads.n; i++)
		script_logs(ck, workloads.items[i]);
	/* Each kind's own rules over the checked environment. */
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->rules && i < objs->n; i++)
			kinds[k]->rules(ck, objs->items[i]);
	}
	lint_params(ck);
	/*
	 * Last, once every proof and rule has had its say: after any error the
	 * model misses what failed, so an endpoint would look unused, and the
	 * help would say to delete what the fix needs (E0601 and friends above
	 * count too, not only the errors of earlier stages).
	 */
	if (diag_has_errors(ck->diags))
		return;
	/* A network without workloads may serve other stacks; its endpoints are its own business. */
	for (size_t k = 0; k < nnets; k++)
		if (has_workload[k])
			unused_endpoints(ck, env->networks.items[k], used[k]);
}
