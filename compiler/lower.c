/*
 * lower.c - the network part of an environment as CloudFormation.
 *
 * For each network: the VPC (DNS support and hostnames on, which private
 * DNS on interface endpoints requires), its subnets with one route table
 * per private subnet, the internet gateway and a shared public route
 * table when any subnet is public, one NAT gateway per zone in a
 * restricted network, security groups whose egress is always explicit,
 * and the VPC endpoints. Facts and their sources: shared/reference/
 * cloudformation.md and endpoints.md.
 */
#include "lower.h"

#include "kinds/kinds.h"
#include "lower_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
		return arena_printf(lw->a, "%s-%s-%s", lw->env->name, nl->net->name, suffix);
	return arena_printf(lw->a, "%s-%s", lw->env->name, nl->net->name);
}

static void lower_vpc(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	nl->vpc = logical_id(lw, "%sVpc", nl->stem);
	struct cfn_resource *r = cfn_add(lw->t, nl->vpc, "AWS::EC2::VPC");
	cv_set(a, r->props, "CidrBlock", cv_str(a, lw_cidr(lw, nl->net->cidr)));
	cv_set(a, r->props, "EnableDnsHostnames", cv_bool(a, true));
	cv_set(a, r->props, "EnableDnsSupport", cv_bool(a, true));
	cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, NULL)));
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

/* The NAT gateway in the subnet's own zone, else the first one. */
static const char *nat_for(const struct netl *nl, const struct m_subnet *sn)
{
	const char *own = sn->zone >= 'a' && sn->zone <= 'z' ? nl->nat_by_zone[sn->zone - 'a'] : NULL;
	return own ? own : nl->first_nat;
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
			const char *nat = net->isolation == ISO_RESTRICTED ? nat_for(nl, sn) : NULL;
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
	struct arena *a = lw->a;
	nl->endpoint_sg = logical_id(lw, "%sEndpointSecurityGroup", nl->stem);
	struct cfn_resource *r = cfn_add(lw->t, nl->endpoint_sg, "AWS::EC2::SecurityGroup");
	cv_set(a, r->props, "GroupDescription",
	       cv_strf(a, "HTTPS from network %s to its interface endpoints", nl->net->name));
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
	struct cv *in = cv_arr(a);
	cv_push(a, in, lw_rule(lw, "tcp", 443, 443, "CidrIp",
			    cv_str(a, lw_cidr(lw, nl->net->cidr)), "HTTPS from the VPC"));
	cv_set(a, r->props, "SecurityGroupIngress", in);
	cv_set(a, r->props, "SecurityGroupEgress", lw_no_egress(lw));
	cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, "endpoints")));
}

static struct cv *peer_value(struct lowerer *lw, const struct m_rule *r,
			     const char **key)
{
	struct arena *a = lw->a;
	switch (r->peer) {
	case PEER_CIDR:
		*key = "CidrIp";
		return cv_str(a, lw_cidr(lw, r->cidr));
	case PEER_PREFIX_LIST:
		*key = r->egress ? "DestinationPrefixListId" : "SourcePrefixListId";
		return cv_ref(a, lw_prefix_list_param(lw, r->prefix_list));
	case PEER_NONE: /* the checker refused the file: never lowered */
	case PEER_GROUP:
	case PEER_SELF:
		break;
	}
	*key = r->egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId";
	return NULL;
}

/*
 * Rules naming a group (or the group itself) become separate Ingress and
 * Egress resources: inline, two groups naming each other would form a
 * dependency cycle CloudFormation refuses.
 */
static void lower_security_groups(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < net->sgs.n; i++) {
		const struct m_sg *sg = net->sgs.items[i];
		const char *id = logical_id(lw, "%s%sSecurityGroup", nl->stem, lower_pascal(a, sg->name));
		lw_map_id(lw, sg, id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::SecurityGroup");
		cv_set(a, r->props, "GroupDescription",
		       sg->description ? cv_str(a, sg->description)
				       : cv_strf(a, "security group %s of network %s", sg->name, net->name));
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		struct cv *in = cv_arr(a), *out = cv_arr(a);
		for (size_t k = 0; k < sg->rules.n; k++) {
			const struct m_rule *ru = sg->rules.items[k];
			const char *key;
			struct cv *peer = peer_value(lw, ru, &key);
			if (peer)
				cv_push(a, ru->egress ? out : in,
					lw_rule(lw, ru->protocol, ru->from_port, ru->to_port, key, peer,
					     ru->description));
		}
		if (in->u.items.n)
			cv_set(a, r->props, "SecurityGroupIngress", in);
		cv_set(a, r->props, "SecurityGroupEgress", out->u.items.n ? out : lw_no_egress(lw));
		cv_set(a, r->props, "Tags", lw_tags(lw, res_name(lw, nl, sg->name)));
	}
	for (size_t i = 0; i < net->sgs.n; i++) {
		const struct m_sg *sg = net->sgs.items[i];
		int nin = 0, nout = 0;
		for (size_t k = 0; k < sg->rules.n; k++) {
			const struct m_rule *ru = sg->rules.items[k];
			const char *key;
			if (peer_value(lw, ru, &key))
				continue;
			const char *stem = lower_pascal(a, sg->name);
			const char *rid = ru->egress
				? logical_id(lw, "%s%sEgress%d", nl->stem, stem, ++nout)
				: logical_id(lw, "%s%sIngress%d", nl->stem, stem, ++nin);
			struct cfn_resource *r = cfn_add(lw->t, rid, ru->egress
				? "AWS::EC2::SecurityGroupEgress" : "AWS::EC2::SecurityGroupIngress");
			cv_set(a, r->props, "GroupId", cv_getatt(a, lw_sg_id(lw, sg), "GroupId"));
			cv_set(a, r->props, "IpProtocol", cv_str(a, ru->protocol));
			if (ru->from_port >= 0 || strcmp(ru->protocol, "icmp") == 0) {
				cv_set(a, r->props, "FromPort", cv_int(a, ru->from_port));
				cv_set(a, r->props, "ToPort", cv_int(a, ru->to_port));
			}
			cv_set(a, r->props, key, cv_getatt(a, lw_sg_id(lw, ru->group), "GroupId"));
			if (ru->description)
				cv_set(a, r->props, "Description", cv_str(a, ru->description));
		}
	}
}

