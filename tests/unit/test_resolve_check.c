/*
 * test_resolve_check.c - unit tests for name resolution (compiler/resolve.c)
 * and the checker (compiler/check.c), driven through compile_text with
 * COMPILE_CHECK on small sources.
 *
 * Accepted sources are checked through the model they produce (networks,
 * subnets, endpoint sets and placement, NAT placement); rejected ones
 * through each diagnostic's code and 1-based line:column, plus the
 * message or help where the wording is the point.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cidr.h"
#include "compile.h"
#include "endpoints.h"
#include "model.h"

/*
 * Sources are built from two macros so that line numbers stay easy to
 * read: ENV puts `body` on line 3 of an environment in us-east-1, and NET
 * puts a network `vpc` (10.0.0.0/16) there with its own `body` on line 6.
 */
#define ENV(body) \
	"environment e {\n"                   /* 1 */ \
	"  region = \"us-east-1\"\n"          /* 2 */ \
	body                                  /* 3 */ \
	"}\n"
#define NET(iso, body) \
	ENV("  network vpc {\n"               /* 3 */ \
	    "    cidr = 10.0.0.0/16\n"        /* 4 */ \
	    "    isolation = " iso "\n"       /* 5 */ \
	    body                              /* 6 */ \
	    "  }\n")

struct fixture {
	struct compile c;
	bool ok;
};

static int setup(void **state)
{
	static struct fixture fx;
	compile_init(&fx.c);
	fx.ok = false;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	compile_free(&fx->c);
	return 0;
}

static struct fixture *check(void **state, const char *text)
{
	struct fixture *fx = *state;
	fx->ok = compile_text(&fx->c, "t.sgl", text, strlen(text), COMPILE_CHECK);
	return fx;
}

static struct arena *fx_arena(void **state)
{
	return ((struct fixture *)*state)->c.arena;
}

static struct src_pos pos_of(struct fixture *fx, struct span s)
{
	return src_locate(src_get(&fx->c.src, s.file), s.lo);
}

/* Every diagnostic as "CODE line:col msg", for failure messages. */
static const char *diag_list(struct fixture *fx)
{
	size_t n, dropped;
	const struct diag **all = diag_sorted(&fx->c.diags, 0, &n, &dropped);
	const char *out = "";
	for (size_t i = 0; i < n; i++) {
		struct src_pos p = pos_of(fx, all[i]->span);
		out = arena_printf(fx->c.arena, "%s%s %s:%u:%u %s%s%s\n", out,
				   diag_code_name(all[i]->code),
				   src_get(&fx->c.src, all[i]->span.file)->path,
				   p.line, p.col, all[i]->msg,
				   all[i]->help ? " | help: " : "",
				   all[i]->help ? all[i]->help : "");
	}
	return n ? out : "(none)\n";
}

/* Errors and warnings: notes (N0640, the suppressions of any template) are tested elsewhere. */
static size_t ndiags(struct fixture *fx)
{
	size_t n = 0;
	for (const struct diag *d = fx->c.diags.head; d; d = d->next)
		n += d->level != DIAG_NOTE;
	return n;
}

/* The diagnostic with this code at line:col of t.sgl; fails when there is none. */
static const struct diag *find_diag(struct fixture *fx, enum diag_code code,
				    uint32_t line, uint32_t col)
{
	for (const struct diag *d = fx->c.diags.head; d; d = d->next) {
		struct src_pos p = pos_of(fx, d->span);
		if (d->code == code && d->span.file == 0 && p.line == line &&
		    p.col == col)
			return d;
	}
	fail_msg("no %s at %u:%u; got:\n%s", diag_code_name(code), line, col,
		 diag_list(fx));
	return NULL;
}

/* Exactly one diagnostic in the whole compile, with this code and position. */
static const struct diag *only_diag(struct fixture *fx, enum diag_code code,
				    uint32_t line, uint32_t col)
{
	if (ndiags(fx) != 1)
		fail_msg("want only %s at %u:%u; got:\n%s", diag_code_name(code),
			 line, col, diag_list(fx));
	return find_diag(fx, code, line, col);
}

static size_t count_code(struct fixture *fx, enum diag_code code)
{
	size_t n = 0;
	for (const struct diag *d = fx->c.diags.head; d; d = d->next)
		if (d->code == code)
			n++;
	return n;
}

static void assert_clean(struct fixture *fx)
{
	if (!fx->ok || ndiags(fx) != 0)
		fail_msg("want a clean compile; got:\n%s", diag_list(fx));
	assert_non_null(fx->c.env);
}

static void assert_help(const struct diag *d, const char *want)
{
	if (!d->help || strcmp(d->help, want) != 0)
		fail_msg("help of `%s`: want \"%s\", got \"%s\"", d->msg, want,
			 d->help ? d->help : "(none)");
}

static struct m_network *net_at(struct fixture *fx, size_t i)
{
	assert_true(fx->c.env->networks.n > i);
	return fx->c.env->networks.items[i];
}

static struct m_subnet *subnet_at(const struct m_network *net, size_t i)
{
	assert_true(net->subnets.n > i);
	return net->subnets.items[i];
}

static bool has_ep(const struct m_network *net, const char *name)
{
	const struct ep_service *svc = ep_find(name);
	if (!svc)
		fail_msg("no endpoint service `%s` in the table", name);
	return net->has_endpoint[ep_index(svc)];
}

static void assert_cidr(struct cidr c, const char *want)
{
	char buf[CIDR_STR_MAX];
	cidr_format(c, buf);
	assert_string_equal(buf, want);
}

/* ---- the model ------------------------------------------------------------ */

static void test_model_isolated_network(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		"environment ml {\n"
		"  region = \"ap-southeast-1\"\n"
		"  description = \"isolated\"\n"
		"  tags = { Team: \"ml\", \"Cost Center\": \"42\" }\n"
		"  network vpc {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet private_a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet private_b { cidr = 10.0.2.0/24  zone = b }\n"
		"    endpoints = std.endpoints.notebook + std.endpoints.codeartifact + [logs]\n"
		"  }\n"
		"}\n");
	assert_clean(fx);
	const struct m_env *env = fx->c.env;
	assert_string_equal(env->name, "ml");
	assert_string_equal(env->region->name, "ap-southeast-1");
	assert_string_equal(env->description, "isolated");
	assert_int_equal(env->ntags, 2);
	assert_string_equal(env->tags[1].key, "Cost Center");
	assert_string_equal(env->tags[1].value, "42");
	assert_int_equal(env->networks.n, 1);

	const struct m_network *net = net_at(fx, 0);
	assert_string_equal(net->name, "vpc");
	assert_cidr(net->cidr, "10.0.0.0/16");
	assert_int_equal(net->isolation, ISO_ISOLATED);
	assert_int_equal(net->subnets.n, 2);
	assert_string_equal(subnet_at(net, 0)->name, "private_a");
	assert_cidr(subnet_at(net, 0)->cidr, "10.0.1.0/24");
	assert_int_equal(subnet_at(net, 0)->zone, 'a');
	assert_false(subnet_at(net, 0)->public);
	assert_false(subnet_at(net, 0)->hosts_nat);
	assert_cidr(subnet_at(net, 1)->cidr, "10.0.2.0/24");
	assert_int_equal(subnet_at(net, 1)->zone, 'b');
	assert_ptr_equal(subnet_at(net, 1)->net, net);

	/* notebook: 4 interface + s3; codeartifact: 2 interface + s3; logs. */
	assert_int_equal(net->ninterface, 7);
	assert_int_equal(net->ngateway, 1);
	assert_true(has_ep(net, "notebook"));
	assert_true(has_ep(net, "sagemaker.api"));
	assert_true(has_ep(net, "codeartifact.repositories"));
	assert_true(has_ep(net, "logs"));
	assert_true(has_ep(net, "s3"));
	assert_false(has_ep(net, "studio"));
	assert_false(has_ep(net, "dynamodb"));

	assert_int_equal(net->endpoint_subnets.n, 2);
	assert_ptr_equal(net->endpoint_subnets.items[0], subnet_at(net, 0));
	assert_ptr_equal(net->endpoint_subnets.items[1], subnet_at(net, 1));
}

