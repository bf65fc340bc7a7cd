/*
 * input.h - what the command line reads: whole inputs, and the files below
 * a directory.
 *
 * A named input must be a regular file: a FIFO, a device or a socket named
 * as FILE could block forever or never end, so it is refused with a clear
 * message (standard input, `-`, may be anything: a pipe is normal there).
 * Inputs are at most INPUT_MAX bytes.
 */
#ifndef SGC_INPUT_H
#define SGC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum { INPUT_MAX = 64 * 1024 * 1024 };

/* Which file an input is, however its path is spelled: outputs never replace one. */
struct file_id {
	dev_t dev;
	ino_t ino;
	bool known; /* false: stdin that is not a file, or a path that could not be read */
};

struct input {
	char *text;   /* malloc'd, NUL-terminated, `len` bytes */
	size_t len;
	struct file_id id;
};

/*
 * Read `path` (`-`: standard input) whole into `in`. On failure prints
 * `sgc: ...` (missing, a directory, not a regular file, over INPUT_MAX with
 * its size) and returns false.
 */
bool input_read(const char *path, struct input *in);
void input_free(struct input *in);

/*
 * Read the open `fd` to its end into `in`, at most INPUT_MAX bytes (one
 * byte more is an error). `expected` (the size fstat gave, or 0) sizes the
 * buffer in one go; `path` names it in messages.
 */
bool input_read_fd(int fd, const char *path, size_t expected, struct input *in);

/* A path's identity (following symbolic links); .known false if it has none. */
struct file_id file_id_of(const char *path);
bool file_id_same(struct file_id a, struct file_id b);

/*
 * The files `sgc check` and `sgc fmt` work on, from their operands: a FILE
 * as given (a symbolic link named here is followed), every *.sgl below a DIR
 * in sorted order, skipping hidden entries and never following a symbolic
 * link below it (two links to `.` made the old walk loop forever). A file
 * reached twice (a hard link, or named and also below a DIR) is kept once,
 * at its first place. Returns false after printing why.
 */
struct input_list {
	char **paths; /* malloc'd */
	size_t n;
};

bool input_list_collect(const char *const *operands, size_t n, struct input_list *out);
void input_list_free(struct input_list *l);

#endif
