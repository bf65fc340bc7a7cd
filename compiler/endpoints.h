/*
 * endpoints.h - the VPC endpoint services sgc knows, in one table.
 *
 * Short names (`sagemaker.api`, `s3`) are what users write; each maps to
 * the exact ServiceName AWS expects (note the reversed
 * `aws.sagemaker.<region>.notebook` form of the two SageMaker UI
 * endpoints) and to its endpoint type. The table order is the order
 * endpoints are emitted in, so output does not depend on how a set was
 * written. Sources: shared/reference/endpoints.md and docs/endpoints.md.
 */
#ifndef SGC_ENDPOINTS_H
#define SGC_ENDPOINTS_H

#include <stddef.h>

enum ep_type {
	EP_INTERFACE, /* ENIs in subnets, security group, private DNS */
	EP_GATEWAY,   /* route-table entries; S3 and DynamoDB only */
};

struct ep_service {
	const char *name;         /* `sagemaker.api` */
	const char *service_name; /* for Fn::Sub: `com.amazonaws.${AWS::Region}.sagemaker.api` */
	enum ep_type type;
	const char *logical;      /* `SagemakerApi`, part of the logical ID */
	const char *what;         /* what it serves, for docs and messages */
	/* Where AWS says the service takes a VPC endpoint policy; NULL: no source
	 * read says so, and sgc attaches none (docs/endpoints.md, "Endpoint policies"). */
	const char *policy_source;
};

extern const struct ep_service ep_services[];
extern const size_t ep_count;

const struct ep_service *ep_find(const char *name);
size_t ep_index(const struct ep_service *svc);

/* Every short name into out[0..ep_count), for suggestions. */
void ep_fill_names(const char **out);

#endif