/*
 * A stage joins every name AWS keeps unique per account and Region, and
 * the stack name; without one they are as the environment names them.
 */
static void test_model_stage_names(void **state)
{
	static const char text[] =
		"environment my_env {\n"
		"  region = \"us-east-1\"\n"
		"  codeartifact packages { name = \"corp\" }\n"
		"}\n";
	struct fixture *fx = *state;
	fx->c.stage = "prod";
	check(state, text);
	assert_clean(fx);
	const struct m_env *env = fx->c.env;
	assert_string_equal(env->name, "my_env");
	assert_string_equal(env->stage, "prod");
	assert_string_equal(env->stem, "my_env-prod");
	assert_string_equal(env->stack_name, "my-env-prod");
	const struct m_domain *dom = env->domains.items[0];
	assert_string_equal(dom->domain_name, "corp-prod");

	compile_free(&fx->c);
	compile_init(&fx->c);
	check(state, text);
	assert_clean(fx);
	env = fx->c.env;
	assert_null(env->stage);
	assert_string_equal(env->stem, "my_env");
	assert_string_equal(env->stack_name, "my-env");
	dom = env->domains.items[0];
	assert_string_equal(dom->domain_name, "corp");
}

static void test_model_defaults(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = c }\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_null(fx->c.env->description);
	assert_int_equal(fx->c.env->ntags, 0);
	assert_int_equal(net->ninterface, 0);
	assert_int_equal(net->ngateway, 0);
	assert_non_null(net->has_endpoint);
	assert_false(has_ep(net, "s3"));
	assert_int_equal(net->sgs.n, 0);
}

/*
 * Interface endpoints take one subnet per zone, private subnets first: in
 * a restricted network they never land in a public subnet, even in a zone
 * that has only public ones.
 */
