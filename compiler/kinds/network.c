/*
 * network.c - the `network` resource kind: a VPC (DNS support and
 * hostnames on, which private DNS on interface endpoints requires), its
 * subnets with one route table per private subnet, the internet gateway
 * and a shared public route table when any subnet is public, one NAT
 * gateway per zone in a restricted network, security groups whose egress
 * is always explicit, and the VPC endpoints of its endpoint set.
 *
 * The checks are CIDR arithmetic (each range exact, inside the VPC, no
 * overlap, /16 to /28), zones against the Region, the isolation rules of
 * each subnet, the endpoint set, and the capacity of each subnet for the
 * interfaces placed in it. The rules cite the AWS constraint they enforce;
 * facts and sources: shared/reference/cloudformation.md and endpoints.md.
 * A workload in the network finds what its network became through
 * lw_net (lowering.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "diag.h"
#include "epset.h"
#include "iam_rows.h"
#include "kind.h"
#include "lowering.h"

static const char *const isolation_words[] = { "isolated", "restricted",
						"public", NULL };
static const char *const protocol_words[] = { "tcp", "udp", "icmp", "all",
					       NULL };
static const char *const prefix_list_words[] = { "s3", "dynamodb", NULL };
static const char *const principals_words[] = { "account", "any", NULL };

static const struct attr_schema network_attrs[] = {
	{ "cidr", VT_CIDR, true, NULL, NULL,
	  "VPC range, /16 to /28, no host bits" },
	{ "isolation", VT_WORD, true, isolation_words, NULL,
	  "isolated: no internet path; restricted: egress through NAT; public: internet gateway" },
	{ "endpoints", VT_ENDPOINTS, false, NULL, NULL,
	  "VPC endpoint services, as a set expression" },
};

static const struct attr_schema subnet_attrs[] = {
	{ "cidr", VT_CIDR, true, NULL, NULL,
	  "subnet range, /16 to /28, inside the network's range" },
	{ "zone", VT_ZONE, true, NULL, NULL,
	  "availability-zone letter in the environment's Region" },
	{ "public", VT_BOOL, false, NULL, NULL,
	  "routes to the internet gateway (default: true in public networks, false otherwise)" },
};

static const struct attr_schema security_group_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL,
	  "GroupDescription (changing it replaces the group)" },
};

static const struct attr_schema rule_attrs[] = {
	{ "protocol", VT_WORD, false, protocol_words, NULL,
	  "tcp (default), udp, icmp or all" },
	{ "port", VT_PORT, false, NULL, NULL, "a single port" },
	{ "from_port", VT_PORT, false, NULL, NULL, "first port of a range" },
	{ "to_port", VT_PORT, false, NULL, NULL, "last port of a range" },
	{ "cidr", VT_CIDR, false, NULL, NULL, "peer address range" },
	{ "group", VT_REF, false, NULL, "security_group",
	  "peer security group" },
	{ "self", VT_BOOL, false, NULL, NULL,
	  "the peer is this security group itself" },
	{ "prefix_list", VT_WORD, false, prefix_list_words, NULL,
	  "AWS-managed prefix list of a gateway service (egress only)" },
	{ "description", VT_STRING, false, NULL, NULL, "rule description" },
};

static const struct attr_schema endpoint_policy_attrs[] = {
	{ "services", VT_ENDPOINTS, true, NULL, NULL,
	  "the endpoints whose policy this statement joins, as a set expression" },
	{ "actions", VT_STRINGS, true, NULL, NULL,
	  "IAM actions `service:Action` (wildcards allowed), or \"*\"" },
	{ "resources", VT_STRINGS, false, NULL, NULL,
	  "resource ARNs (`${AWS::...}` allowed); default [\"*\"]" },
	{ "principals", VT_WORD, false, principals_words, NULL,
	  "account (default): only the stack's account's principals; any: also URLs AWS presigns" },
	{ "resource_owner", VT_WORD, false, principals_words, NULL,
	  "account: only resources of the stack's account; any (default)" },
};

static const struct block_schema network_schema = {
	"network", "environment", true, SCHEMA_ATTRS(network_attrs),
	"a VPC with its subnets, routes, security groups and endpoints"
};

static const struct block_schema subnet_schema = {
	"subnet", "network", true, SCHEMA_ATTRS(subnet_attrs),
	"a subnet in one availability zone"
};

static const struct block_schema security_group_schema = {
	"security_group", "network", true, SCHEMA_ATTRS(security_group_attrs),
	"a security group whose rules are all explicit"
};

static const struct block_schema endpoint_policy_schema = {
	"endpoint_policy", "network", true, SCHEMA_ATTRS(endpoint_policy_attrs),
	"one Allow statement of the policies of some of the network's endpoints, replacing sgc's"
};

static const struct block_schema ingress_schema = {
	"ingress", "security_group", false, SCHEMA_ATTRS(rule_attrs),
	"an inbound rule"
};

static const struct block_schema egress_schema = {
	"egress", "security_group", false, SCHEMA_ATTRS(rule_attrs),
	"an outbound rule; without any, the group allows no egress"
};

/* ---- checking ------------------------------------------------------------------ */

/* AWS accepts VPC and subnet IPv4 blocks from /16 to /28. */
static bool check_prefix(struct checker *ck, struct cidr c, struct span at,
			 enum diag_code code, const char *what)
{
	if (c.prefix >= 16 && c.prefix <= 28)
		return true;
	struct diag *d = diag_add(ck->diags, code, at,
				  "a %s prefix of /%u is not accepted by AWS", what,
				  c.prefix);
	diag_label(ck->diags, d, "%s", c.prefix < 16 ? "larger than /16" : "smaller than /28");
	diag_help(ck->diags, d, "use a prefix from /16 to /28, e.g. `%s`",
		  ck_fmt_cidr(ck, cidr_aligned((struct cidr){ c.addr,
							   c.prefix < 16 ? 16 : 28 })));
	return false;
}

static void check_zone(struct checker *ck, const struct m_env *env,
		       const struct ast_item *attr, struct m_subnet *sn)
{
	const struct ast_expr *e = attr->value;
	const char *w = e->kind == EX_NAME && e->u.name->n == 1 ? e->u.name->parts[0] : NULL;
	if (!w || strlen(w) != 1 || w[0] < 'a' || w[0] > 'z') {
		if (e->kind == EX_INVALID)
			return;
		struct diag *d = diag_add(ck->diags, DIAG_E0210, e->span,
					  "`zone` is an availability-zone letter");
		diag_help(ck->diags, d, "write the letter alone, e.g. `zone = a` for `%sa`",
			  env->region ? env->region->name : "us-east-1");
		return;
	}
	sn->zone = w[0];
	sn->zone_span = e->span;
	if (env->region && !region_has_zone(env->region, sn->zone)) {
		const char *list = NULL;
		for (const char *z = env->region->zones; *z; z++)
			list = list ? arena_printf(ck->arena, "%s, `%c`", list, *z)
				    : arena_printf(ck->arena, "`%c`", *z);
		struct diag *d = diag_add(ck->diags, DIAG_W0307, e->span,
					  "zone `%s%c` does not exist in %s",
					  env->region->name, sn->zone, env->region->name);
		diag_note(ck->diags, d, "%s has zones %s", env->region->name, list);
		diag_help(ck->diags, d, "use one of %s", list);
	}
}

/*
 * `iso_known` is false when the network's isolation was invalid: rules
 * that depend on it stay quiet rather than guess. `*public_unknown` is
 * set when `public` had no valid value.
 */
