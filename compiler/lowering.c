/*
 * lowering.c - the lowering context every resource kind lowers through
 * (see lowering.h).
 */
#include "lowering.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "prefix_lists.h"
#include "src.h"

const char *lower_pascal(struct arena *a, const char *name)
{
	size_t n = strlen(name);
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	bool upper = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c)) {
			upper = true;
			continue;
		}
		out[k++] = (char)(upper ? toupper(c) : c);
		upper = false;
	}
	out[k] = '\0';
	return out;
}

static bool id_taken(const struct lowerer *lw, const char *id)
{
	return strmap_get(&lw->ids, id) != NULL;
}

/*
 * Logical IDs must be unique; `a_b` and `aB` both give `AB`. The later
 * declaration gets a number, which keeps every earlier ID stable.
 */
const char *logical_id(struct lowerer *lw, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *base = arena_vprintf(lw->a, fmt, ap);
	va_end(ap);
	const char *id = base;
	for (int i = 2; id_taken(lw, id); i++)
		id = arena_printf(lw->a, "%s%d", base, i);
	strmap_put(lw->a, &lw->ids, id, (void *)id);
	return id;
}

/* ---- names, tags, outputs ---------------------------------------------------- */

const char *lw_pascal(struct lowerer *lw, const char *name)
{
	return lower_pascal(lw->a, name);
}

struct cv *lw_strs(struct lowerer *lw, const char *const *items, size_t n)
{
	struct cv *arr = cv_arr(lw->a);
	for (size_t i = 0; i < n; i++)
		cv_push(lw->a, arr, cv_str(lw->a, items[i]));
	return arr;
}

struct cv *lw_one(struct lowerer *lw, struct cv *v)
{
	struct cv *arr = cv_arr(lw->a);
	cv_push(lw->a, arr, v);
	return arr;
}

const char *lw_env_name(struct lowerer *lw, const char *name)
{
	return arena_printf(lw->a, "%s-%s", lw->env->stem, name);
}

struct cv *lw_tags(struct lowerer *lw, const char *name)
{
	struct arena *a = lw->a;
	struct cv *arr = cv_arr(a);
	struct cv *tag = cv_obj(a);
	cv_set(a, tag, "Key", cv_str(a, "Name"));
	cv_set(a, tag, "Value", cv_str(a, name));
	cv_push(a, arr, tag);
	for (size_t i = 0; i < lw->env->ntags; i++) {
		tag = cv_obj(a);
		cv_set(a, tag, "Key", cv_str(a, lw->env->tags[i].key));
		cv_set(a, tag, "Value", cv_str(a, lw->env->tags[i].value));
		cv_push(a, arr, tag);
	}
	return arr;
}

const char *lw_cidr(struct lowerer *lw, struct cidr c)
{
	char buf[CIDR_STR_MAX];
	cidr_format(c, buf);
	return arena_strdup(lw->a, buf);
}

void lw_output(struct lowerer *lw, const char *id, const char *desc,
	       struct cv *value)
{
	struct arena *a = lw->a;
	struct cv *o = cv_obj(a);
	cv_set(a, o, "Description", cv_str(a, desc));
	cv_set(a, o, "Value", value);
	struct cv *exp = cv_obj(a);
	cv_set(a, exp, "Name", cv_sub(a, arena_printf(a, "${AWS::StackName}-%s", id)));
	cv_set(a, o, "Export", exp);
	cv_set(a, lw->t->outputs, id, o);
}

/* ---- model objects -> logical IDs ---------------------------------------------- */

void lw_map_part(struct lowerer *lw, const void *obj, const char *part, const char *id)
{
	cfn_map(lw->t, obj, part, id);
}

void lw_map_id(struct lowerer *lw, const void *obj, const char *id)
{
	lw_map_part(lw, obj, "resource", id);
}

const char *lw_id_of(struct lowerer *lw, const void *obj)
{
	return cfn_id_of(lw->t, obj, "resource");
}