static void test_endpoint_placement_private_preferred(void **state)
{
	struct fixture *fx = check(state, NET("restricted",
		"    subnet nat_a     { cidr = 10.0.0.0/24  zone = a  public = true }\n"
		"    subnet private_a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet extra_a   { cidr = 10.0.2.0/24  zone = a }\n"
		"    subnet nat_c     { cidr = 10.0.3.0/24  zone = c  public = true }\n"
		"    subnet private_b { cidr = 10.0.4.0/24  zone = b }\n"
		"    subnet nat_a2    { cidr = 10.0.5.0/24  zone = a  public = true }\n"
		"    endpoints = [sts, logs]\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_int_equal(net->isolation, ISO_RESTRICTED);
	assert_int_equal(net->endpoint_subnets.n, 2);
	assert_string_equal(((struct m_subnet *)net->endpoint_subnets.items[0])->name,
			    "private_a");
	assert_string_equal(((struct m_subnet *)net->endpoint_subnets.items[1])->name,
			    "private_b");

	/* One NAT gateway per zone that has a public subnet: the first one there. */
	assert_true(subnet_at(net, 0)->hosts_nat);   /* nat_a */
	assert_false(subnet_at(net, 1)->hosts_nat);  /* private_a */
	assert_false(subnet_at(net, 2)->hosts_nat);
	assert_true(subnet_at(net, 3)->hosts_nat);   /* nat_c */
	assert_false(subnet_at(net, 4)->hosts_nat);
	assert_false(subnet_at(net, 5)->hosts_nat);  /* nat_a2: zone a has one */
	assert_true(subnet_at(net, 0)->public);
	assert_false(subnet_at(net, 1)->public);
}

/* With only public subnets, endpoints go there; still one subnet per zone. */
static void test_endpoint_placement_public_network(void **state)
{
	struct fixture *fx = check(state, NET("public",
		"    subnet web_a  { cidr = 10.0.0.0/24  zone = a }\n"
		"    subnet web_a2 { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet web_b  { cidr = 10.0.2.0/24  zone = b }\n"
		"    endpoints = [logs]\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_true(subnet_at(net, 0)->public); /* the default in a public network */
	assert_false(subnet_at(net, 0)->hosts_nat); /* no NAT outside restricted */
	assert_int_equal(net->endpoint_subnets.n, 2);
	assert_ptr_equal(net->endpoint_subnets.items[0], subnet_at(net, 0));
	assert_ptr_equal(net->endpoint_subnets.items[1], subnet_at(net, 2));
}

static void test_public_network_private_subnet(void **state)
{
	struct fixture *fx = check(state, NET("public",
		"    subnet web_a { cidr = 10.0.0.0/24  zone = a }\n"
		"    subnet app_a { cidr = 10.0.1.0/24  zone = a  public = false }\n"
		"    endpoints = [logs]\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_false(subnet_at(net, 1)->public);
	assert_int_equal(net->endpoint_subnets.n, 1);
	assert_ptr_equal(net->endpoint_subnets.items[0], subnet_at(net, 1));
}

/* Sets are evaluated left to right: `a - b + c` is `(a - b) + c`. */
static void test_endpoint_set_difference(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = std.endpoints.notebook - [notebook, s3] + [s3]\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_false(has_ep(net, "notebook"));
	assert_true(has_ep(net, "sagemaker.api"));
	assert_true(has_ep(net, "sagemaker.runtime"));
	assert_true(has_ep(net, "sts"));
	assert_true(has_ep(net, "s3"));
	assert_int_equal(net->ninterface, 3);
	assert_int_equal(net->ngateway, 1);
}

static void test_endpoint_set_all_minus_studio(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.0.0/20  zone = a }\n"
		    "    endpoints = std.endpoints.all - std.endpoints.studio\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	static const char *const in[] = {
		"notebook", "codeartifact.api", "codeartifact.repositories",
		"ecr.api", "ecr.dkr", "logs", "monitoring", "ssm",
		"ssmmessages", "secretsmanager", "kms",
	};
	static const char *const out[] = {
		"sagemaker.api", "sagemaker.runtime", "studio", "sts", "s3",
		"dynamodb", "ec2messages",
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		if (!has_ep(net, in[i]))
			fail_msg("`%s` missing", in[i]);
	for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
		if (has_ep(net, out[i]))
			fail_msg("`%s` should have been removed", out[i]);
	assert_int_equal(net->ninterface, 11);
	assert_int_equal(net->ngateway, 0);
}

/* Parentheses group; top-level definitions are sets too; services may be quoted. */
static void test_endpoint_set_grouping_and_definitions(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		"mine = std.endpoints.ecr + [\"logs\"]\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = mine - ([s3] + [ecr.dkr])\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_true(has_ep(net, "ecr.api"));
	assert_true(has_ep(net, "logs"));
	assert_false(has_ep(net, "ecr.dkr"));
	assert_false(has_ep(net, "s3"));
	assert_int_equal(net->ninterface, 2);
	assert_int_equal(net->ngateway, 0);
}

static void test_bare_region_and_definitions(void **state)
{
	struct fixture *fx = check(state,
		"range = 10.1.0.0/16\n"
		"first = 10.1.4.0/22\n"
		"environment e {\n"
		"  region = eu-west-1\n"
		"  network vpc {\n"
		"    cidr = range\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = first  zone = a }\n"
		"  }\n"
		"}\n");
	assert_clean(fx);
	assert_string_equal(fx->c.env->region->name, "eu-west-1");
	assert_cidr(net_at(fx, 0)->cidr, "10.1.0.0/16");
	assert_cidr(subnet_at(net_at(fx, 0), 0)->cidr, "10.1.4.0/22");
}

static void test_security_groups_model(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group app {\n"
		"      description = \"the app\"\n"
		"      ingress { port = 443  group = lb }\n"
		"      egress { protocol = all  cidr = 10.0.0.0/16 }\n"
		"      ingress { from_port = 8000  to_port = 8080  self = true }\n"
		"    }\n"
		"    security_group lb {\n"
		"      egress { protocol = udp  port = 53  prefix_list = s3 }\n"
		"    }\n"));
	assert_clean(fx);
	const struct m_network *net = net_at(fx, 0);
	assert_int_equal(net->sgs.n, 2);
	const struct m_sg *app = net->sgs.items[0], *lb = net->sgs.items[1];
	assert_string_equal(app->description, "the app");
	assert_null(lb->description);
	assert_int_equal(app->rules.n, 3);

	const struct m_rule *r = app->rules.items[0];
	assert_false(r->egress);
	assert_string_equal(r->protocol, "tcp");
	assert_int_equal(r->from_port, 443);
	assert_int_equal(r->to_port, 443);
	assert_int_equal(r->peer, PEER_GROUP);
	assert_ptr_equal(r->group, lb);

	r = app->rules.items[1];
	assert_true(r->egress);
	assert_string_equal(r->protocol, "-1");
	assert_int_equal(r->from_port, -1);
	assert_int_equal(r->peer, PEER_CIDR);
	assert_cidr(r->cidr, "10.0.0.0/16");

	r = app->rules.items[2];
	assert_int_equal(r->from_port, 8000);
	assert_int_equal(r->to_port, 8080);
	assert_int_equal(r->peer, PEER_SELF);
	assert_ptr_equal(r->group, app);

	r = lb->rules.items[0];
	assert_string_equal(r->protocol, "udp");
	assert_int_equal(r->peer, PEER_PREFIX_LIST);
	assert_ptr_equal(r->prefix_list, ep_find("s3"));
}

/* Two networks, each with its own scope: the same subnet names are fine. */
static void test_two_networks(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  network one {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"  network two {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = public\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = b }\n"
		"  }\n"));
	assert_clean(fx);
	assert_int_equal(fx->c.env->networks.n, 2);
	assert_string_equal(net_at(fx, 0)->name, "one");
	assert_string_equal(net_at(fx, 1)->name, "two");
	assert_int_equal(net_at(fx, 1)->isolation, ISO_PUBLIC);
	assert_int_equal(subnet_at(net_at(fx, 1), 0)->zone, 'b');
}

/* ---- the pipeline ------------------------------------------------------- */

static void test_invalid_utf8_refused(void **state)
{
	struct fixture *fx = check(state, "x = 1\n# caf\xE9\n");
	const struct diag *d = only_diag(fx, DIAG_E0001, 2, 6);
	assert_string_equal(d->label, "byte 0xE9");
	assert_false(fx->ok);
	assert_null(fx->c.env);
}

/* A syntax error stops the pipeline before names are resolved. */
static void test_syntax_error_stops_pipeline(void **state)
{
	struct fixture *fx = check(state, "x = = 1\ny = unknown_name\n");
	only_diag(fx, DIAG_E0107, 1, 5);
	assert_false(fx->ok);
}

/* ---- names -------------------------------------------------------------- */

static void test_duplicate_subnet(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet a { cidr = 10.0.2.0/24  zone = b }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0202, 7, 12);
	assert_string_equal(d->msg, "`a` is declared twice");
	assert_int_equal(d->nsecondary, 1);
	assert_int_equal(pos_of(fx, d->secondary[0].span).line, 6);
	assert_string_equal(d->secondary[0].text, "first declared here as a subnet");
	assert_false(fx->ok);
}

/* Subnets and security groups share the network's scope. */
static void test_duplicate_across_kinds(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet web { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {}\n"));
	const struct diag *d = only_diag(fx, DIAG_E0202, 7, 20);
	assert_string_equal(d->secondary[0].text, "first declared here as a subnet");
}

/* Top-level definitions and the environment share the global scope. */
static void test_duplicate_definition_and_environment(void **state)
{
	struct fixture *fx = check(state,
		"e = [s3]\n"
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  bucket b {}\n"
		"}\n");
	const struct diag *d = only_diag(fx, DIAG_E0202, 2, 13);
	assert_string_equal(d->secondary[0].text, "first declared here as a definition");
}

static void test_unknown_name_suggests(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {\n"
		"      ingress { port = 443  group = wbe }\n"
		"    }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0201, 8, 37);
	assert_string_equal(d->msg, "unknown name `wbe`");
	assert_help(d, "did you mean `web`?");
}

static void test_unknown_member_suggests(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = std.endpoints.notebok\n"));
	/* Line numbers are one more than NET's: the import comes first. */
	const struct diag *d = only_diag(fx, DIAG_E0201, 8, 31);
	assert_string_equal(d->msg, "unknown name `std.endpoints.notebok`");
	assert_help(d, "did you mean `std.endpoints.notebook`?");
}

static void test_unknown_name_no_suggestion(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = completely_different\n"));
	const struct diag *d = only_diag(fx, DIAG_E0201, 7, 17);
	assert_null(d->help);
}

/* Another module imported, not this one: say which import is missing. */
static void test_module_not_imported(void **state)
{
	struct fixture *fx = check(state,
		"import std.lifecycle\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = std.endpoints.notebook\n"));
	const struct diag *d = only_diag(fx, DIAG_E0213, 8, 21);
	assert_string_equal(d->msg, "module `std.endpoints` is not imported");
	assert_help(d, "add `import std.endpoints` at the top of the file");
}

/* With no import at all, the same mistake deserves the same help. */
static void test_module_not_imported_no_imports(void **state)
{
	/*
	 * Was a bug (fixed): the `std` namespace only exists once some module is imported
	 * (std_namespace() in resolve.c is only called from import_module),
	 * so in a file with no import the lookup fails on `std` itself:
	 * E0201 "unknown name `std`" with no help, instead of E0213 and
	 * "add `import std.endpoints`". Create the namespace in
	 * resolve_init, or treat a leading `std` specially in unknown_first.
	 */
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = std.endpoints.notebook\n"));
	const struct diag *d = only_diag(fx, DIAG_E0213, 7, 21);
	assert_help(d, "add `import std.endpoints` at the top of the file");
}

/* Redeclaring `std` should point at the import that declared it. */
static void test_std_redeclared_points_at_import(void **state)
{
	/*
	 * Was a bug (fixed): std_namespace() in resolve.c never sets the namespace symbol's
	 * span, so the "first declared here as a namespace" label points at
	 * byte 0 of the file (here the comment on line 1), not at the import.
	 */
	struct fixture *fx = check(state,
		"# header\n"
		"import std.endpoints\n"
		"std = [s3]\n"
		ENV("  bucket b {}\n"));
	const struct diag *d = only_diag(fx, DIAG_E0202, 3, 1);
	assert_int_equal(d->nsecondary, 1);
	assert_int_equal(pos_of(fx, d->secondary[0].span).line, 2);
}

static void test_unknown_module(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpont\n"
		"import foo.bar\n"
		ENV("  bucket b {}\n"));
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0203, 1, 12);
	assert_string_equal(d->msg, "no standard library module `std.endpont`");
	assert_help(d, "did you mean `std.endpoints`?");
	d = find_diag(fx, DIAG_E0203, 2, 8);
	assert_string_equal(d->msg, "cannot import `foo.bar`");
}

/* Importing twice is harmless and declares nothing twice. */
static void test_import_twice(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		"import std.endpoints\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = std.endpoints.ecr\n"));
	assert_clean(fx);
	assert_int_equal(net_at(fx, 0)->ninterface, 2);
}

static void test_self_referencing_set(void **state)
{
	struct fixture *fx = check(state,
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = loop\n")
		"loop = loop + [s3]\n");
	const struct diag *d = only_diag(fx, DIAG_E0214, 10, 8);
	assert_string_equal(d->msg, "`loop` is defined in terms of itself");
}

static void test_mutually_referencing_sets(void **state)
{
	struct fixture *fx = check(state,
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = one\n")
		"one = two + [s3]\n"
		"two = [logs] + one\n");
	only_diag(fx, DIAG_E0214, 11, 16);
}

