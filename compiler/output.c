/*
 * output.c - resolving -o, writing in place, and the transactional output
 * set (output.h says what is guaranteed and how).
 */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	MAX_LINKS = 40,      /* symbolic links followed to find OUT's file, as the kernel does */
	MAX_DEPTH = 16,      /* components of a manifest entry; sgc writes two */
};

static char *concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);
	if (!s) {
		fprintf(stderr, "sgc: out of memory\n");
		return NULL;
	}
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

/* ---- signals ----------------------------------------------------------- */

/*
 * The only global state of sgc: the signal that arrived while temporaries
 * existed. The handler sets it and nothing else (async-signal-safe); every
 * step of writing checks it, and a lock wait returns EINTR because the
 * handler is installed without SA_RESTART.
 */
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
	caught_signal = sig;
}

static const int guarded_signals[] = { SIGINT, SIGTERM, SIGHUP };
enum { NGUARDED = sizeof guarded_signals / sizeof guarded_signals[0] };

struct signal_guard {
	struct sigaction old[NGUARDED];
	bool installed[NGUARDED];
};

/* From here until guard_end, SIGINT/SIGTERM/SIGHUP only set the flag (an ignored one stays ignored). */
static void guard_begin(struct signal_guard *g)
{
	caught_signal = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NGUARDED; i++) {
		g->installed[i] = false;
		if (sigaction(guarded_signals[i], NULL, &g->old[i]) != 0 ||
		    g->old[i].sa_handler == SIG_IGN)
			continue;
		g->installed[i] = sigaction(guarded_signals[i], &sa, NULL) == 0;
	}
}

static bool interrupted(void)
{
	return caught_signal != 0;
}

/*
 * Put the old dispositions back; a signal that came meanwhile is delivered
 * now that no temporary is left (`done`: the new outputs are all in place).
 */
static void guard_end(struct signal_guard *g, bool done)
{
	int sig = caught_signal;
	for (int i = 0; i < NGUARDED; i++)
		if (g->installed[i])
			sigaction(guarded_signals[i], &g->old[i], NULL);
	caught_signal = 0;
	if (sig) {
		fprintf(stderr, "sgc: interrupted%s\n", done ? "" : "; the previous outputs are unchanged");
		raise(sig);
	}
}

/* ---- resolving OUT ------------------------------------------------------- */

/* Where the symbolic link `link` leads, as a path (a relative target is relative to the link's directory). */
static char *follow_link(const char *link)
{
	char target[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n < 0)
		return NULL;
	target[n] = '\0';
	const char *slash = strrchr(link, '/');
	if (target[0] == '/' || !slash)
		return concat("", target);
	char *s = malloc((size_t)(slash - link) + 1 + (size_t)n + 1);
	if (s)
		sprintf(s, "%.*s/%s", (int)(slash - link), link, target);
	return s;
}

/*
 * Follow `out` through symbolic links to the path of the file they name
 * (which need not exist yet). A link under /proc (/dev/stdout leads to
 * /proc/self/fd/1) names an open file, not a path: `*via_proc` is set and
 * the file is written in place.
 */
static char *final_path(const char *out, bool *via_proc)
{
	char *cur = concat("", out);
	for (int hops = 0; cur; hops++) {
		struct stat st;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		if (strncmp(cur, "/proc/", 6) == 0) {
			*via_proc = true;
			return cur;
		}
		if (hops == MAX_LINKS) {
			errno = ELOOP;
			free(cur);
			return NULL;
		}
		char *next = follow_link(cur);
		free(cur);
		cur = next;
	}
	return NULL;
}

static bool set_path(struct out_target *t, char *path)
{
	t->path = path;
	const char *slash = strrchr(path, '/');
	t->base = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	t->prefix = malloc(dirlen + 1);
	if (!t->prefix)
		return false;
	memcpy(t->prefix, path, dirlen);
	t->prefix[dirlen] = '\0';
	return true;
}

