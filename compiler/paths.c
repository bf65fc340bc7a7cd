/*
 * paths.c - the path proof (see paths.h): a workload without internet
 * reaches each service it requires only if its packets arrive, judged hop
 * by hop over what sgc emits, from the facts the kinds declare:
 *
 *   interface endpoint: workload group egress TCP 443 to the endpoint's
 *     interfaces (a CIDR containing every subnet they live in, or the
 *     endpoint's group) -> the VPC's local route (always there: sgc emits
 *     no route that overrides it) -> endpoint group ingress TCP 443 from
 *     the workload (its group, or a CIDR containing its subnets) -> DNS:
 *     private DNS on, the VPC's DNS support and hostnames on, and one
 *     private-DNS endpoint per service per VPC (reference endpoints.md
 *     section 5 item 5; VPC User Guide, privatelink "DNS hostnames" and
 *     "Private DNS").
 *   gateway endpoint (s3, dynamodb): workload group egress TCP 443 to the
 *     service's prefix list (or anywhere) -> the workload subnet's route
 *     table carries the endpoint's route (VPC User Guide, gateway
 *     endpoints: "route tables").
 *
 * Security groups are stateful (replies pass), and the rules of all the
 * groups on an interface add up (VPC User Guide, security group rules):
 * so a hop passes when any rule of any group admits it. A blocked hop is
 * one error naming it, where the user can fix it, with a help that writes
 * the rule to add. What this does not cover: docs/language.md section 11.
 */
#include <string.h>

#include "paths.h"
#include "diag.h"

/* TCP 443 within the rule's protocol and ports. */
static bool admits_443(const struct m_rule *r)
{
	if (strcmp(r->protocol, "-1") == 0)
		return true;
	return strcmp(r->protocol, "tcp") == 0 && r->from_port <= 443 && r->to_port >= 443;
}

static bool in(const struct ptrvec *v, const void *p)
{
	for (size_t i = 0; v && i < v->n; i++)
		if (v->items[i] == p)
			return true;
	return false;
}

/* Whether rule `r` of group `g` names a group of `peers` (a group peer, or itself). */
static bool names_group(const struct m_rule *r, const struct m_sg *g, const struct ptrvec *peers)
{
	return (r->peer == PEER_GROUP && in(peers, r->group)) || (r->peer == PEER_SELF && in(peers, g));
}

/* Egress hop to an interface endpoint: every subnet its interfaces live in, or its group. */
static bool egress_to_interface(const struct ptrvec *sgs, const struct m_endpoint *ep)
{
	for (size_t s = 0; s < ep->subnets.n; s++) {
		const struct m_subnet *sn = ep->subnets.items[s];
		bool ok = false;
		for (size_t i = 0; i < sgs->n && !ok; i++) {
			const struct m_sg *g = sgs->items[i];
			for (size_t k = 0; k < g->rules.n && !ok; k++) {
				const struct m_rule *r = g->rules.items[k];
				ok = r->egress && admits_443(r) &&
				     ((r->peer == PEER_CIDR && cidr_contains(r->cidr, sn->cidr)) ||
				      names_group(r, g, &ep->sgs));
			}
		}
		if (!ok)
			return false;
	}
	return true;
}

/* Egress hop to a gateway service: its prefix list, or anywhere (its ranges are not fixed). */
static bool egress_to_gateway(const struct ptrvec *sgs, const struct m_endpoint *ep)
{
	for (size_t i = 0; i < sgs->n; i++) {
		const struct m_sg *g = sgs->items[i];
		for (size_t k = 0; k < g->rules.n; k++) {
			const struct m_rule *r = g->rules.items[k];
			if (r->egress && admits_443(r) &&
			    ((r->peer == PEER_PREFIX_LIST && r->prefix_list == ep->svc) ||
			     (r->peer == PEER_CIDR && r->cidr.prefix == 0)))
				return true;
		}
	}
	return false;
}

