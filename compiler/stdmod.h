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
	const char *name; /* "endpoints" for stdlib/endpoints.sgl */
	const char *text; /* NUL-terminated */
	size_t len;
};

extern const struct stdlib_file stdlib_files[];
extern const unsigned stdlib_count;

const struct stdlib_file *stdlib_find(const char *name);

#endif
