/*
 * check.c - validation against the schema tables, then the rules of each
 * block kind (see check.h).
 *
 * The rules cite the AWS constraint they enforce; the facts and their
 * sources are in shared/reference/ and docs/diagnostics.md.
 */
#include "check.h"
#include "check_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "epset.h"
#include "resolve.h"
#include "schema.h"
#include "suggest.h"
#include "instances.h"
#include "kinds/kinds.h"
#include "vars.h"

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

/* ---- networks ------------------------------------------------------------ */

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
	const struct block_schema *bs = ck_schema(ck, "subnet");
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
		r->peer = PEER_CIDR;
		ck_get_cidr(ck, sc, sl->at[R_CIDR], &r->cidr, &at);
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
		const char *w = ck_get_word(ck, sl->at[R_PREFIX], ck_schema(ck, "egress")->attrs[R_PREFIX].choices);
		if (w)
			r->prefix_list = ep_find(w);
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
		ck_validate_attrs(ck, b, ck_schema(ck, "security_group"), &sl);
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
	epset_eval(ck, sc, attr->value, &set);
	for (size_t i = 0; i < ep_count; i++) {
		if (!set.on[i])
			continue;
		if (ep_services[i].type == EP_INTERFACE)
			net->ninterface++;
		else
			net->ngateway++;
	}
}

static struct m_network *check_network(struct checker *ck, const struct m_env *env,
				       const struct ast_item *b)
{
	const struct block_schema *bs = ck_schema(ck, "network");
	struct slots sl;
	ck_validate_attrs(ck, b, bs, &sl);
	struct m_network *net = arena_alloc(ck->arena, sizeof *net);
	net->name = b->name;
	net->span = b->name_span;
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
	check_security_groups(ck, b, net);
	place_endpoints(ck, net);
	if (net->isolation == ISO_RESTRICTED)
		place_nat(net);
	check_capacity(ck, net);
	return net;
}

/* ---- environment and file ------------------------------------------------ */

static const struct attr_schema environment_attrs[] = {
	{ "region", VT_REGION, true, NULL, NULL,
	  "AWS Region the stack is deployed to; zones and ARNs follow it" },
	{ "description", VT_STRING, false, NULL, NULL,
	  "template Description (at most 1024 bytes)" },
	{ "tags", VT_TAGS, false, NULL, NULL,
	  "tags applied to every resource that takes tags" },
};

static const struct block_schema environment_schema = {
	"environment", NULL, true, SCHEMA_ATTRS(environment_attrs),
	"one deployable environment: becomes one CloudFormation template"
};

/* `environment`'s schema, then every kind's, in the registry's order. */
static const struct schema_set *schemas(struct arena *a)
{
	size_t nkinds, n = 1;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t i = 0; i < nkinds; i++)
		n += kinds[i]->nschemas;
	const struct block_schema **all = arena_calloc(a, n, sizeof *all);
	struct schema_set *set = arena_alloc(a, sizeof *set);
	all[set->n++] = &environment_schema;
	for (size_t i = 0; i < nkinds; i++)
		for (size_t k = 0; k < kinds[i]->nschemas; k++)
			all[set->n++] = kinds[i]->schemas[k];
	set->all = all;
	return set;
}

static void check_region(struct checker *ck, const struct ast_item *attr,
			 struct m_env *env)
{
	const struct ast_expr *e = attr->value;
	const char *name = e->kind == EX_STRING ? e->u.str.s
			 : e->kind == EX_NAME && e->u.name->n == 1 ? e->u.name->parts[0] : NULL;
	if (!name) {
		ck_wrong_type(ck, attr, e, VT_REGION);
		return;
	}
	env->region = region_find(name);
	if (env->region)
		return;
	const char *names[64];
	size_t n = region_count() < 64 ? region_count() : 64;
	region_fill_names(names);
	struct diag *d = diag_add(ck->diags, DIAG_E0309, e->span,
				  "unknown AWS Region `%s`", name);
	const char *best = suggest_best(name, names, n);
	if (best)
		diag_help(ck->diags, d, "did you mean `%s`?", best);
	else
		diag_help(ck->diags, d, "write a Region code such as `\"us-east-1\"`");
}