/* Ingress hop at the endpoint: from the workload's groups, or a range with each of its subnets. */
static bool ingress_from(const struct m_endpoint *ep, const struct kind_path *p)
{
	for (size_t s = 0; s < p->subnets->n; s++) {
		const struct m_subnet *sn = p->subnets->items[s];
		bool ok = false;
		for (size_t i = 0; i < ep->sgs.n && !ok; i++) {
			const struct m_sg *g = ep->sgs.items[i];
			for (size_t k = 0; k < g->rules.n && !ok; k++) {
				const struct m_rule *r = g->rules.items[k];
				ok = !r->egress && admits_443(r) &&
				     ((r->peer == PEER_CIDR && cidr_contains(r->cidr, sn->cidr)) ||
				      names_group(r, g, p->sgs));
			}
		}
		if (!ok)
			return false;
	}
	return true;
}

/* The subnet of `p` whose route table lacks the gateway endpoint, or NULL. */
static const struct m_subnet *unrouted(const struct m_endpoint *ep, const struct kind_path *p)
{
	for (size_t s = 0; s < p->subnets->n; s++)
		if (!in(&ep->subnets, p->subnets->items[s]))
			return p->subnets->items[s];
	return NULL;
}

static const char *group_name(struct checker *ck, const struct m_sg *g)
{
	return g->generated ? arena_printf(ck->arena, "sgc's group for `%s`", g->name)
			    : arena_printf(ck->arena, "`%s`", g->name);
}

static const char *groups_text(struct checker *ck, const struct ptrvec *sgs)
{
	struct strbuf b = { 0 };
	for (size_t i = 0; i < sgs->n; i++)
		strbuf_printf(ck->arena, &b, "%s%s", i ? ", " : "", group_name(ck, sgs->items[i]));
	return b.s ? b.s : "no group";
}

/* "`a`", "`a` and `b`", "`a`, `b` and `c`". */
static const char *names_text(struct checker *ck, const struct m_endpoint *const *eps, size_t n)
{
	struct strbuf b = { 0 };
	for (size_t i = 0; i < n; i++)
		strbuf_printf(ck->arena, &b, "%s`%s`", i == 0 ? "" : i + 1 == n ? " and " : ", ",
			      eps[i]->svc->name);
	return b.s ? b.s : "";
}

/* The first group the user wrote among `sgs`: where the help adds the rule. */
static const struct m_sg *user_group(const struct ptrvec *sgs)
{
	for (size_t i = 0; i < sgs->n; i++)
		if (!((const struct m_sg *)sgs->items[i])->generated)
			return sgs->items[i];
	return NULL;
}

/* E0620: the workload's own egress is the blocking hop. */
static void egress_blocked(struct checker *ck, const struct kind_path *p, const struct m_network *net,
			   const struct m_endpoint *const *eps, size_t n, bool iface, bool gw)
{
	bool declared = p->sgs_at.file != UINT32_MAX;
	struct diag *d = diag_add(ck->diags, DIAG_E0620, declared ? p->sgs_at : p->at,
				  "%s cannot send HTTPS to the %s endpoint%s: its security groups block it",
				  p->what, names_text(ck, eps, n), n == 1 ? "" : "s");
	diag_label(ck->diags, d, "no egress rule of %s admits TCP 443 there", groups_text(ck, p->sgs));
	if (declared)
		diag_secondary(ck->diags, d, p->at, "workload declared here");
	const struct m_sg *ug = user_group(p->sgs);
	if (ug)
		diag_secondary(ck->diags, d, ug->span, "security group `%s` declared here", ug->name);
	const struct m_endpoint *ep = eps[0];
	if (ep->svc->type == EP_INTERFACE)
		diag_note(ck->diags, d, "path: %s -> security group egress TCP 443 to %s (blocked) -> local route "
			  "-> endpoint `%s` (group ingress 443 from the VPC) -> private DNS name",
			  p->what, ck_fmt_cidr(ck, net->cidr), ep->svc->name);
	else
		diag_note(ck->diags, d, "path: %s -> security group egress TCP 443 to the `%s` prefix list (blocked) "
			  "-> route table -> gateway endpoint `%s`", p->what, ep->svc->name, ep->svc->name);
	struct strbuf rules = { 0 };
	if (iface)
		strbuf_printf(ck->arena, &rules, "`egress { port = 443  cidr = %s }`", ck_fmt_cidr(ck, net->cidr));
	for (size_t i = 0; gw && i < n; i++)
		if (eps[i]->svc->type == EP_GATEWAY)
			strbuf_printf(ck->arena, &rules, "%s`egress { port = 443  prefix_list = %s }`",
				      rules.n ? " and " : "", eps[i]->svc->name);
	if (ug)
		diag_help(ck->diags, d, "add %s to security_group `%s`", rules.s, ug->name);
	else
		diag_help(ck->diags, d, "declare a `security_group` in network `%s` with %s and name it in "
			  "`security_groups`", net->name, rules.s);
}