static struct m_subnet *check_subnet(struct checker *ck, const struct m_env *env,
				     struct m_network *net, const struct ast_item *b,
				     bool iso_known, bool *public_unknown)
{
	const struct block_schema *bs = &subnet_schema;
	struct slots sl;
	ck_validate_attrs(ck, b, bs, &sl);
	struct m_subnet *sn = arena_alloc(ck->arena, sizeof *sn);
	sn->name = b->name;
	sn->span = b->name_span;
	sn->item = b;
	sn->net = net;
	sn->public = net->isolation == ISO_PUBLIC;
	bool ok = ck_get_cidr(ck, b->scope, sl.at[0], &sn->cidr, &sn->cidr_span) &&
		  check_prefix(ck, sn->cidr, sn->cidr_span, DIAG_E0304, "subnet");
	if (sl.at[1])
		check_zone(ck, env, sl.at[1], sn);
	if (sl.at[2]) {
		const struct ast_expr *pv = ck_value_of(ck, b->scope, sl.at[2], EX_BOOL, VT_BOOL);
		if (pv)
			sn->public = pv->u.b;
		else
			*public_unknown = true;
		if (pv && sn->public && iso_known && net->isolation == ISO_ISOLATED) {
			struct diag *d = diag_add(ck->diags, DIAG_E0401, sl.at[2]->span,
						  "subnet `%s` is public in isolated network `%s`",
						  sn->name, net->name);
			diag_label(ck->diags, d, "a public subnet routes to an internet gateway");
			diag_help(ck->diags, d,
				  "remove `public = true`, or declare the network `isolation = restricted`");
		}
	}
	return ok ? sn : NULL;
}

/*
 * Help lines name a free range of the network: one for each subnet
 * outside it and each overlap. A network may have thousands of subnets,
 * so the subnets' ranges are sorted once and the answer for each prefix
 * length is kept; the search itself is one sweep (first_free). Before,
 * every help line copied all the ranges and searched them afresh: 16k
 * overlapping subnets took 2 GB and minutes.
 */
struct free_ranges {
	struct cidr within;      /* the network's range */
	struct cidr *used;       /* every subnet's range, by first address */
	size_t n;
	bool searched[33];       /* by prefix length */
	const char *found[33];   /* NULL when no block of that length is free */
};

static int by_first(const void *pa, const void *pb)
{
	uint32_t a = cidr_first(*(const struct cidr *)pa);
	uint32_t b = cidr_first(*(const struct cidr *)pb);
	return a < b ? -1 : a > b;
}

static void free_ranges_init(struct checker *ck, const struct m_network *net,
			     struct free_ranges *fr)
{
	memset(fr, 0, sizeof *fr);
	fr->within = net->cidr;
	fr->n = net->subnets.n;
	fr->used = arena_calloc(ck->arena, fr->n + 1, sizeof *fr->used);
	for (size_t i = 0; i < fr->n; i++)
		fr->used[i] = ((struct m_subnet *)net->subnets.items[i])->cidr;
	qsort(fr->used, fr->n, sizeof *fr->used, by_first);
}

/*
 * The lowest aligned /prefix block of `within` that meets none of
 * used[0..n) (sorted by first address), in one pass: a candidate that
 * meets a range moves past it, rounded up to the next aligned block, and
 * the first range that starts after the candidate proves it free, since
 * every later one starts later still. Same answer as cidr_first_free,
 * which rescans every range for each candidate.
 */
static bool first_free(struct cidr within, uint8_t prefix, const struct cidr *used,
		       size_t n, struct cidr *out)
{
	if (prefix > 32 || prefix < within.prefix)
		return false;
	uint64_t step = (uint64_t)1 << (32 - prefix);
	uint64_t end = (uint64_t)cidr_last(within) + 1;
	uint64_t cur = cidr_first(within);
	for (size_t i = 0; i < n && cur + step <= end; i++) {
		if (cidr_first(used[i]) > cur + step - 1)
			break;
		if (cidr_last(used[i]) >= cur)
			cur = ((uint64_t)cidr_last(used[i]) + step) & ~(step - 1);
	}
	if (cur + step > end)
		return false;
	*out = (struct cidr){ .addr = (uint32_t)cur, .prefix = prefix };
	return true;
}

/* A /prefix block inside the network that no subnet uses, for help lines. */
static const char *free_block(struct checker *ck, struct free_ranges *fr, uint8_t prefix)
{
	if (prefix > 32)
		return NULL;
	if (!fr->searched[prefix]) {
		struct cidr out;
		fr->searched[prefix] = true;
		if (first_free(fr->within, prefix, fr->used, fr->n, &out))
			fr->found[prefix] = ck_fmt_cidr(ck, out);
	}
	return fr->found[prefix];
}

static void check_inside(struct checker *ck, const struct m_network *net,
			 const struct m_subnet *sn, struct free_ranges *fr)
{
	if (cidr_contains(net->cidr, sn->cidr))
		return;
	struct diag *d = diag_add(ck->diags, DIAG_E0305, sn->cidr_span,
				  "subnet `%s` is outside network `%s`", sn->name,
				  net->name);
	diag_label(ck->diags, d, "`%s` is not inside `%s`", ck_fmt_cidr(ck, sn->cidr),
		   ck_fmt_cidr(ck, net->cidr));
	diag_secondary(ck->diags, d, net->cidr_span, "network range declared here");
	const char *alt = free_block(ck, fr, sn->cidr.prefix);
	if (alt)
		diag_help(ck->diags, d, "pick a free range inside `%s`, e.g. `%s`",
			  ck_fmt_cidr(ck, net->cidr), alt);
	else
		diag_help(ck->diags, d, "pick a range inside `%s`", ck_fmt_cidr(ck, net->cidr));
}

static int by_first_address(const void *pa, const void *pb)
{
	const struct m_subnet *a = *(const struct m_subnet *const *)pa;
	const struct m_subnet *b = *(const struct m_subnet *const *)pb;
	int c = cidr_compare(a->cidr, b->cidr);
	if (c)
		return c;
	return a->span.lo < b->span.lo ? -1 : a->span.lo > b->span.lo;
}

/*
 * Overlaps in O(n log n): sorted by first address, a subnet overlaps an
 * earlier one exactly when it starts before the furthest end seen so far.
 * The later-declared subnet of a pair carries the error.
 */
static void check_overlaps(struct checker *ck, struct m_subnet **inside, size_t n,
			   struct free_ranges *fr)
{
	qsort(inside, n, sizeof *inside, by_first_address);
	const struct m_subnet *reach = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct m_subnet *cur = inside[i];
		if (reach && cidr_first(cur->cidr) <= cidr_last(reach->cidr)) {
			const struct m_subnet *first = reach, *second = cur;
			if (first->span.lo > second->span.lo) {
				first = cur;
				second = reach;
			}
			struct diag *d = diag_add(ck->diags, DIAG_E0306, second->cidr_span,
						  "subnets `%s` and `%s` overlap",
						  first->name, second->name);
			diag_label(ck->diags, d, "`%s` overlaps `%s`",
				   ck_fmt_cidr(ck, second->cidr), ck_fmt_cidr(ck, first->cidr));
			diag_secondary(ck->diags, d, first->cidr_span, "`%s` declared here",
				       first->name);
			const char *alt = free_block(ck, fr, second->cidr.prefix);
			if (alt)
				diag_help(ck->diags, d, "give `%s` a free range, e.g. `%s`",
					  second->name, alt);
		}
		if (!reach || cidr_last(cur->cidr) > cidr_last(reach->cidr))
			reach = cur;
	}
}

/*
 * Interface endpoints take one subnet per zone (AWS refuses two subnets in
 * the same zone); they go in the private subnets when there are any.
 */
