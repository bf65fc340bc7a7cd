/*
 * input.c - reading inputs whole, and walking directories for check/fmt.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How messages name an input: `path` in backquotes, or standard input. */
static const char *quoted(const char *path, char *buf, size_t size)
{
	if (strcmp(path, "-") == 0)
		return "standard input";
	snprintf(buf, size, "`%s`", path);
	return buf;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISDIR(mode))
		return "a directory";
	return "not a regular file";
}

static void too_large(const char *path, intmax_t size)
{
	char buf[PATH_MAX + 3];
	if (size > 0)
		fprintf(stderr, "sgc: %s is %jd bytes; sgc reads at most %d MiB (%d bytes)\n",
			quoted(path, buf, sizeof buf), size, INPUT_MAX >> 20, INPUT_MAX);
	else
		fprintf(stderr, "sgc: %s is larger than %d MiB (%d bytes), the most sgc reads\n",
			quoted(path, buf, sizeof buf), INPUT_MAX >> 20, INPUT_MAX);
}

bool input_read_fd(int fd, const char *path, size_t expected, struct input *in)
{
	size_t cap = expected + 1;
	if (cap < 4096)
		cap = 4096;
	if (cap > (size_t)INPUT_MAX + 1)
		cap = (size_t)INPUT_MAX + 1;
	size_t n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			size_t next = cap * 2 > (size_t)INPUT_MAX + 1 ? (size_t)INPUT_MAX + 1 : cap * 2;
			char *more = realloc(buf, next + 1);
			if (!more)
				break;
			buf = more;
			cap = next;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			char name[PATH_MAX + 3];
			fprintf(stderr, "sgc: cannot read %s: %s\n", quoted(path, name, sizeof name),
				strerror(errno));
			free(buf);
			return false;
		}
		if (got == 0) {
			buf[n] = '\0';
			in->text = buf;
			in->len = n;
			return true;
		}
		n += (size_t)got;
		if (n > (size_t)INPUT_MAX) {
			/* It grew past its fstat size, or it is a pipe: the size is unknown. */
			too_large(path, expected > (size_t)INPUT_MAX ? (intmax_t)expected : 0);
			free(buf);
			return false;
		}
	}
	free(buf);
	char name[PATH_MAX + 3];
	fprintf(stderr, "sgc: out of memory reading %s\n", quoted(path, name, sizeof name));
	return false;
}

static bool read_stdin(struct input *in)
{
	struct stat st;
	size_t expected = 0;
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
		in->id = (struct file_id){ st.st_dev, st.st_ino, true };
		off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
		intmax_t left = (intmax_t)st.st_size - (at > 0 ? (intmax_t)at : 0);
		if (left > INPUT_MAX) {
			too_large("-", left);
			return false;
		}
		expected = left > 0 ? (size_t)left : 0;
	}
	return input_read_fd(STDIN_FILENO, "-", expected, in);
}

/*
 * A named input: stat first, so a FIFO is refused without being opened (the
 * open itself would wait for a writer); O_NONBLOCK in case it was swapped
 * for one since, and fstat again on what was opened.
 */
bool input_read(const char *path, struct input *in)
{
	*in = (struct input){ 0 };
	if (strcmp(path, "-") == 0)
		return read_stdin(in);
	struct stat st;
	int fd = -1;
	bool ok = stat(path, &st) == 0;
	if (ok && S_ISREG(st.st_mode)) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		ok = fd >= 0 && fstat(fd, &st) == 0;
	}
	if (!ok) {
		fprintf(stderr, "sgc: cannot read `%s`: %s\n", path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "sgc: `%s` is a directory, not a file\n", path);
		ok = false;
	} else if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "sgc: `%s` is %s; sgc reads regular files "
			"(or standard input, as `-`)\n", path, file_kind(st.st_mode));
		ok = false;
	} else if (st.st_size > INPUT_MAX) {
		too_large(path, (intmax_t)st.st_size);
		ok = false;
	} else {
		in->id = (struct file_id){ st.st_dev, st.st_ino, true };
		ok = input_read_fd(fd, path, (size_t)st.st_size, in);
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

void input_free(struct input *in)
{
	free(in->text);
	in->text = NULL;
}

struct file_id file_id_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return (struct file_id){ 0 };
	return (struct file_id){ st.st_dev, st.st_ino, true };
}

bool file_id_same(struct file_id a, struct file_id b)
{
	return a.known && b.known && a.dev == b.dev && a.ino == b.ino;
}

/* ---- the files below a directory ------------------------------------- */

struct entry {
	char *path;
	struct file_id id;
	size_t order;
	bool dropped;
};

struct entries {
	struct entry *items;
	size_t n, cap;
};

