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
	const void *item;       /* the AST block, to bind references */
	struct cidr cidr;
	struct span cidr_span;
	char zone;
	struct span zone_span;
	bool public;
	bool hosts_nat;         /* restricted: the zone's NAT gateway lives here */
	bool firewall;          /* a firewall's own subnet: holds its zone's firewall endpoint */
	struct m_network *net;
};

enum m_peer {
	PEER_NONE,        /* not given, or invalid (already reported) */
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
	struct span span;      /* the `ingress` or `egress` keyword */
	struct span peer_span; /* the peer's value */
	const char *logical;   /* a generated group's rule: its resource's logical-ID suffix, when separate */
};

struct m_sg {
	const char *name;
	struct span span;
	const void *item;    /* the AST block, to bind `group = x` references */
	const char *description;
	struct ptrvec rules; /* struct m_rule * */
	struct m_network *net;
	bool generated;      /* made by sgc (the checker builds it, lowering emits it) */
	const char *logical; /* a generated group's logical ID */
};

/*
 * One statement of a VPC endpoint policy, generated or written in an
 * `endpoint_policy` block: always Allow to any principal (`"AWS": "*"`),
 * narrowed by its conditions (docs/endpoints.md, "Endpoint policies").
 */
struct m_ep_stmt {
	const char *sid;
	struct ptrvec actions;   /* const char *: IAM actions, `*` wildcards allowed */
	struct ptrvec resources; /* const char *: ARNs as Fn::Sub text, or "*" */
	bool principal_account;  /* aws:PrincipalAccount = the stack's account */
	bool resource_account;   /* aws:ResourceAccount = the stack's account */
	bool aws_services;       /* aws:PrincipalIsAWSService = true */
	const char *why;         /* generated: what it is for, with its source */
	/* written: */
	bool *services;          /* [ep_count]: the endpoints it belongs to */
	struct span span;        /* its block's name */
	struct span services_span;
};

/*
 * One VPC endpoint as sgc emits it: the facts the path proof (paths.c)
 * judges and the lowering reads, one source of truth.
 */
struct m_endpoint {
	const struct ep_service *svc;
	bool private_dns;       /* interface: PrivateDnsEnabled */
	struct ptrvec subnets;  /* struct m_subnet *: interface: where its interfaces are;
				   gateway: the subnets whose route table carries its route */
	struct ptrvec sgs;      /* struct m_sg *: interface: its groups */
	struct span at;         /* where it was asked for */
	struct ptrvec policy;   /* struct m_ep_stmt *: its PolicyDocument; empty: none (policies.c) */
	bool written;           /* the policy is the network's `endpoint_policy` blocks */
};

/*
 * Where a route sends what matches it. The VPC's local route is always
 * there and never modelled: sgc emits no route that overrides it.
 */
enum m_hop {
	HOP_IGW,      /* the internet gateway */
	HOP_NAT,      /* the NAT gateway in subnet `via` */
	HOP_FIREWALL, /* the firewall endpoint of zone `zone` */
};

/*
 * One route of a route table, as sgc emits it: what the route proof
 * (paths.c) judges and the lowering reads. `table` is the subnet whose
 * own table holds it; NULL is the network's public route table.
 */
struct m_route {
	const struct m_subnet *table;
	struct cidr dest;
	enum m_hop hop;
	const struct m_subnet *via; /* HOP_NAT */
	char zone;                  /* HOP_FIREWALL */
};

struct m_firewall;

struct m_network {
	const char *name;
	struct span span;
	const void *item;               /* the AST block: blocks nested in it find it */
	struct cidr cidr;
	struct span cidr_span;
	enum isolation isolation;
	bool isolation_unknown;         /* missing or refused: the proofs skip its workloads */
	struct span isolation_span;     /* `isolation = ...` */
	struct ptrvec subnets;          /* struct m_subnet *, declaration order */
	bool *has_endpoint;             /* [ep_count] */
	struct span *endpoint_span;     /* [ep_count]: where each was asked for */
	size_t ninterface, ngateway;
	struct ptrvec endpoint_subnets; /* one subnet per zone, for interface endpoints */
	struct span endpoints_attr;     /* `endpoints = ...`; file UINT32_MAX when absent */
	struct span endpoints_value;    /* its expression, quoted in help lines */
	bool endpoints_unknown;         /* part of it refused: E0601 is not judged */
	struct ptrvec sgs;              /* struct m_sg * */
	bool dns_support, dns_hostnames; /* the VPC's EnableDnsSupport / EnableDnsHostnames */
	struct m_sg *endpoint_sg;       /* generated: HTTPS in to the interface endpoints, or NULL */
	struct m_kms *flow_log_key;     /* encrypts its flow-log group (the environment key) */
	struct ptrvec endpoints;        /* struct m_endpoint *, in ep_services order */
	struct ptrvec routes;           /* struct m_route *: every route but the local one */
	struct m_firewall *firewall;    /* its egress firewall, or NULL */
	struct ptrvec ep_policies;      /* struct m_ep_stmt *: its `endpoint_policy` blocks */
};

