/*
 * check_reach.c - the checker's proofs over a checked environment:
 * every service a workload uses is reachable, an isolated network has no
 * way out, instances fit their workload, and the lints a reviewer wants.
 *
 * Reachability reads the feature -> endpoint table (needs.h). Isolation is
 * proved over what sgc itself emits: a private subnet's route table holds
 * only the local route and gateway endpoints, so the ways out are a public
 * subnet (E0401), a workload's own internet access, and security-group
 * egress; each is checked here and reported hop by hop.
 */
#include <string.h>
#include <strings.h>

#include "check_impl.h"
#include "diag.h"
#include "grants.h"
#include "instances.h"
#include "kinds/kinds.h"
#include "needs.h"
#include "suggest.h"

/* Features and endpoints of one workload, gathered before comparing. */
struct workload {
	const char *what;            /* "notebook `analyst`" */
	const struct m_network *net;
	struct span at;              /* the workload's declaration */
	const struct m_grants *grants;
	bool no_internet;            /* its subnets have no way out */
};

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
static void missing_endpoints(struct checker *ck, const struct workload *w,
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
	diag_note(ck->diags, d, "its subnets have no route to the internet; source: %s", fn->source);
	if (net->endpoints_attr.file != UINT32_MAX)
		diag_help(ck->diags, d, "write `endpoints = %s + [%s]`",
			  src_text(ck, net->endpoints_value), word_list(ck, eps, n, true));
	else
		diag_help(ck->diags, d, "add `endpoints = [%s]` to network `%s`",
			  word_list(ck, eps, n, true), net->name);
}

static void need(struct checker *ck, const struct workload *w, const struct feature_needs *fn,
		 struct span at, const char *use, bool *used)
{
	const char *missing[NEEDS_MAX];
	size_t n = 0;
	for (int i = 0; fn->required[i]; i++) {
		used[ep_index(ep_find(fn->required[i]))] = true;
		if (w->no_internet && !has_ep(w->net, fn->required[i]))
			missing[n++] = fn->required[i];
	}
	for (int i = 0; fn->optional[i]; i++)
		used[ep_index(ep_find(fn->optional[i]))] = true;
	if (n)
		missing_endpoints(ck, w, fn, missing, n, at, use);
}

/* A use needs the endpoints of using its object's kind, or those of its step. */
static const struct feature_needs *needs_of_use(const struct m_use *u)
{
	return u->needs ? u->needs : kinds_of(u->kind)->use->needs;
}

static void uses_needs(struct checker *ck, const struct workload *w, bool *used)
{
	for (size_t i = 0; i < w->grants->uses.n; i++) {
		const struct m_use *u = w->grants->uses.items[i];
		const char *what = strcmp(u->what, "uses") == 0
			? arena_printf(ck->arena, "%s, using `%s`,", w->what, src_text(ck, u->span))
			: arena_printf(ck->arena, "`%s` in %s", u->what, w->what);
		need(ck, w, needs_of_use(u), u->span, what, used);
	}
}

/* ---- isolation ---------------------------------------------------------------- */

static void egress_rules(struct checker *ck, const struct workload *w,
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
		} else if (net->isolation == ISO_RESTRICTED && r->cidr.prefix == 0) {
			struct diag *d = diag_add(ck->diags, DIAG_E0605, r->peer_span,
						  "restricted network `%s` lets %s out to anywhere",
						  net->name, w->what);
			diag_note(ck->diags, d, "path: %s -> security group `%s` -> egress to 0.0.0.0/0 -> NAT gateway",
				  w->what, sg->name);
			diag_help(ck->diags, d, "list the ranges it may reach, one `egress` per range");
		}
	}
}

static void check_isolation(struct checker *ck, const struct workload *w,
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

static void check_notebook_reach(struct checker *ck, const struct m_notebook *nb, bool *used_by_net[])
{
	const struct m_network *net = nb->subnet ? nb->subnet->net : NULL;
	/*
	 * SageMaker gives a notebook's interface no public address, so only a
	 * private subnet routed to a NAT gateway (restricted) reaches the
	 * internet through the VPC; a public subnet's gateway route does not.
	 */
	struct workload w = {
		.what = arena_printf(ck->arena, "notebook `%s`", nb->name),
		.net = net, .at = nb->span, .grants = &nb->grants,
		.no_internet = net && !nb->direct_internet &&
			       !(net->isolation == ISO_RESTRICTED && !nb->subnet->public),
	};
	ck_fit_instance(ck, &nb->instance, INST_NOTEBOOK, w.what);
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
		}
		return;
	}
	bool *used = used_by_net[0];
	for (size_t i = 0; i < ck->env->networks.n; i++)
		if (ck->env->networks.items[i] == net)
			used = used_by_net[i];
	need(ck, &w, needs_of(FEAT_NOTEBOOK), nb->span, w.what, used);
	uses_needs(ck, &w, used);
	check_isolation(ck, &w, &nb->sgs, nb->direct_internet, nb->direct_span,
			arena_printf(ck->arena, "notebook `%s` -> SageMaker-managed network with internet "
				     "(DirectInternetAccess Enabled)", nb->name));
	/* In an isolated network that is an error already (E0603). */
	if (nb->direct_internet && net->isolation != ISO_ISOLATED) {
		struct diag *d = diag_add(ck->diags, DIAG_W0606, nb->span,
					  "notebook `%s` can reach the internet", nb->name);
		diag_note(ck->diags, d, "direct internet access is on: SageMaker's network, not the VPC's");
	}
}

