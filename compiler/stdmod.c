/*
 * stdmod.c - look-up of embedded standard library modules by name.
 */
#include "stdmod.h"

#include <string.h>

const struct stdlib_file *stdlib_find(const char *name)
{
	for (unsigned i = 0; i < stdlib_count; i++)
		if (strcmp(stdlib_files[i].name, name) == 0)
			return &stdlib_files[i];
	return NULL;
}
