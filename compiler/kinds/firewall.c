/*
 * firewall.c - the `firewall` resource kind: egress allowed by domain
 * name, in a restricted network, lowered to AWS Network Firewall (and, on
 * request, Route 53 Resolver DNS Firewall as a second layer).
 *
 * A `firewall` block lives in a `network` (check.c hands each kind nested
 * in another its blocks from every parent). Its model (model.h: struct
 * m_firewall) owns one /28 subnet per zone of the network, carved in zone
 * order from its `cidr`, and reroutes the network's route model: each
 * private subnet's default route goes to its own zone's firewall endpoint,
 * each firewall subnet's to the NAT gateway, and the public route table
 * sends each private subnet's range back through that subnet's zone's
 * endpoint, so both directions of a flow cross the same endpoint (the
 * firewall is stateful). paths.c proves those routes (E0661, E0662).
 *
 * Sources (AWS documentation; facts, not quotations):
 * - CloudFormation User Guide, AWS::NetworkFirewall::RuleGroup
 *   RulesSourceList (Targets: an explicit name matches only itself; an
 *   initial `.` matches the domain and all its subdomains; TargetTypes
 *   TLS_SNI, HTTP_HOST; ALLOWLIST denies the other traffic of those
 *   protocols).
 * - Network Firewall Developer Guide, "Stateful default actions" and
 *   "Strict evaluation order": with STRICT_ORDER and domain lists, the
 *   default action aws:drop_established lets the TCP handshake through so
 *   that the SNI or Host header can be read; aws:drop_strict would drop
 *   the handshake before any domain is seen.
 * - Network Firewall Developer Guide, "Firewalls and firewall endpoints":
 *   one subnet per Availability Zone; the firewall's EndpointIds attribute
 *   lists `az:vpce-id` strings in no particular order (CloudFormation User
 *   Guide, AWS::NetworkFirewall::Firewall, return values).
 * - Route 53 Developer Guide, "DNS Firewall rule groups and rules":
 *   domain lists take `*.` for subdomains (which does not match the apex).
 */
#include <stddef.h>
#include <string.h>

#include "attrs.h"
#include "diag.h"
#include "kind.h"
#include "lowering.h"

static const struct attr_schema firewall_attrs[] = {
	{ "allow", VT_STRINGS, true, NULL, NULL,
	  "domains HTTPS and HTTP may reach: `pypi.org`, or `*.huggingface.co` for it and its subdomains" },
	{ "cidr", VT_CIDR, true, NULL, NULL,
	  "a free range of the network for the firewall's subnets: one /28 per zone" },
	{ "dns_firewall", VT_BOOL, false, NULL, NULL,
	  "also answer DNS only for the allowed domains (Route 53 Resolver DNS Firewall; default false)" },
};

static const struct block_schema firewall_schema = {
	"firewall", "network", true, SCHEMA_ATTRS(firewall_attrs),
	"egress allowed by domain name: AWS Network Firewall in every zone of a restricted network"
};

enum { F_ALLOW, F_CIDR, F_DNS };

/* A firewall subnet per zone: /28 is the smallest subnet AWS takes. */
#define FW_PREFIX 28

/* ---- checking ------------------------------------------------------------------ */

/*
 * What Network Firewall would refuse in `d` (a domain as written in sgl),
 * or NULL; `*help` then says how to write it. A domain list target is a
 * host name (letters, digits, `-`, labels of 1 to 63 characters, at most
 * 253 in all), optionally with an initial `.` for subdomains, which sgl
 * writes `*.`. A top-level domain alone would admit every site under it.
 */
