/*
 * fuzz_common.c - the sandbox, the file guard and the property checks the
 * fuzz targets share (see fuzz_common.h).
 *
 * State: the sandbox's paths, the FUZZ_SKIP list and whether the guard is
 * on are process-wide, set up once. That is the harness's, never the
 * compiler's: a libFuzzer process runs one input at a time, on one thread.
 */
#define _GNU_SOURCE /* O_PATH */
#include "fuzz_common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

static struct {
	bool ready;
	bool guard;          /* a compile or format is running */
	char top[PATH_MAX];  /* the sandbox, resolved */
	char root[PATH_MAX]; /* top/root */
	char source[PATH_MAX];
	char skip[1024];     /* ",a,b," from FUZZ_SKIP */
} sb;

static void compile_specs(void);
static void remove_sandbox(void);

/* ---- properties ------------------------------------------------------------ */

bool fuzz_wants(const char *property)
{
	char key[128];
	snprintf(key, sizeof key, ",%s,", property);
	return strstr(sb.skip, key) == NULL;
}

void fuzz_fail(const char *property, const char *fmt, ...)
{
	if (!fuzz_wants(property))
		return;
	fuzz_guard_off(); /* libFuzzer writes the crash input next */
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "\n==fuzz property `%s` failed: ", property);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n(FUZZ_SKIP=%s turns it off while its fix is pending)\n", property);
	va_end(ap);
	remove_sandbox(); /* abort() skips atexit; nothing reads it any more */
	abort();
}

/* ---- the guard --------------------------------------------------------------- */

/* `path` as the kernel would take it: relative to the working directory or to `dirfd`. */
static bool joined_path(int dirfd, const char *path, char *out, size_t cap)
{
	char base[PATH_MAX] = "";
	if (path[0] != '/') {
		if (dirfd == AT_FDCWD) {
			if (!getcwd(base, sizeof base))
				return false;
		} else {
			char link[64];
			snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
			ssize_t n = readlink(link, base, sizeof base - 1);
			if (n < 0)
				return false;
			base[n] = '\0';
		}
	}
	return (size_t)snprintf(out, cap, "%s/%s", base, path) < cap;
}

/*
 * The file `path` names, symlinks resolved (realpath) when it exists; when
 * it does not, the path made lexically normal (no `.`, `..` or `//`), which
 * is all an open could then create or fail on.
 */
static bool resolve(int dirfd, const char *path, char *out)
{
	char joined[PATH_MAX];
	if (!joined_path(dirfd, path, joined, sizeof joined))
		return false;
	if (realpath(joined, out))
		return true;
	size_t len = 0;
	char *save = NULL;
	for (char *part = strtok_r(joined, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, ".") == 0)
			continue;
		if (strcmp(part, "..") == 0) {
			while (len > 0 && out[--len] != '/')
				;
			continue;
		}
		size_t k = strlen(part);
		if (len + k + 2 > PATH_MAX)
			return false;
		out[len++] = '/';
		memcpy(out + len, part, k);
		len += k;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return true;
}

static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/*
 * May the compiler read `path` now? `nonblocking`: a FIFO opened so cannot
 * hang, and a careful implementation opens that way before fstat.
 */
static bool may_read(int dirfd, const char *path, bool nonblocking)
{
	char real[PATH_MAX];
	if (!resolve(dirfd, path, real))
		return false;
	bool inside = below(real, sb.top);
	if (!below(real, sb.root))
		fuzz_fail("file-confined", "file() read `%s` (`%s`), outside the root `%s`", path,
			  real, sb.root);
	struct stat st;
	if (inside && stat(real, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) &&
	    !nonblocking) {
		fuzz_fail("file-regular", "file() opened `%s`, not a regular file", path);
		return false; /* reading it would hang */
	}
	return inside;
}

static bool reads(const char *mode)
{
	return strchr(mode, 'r') || strchr(mode, '+');
}

FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);

FILE *__wrap_fopen(const char *path, const char *mode)
{
	if (sb.guard && reads(mode) && !may_read(AT_FDCWD, path, false)) {
		errno = EACCES;
		return NULL;
	}
	return __real_fopen(path, mode);
}