static void test_definition_value_loop(void **state)
{
	struct fixture *fx = check(state,
		"r1 = r2\n"
		"r2 = r1\n"
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network vpc {\n"
		"    cidr = r1\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"}\n");
	assert_int_equal(count_code(fx, DIAG_E0214), 1);
	assert_false(fx->ok);
}

/* Was reported as a loop (E0214) beyond 64 definitions. */
static void test_definition_value_chain(void **state)
{
	const char *text = "";
	for (int i = 0; i < 65; i++)
		text = arena_printf(fx_arena(state), "%sr%d = r%d\n", text, i, i + 1);
	struct fixture *fx = check(state, arena_printf(fx_arena(state),
		"%sr65 = 10.0.0.0/16\n"
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network vpc {\n"
		"    cidr = r0\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"}\n", text));
	assert_clean(fx);
	assert_cidr(net_at(fx, 0)->cidr, "10.0.0.0/16");
}

/* A chain that runs into a loop: the loop is named, once, however often it is used. */
static void test_definition_loop_behind_chain(void **state)
{
	struct fixture *fx = check(state,
		"x = a\n"
		"a = b\n"
		"b = a\n"
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network vpc {\n"
		"    cidr = x\n"
		"    isolation = isolated\n"
		"    subnet s { cidr = a  zone = a }\n"
		"  }\n"
		"}\n");
	const struct diag *d = only_diag(fx, DIAG_E0214, 7, 12);
	assert_string_equal(d->msg, "`a` is defined in terms of itself");
	assert_int_equal(d->nsecondary, 1);
	assert_string_equal(d->secondary[0].text, "`b` is part of the loop");
	assert_int_equal(pos_of(fx, d->secondary[0].span).line, 3);
}

/*
 * Each definition is evaluated once: an unknown service in a set that three
 * networks use is one diagnostic, not three (the same error was reported at
 * every use before, and deduplicated only when printed).
 */
static void test_definition_evaluated_once(void **state)
{
	struct fixture *fx = check(state,
		"extra = [logz] + base\n"
		"base = [s3] + [sts, sts]\n"
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network one {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = extra + base\n"
		"  }\n"
		"  network two {\n"
		"    cidr = 10.1.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.1.1.0/24  zone = a }\n"
		"    endpoints = extra\n"
		"  }\n"
		"}\n");
	assert_int_equal(count_code(fx, DIAG_E0403), 1);
	assert_int_equal(count_code(fx, DIAG_W0405), 1);
	find_diag(fx, DIAG_E0403, 1, 10);
	find_diag(fx, DIAG_W0405, 2, 21);
}

/* A definition's services point at the use, whichever use evaluated it first. */
static void test_definition_services_point_at_use(void **state)
{
	struct fixture *fx = check(state,
		"base = [s3, logs]\n"
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network one {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = base\n"
		"  }\n"
		"  network two {\n"
		"    cidr = 10.1.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.1.1.0/24  zone = a }\n"
		"    endpoints = [sts] + base\n"
		"  }\n"
		"}\n");
	assert_true(fx->ok);
	size_t logs = ep_index(ep_find("logs"));
	assert_int_equal(pos_of(fx, net_at(fx, 0)->endpoint_span[logs]).line, 8);
	assert_int_equal(pos_of(fx, net_at(fx, 0)->endpoint_span[logs]).col, 17);
	assert_int_equal(pos_of(fx, net_at(fx, 1)->endpoint_span[logs]).line, 14);
	assert_int_equal(pos_of(fx, net_at(fx, 1)->endpoint_span[logs]).col, 25);
}

/* ---- CIDR blocks -------------------------------------------------------- */

static void test_subnet_outside_vpc(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet b { cidr = 10.1.0.0/24  zone = b }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0305, 7, 23);
	assert_string_equal(d->msg, "subnet `b` is outside network `vpc`");
	assert_string_equal(d->label, "`10.1.0.0/24` is not inside `10.0.0.0/16`");
	assert_int_equal(pos_of(fx, d->secondary[0].span).line, 4);
	/* The suggestion skips the block subnet `a` already uses. */
	assert_help(d, "pick a free range inside `10.0.0.0/16`, e.g. `10.0.0.0/24`");
}

/* The error goes on the subnet declared later, not the one with the higher address. */
static void test_subnets_overlap_later_declared(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet small { cidr = 10.0.8.0/24  zone = a }\n"
		"    subnet big   { cidr = 10.0.0.0/20  zone = b }\n"
		"    subnet other { cidr = 10.0.16.0/24  zone = a }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0306, 7, 27);
	assert_string_equal(d->msg, "subnets `small` and `big` overlap");
	assert_string_equal(d->label, "`10.0.0.0/20` overlaps `10.0.8.0/24`");
	assert_int_equal(pos_of(fx, d->secondary[0].span).line, 6);
	assert_help(d, "give `big` a free range, e.g. `10.0.32.0/20`");
}

static void test_subnets_identical(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet b { cidr = 10.0.2.0/24  zone = a }\n"
		"    subnet c { cidr = 10.0.1.0/24  zone = b }\n"));
	only_diag(fx, DIAG_E0306, 8, 23);
}

/* Adjacent blocks do not overlap. */
static void test_subnets_adjacent(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.0.0/25    zone = a }\n"
		"    subnet b { cidr = 10.0.0.128/25  zone = a }\n"
		"    subnet c { cidr = 10.0.255.240/28 zone = b }\n"));
	assert_clean(fx);
}

static void test_host_bits(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.16.1/24  zone = a }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0302, 6, 23);
	assert_string_equal(d->msg, "CIDR block `10.0.16.1/24` has host bits set");
	assert_string_equal(d->label,
			    "the /24 block containing this address starts at `10.0.16.0/24`");
	assert_help(d, "write `10.0.16.0/24`");
}

static void test_vpc_host_bits(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  network vpc {\n"
		"    cidr = 10.0.0.0/8\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"  network two {\n"
		"    cidr = 10.1.2.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.1.1.0/24  zone = a }\n"
		"  }\n"));
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0303, 4, 12);
	assert_string_equal(d->msg, "a VPC prefix of /8 is not accepted by AWS");
	assert_help(d, "use a prefix from /16 to /28, e.g. `10.0.0.0/16`");
	d = find_diag(fx, DIAG_E0302, 9, 12);
	assert_help(d, "write `10.1.0.0/16`");
}

static void test_prefix_limits(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  network vpc {\n"
		"    cidr = 10.0.0.0/29\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.0.0/28  zone = a }\n"
		"  }\n"
		"  network two {\n"
		"    cidr = 10.1.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.1.0.0/29  zone = a }\n"
		"    subnet b { cidr = 10.0.0.0/15  zone = a }\n"
		"    subnet c { cidr = 10.1.1.0/28  zone = a }\n"
		"    subnet d { cidr = 10.1.0.0/16  zone = b }\n"
		"  }\n"));
	const struct diag *d = find_diag(fx, DIAG_E0303, 4, 12);
	assert_string_equal(d->label, "smaller than /28");
	d = find_diag(fx, DIAG_E0304, 11, 23);
	assert_string_equal(d->msg, "a subnet prefix of /29 is not accepted by AWS");
	assert_help(d, "use a prefix from /16 to /28, e.g. `10.1.0.0/28`");
	d = find_diag(fx, DIAG_E0304, 12, 23);
	assert_string_equal(d->label, "larger than /16");
	/* /28 and /16 are both accepted; `d` only overlaps `c`. */
	assert_int_equal(count_code(fx, DIAG_E0303), 1);
	assert_int_equal(count_code(fx, DIAG_E0304), 2);
	assert_int_equal(count_code(fx, DIAG_E0306), 1);
	assert_int_equal(ndiags(fx), 4);
}

static void test_malformed_cidr(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.300.0/24  zone = a }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0301, 6, 28);
	assert_string_equal(d->label, "octet is larger than 255");
}

static void test_public_address_space_warns(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  network vpc {\n"
		"    cidr = 8.8.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 8.8.1.0/24  zone = a }\n"
		"  }\n"));
	only_diag(fx, DIAG_W0310, 4, 12);
	assert_true(fx->ok);
	assert_non_null(fx->c.env);
}

/* ---- zones and regions -------------------------------------------------- */

static void test_zone_not_in_region_warns(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = g }\n"));
	const struct diag *d = only_diag(fx, DIAG_W0307, 6, 43);
	assert_int_equal(d->level, DIAG_WARNING);
	assert_string_equal(d->msg, "zone `us-east-1g` does not exist in us-east-1");
	assert_help(d, "use one of `a`, `b`, `c`, `d`, `e`, `f`");
	/* A warning does not stop the compile. */
	assert_true(fx->ok);
	assert_int_equal(subnet_at(net_at(fx, 0), 0)->zone, 'g');
}