static struct span endpoints_at(const struct m_network *net)
{
	return net->endpoints_attr.file != UINT32_MAX ? net->endpoints_attr : net->span;
}

/* E0621: the endpoint's group does not admit the workload. */
static void ingress_blocked(struct checker *ck, const struct kind_path *p, const struct m_network *net,
			    const struct m_endpoint *ep)
{
	struct diag *d = diag_add(ck->diags, DIAG_E0621, endpoints_at(net),
				  "the `%s` endpoint's security group does not admit HTTPS from %s",
				  ep->svc->name, p->what);
	diag_secondary(ck->diags, d, p->at, "workload declared here");
	diag_note(ck->diags, d, "path: %s -> security group egress 443 -> local route -> endpoint `%s`: "
		  "no ingress rule of %s admits TCP 443 from %s or its subnets (blocked)",
		  p->what, ep->svc->name, groups_text(ck, &ep->sgs), groups_text(ck, p->sgs));
	diag_help(ck->diags, d, "the endpoint group must admit `ingress { port = 443  cidr = %s }`",
		  ck_fmt_cidr(ck, net->cidr));
}

/* E0622: the workload's subnet does not route to the gateway endpoint. */
static void route_blocked(struct checker *ck, const struct kind_path *p, const struct m_network *net,
			  const struct m_endpoint *ep, const struct m_subnet *sn)
{
	struct diag *d = diag_add(ck->diags, DIAG_E0622, ep->at.file != UINT32_MAX ? ep->at : endpoints_at(net),
				  "the route table of subnet `%s` has no route to the `%s` gateway endpoint",
				  sn->name, ep->svc->name);
	diag_secondary(ck->diags, d, p->at, "%s lives in it", p->what);
	diag_note(ck->diags, d, "path: %s -> security group egress 443 to the `%s` prefix list -> route table "
		  "of `%s` (no route: blocked) -> gateway endpoint `%s`", p->what, ep->svc->name, sn->name,
		  ep->svc->name);
	diag_help(ck->diags, d, "a gateway endpoint must be on the route table of every subnet that uses it");
}

/* E0623: the endpoint's name does not resolve to it. */
static void dns_blocked(struct checker *ck, const struct kind_path *p, const struct m_network *net,
			const struct m_endpoint *ep)
{
	struct diag *d = diag_add(ck->diags, DIAG_E0623, ep->at.file != UINT32_MAX ? ep->at : endpoints_at(net),
				  "the `%s` endpoint has private DNS off: %s would resolve its name to the "
				  "public service", ep->svc->name, p->what);
	diag_secondary(ck->diags, d, p->at, "workload declared here");
	diag_note(ck->diags, d, "path: %s -> ... -> endpoint `%s` -> DNS: PrivateDnsEnabled false (blocked); "
		  "SDKs and CLIs call the service by its regional name", p->what, ep->svc->name);
	diag_help(ck->diags, d, "turn private DNS on for the endpoint");
}

