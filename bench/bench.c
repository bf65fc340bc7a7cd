/*
 * bench.c - throughput of the pipeline on large generated inputs.
 *
 * The program writes sgl in memory: many networks, each with subnets, an
 * endpoint set and security groups. CloudFormation takes at most 500
 * resources per template and sgc enforces it (E0610), so the networks are
 * spread over environments of NETS_PER_ENV networks, one source text each,
 * and every one of them must compile without a single diagnostic. The set
 * is timed through compile_text() as the CLI runs it, `check`
 * (COMPILE_CHECK) and `build` (COMPILE_LOWER, using the JSON it leaves in
 * `json`), each run covering compile_init() to compile_free() for every
 * text. Then one environment holding 125 to NETWORKS networks shows how a
 * single compile scales (its only diagnostics must be E0610); then the
 * unit series: 100, 1,000 and 10,000 units of "one /24 network holding one
 * notebook", split into environments under the quotas, timed per unit; and
 * last the `check` latency of each `.sgl` file in examples/.
 *
 *   make bench                                  from the repository root
 *   build/release/bench [-n NETWORKS] [-i ITERATIONS] [-r RUNS] [EXAMPLES_DIR]
 *   build/release/bench -n 2000 -o big.sgl      one environment, for `sgc`
 *   build/release/bench -u                      the unit series only
 *
 * bench/README.md explains the columns.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"

enum {
	DEFAULT_NETWORKS = 2000,
	DEFAULT_ITERATIONS = 5,
	DEFAULT_EXAMPLE_RUNS = 200,
	NETS_PER_ENV = 14, /* about 450 resources: under the 500 quota */
	SCALE_FROM = 125,  /* first size of the one-environment series */
	NET_PREFIX = 20,   /* every network is a /20 of private space */
	UNITS_PER_ENV = 26, /* 18 resources and 3 outputs each: 468 and 78 */
	UNITS_MAX = 10000,  /* the largest size of the unit series */
	UNIT_WORK = 30000,  /* units compiled per size: small sizes run more often */
};

/* ---- a growable text buffer ----------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
	size_t lines;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "bench: out of memory\n");
		exit(2);
	}
	return q;
}

static void put(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	if (!b->s) {
		b->cap = 1 << 16;
		b->s = xrealloc(NULL, b->cap);
	}
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			fprintf(stderr, "bench: formatting failed\n");
			exit(2);
		}
		if ((size_t)n < b->cap - b->len) {
			for (const char *p = b->s + b->len; *p; p++)
				b->lines += *p == '\n';
			b->len += (size_t)n;
			return;
		}
		while (b->cap - b->len <= (size_t)n)
			b->cap *= 2;
		b->s = xrealloc(b->s, b->cap);
	}
}

/* ---- the generated environment -------------------------------------------- */

/*
 * The i-th /20 of private address space: 10.0.0.0/8 holds 4096 of them,
 * 172.16.0.0/12 another 256 and 192.168.0.0/16 the last 16. Every network
 * gets its own, so no two VPCs overlap and none is public space (W0310).
 */
enum { MAX_NETWORKS = 4096 + 256 + 16 };

static unsigned long net_base(unsigned i)
{
	const unsigned long size = 1UL << (32 - NET_PREFIX);
	if (i < 4096)
		return (10UL << 24) + i * size;
	if (i < 4096 + 256)
		return (172UL << 24) + (16UL << 16) + (i - 4096) * size;
	return (192UL << 24) + (168UL << 16) + (i - 4096 - 256) * size;
}

static void put_cidr(struct buf *b, unsigned long addr, unsigned prefix)
{
	put(b, "%lu.%lu.%lu.%lu/%u", addr >> 24, (addr >> 16) & 255,
	    (addr >> 8) & 255, addr & 255, prefix);
}

/* Endpoint set expressions, cycled through the networks. */
static const char *const endpoint_sets[] = {
	"std.endpoints.notebook + std.endpoints.codeartifact + [logs]",
	"ml_base + std.endpoints.ecr",
	"std.endpoints.studio + std.endpoints.observability - [monitoring]",
	"std.endpoints.all - std.endpoints.remote_access - [kms]",
	"ml_base + [secretsmanager, kms, dynamodb]",
};

struct gen_stats {
	unsigned networks, subnets, groups, rules;
};

/*
 * One network: a /20 with 2 to 4 subnets of /24 to /26 in zones a to c,
 * one 256-address slot each so they never overlap, an endpoint set, and
 * two security groups that refer to each other. Isolation cycles through
 * isolated, restricted (first subnet public, for the NAT gateway) and
 * public (every subnet public by default).
 */