/* Characters (Unicode code points) in the UTF-8 text s[0..n): what AWS counts. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/*
 * AWS tag rules: key 1-128 characters, value up to 256, no `aws:` prefix,
 * 50 per resource. The lengths are in Unicode characters, not bytes
 * ("Tagging AWS resources", tag naming limits: "128 Unicode characters in
 * UTF-8"): `é` counts one, not two.
 */
static void check_tags(struct checker *ck, const struct scope *sc,
		       const struct ast_item *attr, struct m_env *env)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_MAP, VT_TAGS);
	if (!e)
		return;
	env->tags = arena_calloc(ck->arena, (size_t)e->u.map.n + 1, sizeof *env->tags);
	if (e->u.map.n > 49) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, e->span,
					  "%d tags; AWS allows 50 per resource and sgc adds `Name`",
					  e->u.map.n);
		diag_help(ck->diags, d, "keep at most 49 tags");
	}
	struct strmap seen = { 0 };  /* key -> its first entry: a map may be huge */
	for (const struct ast_entry *x = e->u.map.head; x; x = x->next) {
		const struct ast_entry *first = strmap_get(&seen, x->key);
		if (!first)
			strmap_put(ck->arena, &seen, x->key, (void *)x);
		const struct ast_expr *v = ck_deref(ck, sc, x->value);
		if (!v)
			continue;
		if (v->kind != EX_STRING) {
			struct diag *d = diag_add(ck->diags, DIAG_E0209, v->span,
						  "tag values are strings, found %s",
						  ast_expr_kind_name(v->kind));
			diag_help(ck->diags, d, "quote the value");
			continue;
		}
		size_t klen = utf8_chars(x->key, strlen(x->key));
		size_t vlen = utf8_chars(v->u.str.s, v->u.str.len);
		bool chars_ok = true;
		for (const char *p = x->key; *p; p++)
			if (!((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      strchr(" _.:/=+-@", *p)))
				chars_ok = false;
		const char *why = klen == 0 || klen > 128
				? arena_printf(ck->arena, "%zu characters; keys are 1 to 128", klen)
				: !chars_ok ? "keys take letters, digits, spaces and _.:/=+-@"
				: strncmp(x->key, "aws:", 4) == 0 ? "the `aws:` prefix is reserved for AWS"
				: strcmp(x->key, "Name") == 0 ? "sgc sets `Name` on each resource itself"
				: vlen > 256
				? arena_printf(ck->arena, "a value of %zu characters; values are at most 256", vlen)
				: NULL;
		if (why) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, x->key_span,
						  "invalid tag `%s`", x->key);
			diag_label(ck->diags, d, "%s", why);
			continue;
		}
		if (first) {
			struct diag *d = diag_add(ck->diags, DIAG_E0207, x->key_span,
						  "tag `%s` is set twice", x->key);
			diag_secondary(ck->diags, d, first->key_span, "first set here");
			diag_help(ck->diags, d, "keep one of the two");
			continue;
		}
		env->tags[env->ntags++] = (struct m_tag){ x->key, v->u.str.s };
	}
}

static const char *const param_types[] = { "string", "int", "bool", "instance",
					    "size", NULL };

/* The expression kind a parameter type's default is written as. */
static enum ast_expr_kind param_literal(const char *type)
{
	return strcmp(type, "string") == 0 ? EX_STRING
	     : strcmp(type, "int") == 0 ? EX_INT
	     : strcmp(type, "bool") == 0 ? EX_BOOL
	     : strcmp(type, "size") == 0 ? EX_SIZE : EX_INSTANCE;
}

static const char *param_default(struct checker *ck, const struct m_param *p,
				  const struct ast_expr *e)
{
	switch (e->kind) {
	case EX_STRING: return e->u.str.s;
	case EX_INT: return arena_printf(ck->arena, "%lld", (long long)e->u.i);
	case EX_BOOL: return e->u.b ? "true" : "false";
	case EX_SIZE: {
		/* As volumes count them: GB and GiB alike, TB and TiB as 1024 GB. */
		unsigned long long gb = e->u.size.amount;
		if (e->u.size.unit == UNIT_TB || e->u.size.unit == UNIT_TIB)
			gb *= 1024;
		else if (e->u.size.unit != UNIT_GB && e->u.size.unit != UNIT_GIB)
			gb = ast_size_bytes(e) / 1000000000ULL;
		return arena_printf(ck->arena, "%llu", gb);
	}
	case EX_INSTANCE: return e->u.text;
	default: break;
	}
	(void)p;
	return NULL;
}