bool out_target_resolve(const char *out, struct out_target *t)
{
	*t = (struct out_target){ 0 };
	struct stat st;
	bool exists = stat(out, &st) == 0;
	if (!exists && errno != ENOENT) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", out, strerror(errno));
		return false;
	}
	if (exists && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "sgc: `%s` is a directory; -o names the template's file\n", out);
		return false;
	}
	if (exists)
		t->id = (struct file_id){ st.st_dev, st.st_ino, true };
	bool via_proc = false;
	char *path = exists && !S_ISREG(st.st_mode) ? concat("", out) : final_path(out, &via_proc);
	if (!path) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", out, strerror(errno));
		return false;
	}
	t->in_place = (exists && !S_ISREG(st.st_mode)) || via_proc;
	if (!set_path(t, path)) {
		out_target_free(t);
		return false;
	}
	if (t->in_place)
		return true;
	/* The file the links lead to must be the one `out` opens. */
	struct file_id there = file_id_of(t->path);
	if (exists && !file_id_same(there, t->id)) {
		fprintf(stderr, "sgc: cannot tell which file `%s` is; write to its real path\n", out);
		out_target_free(t);
		return false;
	}
	if (t->base[0] == '\0' || strcmp(t->base, ".") == 0 || strcmp(t->base, "..") == 0) {
		fprintf(stderr, "sgc: `%s` names a directory; -o names the template's file\n", out);
		out_target_free(t);
		return false;
	}
	return true;
}

void out_target_free(struct out_target *t)
{
	free(t->path);
	free(t->prefix);
	*t = (struct out_target){ 0 };
}

static bool is_input(struct file_id id, const struct file_id *inputs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (file_id_same(id, inputs[i]))
			return true;
	return false;
}

bool out_target_not_input(const struct out_target *t, const char *out,
			  const struct file_id *inputs, size_t ninputs)
{
	if (!is_input(t->id, inputs, ninputs))
		return true;
	fprintf(stderr, "sgc: refusing to write `%s`: it is an input of this build; "
		"write the template to another file\n", out);
	return false;
}

/* ---- writing ------------------------------------------------------------- */

static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

bool out_write_in_place(const struct out_target *t, const char *data, size_t len)
{
	int fd = open(t->path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
	bool ok = fd >= 0 && write_all(fd, data, len);
	int err = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok)
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", t->path, strerror(err));
	return ok;
}

/*
 * `dest.tmp.XXXXXX` holding `data` with permissions `mode` (and, for fmt,
 * the owner of `like`); its name in *tmp. mkstemp makes it 0600 first.
 */
static bool write_temp(const char *dest, const char *data, size_t len, mode_t mode,
		       const struct stat *like, char **tmp)
{
	*tmp = concat(dest, ".tmp.XXXXXX");
	if (!*tmp)
		return false;
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", dest, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return false;
	}
	if (like && fchown(fd, like->st_uid, like->st_gid) != 0) {
		/* Not allowed to give it away: it stays ours, like any new file. */
	}
	bool ok = write_all(fd, data, len) && fchmod(fd, mode) == 0;
	int err = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", dest, strerror(err));
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return ok;
}

bool out_replace_file(const char *path, const char *data, size_t len)
{
	struct out_target t;
	if (!out_target_resolve(path, &t))
		return false;
	struct stat st;
	bool ok = false;
	if (t.in_place)
		fprintf(stderr, "sgc: cannot rewrite `%s` in place: it is not a regular file "
			"(`sgc fmt -` formats standard input)\n", path);
	else if (stat(t.path, &st) != 0)
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", path, strerror(errno));
	else {
		struct signal_guard g;
		guard_begin(&g);
		char *tmp = NULL;
		ok = write_temp(t.path, data, len, st.st_mode & 07777, &st, &tmp) && !interrupted();
		if (ok && rename(tmp, t.path) != 0) {
			fprintf(stderr, "sgc: cannot write `%s`: %s\n", t.path, strerror(errno));
			ok = false;
		}
		if (!ok && tmp)
			unlink(tmp);
		free(tmp);
		guard_end(&g, ok);
	}
	out_target_free(&t);
	return ok;
}