/* Opening a directory or an O_PATH handle discloses nothing; reading a file does. */
static bool guarded(int dirfd, const char *path, int flags)
{
	if (!sb.guard || (flags & O_ACCMODE) == O_WRONLY || (flags & (O_PATH | O_DIRECTORY)))
		return false;
	return !may_read(dirfd, path, (flags & O_NONBLOCK) != 0);
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	if (guarded(AT_FDCWD, path, flags)) {
		errno = EACCES;
		return -1;
	}
	return __real_open(path, flags, mode);
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	if (guarded(dirfd, path, flags)) {
		errno = EACCES;
		return -1;
	}
	return __real_openat(dirfd, path, flags, mode);
}

void fuzz_guard_on(void)
{
	sb.guard = true;
}

void fuzz_guard_off(void)
{
	sb.guard = false;
}

/* ---- the sandbox --------------------------------------------------------------- */

static void put_file(const char *rel, const char *text, size_t len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", sb.top, rel);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fuzz: cannot write %s\n", path);
		abort();
	}
}

static void put_dir(const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", sb.top, rel);
	if (mkdir(path, 0755) != 0) {
		fprintf(stderr, "fuzz: cannot create %s\n", path);
		abort();
	}
}

#define PUT(rel, lit) put_file(rel, lit, sizeof lit - 1)

/* Scripts of every shape file() may meet: see the layout in fuzz_common.h. */
static void fill_sandbox(void)
{
	put_dir("root");
	put_dir("root/scripts");
	put_dir("root/dir");
	put_dir("outside");
	PUT("outside/secret.sh", "#!/bin/sh\necho " FUZZ_SECRET "\n");
	PUT("root/setup.sh", "#!/bin/bash\nset -eu\npip install --quiet pandas\n");
	PUT("root/scripts/install.sh", "#!/bin/sh\necho \"$HOME\" '${x}' `id` $(date)\n");
	PUT("root/empty.sh", "");
	PUT("root/crlf.sh", "#!/bin/sh\r\necho hi\r\n# \xe2\x82\xac\r\n");
	PUT("root/binary.sh", "\x7f" "ELF\x02\x01\x01\x00\xff\xfe\n");
	char link[PATH_MAX], fifo[PATH_MAX];
	snprintf(link, sizeof link, "%s/root/escape.sh", sb.top);
	snprintf(fifo, sizeof fifo, "%s/root/fifo", sb.top);
	if (symlink("../outside/secret.sh", link) != 0 || mkfifo(fifo, 0600) != 0) {
		fprintf(stderr, "fuzz: cannot populate the sandbox\n");
		abort();
	}
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_sandbox(void)
{
	if (sb.top[0])
		nftw(sb.top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A crash or a timeout ends the process without atexit: remove the
 * sandboxes (`sgc-fuzz-PID-XXXXXX`, only ever made here) whose process is gone.
 */
static void remove_stale_sandboxes(const char *tmp)
{
	DIR *d = opendir(tmp);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		int pid = 0, end = 0;
		if (sscanf(e->d_name, "sgc-fuzz-%d-%n", &pid, &end) != 1 || end == 0 || pid <= 0)
			continue;
		bool gone = kill(pid, 0) != 0 && errno == ESRCH;
		if (!gone)
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
		nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	if (d)
		closedir(d);
}

void fuzz_init(void)
{
	if (sb.ready)
		return;
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	remove_stale_sandboxes(tmp);
	char templ[PATH_MAX];
	snprintf(templ, sizeof templ, "%s/sgc-fuzz-%d-XXXXXX", tmp, (int)getpid());
	if (!mkdtemp(templ) || !realpath(templ, sb.top)) {
		fprintf(stderr, "fuzz: cannot create a sandbox in %s\n", templ);
		abort();
	}
	atexit(remove_sandbox);
	fill_sandbox();
	snprintf(sb.root, sizeof sb.root, "%s/root", sb.top);
	snprintf(sb.source, sizeof sb.source, "%s/fuzz.sgl", sb.root);
	compile_specs();
	const char *skip = getenv("FUZZ_SKIP");
	snprintf(sb.skip, sizeof sb.skip, ",%s,", skip ? skip : "");
	sb.ready = true;
}

const char *fuzz_root(void)
{
	return sb.root;
}

const char *fuzz_source_path(void)
{
	return sb.source;
}

bool fuzz_compile_text(struct compile *c, const char *path, const char *text, size_t len)
{
	c->root = sb.root;
	fuzz_guard_on();
	bool ok = compile_text(c, path, text, len, COMPILE_LOWER);
	fuzz_guard_off();
	return ok;
}

/* ---- captured output ------------------------------------------------------------- */

FILE *fuzz_buf_open(struct fuzz_buf *b)
{
	b->text = NULL;
	b->len = 0;
	b->f = open_memstream(&b->text, &b->len);
	if (!b->f)
		abort();
	return b->f;
}

void fuzz_buf_close(struct fuzz_buf *b)
{
	if (fclose(b->f) != 0)
		abort();
	b->f = NULL;
}

void fuzz_buf_free(struct fuzz_buf *b)
{
	free(b->text);
	b->text = NULL;
}

json_t *fuzz_expect_json(const char *property, const char *what, const char *text, size_t len)
{
	json_error_t err;
	json_t *j = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &err) : NULL;
	if (!j)
		fuzz_fail(property, "%s is not JSON: %s at byte %d", what, text ? err.text : "NULL",
			  text ? err.position : 0);
	return j;
}

/* ---- text renderings -------------------------------------------------------------- */

/* An SGR sequence `ESC [ digits/semicolons m` at s[0..n): its length, or 0. */
static size_t sgr_length(const char *s, size_t n)
{
	if (n < 3 || s[0] != '\x1b' || s[1] != '[')
		return 0;
	size_t i = 2;
	while (i < n && (s[i] == ';' || (s[i] >= '0' && s[i] <= '9')))
		i++;
	return i < n && s[i] == 'm' ? i + 1 : 0;
}

long fuzz_raw_control(const char *text, size_t len, bool color)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n' || ch == '\t' || (ch >= 0x20 && ch != 0x7f))
			continue;
		size_t k = color ? sgr_length(text + i, len - i) : 0;
		if (k == 0)
			return (long)i;
		i += k - 1;
	}
	return -1;
}

