/*
 * test_mutations.c - every example, broken on purpose, must be caught.
 *
 * For each example: drop each endpoint its workloads require (appending
 * `- [svc]` to its endpoint set), move each subnet outside its VPC, and
 * open a way to the internet in each isolated network, block the path of
 * each workload in the .sgl (its security group's egress) and, over the
 * checked model that lowering emits, each hop sgc generates (endpoint
 * group ingress, gateway route, private DNS, VPC DNS, the workload group's
 * HTTPS egress); give workloads `runs = [training]` and drop what jobs
 * need, or drop the `logs` their lifecycle scripts write to. Every
 * mutation must produce the one diagnostic that names it, and the
 * unmutated input must pass. The required sets are
 * written out here from the reference, not computed from the compiler.
 * Run from the repository root (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "compile.h"
#include "reach.h"

static char *read_example(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "examples/%s.sgl", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *text = calloc(1, 1 << 16);
	assert_non_null(text);
	size_t n = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	assert_true(n > 0);
	return text;
}

/* Replace the first `from` after `after` (or anywhere when NULL) by `to`. */
static char *replace(const char *text, const char *after, const char *from, const char *to)
{
	const char *start = after ? strstr(text, after) : text;
	assert_non_null(start);
	const char *at = strstr(start, from);
	assert_non_null(at);
	size_t n = strlen(text) + strlen(to) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

/* Compile and require a diagnostic of `code` whose message contains `needle`. */
static void expect_caught(const char *name, const char *text, enum diag_code code,
			  const char *needle)
{
	struct compile c;
	compile_init(&c);
	compile_text(&c, name, text, strlen(text), COMPILE_CHECK);
	bool found = false;
	for (const struct diag *d = c.diags.head; d; d = d->next)
		if (d->code == code && (!needle || strstr(d->msg, needle)))
			found = true;
	if (!found) {
		for (const struct diag *d = c.diags.head; d; d = d->next)
			print_message("  got %s: %s\n", diag_code_name(d->code), d->msg);
		fail_msg("%s: expected %s mentioning `%s`", name, diag_code_name(code),
			 needle ? needle : "");
	}
	compile_free(&c);
}

struct example {
	const char *name;
	const char *endpoints_end;  /* text that ends the endpoints expression */
	const char *required[8];    /* endpoints its workloads need */
	const char *subnets[4];     /* `subnet <name> {` headers */
	const char *open_way[3];    /* {after, from, to}: a way to the internet */
	enum diag_code open_code;
};

static const struct example examples[] = {
	{ "private-notebook-codeartifact", "+ std.endpoints.ecr + [logs]",
	  { "sagemaker.api", "sagemaker.runtime", "s3", "codeartifact.api",
	    "codeartifact.repositories" },
	  { "subnet private_a {", "subnet private_b {" },
	  { "notebook analyst {", "root_access = false", "direct_internet = true" }, DIAG_E0603 },
	{ "studio-vpc-only", "std.endpoints.studio + [logs]",
	  { "sagemaker.api", "sagemaker.runtime", "s3" },
	  { "subnet private_a {", "subnet private_b {" },
	  { "studio analytics {", "kms_key = studio_data", "access = public_internet" }, DIAG_E0603 },
	{ "studio-remote-access", "std.endpoints.remote_access + [logs]",
	  { "sagemaker.api", "sagemaker.runtime", "s3", "ssm", "ssmmessages" },
	  { "subnet private_a {", "subnet private_b {" },
	  { "subnet private_a {", "zone = a }", "zone = a  public = true }" }, DIAG_E0401 },
	{ "isolated-network", NULL, { NULL },
	  { "subnet private_a {", "subnet private_b {" },
	  { "subnet private_b {", "zone = b }", "zone = b  public = true }" }, DIAG_E0401 },
	{ "restricted-egress", NULL, { NULL },
	  { "subnet nat_a ", "subnet private_a {", "subnet private_b {" },
	  { NULL }, DIAG_E0603 },
	{ "studio-public", NULL, { NULL },
	  { "subnet public_a {", "subnet public_b {" },
	  { NULL }, DIAG_E0603 },
};

static void test_drop_each_required_endpoint(void **state)
{
	(void)state;
	size_t mutations = 0;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		const struct example *ex = &examples[i];
		char *text = read_example(ex->name);
		for (int k = 0; ex->endpoints_end && ex->required[k]; k++) {
			char drop[128], needle[128];
			snprintf(drop, sizeof drop, "%s - [%s]", ex->endpoints_end, ex->required[k]);
			snprintf(needle, sizeof needle, "`%s` endpoint", ex->required[k]);
			char *mutated = replace(text, NULL, ex->endpoints_end, drop);
			expect_caught(ex->name, mutated, DIAG_E0601, needle);
			free(mutated);
			mutations++;
		}
		free(text);
	}
	assert_int_equal(mutations, 13);
}

