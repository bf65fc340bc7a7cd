/*
 * model.h - the checked model: what the checker proves and lowering reads.
 *
 * Every value here is validated and resolved: CIDRs are integers, zones
 * are letters in the Region, endpoint sets are expanded to concrete
 * services, references point at model objects. Lowering never sees the
 * AST and never validates.
 */
#ifndef SGC_MODEL_H
#define SGC_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "cidr.h"
#include "endpoints.h"
#include "regions.h"
#include "src.h"

enum isolation {
	ISO_ISOLATED,   /* no route to the internet at all */
	ISO_RESTRICTED, /* private subnets leave through a NAT gateway */
	ISO_PUBLIC,     /* subnets route to an internet gateway */
};

struct m_network;

struct m_subnet {
	const char *name;
	struct span span;
	struct cidr cidr;
	struct span cidr_span;
	char zone;
	struct span zone_span;
	bool public;
	bool hosts_nat;         /* restricted: the zone's NAT gateway lives here */
	struct m_network *net;
};

enum m_peer {
	PEER_CIDR,        /* cidr */
	PEER_GROUP,       /* group */
	PEER_SELF,        /* the rule's own group */
	PEER_PREFIX_LIST, /* prefix_list: a gateway service's managed list */
};

struct m_sg;

struct m_rule {
	bool egress;
	const char *protocol; /* "tcp", "udp", "icmp" or "-1" */
	int from_port, to_port;
	enum m_peer peer;
	struct cidr cidr;
	struct m_sg *group;
	const struct ep_service *prefix_list;
	const char *description;
	struct span span;
};

struct m_sg {
	const char *name;
	struct span span;
	const void *item;    /* the AST block, to bind `group = x` references */
	const char *description;
	struct ptrvec rules; /* struct m_rule * */
	struct m_network *net;
};

struct m_network {
	const char *name;
	struct span span;
	struct cidr cidr;
	struct span cidr_span;
	enum isolation isolation;
	struct ptrvec subnets;          /* struct m_subnet *, declaration order */
	bool *has_endpoint;             /* [ep_count] */
	struct span *endpoint_span;     /* [ep_count]: where each was asked for */
	size_t ninterface, ngateway;
	struct ptrvec endpoint_subnets; /* one subnet per zone, for interface endpoints */
	struct ptrvec sgs;              /* struct m_sg * */
};

struct m_tag {
	const char *key, *value;
};

struct m_env {
	const char *name;
	struct span span;
	const struct region *region;
	const char *description;
	struct m_tag *tags;
	size_t ntags;
	struct ptrvec networks; /* struct m_network * */
};

#endif
