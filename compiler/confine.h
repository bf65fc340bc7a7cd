/*
 * confine.h - what `file("...")` may read: regular files below one root.
 *
 * sgc runs in CI on files anyone can propose, and the text `file()` reads
 * is embedded in a template that others deploy. So a path is taken
 * relative to the .sgl file's directory, and it must stay below the root
 * (by default that same directory; `--root DIR` widens it, the working
 * directory for standard input). Paths are resolved one component at a
 * time, following symbolic links the way the kernel does, and sgc never
 * looks at anything outside the root except the root's own ancestors: so
 * whether a file outside exists is never revealed either. Only regular
 * files are opened (a FIFO or a device would block or have side effects),
 * and never more than the caller's size limit is read.
 *
 * The same root names the .sgl file in script headers: its path relative
 * to the root, so a template never depends on how its input was spelled
 * (`x.sgl`, `./x.sgl`, `/abs/x.sgl`) and no CI path reaches a deployment.
 */
#ifndef SGC_CONFINE_H
#define SGC_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Which directory is the root, for messages that say how to widen it. */
enum confine_root_kind {
	CONFINE_ROOT_SGL_DIR, /* the .sgl file's directory (the default) */
	CONFINE_ROOT_GIVEN,   /* --root DIR */
	CONFINE_ROOT_CWD,     /* standard input: the working directory */
};

struct confine {
	enum confine_root_kind root_kind;
	const char *root_shown;  /* the root as the user wrote it, for messages */
	const char *root;        /* canonical absolute root; NULL: unresolved */
	const char *base;        /* canonical directory of the .sgl file; NULL: unresolved */
	int err;                 /* why root or base is NULL */
	const char *source_name; /* the .sgl path relative to the root; `<stdin>` */
};

/*
 * `sgl_path` as given on the command line (`<stdin>` for standard input);
 * `root` is --root, or NULL for the default. Never fails: a root that does
 * not resolve is reported when a file() needs it.
 */
void confine_init(struct confine *cf, struct arena *a, const char *sgl_path,
		  const char *root);

enum confine_status {
	CONFINE_OK,
	CONFINE_ABSOLUTE,    /* an absolute path: refused before any look-up */
	CONFINE_OUTSIDE,     /* resolves (or would) outside the root */
	CONFINE_NOT_FOUND,   /* no such file below the root */
	CONFINE_NOT_REGULAR, /* a directory, FIFO, device or socket: `kind` */
	CONFINE_TOO_LARGE,   /* more than the limit: `size` bytes */
	CONFINE_ERROR,       /* any other failure: `err` (EACCES, ENOTDIR, ELOOP...) */
	CONFINE_NO_ROOT,     /* the root or the .sgl directory does not resolve: `err` */
};

struct confine_file {
	enum confine_status status;
	int err;            /* errno, for CONFINE_ERROR and CONFINE_NO_ROOT */
	const char *kind;   /* CONFINE_NOT_REGULAR: `a directory`, `a FIFO`, ... */
	uint64_t size;      /* CONFINE_TOO_LARGE: the file's size in bytes */
	bool size_is_lower_bound; /* the file reported no size; it has at least `size` */
	const char *text;   /* CONFINE_OK: the contents, NUL-terminated, in the arena */
	size_t len;
};

/* Read `path` (relative to the .sgl file's directory), at most `max` bytes. */
struct confine_file confine_read(const struct confine *cf, struct arena *a,
				 const char *path, size_t max);

/*
 * The path from directory `from` to `to`, both canonical and absolute:
 * `envs/x.sgl`, or `../envs/x.sgl` when `to` is not below `from`.
 */
const char *confine_relative(struct arena *a, const char *from, const char *to);

#endif