static const char *domain_problem(struct checker *ck, const char *d, const char **help)
{
	const char *name = strncmp(d, "*.", 2) == 0 ? d + 2 : d;
	size_t n = strlen(name);
	*help = "write a host name such as `pypi.org`, or `*.example.com` for a domain and its subdomains";
	if (!*d)
		return "an empty domain";
	if (d[0] == '.') {
		*help = arena_printf(ck->arena, "write `*%s`: sgl spells a subdomain wildcard `*.`, and sgc "
				     "lowers it to Network Firewall's `%s`", d, d);
		return "a leading `.`";
	}
	if (strstr(d, "://") || strchr(d, '/') || strchr(d, ':')) {
		*help = "write the host name alone, without scheme, port or path";
		return "a URL, not a domain name";
	}
	if (strchr(name, '*')) {
		*help = "Network Firewall takes no other wildcard: write `*.example.com` for a domain and its "
			"subdomains, or list each name";
		return "`*` other than as a whole first label `*.`";
	}
	for (const char *p = name; *p; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			char *low = arena_strndup(ck->arena, d, strlen(d));
			for (char *q = low; *q; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q = (char)(*q - 'A' + 'a');
			*help = arena_printf(ck->arena, "write `%s`: domain names are matched in lower case", low);
			return "an upper-case letter";
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return arena_printf(ck->arena, "`%c`, which a host name cannot contain", *p);
	}
	if (n > 253)
		return arena_printf(ck->arena, "%zu characters; a domain name has at most 253", n);
	if (n && name[n - 1] == '.') {
		*help = arena_printf(ck->arena, "write `%.*s`", (int)(strlen(d) - 1), d);
		return "a trailing `.`";
	}
	size_t labels = 0;
	const char *last = name;
	for (const char *p = name;; p++) {
		if (*p && *p != '.')
			continue;
		size_t len = (size_t)(p - last);
		if (len == 0)
			return "an empty label (`..`, or a leading `.` after `*.`)";
		if (len > 63)
			return arena_printf(ck->arena, "a label of %zu characters; at most 63", len);
		if (last[0] == '-' || p[-1] == '-')
			return "a label that starts or ends with `-`";
		labels++;
		if (!*p)
			break;
		last = p + 1;
	}
	bool numeric = true;
	for (const char *p = last; *p; p++)
		numeric &= *p >= '0' && *p <= '9';
	if (numeric) {
		*help = "Network Firewall matches names in TLS SNI and the HTTP Host header; "
			"to allow an address, add an `egress` rule to a security group";
		return "an IP address, not a domain name";
	}
	if (labels < 2) {
		*help = "name the domain, e.g. `*.example.com`";
		return arena_printf(ck->arena, "a top-level domain alone: `%s` would allow every site under it", d);
	}
	return NULL;
}

/* Whether `a` (as written) allows every name `b` does: the same, or `*.x` over x or its subdomains. */
static bool covers(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	if (strncmp(a, "*.", 2) != 0)
		return false;
	const char *base = a + 2, *nb = strncmp(b, "*.", 2) == 0 ? b + 2 : b;
	size_t lb = strlen(base), ln = strlen(nb);
	if (strcmp(nb, base) == 0)
		return strncmp(b, "*.", 2) != 0;
	return ln > lb && nb[ln - lb - 1] == '.' && strcmp(nb + ln - lb, base) == 0;
}

static void check_domains(struct checker *ck, const struct ast_item *b, const struct ast_item *attr,
			  struct m_firewall *fw)
{
	const struct ast_expr *e = ck_value_of(ck, b->scope, attr, EX_LIST, VT_STRINGS);
	if (!e)
		return;
	struct ptrvec spans = { 0 };
	for (const struct ast_expr *x = e->u.list.head; x; x = x->next) {
		const struct ast_expr *v = ck_deref(ck, b->scope, x);
		if (!v)
			continue;
		if (v->kind != EX_STRING) {
			ck_wrong_type(ck, attr, v, VT_STRINGS);
			continue;
		}
		const char *d = v->u.str.s, *help;
		const char *why = domain_problem(ck, d, &help);
		if (why) {
			struct diag *dg = diag_add(ck->diags, DIAG_E0660, x->span,
						   "`%s` is not a domain Network Firewall accepts", d);
			diag_label(ck->diags, dg, "%s", why);
			diag_note(ck->diags, dg, "a domain list matches TLS SNI and HTTP Host names; source: "
				  "CloudFormation User Guide, AWS::NetworkFirewall::RuleGroup RulesSourceList");
			diag_help(ck->diags, dg, "%s", help);
			continue;
		}
		size_t k = 0;
		for (; k < fw->domains.n; k++)
			if (covers(fw->domains.items[k], d) || covers(d, fw->domains.items[k]))
				break;
		if (k < fw->domains.n) {
			const char *other = fw->domains.items[k];
			struct diag *dg = diag_add(ck->diags, DIAG_W0661, x->span, "`%s` is allowed twice", d);
			diag_secondary(ck->diags, dg, *(const struct span *)spans.items[k], "`%s` here", other);
			diag_note(ck->diags, dg, "`*.x` allows x and every name under it");
			if (strcmp(other, d) == 0)
				diag_help(ck->diags, dg, "remove one");
			else
				diag_help(ck->diags, dg, "keep the wider of `%s` and `%s`", other, d);
			continue;
		}
		struct span *sp = arena_alloc(ck->arena, sizeof *sp);
		*sp = x->span;
		ptrvec_push(ck->arena, &spans, sp);
		ptrvec_push(ck->arena, &fw->domains, (void *)d);
	}
	if (!e->u.list.head) {
		struct diag *dg = diag_add(ck->diags, DIAG_E0660, attr->value->span,
					   "firewall `%s` allows no domain", fw->name);
		diag_note(ck->diags, dg, "with nothing allowed, the firewall drops all egress: the NAT "
			  "gateway and the firewall endpoints would be billed for nothing");
		diag_help(ck->diags, dg, "list the domains, or declare the network `isolation = isolated`");
	}
}

/* The network whose block holds `b`. */
static struct m_network *network_of(struct checker *ck, const struct ast_item *b)
{
	for (size_t i = 0; i < ck->env->networks.n; i++) {
		struct m_network *net = ck->env->networks.items[i];
		const struct ast_item *nb = net->item;
		for (const struct ast_item *it = nb ? nb->children : NULL; it; it = it->next)
			if (it == b)
				return net;
	}
	return NULL;
}

/* The network's zones with a subnet, in letter order: where the firewall needs an endpoint. */
static size_t zones_of(const struct m_network *net, char *zones)
{
	bool on[26] = { 0 };
	for (size_t i = 0; i < net->subnets.n; i++) {
		char z = ((const struct m_subnet *)net->subnets.items[i])->zone;
		if (z >= 'a' && z <= 'z')
			on[z - 'a'] = true;
	}
	size_t n = 0;
	for (int z = 0; z < 26; z++)
		if (on[z])
			zones[n++] = (char)('a' + z);
	zones[n] = 0;
	return n;
}

/* The range fits: inside the network, clear of its subnets, one /28 per zone. E0664. */
static bool check_fit(struct checker *ck, const struct m_firewall *fw, size_t nzones)
{
	const struct m_network *net = fw->net;
	if (!cidr_contains(net->cidr, fw->cidr)) {
		struct diag *d = diag_add(ck->diags, DIAG_E0664, fw->cidr_span,
					  "firewall `%s` is outside network `%s`", fw->name, net->name);
		diag_label(ck->diags, d, "`%s` is not inside `%s`", ck_fmt_cidr(ck, fw->cidr),
			   ck_fmt_cidr(ck, net->cidr));
		diag_secondary(ck->diags, d, net->cidr_span, "network range declared here");
		diag_help(ck->diags, d, "pick a free range inside `%s`", ck_fmt_cidr(ck, net->cidr));
		return false;
	}
	for (size_t i = 0; i < net->subnets.n; i++) {
		const struct m_subnet *sn = net->subnets.items[i];
		if (!cidr_overlaps(sn->cidr, fw->cidr))
			continue;
		struct diag *d = diag_add(ck->diags, DIAG_E0664, fw->cidr_span,
					  "firewall `%s` overlaps subnet `%s`", fw->name, sn->name);
		diag_label(ck->diags, d, "`%s` overlaps `%s`", ck_fmt_cidr(ck, fw->cidr),
			   ck_fmt_cidr(ck, sn->cidr));
		diag_secondary(ck->diags, d, sn->cidr_span, "`%s` declared here", sn->name);
		diag_help(ck->diags, d, "the firewall's subnets are its own: give it a range no subnet uses");
		return false;
	}
	uint64_t need = (uint64_t)nzones << (32 - FW_PREFIX);
	if (need > cidr_size(fw->cidr)) {
		unsigned prefix = FW_PREFIX;
		while (prefix > 16 && ((uint64_t)1 << (32 - prefix)) < need)
			prefix--;
		struct diag *d = diag_add(ck->diags, DIAG_E0664, fw->cidr_span,
					  "firewall `%s` needs one /%d subnet in each of %zu zones",
					  fw->name, FW_PREFIX, nzones);
		diag_label(ck->diags, d, "`%s` holds %llu", ck_fmt_cidr(ck, fw->cidr),
			   (unsigned long long)(cidr_size(fw->cidr) >> (32 - FW_PREFIX)));
		diag_help(ck->diags, d, "use a /%u or larger range", prefix);
		return false;
	}
	return true;
}

/*
 * The firewall's subnets and its routes: private default routes to the
 * zone's endpoint (replacing the NAT route), firewall subnets to the NAT
 * gateway the private subnets used, and return routes in the public table.
 */
static void reroute(struct checker *ck, struct m_firewall *fw, const char *zones, size_t nzones)
{
	struct m_network *net = fw->net;
	for (size_t z = 0; z < nzones; z++) {
		struct m_subnet *sn = arena_alloc(ck->arena, sizeof *sn);
		sn->name = arena_printf(ck->arena, "%s_%c", fw->name, zones[z]);
		sn->span = fw->span;
		sn->cidr = (struct cidr){ fw->cidr.addr + (uint32_t)(z << (32 - FW_PREFIX)), FW_PREFIX };
		sn->cidr_span = fw->cidr_span;
		sn->zone = zones[z];
		sn->zone_span = fw->span;
		sn->firewall = true;
		sn->net = net;
		ptrvec_push(ck->arena, &fw->subnets, sn);
	}
	size_t nroutes = net->routes.n;
	for (size_t i = 0; i < nroutes; i++) {
		struct m_route *r = net->routes.items[i];
		if (!r->table || r->hop != HOP_NAT)
			continue;
		const struct m_subnet *nat = r->via, *private = r->table;
		r->hop = HOP_FIREWALL;
		r->zone = private->zone;
		r->via = NULL;
		for (size_t z = 0; z < fw->subnets.n; z++) {
			const struct m_subnet *fs = fw->subnets.items[z];
			bool have = false;
			for (size_t k = nroutes; k < net->routes.n && !have; k++)
				have = ((const struct m_route *)net->routes.items[k])->table == fs;
			if (fs->zone != private->zone || have)
				continue;
			struct m_route *out = arena_alloc(ck->arena, sizeof *out);
			*out = (struct m_route){ .table = fs, .dest = { 0, 0 }, .hop = HOP_NAT, .via = nat };
			ptrvec_push(ck->arena, &net->routes, out);
		}
		struct m_route *back = arena_alloc(ck->arena, sizeof *back);
		*back = (struct m_route){ .table = NULL, .dest = private->cidr, .hop = HOP_FIREWALL,
					  .zone = private->zone };
		ptrvec_push(ck->arena, &net->routes, back);
	}
	/* A zone with only public subnets still gets its endpoint (every zone), routed out too. */
	for (size_t z = 0; z < fw->subnets.n; z++) {
		const struct m_subnet *fs = fw->subnets.items[z];
		bool have = false;
		for (size_t k = nroutes; k < net->routes.n && !have; k++)
			have = ((const struct m_route *)net->routes.items[k])->table == fs;
		const struct m_subnet *nat = NULL;
		for (size_t i = 0; i < net->subnets.n && !have; i++) {
			const struct m_subnet *p = net->subnets.items[i];
			if (p->hosts_nat && (!nat || p->zone == fs->zone))
				nat = nat && nat->zone == fs->zone ? nat : p;
		}
		if (have || !nat)
			continue;
		struct m_route *out = arena_alloc(ck->arena, sizeof *out);
		*out = (struct m_route){ .table = fs, .dest = { 0, 0 }, .hop = HOP_NAT, .via = nat };
		ptrvec_push(ck->arena, &net->routes, out);
	}
}

static void check_firewall(struct checker *ck, const struct ast_item *b)
{
	struct slots sl;
	ck_validate_attrs(ck, b, &firewall_schema, &sl);
	struct m_network *net = network_of(ck, b);
	if (!net)
		return;
	struct m_firewall *fw = arena_alloc(ck->arena, sizeof *fw);
	fw->name = b->name;
	fw->span = b->name_span;
	fw->net = net;
	ck_register(ck, b, fw);
	if (sl.at[F_ALLOW])
		check_domains(ck, b, sl.at[F_ALLOW], fw);
	fw->dns_firewall = ck_get_bool(ck, b->scope, sl.at[F_DNS], false);
	bool cidr_ok = ck_get_cidr(ck, b->scope, sl.at[F_CIDR], &fw->cidr, &fw->cidr_span);
	if (net->isolation != ISO_RESTRICTED) {
		struct diag *d = diag_add(ck->diags, DIAG_E0663, b->name_span,
					  "firewall `%s` is in %s network `%s`", fw->name,
					  net->isolation == ISO_ISOLATED ? "isolated" : "public", net->name);
		diag_secondary(ck->diags, d, net->span, "network declared here");
		diag_note(ck->diags, d, "the firewall filters the path private subnets -> NAT gateway -> "
			  "internet gateway, which only a restricted network has");
		diag_help(ck->diags, d, "declare network `%s` with `isolation = restricted`", net->name);
		return;
	}
	if (net->firewall) {
		struct diag *d = diag_add(ck->diags, DIAG_E0663, b->name_span,
					  "network `%s` has a firewall already", net->name);
		diag_secondary(ck->diags, d, net->firewall->span, "the first one");
		diag_note(ck->diags, d, "a subnet's default route takes one firewall endpoint");
		diag_help(ck->diags, d, "list every domain in `%s`'s `allow`", net->firewall->name);
		return;
	}
	net->firewall = fw;
	char zones[27];
	size_t nzones = zones_of(net, zones);
	if (nzones == 1) {
		struct diag *d = diag_add(ck->diags, DIAG_W0660, b->name_span,
					  "firewall `%s` has an endpoint in zone `%c` only", fw->name, zones[0]);
		diag_note(ck->diags, d, "AWS Control Tower control CT.NETWORK-FIREWALL.PR.5 asks for subnets "
			  "in at least two zones: a zone's outage stops all egress");
		diag_help(ck->diags, d, "add a subnet in a second zone to network `%s`", net->name);
	}
	if (!cidr_ok || !nzones || !check_fit(ck, fw, nzones))
		return;
	reroute(ck, fw, zones, nzones);
	ptrvec_push(ck->arena, &ck->env->firewalls, fw);
}

/* ---- lowering ------------------------------------------------------------------------ */

/* `<env>-<network>-<firewall>[-suffix]` with `_` as `-`: Network Firewall names take [a-zA-Z0-9-]. */
static const char *aws_name(struct lowerer *lw, const struct m_firewall *fw, const char *suffix)
{
	char *s = arena_printf(lw->a, "%s-%s-%s%s%s", lw->env->stem, fw->net->name, fw->name,
			       suffix ? "-" : "", suffix ? suffix : "");
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = '-';
	return s;
}

static struct cv *fn(struct arena *a, const char *name, struct cv *arg)
{
	struct cv *o = cv_obj(a);
	cv_set(a, o, name, arg);
	return o;
}

static struct cv *pair(struct arena *a, struct cv *x, struct cv *y)
{
	struct cv *arr = cv_arr(a);
	cv_push(a, arr, x);
	cv_push(a, arr, y);
	return arr;
}

/*
 * The firewall endpoint of one zone, chosen by the zone's name, never by
 * its place in EndpointIds (which AWS lists in no order): joined as
 * `,us-west-2a:vpce-1,us-west-2b:vpce-2`, split at `,us-west-2a:` (the
 * text after it starts with the zone's endpoint ID), then cut at the next
 * `,`. Fn::Split takes only a literal delimiter, so the Region is written
 * out: the template's rule DeployToCheckedRegion pins it. A zone the
 * firewall lacks fails the stack rather than picking another zone's.
 */
static struct cv *endpoint_of(struct lowerer *lw, const char *firewall, char zone)
{
	struct arena *a = lw->a;
	struct cv *inner = cv_arr(a);
	cv_push(a, inner, cv_str(a, ","));
	cv_push(a, inner, fn(a, "Fn::Join", pair(a, cv_str(a, ","), cv_getatt(a, firewall, "EndpointIds"))));
	struct cv *joined = fn(a, "Fn::Join", pair(a, cv_str(a, ""), inner));
	struct cv *after = fn(a, "Fn::Split",
			      pair(a, cv_strf(a, ",%s%c:", lw->env->region->name, zone), joined));
	struct cv *tail = fn(a, "Fn::Select", pair(a, cv_int(a, 1), after));
	struct cv *cut = fn(a, "Fn::Split", pair(a, cv_str(a, ","), tail));
	return fn(a, "Fn::Select", pair(a, cv_int(a, 0), cut));
}

/* Network Firewall's spelling: `*.x` is `.x` (x and its subdomains). */
static const char *nfw_target(const char *d)
{
	return strncmp(d, "*.", 2) == 0 ? d + 1 : d;
}

static size_t index_of(const struct ptrvec *v, const void *p)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i] == p)
			return i;
	return v->n;
}

