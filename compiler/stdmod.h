/*
 * stdmod.h - the standard library modules, embedded at build time.
 *
 * Every stdlib/NAME.sgl is compiled into the binary by tools/embed.sh, so
 * `import std.endpoints` works from a freshly built sgc with no install.
 */
#ifndef SGC_STDMOD_H
#define SGC_STDMOD_H

#include <stddef.h>

struct stdlib_file {
	const char *name; /* path under stdlib/: "endpoints.sgl" */
	const char *text; /* NUL-terminated */
	size_t len;
};

extern const struct stdlib_file stdlib_files[];
extern const unsigned stdlib_count;

/* A file by its path under stdlib/. */
const struct stdlib_file *stdlib_find(const char *path);

/* The module `std.NAME`: stdlib/NAME.sgl. */
const struct stdlib_file *stdlib_module(const char *name);

/* Names of all modules into out[0..cap); returns how many. */
unsigned stdlib_module_names(const char **out, unsigned cap);

#endif