bool out_write_file(const struct out_target *t, const char *data, size_t len)
{
	if (t->in_place)
		return out_write_in_place(t, data, len);
	struct signal_guard g;
	guard_begin(&g);
	char *tmp = NULL;
	bool ok = write_temp(t->path, data, len, 0644, NULL, &tmp) && !interrupted();
	if (ok && rename(tmp, t->path) != 0) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", t->path, strerror(errno));
		ok = false;
	}
	if (!ok && tmp)
		unlink(tmp);
	free(tmp);
	guard_end(&g, ok);
	return ok;
}

/* ---- manifests ----------------------------------------------------------- */

bool out_manifest_entry_ok(const char *entry)
{
	const char *rest;
	if (strncmp(entry, "lifecycle/", 10) == 0)
		rest = entry + 10;
	else if (strncmp(entry, "remote/", 7) == 0)
		rest = entry + 7;
	else
		return false;
	int depth = 1;
	for (const char *c = rest;; depth++) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f)
				return false;
		if (depth >= MAX_DEPTH)
			return false;
		if (c[n] == '\0')
			return strlen(entry) < PATH_MAX;
		c += n + 1;
	}
}

struct strlist {
	char **items;
	size_t n, cap;
};

static bool strlist_add(struct strlist *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **more = realloc(l->items, cap * sizeof *more);
		if (!more)
			return false;
		l->items = more;
		l->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, s, len);
	copy[len] = '\0';
	l->items[l->n++] = copy;
	return true;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	*l = (struct strlist){ 0 };
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort's base may not be NULL, even for no elements. */
static void strlist_sort(struct strlist *l)
{
	if (l->n)
		qsort(l->items, l->n, sizeof *l->items, by_string);
}

static bool strlist_has_sorted(const struct strlist *l, const char *s)
{
	return l->n && bsearch(&s, l->items, l->n, sizeof *l->items, by_string) != NULL;
}

/*
 * The entries of the manifest `name` in the directory `dirfd` that may be
 * acted on, added to `out`. A manifest that is missing, not a regular file
 * (a symbolic link is not followed) or unreadable adds nothing: then
 * nothing is removed, which is always safe. False when out of memory.
 */
static bool read_manifest(int dirfd, const char *prefix, const char *name, struct strlist *out)
{
	bool complete = true;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			fprintf(stderr, "sgc: warning: not reading `%s%s`: %s\n", prefix, name,
				strerror(errno));
		return true;
	}
	struct stat st;
	struct input in = { 0 };
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > INPUT_MAX) {
		fprintf(stderr, "sgc: warning: not reading `%s%s`: not a manifest sgc wrote\n", prefix,
			name);
	} else if (input_read_fd(fd, name, (size_t)st.st_size, &in)) {
		size_t line = 0;
		for (const char *p = in.text; p < in.text + in.len; line++) {
			const char *nl = memchr(p, '\n', (size_t)(in.text + in.len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(in.text + in.len - p);
			char entry[PATH_MAX];
			bool fits = n < sizeof entry;
			if (fits) {
				memcpy(entry, p, n);
				entry[n] = '\0';
			}
			if (n == 0 || p[0] == '#') {
				/* blank or a comment */
			} else if (!fits || memchr(p, '\0', n) || !out_manifest_entry_ok(entry)) {
				fprintf(stderr, "sgc: warning: `%s%s` line %zu is not a file sgc "
					"writes below lifecycle/ or remote/; ignored\n", prefix, name,
					line + 1);
			} else if (!strlist_add(out, entry, n)) {
				complete = false;
				break;
			}
			p += n + 1;
		}
		input_free(&in);
	}
	close(fd);
	return complete;
}

/* The entries of every other manifest in the directory: files another output of it still uses. */
static bool read_other_manifests(int dirfd, const char *prefix, const char *mine, struct strlist *out)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool complete = true;
	size_t suffix = strlen(OUT_MANIFEST_SUFFIX);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t n = strlen(e->d_name);
		if (n > suffix && strcmp(e->d_name + n - suffix, OUT_MANIFEST_SUFFIX) == 0 &&
		    strcmp(e->d_name, mine) != 0)
			complete = read_manifest(dirfd, prefix, e->d_name, out) && complete;
	}
	closedir(d);
	return complete;
}