static void test_move_each_subnet_outside(void **state)
{
	(void)state;
	size_t mutations = 0;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		const struct example *ex = &examples[i];
		char *text = read_example(ex->name);
		for (int k = 0; ex->subnets[k]; k++) {
			/* 192.168.77.0/24 is outside every example's 10.x range. */
			const char *start = strstr(text, ex->subnets[k]);
			assert_non_null(start);
			const char *cidr = strstr(start, "cidr = ") + 7;
			size_t len = strcspn(cidr, " }");
			char from[64];
			snprintf(from, sizeof from, "cidr = %.*s", (int)len, cidr);
			char *mutated = replace(text, ex->subnets[k], from, "cidr = 192.168.77.0/24");
			char needle[96];
			const char *name = ex->subnets[k] + 7;
			snprintf(needle, sizeof needle, "subnet `%.*s` is outside",
				 (int)strcspn(name, " {"), name);
			expect_caught(ex->name, mutated, DIAG_E0305, needle);
			free(mutated);
			mutations++;
		}
		free(text);
	}
	assert_int_equal(mutations, 13);
}

static void test_open_a_way_out_of_isolation(void **state)
{
	(void)state;
	size_t mutations = 0;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		const struct example *ex = &examples[i];
		if (!ex->open_way[0])
			continue;
		char *text = read_example(ex->name);
		char *mutated = replace(text, ex->open_way[0], ex->open_way[1], ex->open_way[2]);
		expect_caught(ex->name, mutated, ex->open_code, NULL);
		free(mutated);
		free(text);
		mutations++;
	}
	assert_int_equal(mutations, 4);
}

/* ---- block the path: in the .sgl, where the user writes groups and rules ---- */

struct block {
	const char *example;
	const char *after, *from, *to; /* a first edit, as replace() takes it */
	const char *after2, *from2, *to2; /* an optional second edit */
	const char *needle;             /* the workload the E0620 names */
};

/*
 * Every workload of every example whose path sgc proves: a notebook or a
 * VpcOnly studio given a group without egress, or the example's own group
 * stripped of the rule a hop needs. studio-public's apps use SageMaker's
 * network (PublicInternetOnly) and isolated-network has no workload: no
 * VPC path to block there.
 */
static const struct block blocks[] = {
	{ "private-notebook-codeartifact", "network vpc {", "+ [logs]\n",
	  "+ [logs]\n    security_group blocked {}\n",
	  "notebook analyst {", "root_access = false", "root_access = false\n    security_groups = [vpc.blocked]",
	  "notebook `analyst`" },
	{ "studio-vpc-only", "network vpc {", "std.endpoints.studio + [logs]\n",
	  "std.endpoints.studio + [logs]\n    security_group blocked {}\n",
	  "studio analytics {", "kms_key = studio_data", "kms_key = studio_data\n    security_groups = [vpc.blocked]",
	  "studio `analytics`" },
	{ "studio-remote-access", "network vpc {", "std.endpoints.remote_access + [logs]\n",
	  "std.endpoints.remote_access + [logs]\n    security_group blocked {}\n",
	  "studio devbox {", "subnets = [vpc.private_a, vpc.private_b]",
	  "subnets = [vpc.private_a, vpc.private_b]\n    security_groups = [vpc.blocked]",
	  "studio `devbox`" },
	{ "restricted-egress", "network vpc {", "sts, logs]\n",
	  "sts, logs]\n    security_group blocked {}\n",
	  "notebook trainer {", "subnet   = vpc.private_a",
	  "subnet   = vpc.private_a\n    security_groups = [vpc.blocked]", "notebook `trainer`" },
};