static void test_zone_not_a_letter(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = \"a\" }\n"
		"    subnet b { cidr = 10.0.2.0/24  zone = ab }\n"));
	assert_int_equal(ndiags(fx), 2);
	find_diag(fx, DIAG_E0210, 6, 43);
	find_diag(fx, DIAG_E0210, 7, 43);
}

static void test_unknown_region(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-wset-2\"\n"
		"  bucket b {}\n"
		"}\n");
	const struct diag *d = only_diag(fx, DIAG_E0309, 2, 12);
	assert_string_equal(d->msg, "unknown AWS Region `us-wset-2`");
	assert_help(d, "did you mean `us-west-2`?");
}

static void test_unknown_region_no_suggestion(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = mars\n"
		"  bucket b {}\n"
		"}\n");
	const struct diag *d = only_diag(fx, DIAG_E0309, 2, 12);
	assert_help(d, "write a Region code such as `\"us-east-1\"`");
}

/* ---- network structure -------------------------------------------------- */

static void test_public_subnet_in_isolated(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a  public = true }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0401, 6, 46);
	assert_string_equal(d->msg, "subnet `a` is public in isolated network `vpc`");
}

static void test_isolated_public_false_is_fine(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a  public = false }\n"));
	assert_clean(fx);
}

static void test_restricted_without_public(void **state)
{
	struct fixture *fx = check(state, NET("restricted",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0402, 3, 11);
	assert_string_equal(d->msg,
			    "restricted network `vpc` has no public subnet for its NAT gateway");
}

static void test_public_without_public_subnet(void **state)
{
	struct fixture *fx = check(state, NET("public",
		"    subnet a { cidr = 10.0.1.0/24  zone = a  public = false }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0408, 3, 11);
	assert_string_equal(d->msg, "public network `vpc` has no public subnet");
}

static void test_no_subnets(void **state)
{
	struct fixture *fx = check(state, NET("isolated", ""));
	const struct diag *d = only_diag(fx, DIAG_E0407, 3, 11);
	assert_string_equal(d->msg, "network `vpc` has no subnets");
}

/* ---- endpoints and capacity --------------------------------------------- */

static void test_unknown_endpoint_service(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = [s3, sagemaker.apii, \"qqqqqq\"]\n"));
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0403, 7, 22);
	assert_string_equal(d->msg, "unknown endpoint service `sagemaker.apii`");
	assert_help(d, "did you mean `sagemaker.api`?");
	d = find_diag(fx, DIAG_E0403, 7, 38);
	assert_null(d->help);
	assert_int_equal(d->nnotes, 1);
}

static void test_endpoint_listed_twice_warns(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = [s3, logs, s3]\n"));
	const struct diag *d = only_diag(fx, DIAG_W0405, 7, 28);
	assert_string_equal(d->msg, "`s3` is listed twice");
	assert_int_equal(pos_of(fx, d->secondary[0].span).col, 18);
	assert_true(fx->ok);
	assert_int_equal(net_at(fx, 0)->ngateway, 1);
}

static void test_endpoint_wrong_types(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    endpoints = [s3, 42] + \"logs\"\n"));
	assert_int_equal(ndiags(fx), 2);
	find_diag(fx, DIAG_E0209, 7, 22);
	find_diag(fx, DIAG_E0209, 7, 28);
}

/* A service named where a set is expected gets a hint to bracket it. */
static void test_endpoint_bare_service(void **state)
{
	struct fixture *fx = check(state,
		"import std.endpoints\n"
		NET("isolated",
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		    "    endpoints = std.endpoints\n"));
	only_diag(fx, DIAG_E0212, 8, 17);
}

/* A /28 has 16 - 5 = 11 usable addresses: 11 interface endpoints fit, 12 do not. */
static void test_capacity_boundary(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.0.0/28  zone = a }\n"
		"    endpoints = [sagemaker.api, sagemaker.runtime, notebook, studio, sts, logs,\n"
		"                 monitoring, codeartifact.api, codeartifact.repositories,\n"
		"                 ecr.api, ecr.dkr, s3]\n"));
	assert_clean(fx);
	assert_int_equal(net_at(fx, 0)->ninterface, 11);
}

static void test_capacity_exceeded(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.0.0/28  zone = a }\n"
		"    subnet b { cidr = 10.0.1.0/24  zone = b }\n"
		"    endpoints = [sagemaker.api, sagemaker.runtime, notebook, studio, sts, logs,\n"
		"                 monitoring, codeartifact.api, codeartifact.repositories,\n"
		"                 ecr.api, ecr.dkr, secretsmanager]\n"));
	const struct diag *d = only_diag(fx, DIAG_E0308, 6, 23);
	assert_string_equal(d->msg, "subnet `a` has 11 usable addresses but needs 12");
	assert_help(d, "use a /27 or larger range");
}

/* A NAT gateway takes an address too. */
static void test_capacity_counts_nat(void **state)
{
	struct fixture *fx = check(state, NET("restricted",
		"    subnet nat_a { cidr = 10.0.0.0/28  zone = a  public = true }\n"
		"    endpoints = [sagemaker.api, sagemaker.runtime, notebook, studio, sts, logs,\n"
		"                 monitoring, codeartifact.api, codeartifact.repositories,\n"
		"                 ecr.api, ecr.dkr]\n"));
	const struct diag *d = only_diag(fx, DIAG_E0308, 6, 27);
	assert_string_equal(d->msg, "subnet `nat_a` has 11 usable addresses but needs 12");
	assert_non_null(strstr(d->notes[0], "and the NAT gateway"));
}

/* ---- blocks and attributes ---------------------------------------------- */

static void test_unknown_attribute_suggests(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a  pubic = true }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0205, 6, 46);
	assert_string_equal(d->msg, "`subnet` blocks have no attribute `pubic`");
	assert_help(d, "did you mean `public`?");
}

static void test_unknown_attribute_lists_choices(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a  nat = true }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0205, 6, 46);
	assert_null(d->help);
	assert_int_equal(d->nnotes, 1);
	assert_string_equal(d->notes[0], "`subnet` takes `cidr`, `zone`, `public`");
}

static void test_missing_attribute(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24 }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0206, 6, 12);
	assert_string_equal(d->msg, "subnet `a` is missing `zone`");
}

static void test_missing_region(void **state)
{
	struct fixture *fx = check(state, "environment e {\n  bucket b {}\n}\n");
	const struct diag *d = only_diag(fx, DIAG_E0206, 1, 13);
	assert_string_equal(d->msg, "environment `e` is missing `region`");
}

static void test_attribute_set_twice(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a {\n"
		"      cidr = 10.0.1.0/24\n"
		"      zone = a\n"
		"      cidr = 10.0.2.0/24\n"
		"    }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0207, 9, 7);
	assert_string_equal(d->msg, "`cidr` is set twice");
	assert_int_equal(pos_of(fx, d->secondary[0].span).line, 7);
	/* The first value is the one kept. */
	assert_false(fx->ok);
}

static void test_block_misplaced(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  subnet a { cidr = 10.0.1.0/24  zone = a }\n")
		"network top {\n"
		"}\n");
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0208, 3, 3);
	assert_string_equal(d->msg, "`subnet` blocks cannot appear inside `environment`");
	d = find_diag(fx, DIAG_E0208, 5, 1);
	assert_string_equal(d->msg, "`network` blocks cannot appear at the top level");
}

static void test_unknown_block_kind(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnett a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet b { cidr = 10.0.2.0/24  zone = a }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0204, 6, 5);
	assert_string_equal(d->msg, "unknown block kind `subnett`");
	assert_help(d, "did you mean `subnet`?");
}

static void test_unknown_top_level_kind(void **state)
{
	struct fixture *fx = check(state, "enviroment e {\n  region = \"us-east-1\"\n}\n");
	const struct diag *d = find_diag(fx, DIAG_E0204, 1, 1);
	assert_help(d, "did you mean `environment`?");
	/* And since that was the only block, there is no environment. */
	find_diag(fx, DIAG_E0211, 1, 1);
}

