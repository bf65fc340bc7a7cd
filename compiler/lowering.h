/*
 * lowering.h - the lowering context every resource kind lowers through
 * (kinds/kind.h): the template being built, logical IDs unique in it, tags,
 * outputs, security-group rules, IAM policy documents, and the IDs each
 * model object became, so that resources refer to each other by hash
 * look-up. Lowering trusts the model: nothing here validates or reports.
 */
#ifndef SGC_LOWERING_H
#define SGC_LOWERING_H

#include "cfn.h"
#include "model.h"
#include "suppress.h"

struct src_map;

struct lowerer {
	struct arena *a;
	struct cfn_template *t;
	const struct m_env *env;
	struct strmap ids;   /* logical IDs handed out so far */
	struct strmap nets;  /* `%p` of a network -> its struct netl */
	const struct src_map *src; /* for the lines suppression reasons name */
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
	const char *nat_by_zone[26];     /* the NAT gateway of zone a..z, if any */
	const char *first_nat;           /* the first one declared */
	const char *endpoint_sg;
	struct ptrvec endpoint_ids;      /* const char *, every VPC endpoint */
};

/* `private_a` -> `PrivateA`. */
const char *lower_pascal(struct arena *a, const char *name);
const char *lw_pascal(struct lowerer *lw, const char *name);

/* A logical ID from a printf format, unique in the template. */
const char *logical_id(struct lowerer *lw, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* `<environment>-<name>`: physical names and `Name` tags. */
const char *lw_env_name(struct lowerer *lw, const char *name);
struct cv *lw_tags(struct lowerer *lw, const char *name);
const char *lw_cidr(struct lowerer *lw, struct cidr c);
void lw_output(struct lowerer *lw, const char *id, const char *desc,
	       struct cv *value);

/* What each model object became (cfn_map), and its `Arn` attribute. */
void lw_map_part(struct lowerer *lw, const void *obj, const char *part, const char *id);
void lw_map_id(struct lowerer *lw, const void *obj, const char *id);
const char *lw_id_of(struct lowerer *lw, const void *obj);
struct cv *lw_arn_of(struct lowerer *lw, const void *obj);
void lw_add_net(struct lowerer *lw, struct netl *nl);
struct netl *lw_net(const struct lowerer *lw, const struct m_network *net);
const char *lw_subnet_id(const struct lowerer *lw, const struct m_subnet *sn);
const char *lw_sg_id(const struct lowerer *lw, const struct m_sg *sg);

/* Security-group rules. */
struct cv *lw_rule(struct lowerer *lw, const char *proto, int from, int to,
		   const char *peer_key, struct cv *peer, const char *desc);
struct cv *lw_no_egress(struct lowerer *lw);
struct cv *lw_prefix_list(struct lowerer *lw, const struct ep_service *svc);
/* A model group (declared or generated) and its rules that name groups. */
void lw_security_group(struct lowerer *lw, const struct m_sg *sg, const char *id, const char *vpc,
		       struct cv *description, const char *tag_name);
void lw_sg_peer_rules(struct lowerer *lw, const struct m_sg *sg, const char *stem);

/* IAM policy documents: arrays of strings, statements, conditions. */
struct cv *lw_strs(struct lowerer *lw, const char *const *items, size_t n);
struct cv *lw_one(struct lowerer *lw, struct cv *v);
struct cv *lw_policy_doc(struct lowerer *lw, struct cv *statements);
struct cv *lw_statement(struct lowerer *lw, const char *sid, const char *effect,
			struct cv *actions, struct cv *resources);
struct cv *lw_when(struct lowerer *lw, struct cv *st, const char *op, const char *key,
		   struct cv *value);

/* A value known now or at deploy time (a parameter's Ref). */
struct cv *lw_value(struct lowerer *lw, const struct m_value *v);

/*
 * Suppress a scanner finding on `r` by a row of the fixed table
 * (suppress.h): its rules where each tool reads them, with its reason;
 * a row for a default the source turned off names the line of `at`.
 */
void lw_suppress(struct lowerer *lw, struct cfn_resource *r, enum sup_id id, struct span at);
/*
 * AwsSolutions-IAM5 for the wildcard resources of the policy document
 * `doc` held by `r`: each covered by a table row is suppressed with that
 * row's reason (one rule id per resource, as cdk-nag names it); any other
 * is left for the scanner to report.
 */
void lw_suppress_wildcards(struct lowerer *lw, struct cfn_resource *r, const struct cv *doc,
			   struct span at);

/*
 * A lifecycle script's content as `{"Fn::Base64": text}`, so the template (and
 * a diff of it) shows the script as text; also written beside the template.
 */
struct cv *lw_script(struct lowerer *lw, const struct m_script *s);

#endif