static void lower_endpoints(struct lowerer *lw, struct netl *nl)
{
	struct arena *a = lw->a;
	const struct m_network *net = nl->net;
	for (size_t i = 0; i < ep_count; i++) {
		if (!net->has_endpoint[i])
			continue;
		const struct ep_service *svc = &ep_services[i];
		const char *id = logical_id(lw, "%s%sEndpoint", nl->stem, svc->logical);
		ptrvec_push(a, &nl->endpoint_ids, (void *)id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::VPCEndpoint");
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		cv_set(a, r->props, "ServiceName", cv_sub(a, svc->service_name));
		if (svc->type == EP_GATEWAY) {
			/* Gateway endpoints are routes: on every route table of the network. */
			cv_set(a, r->props, "VpcEndpointType", cv_str(a, "Gateway"));
			struct cv *rts = cv_arr(a);
			for (size_t k = 0; k < net->subnets.n; k++)
				if (nl->route_tables[k])
					cv_push(a, rts, cv_ref(a, nl->route_tables[k]));
			if (nl->public_rt)
				cv_push(a, rts, cv_ref(a, nl->public_rt));
			cv_set(a, r->props, "RouteTableIds", rts);
			continue;
		}
		cv_set(a, r->props, "VpcEndpointType", cv_str(a, "Interface"));
		cv_set(a, r->props, "PrivateDnsEnabled", cv_bool(a, true));
		struct cv *subnets = cv_arr(a);
		for (size_t k = 0; k < net->endpoint_subnets.n; k++)
			cv_push(a, subnets, cv_ref(a, lw_subnet_id(lw, net->endpoint_subnets.items[k])));
		cv_set(a, r->props, "SubnetIds", subnets);
		struct cv *sgs = cv_arr(a);
		cv_push(a, sgs, cv_getatt(a, nl->endpoint_sg, "GroupId"));
		cv_set(a, r->props, "SecurityGroupIds", sgs);
	}
}

static void lower_network(struct lowerer *lw, const struct m_network *net)
{
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

/* Deploying to another Region than the one checked would void the zone checks. */
static void region_rule(struct lowerer *lw)
{
	struct arena *a = lw->a;
	struct cv *eq = cv_arr(a);
	cv_push(a, eq, cv_ref(a, "AWS::Region"));
	cv_push(a, eq, cv_str(a, lw->env->region->name));
	struct cv *cond = cv_obj(a);
	cv_set(a, cond, "Fn::Equals", eq);
	struct cv *assertion = cv_obj(a);
	cv_set(a, assertion, "Assert", cond);
	cv_set(a, assertion, "AssertDescription",
	       cv_strf(a, "environment %s is checked for %s; deploy it there",
		       lw->env->name, lw->env->region->name));
	struct cv *list = cv_arr(a);
	cv_push(a, list, assertion);
	struct cv *rule_obj = cv_obj(a);
	cv_set(a, rule_obj, "Assertions", list);
	cv_set(a, lw->t->rules, "DeployToCheckedRegion", rule_obj);
}

struct cfn_template *lower_env(struct arena *a, const struct m_env *env)
{
	struct lowerer lw = { .a = a, .env = env };
	lw.t = cfn_new(a);
	lw.t->description = env->description
		? env->description
		: arena_printf(a, "sgc environment %s (%s)", env->name, env->region->name);
	region_rule(&lw);
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; i < objs->n; i++) {
			if (kinds[k]->lower)
				kinds[k]->lower(&lw, objs->items[i]);
			else if (strcmp(kinds[k]->name, "network") == 0)
				lower_network(&lw, objs->items[i]);
			else
				lower_legacy(&lw, kinds[k]->name, objs->items[i]);
		}
	}
	/* Then what must come after every resource. */
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->lower_last && i < objs->n; i++)
			kinds[k]->lower_last(&lw, objs->items[i]);
	}
	lower_params(&lw);
	return lw.t;
}