/*
 * An egress firewall (AWS Network Firewall) of a restricted network:
 * HTTPS and HTTP leave only to the domains it allows. Its subnets are its
 * own, one /28 per zone carved from `cidr`, never in net->subnets.
 */
struct m_firewall {
	const char *name;
	struct span span;
	struct m_network *net;
	struct cidr cidr;
	struct span cidr_span;
	struct ptrvec domains;  /* const char *: as written, `*.x` for x and its subdomains */
	struct ptrvec subnets;  /* struct m_subnet *, firewall = true, by zone */
	bool dns_firewall;      /* Route 53 Resolver DNS Firewall too */
};

/* A group sgc generates, and its rules: built by the kind that owns it, at check time. */
static inline struct m_sg *m_sg_generated(struct arena *a, struct m_network *net, const char *name,
					  const char *logical, const char *description, struct span at)
{
	struct m_sg *sg = arena_alloc(a, sizeof *sg);
	sg->name = name;
	sg->span = at;
	sg->net = net;
	sg->generated = true;
	sg->logical = logical;
	sg->description = description;
	return sg;
}

static inline struct m_rule *m_sg_rule(struct arena *a, struct m_sg *sg, bool egress, int from, int to,
				       enum m_peer peer, const char *description)
{
	struct m_rule *r = arena_alloc(a, sizeof *r);
	r->egress = egress;
	r->protocol = "tcp";
	r->from_port = from;
	r->to_port = to;
	r->peer = peer;
	r->description = description;
	r->span = sg->span;
	r->peer_span = sg->span;
	if (peer == PEER_SELF)
		r->group = sg;
	ptrvec_push(a, &sg->rules, r);
	return r;
}

/* Whether a rule of `sgs` lets TCP 443 out to 0.0.0.0/0: the only way to AWS through a NAT gateway. */
static inline bool m_sgs_https_anywhere(const struct ptrvec *sgs)
{
	for (size_t i = 0; sgs && i < sgs->n; i++) {
		const struct m_sg *g = sgs->items[i];
		for (size_t k = 0; k < g->rules.n; k++) {
			const struct m_rule *r = g->rules.items[k];
			bool port = r->protocol[0] == '-' ||
				    (r->protocol[0] == 't' && r->from_port <= 443 && r->to_port >= 443);
			if (r->egress && port && r->peer == PEER_CIDR && r->cidr.prefix == 0)
				return true;
		}
	}
	return false;
}

struct m_tag {
	const char *key, *value;
};

/* A deploy-time parameter (`param name: type = default`). */
struct m_param {
	const char *name;
	struct span span;
	const void *item;    /* the AST declaration, to bind `param.x` */
	const char *type;    /* string, int, bool, instance, size */
	struct span dflt_span;
	const char *dflt;    /* rendered default, NULL without one */
	bool at_deploy;      /* `= deploy`: the deploy supplies it, no default */
	const char *value;   /* this stage's value (--vars, -D), NULL without one */
	struct span value_span;
	bool used;           /* only used parameters reach the template */
};

/* A value known either now or at deploy time: `ml.t3.medium` or `param.x`. */
struct m_value {
	const char *literal;
	struct m_param *param;
	struct span span;
};

struct m_kms {
	const char *name;
	struct span span;
	const char *description;
	bool rotation;
	int window_days;
	bool generated;         /* the environment key sgc creates (check.c) */
	bool logs;              /* encrypts log groups: CloudWatch Logs may use it */
};

struct m_domain;

struct m_repo {
	const char *name;       /* sgl name */
	struct span span;
	const char *repo_name;  /* AWS name */
	const char *external;   /* `public:pypi`, or NULL */
	const char *format;     /* pip tool format: pypi, npm, maven, nuget */
	struct ptrvec upstreams; /* struct m_repo *, lookup order */
	const char *description;
	struct m_domain *domain;
};

struct m_domain {
	const char *name;
	struct span span;
	const char *domain_name;
	struct m_kms *kms;
	struct ptrvec repos;    /* struct m_repo *, upstreams before their users */
};

struct m_bucket {
	const char *name;
	struct span span;
	bool versioning, retain;
	struct span versioning_span;
	struct m_kms *kms;
};

struct m_ecr {
	const char *name;
	struct span span;
	int keep_images;
	const char *tag_prefix;
	int expire_days;
	bool scan_on_push, immutable, retain;
	struct ptrvec mutable_tags; /* const char *: tag filters exempt from immutability */
	struct span tags_span;      /* `immutable_tags = false` or `mutable_tags`, when written */
	struct m_kms *kms;
};

struct m_secret {
	const char *name;
	struct span span;
	const char *description;
	struct m_kms *kms;
	bool generate;
};

enum m_host {
	HOST_NOTEBOOK,    /* notebook instance: root, cron, 5-minute limit */
	HOST_CODE_EDITOR, /* Studio Code Editor app */
	HOST_JUPYTERLAB,  /* Studio JupyterLab app */
};