/*
 * Remove the stale `entry` (already validated) below `dirfd`, opening each
 * directory without following a symbolic link, and then the directories it
 * leaves empty, up to lifecycle/ or remote/ itself.
 */
static void remove_stale(int dirfd, const char *prefix, const char *entry)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s", entry);
	char *names[MAX_DEPTH];
	int fds[MAX_DEPTH];
	int depth = 0;
	for (char *save = NULL, *c = strtok_r(path, "/", &save); c; c = strtok_r(NULL, "/", &save))
		names[depth++] = c;
	fds[0] = dirfd;
	int opened = 1;
	for (; opened < depth; opened++) {
		fds[opened] = openat(fds[opened - 1], names[opened - 1],
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fds[opened] < 0)
			break;
	}
	struct stat st;
	if (opened < depth) {
		if (errno != ENOENT)
			fprintf(stderr, "sgc: warning: kept `%s%s`: a directory on its way is a "
				"symbolic link or unreadable\n", prefix, entry);
	} else if (fstatat(fds[depth - 1], names[depth - 1], &st, AT_SYMLINK_NOFOLLOW) != 0) {
		/* already gone */
	} else if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "sgc: warning: kept `%s%s`: not a regular file\n", prefix, entry);
	} else if (unlinkat(fds[depth - 1], names[depth - 1], 0) != 0) {
		fprintf(stderr, "sgc: warning: could not remove `%s%s`: %s\n", prefix, entry,
			strerror(errno));
	} else {
		/* rmdir fails on a directory that still holds anything: those stay. */
		for (int i = depth - 1; i > 0 && i < opened; i--)
			if (unlinkat(fds[i - 1], names[i - 1], AT_REMOVEDIR) != 0)
				break;
	}
	for (int i = 1; i < opened; i++)
		close(fds[i]);
}

/* ---- the output set -------------------------------------------------------- */

/*
 * Create the directories of `path` below its first `skip` bytes (the
 * template's own directory), recording in `made` the ones this call
 * created, so a failed build can remove them again.
 */
static bool make_parent_dirs(char *path, size_t skip, struct strlist *made)
{
	for (char *p = path + skip; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		bool created = mkdir(path, 0755) == 0;
		int err = errno;
		bool ok = (created && strlist_add(made, path, strlen(path))) || (!created && err == EEXIST);
		if (!ok)
			fprintf(stderr, "sgc: cannot create `%s`: %s\n", path,
				created ? "out of memory" : strerror(err));
		*p = '/';
		if (!ok)
			return false;
	}
	return true;
}

/* A failed build: the directories it created go again (rmdir: only if still empty). */
static void remove_made_dirs(const struct strlist *made)
{
	for (size_t i = made->n; i-- > 0;)
		rmdir(made->items[i]);
}


struct staged {
	char *dest;       /* where it goes */
	char *tmp;        /* its temporary until renamed over dest */
	char *backup;     /* the file dest held before, until the end */
	bool moved_aside; /* backup made by rename (no hard links here): dest is absent meanwhile */
	bool renamed;
};

struct txn {
	const struct out_target *t;
	struct staged *files; /* in the order they are renamed: side files, manifest, template */
	size_t n;
	const struct file_id *inputs;
	size_t ninputs;
	int dirfd;            /* the template's directory */
	struct strlist made;  /* directories this build created */
	int lock_fd;
	char *lock_path;
};

