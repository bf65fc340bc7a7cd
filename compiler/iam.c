/*
 * iam.c - the IAM needs of one environment (see iam.h): the principals
 * each kind declares (iam_rows.h), instantiated into requests.
 *
 * Each capability is a list of rows; a row is one request, written with
 * placeholders ({domain}, {repo_arn}, ...) that the capability's instance
 * fills in: names from the model, resource attributes as Fn::Sub
 * references to the logical IDs lowering gave them (cfn_id_of), so the
 * requests name exactly the resources the template creates.
 */
#include "iam.h"

#include <string.h>

#include "kinds/kinds.h"

/* Sources: AWS documentation pages, each cited by the rows that need it. */
#define SMDG IAM_SMDG
#define SRC_SM_ROLES IAM_SRC_SM_ROLES
#define SRC_NB_LOGS SMDG "notebook-lifecycle-config.html"

#define ARN(service) IAM_ARN(service)


/* ---- the table ------------------------------------------------------------------ */

/* SageMaker writes lifecycle-script output to CloudWatch Logs as the role. */
static const struct iam_row logs_rows[] = {
	{ "logs:CreateLogGroup", ARN("logs") "log-group:{log_group}", NULL, IAM_BY_SERVICE, SRC_SM_ROLES },
	{ "logs:CreateLogStream", ARN("logs") "log-group:{log_group}:*", NULL,
	  IAM_BY_SERVICE, SRC_NB_LOGS },
	{ "logs:PutLogEvents", ARN("logs") "log-group:{log_group}:*", NULL,
	  IAM_BY_SERVICE, SRC_NB_LOGS },
	{ "logs:DescribeLogStreams", ARN("logs") "log-group:{log_group}:*", NULL,
	  IAM_BY_SERVICE, SRC_SM_ROLES },
};

/* ---- instantiation ------------------------------------------------------------ */

struct builder {
	struct arena *a;
	const struct m_env *env;
	const struct cfn_template *t;
	const struct src_map *src;
	struct iam_report *r;
};


static const char *expand(struct arena *a, const char *text, const struct iam_fills *f)
{
	struct strbuf b = { 0 };
	strbuf_puts(a, &b, "");
	for (const char *p = text; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		bool done = false;
		for (int i = 0; close && i < f->n; i++) {
			size_t n = strlen(f->key[i]);
			if ((size_t)(close - p - 1) == n && strncmp(p + 1, f->key[i], n) == 0) {
				strbuf_puts(a, &b, f->val[i]);
				p = close + 1;
				done = true;
				break;
			}
		}
		if (!done)
			strbuf_add(a, &b, p++, 1);
	}
	return b.s;
}

/* A string that names template values is a Fn::Sub; any other is plain. */
static struct cv *arn_value(struct arena *a, const char *text)
{
	return strstr(text, "${") ? cv_sub(a, text) : cv_str(a, text);
}

static struct cv *context_value(struct arena *a, const char *text, const struct iam_fills *f)
{
	if (!text)
		return NULL;
	struct cv *o = cv_obj(a);
	const char *all = expand(a, text, f);
	while (*all) {
		const char *end = strchr(all, ';');
		size_t n = end ? (size_t)(end - all) : strlen(all);
		const char *pair = arena_strndup(a, all, n);
		const char *eq = strchr(pair, '=');
		cv_set(a, o, arena_strndup(a, pair, (size_t)(eq - pair)), arn_value(a, eq + 1));
		all += n + (end ? 1 : 0);
	}
	return o;
}

static void add_rows(struct builder *b, struct ptrvec *into, const char *identity,
		     const char *capability, const struct iam_row *rows, size_t n,
		     const struct iam_fills *f, struct span span, const char *why)
{
	for (size_t i = 0; i < n; i++) {
		struct iam_request *q = arena_alloc(b->a, sizeof *q);
		q->identity = identity;
		q->capability = capability;
		q->action = rows[i].action;
		q->resource = arn_value(b->a, expand(b->a, rows[i].resource, f));
		q->context = context_value(b->a, rows[i].context, f);
		q->by = rows[i].by;
		q->source = rows[i].source;
		q->why = why;
		q->span = span;
		ptrvec_push(b->a, into, q);
	}
}

static void need(struct builder *b, const char *identity, const char *capability,
		 const struct iam_row *rows, size_t n, const struct iam_fills *f, struct span span)
{
	add_rows(b, &b->r->needs, identity, capability, rows, n, f, span, NULL);
}