static void place_endpoints(struct checker *ck, struct m_network *net)
{
	bool any_private = false;
	for (size_t i = 0; i < net->subnets.n; i++)
		if (!((struct m_subnet *)net->subnets.items[i])->public)
			any_private = true;
	char seen[27] = { 0 };
	for (size_t i = 0; i < net->subnets.n; i++) {
		struct m_subnet *sn = net->subnets.items[i];
		if ((any_private && sn->public) || strchr(seen, sn->zone))
			continue;
		seen[strlen(seen)] = sn->zone;
		ptrvec_push(ck->arena, &net->endpoint_subnets, sn);
	}
}

/*
 * What the network's VPC and endpoints become, as facts the path proof
 * judges and the lowering emits: DNS support and hostnames on (private
 * DNS needs both), one generated group admitting HTTPS from the VPC's
 * range to every interface endpoint, interface endpoints with private DNS
 * in the endpoint subnets, gateway endpoints on every subnet's route table.
 */
static void model_endpoints(struct checker *ck, struct m_network *net)
{
	net->dns_support = net->dns_hostnames = true;
	if (net->ninterface) {
		net->endpoint_sg = m_sg_generated(ck->arena, net, "endpoints", NULL,
						  arena_printf(ck->arena, "HTTPS from network %s to its interface endpoints",
							       net->name), net->span);
		struct m_rule *r = m_sg_rule(ck->arena, net->endpoint_sg, false, 443, 443, PEER_CIDR,
					     "HTTPS from the VPC");
		r->cidr = net->cidr;
	}
	for (size_t i = 0; i < ep_count; i++) {
		if (!net->has_endpoint[i])
			continue;
		struct m_endpoint *ep = arena_alloc(ck->arena, sizeof *ep);
		ep->svc = &ep_services[i];
		ep->at = net->endpoint_span[i];
		if (ep->svc->type == EP_GATEWAY) {
			ep->subnets = net->subnets;
		} else {
			ep->private_dns = true;
			ep->subnets = net->endpoint_subnets;
			ptrvec_push(ck->arena, &ep->sgs, net->endpoint_sg);
		}
		ptrvec_push(ck->arena, &net->endpoints, ep);
	}
}

/* A restricted network gets one NAT gateway per zone with a public subnet. */
static void place_nat(struct m_network *net)
{
	char seen[27] = { 0 };
	for (size_t i = 0; i < net->subnets.n; i++) {
		struct m_subnet *sn = net->subnets.items[i];
		if (!sn->public || strchr(seen, sn->zone))
			continue;
		seen[strlen(seen)] = sn->zone;
		sn->hosts_nat = true;
	}
}

/* The subnet whose NAT gateway serves `sn`: its own zone's, else the first one declared. */
static const struct m_subnet *nat_subnet_for(const struct m_network *net, const struct m_subnet *sn)
{
	const struct m_subnet *first = NULL;
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *n = net->subnets.items[i];
		if (!n->hosts_nat)
			continue;
		if (n->zone == sn->zone)
			return n;
		if (!first)
			first = n;
	}
	return first;
}

/*
 * The routes sgc emits, as facts (model.h): the public route table sends
 * everything to the internet gateway; in a restricted network each private
 * subnet's table sends everything to a NAT gateway. A firewall
 * (firewall.c) reroutes these through its endpoints.
 */
static void model_routes(struct checker *ck, struct m_network *net)
{
	bool igw = false;
	for (size_t i = 0; i < net->subnets.n; i++)
		igw |= ((struct m_subnet *)net->subnets.items[i])->public;
	if (igw) {
		struct m_route *r = arena_alloc(ck->arena, sizeof *r);
		*r = (struct m_route){ .table = NULL, .dest = { 0, 0 }, .hop = HOP_IGW };
		ptrvec_push(ck->arena, &net->routes, r);
	}
	for (size_t i = 0; net->isolation == ISO_RESTRICTED && i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		const struct m_subnet *nat = sn->public ? NULL : nat_subnet_for(net, sn);
		if (!nat)
			continue;
		struct m_route *r = arena_alloc(ck->arena, sizeof *r);
		*r = (struct m_route){ .table = sn, .dest = { 0, 0 }, .hop = HOP_NAT, .via = nat };
		ptrvec_push(ck->arena, &net->routes, r);
	}
}

/* AWS reserves the first four addresses and the last one of every subnet. */
static void check_capacity(struct checker *ck, const struct m_network *net)
{
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		uint64_t usable = cidr_size(sn->cidr) - 5;
		uint64_t endpoints = 0;
		for (size_t k = 0; k < net->endpoint_subnets.n; k++)
			if (net->endpoint_subnets.items[k] == sn)
				endpoints = net->ninterface;
		uint64_t need = endpoints + (sn->hosts_nat ? 1 : 0);
		if (need <= usable)
			continue;
		unsigned prefix = 28;
		while (prefix > 16 && (1ULL << (32 - prefix)) - 5 < need)
			prefix--;
		struct diag *d = diag_add(ck->diags, DIAG_E0308, sn->cidr_span,
					  "subnet `%s` has %llu usable addresses but needs %llu",
					  sn->name, (unsigned long long)usable,
					  (unsigned long long)need);
		diag_note(ck->diags, d,
			  "AWS reserves 5 addresses in every subnet; each of the %llu interface endpoints%s places a network interface here",
			  (unsigned long long)endpoints, sn->hosts_nat ? " and the NAT gateway" : "");
		diag_help(ck->diags, d, "use a /%u or larger range", prefix);
	}
}

static void check_structure(struct checker *ck, const struct ast_item *b,
			    struct m_network *net)
{
	size_t npublic = 0;
	for (size_t i = 0; i < net->subnets.n; i++)
		if (((struct m_subnet *)net->subnets.items[i])->public)
			npublic++;
	if (net->isolation == ISO_RESTRICTED && npublic == 0) {
		struct diag *d = diag_add(ck->diags, DIAG_E0402, b->name_span,
					  "restricted network `%s` has no public subnet for its NAT gateway",
					  net->name);
		diag_help(ck->diags, d,
			  "add `subnet nat_a { cidr = ...  zone = a  public = true }`");
	}
	if (net->isolation == ISO_PUBLIC && npublic == 0) {
		struct diag *d = diag_add(ck->diags, DIAG_E0408, b->name_span,
					  "public network `%s` has no public subnet", net->name);
		diag_help(ck->diags, d,
			  "remove `public = false` from a subnet, or declare the network `isolated`");
	}
}

/*
 * EC2 takes security-group and rule descriptions of at most 255 characters
 * from a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*.
 */
static void check_description(struct checker *ck, const struct ast_item *attr,
			      const char *text, const char *what)
{
	if (!text)
		return;
	const char *bad = NULL;
	for (const char *p = text; *p && !bad; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(" ._-:/()#,@[]+=&;{}!$*", *p)))
			bad = p;
	if (!bad && strlen(text) <= 255)
		return;
	struct diag *d = diag_add(ck->diags, DIAG_E0210, attr->value->span, "invalid %s", what);
	if (bad)
		diag_label(ck->diags, d, "`%c` is not allowed here", *bad);
	else
		diag_label(ck->diags, d, "%zu characters; at most 255", strlen(text));
	diag_note(ck->diags, d, "EC2 accepts letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*");
}

/* The security group of network `net` that `item` declares, or NULL. */
static struct m_sg *group_of(const struct checker *ck, const struct m_network *net,
			     const struct ast_item *item)
{
	if (strcmp(item->block_kind, "security_group") != 0)
		return NULL;
	struct m_sg *sg = ck_object(ck, item);
	return sg && sg->net == net ? sg : NULL;
}