void ck_paths(struct checker *ck, const struct kind_workload *w, const bool *required)
{
	const struct m_network *net = w->net;
	size_t neps = net->endpoints.n;
	const struct m_endpoint **blocked = arena_calloc(ck->arena, neps + 1, sizeof *blocked);
	for (size_t i = 0; i < w->paths.n; i++) {
		const struct kind_path *p = w->paths.items[i];
		size_t n = 0;
		bool iface = false, gw = false;
		for (size_t e = 0; e < neps; e++) {
			const struct m_endpoint *ep = net->endpoints.items[e];
			if (!required[ep_index(ep->svc)])
				continue;
			if (ep->svc->type == EP_GATEWAY) {
				const struct m_subnet *sn = unrouted(ep, p);
				if (!egress_to_gateway(p->sgs, ep)) {
					blocked[n++] = ep;
					gw = true;
				} else if (sn) {
					route_blocked(ck, p, net, ep, sn);
				}
				continue;
			}
			if (!egress_to_interface(p->sgs, ep)) {
				blocked[n++] = ep;
				iface = true;
			} else if (!ingress_from(ep, p)) {
				ingress_blocked(ck, p, net, ep);
			} else if (!ep->private_dns) {
				dns_blocked(ck, p, net, ep);
			}
		}
		if (n)
			egress_blocked(ck, p, net, blocked, n, iface, gw);
	}
}

void ck_paths_network(struct checker *ck, const struct m_network *net)
{
	bool any_dns = false;
	for (size_t e = 0; e < net->endpoints.n; e++) {
		const struct m_endpoint *ep = net->endpoints.items[e];
		if (!ep->private_dns)
			continue;
		any_dns = true;
		for (size_t k = 0; k < e; k++) {
			const struct m_endpoint *first = net->endpoints.items[k];
			if (first->svc != ep->svc || !first->private_dns)
				continue;
			struct diag *d = diag_add(ck->diags, DIAG_E0624, ep->at.file != UINT32_MAX ? ep->at
						  : endpoints_at(net),
						  "network `%s` has two private-DNS endpoints for `%s`",
						  net->name, ep->svc->name);
			if (first->at.file != UINT32_MAX)
				diag_secondary(ck->diags, d, first->at, "the first one");
			diag_note(ck->diags, d, "a VPC takes one endpoint with private DNS per service: "
				  "the second fails to create");
			diag_help(ck->diags, d, "keep one endpoint for `%s`", ep->svc->name);
			break;
		}
	}
	if (!any_dns || (net->dns_support && net->dns_hostnames))
		return;
	struct diag *d = diag_add(ck->diags, DIAG_E0623, net->span,
				  "network `%s` has DNS %s off: its endpoints' private names do not resolve",
				  net->name, !net->dns_support ? "support" : "hostnames");
	diag_note(ck->diags, d, "private DNS on an interface endpoint needs the VPC's EnableDnsSupport "
		  "and EnableDnsHostnames");
	diag_help(ck->diags, d, "turn both on for the VPC");
}

/* ---- routes through a firewall ----------------------------------------------------- */

/* The route of `table` (NULL: the public table) a packet to `dest` takes: the longest prefix. */
static const struct m_route *route_to(const struct m_network *net, const struct m_subnet *table,
				      struct cidr dest)
{
	const struct m_route *best = NULL;
	for (size_t i = 0; i < net->routes.n; i++) {
		const struct m_route *r = net->routes.items[i];
		if (r->table == table && cidr_contains(r->dest, dest) &&
		    (!best || r->dest.prefix > best->dest.prefix))
			best = r;
	}
	return best;
}

static const struct m_subnet *firewall_subnet(const struct m_firewall *fw, char zone)
{
	for (size_t i = 0; i < fw->subnets.n; i++)
		if (((const struct m_subnet *)fw->subnets.items[i])->zone == zone)
			return fw->subnets.items[i];
	return NULL;
}

static const char *hop_text(struct checker *ck, const struct m_route *r)
{
	if (!r)
		return "no route";
	switch (r->hop) {
	case HOP_IGW:
		return "the internet gateway";
	case HOP_NAT:
		return arena_printf(ck->arena, "the NAT gateway in `%s`", r->via->name);
	case HOP_FIREWALL:
		break;
	}
	return arena_printf(ck->arena, "the firewall endpoint of zone `%c`", r->zone);
}

