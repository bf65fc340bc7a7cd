/*
 * proc.h - running another program (the AWS CLI, Graphviz's dot) without
 * a shell: an argument vector goes to execvp as is, so nothing in it is
 * ever parsed by a shell, whatever the input put there.
 */
#ifndef SGC_PROC_H
#define SGC_PROC_H

#include <stdbool.h>
#include <stddef.h>

struct proc_io {
	const char *in;     /* fed on standard input; NULL: ours is inherited */
	size_t in_len;
	bool capture;       /* read its standard output into `out` */
	bool tee;           /* and copy it to ours as it comes */
	const char *const *env; /* NAME=VALUE pairs set in the child only; NULL-ended */
	char *out;          /* malloc'd, NUL-terminated, when captured */
	size_t out_len;
};

/*
 * Run argv[0] (looked up on PATH) with argv and wait for it. Returns its
 * exit status (128 + the signal if one ended it), or -1 after saying on
 * standard error why it could not run or its output could not be kept
 * (over INPUT_MAX bytes). On any return other than 0, io->out is NULL.
 */
int proc_run(char *const argv[], struct proc_io *io);

/* Whether `name` is an executable regular file in a directory of PATH. */
bool proc_on_path(const char *name);

#endif