enum { R_PROTOCOL, R_PORT, R_FROM, R_TO, R_CIDR, R_GROUP, R_SELF, R_PREFIX, R_DESC };

static void rule_ports(struct checker *ck, const struct ast_item *b,
		       const struct slots *sl, struct m_rule *r)
{
	const struct scope *sc = b->scope;
	bool all = strcmp(r->protocol, "-1") == 0;
	bool icmp = strcmp(r->protocol, "icmp") == 0;
	const struct ast_item *any = sl->at[R_PORT] ? sl->at[R_PORT]
				   : sl->at[R_FROM] ? sl->at[R_FROM] : sl->at[R_TO];
	if (all || icmp) {
		r->from_port = r->to_port = -1;
		if (any) {
			struct diag *d = diag_add(ck->diags, DIAG_E0406, any->name_span,
						  "protocol `%s` takes no ports", all ? "all" : "icmp");
			diag_help(ck->diags, d, "remove `%s`", any->name);
		}
		return;
	}
	if (sl->at[R_PORT] && (sl->at[R_FROM] || sl->at[R_TO])) {
		struct diag *d = diag_add(ck->diags, DIAG_E0406,
					  (sl->at[R_FROM] ? sl->at[R_FROM] : sl->at[R_TO])->name_span,
					  "a rule has `port` or a `from_port`/`to_port` range, not both");
		diag_secondary(ck->diags, d, sl->at[R_PORT]->name_span, "`port` set here");
		return;
	}
	if (sl->at[R_PORT]) {
		r->from_port = r->to_port = ck_get_port(ck, sc, sl->at[R_PORT]);
		return;
	}
	if (!any) {
		struct diag *d = diag_add(ck->diags, DIAG_E0206, b->kind_span,
					  "%s rule needs a port", r->protocol);
		diag_help(ck->diags, d, "add `port = 443`, or both `from_port` and `to_port`");
		return;
	}
	if (!sl->at[R_FROM] || !sl->at[R_TO]) {
		const struct ast_item *given = sl->at[R_FROM] ? sl->at[R_FROM] : sl->at[R_TO];
		const char *missing = sl->at[R_FROM] ? "to_port" : "from_port";
		struct diag *d = diag_add(ck->diags, DIAG_E0206, given->name_span,
					  "`%s` without `%s`", given->name, missing);
		diag_help(ck->diags, d, "add `%s = ...` for a range, or write `port = ...` for one port",
			  missing);
		return;
	}
	r->from_port = ck_get_port(ck, sc, sl->at[R_FROM]);
	r->to_port = ck_get_port(ck, sc, sl->at[R_TO]);
	if (r->from_port >= 0 && r->to_port >= 0 && r->from_port > r->to_port) {
		struct diag *d = diag_add(ck->diags, DIAG_E0406, sl->at[R_TO]->value->span,
					  "port range %d-%d is empty", r->from_port, r->to_port);
		diag_help(ck->diags, d, "`from_port` must not be above `to_port`");
	}
}

static void rule_peer(struct checker *ck, const struct ast_item *b,
		      const struct slots *sl, struct m_sg *sg, struct m_rule *r)
{
	const struct scope *sc = b->scope;
	int npeers = 0;
	const struct ast_item *second = NULL;
	for (int k = R_CIDR; k <= R_PREFIX; k++)
		if (sl->at[k] && ++npeers == 2)
			second = sl->at[k];
	if (npeers == 0) {
		struct diag *d = diag_add(ck->diags, DIAG_E0206, b->kind_span,
					  "`%s` rule has no peer", b->block_kind);
		diag_help(ck->diags, d, "add one of `cidr = ...`, `group = ...`, `self = true` or `prefix_list = s3`");
		return;
	}
	if (second) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, second->name_span,
					  "a rule has exactly one peer");
		diag_help(ck->diags, d, "split it into one `%s` block per peer", b->block_kind);
		return;
	}
	for (int k = R_CIDR; k <= R_PREFIX; k++)
		if (sl->at[k])
			r->peer_span = sl->at[k]->value->span;
	if (sl->at[R_CIDR]) {
		struct span at;
		/* A refused range is no range: left PEER_NONE, no proof reads it as 0.0.0.0/0. */
		if (ck_get_cidr(ck, sc, sl->at[R_CIDR], &r->cidr, &at))
			r->peer = PEER_CIDR;
	} else if (sl->at[R_SELF]) {
		r->peer = PEER_SELF;
		r->group = sg;
		if (!ck_get_bool(ck, sc, sl->at[R_SELF], true)) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, sl->at[R_SELF]->span,
						  "`self = false` names no peer");
			diag_help(ck->diags, d, "write `self = true` or another peer");
		}
	} else if (sl->at[R_PREFIX]) {
		r->peer = PEER_PREFIX_LIST;
		const char *w = ck_get_word(ck, sl->at[R_PREFIX], egress_schema.attrs[R_PREFIX].choices);
		if (w)
			r->prefix_list = ep_find(w);
		ck_prefix_list(ck, r->prefix_list, sl->at[R_PREFIX]->value->span);
		if (!r->egress) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, sl->at[R_PREFIX]->name_span,
						  "`prefix_list` is for egress rules");
			diag_help(ck->diags, d, "an AWS service's prefix list is a destination, not a source");
		}
	} else {
		r->peer = PEER_GROUP;
		const struct ast_expr *e = sl->at[R_GROUP]->value;
		if (e->kind != EX_NAME) {
			ck_wrong_type(ck, sl->at[R_GROUP], e, VT_REF);
			return;
		}
		struct symbol *sym = resolve_lookup(ck->res, sc, e->u.name);
		if (!sym)
			return;
		struct m_sg *peer = sym->kind == SYM_BLOCK ? group_of(ck, sg->net, sym->item) : NULL;
		if (!peer) {
			struct diag *d = diag_add(ck->diags, DIAG_E0212, e->span,
						  "`%s` is not a security group of network `%s`",
						  ast_name_str(ck->arena, e->u.name), sg->net->name);
			diag_secondary(ck->diags, d, sym->span, "declared here");
			return;
		}
		r->group = peer;
	}
}

static void check_rule(struct checker *ck, const struct ast_item *b, struct m_sg *sg)
{
	const struct block_schema *bs = ck_schema(ck, b->block_kind);
	struct slots sl;
	ck_validate_attrs(ck, b, bs, &sl);
	struct m_rule *r = arena_alloc(ck->arena, sizeof *r);
	r->egress = strcmp(b->block_kind, "egress") == 0;
	r->span = b->kind_span;
	const char *proto = sl.at[R_PROTOCOL] ? ck_get_word(ck, sl.at[R_PROTOCOL], bs->attrs[R_PROTOCOL].choices)
					      : "tcp";
	r->protocol = !proto ? "tcp" : strcmp(proto, "all") == 0 ? "-1" : proto;
	r->description = ck_get_string(ck, b->scope, sl.at[R_DESC]);
	check_description(ck, sl.at[R_DESC], r->description, "rule description");
	/* Ports depend on the protocol; the peer does not, so it is checked anyway. */
	if (proto)
		rule_ports(ck, b, &sl, r);
	rule_peer(ck, b, &sl, sg, r);
	ptrvec_push(ck->arena, &sg->rules, r);
}