static void test_block_name_required_or_refused(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  network {\n"
		"    cidr = 10.0.0.0/16\n"
		"  }\n"
		"  network vpc {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {\n"
		"      ingress http { port = 80  cidr = 10.0.0.0/16 }\n"
		"    }\n"
		"  }\n"));
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0215, 3, 3);
	assert_string_equal(d->msg, "`network` blocks need a name");
	d = find_diag(fx, DIAG_E0215, 11, 15);
	assert_string_equal(d->msg, "`ingress` blocks take no name");
}

static void test_statement_not_allowed(void **state)
{
	struct fixture *fx = check(state,
		"param top: string\n"
		NET("isolated",
		    "    import std.endpoints\n"
		    "    param inner: int\n"
		    "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"));
	assert_int_equal(ndiags(fx), 3);
	const struct diag *d = find_diag(fx, DIAG_E0216, 1, 1);
	assert_string_equal(d->msg, "parameters belong to the environment");
	d = find_diag(fx, DIAG_E0216, 7, 5);
	assert_string_equal(d->msg, "imports must be at the top level");
	find_diag(fx, DIAG_E0216, 8, 5);
}

static void test_no_environment(void **state)
{
	struct fixture *fx = check(state, "x = 1\n");
	const struct diag *d = only_diag(fx, DIAG_E0211, 1, 1);
	assert_string_equal(d->msg, "no `environment` block in this file");
}

static void test_two_environments(void **state)
{
	struct fixture *fx = check(state,
		"environment a {\n  region = \"us-east-1\"\n  bucket b {}\n}\n"
		"environment b {\n  region = \"us-east-1\"\n}\n");
	const struct diag *d = only_diag(fx, DIAG_E0211, 5, 13);
	assert_string_equal(d->msg, "a file declares one environment");
}

/* ---- value types -------------------------------------------------------- */

static void test_type_errors(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  description = 5\n"
		"  network vpc {\n"
		"    cidr = \"10.0.0.0/16\"\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a  public = 1 }\n"
		"  }\n"
		"}\n");
	const struct diag *d = find_diag(fx, DIAG_E0209, 3, 17);
	assert_string_equal(d->msg, "`description` expects a string, found an integer");
	d = find_diag(fx, DIAG_E0209, 5, 12);
	assert_string_equal(d->msg,
			    "`cidr` expects a CIDR block such as `10.0.0.0/16`, found a string");
	assert_help(d, "remove the quotes: `10.0.0.0/16`");
	d = find_diag(fx, DIAG_E0209, 7, 55);
	assert_string_equal(d->msg, "`public` expects `true` or `false`, found an integer");
	assert_int_equal(ndiags(fx), 3);
}

static void test_word_errors(void **state)
{
	struct fixture *fx = check(state, ENV(
		"  network vpc {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isloated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"  network two {\n"
		"    cidr = 10.1.0.0/16\n"
		"    isolation = \"isolated\"\n"
		"    subnet a { cidr = 10.1.1.0/24  zone = a }\n"
		"  }\n"));
	const struct diag *d = find_diag(fx, DIAG_E0210, 5, 17);
	assert_help(d, "did you mean `isolated`?");
	d = find_diag(fx, DIAG_E0209, 10, 17);
	assert_string_equal(d->msg, "`isolation` expects one of its words, found string");
	assert_int_equal(ndiags(fx), 2);
}

static void test_parameter_where_value_needed(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  param range: string\n"
		"  network vpc {\n"
		"    cidr = param.range\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"}\n");
	const struct diag *d = only_diag(fx, DIAG_E0209, 5, 12);
	assert_non_null(strstr(d->msg, "`param.range` is a deploy-time parameter"));
}

static void test_reference_to_wrong_kind(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    subnet b { cidr = a  zone = b }\n"
		"    security_group web {\n"
		"      ingress { port = 22  group = a }\n"
		"    }\n"));
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0212, 7, 23);
	assert_string_equal(d->msg, "`a` is a subnet, not a value");
	d = find_diag(fx, DIAG_E0212, 9, 36);
	assert_string_equal(d->msg, "`a` is not a security group of network `vpc`");
}

static void test_tag_errors(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  tags = { Name: \"x\", \"aws:thing\": \"y\", Ok: \"z\", Num: 3 }\n"
		"  bucket b {}\n"
		"}\n");
	assert_int_equal(ndiags(fx), 3);
	find_diag(fx, DIAG_E0210, 3, 12);
	find_diag(fx, DIAG_E0210, 3, 23);
	find_diag(fx, DIAG_E0209, 3, 55);
}

/* AWS refuses a Tags list with the same key twice ("Duplicate tag keys found"). */
static void test_duplicate_tag_key(void **state)
{
	/*
	 * Was a bug (fixed): check_tags() in check.c never compares keys, so
	 * `{ Team: "a", Team: "b" }` is accepted and every resource gets two
	 * `Team` tags, which CloudFormation rejects at deploy time.
	 */
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  tags = { Team: \"a\", Team: \"b\" }\n"
		"  bucket b {}\n"
		"}\n");
	assert_int_equal(ndiags(fx), 1);
	assert_false(fx->ok);
	assert_int_equal(pos_of(fx, fx->c.diags.head->span).line, 3);
	assert_int_equal(pos_of(fx, fx->c.diags.head->span).col, 23);
}

static void test_unknown_param_type(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  param count: integer\n"
		"  param name: strng\n"
		"  bucket b {}\n"
		"}\n");
	assert_int_equal(ndiags(fx), 2);
	find_diag(fx, DIAG_E0210, 3, 16);
	const struct diag *d = find_diag(fx, DIAG_E0210, 4, 15);
	assert_help(d, "did you mean `string`?");
}

/* ---- security group rules ----------------------------------------------- */

static void test_port_out_of_range(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {\n"
		"      ingress { port = 70000  cidr = 10.0.0.0/16 }\n"
		"      ingress { port = 65535  cidr = 10.0.0.0/16 }\n"
		"    }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0406, 8, 24);
	assert_string_equal(d->msg, "port 70000 is out of range");
}

static void test_port_range_empty(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {\n"
		"      ingress { from_port = 100  to_port = 10  cidr = 10.0.0.0/16 }\n"
		"      ingress { from_port = 10  to_port = 10  cidr = 10.0.0.0/16 }\n"
		"    }\n"));
	const struct diag *d = only_diag(fx, DIAG_E0406, 8, 44);
	assert_string_equal(d->msg, "port range 100-10 is empty");
}

static void test_ports_with_all_or_icmp(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {\n"
		"      ingress { protocol = icmp  port = 8  cidr = 10.0.0.0/16 }\n"
		"      egress { protocol = all  to_port = 1  cidr = 10.0.0.0/16 }\n"
		"      ingress { port = 1  from_port = 1  to_port = 2  cidr = 10.0.0.0/16 }\n"
		"    }\n"));
	assert_int_equal(ndiags(fx), 3);
	const struct diag *d = find_diag(fx, DIAG_E0406, 8, 34);
	assert_string_equal(d->msg, "protocol `icmp` takes no ports");
	d = find_diag(fx, DIAG_E0406, 9, 32);
	assert_string_equal(d->msg, "protocol `all` takes no ports");
	find_diag(fx, DIAG_E0406, 10, 27);
}

static void test_rule_needs_port_and_one_peer(void **state)
{
	struct fixture *fx = check(state, NET("isolated",
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"    security_group web {\n"
		"      ingress { cidr = 10.0.0.0/16 }\n"
		"      ingress { port = 1 }\n"
		"      ingress { port = 1  cidr = 10.0.0.0/16  self = true }\n"
		"      ingress { port = 1  prefix_list = s3 }\n"
		"    }\n"));
	assert_int_equal(ndiags(fx), 4);
	find_diag(fx, DIAG_E0206, 8, 7);   /* no port */
	find_diag(fx, DIAG_E0206, 9, 7);   /* no peer */
	find_diag(fx, DIAG_E0210, 10, 47); /* two peers */
	find_diag(fx, DIAG_E0210, 11, 27); /* prefix list on ingress */
}

