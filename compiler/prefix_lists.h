/*
 * prefix_lists.h - the AWS-managed prefix-list IDs of the gateway services
 * (S3, DynamoDB), per Region.
 *
 * CloudFormation cannot look these up, and AWS never changes a managed
 * list's ID in a Region, so sgc carries them: lowering emits the checked
 * Region's IDs as a Mapping and keeps a parameter only to override them.
 * The table, its sources and their date are in prefix_lists.c and
 * docs/language.md ("Parameters sgc adds").
 */
#ifndef SGC_PREFIX_LISTS_H
#define SGC_PREFIX_LISTS_H

#include <stdbool.h>

#include "regions.h"

/*
 * The ID of com.amazonaws.<region>.<service> ("s3" or "dynamodb"), or NULL
 * when no source sgc cites gives it.
 */
const char *prefix_list_id(const struct region *r, const char *service);

/* A Region of the GovCloud (US) or China partitions. */
bool prefix_list_other_partition(const struct region *r);

#endif