long fuzz_workflow_command(const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (j + 1 < len && text[j] == ':' && text[j + 1] == ':')
			return (long)i;
		const char *nl = memchr(text + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - text) + 1;
	}
	return -1;
}

/* ---- YAML against JSON ------------------------------------------------------------------ */

/*
 * Plain scalars that a YAML reader takes for another type than a string,
 * from the specs themselves (whole-string POSIX EREs): the YAML 1.1 types
 * (yaml.org/type: null, bool, int, float, timestamp, merge, value), the
 * YAML 1.2 core schema (the JSON schema is a subset), and PyYAML's float
 * resolver (`.5`, `1.` with underscores), which cfn-lint uses. The empty
 * string is null everywhere and is checked apart.
 */
static const char *const non_str_specs[] = {
	"^(~|null|Null|NULL)$",
	"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
	"^[-+]?0b[01_]+$",
	"^[-+]?0[0-7_]+$",
	"^[-+]?(0|[1-9][0-9_]*)$",
	"^[-+]?0x[0-9a-fA-F_]+$",
	"^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$",
	"^[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?$",
	"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*$",
	"^[-+]?\\.(inf|Inf|INF)$",
	"^\\.(nan|NaN|NAN)$",
	"^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$",
	("^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
	 "(\\.[0-9]*)?(([ \t]*)Z|[-+][0-9][0-9]?(:[0-9][0-9])?)?$"),
	"^(<<|=)$",
	"^[-+]?[0-9]+$",
	"^0o[0-7]+$",
	"^0x[0-9a-fA-F]+$",
	"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$",
	"^[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+][0-9]+)?$",
	"^\\.[0-9_]+([eE][-+][0-9]+)?$",
};
#define NSPECS (sizeof non_str_specs / sizeof non_str_specs[0])
static regex_t non_str_re[NSPECS];

static void compile_specs(void)
{
	for (size_t i = 0; i < NSPECS; i++)
		if (regcomp(&non_str_re[i], non_str_specs[i], REG_EXTENDED | REG_NOSUB) != 0)
			abort();
}

static bool plain_may_not_be_str(const char *s)
{
	if (!*s)
		return true;
	/* each pattern above starts with one of these: the rest are strings */
	if (!strchr("~nNyYtTfFoO0123456789+-.<=", *s))
		return false;
	for (size_t i = 0; i < NSPECS; i++)
		if (regexec(&non_str_re[i], s, 0, NULL, 0) == 0)
			return true;
	return false;
}