static void gen_network(struct buf *b, unsigned i, struct gen_stats *st)
{
	static const char *const isolation[] = { "isolated", "restricted", "public" };
	unsigned long base = net_base(i);
	unsigned kind = i % 3;
	unsigned nsub = 2 + i % 3;

	put(b, "  network net%04u {\n", i);
	put(b, "    cidr      = ");
	put_cidr(b, base, NET_PREFIX);
	put(b, "\n    isolation = %s\n", isolation[kind]);
	put(b, "    endpoints = %s\n\n",
	    endpoint_sets[i % (sizeof endpoint_sets / sizeof endpoint_sets[0])]);
	for (unsigned k = 0; k < nsub; k++) {
		put(b, "    subnet %s_%c { cidr = ", kind == 1 && k == 0 ? "nat" : "tier",
		    "abcd"[k]);
		put_cidr(b, base + k * 256UL, 24 + k % 3);
		put(b, "  zone = %c%s }\n", "abc"[k % 3],
		    kind == 1 && k == 0 ? "  public = true" : "");
	}
	st->subnets += nsub;

	put(b, "\n    security_group app {\n");
	put(b, "      description = \"application tier of net%04u\"\n", i);
	put(b, "      ingress { port = 443  cidr = ");
	put_cidr(b, base, NET_PREFIX);
	put(b, "  description = \"HTTPS from inside the VPC\" }\n");
	put(b, "      ingress { from_port = 8000  to_port = 8080  group = db }\n");
	put(b, "      egress  { port = 443  prefix_list = s3 }\n");
	put(b, "      egress  { port = 5432  group = db }\n");
	put(b, "    }\n");
	put(b, "    security_group db {\n");
	put(b, "      ingress { port = 5432  group = app }\n");
	put(b, "      ingress { protocol = all  self = true }\n");
	put(b, "      egress  { protocol = udp  port = 53  cidr = ");
	put_cidr(b, base, NET_PREFIX);
	put(b, " }\n    }\n  }\n\n");
	st->groups += 2;
	st->rules += 7;
	st->networks++;
}

/* Environment `name` with networks [first, first + n). */
static void gen_env(struct buf *b, const char *name, unsigned first, unsigned n,
		    struct gen_stats *st)
{
	put(b, "# Generated by bench/bench.c: networks %u to %u.\n", first,
	    first + n - 1);
	put(b, "import std.endpoints\n\n");
	put(b, "ml_base = std.endpoints.notebook + [logs, monitoring]\n\n");
	put(b, "environment %s {\n", name);
	put(b, "  region      = \"us-east-1\"\n");
	put(b, "  description = \"sgc benchmark input\"\n");
	put(b, "  tags        = { Environment: \"bench\", Project: \"sgc\" }\n\n");
	for (unsigned i = first; i < first + n; i++)
		gen_network(b, i, st);
	put(b, "}\n");
}