/* Keep what `s->dest` holds now under a new name (a hard link), so a rollback can put it back. */
static bool keep_old(struct staged *s)
{
	struct stat st;
	if (lstat(s->dest, &st) != 0) {
		if (errno == ENOENT)
			return true;
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", s->dest, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "sgc: cannot write `%s`: it is a directory\n", s->dest);
		return false;
	}
	for (int tries = 0; tries < 100; tries++) {
		char *name = concat(s->dest, ".sgc-old.XXXXXX");
		int fd = name ? mkstemp(name) : -1;
		if (fd < 0) {
			if (name)
				fprintf(stderr, "sgc: cannot write `%s`: %s\n", s->dest, strerror(errno));
			free(name);
			return false;
		}
		/* A fresh unique name for link(), which never replaces an existing file. */
		close(fd);
		unlink(name);
		if (link(s->dest, name) == 0) {
			s->backup = name;
			return true;
		}
		int err = errno;
		if (err != EEXIST && rename(s->dest, name) == 0) {
			s->backup = name;
			s->moved_aside = true;
			return true;
		}
		free(name);
		if (err != EEXIST) {
			fprintf(stderr, "sgc: cannot write `%s`: %s\n", s->dest, strerror(err));
			return false;
		}
	}
	fprintf(stderr, "sgc: cannot write `%s`: no free temporary name\n", s->dest);
	return false;
}

/* Put every file already renamed back as it was, last first. */
static void rollback(struct txn *x)
{
	for (size_t i = x->n; i-- > 0;) {
		struct staged *s = &x->files[i];
		if (s->backup && (s->renamed || s->moved_aside)) {
			if (rename(s->backup, s->dest) != 0)
				fprintf(stderr, "sgc: could not put back `%s` (it is in `%s`): %s\n",
					s->dest, s->backup, strerror(errno));
			else {
				free(s->backup);
				s->backup = NULL;
			}
		} else {
			if (s->renamed) /* a new file: there was none before */
				unlink(s->dest);
			if (s->backup) { /* a hard link to what dest still holds */
				unlink(s->backup);
				free(s->backup);
				s->backup = NULL;
			}
		}
		s->renamed = false;
	}
}

/* No file of the set may replace an input of the build (`--vars out/stack.params.json`). */
static bool replaces_no_input(const struct txn *x)
{
	for (size_t i = 0; i < x->n; i++) {
		struct stat st;
		const char *dest = x->files[i].dest;
		if (lstat(dest, &st) == 0 && S_ISREG(st.st_mode) &&
		    is_input((struct file_id){ st.st_dev, st.st_ino, true }, x->inputs, x->ninputs)) {
			fprintf(stderr, "sgc: refusing to write `%s`: it is an input of this build\n", dest);
			return false;
		}
	}
	return true;
}

static bool commit_one(struct staged *s)
{
	if (!keep_old(s))
		return false;
	if (rename(s->tmp, s->dest) != 0) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", s->dest, strerror(errno));
		return false;
	}
	free(s->tmp);
	s->tmp = NULL;
	s->renamed = true;
	return true;
}

/* Rename every temporary over its file, the template last; on any failure put all back. */
static bool commit(struct txn *x)
{
	if (!replaces_no_input(x))
		return false;
	for (size_t i = 0; i < x->n; i++) {
		if (interrupted() || !commit_one(&x->files[i])) {
			rollback(x);
			return false;
		}
	}
	return true;
}

/*
 * The directory lock. flock() on `.sgc-lock` beside the template; the
 * holder removes the file when it is done, so a waiter that then gets the
 * lock on the removed file tries again with the new one.
 */
static bool lock_dir(struct txn *x)
{
	x->lock_path = concat(x->t->prefix, OUT_LOCK_NAME);
	if (!x->lock_path)
		return false;
	for (;;) {
		/* O_NONBLOCK: a FIFO planted under the name must not stall the open. */
		int fd = open(x->lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
			      0644);
		if (fd < 0) {
			fprintf(stderr, "sgc: cannot lock `%s`: %s\n", x->lock_path, strerror(errno));
			return false;
		}
		int r;
		while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR && !interrupted())
			continue;
		if (r != 0) {
			if (!interrupted())
				fprintf(stderr, "sgc: cannot lock `%s`: %s\n", x->lock_path, strerror(errno));
			close(fd);
			return false;
		}
		struct stat held, named;
		if (fstat(fd, &held) == 0 && !S_ISREG(held.st_mode)) {
			fprintf(stderr, "sgc: cannot lock `%s`: not a regular file\n", x->lock_path);
			close(fd);
			return false;
		}
		if (lstat(x->lock_path, &named) == 0 && held.st_dev == named.st_dev &&
		    held.st_ino == named.st_ino) {
			x->lock_fd = fd;
			return true;
		}
		close(fd);
	}
}