/* One lifecycle script, composed and rendered by the checker. */
struct m_script {
	const char *file_name;   /* `analyst-on-start.sh`, under lifecycle/ */
	const char *config_name; /* Studio apps: the StudioLifecycleConfigName */
	const char *hook;        /* `on start` */
	enum m_host host;
	const char *text;
	size_t len;
	struct ptrvec repos;     /* struct m_repo * it installs from */
	struct ptrvec uses;      /* struct m_use *: each step that needs AWS */
	bool stops_notebook;     /* calls StopNotebookInstance */
	struct span span;
};

struct m_allow {
	struct ptrvec actions, resources; /* const char * */
	struct span span;
	struct span resources_span;
};

struct feature_needs;

/* One use of a resource or feature, where the file asks for it. */
struct m_use {
	const char *what;    /* `pip_from`, `uses`, ... for messages */
	const void *obj;     /* the model object used, or NULL */
	const char *kind;    /* block kind of obj: `repository`, `bucket`, ... */
	struct span span;
	const struct feature_needs *needs; /* a step's own endpoints (idle_stop);
					      NULL: those of using obj's kind */
};

/* What an execution role is granted, derived from what the file declares. */
struct m_grants {
	struct ptrvec uses;         /* struct m_use *, every use in source order */
	struct ptrvec buckets, ecrs, secrets, repos, kms; /* model objects */
	bool stop_notebook;
	struct ptrvec allows;       /* struct m_allow * */
	struct ptrvec managed;      /* const char * policy names */
};

struct m_notebook {
	const char *name;
	struct span span;
	struct m_value instance;
	int volume_gb;
	struct m_subnet *subnet;
	struct ptrvec sgs;          /* struct m_sg *; empty: sgc makes one */
	bool root_access, direct_internet;
	struct m_kms *kms;
	const char *platform;
	struct m_script *on_create, *on_start;
	const char *config_name;    /* its lifecycle configuration, when it has a script */
	struct m_grants grants;
	struct span root_span, direct_span; /* the settings, when written */
	struct ptrvec sg_spans;             /* struct span *, parallel to sgs */
	struct ptrvec runs;                 /* struct m_run * (runs.h): what its code launches */
	struct m_sg *own_sg;                /* generated when it has a subnet and no security_groups */
	struct span sgs_span;               /* `security_groups`' value; file UINT32_MAX without */
};

enum m_app {
	APP_CODE_EDITOR,
	APP_JUPYTERLAB,
};

struct m_app_settings {
	bool present;
	struct m_script *on_start;
	struct m_value instance;
};

struct m_user {
	const char *name;
	struct span span;
	const char *profile_name;
	struct ptrvec sgs;          /* struct m_sg *: UserSettings.SecurityGroups; empty: the domain's */
	struct span sgs_span;       /* `security_groups`' value; file UINT32_MAX without */
};

struct m_space {
	const char *name;
	struct span span;
	const char *space_name;
	enum m_app app;
	struct m_user *owner;       /* NULL: shared */
	struct m_value instance;
	int ebs_gb;                 /* 0: the domain default */
	bool remote_access;
	struct span remote_span;
	const char *image;          /* image or image-version ARN, or NULL */
	bool image_version;         /* image is an image-version ARN */
};

struct m_studio {
	const char *name;
	struct span span;
	const char *domain_name;    /* `<env>[-<stage>]-<studio>`, `_` as `-` */
	bool sso, vpc_only, docker, efs_automount;
	bool auth_unknown, access_unknown; /* refused (E0210): no rule reads their default */
	struct m_network *net;
	struct ptrvec subnets;      /* struct m_subnet * */
	int ebs_default_gb, ebs_max_gb;
	int idle_minutes;           /* 0: no idle shutdown */
	struct m_kms *kms;
	struct m_app_settings apps[2]; /* indexed by enum m_app */
	struct ptrvec users, spaces;
	struct m_grants grants;
	struct span subnets_span, access_span;
	struct ptrvec runs;                 /* struct m_run * (runs.h): what its apps launch */
	struct ptrvec sgs;          /* struct m_sg *: the domain's default user and space groups */
	struct span sgs_span;       /* `security_groups`' value; file UINT32_MAX without */
	struct m_sg *own_sg;        /* generated when in a VPC without `security_groups` */
};

struct m_env {
	const char *name;
	const char *stage;      /* --stage (or the --vars file's name); NULL: none */
	const char *stem;       /* what names made unique per account and Region start
				   with: `<env>`, or `<env>-<stage>` so that two stages
				   of one environment deploy side by side */
	const char *stack_name; /* the stem as a stack name (`_` as `-`): the stack the
				   remote-access connect script and `sgc deploy` use */
	struct span span;
	const struct region *region;
	const char *description;
	struct m_tag *tags;
	size_t ntags;
	struct ptrvec networks; /* struct m_network * */
	struct ptrvec params;   /* struct m_param * */
	struct ptrvec kms_keys, domains, buckets, ecrs, secrets, notebooks,
		studios;        /* declaration order, each of its model type */
	struct ptrvec firewalls; /* struct m_firewall *, in their networks' order */
	const char *source;     /* the .sgl path relative to the file() root, or
				   `<stdin>`: script headers name it (confine.h) */
};

#endif