/* AWS counts tag lengths in Unicode characters: `é` (two bytes) is one. */
static void test_tag_lengths_in_characters(void **state)
{
	struct arena *a = fx_arena(state);
	const char *k128 = "", *v256 = "";
	for (int i = 0; i < 128; i++)
		k128 = arena_printf(a, "%s\xC3\xA9", k128);          /* é: 2 bytes */
	for (int i = 0; i < 256; i++)
		v256 = arena_printf(a, "%s\xE6\x97\xA5", v256);      /* 日: 3 bytes */
	struct fixture *fx = check(state, arena_printf(a,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  tags = { \"%s\": \"x\", Team: \"%s\" }\n"
		"  bucket b {}\n"
		"}\n", k128, v256));
	assert_clean(fx);
	assert_int_equal(fx->c.env->ntags, 2);
}

static void test_tag_lengths_over_the_limit(void **state)
{
	struct arena *a = fx_arena(state);
	const char *k129 = "", *v257 = "";
	for (int i = 0; i < 129; i++)
		k129 = arena_printf(a, "%s\xC3\xA9", k129);
	for (int i = 0; i < 257; i++)
		v257 = arena_printf(a, "%s\xE6\x97\xA5", v257);
	struct fixture *fx = check(state, arena_printf(a,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  tags = {\n"
		"    \"%s\": \"x\",\n"
		"    Team: \"%s\",\n"
		"  }\n"
		"  bucket b {}\n"
		"}\n", k129, v257));
	assert_int_equal(ndiags(fx), 2);
	const struct diag *d = find_diag(fx, DIAG_E0210, 4, 5);
	assert_string_equal(d->label, "129 characters; keys are 1 to 128");
	d = find_diag(fx, DIAG_E0210, 5, 5);
	assert_string_equal(d->label, "a value of 257 characters; values are at most 256");
}

/* A byte order mark is skipped before the source map: columns count from the next character. */
static void test_bom_columns(void **state)
{
	struct fixture *fx = check(state,
		"\xEF\xBB\xBF" "environment e { @\n"
		"  region = \"us-east-1\"\n"
		"}\n");
	only_diag(fx, DIAG_E0103, 1, 17);
}

/*
 * The free range a help line offers is the lowest free block of the
 * subnet's size, the same as cidr_first_free finds by rescanning: checked
 * on random layouts of up to 12 subnets in and around a /20.
 */
static void test_free_range_matches_cidr_first_free(void **state)
{
	unsigned seed = 12345;
	size_t offered = 0, none = 0;
	for (int trial = 0; trial < 300; trial++) {
		struct arena *a = fx_arena(state); /* a new one each trial */
		struct cidr used[12];
		int n = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 12;
		const char *body = "";
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			uint8_t prefix = (uint8_t)(18 + (seed >> 16) % 11);   /* /18 to /28 */
			seed = seed * 1103515245 + 12345;
			uint32_t addr = (10u << 24) | (((seed >> 8) & 0x3FFF) << 0);
			used[i] = cidr_aligned((struct cidr){ addr, prefix });
			char buf[CIDR_STR_MAX];
			cidr_format(used[i], buf);
			body = arena_printf(a, "%s    subnet s%d { cidr = %s  zone = a }\n", body, i, buf);
		}
		struct fixture *fx = check(state, arena_printf(a,
			"environment e {\n  region = \"us-east-1\"\n  network vpc {\n"
			"    cidr = 10.0.16.0/20\n    isolation = isolated\n%s  }\n}\n", body));
		struct cidr net = { (10u << 24) | (16u << 8), 20 };
		for (const struct diag *d = fx->c.diags.head; d; d = d->next) {
			if (d->code != DIAG_E0305 && d->code != DIAG_E0306)
				continue;
			const struct src_file *f = src_get(&fx->c.src, d->span.file);
			struct cidr c, want;
			size_t off;
			assert_int_equal(cidr_parse(f->text + d->span.lo, d->span.hi - d->span.lo,
						    &c, &off), CIDR_OK);
			bool free = cidr_first_free(net, c.prefix, used, (size_t)n, &want);
			char buf[CIDR_STR_MAX];
			cidr_format(want, buf);
			const char *tick = arena_printf(a, "`%s`", buf);
			if (free ? !d->help || !strstr(d->help, tick)
				 : d->help && strstr(d->help, "e.g."))
				fail_msg("trial %d: %s for /%u: want %s, help \"%s\"\n%s", trial,
					 diag_code_name(d->code), c.prefix, free ? tick : "none",
					 d->help ? d->help : "(none)", body);
			*(free ? &offered : &none) += 1;
		}
		compile_free(&fx->c);
		compile_init(&fx->c);
	}
	/* Both cases were seen often (300 and 1340 with this seed). */
	assert_true(offered > 100 && none > 100);
}

/* ---- bounds: inputs that used to blow up --------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/*
 * Generous bounds: each input below compiles in well under a second and
 * 100 MB. They are a guard, not a timing assertion: what they catch is a
 * regression to exponential or quadratic work, which runs for minutes or
 * takes gigabytes, and would otherwise hang the suite or swap the machine.
 * ASan reserves terabytes of address space, so it gets no memory cap.
 */
enum { BOUND_BYTES = 512 << 20, BOUND_SECONDS = 30 };

typedef bool (*verify_fn)(struct fixture *fx);

/*
 * Compile `text` in a child process under the bounds and check the result
 * there with `verify`; the test fails if the child crashes, hits a bound or
 * `verify` says no. (cmocka's asserts must not run in the child.)
 */
static void compile_bounded(char *text, verify_fn verify)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
#ifndef UNDER_ASAN
		struct rlimit cap = { BOUND_BYTES, BOUND_BYTES };
		setrlimit(RLIMIT_AS, &cap);
#endif
		alarm(BOUND_SECONDS);
		struct fixture fx;
		compile_init(&fx.c);
		fx.ok = compile_text(&fx.c, "t.sgl", text, strlen(text), COMPILE_CHECK);
		bool good = verify(&fx);
		if (!good) {
			size_t n, dropped;
			const struct diag **all = diag_sorted(&fx.c.diags, 5, &n, &dropped);
			fprintf(stderr, "verify failed; ok=%d, %zu diagnostics, first:\n", fx.ok,
				n + dropped);
			for (size_t i = 0; i < n; i++)
				fprintf(stderr, "  %s %s\n", diag_code_name(all[i]->code), all[i]->msg);
		}
		compile_free(&fx.c);
		_exit(good ? 0 : 3);
	}
	free(text);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("the compile was killed by signal %d (%s)%s", WTERMSIG(status),
			 strsignal(WTERMSIG(status)),
			 WTERMSIG(status) == SIGALRM ? ": over the time guard" : "");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the compile exited with %d (3: wrong result, other: a bound was hit)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* printf into a growing malloc'd buffer. */
struct gen {
	char *buf;
	size_t len;
	FILE *f;
};

static void gen_open(struct gen *g)
{
	g->f = open_memstream(&g->buf, &g->len);
	assert_non_null(g->f);
}

static char *gen_close(struct gen *g)
{
	assert_int_equal(fclose(g->f), 0);
	return g->buf;
}

/* An environment with network `vpc` (cidr given) and its `body`. */
static void gen_env(struct gen *g, const char *cidr, const char *body)
{
	fprintf(g->f, "environment e {\n  region = \"us-east-1\"\n  network vpc {\n"
		      "    cidr = %s\n    isolation = isolated\n%s  }\n}\n", cidr, body);
}

static bool has_only_logs(struct fixture *fx)
{
	if (!fx->ok || ndiags(fx) != 0 || fx->c.env->networks.n != 1)
		return false;
	const struct m_network *net = fx->c.env->networks.items[0];
	for (size_t i = 0; i < ep_count; i++)
		if (net->has_endpoint[i] != (i == ep_index(ep_find("logs"))))
			return false;
	return true;
}