static void unlock_dir(struct txn *x)
{
	if (x->lock_fd < 0)
		return;
	unlink(x->lock_path);
	close(x->lock_fd);
	x->lock_fd = -1;
}

/* Item paths: a plain name beside the template, or a manifest-valid path below lifecycle/ or remote/. */
static bool item_path_ok(const char *p)
{
	if (strchr(p, '/'))
		return out_manifest_entry_ok(p);
	return p[0] && strcmp(p, ".") != 0 && strcmp(p, "..") != 0;
}

/* No two files of the set in one place (two notebooks whose names map to one script name). */
static bool paths_distinct(const char **names, size_t n)
{
	qsort(names, n, sizeof *names, by_string);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(names[i - 1], names[i]) == 0) {
			fprintf(stderr, "sgc: two files of this build would both be written to `%s`\n",
				names[i]);
			return false;
		}
	}
	return true;
}

static bool check_items(const struct out_target *t, const struct out_item *items, size_t n,
			const char *manifest_name)
{
	const char **names = malloc((n + 2) * sizeof *names);
	if (!names)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		names[i] = items[i].path;
		if (!item_path_ok(items[i].path)) {
			fprintf(stderr, "sgc: refusing to write `%s`: not a file name below "
				"lifecycle/ or remote/\n", items[i].path);
			ok = false;
		}
	}
	names[n] = t->base;
	names[n + 1] = manifest_name;
	ok = ok && paths_distinct(names, n + 2);
	free(names);
	return ok;
}

static const char manifest_header[] =
	"# sgc: the lifecycle/ and remote/ files the last build of this output wrote.\n"
	"# The next build removes those it no longer writes; sgc removes no other file.\n";

/* The manifest: the header, then each lifecycle/ and remote/ path on its own line. */
static char *manifest_text(const struct out_item *items, size_t n, size_t *len)
{
	size_t size = sizeof manifest_header;
	for (size_t i = 0; i < n; i++)
		size += strlen(items[i].path) + 1;
	char *text = malloc(size);
	if (!text)
		return NULL;
	size_t at = (size_t)sprintf(text, "%s", manifest_header);
	for (size_t i = 0; i < n; i++)
		if (strchr(items[i].path, '/'))
			at += (size_t)sprintf(text + at, "%s\n", items[i].path);
	*len = at;
	return text;
}

static bool stage(struct txn *x, size_t i, const char *rel, const char *data, size_t len, bool exec)
{
	struct staged *s = &x->files[i];
	s->dest = concat(x->t->prefix, rel);
	return s->dest && make_parent_dirs(s->dest, strlen(x->t->prefix), &x->made) &&
	       write_temp(s->dest, data, len, exec ? 0755 : 0644, NULL, &s->tmp);
}

/* Every file to its temporary: the template's first, so a missing directory fails before any other. */
static bool stage_all(struct txn *x, const struct out_item *items, size_t n, const char *tmpl,
		      size_t tmpl_len, const char *manifest_name, const char *manifest, size_t mlen)
{
	bool ok = stage(x, n + 1, x->t->base, tmpl, tmpl_len, false);
	for (size_t i = 0; ok && i < n; i++)
		ok = !interrupted() &&
		     stage(x, i, items[i].path, items[i].data, items[i].len, items[i].executable);
	return ok && !interrupted() && stage(x, n, manifest_name, manifest, mlen, false);
}

/*
 * What the previous manifest lists, this build does not write and no other
 * manifest here lists. Out of memory: nothing (never remove a file because
 * a list came out short).
 */