struct cv *lw_arn_of(struct lowerer *lw, const void *obj)
{
	return cv_getatt(lw->a, lw_id_of(lw, obj), "Arn");
}

void lw_add_net(struct lowerer *lw, struct netl *nl)
{
	strmap_put(lw->a, &lw->nets, arena_printf(lw->a, "%p", (const void *)nl->net), nl);
}

struct netl *lw_net(const struct lowerer *lw, const struct m_network *net)
{
	char key[32];
	snprintf(key, sizeof key, "%p", (const void *)net);
	return strmap_get(&lw->nets, key);
}

const char *lw_subnet_id(const struct lowerer *lw, const struct m_subnet *sn)
{
	return cfn_id_of(lw->t, sn, "resource");
}

/*
 * The ID a group was given, which may carry a number when its natural ID
 * was taken: rules must never be rebuilt from the name, or they would
 * attach to whichever resource holds the natural ID.
 */
const char *lw_sg_id(const struct lowerer *lw, const struct m_sg *sg)
{
	return cfn_id_of(lw->t, sg, "resource");
}

/* ---- security-group rules ------------------------------------------------------ */

struct cv *lw_rule(struct lowerer *lw, const char *proto, int from, int to,
		   const char *peer_key, struct cv *peer, const char *desc)
{
	struct arena *a = lw->a;
	struct cv *o = cv_obj(a);
	cv_set(a, o, "IpProtocol", cv_str(a, proto));
	if (from >= 0 || strcmp(proto, "icmp") == 0) {
		cv_set(a, o, "FromPort", cv_int(a, from));
		cv_set(a, o, "ToPort", cv_int(a, to));
	}
	cv_set(a, o, peer_key, peer);
	if (desc)
		cv_set(a, o, "Description", cv_str(a, desc));
	return o;
}

/*
 * A group without egress rules would get AWS's default allow-all egress;
 * one rule to the loopback range, which never leaves the host, replaces it.
 */
struct cv *lw_no_egress(struct lowerer *lw)
{
	struct cv *arr = cv_arr(lw->a);
	cv_push(lw->a, arr, lw_rule(lw, "-1", -1, -1, "CidrIp", cv_str(lw->a, "127.0.0.1/32"),
				 "no egress: replaces the default allow-all rule"));
	return arr;
}

/*
 * Gateway prefix-list IDs differ per Region and cannot be looked up in a
 * template. Where sgc carries the checked Region's ID (prefix_lists.h), the
 * Mapping `PrefixLists` holds it, keyed by Region (the DeployToCheckedRegion
 * rule makes other Regions' rows dead, so only this one is written), and
 * the parameter, empty by default, only overrides it; elsewhere the
 * parameter has no default and the deploy must pass it (W0540 said so).
 */
