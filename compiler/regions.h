/*
 * regions.h - AWS Regions and the availability-zone letters each has.
 *
 * Zone letters are mapped per account in the oldest Regions, so the table
 * holds every letter known in the Region and a zone outside it is only a
 * warning (W0307). Source: AWS Regions and Availability Zones pages
 * (docs.aws.amazon.com/global-infrastructure), see docs/diagnostics.md.
 */
#ifndef SGC_REGIONS_H
#define SGC_REGIONS_H

#include <stdbool.h>
#include <stddef.h>

struct region {
	const char *name;  /* "ap-southeast-1" */
	const char *zones; /* zone letters, "abc" */
};

const struct region *region_find(const char *name);
bool region_has_zone(const struct region *r, char zone);

/* Every Region name into out[0..region_count()), for suggestions. */
size_t region_count(void);
void region_fill_names(const char **out);

#endif