static void check_security_groups(struct checker *ck, const struct ast_item *nb,
				  struct m_network *net)
{
	struct ptrvec blocks = { 0 };
	ck_child_blocks(ck, nb, "security_group", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *b = blocks.items[i];
		struct slots sl;
		ck_validate_attrs(ck, b, &security_group_schema, &sl);
		struct m_sg *sg = arena_alloc(ck->arena, sizeof *sg);
		sg->name = b->name;
		sg->span = b->name_span;
		sg->item = b;
		sg->net = net;
		sg->description = ck_get_string(ck, b->scope, sl.at[0]);
		check_description(ck, sl.at[0], sg->description, "security group description");
		ck_register(ck, b, sg);
		ptrvec_push(ck->arena, &net->sgs, sg);
	}
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *b = blocks.items[i];
		/* Rules in source order, ingress and egress interleaved as written. */
		for (const struct ast_item *it = b->children; it; it = it->next)
			if (it->kind == IT_BLOCK && !it->name &&
			    (strcmp(it->block_kind, "ingress") == 0 ||
			     strcmp(it->block_kind, "egress") == 0))
				check_rule(ck, it, net->sgs.items[i]);
	}
}

static void check_endpoint_attr(struct checker *ck, const struct scope *sc,
				const struct ast_item *attr, struct m_network *net)
{
	struct epset set;
	epset_init(ck, &set);
	net->has_endpoint = set.on;
	net->endpoint_span = set.at;
	if (!attr)
		return;
	net->endpoints_unknown = !epset_eval(ck, sc, attr->value, &set);
	for (size_t i = 0; i < ep_count; i++) {
		if (!set.on[i])
			continue;
		if (ep_services[i].type == EP_INTERFACE)
			net->ninterface++;
		else
			net->ngateway++;
	}
}

/* `s3:GetObject`, `s3:Get*`, or `*`: what IAM accepts in Action. */
static bool policy_action_ok(const char *a)
{
	if (strcmp(a, "*") == 0)
		return true;
	const char *colon = strchr(a, ':');
	if (!colon || colon == a || !colon[1])
		return false;
	for (const char *p = a; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

/*
 * `endpoint_policy` blocks: each one Allow statement of the policy of the
 * endpoints it names, which then replaces sgc's generated policy there
 * (policies.c checks it lets every declared use through). Only endpoints
 * of the network (E0651) whose service takes a policy (E0652).
 */
static void check_endpoint_policies(struct checker *ck, const struct ast_item *b,
				    struct m_network *net)
{
	struct ptrvec blocks = { 0 };
	ck_child_blocks(ck, b, "endpoint_policy", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		const struct ast_item *pb = blocks.items[i];
		struct slots sl;
		ck_validate_attrs(ck, pb, &endpoint_policy_schema, &sl);
		struct m_ep_stmt *st = arena_alloc(ck->arena, sizeof *st);
		st->sid = pb->name;
		st->span = pb->name_span;
		bool ok = sl.at[0] && sl.at[1];
		struct epset set;
		epset_init(ck, &set);
		st->services = set.on;
		if (sl.at[0]) {
			st->services_span = sl.at[0]->value->span;
			ok &= epset_eval(ck, pb->scope, sl.at[0]->value, &set);
		}
		ck_get_strings(ck, pb->scope, sl.at[1], &st->actions);
		for (size_t k = 0; k < st->actions.n; k++) {
			const char *a = st->actions.items[k];
			if (policy_action_ok(a))
				continue;
			struct diag *d = diag_add(ck->diags, DIAG_E0210, sl.at[1]->value->span,
						  "`%s` is not an IAM action", a);
			diag_help(ck->diags, d, "write `service:Action`, e.g. `\"s3:GetObject\"`, or `\"*\"`");
			ok = false;
		}
		if (sl.at[2])
			ck_get_strings(ck, pb->scope, sl.at[2], &st->resources);
		else
			ptrvec_push(ck->arena, &st->resources, (void *)"*");
		const char *who = ck_get_word(ck, sl.at[3], principals_words);
		st->principal_account = !who || strcmp(who, "account") == 0;
		const char *owner = ck_get_word(ck, sl.at[4], principals_words);
		st->resource_account = owner && strcmp(owner, "account") == 0;
		for (size_t k = 0; sl.at[0] && k < ep_count; k++) {
			if (!set.on[k])
				continue;
			const struct ep_service *svc = &ep_services[k];
			if (!net->has_endpoint[k]) {
				struct diag *d = diag_add(ck->diags, DIAG_E0651, set.at[k],
							  "endpoint policy `%s` is for `%s`, which network `%s` does not declare",
							  st->sid, svc->name, net->name);
				if (net->endpoints_attr.file != UINT32_MAX)
					diag_secondary(ck->diags, d, net->endpoints_attr, "endpoint set declared here");
				diag_help(ck->diags, d, "add `%s` to `endpoints`, or remove it from `services`",
					  svc->name);
				ok = false;
			} else if (!svc->policy_source) {
				struct diag *d = diag_add(ck->diags, DIAG_E0652, set.at[k],
							  "sgc knows no source saying `%s` takes an endpoint policy",
							  svc->name);
				diag_note(ck->diags, d, "AWS refuses a policy on an endpoint whose service does not "
					  "support them, and allows everything through it (VPC User Guide, "
					  "vpc-endpoints-access); docs/endpoints.md lists the services");
				diag_help(ck->diags, d, "remove `%s` from `services`", svc->name);
				ok = false;
			}
		}
		if (ok)
			ptrvec_push(ck->arena, &net->ep_policies, st);
	}
}

static void check_network(struct checker *ck, const struct ast_item *b)
{
	const struct m_env *env = ck->env;
	const struct block_schema *bs = &network_schema;
	struct slots sl;
	ck_validate_attrs(ck, b, bs, &sl);
	struct m_network *net = arena_alloc(ck->arena, sizeof *net);
	net->name = b->name;
	net->span = b->name_span;
	net->item = b;
	bool cidr_ok = ck_get_cidr(ck, b->scope, sl.at[0], &net->cidr, &net->cidr_span) &&
		       check_prefix(ck, net->cidr, net->cidr_span, DIAG_E0303, "VPC");
	if (cidr_ok && !cidr_is_private(net->cidr)) {
		struct diag *d = diag_add(ck->diags, DIAG_W0310, net->cidr_span,
					  "network `%s` uses public address space", net->name);
		diag_note(ck->diags, d,
			  "AWS allows it, but those addresses become unreachable on the internet from this VPC");
		diag_help(ck->diags, d,
			  "use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10");
	}
	/* An invalid isolation is reported once; checks that need it are skipped. */
	const char *iso = ck_get_word(ck, sl.at[1], bs->attrs[1].choices);
	bool iso_known = iso != NULL;
	net->isolation_unknown = !iso_known;
	net->isolation_span = sl.at[1] ? sl.at[1]->span : b->name_span;
	net->isolation = !iso || strcmp(iso, "isolated") == 0 ? ISO_ISOLATED
		       : strcmp(iso, "restricted") == 0 ? ISO_RESTRICTED : ISO_PUBLIC;

	struct ptrvec blocks = { 0 };
	bool public_unknown = false;
	ck_child_blocks(ck, b, "subnet", &blocks);
	for (size_t i = 0; i < blocks.n; i++) {
		struct m_subnet *sn = check_subnet(ck, env, net, blocks.items[i], iso_known,
						   &public_unknown);
		if (!sn)
			continue;
		ck_register(ck, blocks.items[i], sn);
		ptrvec_push(ck->arena, &net->subnets, sn);
	}
	/* A misspelt or unnamed subnet was reported already; it still counts as one. */
	size_t written = 0;
	for (const struct ast_item *it = b->children; it; it = it->next)
		if (it->kind == IT_BLOCK && (strcmp(it->block_kind, "subnet") == 0 ||
					     !ck_schema(ck, it->block_kind)))
			written++;
	if (written == 0) {
		struct diag *d = diag_add(ck->diags, DIAG_E0407, b->name_span,
					  "network `%s` has no subnets", net->name);
		diag_help(ck->diags, d, "add `subnet private_a { cidr = ...  zone = a }`");
	}
	if (cidr_ok) {
		struct m_subnet **inside = arena_calloc(ck->arena, net->subnets.n + 1, sizeof *inside);
		size_t n = 0;
		struct free_ranges fr;
		free_ranges_init(ck, net, &fr);
		for (size_t i = 0; i < net->subnets.n; i++) {
			struct m_subnet *sn = net->subnets.items[i];
			check_inside(ck, net, sn, &fr);
			if (cidr_contains(net->cidr, sn->cidr))
				inside[n++] = sn;
		}
		check_overlaps(ck, inside, n, &fr);
	}
	if (iso_known && !public_unknown)
		check_structure(ck, b, net);
	net->endpoints_attr = sl.at[2] ? sl.at[2]->span : (struct span){ UINT32_MAX, 0, 0 };
	if (sl.at[2])
		net->endpoints_value = sl.at[2]->value->span;
	check_endpoint_attr(ck, b->scope, sl.at[2], net);
	check_endpoint_policies(ck, b, net);
	check_security_groups(ck, b, net);
	place_endpoints(ck, net);
	model_endpoints(ck, net);
	if (net->isolation == ISO_RESTRICTED)
		place_nat(net);
	model_routes(ck, net);
	check_capacity(ck, net);
	ptrvec_push(ck->arena, &ck->env->networks, net);
}

/* W0704: ingress from anywhere. */
static void lint_sgs(struct checker *ck, const void *obj)
{
	const struct m_network *net = obj;
	for (size_t k = 0; k < net->sgs.n; k++) {
		const struct m_sg *sg = net->sgs.items[k];
		for (size_t j = 0; j < sg->rules.n; j++) {
			const struct m_rule *r = sg->rules.items[j];
			if (r->egress || r->peer != PEER_CIDR || r->cidr.prefix != 0)
				continue;
			struct diag *d = diag_add(ck->diags, DIAG_W0704, r->peer_span,
						  "security group `%s` accepts traffic from anywhere",
						  sg->name);
			diag_help(ck->diags, d, "narrow `cidr` to the addresses that need it");
		}
	}
}

/* ---- lowering ------------------------------------------------------------------------ */

/* `vpc` -> ``, `main` -> `Main`: the network's prefix for its resources. */
static const char *net_stem(struct lowerer *lw, const struct m_network *net)
{
	const char *p = lower_pascal(lw->a, net->name);
	size_t n = strlen(p);
	if (n >= 3 && strcmp(p + n - 3, "Vpc") == 0)
		return arena_strndup(lw->a, p, n - 3);
	return p;
}

static const char *res_name(struct lowerer *lw, const struct netl *nl,
			    const char *suffix)
{
	if (suffix)
		return arena_printf(lw->a, "%s-%s-%s", lw->env->stem, nl->net->name, suffix);
	return arena_printf(lw->a, "%s-%s", lw->env->stem, nl->net->name);
}

static void lower_vpc(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	nl->vpc = logical_id(lw, "%sVpc", nl->stem);
	struct cfn_resource *r = cfn_add(lw->t, nl->vpc, "AWS::EC2::VPC");
	cv_set(a, r->props, "CidrBlock", cv_str(a, lw_cidr(lw, nl->net->cidr)));
	cv_set(a, r->props, "EnableDnsHostnames", cv_bool(a, nl->net->dns_hostnames));
	cv_set(a, r->props, "EnableDnsSupport", cv_bool(a, nl->net->dns_support));
	cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, NULL)));
	lw_suppress(lw, r, SUP_VPC_DEFAULT_SG, nl->net->span);
	lw_output(lw, logical_id(lw, "%sVpcId", nl->stem),
	       arena_printf(a, "VPC of network %s", nl->net->name), cv_ref(a, nl->vpc));
}

