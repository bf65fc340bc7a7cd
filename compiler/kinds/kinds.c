/*
 * kinds.c - the registry: one row per resource kind (see kinds.h).
 *
 * The order is the stages' order and the template's: networks first, since
 * every workload lives in one, then their firewalls (which reroute them); keys before what they encrypt; storage
 * before the workloads that use it. A new kind is one file in this folder
 * and one row here.
 */
#include "kinds.h"

#include <string.h>

extern const struct kind network_kind, firewall_kind, kms_key_kind, codeartifact_kind, bucket_kind,
	ecr_repository_kind, secret_kind, notebook_kind, studio_kind;

static const struct kind *const table[] = {
	&network_kind,
	&firewall_kind,
	&kms_key_kind,
	&codeartifact_kind,
	&bucket_kind,
	&ecr_repository_kind,
	&secret_kind,
	&notebook_kind,
	&studio_kind,
};

const struct kind *const *kinds_all(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

const struct kind *kinds_of(const char *block_kind)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (size_t k = 0; k < table[i]->nschemas; k++)
			if (strcmp(table[i]->schemas[k]->kind, block_kind) == 0)
				return table[i];
	return NULL;
}

const struct ptrvec *kind_objects(const struct kind *k, const struct m_env *env)
{
	return (const struct ptrvec *)(const void *)((const char *)env + k->objects);
}