/* E0661: a way out of `sn` that does not cross its own zone's firewall endpoint. */
static void bypass(struct checker *ck, const struct m_firewall *fw, const struct m_subnet *sn,
		   const struct m_route *r, const char *why)
{
	const struct m_network *net = fw->net;
	struct diag *d = diag_add(ck->diags, DIAG_E0661, sn->span,
				  "subnet `%s` reaches the internet around firewall `%s`", sn->name, fw->name);
	diag_label(ck->diags, d, "%s", why);
	diag_secondary(ck->diags, d, fw->span, "firewall declared here");
	diag_note(ck->diags, d, "path: subnet `%s` (zone %c) -> route %s -> %s; every route from a workload "
		  "subnet out of `%s` must go to the firewall endpoint of its own zone",
		  sn->name, sn->zone, ck_fmt_cidr(ck, r->dest), hop_text(ck, r), ck_fmt_cidr(ck, net->cidr));
	diag_help(ck->diags, d, "route `%s` to the firewall endpoint of zone `%c`, whose subnet routes to "
		  "the NAT gateway", sn->name, sn->zone);
}

/* E0662: replies to `sn` come back through `r` (the NAT subnet's table), not its zone's endpoint. */
static void asymmetric(struct checker *ck, const struct m_firewall *fw, const struct m_subnet *sn,
		       const struct m_subnet *nat, const struct m_route *r)
{
	struct diag *d = diag_add(ck->diags, DIAG_E0662, sn->span,
				  "replies to subnet `%s` return around firewall `%s`", sn->name, fw->name);
	diag_label(ck->diags, d, "the NAT gateway's subnet `%s` sends them to %s", nat->name,
		   r ? hop_text(ck, r) : "the local route");
	diag_secondary(ck->diags, d, fw->span, "firewall declared here");
	diag_note(ck->diags, d, "path: internet gateway -> NAT gateway in `%s` -> route to %s -> %s; the "
		  "firewall is stateful: it sees a flow only if both directions cross the same endpoint",
		  nat->name, ck_fmt_cidr(ck, sn->cidr), r ? hop_text(ck, r) : "the local route");
	diag_help(ck->diags, d, "route `%s` in the public route table to the firewall endpoint of zone `%c`",
		  ck_fmt_cidr(ck, sn->cidr), sn->zone);
}

/*
 * One workload subnet: each of its routes that leaves the VPC goes to its
 * zone's firewall endpoint, that endpoint's subnet routes on to a NAT
 * gateway, and the NAT gateway's subnet sends the replies back through the
 * same endpoint (longest prefix over the VPC's local route: AWS VPC User
 * Guide, route tables, "more specific routes" and middlebox routing).
 */
static void prove_subnet(struct checker *ck, const struct m_firewall *fw, const struct m_subnet *sn)
{
	const struct m_network *net = fw->net;
	for (size_t i = 0; i < net->routes.n; i++) {
		const struct m_route *r = net->routes.items[i];
		if (r->table != sn || cidr_contains(net->cidr, r->dest))
			continue;
		if (r->hop != HOP_FIREWALL) {
			bypass(ck, fw, sn, r, arena_printf(ck->arena, "its route table sends %s to %s",
							   ck_fmt_cidr(ck, r->dest), hop_text(ck, r)));
			continue;
		}
		if (r->zone != sn->zone) {
			bypass(ck, fw, sn, r, arena_printf(ck->arena, "its route table sends %s to zone `%c`'s "
							   "endpoint, not its own zone `%c`'s",
							   ck_fmt_cidr(ck, r->dest), r->zone, sn->zone));
			continue;
		}
		const struct m_subnet *fs = firewall_subnet(fw, sn->zone);
		const struct m_route *out = fs ? route_to(net, fs, r->dest) : NULL;
		if (!fs || !out || out->hop != HOP_NAT) {
			bypass(ck, fw, sn, r, fs ? "the firewall subnet of its zone does not route on to a NAT gateway"
					      : "the firewall has no endpoint in its zone");
			continue;
		}
		const struct m_route *back = out->via->public ? route_to(net, NULL, sn->cidr)
							      : route_to(net, out->via, sn->cidr);
		if (!back || back->hop != HOP_FIREWALL || back->zone != sn->zone)
			asymmetric(ck, fw, sn, out->via, back);
	}
}

void ck_routes_network(struct checker *ck, const struct m_network *net)
{
	const struct m_firewall *fw = net->firewall;
	if (!fw || !fw->subnets.n)
		return;
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		if (!sn->public && !sn->firewall)
			prove_subnet(ck, fw, sn);
	}
}