static void lower_subnets(struct lowerer *lw, const struct m_firewall *fw, const struct netl *nl,
			  const char *stem, const char **tables)
{
	struct arena *a = lw->a;
	for (size_t z = 0; z < fw->subnets.n; z++) {
		const struct m_subnet *sn = fw->subnets.items[z];
		char zu = (char)(sn->zone - 'a' + 'A');
		const char *id = logical_id(lw, "%sSubnet%c", stem, zu);
		lw_map_id(lw, sn, id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::Subnet");
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		cv_set(a, r->props, "CidrBlock", cv_str(a, lw_cidr(lw, sn->cidr)));
		cv_set(a, r->props, "AvailabilityZone", cv_sub(a, arena_printf(a, "${AWS::Region}%c", sn->zone)));
		cv_set(a, r->props, "Tags", lw_tags(lw, arena_printf(a, "%s-%s-%s", lw->env->stem,
								    fw->net->name, sn->name)));
		tables[z] = logical_id(lw, "%sRouteTable%c", stem, zu);
		r = cfn_add(lw->t, tables[z], "AWS::EC2::RouteTable");
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		cv_set(a, r->props, "Tags", lw_tags(lw, arena_printf(a, "%s-%s-%s", lw->env->stem,
								    fw->net->name, sn->name)));
		r = cfn_add(lw->t, logical_id(lw, "%sRouteTableAssociation%c", stem, zu),
			    "AWS::EC2::SubnetRouteTableAssociation");
		cv_set(a, r->props, "RouteTableId", cv_ref(a, tables[z]));
		cv_set(a, r->props, "SubnetId", cv_ref(a, id));
	}
}

static const char *log_group(struct lowerer *lw, const struct m_firewall *fw, const char *stem,
			     const char *kind)
{
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%s%sLogGroup", stem, kind);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::Logs::LogGroup");
	/* What the firewall passed and dropped is evidence: it outlives the stack. */
	r->deletion_policy = "Retain";
	r->update_replace_policy = "Retain";
	/* On the network's flow-log key, the environment key, whose policy lets
	 * CloudWatch Logs use it for the account's log groups (compliance.md). */
	if (fw->net->flow_log_key)
		cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, fw->net->flow_log_key));
	cv_set(a, r->props, "RetentionInDays", cv_int(a, 365));
	return id;
}