static void check_studio_reach(struct checker *ck, const struct m_studio *st, bool *used)
{
	const struct m_network *net = st->net;
	bool via_nat = false;
	for (size_t i = 0; net && i < st->subnets.n; i++)
		via_nat |= net->isolation == ISO_RESTRICTED &&
			   !((const struct m_subnet *)st->subnets.items[i])->public;
	struct workload w = {
		.what = arena_printf(ck->arena, "studio `%s`", st->name),
		.net = net, .at = st->span, .grants = &st->grants,
		.no_internet = net && st->vpc_only && !via_nat,
	};
	grants_lint(ck, &st->grants);
	for (int a = 0; a < 2; a++)
		if (st->apps[a].present)
			ck_fit_instance(ck, &st->apps[a].instance, INST_STUDIO, w.what);
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		const struct instance_type *t = ck_fit_instance(ck, &sp->instance, INST_STUDIO,
						    arena_printf(ck->arena, "space `%s`", sp->name));
		remote_fit(ck, sp, t);
		if (sp->remote_access && net && used)
			need(ck, &w, needs_of(FEAT_REMOTE), sp->remote_span,
			     arena_printf(ck->arena, "remote access to space `%s`", sp->name), used);
	}
	if (!net || !used)
		return;
	if (st->vpc_only) {
		need(ck, &w, needs_of(FEAT_STUDIO), st->subnets_span, w.what, used);
		const char *pub[16];
		size_t npub = 0;
		for (size_t i = 0; i < st->subnets.n && npub < 16; i++)
			if (((const struct m_subnet *)st->subnets.items[i])->public)
				pub[npub++] = ((const struct m_subnet *)st->subnets.items[i])->name;
		if (npub) {
			struct diag *d = diag_add(ck->diags, DIAG_E0604, st->subnets_span,
						  "VpcOnly studio `%s` uses public subnet%s %s", st->name,
						  npub == 1 ? "" : "s", word_list(ck, pub, npub, false));
			diag_note(ck->diags, d, "SageMaker does not accept public subnets for VpcOnly domains");
			diag_help(ck->diags, d, "use private subnets, or `access = public_internet`");
		}
	}
	uses_needs(ck, &w, used);
	check_isolation(ck, &w, NULL, !st->vpc_only, st->access_span,
			arena_printf(ck->arena, "studio `%s` -> PublicInternetOnly: apps reach the internet "
				     "through SageMaker's network", st->name));
	if (!st->vpc_only && net->isolation != ISO_ISOLATED) {
		struct diag *d = diag_add(ck->diags, DIAG_W0606, st->span,
					  "studio `%s` can reach the internet", st->name);
		diag_note(ck->diags, d, "its apps use PublicInternetOnly networking");
	}
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
		diag_help(ck->diags, d, "remove %s with `- [%s]`, or `# sgc: allow W0602` if another stack uses %s",
			  n == 1 ? "it" : "them", word_list(ck, names, n, true), n == 1 ? "it" : "them");
	}
}

void ck_reach(struct checker *ck)
{
	const struct m_env *env = ck->env;
	size_t nnets = env->networks.n;
	/* After an error the model misses what failed: an endpoint would look unused. */
	bool complete = !diag_has_errors(ck->diags);
	bool **used = arena_calloc(ck->arena, nnets + 1, sizeof *used);
	bool *has_workload = arena_calloc(ck->arena, nnets + 1, sizeof *has_workload);
	for (size_t i = 0; i <= nnets; i++)
		used[i] = arena_calloc(ck->arena, ep_count, sizeof **used);
	for (size_t i = 0; i < env->notebooks.n; i++) {
		const struct m_notebook *nb = env->notebooks.items[i];
		check_notebook_reach(ck, nb, used);
		for (size_t k = 0; nb->subnet && k < nnets; k++)
			has_workload[k] |= env->networks.items[k] == nb->subnet->net;
	}
	for (size_t i = 0; i < env->studios.n; i++) {
		const struct m_studio *st = env->studios.items[i];
		size_t k = 0;
		while (k < nnets && env->networks.items[k] != st->net)
			k++;
		check_studio_reach(ck, st, k < nnets ? used[k] : NULL);
		if (k < nnets)
			has_workload[k] = true;
	}
	/* A network without workloads may serve other stacks; its endpoints are its own business. */
	for (size_t k = 0; complete && k < nnets; k++)
		if (has_workload[k])
			unused_endpoints(ck, env->networks.items[k], used[k]);
	/* Each kind's own rules over the checked environment. */
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->rules && i < objs->n; i++)
			kinds[k]->rules(ck, objs->items[i]);
	}
	lint_params(ck);
}