struct cv *lw_prefix_list(struct lowerer *lw, const struct ep_service *svc)
{
	struct arena *a = lw->a;
	const char *id = arena_printf(a, "%sPrefixListId", svc->logical);
	const char *known = prefix_list_id(lw->env->region, svc->name);
	const char *given = arena_printf(a, "%sGiven", id);
	if (!cv_get(lw->t->parameters, id)) {
		struct cv *p = cv_obj(a);
		cv_set(a, p, "Type", cv_str(a, "String"));
		if (known)
			cv_set(a, p, "Default", cv_str(a, ""));
		cv_set(a, p, "AllowedPattern",
		       cv_str(a, known ? "^(pl-[0-9a-f]{8,17})?$" : "^pl-[0-9a-f]{8,17}$"));
		cv_set(a, p, "Description", known
			? cv_strf(a, "Override of the ID of the AWS-managed prefix list "
				  "com.amazonaws.%s.%s (empty: %s, from sgc's table)",
				  lw->env->region->name, svc->name, known)
			: cv_strf(a, "ID of the AWS-managed prefix list com.amazonaws.%s.%s "
				  "(aws ec2 describe-managed-prefix-lists)",
				  lw->env->region->name, svc->name));
		cv_set(a, lw->t->parameters, id, p);
		if (known) {
			struct cv *row = cv_get(lw->t->mappings, "PrefixLists");
			if (!row) {
				row = cv_obj(a);
				cv_set(a, lw->t->mappings, "PrefixLists", row);
			}
			struct cv *ids = cv_get(row, lw->env->region->name);
			if (!ids) {
				ids = cv_obj(a);
				cv_set(a, row, lw->env->region->name, ids);
			}
			cv_set(a, ids, svc->logical, cv_str(a, known));
			struct cv *eq = cv_arr(a);
			cv_push(a, eq, cv_ref(a, id));
			cv_push(a, eq, cv_str(a, ""));
			struct cv *equals = cv_obj(a);
			cv_set(a, equals, "Fn::Equals", eq);
			struct cv *not_args = cv_arr(a);
			cv_push(a, not_args, equals);
			struct cv *not = cv_obj(a);
			cv_set(a, not, "Fn::Not", not_args);
			cv_set(a, lw->t->conditions, given, not);
		}
	}
	if (!known)
		return cv_ref(a, id);
	struct cv *find = cv_arr(a);
	cv_push(a, find, cv_str(a, "PrefixLists"));
	cv_push(a, find, cv_ref(a, "AWS::Region"));
	cv_push(a, find, cv_str(a, svc->logical));
	struct cv *fim = cv_obj(a);
	cv_set(a, fim, "Fn::FindInMap", find);
	struct cv *args = cv_arr(a);
	cv_push(a, args, cv_str(a, given));
	cv_push(a, args, cv_ref(a, id));
	cv_push(a, args, fim);
	struct cv *v = cv_obj(a);
	cv_set(a, v, "Fn::If", args);
	return v;
}

/* A rule's peer as an inline value; NULL (with its key) when it names a group. */
static struct cv *peer_value(struct lowerer *lw, const struct m_rule *r, const char **key)
{
	struct arena *a = lw->a;
	switch (r->peer) {
	case PEER_CIDR:
		*key = "CidrIp";
		return cv_str(a, lw_cidr(lw, r->cidr));
	case PEER_PREFIX_LIST:
		*key = r->egress ? "DestinationPrefixListId" : "SourcePrefixListId";
		return lw_prefix_list(lw, r->prefix_list);
	case PEER_NONE: /* the checker refused the file: never lowered */
	case PEER_GROUP:
	case PEER_SELF:
		break;
	}
	*key = r->egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId";
	return NULL;
}

/*
 * One model group, declared or generated, as the template holds it: the
 * proof judged these very rules. Egress is always explicit.
 */
