/*
 * lower_impl.h - what lower.c and lower_workloads.c share inside the
 * lowering stage. Not for other modules: their interface is lower.h.
 */
#ifndef SGC_LOWER_IMPL_H
#define SGC_LOWER_IMPL_H

#include "cfn.h"
#include "model.h"

struct lowerer {
	struct arena *a;
	struct cfn_template *t;
	const struct m_env *env;
	struct strmap ids;  /* logical IDs handed out so far */
	struct ptrvec nets; /* struct netl *, one per network */
};

/* A network's resources, for the workloads that live in it. */
struct netl {
	const struct m_network *net;
	const char *stem;
	const char *vpc;
	const char *igw_attachment;      /* NULL without public subnets */
	const char *public_rt;
	const char **subnet_ids;         /* parallel to net->subnets */
	const char **route_tables;       /* parallel; NULL for public subnets */
	const char **nat_ids;            /* parallel; set where hosts_nat */
	const char *endpoint_sg;
	const char **sg_ids;             /* parallel to net->sgs: their logical IDs */
	struct ptrvec endpoint_ids;      /* const char *, every VPC endpoint */
};

/* A logical ID from a printf format, unique in the template. */
const char *logical_id(struct lowerer *lw, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct cv *lw_tags(struct lowerer *lw, const char *name);
const char *lw_cidr(struct lowerer *lw, struct cidr c);
void lw_output(struct lowerer *lw, const char *id, const char *desc,
	       struct cv *value);
struct cv *lw_rule(struct lowerer *lw, const char *proto, int from, int to,
		   const char *peer_key, struct cv *peer, const char *desc);
struct cv *lw_no_egress(struct lowerer *lw);
const char *lw_prefix_list_param(struct lowerer *lw, const struct ep_service *svc);
struct netl *lw_net(const struct lowerer *lw, const struct m_network *net);
const char *lw_subnet_id(const struct lowerer *lw, const struct m_subnet *sn);
const char *lw_sg_id(const struct lowerer *lw, const struct m_sg *sg);

/* lower_workloads.c */
void lower_workloads(struct lowerer *lw);
void lower_params(struct lowerer *lw);

#endif