static bool any_public(const struct m_network *net)
{
	for (size_t i = 0; i < net->subnets.n; i++)
		if (((struct m_subnet *)net->subnets.items[i])->public)
			return true;
	return false;
}

/* Routes through an internet gateway must wait for its attachment (DependsOn). */
static void lower_internet_gateway(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const char *igw = logical_id(lw, "%sInternetGateway", nl->stem);
	struct cfn_resource *r = cfn_add(lw->t, igw, "AWS::EC2::InternetGateway");
	cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, "igw")));

	nl->igw_attachment = logical_id(lw, "%sInternetGatewayAttachment", nl->stem);
	r = cfn_add(lw->t, nl->igw_attachment, "AWS::EC2::VPCGatewayAttachment");
	cv_set(a, r->props, "InternetGatewayId", cv_ref(a, igw));
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));

	nl->public_rt = logical_id(lw, "%sPublicRouteTable", nl->stem);
	r = cfn_add(lw->t, nl->public_rt, "AWS::EC2::RouteTable");
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
	cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, "public")));

	r = cfn_add(lw->t, logical_id(lw, "%sPublicDefaultRoute", nl->stem), "AWS::EC2::Route");
	cfn_depends(lw->t, r, nl->igw_attachment);
	cv_set(a, r->props, "RouteTableId", cv_ref(a, nl->public_rt));
	cv_set(a, r->props, "DestinationCidrBlock", cv_str(a, "0.0.0.0/0"));
	cv_set(a, r->props, "GatewayId", cv_ref(a, igw));
	lw_suppress(lw, r, SUP_IGW_ROUTE, nl->net->isolation_span);
}

static void lower_subnets(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		const char *stem = lower_pascal(a, sn->name);
		nl->subnet_ids[i] = logical_id(lw, "%s%sSubnet", nl->stem, stem);
		lw_map_id(lw, sn, nl->subnet_ids[i]);
		struct cfn_resource *r = cfn_add(lw->t, nl->subnet_ids[i], "AWS::EC2::Subnet");
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		cv_set(a, r->props, "CidrBlock", cv_str(a, lw_cidr(lw, sn->cidr)));
		/* The zone letter, in whatever Region the stack lands in. */
		cv_set(a, r->props, "AvailabilityZone",
		       cv_sub(a, arena_printf(a, "${AWS::Region}%c", sn->zone)));
		cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, sn->name)));
		lw_output(lw, logical_id(lw, "%s%sSubnetId", nl->stem, stem),
		       arena_printf(a, "subnet %s of network %s (zone %c, %s)", sn->name,
				    net->name, sn->zone, sn->public ? "public" : "private"),
		       cv_ref(a, nl->subnet_ids[i]));
	}
}

static void lower_nat(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		if (!sn->hosts_nat)
			continue;
		const char *stem = lower_pascal(a, sn->name);
		const char *eip = logical_id(lw, "%s%sNatEip", nl->stem, stem);
		struct cfn_resource *r = cfn_add(lw->t, eip, "AWS::EC2::EIP");
		cfn_depends(lw->t, r, nl->igw_attachment);
		cv_set(a, r->props, "Domain", cv_str(a, "vpc"));
		cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, arena_printf(a, "nat-%c", sn->zone))));
		const char *nat = logical_id(lw, "%s%sNatGateway", nl->stem, stem);
		if (sn->zone >= 'a' && sn->zone <= 'z' && !nl->nat_by_zone[sn->zone - 'a'])
			nl->nat_by_zone[sn->zone - 'a'] = nat;
		if (!nl->first_nat)
			nl->first_nat = nat;
		r = cfn_add(lw->t, nat, "AWS::EC2::NatGateway");
		cv_set(a, r->props, "AllocationId", cv_getatt(a, eip, "AllocationId"));
		cv_set(a, r->props, "SubnetId", cv_ref(a, nl->subnet_ids[i]));
		cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, arena_printf(a, "nat-%c", sn->zone))));
	}
}