static bool passes(const char *name, const char *text)
{
	struct compile c;
	compile_init(&c);
	bool ok = compile_text(&c, name, text, strlen(text), COMPILE_CHECK);
	compile_free(&c);
	return ok;
}

static void test_block_each_workload_path(void **state)
{
	(void)state;
	size_t mutations = 0;
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		const struct block *b = &blocks[i];
		char *text = read_example(b->example);
		assert_true(passes(b->example, text));
		char *once = replace(text, b->after, b->from, b->to);
		char *mutated = b->after2 ? replace(once, b->after2, b->from2, b->to2) : once;
		expect_caught(b->example, mutated, DIAG_E0620, b->needle);
		if (mutated != once)
			free(mutated);
		free(once);
		free(text);
		mutations++;
	}
	assert_int_equal(mutations, 4);
}

/* ---- block the path: in the checked model, what sgc generates ---- */

/* Compile `example`, break the model with `mutate`, prove again, want `code`. */
static void expect_model_caught(const char *example, void (*mutate)(struct compile *c),
				enum diag_code code)
{
	char *text = read_example(example);
	struct compile c;
	compile_init(&c);
	assert_true(compile_text(&c, example, text, strlen(text), COMPILE_CHECK));
	assert_non_null(c.env);
	/* The unmutated model proves clean. */
	struct checker ck = { .arena = c.arena, .diags = &c.diags, .env = c.env };
	ck_reach(&ck);
	assert_false(diag_has_errors(&c.diags));
	mutate(&c);
	ck_reach(&ck);
	bool found = false;
	for (const struct diag *d = c.diags.head; d; d = d->next)
		found |= d->code == code;
	if (!found)
		fail_msg("%s: expected %s", example, diag_code_name(code));
	compile_free(&c);
	free(text);
}

static struct m_network *net0(struct compile *c)
{
	return c->env->networks.items[0];
}

static struct m_endpoint *endpoint(struct compile *c, const char *svc)
{
	struct m_network *net = net0(c);
	for (size_t i = 0; i < net->endpoints.n; i++) {
		struct m_endpoint *ep = net->endpoints.items[i];
		if (strcmp(ep->svc->name, svc) == 0)
			return ep;
	}
	fail_msg("no %s endpoint", svc);
	return NULL;
}

static void drop_endpoint_ingress(struct compile *c)
{
	net0(c)->endpoint_sg->rules.n = 0;
}

static void narrow_endpoint_ingress(struct compile *c)
{
	struct m_rule *r = net0(c)->endpoint_sg->rules.items[0];
	r->from_port = r->to_port = 80;
}

static void drop_gateway_route(struct compile *c)
{
	endpoint(c, "s3")->subnets.n = 0;
}

static void private_dns_off(struct compile *c)
{
	endpoint(c, "sagemaker.api")->private_dns = false;
}

static void vpc_dns_support_off(struct compile *c)
{
	net0(c)->dns_support = false;
}

static void vpc_dns_hostnames_off(struct compile *c)
{
	net0(c)->dns_hostnames = false;
}

static void second_private_dns_endpoint(struct compile *c)
{
	struct m_network *net = net0(c);
	ptrvec_push(c->arena, &net->endpoints, endpoint(c, "sts"));
}

static void drop_notebook_https(struct compile *c)
{
	struct m_notebook *nb = c->env->notebooks.items[0];
	nb->own_sg->rules.n = 0;
}

static void drop_studio_https(struct compile *c)
{
	struct m_studio *st = c->env->studios.items[0];
	struct m_sg *sg = st->own_sg;
	size_t k = 0;
	for (size_t i = 0; i < sg->rules.n; i++) {
		struct m_rule *r = sg->rules.items[i];
		if (!(r->egress && r->from_port == 443))
			sg->rules.items[k++] = r;
	}
	sg->rules.n = k;
}

/* ---- routes behind a firewall (restricted-egress): each mutation caught ---------------- */