static struct cv *log_destination(struct lowerer *lw, const char *type, const char *group)
{
	struct arena *a = lw->a;
	struct cv *c = cv_obj(a);
	cv_set(a, c, "LogType", cv_str(a, type));
	cv_set(a, c, "LogDestinationType", cv_str(a, "CloudWatchLogs"));
	struct cv *dest = cv_obj(a);
	cv_set(a, dest, "logGroup", cv_ref(a, group));
	cv_set(a, c, "LogDestination", dest);
	return c;
}

/* Capacity cannot change after creation: reserved in hundreds, two rules (SNI, Host) a domain. */
static int capacity(size_t ndomains)
{
	size_t need = 2 * ndomains;
	return (int)((need + 99) / 100 * 100);
}

static void lower_network_firewall(struct lowerer *lw, const struct m_firewall *fw, const struct netl *nl,
				   const char *stem, const char *firewall)
{
	struct arena *a = lw->a;
	const char *rg = logical_id(lw, "%sRuleGroup", stem);
	struct cfn_resource *r = cfn_add(lw->t, rg, "AWS::NetworkFirewall::RuleGroup");
	cv_set(a, r->props, "RuleGroupName", cv_str(a, aws_name(lw, fw, "domains")));
	cv_set(a, r->props, "Type", cv_str(a, "STATEFUL"));
	cv_set(a, r->props, "Capacity", cv_int(a, capacity(fw->domains.n)));
	cv_set(a, r->props, "Description", cv_strf(a, "domains firewall %s of network %s allows",
						   fw->name, fw->net->name));
	struct cv *targets = cv_arr(a);
	for (size_t i = 0; i < fw->domains.n; i++)
		cv_push(a, targets, cv_str(a, nfw_target(fw->domains.items[i])));
	struct cv *list = cv_obj(a);
	cv_set(a, list, "GeneratedRulesType", cv_str(a, "ALLOWLIST"));
	cv_set(a, list, "TargetTypes", pair(a, cv_str(a, "TLS_SNI"), cv_str(a, "HTTP_HOST")));
	cv_set(a, list, "Targets", targets);
	struct cv *group = cv_obj(a);
	cv_set(a, group, "RulesSource", fn(a, "RulesSourceList", list));
	cv_set(a, group, "StatefulRuleOptions", fn(a, "RuleOrder", cv_str(a, "STRICT_ORDER")));
	cv_set(a, r->props, "RuleGroup", group);
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, "domains")));

	const char *pol = logical_id(lw, "%sPolicy", stem);
	r = cfn_add(lw->t, pol, "AWS::NetworkFirewall::FirewallPolicy");
	cv_set(a, r->props, "FirewallPolicyName", cv_str(a, aws_name(lw, fw, NULL)));
	struct cv *p = cv_obj(a);
	struct cv *fwd = cv_arr(a);
	cv_push(a, fwd, cv_str(a, "aws:forward_to_sfe"));
	cv_set(a, p, "StatelessDefaultActions", fwd);
	cv_set(a, p, "StatelessFragmentDefaultActions", fwd);
	cv_set(a, p, "StatefulDefaultActions", pair(a, cv_str(a, "aws:drop_established"),
						    cv_str(a, "aws:alert_established")));
	cv_set(a, p, "StatefulEngineOptions", fn(a, "RuleOrder", cv_str(a, "STRICT_ORDER")));
	struct cv *ref = cv_obj(a);
	cv_set(a, ref, "ResourceArn", cv_getatt(a, rg, "RuleGroupArn"));
	cv_set(a, ref, "Priority", cv_int(a, 1));
	struct cv *refs = cv_arr(a);
	cv_push(a, refs, ref);
	cv_set(a, p, "StatefulRuleGroupReferences", refs);
	cv_set(a, r->props, "FirewallPolicy", p);
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, NULL)));

	r = cfn_add(lw->t, firewall, "AWS::NetworkFirewall::Firewall");
	cv_set(a, r->props, "FirewallName", cv_str(a, aws_name(lw, fw, NULL)));
	cv_set(a, r->props, "FirewallPolicyArn", cv_getatt(a, pol, "FirewallPolicyArn"));
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
	struct cv *maps = cv_arr(a);
	for (size_t z = 0; z < fw->subnets.n; z++)
		cv_push(a, maps, fn(a, "SubnetId", cv_ref(a, lw_id_of(lw, fw->subnets.items[z]))));
	cv_set(a, r->props, "SubnetMappings", maps);
	cv_set(a, r->props, "Description", cv_strf(a, "egress of network %s to the domains it allows",
						   fw->net->name));
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, NULL)));

	const char *alert = log_group(lw, fw, stem, "Alert"), *flow = log_group(lw, fw, stem, "Flow");
	r = cfn_add(lw->t, logical_id(lw, "%sLogging", stem), "AWS::NetworkFirewall::LoggingConfiguration");
	cv_set(a, r->props, "FirewallArn", cv_getatt(a, firewall, "FirewallArn"));
	struct cv *dests = pair(a, log_destination(lw, "ALERT", alert), log_destination(lw, "FLOW", flow));
	cv_set(a, r->props, "LoggingConfiguration", fn(a, "LogDestinationConfigs", dests));
	lw_output(lw, logical_id(lw, "%sFirewallArn", stem),
		  arena_printf(a, "firewall %s of network %s", fw->name, fw->net->name),
		  cv_getatt(a, firewall, "FirewallArn"));
}