/* ---- timing ----------------------------------------------------------------- */

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_value(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* Sorts `t`; the median of an even count is the mean of the middle two. */
static double median(double *t, size_t n)
{
	qsort(t, n, sizeof *t, by_value);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double peak_rss_mb(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
}

static bool is_quota_error(const struct diag *d)
{
	const char *name = diag_code_name(d->code);
	return name && strcmp(name, "E0610") == 0;
}

/* Renders the first diagnostics of a compile that should have been clean. */
static void fail_diags(struct compile *c, const char *what)
{
	fprintf(stderr, "bench: %s does not compile cleanly (%u errors, %u warnings); first ones:\n",
		what, c->diags.nerrors, c->diags.nwarnings);
	struct diag_render_opts ro = { .color = false, .cap = 5 };
	diag_render_text(stderr, &c->diags, &c->src, &ro);
	compile_free(c);
	exit(1);
}

/* What the compiles of one timed run produced. */
struct output {
	size_t json_len, resources;
};

/*
 * Compiles every text once, init to free, as the CLI does. The first one
 * with any diagnostic is rendered and ends the program.
 */
static void run_all(const struct buf *srcs, size_t nsrcs,
		    enum compile_until until, struct output *out)
{
	*out = (struct output){ 0 };
	for (size_t i = 0; i < nsrcs; i++) {
		struct compile c;
		compile_init(&c);
		compile_text(&c, "<generated>", srcs[i].s, srcs[i].len, until);
		if (c.diags.nerrors || c.diags.nwarnings)
			fail_diags(&c, "a generated environment");
		if (until == COMPILE_LOWER) {
			if (!c.json) {
				fprintf(stderr, "bench: no template for a generated environment\n");
				exit(1);
			}
			out->json_len += c.json_len;
			out->resources += c.tmpl->resources.n;
		}
		compile_free(&c);
	}
}

struct timing {
	double best, median;
};

static struct timing time_runs(const struct buf *srcs, size_t nsrcs,
			       enum compile_until until, unsigned iters,
			       struct output *out)
{
	double *t = xrealloc(NULL, iters * sizeof *t);
	for (unsigned i = 0; i < iters; i++) {
		double t0 = now_sec();
		run_all(srcs, nsrcs, until, out);
		t[i] = now_sec() - t0;
	}
	struct timing r;
	r.median = median(t, iters);
	r.best = t[0]; /* median() sorted them */
	free(t);
	return r;
}

/* Rates are per median run; peak RSS is the process's so far (ru_maxrss). */
static void print_row(const char *stage, unsigned iters, struct timing tm,
		      size_t lines, size_t bytes)
{
	printf("%-7s %5u %10.1f %10.1f %12.0f %9.2f %6.1f MB\n", stage, iters,
	       tm.best * 1e3, tm.median * 1e3, (double)lines / tm.median,
	       (double)bytes / (1024.0 * 1024.0) / tm.median, peak_rss_mb());
}

/*
 * One environment of `n` networks, compiled once: how a single compile
 * scales. The template is over the quotas, so E0610 is expected; any
 * other diagnostic means the generator is wrong.
 */
static void scale_row(unsigned n)
{
	struct buf b = { 0 };
	struct gen_stats st = { 0 };
	gen_env(&b, "bench", 0, n, &st);
	struct compile c;
	double t0 = now_sec();
	compile_init(&c);
	compile_text(&c, "<generated>", b.s, b.len, COMPILE_CHECK);
	double t = now_sec() - t0;
	for (const struct diag *d = c.diags.head; d; d = d->next)
		if (!d->suppressed && !is_quota_error(d))
			fail_diags(&c, "the one-environment input");
	size_t nres = c.tmpl ? c.tmpl->resources.n : 0;
	compile_free(&c);
	printf("%8u %7zu %9zu %10.1f %12.1f %12.0f %6.1f MB\n", n, b.lines, nres,
	       t * 1e3, t * 1e6 / n, (double)b.lines / t, peak_rss_mb());
	free(b.s);
}

/* ---- units: one network holding one notebook ----------------------------------- */

/*
 * Unit i: a /24 network (the i-th of 10.0.0.0/8, so 65,536 fit) with one
 * private subnet and the endpoints a notebook needs, and a notebook in it.
 * Every reference a notebook makes (its subnet, its network's endpoints
 * and VPC) is looked up by the checker and by lowering, so a look-up that
 * scans every network makes the time per unit grow with the units of an
 * environment.
 */
static void gen_unit(struct buf *b, unsigned i)
{
	unsigned long base = (10UL << 24) + (unsigned long)i * 256UL;
	put(b, "  network unit%05u {\n    cidr      = ", i);
	put_cidr(b, base, 24);
	put(b, "\n    isolation = isolated\n    endpoints = std.endpoints.notebook\n");
	put(b, "    subnet private { cidr = ");
	put_cidr(b, base, 25);
	put(b, "  zone = a }\n  }\n");
	put(b, "  notebook unit%05u_nb {\n    instance = ml.t3.medium\n", i);
	put(b, "    subnet   = unit%05u.private\n  }\n\n", i);
}

/* Environment `name` with units [first, first + n). */
static void gen_unit_env(struct buf *b, const char *name, unsigned first, unsigned n)
{
	put(b, "# Generated by bench/bench.c: units %u to %u.\n", first, first + n - 1);
	put(b, "import std.endpoints\n\nenvironment %s {\n  region = \"us-east-1\"\n\n", name);
	for (unsigned i = first; i < first + n; i++)
		gen_unit(b, i);
	put(b, "}\n");
}

/* `n` units as environments of at most `per_env`, each a source text. */
static struct buf *gen_units(unsigned n, unsigned per_env, size_t *nsrcs)
{
	*nsrcs = (n + per_env - 1) / per_env;
	struct buf *srcs = xrealloc(NULL, *nsrcs * sizeof *srcs);
	for (size_t i = 0; i < *nsrcs; i++) {
		unsigned first = (unsigned)i * per_env;
		char name[32];
		snprintf(name, sizeof name, "units%04zu", i);
		srcs[i] = (struct buf){ 0 };
		gen_unit_env(&srcs[i], name, first, n - first < per_env ? n - first : per_env);
	}
	return srcs;
}

static void free_bufs(struct buf *srcs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(srcs[i].s);
	free(srcs);
}

/*
 * `n` units split into environments under the quotas, every one clean,
 * compiled `check` as the CLI runs it: the median time per unit over runs
 * that together compile about UNIT_WORK units, so small sizes are not
 * lost in the clock's noise.
 */
static double unit_row(unsigned n)
{
	size_t nsrcs;
	struct buf *srcs = gen_units(n, UNITS_PER_ENV, &nsrcs);
	unsigned runs = UNIT_WORK / n < 3 ? 3 : UNIT_WORK / n;
	double *t = xrealloc(NULL, runs * sizeof *t);
	struct output out;
	for (unsigned r = 0; r < runs; r++) {
		double t0 = now_sec();
		run_all(srcs, nsrcs, COMPILE_CHECK, &out);
		t[r] = (now_sec() - t0) / n;
	}
	double per_unit = median(t, runs);
	printf("%8u %6zu %6u %12.1f %12.1f %6.1f MB\n", n, nsrcs, runs,
	       t[0] * 1e6, per_unit * 1e6, peak_rss_mb());
	free(t);
	free_bufs(srcs, nsrcs);
	return per_unit;
}

/* The same units in one environment, checked once: E0610 is expected. */
static void unit_scale_row(unsigned n)
{
	size_t nsrcs;
	struct buf *srcs = gen_units(n, n, &nsrcs);
	struct compile c;
	double t0 = now_sec();
	compile_init(&c);
	compile_text(&c, "<generated>", srcs[0].s, srcs[0].len, COMPILE_CHECK);
	double t = now_sec() - t0;
	for (const struct diag *d = c.diags.head; d; d = d->next)
		if (!d->suppressed && !is_quota_error(d))
			fail_diags(&c, "the one-environment unit input");
	compile_free(&c);
	printf("%8u %12.1f %12.1f %6.1f MB\n", n, t * 1e3, t * 1e6 / n, peak_rss_mb());
	free_bufs(srcs, nsrcs);
}

static void bench_units(void)
{
	printf("\nunits: one /24 network holding one notebook, %d units per environment (check)\n",
	       UNITS_PER_ENV);
	printf("%8s %6s %6s %12s %12s %9s\n", "units", "envs", "runs", "best us/unit",
	       "median us/u", "peak RSS");
	double first = unit_row(100);
	unit_row(1000);
	double last = unit_row(UNITS_MAX);
	printf("median us/unit at %d units is %.2fx that at 100\n", UNITS_MAX, last / first);

	printf("\nthe same units in one environment, one check each (E0610 allowed)\n");
	printf("%8s %12s %12s %9s\n", "units", "ms", "us/unit", "peak RSS");
	for (unsigned n = 100; n <= UNITS_MAX; n *= 10)
		unit_scale_row(n);
}

/* ---- examples ---------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *s = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			s = xrealloc(s, cap);
		}
		size_t got = fread(s + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(s);
		return NULL;
	}
	*len = n;
	return s;
}

static int by_name(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* Median microseconds per `check` of each *.sgl in `dir`, by file name. */
static int bench_examples(const char *dir, unsigned runs)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "bench: cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".sgl") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n] = xrealloc(NULL, l + 1);
		memcpy(names[n++], e->d_name, l + 1);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);

	printf("\nexamples: check, median of %u runs\n", runs);
	printf("%-36s %8s %6s %10s\n", "file", "bytes", "lines", "median us");
	int status = 0;
	double *t = xrealloc(NULL, runs * sizeof *t);
	for (size_t i = 0; i < n; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		char *path = xrealloc(NULL, plen);
		snprintf(path, plen, "%s/%s", dir, names[i]);
		size_t len;
		char *text = read_file(path, &len);
		if (!text) {
			fprintf(stderr, "bench: cannot read %s: %s\n", path, strerror(errno));
			status = 1;
			free(path);
			continue;
		}
		size_t lines = 0;
		for (size_t k = 0; k < len; k++)
			lines += text[k] == '\n';
		bool clean = true;
		for (unsigned r = 0; r < runs && clean; r++) {
			struct compile c;
			double t0 = now_sec();
			compile_init(&c);
			compile_text(&c, path, text, len, COMPILE_CHECK);
			clean = !diag_has_errors(&c.diags);
			compile_free(&c);
			t[r] = now_sec() - t0;
		}
		if (clean)
			printf("%-36s %8zu %6zu %10.1f\n", names[i], len, lines,
			       median(t, runs) * 1e6);
		else
			printf("%-36s %8zu %6zu %10s\n", names[i], len, lines, "errors");
		free(text);
		free(path);
	}
	if (n == 0)
		printf("(no .sgl files in %s)\n", dir);
	free(t);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return status;
}