static void refuse(struct builder *b, const char *identity, const char *capability,
		   const struct iam_row *rows, size_t n, const struct iam_fills *f, struct span span,
		   const char *why)
{
	add_rows(b, &b->r->refused, identity, capability, rows, n, f, span, why);
}

static struct iam_identity *identity(struct builder *b, const char *id, const char *kind,
				     const char *what)
{
	struct iam_identity *i = arena_alloc(b->a, sizeof *i);
	i->id = id;
	i->kind = kind;
	i->what = what;
	/* The role's own inline policy, and every policy attached to it. */
	bool role = strcmp(kind, "execution-role") == 0;
	ptrvec_push(b->a, &i->policies, (void *)id);
	for (size_t k = 0; role && k < b->t->resources.n; k++) {
		const struct cfn_resource *r = b->t->resources.items[k];
		const struct cv *roles = cv_get(r->props, "Roles");
		if (strcmp(r->type, "AWS::IAM::ManagedPolicy") != 0 || !roles)
			continue;
		for (size_t j = 0; j < roles->u.items.n; j++) {
			const struct cv *ref = cv_get(roles->u.items.items[j], "Ref");
			if (ref && ref->kind == CV_STR && strcmp(ref->u.s, id) == 0)
				ptrvec_push(b->a, &i->policies, (void *)r->id);
		}
	}
	ptrvec_push(b->a, &b->r->identities, i);
	return i;
}

static const char *where(struct builder *b, struct span s)
{
	const struct src_file *f = src_get(b->src, s.file);
	struct src_pos p = src_locate(f, s.lo);
	return arena_printf(b->a, "%s:%u", f->path, p.line);
}

/* The keys whose use the workload's grants imply, each once: the rows of using a key. */
static void key_needs(struct builder *b, const char *role, const struct m_kms *k,
		      struct ptrvec *seen, struct span at)
{
	if (!k)
		return;
	for (size_t i = 0; i < seen->n; i++)
		if (seen->items[i] == k)
			return;
	ptrvec_push(b->a, seen, (void *)k);
	const struct kind_use *use = kinds_of("kms_key")->use;
	struct iam_facts facts = { .a = b->a, .t = b->t };
	struct iam_fills f = { 0 };
	use->fills(&facts, k, &f);
	need(b, role, k->generated ? "a resource encrypted with the environment key"
			: arena_printf(b->a, "a resource encrypted with kms_key %s", k->name),
	     use->rows, use->nrows, &f, at);
}

/*
 * One use of an object of a kind: the rows its kind declares for using it
 * (and for pushing images, in a studio with docker), then those of the key
 * that encrypts it. Using a key is using the key alone.
 */
static void use_needs(struct builder *b, const char *role, const struct kind_use *use,
		      const struct m_use *u, bool push_images, struct ptrvec *keys)
{
	const struct m_kms *key = use->key ? use->key(u->obj) : NULL;
	if (key != u->obj) {
		struct iam_facts facts = { .a = b->a, .t = b->t };
		struct iam_fills f = { 0 };
		use->fills(&facts, u->obj, &f);
		const char *what = strcmp(u->what, "uses") == 0
			? arena_printf(b->a, "%s %s", u->what, u->kind) : u->what;
		need(b, role, what, use->rows, use->nrows, &f, u->span);
		if (push_images && use->npush_rows)
			need(b, role, arena_printf(b->a, "%s (docker: push)", what),
			     use->push_rows, use->npush_rows, &f, u->span);
	}
	key_needs(b, role, key, keys, u->span);
}

/* Every use the file declares, for the role that holds the grants. */
static void grant_needs(struct builder *b, const char *role, const struct m_grants *g,
			bool push_images)
{
	struct ptrvec keys = { 0 };
	for (size_t i = 0; i < g->uses.n; i++) {
		const struct m_use *u = g->uses.items[i];
		const struct kind *k = kinds_of(u->kind);
		if (k && k->use)
			use_needs(b, role, k->use, u, push_images, &keys);
	}
	for (size_t i = 0; i < g->allows.n; i++) {
		const struct m_allow *al = g->allows.items[i];
		for (size_t k = 0; k < al->actions.n; k++) {
			for (size_t j = 0; j < al->resources.n; j++) {
				struct iam_row r = { al->actions.items[k], al->resources.items[j], NULL,
						 IAM_BY_DECLARATION, where(b, al->span) };
				struct iam_fills none = { 0 };
				need(b, role, "allow", &r, 1, &none, al->span);
			}
		}
	}
}

