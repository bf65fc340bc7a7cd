/*
 * stdmod.c - look-up of embedded standard library modules by name.
 */
#include "stdmod.h"

#include <stdbool.h>
#include <string.h>

const struct stdlib_file *stdlib_find(const char *path)
{
	for (unsigned i = 0; i < stdlib_count; i++)
		if (strcmp(stdlib_files[i].name, path) == 0)
			return &stdlib_files[i];
	return NULL;
}

static bool is_module(const char *path)
{
	size_t n = strlen(path);
	return !strchr(path, '/') && n > 4 && strcmp(path + n - 4, ".sgl") == 0;
}

const struct stdlib_file *stdlib_module(const char *name)
{
	size_t n = strlen(name);
	for (unsigned i = 0; i < stdlib_count; i++) {
		const char *path = stdlib_files[i].name;
		if (is_module(path) && strncmp(path, name, n) == 0 &&
		    strcmp(path + n, ".sgl") == 0)
			return &stdlib_files[i];
	}
	return NULL;
}

unsigned stdlib_module_names(const char **out, unsigned cap)
{
	unsigned n = 0;
	for (unsigned i = 0; i < stdlib_count && n < cap; i++)
		if (is_module(stdlib_files[i].name))
			out[n++] = stdlib_files[i].name;
	return n;
}
