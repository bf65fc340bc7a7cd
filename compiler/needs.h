/*
 * needs.h - which VPC endpoints a feature needs when its subnet has no
 * route to the internet, each fact with its source. Each resource kind
 * declares the rows of its own features (kinds/kind.h); the reachability
 * proofs read them, and docs/endpoints.md prints them.
 */
#ifndef SGC_NEEDS_H
#define SGC_NEEDS_H

#include <stdbool.h>

enum { NEEDS_MAX = 12, NEEDS_MAX_REQUESTS = 8 };

/*
 * One request a feature sends through an endpoint: what that endpoint's
 * policy must allow (policies.c). The resource is Fn::Sub text in which
 * `{?}` stands for a name sgc does not know (CloudFormation picks it: only
 * `*` covers it), `{domain}` and `{repo}` for a CodeArtifact repository's,
 * and `{ca_account}` for CodeArtifact's own account in the Region.
 */
struct ep_request {
	const char *endpoint;               /* short name: `s3` */
	const char *action;                 /* `s3:GetObject` */
	const char *resource;
	bool by_aws;                        /* a URL presigned by an AWS-owned account:
					       the principal is not the stack's account's */
	bool aws_resource;                  /* the resource belongs to AWS, not to the stack's account */
	bool optional;                      /* the generated policy allows it; a written one may omit it */
};

/* A request of the stack's account's principals on its own resources; one by AWS's presigned URL on AWS's. */
#define EP_REQ(ep, action, resource) { ep, action, resource, false, false, false }
#define EP_REQ_AWS(ep, action, resource, optional) { ep, action, resource, true, true, optional }

struct feature_needs {
	const char *what;                   /* "installing from CodeArtifact" */
	const char *required[NEEDS_MAX];    /* NULL-terminated: missing is an error */
	const char *optional[NEEDS_MAX];    /* may be used: declared is not a waste */
	const char *source;                 /* where the fact comes from */
	struct ep_request requests[NEEDS_MAX_REQUESTS]; /* through the endpoints; endpoint NULL ends */
	const char *requests_source;        /* where the requests come from */
};

#endif