/*
 * DNS names answered besides the allowed domains: AWS's own (the
 * interface endpoints' private names and S3's resolve through the same
 * Resolver) and the VPC's internal host names.
 */
static const char *const dns_always[] = { "amazonaws.com", "*.amazonaws.com", "*.compute.internal",
					  "*.ec2.internal", NULL };

static void lower_dns_firewall(struct lowerer *lw, const struct m_firewall *fw, const struct netl *nl,
			       const char *stem)
{
	struct arena *a = lw->a;
	struct cv *domains = cv_arr(a);
	for (size_t i = 0; i < fw->domains.n; i++) {
		const char *d = fw->domains.items[i];
		/* DNS Firewall's `*.x` leaves out x itself, which Network Firewall's `.x` matches. */
		if (strncmp(d, "*.", 2) == 0)
			cv_push(a, domains, cv_str(a, d + 2));
		cv_push(a, domains, cv_str(a, d));
	}
	for (int i = 0; dns_always[i]; i++)
		cv_push(a, domains, cv_str(a, dns_always[i]));
	const char *allow = logical_id(lw, "%sDnsAllowList", stem);
	struct cfn_resource *r = cfn_add(lw->t, allow, "AWS::Route53Resolver::FirewallDomainList");
	cv_set(a, r->props, "Name", cv_str(a, aws_name(lw, fw, "allow")));
	cv_set(a, r->props, "Domains", domains);
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, "allow")));
	const char *rest = logical_id(lw, "%sDnsBlockList", stem);
	r = cfn_add(lw->t, rest, "AWS::Route53Resolver::FirewallDomainList");
	cv_set(a, r->props, "Name", cv_str(a, aws_name(lw, fw, "rest")));
	struct cv *all = cv_arr(a);
	cv_push(a, all, cv_str(a, "*"));
	cv_set(a, r->props, "Domains", all);
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, "rest")));

	const char *group = logical_id(lw, "%sDnsRuleGroup", stem);
	r = cfn_add(lw->t, group, "AWS::Route53Resolver::FirewallRuleGroup");
	cv_set(a, r->props, "Name", cv_str(a, aws_name(lw, fw, "dns")));
	struct cv *rules = cv_arr(a);
	struct cv *ok = cv_obj(a);
	cv_set(a, ok, "FirewallDomainListId", cv_getatt(a, allow, "Id"));
	cv_set(a, ok, "Priority", cv_int(a, 100));
	cv_set(a, ok, "Action", cv_str(a, "ALLOW"));
	cv_push(a, rules, ok);
	struct cv *no = cv_obj(a);
	cv_set(a, no, "FirewallDomainListId", cv_getatt(a, rest, "Id"));
	cv_set(a, no, "Priority", cv_int(a, 200));
	cv_set(a, no, "Action", cv_str(a, "BLOCK"));
	cv_set(a, no, "BlockResponse", cv_str(a, "NXDOMAIN"));
	cv_push(a, rules, no);
	cv_set(a, r->props, "FirewallRules", rules);
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, "dns")));

	r = cfn_add(lw->t, logical_id(lw, "%sDnsAssociation", stem),
		    "AWS::Route53Resolver::FirewallRuleGroupAssociation");
	cv_set(a, r->props, "Name", cv_str(a, aws_name(lw, fw, "dns")));
	cv_set(a, r->props, "FirewallRuleGroupId", cv_getatt(a, group, "Id"));
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
	cv_set(a, r->props, "Priority", cv_int(a, 101));
	cv_set(a, r->props, "Tags", lw_tags(lw, aws_name(lw, fw, "dns")));
}