static bool add_entry(struct entries *es, const char *path, struct file_id id)
{
	if (es->n == es->cap) {
		size_t cap = es->cap ? es->cap * 2 : 16;
		struct entry *more = realloc(es->items, cap * sizeof *more);
		if (!more) {
			fprintf(stderr, "sgc: out of memory\n");
			return false;
		}
		es->items = more;
		es->cap = cap;
	}
	char *copy = strdup(path);
	if (!copy) {
		fprintf(stderr, "sgc: out of memory\n");
		return false;
	}
	es->items[es->n] = (struct entry){ copy, id, es->n, false };
	es->n++;
	return true;
}

static bool is_sgl(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".sgl") == 0;
}

/* Siblings in byte order of their names: the walk's order never depends on readdir. */
static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/*
 * fts rather than nftw: fts takes a sibling order (so the result is sorted
 * as it is found) and hands entries back to the caller, where nftw's
 * callback has no context pointer and would need global state to collect
 * them. FTS_PHYSICAL: a symbolic link is reported as one, never followed;
 * FTS_COMFOLLOW: `dir` itself, named by the user, is.
 */
static bool walk(const char *dir, struct entries *es)
{
	char *roots[] = { (char *)dir, NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_COMFOLLOW | FTS_NOCHDIR, by_name);
	if (!fts) {
		fprintf(stderr, "sgc: cannot read `%s`: %s\n", dir, strerror(errno));
		return false;
	}
	bool ok = true;
	errno = 0;
	for (FTSENT *e; ok && (e = fts_read(fts)) != NULL; errno = 0) {
		bool hidden = e->fts_level > 0 && e->fts_name[0] == '.';
		switch (e->fts_info) {
		case FTS_D:
			if (hidden)
				fts_set(fts, e, FTS_SKIP);
			break;
		case FTS_F:
			if (!hidden && is_sgl(e->fts_name))
				ok = add_entry(es, e->fts_path, (struct file_id){
					e->fts_statp->st_dev, e->fts_statp->st_ino, true });
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			fprintf(stderr, "sgc: cannot read `%s`: %s\n", e->fts_path,
				strerror(e->fts_errno));
			ok = false;
			break;
		default: /* FTS_SL, FTS_SLNONE: links are not followed; FTS_DP, FTS_DC, others */
			break;
		}
	}
	if (ok && errno != 0) {
		fprintf(stderr, "sgc: cannot read `%s`: %s\n", dir, strerror(errno));
		ok = false;
	}
	fts_close(fts);
	return ok;
}

static int by_identity(const void *pa, const void *pb)
{
	const struct entry *a = *(const struct entry *const *)pa, *b = *(const struct entry *const *)pb;
	if (a->id.known != b->id.known)
		return a->id.known ? -1 : 1;
	if (a->id.dev != b->id.dev)
		return a->id.dev < b->id.dev ? -1 : 1;
	if (a->id.ino != b->id.ino)
		return a->id.ino < b->id.ino ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Keep the first of every group of entries that are one file; O(n log n). */
static bool drop_duplicates(struct entries *es)
{
	struct entry **byid = malloc((es->n ? es->n : 1) * sizeof *byid);
	if (!byid)
		return false;
	for (size_t i = 0; i < es->n; i++)
		byid[i] = &es->items[i];
	qsort(byid, es->n, sizeof *byid, by_identity);
	for (size_t i = 1; i < es->n; i++)
		if (file_id_same(byid[i - 1]->id, byid[i]->id))
			byid[i]->dropped = true;
	free(byid);
	return true;
}

bool input_list_collect(const char *const *operands, size_t n, struct input_list *out)
{
	*out = (struct input_list){ 0 };
	struct entries es = { 0 };
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		struct stat st;
		if (strcmp(operands[i], "-") == 0 || stat(operands[i], &st) != 0)
			ok = add_entry(&es, operands[i], (struct file_id){ 0 });
		else if (S_ISDIR(st.st_mode))
			ok = walk(operands[i], &es);
		else
			ok = add_entry(&es, operands[i], (struct file_id){ st.st_dev, st.st_ino, true });
	}
	ok = ok && drop_duplicates(&es);
	out->paths = ok ? malloc((es.n ? es.n : 1) * sizeof *out->paths) : NULL;
	if (ok && !out->paths) {
		fprintf(stderr, "sgc: out of memory\n");
		ok = false;
	}
	for (size_t i = 0; i < es.n; i++) {
		if (ok && !es.items[i].dropped)
			out->paths[out->n++] = es.items[i].path;
		else
			free(es.items[i].path);
	}
	free(es.items);
	return ok;
}

void input_list_free(struct input_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	*l = (struct input_list){ 0 };
}