static void logs_needs(struct builder *b, const char *role, const char *group, struct span at)
{
	struct iam_fills f = { 0 };
	iam_fill(&f, "log_group", group);
	need(b, role, "lifecycle script logs", IAM_ROWS(logs_rows), &f, at);
}

/*
 * One principal as its kind declared it: its log group's rows, those its
 * grants derive, then its own capabilities, needed or refused.
 */
static void principal_needs(struct builder *b, const struct iam_principal *p)
{
	struct iam_identity *id = identity(b, p->id, p->kind, p->what);
	id->scripts = p->scripts;
	id->managed = p->managed;
	if (p->log_group)
		logs_needs(b, p->id, p->log_group, p->log_span);
	if (p->grants)
		grant_needs(b, p->id, p->grants, p->push_images);
	for (size_t i = 0; i < p->caps.n; i++) {
		const struct iam_cap *c = p->caps.items[i];
		if (c->refused)
			refuse(b, p->id, c->capability, c->rows, c->nrows, &c->fills, c->span, c->refused);
		else
			need(b, p->id, c->capability, c->rows, c->nrows, &c->fills, c->span);
	}
}

struct iam_report *iam_report(struct arena *a, const struct m_env *env,
			      const struct cfn_template *t, const struct src_map *src)
{
	struct builder b = { a, env, t, src, arena_alloc(a, sizeof(struct iam_report)) };
	struct iam_facts facts = { .a = a, .t = t };
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->principals && i < objs->n; i++)
			kinds[k]->principals(&facts, objs->items[i]);
	}
	for (size_t i = 0; i < facts.principals.n; i++)
		principal_needs(&b, facts.principals.items[i]);
	return b.r;
}

/* ---- rendering ------------------------------------------------------------------ */

static struct cv *strings(struct arena *a, const struct ptrvec *v)
{
	struct cv *arr = cv_arr(a);
	for (size_t i = 0; i < v->n; i++)
		cv_push(a, arr, cv_str(a, v->items[i]));
	return arr;
}

static const char *by_name(enum iam_by by)
{
	static const char *const names[] = { "script", "service", "user", "declaration" };
	return names[by];
}

static struct cv *requests(struct arena *a, const struct ptrvec *v, const struct src_map *src)
{
	struct cv *arr = cv_arr(a);
	for (size_t i = 0; i < v->n; i++) {
		const struct iam_request *q = v->items[i];
		struct cv *o = cv_obj(a);
		cv_set(a, o, "identity", cv_str(a, q->identity));
		cv_set(a, o, "capability", cv_str(a, q->capability));
		const struct src_file *f = src_get(src, q->span.file);
		cv_set(a, o, "line", cv_int(a, src_locate(f, q->span.lo).line));
		cv_set(a, o, "action", cv_str(a, q->action));
		cv_set(a, o, "resource", q->resource);
		cv_set(a, o, "context", q->context ? q->context : cv_obj(a));
		cv_set(a, o, "by", cv_str(a, by_name(q->by)));
		cv_set(a, o, "source", cv_str(a, q->source));
		if (q->why)
			cv_set(a, o, "why", cv_str(a, q->why));
		cv_push(a, arr, o);
	}
	return arr;
}

struct cv *iam_report_value(struct arena *a, const struct iam_report *r,
			    const struct m_env *env, const struct src_map *src)
{
	struct cv *o = cv_obj(a);
	cv_set(a, o, "version", cv_int(a, 1));
	cv_set(a, o, "environment", cv_str(a, env->name));
	cv_set(a, o, "region", cv_str(a, env->region->name));
	struct cv *ids = cv_arr(a);
	for (size_t i = 0; i < r->identities.n; i++) {
		const struct iam_identity *id = r->identities.items[i];
		struct cv *x = cv_obj(a);
		cv_set(a, x, "id", cv_str(a, id->id));
		cv_set(a, x, "kind", cv_str(a, id->kind));
		cv_set(a, x, "of", cv_str(a, id->what));
		cv_set(a, x, "policies", strings(a, &id->policies));
		cv_set(a, x, "scripts", strings(a, &id->scripts));
		cv_set(a, x, "managed_policies", strings(a, &id->managed));
		cv_push(a, ids, x);
	}
	cv_set(a, o, "identities", ids);
	cv_set(a, o, "needs", requests(a, &r->needs, src));
	cv_set(a, o, "forbidden", requests(a, &r->refused, src));
	return o;
}