static void stale_entries(struct txn *x, const char *manifest_name, const struct out_item *items,
			  size_t n, struct strlist *stale)
{
	struct strlist old = { 0 }, now = { 0 }, others = { 0 };
	bool ok = true;
	read_manifest(x->dirfd, x->t->prefix, manifest_name, &old);
	for (size_t i = 0; ok && i < n; i++)
		ok = strlist_add(&now, items[i].path, strlen(items[i].path));
	if (ok)
		strlist_sort(&now);
	for (size_t i = 0; ok && i < old.n; i++)
		if (!strlist_has_sorted(&now, old.items[i]))
			ok = strlist_add(stale, old.items[i], strlen(old.items[i]));
	if (ok && stale->n) {
		ok = read_other_manifests(x->dirfd, x->t->prefix, manifest_name, &others);
		strlist_sort(&others);
		size_t kept = 0;
		for (size_t i = 0; i < stale->n; i++) {
			if (!ok || strlist_has_sorted(&others, stale->items[i]))
				free(stale->items[i]);
			else
				stale->items[kept++] = stale->items[i];
		}
		stale->n = kept;
	}
	if (!ok)
		strlist_free(stale);
	strlist_free(&old);
	strlist_free(&now);
	strlist_free(&others);
}

/* Success: the old files kept for a rollback go. */
static void drop_backups(struct txn *x)
{
	for (size_t i = 0; i < x->n; i++) {
		if (x->files[i].backup && unlink(x->files[i].backup) != 0)
			fprintf(stderr, "sgc: warning: could not remove `%s`: %s\n",
				x->files[i].backup, strerror(errno));
	}
}

static void txn_free(struct txn *x)
{
	for (size_t i = 0; i < x->n; i++) {
		struct staged *s = &x->files[i];
		if (s->tmp)
			unlink(s->tmp);
		free(s->tmp);
		free(s->dest);
		free(s->backup);
	}
	free(x->files);
	free(x->lock_path);
	if (x->dirfd >= 0)
		close(x->dirfd);
}

/*
 * `-o out/new/stack.json`: the template's directory and its parents are made
 * when missing (0755, as `mkdir -p`), recorded with the side files' so a
 * failed build removes them again.
 */
static bool make_template_dir(struct txn *x)
{
	if (!x->t->prefix[0])
		return true;
	char *dir = concat("", x->t->prefix);
	if (!dir)
		return false;
	size_t skip = 0;
	while (dir[skip] == '/')
		skip++;
	bool ok = make_parent_dirs(dir, skip, &x->made);
	free(dir);
	return ok;
}

bool out_write_set(const struct out_target *t, const struct out_item *items, size_t nitems,
		   const char *tmpl, size_t tmpl_len, const struct file_id *inputs,
		   size_t ninputs)
{
	char *manifest_name = concat(t->base, OUT_MANIFEST_SUFFIX);
	size_t mlen = 0;
	char *manifest = manifest_text(items, nitems, &mlen);
	struct txn x = { .t = t, .n = nitems + 2, .inputs = inputs, .ninputs = ninputs,
			 .dirfd = -1, .lock_fd = -1 };
	x.files = calloc(x.n, sizeof *x.files);
	bool ok = manifest_name && manifest && x.files &&
		  check_items(t, items, nitems, manifest_name);
	struct signal_guard g;
	guard_begin(&g);
	ok = ok && make_template_dir(&x);
	ok = ok && stage_all(&x, items, nitems, tmpl, tmpl_len, manifest_name, manifest, mlen);
	if (ok) {
		x.dirfd = open(t->prefix[0] ? t->prefix : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (x.dirfd < 0)
			fprintf(stderr, "sgc: cannot open `%s`: %s\n", t->prefix, strerror(errno));
		ok = x.dirfd >= 0;
	}
	ok = ok && !interrupted() && lock_dir(&x);
	struct strlist stale = { 0 };
	if (ok)
		stale_entries(&x, manifest_name, items, nitems, &stale);
	ok = ok && commit(&x);
	if (ok) {
		drop_backups(&x);
		for (size_t i = 0; i < stale.n; i++)
			remove_stale(x.dirfd, t->prefix, stale.items[i]);
	}
	unlock_dir(&x);
	strlist_free(&stale);
	txn_free(&x);
	if (!ok)
		remove_made_dirs(&x.made);
	strlist_free(&x.made);
	free(manifest_name);
	free(manifest);
	guard_end(&g, ok);
	return ok;
}
