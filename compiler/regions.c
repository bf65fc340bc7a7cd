/*
 * regions.c - the Region table (see regions.h).
 */
#include "regions.h"

#include <string.h>

static const struct region regions[] = {
	{ "us-east-1", "abcdef" },     { "us-east-2", "abc" },
	{ "us-west-1", "abc" },        { "us-west-2", "abcd" },
	{ "ca-central-1", "abd" },     { "ca-west-1", "abc" },
	{ "mx-central-1", "abc" },     { "sa-east-1", "abc" },
	{ "eu-west-1", "abc" },        { "eu-west-2", "abc" },
	{ "eu-west-3", "abc" },        { "eu-central-1", "abc" },
	{ "eu-central-2", "abc" },     { "eu-north-1", "abc" },
	{ "eu-south-1", "abc" },       { "eu-south-2", "abc" },
	{ "il-central-1", "abc" },     { "me-south-1", "abc" },
	{ "me-central-1", "abc" },     { "af-south-1", "abc" },
	{ "ap-east-1", "abc" },        { "ap-east-2", "abc" },
	{ "ap-south-1", "abc" },       { "ap-south-2", "abc" },
	{ "ap-southeast-1", "abc" },   { "ap-southeast-2", "abc" },
	{ "ap-southeast-3", "abc" },   { "ap-southeast-4", "abc" },
	{ "ap-southeast-5", "abc" },   { "ap-southeast-7", "abc" },
	{ "ap-northeast-1", "abcd" },  { "ap-northeast-2", "abcd" },
	{ "ap-northeast-3", "abc" },   { "us-gov-west-1", "abc" },
	{ "us-gov-east-1", "abc" },    { "cn-north-1", "abd" },
	{ "cn-northwest-1", "abc" },
};

enum { NREGIONS = sizeof regions / sizeof regions[0] };

const struct region *region_find(const char *name)
{
	for (size_t i = 0; i < NREGIONS; i++)
		if (strcmp(regions[i].name, name) == 0)
			return &regions[i];
	return NULL;
}

bool region_has_zone(const struct region *r, char zone)
{
	return zone != '\0' && strchr(r->zones, zone) != NULL;
}

size_t region_count(void)
{
	return NREGIONS;
}

void region_fill_names(const char **out)
{
	for (size_t i = 0; i < NREGIONS; i++)
		out[i] = regions[i].name;
}