/* ---- main ---------------------------------------------------------------------- */

static unsigned parse_count(const char *s, unsigned max, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > max) {
		fprintf(stderr, "bench: %s must be 1 to %u\n", what, max);
		exit(2);
	}
	return (unsigned)v;
}

static int save_one_env(const char *path, unsigned nnets)
{
	struct buf b = { 0 };
	struct gen_stats st = { 0 };
	gen_env(&b, "bench", 0, nnets, &st);
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(b.s, 1, b.len, f) == b.len;
	if (f && fclose(f) != 0)
		ok = false;
	free(b.s);
	if (!ok) {
		fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned nnets = DEFAULT_NETWORKS, iters = DEFAULT_ITERATIONS;
	unsigned runs = DEFAULT_EXAMPLE_RUNS;
	const char *save = NULL;
	bool units_only = false;
	for (int opt; (opt = getopt(argc, argv, "n:i:r:o:uh")) != -1;) {
		switch (opt) {
		case 'n': nnets = parse_count(optarg, MAX_NETWORKS, "-n NETWORKS"); break;
		case 'i': iters = parse_count(optarg, 1000, "-i ITERATIONS"); break;
		case 'r': runs = parse_count(optarg, 100000, "-r RUNS"); break;
		case 'o': save = optarg; break;
		case 'u': units_only = true; break;
		default:
			fprintf(stderr, "usage: %s [-n NETWORKS] [-i ITERATIONS] [-r RUNS] [EXAMPLES_DIR]\n"
				"       %s [-n NETWORKS] -o FILE\n"
				"       %s -u    the unit series only\n", argv[0], argv[0], argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "bench: at most one examples directory\n");
		return 2;
	}
	const char *examples = optind < argc ? argv[optind] : "examples";
	if (save)
		return save_one_env(save, nnets);
	if (units_only) {
		bench_units();
		return 0;
	}

	size_t nsrcs = (nnets + NETS_PER_ENV - 1) / NETS_PER_ENV;
	struct buf *srcs = xrealloc(NULL, nsrcs * sizeof *srcs);
	struct gen_stats st = { 0 };
	size_t lines = 0, bytes = 0;
	for (size_t i = 0; i < nsrcs; i++) {
		unsigned first = (unsigned)i * NETS_PER_ENV;
		unsigned n = nnets - first < NETS_PER_ENV ? nnets - first : NETS_PER_ENV;
		char name[32];
		snprintf(name, sizeof name, "bench%03zu", i);
		srcs[i] = (struct buf){ 0 };
		gen_env(&srcs[i], name, first, n, &st);
		lines += srcs[i].lines;
		bytes += srcs[i].len;
	}
	printf("generated: %zu environments of up to %d networks: %u networks, %u subnets,\n"
	       "  %u security groups, %u rules; %zu lines, %.2f MB of source\n\n",
	       nsrcs, NETS_PER_ENV, st.networks, st.subnets, st.groups, st.rules,
	       lines, (double)bytes / (1024.0 * 1024.0));

	/* Check first, so its peak memory is not hidden by build's. */
	double rss_base = peak_rss_mb();
	struct output out;
	printf("%-7s %5s %10s %10s %12s %9s %9s\n", "stage", "runs", "best ms",
	       "median ms", "lines/s", "MB/s", "peak RSS");
	struct timing chk = time_runs(srcs, nsrcs, COMPILE_CHECK, iters, &out);
	print_row("check", iters, chk, lines, bytes);
	struct timing bld = time_runs(srcs, nsrcs, COMPILE_LOWER, iters, &out);
	print_row("build", iters, bld, lines, bytes);
	printf("build output: %zu resources, %.2f MB of JSON; %.1f MB RSS before compiling\n",
	       out.resources, (double)out.json_len / (1024.0 * 1024.0), rss_base);
	for (size_t i = 0; i < nsrcs; i++)
		free(srcs[i].s);
	free(srcs);

	printf("\none environment, one check each (E0610 allowed: it may exceed the template quotas)\n");
	printf("%8s %7s %9s %10s %12s %12s %9s\n", "networks", "lines", "resources",
	       "ms", "us/network", "lines/s", "peak RSS");
	for (unsigned n = SCALE_FROM; n < nnets; n *= 2)
		scale_row(n);
	scale_row(nnets);

	bench_units();

	return bench_examples(examples, runs);
}