static struct m_route *route_of(struct compile *c, const char *table, enum m_hop hop)
{
	struct m_network *net = net0(c);
	for (size_t i = 0; i < net->routes.n; i++) {
		struct m_route *r = net->routes.items[i];
		if ((table ? r->table && strcmp(r->table->name, table) == 0 : !r->table) && r->hop == hop)
			return r;
	}
	fail_msg("no route of %s", table ? table : "the public table");
	return NULL;
}

static struct m_subnet *subnet_named(struct compile *c, const char *name)
{
	struct m_network *net = net0(c);
	for (size_t i = 0; i < net->subnets.n; i++)
		if (strcmp(((struct m_subnet *)net->subnets.items[i])->name, name) == 0)
			return net->subnets.items[i];
	fail_msg("no subnet %s", name);
	return NULL;
}

/* A private subnet's default route straight to the NAT gateway, around the firewall. */
static void private_route_to_nat(struct compile *c)
{
	struct m_route *r = route_of(c, "private_b", HOP_FIREWALL);
	r->hop = HOP_NAT;
	r->via = subnet_named(c, "nat_a");
}

/* A private subnet's default route to another zone's firewall endpoint. */
static void private_route_other_zone(struct compile *c)
{
	route_of(c, "private_b", HOP_FIREWALL)->zone = 'a';
}

/* A route more specific than the default, to the internet gateway: still a way around. */
static void private_route_to_igw(struct compile *c)
{
	struct m_route *r = arena_alloc(c->arena, sizeof *r);
	*r = (struct m_route){ .table = subnet_named(c, "private_a"), .dest = { 0x97650000u, 16 },
			       .hop = HOP_IGW };
	ptrvec_push(c->arena, &net0(c)->routes, r);
}

/* The firewall subnet of zone b no longer routes on to a NAT gateway. */
static void firewall_subnet_unrouted(struct compile *c)
{
	route_of(c, "egress_b", HOP_NAT)->hop = HOP_IGW;
}

/* The return route of private_a through zone b's endpoint: the flow is asymmetric. */
static void return_route_other_zone(struct compile *c)
{
	struct m_network *net = net0(c);
	struct m_subnet *pa = subnet_named(c, "private_a");
	for (size_t i = 0; i < net->routes.n; i++) {
		struct m_route *r = net->routes.items[i];
		if (!r->table && r->hop == HOP_FIREWALL && cidr_compare(r->dest, pa->cidr) == 0)
			r->zone = 'b';
	}
}

/* No return route for private_b: replies take the local route around the firewall. */
static void return_route_dropped(struct compile *c)
{
	struct m_network *net = net0(c);
	struct m_subnet *pb = subnet_named(c, "private_b");
	size_t k = 0;
	for (size_t i = 0; i < net->routes.n; i++) {
		struct m_route *r = net->routes.items[i];
		if (!(!r->table && r->hop == HOP_FIREWALL && cidr_compare(r->dest, pb->cidr) == 0))
			net->routes.items[k++] = r;
	}
	net->routes.n = k;
}

static void test_firewall_routes(void **state)
{
	(void)state;
	expect_model_caught("restricted-egress", private_route_to_nat, DIAG_E0661);
	expect_model_caught("restricted-egress", private_route_other_zone, DIAG_E0661);
	expect_model_caught("restricted-egress", private_route_to_igw, DIAG_E0661);
	expect_model_caught("restricted-egress", firewall_subnet_unrouted, DIAG_E0661);
	expect_model_caught("restricted-egress", return_route_other_zone, DIAG_E0662);
	expect_model_caught("restricted-egress", return_route_dropped, DIAG_E0662);
}

static void test_block_generated_hops(void **state)
{
	(void)state;
	static const char *const workloads[] = { "private-notebook-codeartifact", "studio-vpc-only",
						 "studio-remote-access" };
	for (size_t i = 0; i < 3; i++) {
		expect_model_caught(workloads[i], drop_endpoint_ingress, DIAG_E0621);
		expect_model_caught(workloads[i], narrow_endpoint_ingress, DIAG_E0621);
		expect_model_caught(workloads[i], drop_gateway_route, DIAG_E0622);
		expect_model_caught(workloads[i], private_dns_off, DIAG_E0623);
		expect_model_caught(workloads[i], vpc_dns_support_off, DIAG_E0623);
		expect_model_caught(workloads[i], vpc_dns_hostnames_off, DIAG_E0623);
	}
	expect_model_caught("private-notebook-codeartifact", second_private_dns_endpoint, DIAG_E0624);
	expect_model_caught("private-notebook-codeartifact", drop_notebook_https, DIAG_E0620);
	expect_model_caught("studio-vpc-only", drop_studio_https, DIAG_E0620);
	expect_model_caught("studio-remote-access", drop_studio_https, DIAG_E0620);
	expect_model_caught("restricted-egress", drop_endpoint_ingress, DIAG_E0621);
	expect_model_caught("restricted-egress", drop_gateway_route, DIAG_E0622);
}