static void check_params(struct checker *ck, const struct ast_item *b)
{
	for (const struct ast_item *it = b->children; it; it = it->next) {
		if (it->kind != IT_PARAM)
			continue;
		size_t n = 0;
		bool known = false;
		for (; param_types[n]; n++)
			if (strcmp(param_types[n], it->type_name) == 0)
				known = true;
		if (!known) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, it->type_span,
						  "unknown parameter type `%s`", it->type_name);
			const char *best = suggest_best(it->type_name, param_types, n);
			if (best)
				diag_help(ck->diags, d, "did you mean `%s`?", best);
			else
				diag_help(ck->diags, d, "parameter types are `string`, `int`, `bool`, `instance` and `size`");
			continue;
		}
		struct m_param *p = arena_alloc(ck->arena, sizeof *p);
		if (it->value)
			p->dflt_span = it->value->span;
		p->name = it->name;
		p->span = it->name_span;
		p->item = it;
		p->type = it->type_name;
		if (it->value) {
			const struct ast_expr *e = it->value;
			if (e->kind != param_literal(p->type)) {
				if (e->kind != EX_INVALID) {
					struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
								  "default of %s parameter `%s` is %s %s",
								  p->type, p->name,
								  e->kind == EX_INT || e->kind == EX_INSTANCE ? "an" : "a",
								  ast_expr_kind_name(e->kind));
					diag_help(ck->diags, d, "write a %s value, or change the parameter's type", p->type);
				}
			} else {
				p->dflt = param_default(ck, p, e);
			}
		}
		ck_register(ck, it, p);
		ptrvec_push(ck->arena, &ck->env->params, p);
	}
}

/* Does `v` fit a parameter of `type`? Returns why not, or NULL. */
static const char *var_misfit(const struct var *v, const char *type)
{
	if (v->kind == VAR_OTHER)
		return "a value of this kind";
	if (strcmp(type, "int") == 0 || strcmp(type, "size") == 0)
		return v->kind == VAR_INT ? NULL : "an integer (sizes in GB)";
	if (strcmp(type, "bool") == 0)
		return v->kind == VAR_BOOL ? NULL : "`true` or `false`";
	if (strcmp(type, "instance") == 0)
		return instance_find(v->value) ? NULL : "a SageMaker instance type such as `ml.t3.large`";
	return NULL; /* string: any scalar */
}

/*
 * Stage values from --vars and -D, in order (the last one of a name wins):
 * each must name a parameter and fit its type.
 */
static void apply_vars(struct checker *ck)
{
	/* By name, once: a variables file may hold thousands of names. */
	struct strmap params = { 0 };
	const char *names[64];       /* the first 64, for suggestions */
	size_t n = 0;
	for (size_t k = 0; k < ck->env->params.n; k++) {
		struct m_param *q = ck->env->params.items[k];
		strmap_put(ck->arena, &params, q->name, q);
		if (n < 64)
			names[n++] = q->name;
	}
	for (size_t i = 0; ck->vars && i < ck->vars->n; i++) {
		const struct var *v = ck->vars->items[i];
		struct m_param *p = strmap_get(&params, v->name);
		if (!p) {
			struct diag *d = diag_add(ck->diags, DIAG_E0513, v->name_span,
						  "`%s` matches no parameter of environment `%s`",
						  v->name, ck->env->name);
			const char *best = suggest_best(v->name, names, n);
			if (best)
				diag_help(ck->diags, d, "did you mean `%s`?", best);
			else if (n == 0)
				diag_note(ck->diags, d, "the environment declares no `param`");
			continue;
		}
		const char *want = var_misfit(v, p->type);
		if (want) {
			struct diag *d = diag_add(ck->diags, DIAG_E0514, v->value_span,
						  "`%s` is not a valid value for %s parameter `%s`",
						  v->value, p->type, p->name);
			diag_secondary(ck->diags, d, p->span, "declared here");
			diag_help(ck->diags, d, "give %s", want);
			continue;
		}
		p->value = v->value;
		p->value_span = v->value_span;
	}
}

