/*
 * instances.h - SageMaker ML instance types: where each is valid, and its
 * vCPU and memory, for the checker's instance-fit rules.
 */
#ifndef SGC_INSTANCES_H
#define SGC_INSTANCES_H

#include <stddef.h>

enum {
	INST_NOTEBOOK = 1, /* accepted by CreateNotebookInstance */
	INST_STUDIO = 2,   /* accepted for Studio apps and spaces */
};

struct instance_type {
	const char *name;
	unsigned vcpu;
	unsigned memory_mib; /* 0: unknown */
	unsigned valid;      /* INST_* flags */
};

extern const struct instance_type instance_types[];
extern const size_t instance_type_count;

const struct instance_type *instance_find(const char *name);

/* Names valid for `where` (INST_*) into out[0..cap); returns how many. */
size_t instance_names(unsigned where, const char **out, size_t cap);

/* The smallest type of the same family with at least `mib` memory, or NULL. */
const struct instance_type *instance_bigger(const struct instance_type *t,
					    unsigned mib, unsigned where);

#endif