/* The routes that name the firewall or its subnets (the network lowered the others). */
static void lower_routes(struct lowerer *lw, const struct m_firewall *fw, const struct netl *nl,
			 const char *stem, const char *firewall, const char **tables)
{
	struct arena *a = lw->a;
	const struct m_network *net = fw->net;
	for (size_t i = 0; i < net->routes.n; i++) {
		const struct m_route *rt = net->routes.items[i];
		size_t z = rt->table ? index_of(&fw->subnets, rt->table) : fw->subnets.n;
		struct cfn_resource *r;
		if (z < fw->subnets.n) {
			if (rt->hop != HOP_NAT)
				continue;
			r = cfn_add(lw->t, logical_id(lw, "%sNatRoute%c", stem, (char)(rt->table->zone - 'a' + 'A')),
				    "AWS::EC2::Route");
			cv_set(a, r->props, "RouteTableId", cv_ref(a, tables[z]));
			cv_set(a, r->props, "DestinationCidrBlock", cv_str(a, lw_cidr(lw, rt->dest)));
			cv_set(a, r->props, "NatGatewayId", cv_ref(a, nl->nat_by_zone[rt->via->zone - 'a']));
			continue;
		}
		if (rt->hop != HOP_FIREWALL)
			continue;
		if (rt->table) {
			size_t k = index_of(&net->subnets, rt->table);
			r = cfn_add(lw->t, logical_id(lw, "%s%sFirewallRoute", nl->stem,
						      lower_pascal(a, rt->table->name)), "AWS::EC2::Route");
			cv_set(a, r->props, "RouteTableId", cv_ref(a, nl->route_tables[k]));
		} else {
			const struct m_subnet *back = NULL;
			for (size_t k = 0; k < net->subnets.n && !back; k++) {
				const struct m_subnet *sn = net->subnets.items[k];
				if (cidr_compare(sn->cidr, rt->dest) == 0)
					back = sn;
			}
			r = cfn_add(lw->t, logical_id(lw, "%sPublic%sReturnRoute", nl->stem,
						      back ? lower_pascal(a, back->name) : ""), "AWS::EC2::Route");
			cv_set(a, r->props, "RouteTableId", cv_ref(a, nl->public_rt));
		}
		cv_set(a, r->props, "DestinationCidrBlock", cv_str(a, lw_cidr(lw, rt->dest)));
		cv_set(a, r->props, "VpcEndpointId", endpoint_of(lw, firewall, rt->zone));
	}
}

static void lower_firewall(struct lowerer *lw, const void *obj)
{
	const struct m_firewall *fw = obj;
	struct netl *nl = lw_net(lw, fw->net);
	if (!nl)
		return;
	const char *stem = arena_printf(lw->a, "%s%s", nl->stem, lw_pascal(lw, fw->name));
	const char **tables = arena_calloc(lw->a, fw->subnets.n + 1, sizeof *tables);
	const char *firewall = logical_id(lw, "%sFirewall", stem);
	lower_subnets(lw, fw, nl, stem, tables);
	lower_network_firewall(lw, fw, nl, stem, firewall);
	lower_routes(lw, fw, nl, stem, firewall, tables);
	if (fw->dns_firewall)
		lower_dns_firewall(lw, fw, nl, stem);
}

static const struct block_schema *const schemas[] = {
	&firewall_schema,
};

const struct kind firewall_kind = {
	.name = "firewall",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, firewalls),
	.check = check_firewall,
	/* Last: its log groups name the environment key, lowered after the networks. */
	.lower_last = lower_firewall,
};