/* 26 lines `d0 = d1 + d1` ... `d26 = [logs]`: 2^26 evaluations, 13 GB before. */
static void test_bound_doubling_definitions(void **state)
{
	(void)state;
	struct gen g;
	gen_open(&g);
	for (int i = 0; i < 26; i++)
		fprintf(g.f, "d%d = d%d + d%d\n", i, i + 1, i + 1);
	fprintf(g.f, "d26 = [logs]\n");
	gen_env(&g, "10.0.0.0/16", "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
				 "    endpoints = d0\n");
	compile_bounded(gen_close(&g), has_only_logs);
}

/* `d0 = d1`, ..., `d100000 = [logs]`: overflowed the C stack before. */
static void test_bound_endpoint_chain(void **state)
{
	(void)state;
	struct gen g;
	gen_open(&g);
	for (int i = 0; i < 100000; i++)
		fprintf(g.f, "d%d = d%d\n", i, i + 1);
	fprintf(g.f, "d100000 = [logs]\n");
	gen_env(&g, "10.0.0.0/16", "    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
				 "    endpoints = d0\n");
	compile_bounded(gen_close(&g), has_only_logs);
}

static bool vpc_is_10_16(struct fixture *fx)
{
	if (!fx->ok || ndiags(fx) != 0)
		return false;
	char buf[CIDR_STR_MAX];
	cidr_format(((const struct m_network *)fx->c.env->networks.items[0])->cidr, buf);
	return strcmp(buf, "10.0.0.0/16") == 0;
}

/* `c0 = c1`, ..., `c100000 = 10.0.0.0/16`, used 20 times: linear, no E0214. */
static void test_bound_value_chain(void **state)
{
	(void)state;
	struct gen g;
	gen_open(&g);
	for (int i = 0; i < 100000; i++)
		fprintf(g.f, "c%d = c%d\n", i, i + 1);
	fprintf(g.f, "c100000 = 10.0.0.0/16\n");
	fprintf(g.f, "environment e {\n  region = \"us-east-1\"\n");
	for (int i = 0; i < 20; i++)
		fprintf(g.f, "  network n%d {\n    cidr = c%d\n    isolation = isolated\n"
			     "    subnet a { cidr = 10.0.1.0/24  zone = a }\n  }\n", i, i);
	fprintf(g.f, "}\n");
	char *text = gen_close(&g);
	/* Every network has the one value; only the first is looked at. */
	compile_bounded(text, vpc_is_10_16);
}

enum { OVERLAPPING = 16384 };

/* 64 subnets on each /24 of the /16: every one after the first of its /24 overlaps. */
static bool overlaps_reported(struct fixture *fx)
{
	if (fx->ok || count_code(fx, DIAG_E0306) != OVERLAPPING - 256 ||
	    ndiags(fx) != OVERLAPPING - 256)
		return false;
	for (const struct diag *d = fx->c.diags.head; d; d = d->next)
		if (d->nsecondary != 1 || d->help) /* the /16 is full: no free range to offer */
			return false;
	return true;
}

/* An n-sized array per overlap and an O(n) search per candidate: 2 GB before. */
static void test_bound_overlapping_subnets(void **state)
{
	(void)state;
	struct gen g;
	gen_open(&g);
	struct gen body;
	gen_open(&body);
	for (int i = 0; i < OVERLAPPING; i++)
		fprintf(body.f, "    subnet s%d { cidr = 10.0.%d.0/24  zone = a }\n", i, i % 256);
	char *subnets = gen_close(&body);
	gen_env(&g, "10.0.0.0/16", subnets);
	free(subnets);
	compile_bounded(gen_close(&g), overlaps_reported);
}

/* An entry whose value is wrong still counts as the first of its key. */
static void test_duplicate_tag_after_invalid_value(void **state)
{
	struct fixture *fx = check(state,
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  tags = { Team: 3, Team: \"b\" }\n"
		"  bucket b {}\n"
		"}\n");
	assert_int_equal(ndiags(fx), 2);
	find_diag(fx, DIAG_E0209, 3, 18);
	find_diag(fx, DIAG_E0207, 3, 21);
}

enum { MANY_TAGS = 100000 };

static bool one_too_many_tags(struct fixture *fx)
{
	return !fx->ok && ndiags(fx) == 1 && count_code(fx, DIAG_E0210) == 1;
}

/* Each key was compared with every earlier one: 50k tags took 26 s. */
static void test_bound_many_tags(void **state)
{
	(void)state;
	struct gen g;
	gen_open(&g);
	fprintf(g.f, "environment e {\n  region = \"us-east-1\"\n  tags = {\n");
	for (int i = 0; i < MANY_TAGS; i++)
		fprintf(g.f, "    key_%d: \"value\",\n", i);
	fprintf(g.f, "  }\n  bucket b {}\n}\n");
	compile_bounded(gen_close(&g), one_too_many_tags);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_model_isolated_network),
		T(test_model_stage_names),
		T(test_model_defaults),
		T(test_endpoint_placement_private_preferred),
		T(test_endpoint_placement_public_network),
		T(test_public_network_private_subnet),
		T(test_endpoint_set_difference),
		T(test_endpoint_set_all_minus_studio),
		T(test_endpoint_set_grouping_and_definitions),
		T(test_bare_region_and_definitions),
		T(test_security_groups_model),
		T(test_two_networks),
		T(test_invalid_utf8_refused),
		T(test_syntax_error_stops_pipeline),
		T(test_duplicate_subnet),
		T(test_duplicate_across_kinds),
		T(test_duplicate_definition_and_environment),
		T(test_unknown_name_suggests),
		T(test_unknown_member_suggests),
		T(test_unknown_name_no_suggestion),
		T(test_module_not_imported),
		T(test_module_not_imported_no_imports),
		T(test_std_redeclared_points_at_import),
		T(test_unknown_module),
		T(test_import_twice),
		T(test_self_referencing_set),
		T(test_mutually_referencing_sets),
		T(test_definition_value_loop),
		T(test_definition_value_chain),
		T(test_definition_loop_behind_chain),
		T(test_definition_evaluated_once),
		T(test_definition_services_point_at_use),
		T(test_subnet_outside_vpc),
		T(test_subnets_overlap_later_declared),
		T(test_subnets_identical),
		T(test_subnets_adjacent),
		T(test_host_bits),
		T(test_vpc_host_bits),
		T(test_prefix_limits),
		T(test_malformed_cidr),
		T(test_public_address_space_warns),
		T(test_zone_not_in_region_warns),
		T(test_zone_not_a_letter),
		T(test_unknown_region),
		T(test_unknown_region_no_suggestion),
		T(test_public_subnet_in_isolated),
		T(test_isolated_public_false_is_fine),
		T(test_restricted_without_public),
		T(test_public_without_public_subnet),
		T(test_no_subnets),
		T(test_unknown_endpoint_service),
		T(test_endpoint_listed_twice_warns),
		T(test_endpoint_wrong_types),
		T(test_endpoint_bare_service),
		T(test_capacity_boundary),
		T(test_capacity_exceeded),
		T(test_capacity_counts_nat),
		T(test_unknown_attribute_suggests),
		T(test_unknown_attribute_lists_choices),
		T(test_missing_attribute),
		T(test_missing_region),
		T(test_attribute_set_twice),
		T(test_block_misplaced),
		T(test_unknown_block_kind),
		T(test_unknown_top_level_kind),
		T(test_block_name_required_or_refused),
		T(test_statement_not_allowed),
		T(test_no_environment),
		T(test_two_environments),
		T(test_type_errors),
		T(test_word_errors),
		T(test_parameter_where_value_needed),
		T(test_reference_to_wrong_kind),
		T(test_tag_errors),
		T(test_duplicate_tag_key),
		T(test_unknown_param_type),
		T(test_port_out_of_range),
		T(test_port_range_empty),
		T(test_ports_with_all_or_icmp),
		T(test_rule_needs_port_and_one_peer),
		T(test_tag_lengths_in_characters),
		T(test_tag_lengths_over_the_limit),
		T(test_bom_columns),
		T(test_free_range_matches_cidr_first_free),
		T(test_bound_doubling_definitions),
		T(test_bound_endpoint_chain),
		T(test_bound_value_chain),
		T(test_bound_overlapping_subnets),
		T(test_duplicate_tag_after_invalid_value),
		T(test_bound_many_tags),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