/* The NAT gateway a route of the subnet's own table sends to, or NULL (model_routes). */
static const char *nat_for(const struct netl *nl, const struct m_subnet *sn)
{
	for (size_t i = 0; i < nl->net->routes.n; i++) {
		const struct m_route *r = nl->net->routes.items[i];
		if (r->table == sn && r->hop == HOP_NAT && r->via->zone >= 'a' && r->via->zone <= 'z')
			return nl->nat_by_zone[r->via->zone - 'a'];
	}
	return NULL;
}

/*
 * Every subnet gets an explicit association: an unassociated subnet would
 * silently use the VPC's main route table.
 */
static void lower_routes(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		const char *stem = lower_pascal(a, sn->name);
		const char *rt = nl->public_rt;
		if (!sn->public) {
			rt = nl->route_tables[i] = logical_id(lw, "%s%sRouteTable", nl->stem, stem);
			struct cfn_resource *r = cfn_add(lw->t, rt, "AWS::EC2::RouteTable");
			cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
			cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, sn->name)));
			const char *nat = nat_for(nl, sn);
			if (nat) {
				r = cfn_add(lw->t, logical_id(lw, "%s%sNatRoute", nl->stem, stem),
					    "AWS::EC2::Route");
				cv_set(a, r->props, "RouteTableId", cv_ref(a, rt));
				cv_set(a, r->props, "DestinationCidrBlock", cv_str(a, "0.0.0.0/0"));
				cv_set(a, r->props, "NatGatewayId", cv_ref(a, nat));
			}
		}
		struct cfn_resource *r = cfn_add(lw->t,
			logical_id(lw, "%s%sRouteTableAssociation", nl->stem, stem),
			"AWS::EC2::SubnetRouteTableAssociation");
		cv_set(a, r->props, "RouteTableId", cv_ref(a, rt));
		cv_set(a, r->props, "SubnetId", cv_ref(a, nl->subnet_ids[i]));
	}
}

static void lower_endpoint_sg(struct lowerer *lw, struct netl *nl)
{
	nl->endpoint_sg = logical_id(lw, "%sEndpointSecurityGroup", nl->stem);
	lw_security_group(lw, nl->net->endpoint_sg, nl->endpoint_sg, nl->vpc,
			  cv_str(lw->a, nl->net->endpoint_sg->description), res_name(lw, nl, "endpoints"));
}

static void lower_security_groups(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < net->sgs.n; i++) {
		const struct m_sg *sg = net->sgs.items[i];
		const char *id = logical_id(lw, "%s%sSecurityGroup", nl->stem, lower_pascal(a, sg->name));
		lw_security_group(lw, sg, id, nl->vpc,
				  sg->description ? cv_str(a, sg->description)
						  : cv_strf(a, "security group %s of network %s", sg->name, net->name),
				  res_name(lw, nl, sg->name));
	}
	for (size_t i = 0; i < net->sgs.n; i++) {
		const struct m_sg *sg = net->sgs.items[i];
		lw_sg_peer_rules(lw, sg, arena_printf(a, "%s%s", nl->stem, lower_pascal(a, sg->name)));
	}
}

/* One value or a list: `"*"`, or `["s3:GetObject", ...]`; `${` makes an Fn::Sub. */
static struct cv *policy_strs(struct lowerer *lw, const struct ptrvec *v)
{
	struct cv *arr = cv_arr(lw->a);
	for (size_t i = 0; i < v->n; i++) {
		const char *s = v->items[i];
		cv_push(lw->a, arr, strstr(s, "${") ? cv_sub(lw->a, s) : cv_str(lw->a, s));
	}
	return v->n == 1 ? arr->u.items.items[0] : arr;
}

/* The endpoint's PolicyDocument (policies.c): Allow statements narrowed by conditions. */
static struct cv *endpoint_policy(struct lowerer *lw, const struct m_endpoint *ep)
{
	struct arena *a = lw->a;
	struct cv *stmts = cv_arr(a);
	for (size_t i = 0; i < ep->policy.n; i++) {
		const struct m_ep_stmt *st = ep->policy.items[i];
		struct cv *s = cv_obj(a);
		cv_set(a, s, "Sid", cv_str(a, ep->written ? lower_pascal(a, st->sid) : st->sid));
		cv_set(a, s, "Effect", cv_str(a, "Allow"));
		struct cv *principal = cv_obj(a);
		cv_set(a, principal, "AWS", cv_str(a, "*"));
		cv_set(a, s, "Principal", principal);
		cv_set(a, s, "Action", policy_strs(lw, &st->actions));
		cv_set(a, s, "Resource", policy_strs(lw, &st->resources));
		if (st->principal_account)
			lw_when(lw, s, "StringEquals", "aws:PrincipalAccount", cv_ref(a, "AWS::AccountId"));
		if (st->resource_account)
			lw_when(lw, s, "StringEquals", "aws:ResourceAccount", cv_ref(a, "AWS::AccountId"));
		if (st->aws_services)
			lw_when(lw, s, "Bool", "aws:PrincipalIsAWSService", cv_str(a, "true"));
		cv_push(a, stmts, s);
	}
	struct cv *doc = cv_obj(a);
	cv_set(a, doc, "Version", cv_str(a, "2012-10-17"));
	cv_set(a, doc, "Statement", stmts);
	return doc;
}

static void lower_endpoints(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < net->endpoints.n; i++) {
		const struct m_endpoint *ep = net->endpoints.items[i];
		const struct ep_service *svc = ep->svc;
		const char *id = logical_id(lw, "%s%sEndpoint", nl->stem, svc->logical);
		ptrvec_push(a, &nl->endpoint_ids, (void *)id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::VPCEndpoint");
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		cv_set(a, r->props, "ServiceName", cv_sub(a, svc->service_name));
		if (svc->type == EP_GATEWAY) {
			/* Gateway endpoints are routes: on the route table of each of its subnets. */
			cv_set(a, r->props, "VpcEndpointType", cv_str(a, "Gateway"));
			struct cv *rts = cv_arr(a);
			bool public = false;
			/* ep->subnets keeps the network's order: one merge walk finds each index. */
			for (size_t k = 0, j = 0; k < net->subnets.n && j < ep->subnets.n; k++) {
				if (net->subnets.items[k] != ep->subnets.items[j])
					continue;
				j++;
				if (nl->route_tables[k])
					cv_push(a, rts, cv_ref(a, nl->route_tables[k]));
				else
					public = true;
			}
			if (public && nl->public_rt)
				cv_push(a, rts, cv_ref(a, nl->public_rt));
			cv_set(a, r->props, "RouteTableIds", rts);
			if (ep->policy.n)
				cv_set(a, r->props, "PolicyDocument", endpoint_policy(lw, ep));
			continue;
		}
		cv_set(a, r->props, "VpcEndpointType", cv_str(a, "Interface"));
		cv_set(a, r->props, "PrivateDnsEnabled", cv_bool(a, ep->private_dns));
		struct cv *subnets = cv_arr(a);
		for (size_t k = 0; k < ep->subnets.n; k++)
			cv_push(a, subnets, cv_ref(a, lw_subnet_id(lw, ep->subnets.items[k])));
		cv_set(a, r->props, "SubnetIds", subnets);
		struct cv *sgs = cv_arr(a);
		for (size_t k = 0; k < ep->sgs.n; k++)
			cv_push(a, sgs, cv_getatt(a, lw_sg_id(lw, ep->sgs.items[k]), "GroupId"));
		cv_set(a, r->props, "SecurityGroupIds", sgs);
		if (ep->policy.n)
			cv_set(a, r->props, "PolicyDocument", endpoint_policy(lw, ep));
	}
}