void lw_security_group(struct lowerer *lw, const struct m_sg *sg, const char *id, const char *vpc,
		       struct cv *description, const char *tag_name)
{
	struct arena *a = lw->a;
	lw_map_id(lw, sg, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::SecurityGroup");
	cv_set(a, r->props, "GroupDescription", description);
	cv_set(a, r->props, "VpcId", cv_ref(a, vpc));
	struct cv *in = cv_arr(a), *out = cv_arr(a);
	for (size_t k = 0; k < sg->rules.n; k++) {
		const struct m_rule *ru = sg->rules.items[k];
		const char *key;
		struct cv *peer = peer_value(lw, ru, &key);
		if (peer)
			cv_push(a, ru->egress ? out : in,
				lw_rule(lw, ru->protocol, ru->from_port, ru->to_port, key, peer,
					ru->description));
	}
	if (in->u.items.n)
		cv_set(a, r->props, "SecurityGroupIngress", in);
	cv_set(a, r->props, "SecurityGroupEgress", out->u.items.n ? out : lw_no_egress(lw));
	cv_set(a, r->props, "Tags", lw_tags(lw, tag_name));
}

/*
 * Rules naming a group (or the group itself) become separate Ingress and
 * Egress resources: inline, two groups naming each other would form a
 * dependency cycle CloudFormation refuses. Their IDs are `stem` and a
 * number, or `stem` and the rule's own suffix (generated groups' rules).
 */
void lw_sg_peer_rules(struct lowerer *lw, const struct m_sg *sg, const char *stem)
{
	struct arena *a = lw->a;
	int nin = 0, nout = 0;
	for (size_t k = 0; k < sg->rules.n; k++) {
		const struct m_rule *ru = sg->rules.items[k];
		const char *key;
		if (peer_value(lw, ru, &key))
			continue;
		const char *rid = ru->logical ? logical_id(lw, "%s%s", stem, ru->logical)
				: ru->egress ? logical_id(lw, "%sEgress%d", stem, ++nout)
				: logical_id(lw, "%sIngress%d", stem, ++nin);
		struct cfn_resource *r = cfn_add(lw->t, rid, ru->egress
			? "AWS::EC2::SecurityGroupEgress" : "AWS::EC2::SecurityGroupIngress");
		cv_set(a, r->props, "GroupId", cv_getatt(a, lw_sg_id(lw, sg), "GroupId"));
		cv_set(a, r->props, "IpProtocol", cv_str(a, ru->protocol));
		if (ru->from_port >= 0 || strcmp(ru->protocol, "icmp") == 0) {
			cv_set(a, r->props, "FromPort", cv_int(a, ru->from_port));
			cv_set(a, r->props, "ToPort", cv_int(a, ru->to_port));
		}
		cv_set(a, r->props, key, cv_getatt(a, lw_sg_id(lw, ru->group), "GroupId"));
		if (ru->description)
			cv_set(a, r->props, "Description", cv_str(a, ru->description));
	}
}

/* ---- IAM policies ---------------------------------------------------------------- */

struct cv *lw_policy_doc(struct lowerer *lw, struct cv *statements)
{
	struct cv *doc = cv_obj(lw->a);
	cv_set(lw->a, doc, "Version", cv_str(lw->a, "2012-10-17"));
	cv_set(lw->a, doc, "Statement", statements);
	return doc;
}

struct cv *lw_statement(struct lowerer *lw, const char *sid, const char *effect,
			struct cv *actions, struct cv *resources)
{
	struct cv *st = cv_obj(lw->a);
	if (sid)
		cv_set(lw->a, st, "Sid", cv_str(lw->a, sid));
	cv_set(lw->a, st, "Effect", cv_str(lw->a, effect));
	cv_set(lw->a, st, "Action", actions);
	cv_set(lw->a, st, "Resource", resources);
	return st;
}

/* Adds `"Condition": {op: {key: value}}` to a statement, merging operators. */
struct cv *lw_when(struct lowerer *lw, struct cv *st, const char *op, const char *key,
		   struct cv *value)
{
	struct cv *c = cv_get(st, "Condition");
	if (!c) {
		c = cv_obj(lw->a);
		cv_set(lw->a, st, "Condition", c);
	}
	struct cv *inner = cv_get(c, op);
	if (!inner) {
		inner = cv_obj(lw->a);
		cv_set(lw->a, c, op, inner);
	}
	cv_set(lw->a, inner, key, value);
	return st;
}

/* ---- values and scripts ----------------------------------------------------------- */

/* Text a JSON string carries byte for byte: well-formed UTF-8, no NUL. */
static bool script_is_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (s[i] == '\0')
			return false;
		uint32_t k = src_utf8_length(s + i, n - i < 4 ? (uint32_t)(n - i) : 4);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

/*
 * `{"Fn::Base64": text}`: CloudFormation encodes the UTF-8 text, so the
 * deployed content is the same bytes as a blob, and a review sees the script.
 * A file() step may bring bytes a template string cannot hold (a NUL,
 * malformed UTF-8): that script stays a base64 blob, which sgc diff reads as
 * the same content.
 */
struct cv *lw_script(struct lowerer *lw, const struct m_script *s)
{
	cfn_add_file(lw->t, arena_printf(lw->a, "lifecycle/%s", s->file_name), s->text, s->len, true);
	if (!script_is_text(s->text, s->len))
		return cv_str(lw->a, cfn_base64(lw->a, s->text, s->len));
	struct cv *fn = cv_obj(lw->a);
	cv_set(lw->a, fn, "Fn::Base64", cv_str(lw->a, s->text));
	return fn;
}

struct cv *lw_value(struct lowerer *lw, const struct m_value *v)
{
	if (v->param)
		return cv_ref(lw->a, lower_pascal(lw->a, v->param->name));
	return cv_str(lw->a, v->literal);
}

/* ---- compliance-scanner suppressions (suppress.h) ------------------------------ */

/* `obj[key]`, created as an empty value of `kind` when absent. */
static struct cv *meta_member(struct arena *a, struct cv *obj, const char *key, enum cv_kind kind)
{
	struct cv *v = cv_get(obj, key);
	if (!v) {
		v = kind == CV_ARR ? cv_arr(a) : cv_obj(a);
		cv_set(a, obj, key, v);
	}
	return v;
}

static bool has_str(const struct cv *arr, const char *key, const char *s)
{
	for (size_t i = 0; i < arr->u.items.n; i++) {
		const struct cv *v = arr->u.items.items[i];
		const struct cv *x = key ? cv_get(v, key) : v;
		if (x && x->kind == CV_STR && strcmp(x->u.s, s) == 0)
			return true;
	}
	return false;
}

/* The row's reason; for a default turned off, with the line that does it. */
static const char *sup_reason(struct lowerer *lw, const struct sup_row *row, struct span at)
{
	if (!row->turned_off || !lw->src || at.file == UINT32_MAX)
		return row->reason;
	const struct src_file *f = src_get(lw->src, at.file);
	struct src_pos p = src_locate(f, at.lo);
	uint32_t len;
	const char *line = src_line(f, p.line, &len);
	/* The line as written, without its indentation or comment, if short. */
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	uint32_t end = 0;
	bool in_string = false;
	for (; end < len; end++) {
		if (line[end] == '"')
			in_string = !in_string;
		if (!in_string && line[end] == '#')
			break;
	}
	while (end && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
		end--;
	const char *where = lw->env->source ? lw->env->source : f->path;
	if (end == 0 || end > 100)
		return arena_printf(lw->a, "%s (%s:%u)", row->reason, where, p.line);
	return arena_printf(lw->a, "%s (%s:%u: `%.*s`)", row->reason, where, p.line, (int)end, line);
}

static void write_rule(struct lowerer *lw, struct cfn_resource *r, struct cfn_suppression *s,
		       const char *rule, const char *reason)
{
	struct arena *a = lw->a;
	if (!r->metadata)
		r->metadata = cv_obj(a);
	if (strncmp(rule, "CT.", 3) == 0) {
		struct cv *ids = meta_member(a, meta_member(a, r->metadata, "guard", CV_OBJ),
					     "SuppressedRules", CV_ARR);
		if (has_str(ids, NULL, rule))
			return;
		cv_push(a, ids, cv_str(a, rule));
	} else {
		struct cv *list = meta_member(a, meta_member(a, r->metadata, "cdk_nag", CV_OBJ),
					      "rules_to_suppress", CV_ARR);
		if (has_str(list, "id", rule))
			return;
		struct cv *e = cv_obj(a);
		cv_set(a, e, "id", cv_str(a, rule));
		cv_set(a, e, "reason", cv_str(a, reason));
		cv_push(a, list, e);
	}
	ptrvec_push(a, &s->rules, (void *)rule);
}

static struct cfn_suppression *new_suppression(struct lowerer *lw, struct cfn_resource *r,
					       enum sup_id id, struct span at)
{
	struct cfn_suppression *s = arena_alloc(lw->a, sizeof *s);
	s->resource = r->id;
	s->row = (int)id;
	s->at = at;
	return s;
}

void lw_suppress(struct lowerer *lw, struct cfn_resource *r, enum sup_id id, struct span at)
{
	const struct sup_row *row = sup_row(id);
	const char *reason = sup_reason(lw, row, at);
	struct cfn_suppression *s = new_suppression(lw, r, id, at);
	for (size_t i = 0; i < SUP_MAX_RULES && row->rules[i]; i++)
		write_rule(lw, r, s, row->rules[i], reason);
	if (s->rules.n)
		ptrvec_push(lw->a, &lw->t->suppressions, s);
}

/* A resource as cdk-nag prints it: a string as is, Fn::Sub with `${X}` as `<X>`; else NULL. */
static const char *nag_form(struct arena *a, const struct cv *v)
{
	if (v->kind == CV_STR)
		return v->u.s;
	const struct cv *sub = v->kind == CV_OBJ ? cv_get(v, "Fn::Sub") : NULL;
	if (!sub || sub->kind != CV_STR)
		return NULL;
	struct strbuf b = { 0 };
	for (const char *p = sub->u.s; *p; p++) {
		if (p[0] == '$' && p[1] == '{') {
			strbuf_puts(a, &b, "<");
			p++;
		} else if (p[0] == '}') {
			strbuf_puts(a, &b, ">");
		} else {
			strbuf_add(a, &b, p, 1);
		}
	}
	return b.s ? b.s : "";
}

void lw_suppress_wildcards(struct lowerer *lw, struct cfn_resource *r, const struct cv *doc,
			   struct span at)
{
	struct arena *a = lw->a;
	const struct cv *sts = cv_get(doc, "Statement");
	struct cfn_suppression *by_row[SUP_COUNT] = { 0 };
	for (size_t i = 0; sts && i < sts->u.items.n; i++) {
		const struct cv *st = sts->u.items.items[i];
		const struct cv *eff = cv_get(st, "Effect");
		if (!eff || strcmp(eff->u.s, "Allow") != 0)
			continue;
		const struct cv *acts = cv_get(st, "Action"), *res = cv_get(st, "Resource");
		if (!acts || !res)
			continue;
		const char *actions[16];
		size_t na = 0;
		if (acts->kind == CV_STR) {
			actions[na++] = acts->u.s;
		} else {
			for (size_t k = 0; k < acts->u.items.n && na < 16; k++)
				actions[na++] = ((const struct cv *)acts->u.items.items[k])->u.s;
		}
		size_t nres = res->kind == CV_ARR ? res->u.items.n : 1;
		for (size_t k = 0; k < nres; k++) {
			const struct cv *one = res->kind == CV_ARR ? res->u.items.items[k] : res;
			const char *form = nag_form(a, one);
			if (!form || !strchr(form, '*'))
				continue;
			const struct sup_row *row = sup_iam5_row(form, actions, na);
			if (!row)
				continue;
			enum sup_id id = (enum sup_id)(row - sup_table(&(size_t){ 0 }));
			if (!by_row[id])
				by_row[id] = new_suppression(lw, r, id, at);
			const char *rule = arena_printf(a, "AwsSolutions-IAM5[Resource::%s]", form);
			bool seen = false;
			for (size_t j = 0; j < by_row[id]->rules.n && !seen; j++)
				seen = strcmp(by_row[id]->rules.items[j], rule) == 0;
			if (!seen)
				ptrvec_push(a, &by_row[id]->rules, (void *)rule);
		}
	}
	/* Each covered finding by its own id (cdk-nag matches ids exactly); the others stay reported. */
	for (size_t i = 0; i < SUP_COUNT; i++) {
		if (!by_row[i])
			continue;
		const struct ptrvec *ids = &by_row[i]->rules;
		struct cfn_suppression scratch = { 0 };
		for (size_t j = 0; j < ids->n; j++)
			write_rule(lw, r, &scratch, ids->items[j], sup_row((enum sup_id)i)->reason);
		ptrvec_push(a, &lw->t->suppressions, by_row[i]);
	}
}
