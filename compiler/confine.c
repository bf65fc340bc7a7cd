/*
 * confine.c - reading `file("...")` scripts without leaving the root
 * (see confine.h).
 *
 * The walk resolves a path the way the kernel would, one component at a
 * time: `..` goes up a canonical directory, a symbolic link is replaced by
 * its target (at most 40 of them, as Linux allows). Before each look-up
 * the next directory entry must be below the root or one of the root's
 * own ancestors (the way down to it), so sgc never even asks whether a
 * file outside the root exists. The final file must be below the root.
 *
 * The walk and the open are two steps, as with realpath(): a tree changed
 * by someone else while sgc runs could swap a checked directory for a link
 * in between (the last component is opened with O_NOFOLLOW). A CI checkout
 * is not changed during a build; the input is what is hostile, not the
 * machine.
 */
/* realpath() is XSI, beyond the POSIX.1-2008 base the build asks for. */
#define _XOPEN_SOURCE 700

#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

enum { MAX_LINKS = 40 }; /* Linux's MAXSYMLINKS */

/* `p` is `root` or below it (every path is below `/`). */
static bool is_within(const char *p, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(p, root, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* `p` is a proper ancestor of `root`: a directory on the way down to it. */
static bool is_above(const char *p, const char *root)
{
	return strcmp(p, root) != 0 && is_within(root, p);
}

/* A malloc'd canonical form of `dir`, or NULL with errno set. */
static const char *canonical(struct arena *a, const char *dir)
{
	char *real = realpath(dir, NULL);
	if (!real)
		return NULL;
	const char *copy = arena_strdup(a, real);
	free(real);
	return copy;
}

/* `dir/x.sgl` -> `dir`; `x.sgl` -> `.`; `/x.sgl` -> `/`. */
static const char *dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	while (slash > path && slash[-1] == '/')
		slash--;
	return slash == path ? "/" : arena_strndup(a, path, (size_t)(slash - path));
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

const char *confine_relative(struct arena *a, const char *from, const char *to)
{
	/* The longest common directory prefix, ending at a `/` or at the end. */
	size_t common = 0;
	for (size_t i = 0;; i++) {
		bool end_from = from[i] == '\0' || from[i] == '/';
		bool end_to = to[i] == '\0' || to[i] == '/';
		if (end_from && end_to)
			common = i;
		if (from[i] != to[i] || from[i] == '\0')
			break;
	}
	if (strcmp(from, "/") == 0)
		common = 0;
	struct strbuf b = { 0 };
	for (const char *p = from + common; *p; p++)
		if (*p == '/' && p[1] != '\0')
			strbuf_puts(a, &b, "../");
	const char *rest = to + common;
	while (*rest == '/')
		rest++;
	strbuf_puts(a, &b, rest);
	return b.s ? b.s : ".";
}

void confine_init(struct confine *cf, struct arena *a, const char *sgl_path,
		  const char *root)
{
	memset(cf, 0, sizeof *cf);
	bool from_stdin = strcmp(sgl_path, "<stdin>") == 0;
	const char *sgl_dir = from_stdin ? "." : dir_of(a, sgl_path);
	cf->root_kind = root ? CONFINE_ROOT_GIVEN
		      : from_stdin ? CONFINE_ROOT_CWD : CONFINE_ROOT_SGL_DIR;
	cf->root_shown = root ? root : sgl_dir;
	cf->source_name = from_stdin ? "<stdin>" : base_name(sgl_path);
	cf->base = canonical(a, sgl_dir);
	if (!cf->base) {
		cf->err = errno;
		return;
	}
	cf->root = root ? canonical(a, root) : cf->base;
	if (!cf->root) {
		cf->err = errno;
		return;
	}
	/* The header names the file the way the root sees it. */
	if (root && !from_stdin) {
		const char *sgl = strcmp(cf->base, "/") == 0
			? arena_printf(a, "/%s", base_name(sgl_path))
			: arena_printf(a, "%s/%s", cf->base, base_name(sgl_path));
		cf->source_name = confine_relative(a, cf->root, sgl);
	}
}

/* ---- the walk ----------------------------------------------------------- */

struct walk {
	const char *root;
	char cur[PATH_MAX];  /* canonical: absolute, no `.`, `..`, links or trailing `/` */
	size_t n;
	bool cur_is_dir;
	char *pending;       /* what is left to resolve (malloc'd) */
	const char *next;    /* read position in `pending` */
	int links;
	struct stat st;      /* of `cur`, once a component was looked up */
	bool have_st;
};

static void go_up(struct walk *w)
{
	while (w->n > 1 && w->cur[w->n - 1] != '/')
		w->n--;
	if (w->n > 1)
		w->n--;
	w->cur[w->n] = '\0';
	w->have_st = false;
}

/* Replace the link just read by its target, in front of what is left. */
static int expand_link(struct walk *w, const char *entry)
{
	if (++w->links > MAX_LINKS)
		return ELOOP;
	char target[PATH_MAX];
	ssize_t k = readlink(entry, target, sizeof target);
	if (k < 0)
		return errno;
	if ((size_t)k == sizeof target)
		return ENAMETOOLONG; /* possibly cut short */
	target[k] = '\0';
	size_t rest = strlen(w->next);
	char *p = malloc((size_t)k + 1 + rest + 1);
	if (!p)
		return ENOMEM;
	memcpy(p, target, (size_t)k);
	p[k] = '/';
	memcpy(p + k + 1, w->next, rest + 1);
	free(w->pending);
	w->pending = p;
	w->next = p;
	if (target[0] == '/') {
		w->n = 1;
		strcpy(w->cur, "/");
		w->cur_is_dir = true;
		w->have_st = false;
	}
	return 0;
}

/* One component: `.`, `..` or a name, looked up only where allowed. */
static enum confine_status step(struct walk *w, const char *name, size_t len, int *err)
{
	if (!w->cur_is_dir) {
		*err = ENOTDIR;
		return CONFINE_ERROR;
	}
	if (len == 1 && name[0] == '.')
		return CONFINE_OK;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		go_up(w);
		w->cur_is_dir = true;
		return CONFINE_OK;
	}
	char entry[PATH_MAX];
	size_t sep = w->n > 1 ? 1 : 0;
	if (w->n + sep + len >= sizeof entry) {
		*err = ENAMETOOLONG;
		return CONFINE_ERROR;
	}
	memcpy(entry, w->cur, w->n);
	if (sep)
		entry[w->n] = '/';
	memcpy(entry + w->n + sep, name, len);
	entry[w->n + sep + len] = '\0';
	if (!is_within(entry, w->root) && !is_above(entry, w->root))
		return CONFINE_OUTSIDE;
	struct stat st;
	if (lstat(entry, &st) != 0) {
		*err = errno;
		return errno == ENOENT ? CONFINE_NOT_FOUND : CONFINE_ERROR;
	}
	if (S_ISLNK(st.st_mode)) {
		*err = expand_link(w, entry);
		return *err ? CONFINE_ERROR : CONFINE_OK;
	}
	w->n += sep + len;
	memcpy(w->cur, entry, w->n + 1);
	w->cur_is_dir = S_ISDIR(st.st_mode);
	w->st = st;
	w->have_st = true;
	return CONFINE_OK;
}

/* Resolve `path` from the base directory; on success w->cur is the file. */
static enum confine_status walk(struct walk *w, const struct confine *cf, const char *path,
				int *err)
{
	w->root = cf->root;
	w->n = strlen(cf->base);
	memcpy(w->cur, cf->base, w->n + 1);
	w->cur_is_dir = true;
	w->pending = strdup(path);
	if (!w->pending) {
		*err = ENOMEM;
		return CONFINE_ERROR;
	}
	w->next = w->pending;
	for (;;) {
		while (*w->next == '/')
			w->next++;
		if (!*w->next)
			break;
		const char *name = w->next;
		size_t len = strcspn(name, "/");
		w->next += len;
		enum confine_status s = step(w, name, len, err);
		if (s != CONFINE_OK)
			return s;
	}
	if (!is_within(w->cur, cf->root))
		return CONFINE_OUTSIDE; /* `..` ending above the root */
	if (!w->have_st && lstat(w->cur, &w->st) != 0) {
		*err = errno;
		return CONFINE_ERROR;
	}
	return CONFINE_OK;
}

/* ---- reading -------------------------------------------------------------- */

static const char *kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory"
	     : S_ISFIFO(m) ? "a FIFO"
	     : S_ISCHR(m) ? "a character device"
	     : S_ISBLK(m) ? "a block device"
	     : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* Read at most max + 1 bytes, so a file over the limit is seen as such. */
static void read_fd(int fd, struct arena *a, const struct stat *st, size_t max,
		    struct confine_file *out)
{
	char *buf = arena_alloc(a, max + 2);
	size_t got = 0;
	while (got <= max) {
		ssize_t k = read(fd, buf + got, max + 1 - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			out->status = CONFINE_ERROR;
			out->err = errno;
			return;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	if (got > max) {
		out->status = CONFINE_TOO_LARGE;
		/* A file that grew while read, or one (in /proc) that reports no size. */
		out->size_is_lower_bound = (uint64_t)st->st_size < got;
		out->size = out->size_is_lower_bound ? got : (uint64_t)st->st_size;
		return;
	}
	buf[got] = '\0';
	out->status = CONFINE_OK;
	out->text = buf;
	out->len = got;
}

/* Open the resolved file; a FIFO or a device is refused before opening. */
static void read_regular(const char *file, const struct stat *seen, struct arena *a,
			 size_t max, struct confine_file *out)
{
	if (!S_ISREG(seen->st_mode)) {
		out->status = CONFINE_NOT_REGULAR;
		out->kind = kind_of(seen->st_mode);
		return;
	}
	int fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		out->status = errno == ENOENT ? CONFINE_NOT_FOUND : CONFINE_ERROR;
		out->err = errno;
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		out->status = CONFINE_ERROR;
		out->err = errno;
	} else if (!S_ISREG(st.st_mode)) {
		/* Replaced between the walk and the open. */
		out->status = CONFINE_NOT_REGULAR;
		out->kind = kind_of(st.st_mode);
	} else if ((uint64_t)st.st_size > max) {
		out->status = CONFINE_TOO_LARGE;
		out->size = (uint64_t)st.st_size;
	} else {
		read_fd(fd, a, &st, max, out);
	}
	close(fd);
}

struct confine_file confine_read(const struct confine *cf, struct arena *a,
				 const char *path, size_t max)
{
	struct confine_file out = { .status = CONFINE_OK };
	if (path[0] == '/') {
		out.status = CONFINE_ABSOLUTE;
		return out;
	}
	if (!cf->root || !cf->base) {
		out.status = CONFINE_NO_ROOT;
		out.err = cf->err;
		return out;
	}
	if (strlen(path) >= PATH_MAX) {
		out.status = CONFINE_ERROR;
		out.err = ENAMETOOLONG;
		return out;
	}
	struct walk *w = malloc(sizeof *w);
	if (!w) {
		out.status = CONFINE_ERROR;
		out.err = ENOMEM;
		return out;
	}
	memset(w, 0, sizeof *w);
	out.status = walk(w, cf, path, &out.err);
	if (out.status == CONFINE_OK)
		read_regular(w->cur, &w->st, a, max, &out);
	free(w->pending);
	free(w);
	return out;
}