static void lower_network(struct lowerer *lw, const void *obj)
{
	const struct m_network *net = obj;
	struct netl *nl = arena_alloc(lw->a, sizeof *nl);
	size_t n = net->subnets.n + 1;
	nl->net = net;
	nl->stem = net_stem(lw, net);
	nl->subnet_ids = arena_calloc(lw->a, n, sizeof *nl->subnet_ids);
	nl->route_tables = arena_calloc(lw->a, n, sizeof *nl->route_tables);
	lw_add_net(lw, nl);
	lower_vpc(lw, nl);
	if (any_public(net))
		lower_internet_gateway(lw, nl);
	lower_subnets(lw, nl);
	lower_nat(lw, nl);
	lower_routes(lw, nl);
	if (net->ninterface)
		lower_endpoint_sg(lw, nl);
	lower_security_groups(lw, nl);
	lower_endpoints(lw, nl);
}

#define SRC_FLOW_LOGS "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html"
#define SRC_FLOW_LOGS_ROLE "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html"

/*
 * VPC flow logs, on by default (cdk-nag VPC7, HIPAA/NIST VPCFlowLogsEnabled):
 * every accepted and rejected flow of the VPC to a CloudWatch Logs group
 * encrypted with the environment key and kept a year, delivered by a role
 * only the VPC Flow Logs service of this account may assume, allowed to
 * write to that group only (SRC_FLOW_LOGS, SRC_FLOW_LOGS_ROLE). Lowered
 * last: the key is lowered after the networks.
 */
static void lower_flow_logs(struct lowerer *lw, const void *obj)
{
	const struct m_network *net = obj;
	struct arena *a = lw->a;
	const struct netl *nl = lw_net(lw, net);
	if (!net->flow_log_key)
		return;
	const char *group = logical_id(lw, "%sFlowLogGroup", nl->stem);
	lw_map_part(lw, net, "flow-log-group", group);
	struct cfn_resource *r = cfn_add(lw->t, group, "AWS::Logs::LogGroup");
	r->deletion_policy = "Retain";
	r->update_replace_policy = "Retain";
	cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, net->flow_log_key));
	cv_set(a, r->props, "RetentionInDays", cv_int(a, 365));
	cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, "flow-logs")));

	const char *role = logical_id(lw, "%sFlowLogRole", nl->stem);
	lw_map_part(lw, net, "flow-log-role", role);
	r = cfn_add(lw->t, role, "AWS::IAM::Role");
	struct cv *principal = cv_obj(a);
	cv_set(a, principal, "Service", cv_str(a, "vpc-flow-logs.amazonaws.com"));
	struct cv *trust = cv_obj(a);
	cv_set(a, trust, "Effect", cv_str(a, "Allow"));
	cv_set(a, trust, "Principal", principal);
	cv_set(a, trust, "Action", cv_str(a, "sts:AssumeRole"));
	lw_when(lw, trust, "StringEquals", "aws:SourceAccount", cv_ref(a, "AWS::AccountId"));
	cv_set(a, r->props, "AssumeRolePolicyDocument", lw_policy_doc(lw, lw_one(lw, trust)));
	cv_set(a, r->props, "Description", cv_strf(a, "delivers the flow logs of network %s", net->name));

	const char *policy = logical_id(lw, "%sFlowLogPolicy", nl->stem);
	r = cfn_add(lw->t, policy, "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Roles", lw_one(lw, cv_ref(a, role)));
	static const char *const ops[] = { "logs:CreateLogStream", "logs:PutLogEvents",
					   "logs:DescribeLogGroups", "logs:DescribeLogStreams" };
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, lw_one(lw,
		lw_statement(lw, "FlowLogsIntoTheirGroup", "Allow", lw_strs(lw, ops, 4),
			     lw_one(lw, cv_getatt(a, group, "Arn"))))));

	r = cfn_add(lw->t, logical_id(lw, "%sFlowLog", nl->stem), "AWS::EC2::FlowLog");
	cfn_depends(lw->t, r, policy);
	cv_set(a, r->props, "ResourceId", cv_ref(a, nl->vpc));
	cv_set(a, r->props, "ResourceType", cv_str(a, "VPC"));
	cv_set(a, r->props, "TrafficType", cv_str(a, "ALL"));
	cv_set(a, r->props, "LogDestinationType", cv_str(a, "cloud-watch-logs"));
	cv_set(a, r->props, "LogGroupName", cv_ref(a, group));
	cv_set(a, r->props, "DeliverLogsPermissionArn", cv_getatt(a, role, "Arn"));
}

/*
 * The flow-log role in `sgc iam`: VPC Flow Logs writes, with its
 * permissions, into the network's own group, and into no other.
 */
static const struct iam_row flow_log_rows[] = {
	{ "logs:CreateLogStream", "{group}", NULL, IAM_BY_SERVICE, SRC_FLOW_LOGS_ROLE },
	{ "logs:PutLogEvents", "{group}", NULL, IAM_BY_SERVICE, SRC_FLOW_LOGS_ROLE },
	{ "logs:DescribeLogGroups", "{group}", NULL, IAM_BY_SERVICE, SRC_FLOW_LOGS_ROLE },
	{ "logs:DescribeLogStreams", "{group}", NULL, IAM_BY_SERVICE, SRC_FLOW_LOGS_ROLE },
};

static const struct iam_row flow_log_refused_rows[] = {
	{ "logs:PutLogEvents", IAM_ARN("logs") "log-group:/aws/sagemaker/NotebookInstances:*", NULL,
	  IAM_BY_SERVICE, SRC_FLOW_LOGS_ROLE },
	{ "logs:DeleteLogGroup", "{group}", NULL, IAM_BY_SERVICE, SRC_FLOW_LOGS_ROLE },
};

static void network_principals(struct iam_facts *f, const void *obj)
{
	const struct m_network *net = obj;
	const char *role = cfn_id_of(f->t, net, "flow-log-role");
	if (!role)
		return;
	struct iam_principal *p = iam_principal(f, role, "execution-role",
						arena_printf(f->a, "flow logs of network %s", net->name));
	struct iam_fills fills = { 0 };
	iam_fill(&fills, "group", arena_printf(f->a, "${%s.Arn}", cfn_id_of(f->t, net, "flow-log-group")));
	iam_need(f, p, "flow logs (on by default)", IAM_ROWS(flow_log_rows), &fills, net->span);
	iam_refuse(f, p, "flow logs (on by default)", IAM_ROWS(flow_log_refused_rows), &fills,
		   net->span, "the flow-log role writes its own network's group only");
}

static const struct block_schema *const schemas[] = {
	&network_schema,
	&subnet_schema,
	&security_group_schema,
	&ingress_schema,
	&egress_schema,
	&endpoint_policy_schema,
};

static struct m_kms **network_default_key(void *obj)
{
	return &((struct m_network *)obj)->flow_log_key;
}

const struct kind network_kind = {
	.name = "network",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, networks),
	.check = check_network,
	.rules = lint_sgs,
	.lower = lower_network,
	.lower_last = lower_flow_logs,
	.principals = network_principals,
	.default_key = network_default_key,
	.default_key_for_logs = true,
};