/* The unmutated examples: no error, and only the warnings they mean to show. */
static void test_examples_are_clean(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		char *text = read_example(examples[i].name);
		struct compile c;
		compile_init(&c);
		assert_true(compile_text(&c, examples[i].name, text, strlen(text), COMPILE_CHECK));
		unsigned expected_warnings = strcmp(examples[i].name, "studio-public") == 0 ? 1 : 0;
		assert_int_equal(c.diags.nwarnings, expected_warnings);
		compile_free(&c);
		free(text);
	}
}

/*
 * What a workload runs (`runs`) and where its scripts log: each example
 * whose workload has no internet is given `runs = [training]`, and then
 * loses `sts`, then `logs` (E0601 naming the jobs); an example whose
 * workload runs a lifecycle script loses `logs` (W0630, at the script).
 */
static void test_runs_and_script_logs(void **state)
{
	(void)state;
	static const struct {
		const char *name, *endpoints_end, *after, *from, *to;
		bool scripts;
	} cases[] = {
		{ "private-notebook-codeartifact", "+ std.endpoints.ecr + [logs]",
		  "notebook analyst {", "root_access = false", "root_access = false  runs = [training]",
		  true },
		{ "studio-vpc-only", "std.endpoints.studio + [logs]",
		  "studio analytics {", "kms_key = studio_data", "kms_key = studio_data  runs = [training]",
		  false },
		{ "studio-remote-access", "std.endpoints.remote_access + [logs]",
		  "studio devbox {", "subnets", "runs = [training]  subnets", true },
	};
	size_t mutations = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = read_example(cases[i].name);
		char *runs = replace(text, cases[i].after, cases[i].from, cases[i].to);
		{
			struct compile c;
			compile_init(&c);
			compile_text(&c, cases[i].name, runs, strlen(runs), COMPILE_CHECK);
			for (const struct diag *d = c.diags.head; d; d = d->next)
				if (d->level != DIAG_NOTE)
					fail_msg("%s with runs: %s %s", cases[i].name,
						 diag_code_name(d->code), d->msg);
			compile_free(&c);
		}
		static const char *const drop[] = { "sts", "logs" };
		for (int k = 0; k < 2; k++) {
			char with[128], needle[128];
			snprintf(with, sizeof with, "%s - [%s]", cases[i].endpoints_end, drop[k]);
			snprintf(needle, sizeof needle, "which runs training jobs, needs the `%s` endpoint", drop[k]);
			char *mutated = replace(runs, NULL, cases[i].endpoints_end, with);
			expect_caught(cases[i].name, mutated, DIAG_E0601, needle);
			free(mutated);
			mutations++;
		}
		if (cases[i].scripts) {
			char with[128];
			snprintf(with, sizeof with, "%s - [logs]", cases[i].endpoints_end);
			char *mutated = replace(text, NULL, cases[i].endpoints_end, with);
			expect_caught(cases[i].name, mutated, DIAG_W0630, "lifecycle logs");
			free(mutated);
			mutations++;
		}
		free(runs);
		free(text);
	}
	assert_int_equal(mutations, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_each_required_endpoint),
		cmocka_unit_test(test_move_each_subnet_outside),
		cmocka_unit_test(test_open_a_way_out_of_isolation),
		cmocka_unit_test(test_block_each_workload_path),
		cmocka_unit_test(test_block_generated_hops),
		cmocka_unit_test(test_firewall_routes),
		cmocka_unit_test(test_examples_are_clean),
		cmocka_unit_test(test_runs_and_script_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
