/*
 * instances.c - look-ups over the instance table (see instances.h).
 */
#include "instances.h"

#include <string.h>

const struct instance_type *instance_find(const char *name)
{
	for (size_t i = 0; i < instance_type_count; i++)
		if (strcmp(instance_types[i].name, name) == 0)
			return &instance_types[i];
	return NULL;
}

size_t instance_names(unsigned where, const char **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < instance_type_count && n < cap; i++)
		if (instance_types[i].valid & where)
			out[n++] = instance_types[i].name;
	return n;
}

/* `ml.t3.medium` -> `ml.t3.`: the family prefix, up to the last dot. */
static size_t family_len(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? (size_t)(dot - name) + 1 : strlen(name);
}

const struct instance_type *instance_bigger(const struct instance_type *t,
					    unsigned mib, unsigned where)
{
	size_t fl = family_len(t->name);
	const struct instance_type *best = NULL;
	for (size_t i = 0; i < instance_type_count; i++) {
		const struct instance_type *c = &instance_types[i];
		if (strncmp(c->name, t->name, fl) != 0 || family_len(c->name) != fl ||
		    !(c->valid & where) || c->memory_mib < mib)
			continue;
		if (!best || c->memory_mib < best->memory_mib)
			best = c;
	}
	return best;
}