static struct m_env *check_environment(struct checker *ck, const struct ast_item *b)
{
	const struct block_schema *bs = ck_schema(ck, "environment");
	struct slots sl;
	ck_validate_attrs(ck, b, bs, &sl);
	struct m_env *env = arena_alloc(ck->arena, sizeof *env);
	env->name = b->name;
	env->span = b->name_span;
	env->source = ck->files->source_name;
	ck->env = env;
	if (sl.at[0])
		check_region(ck, sl.at[0], env);
	env->description = ck_get_string(ck, b->scope, sl.at[1]);
	if (env->description && strlen(env->description) > 1024) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, sl.at[1]->value->span,
					  "description is %zu bytes; CloudFormation allows 1024",
					  strlen(env->description));
		diag_help(ck->diags, d, "shorten it");
	}
	if (sl.at[2])
		check_tags(ck, b->scope, sl.at[2], env);
	check_params(ck, b);
	apply_vars(ck);

	/* Each kind's blocks in the registry's order: what a block refers to is checked before it. */
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t k = 0; k < nkinds; k++) {
		struct ptrvec blocks = { 0 };
		ck_child_blocks(ck, b, kinds[k]->name, &blocks);
		for (size_t i = 0; i < blocks.n; i++) {
			if (kinds[k]->check)
				kinds[k]->check(ck, blocks.items[i]);
			else if (strcmp(kinds[k]->name, "network") == 0)
				ptrvec_push(ck->arena, &env->networks, check_network(ck, env, blocks.items[i]));
			else
				ck_legacy(ck, kinds[k]->name, blocks.items[i]);
		}
	}
	/* Physical names, unique where AWS and the output directory look them up. */
	struct physical ph = { 0 };
	for (size_t k = 0; k < nkinds; k++)
		if (kinds[k]->names)
			kinds[k]->names(ck, &ph);
	check_physical_names(ck, &ph);
	ck_reach(ck);
	return env;
}

struct m_env *check_file(struct resolver *r, const struct ast_file *f,
			 const struct ptrvec *vars, const struct confine *files)
{
	struct checker ck = { .arena = r->arena, .diags = r->diags, .res = r, .vars = vars,
			      .files = files, .schemas = schemas(r->arena) };
	const struct ast_item *env_block = NULL;
	for (const struct ast_item *it = f->items; it; it = it->next) {
		if (it->kind == IT_PARAM) {
			struct diag *d = diag_add(ck.diags, DIAG_E0216, it->span,
						  "parameters belong to the environment");
			diag_help(ck.diags, d, "move `param %s` inside `environment`", it->name);
			continue;
		}
		if (it->kind != IT_BLOCK)
			continue;
		const struct block_schema *bs = ck_schema(&ck, it->block_kind);
		if (!bs) {
			ck_unknown_kind(&ck, it);
			continue;
		}
		if (!ck_placement(&ck, it, bs, NULL))
			continue;
		if (env_block) {
			struct diag *d = diag_add(ck.diags, DIAG_E0211, it->name_span,
						  "a file declares one environment");
			diag_secondary(ck.diags, d, env_block->name_span,
				       "environment `%s` declared here", env_block->name);
			diag_help(ck.diags, d, "put each environment in its own file");
			continue;
		}
		env_block = it;
	}
	if (!env_block) {
		struct diag *d = diag_add(ck.diags, DIAG_E0211,
					  (struct span){ f->file, 0, 0 },
					  "no `environment` block in this file");
		diag_help(ck.diags, d,
			  "declare one: `environment name { region = \"us-east-1\" ... }`");
		return NULL;
	}
	struct m_env *env = check_environment(&ck, env_block);
	return diag_has_errors(ck.diags) ? NULL : env;
}