struct ycmp {
	yaml_document_t *doc;
	const char *why;
};

static void compare_node(struct ycmp *c, yaml_node_t *n, json_t *j);

static void compare_scalar(struct ycmp *c, yaml_node_t *n, json_t *j)
{
	const char *v = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (strcmp((const char *)n->tag, YAML_DEFAULT_SCALAR_TAG) != 0) {
		c->why = "a scalar with an explicit tag";
	} else if (json_is_string(j)) {
		if (len != json_string_length(j) || memcmp(v, json_string_value(j), len) != 0)
			c->why = "a different string";
		else if (plain && plain_may_not_be_str(v))
			c->why = "a string written plain that may read as another type";
	} else if (json_is_integer(j)) {
		char want[32];
		snprintf(want, sizeof want, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		if (!plain || strcmp(v, want) != 0)
			c->why = "not the same integer, written plain";
	} else if (json_is_boolean(j)) {
		if (!plain || strcmp(v, json_is_true(j) ? "true" : "false") != 0)
			c->why = "not the same boolean, written plain";
	} else {
		c->why = "a scalar where JSON has a container or null";
	}
}

static void compare_sequence(struct ycmp *c, yaml_node_t *n, json_t *j)
{
	yaml_node_item_t *it = n->data.sequence.items.start;
	size_t count = (size_t)(n->data.sequence.items.top - it);
	if (!json_is_array(j) || count != json_array_size(j)) {
		c->why = "a sequence where JSON has no array of that length";
		return;
	}
	for (size_t i = 0; i < count && !c->why; i++)
		compare_node(c, yaml_document_get_node(c->doc, it[i]), json_array_get(j, i));
}

static void compare_mapping(struct ycmp *c, yaml_node_t *n, json_t *j)
{
	yaml_node_pair_t *pair = n->data.mapping.pairs.start;
	size_t count = (size_t)(n->data.mapping.pairs.top - pair);
	if (!json_is_object(j) || count != json_object_size(j)) {
		c->why = "a mapping where JSON has no object of that size";
		return;
	}
	void *iter = json_object_iter(j);
	for (size_t i = 0; i < count && !c->why; i++, iter = json_object_iter_next(j, iter)) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pair[i].key);
		json_t *jk = json_string(json_object_iter_key(iter));
		if (!k || k->type != YAML_SCALAR_NODE)
			c->why = "a key that is not a scalar";
		else
			compare_scalar(c, k, jk); /* same order, same text */
		json_decref(jk);
		if (!c->why)
			compare_node(c, yaml_document_get_node(c->doc, pair[i].value),
				     json_object_iter_value(iter));
	}
}

static void compare_node(struct ycmp *c, yaml_node_t *n, json_t *j)
{
	if (!n || !j) {
		c->why = "a node on one side only";
		return;
	}
	if (n->type == YAML_SCALAR_NODE)
		compare_scalar(c, n, j);
	else if (n->type == YAML_SEQUENCE_NODE)
		compare_sequence(c, n, j);
	else if (n->type == YAML_MAPPING_NODE)
		compare_mapping(c, n, j);
	else
		c->why = "an empty node";
}

/* Exactly one document, or NULL with *why set. */
static bool load_one_yaml(const char *text, size_t len, yaml_document_t *doc, const char **why)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		abort();
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	bool ok = yaml_parser_load(&p, doc);
	if (!ok) {
		*why = "YAML that libyaml cannot read";
	} else {
		yaml_document_t extra;
		if (!yaml_parser_load(&p, &extra)) {
			*why = "YAML that libyaml cannot read after the first document";
			ok = false;
		} else {
			if (yaml_document_get_root_node(&extra)) {
				*why = "more than one YAML document";
				ok = false;
			}
			yaml_document_delete(&extra);
		}
		if (!ok)
			yaml_document_delete(doc);
	}
	yaml_parser_delete(&p);
	return ok;
}

const char *fuzz_yaml_differs(const char *yaml, size_t ylen, json_t *json)
{
	yaml_document_t doc;
	const char *why = NULL;
	if (!load_one_yaml(yaml, ylen, &doc, &why))
		return why;
	struct ycmp c = { &doc, NULL };
	compare_node(&c, yaml_document_get_root_node(&doc), json);
	yaml_document_delete(&doc);
	return c.why;
}
