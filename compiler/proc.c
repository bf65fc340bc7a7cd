/*
 * proc.c - running another program without a shell (see proc.h).
 */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input.h"

bool proc_on_path(const char *name)
{
	const char *path = getenv("PATH");
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		char buf[4096];
		if (n > 0 && n + strlen(name) + 2 <= sizeof buf) {
			snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, name);
			struct stat st;
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
				return true;
		}
		p += n + (p[n] == ':');
	}
	return false;
}

/*
 * Standard input through an unlinked temporary file rather than a pipe: the
 * child may write all its output before reading, and we read that output
 * while it runs, so a pipe each way could deadlock.
 */
static FILE *input_file(const struct proc_io *io, const char *what)
{
	FILE *f = tmpfile();
	if (!f || fwrite(io->in, 1, io->in_len, f) != io->in_len || fflush(f) != 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "sgc: cannot write the input of %s: %s\n", what, strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	return f;
}

static void child(char *const argv[], const struct proc_io *io, FILE *in, int out_fd)
{
	if (in && dup2(fileno(in), STDIN_FILENO) < 0)
		_exit(127);
	if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	/* putenv keeps the pointer and never writes through it; the strings outlive the exec. */
	for (const char *const *e = io->env; e && *e; e++)
		putenv((char *)*e);
	execvp(argv[0], argv);
	fprintf(stderr, "sgc: cannot run `%s`: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * Everything the child writes, into io->out; past INPUT_MAX (or out of
 * memory) the rest is still read, so the child never blocks on a full pipe.
 */
static bool collect(int fd, struct proc_io *io)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);
	bool ok = buf != NULL;
	for (;;) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = ok && n == 0;
			break;
		}
		if (io->tee) {
			fwrite(chunk, 1, (size_t)n, stdout);
			fflush(stdout);
		}
		if (!ok || len + (size_t)n > INPUT_MAX) {
			ok = false;
			continue;
		}
		if (len + (size_t)n > cap) {
			while (len + (size_t)n > cap)
				cap *= 2;
			char *b = realloc(buf, cap + 1);
			if (!b) {
				ok = false;
				continue;
			}
			buf = b;
		}
		memcpy(buf + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	if (!ok) {
		free(buf);
		return false;
	}
	buf[len] = '\0';
	io->out = buf;
	io->out_len = len;
	return true;
}

int proc_run(char *const argv[], struct proc_io *io)
{
	io->out = NULL;
	io->out_len = 0;
	FILE *in = NULL;
	if (io->in && !(in = input_file(io, argv[0])))
		return -1;
	int fds[2] = { -1, -1 };
	if (io->capture && pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "sgc: cannot run %s: %s\n", argv[0], strerror(errno));
		if (in)
			fclose(in);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0)
		child(argv, io, in, fds[1]);
	if (in)
		fclose(in);
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid < 0) {
		fprintf(stderr, "sgc: cannot run %s: %s\n", argv[0], strerror(errno));
		if (fds[0] >= 0)
			close(fds[0]);
		return -1;
	}
	bool kept = true;
	if (io->capture) {
		kept = collect(fds[0], io);
		close(fds[0]);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "sgc: waiting for %s: %s\n", argv[0], strerror(errno));
			free(io->out);
			io->out = NULL;
			return -1;
		}
	if (!kept) {
		fprintf(stderr, "sgc: cannot keep the output of %s (out of memory or over %d bytes)\n",
			argv[0], INPUT_MAX);
		return -1;
	}
	int rc = WIFEXITED(status) ? WEXITSTATUS(status)
				   : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (rc != 0) {
		free(io->out);
		io->out = NULL;
	}
	return rc;
}
