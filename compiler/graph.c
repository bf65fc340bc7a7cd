/*
 * graph.c - a checked environment as a Graphviz DOT picture (graph.h).
 *
 * Nodes and clusters are written as they are met, edges into a second
 * buffer written last at the top level (an edge inside a cluster would
 * pull a node first named there into it). Edges are deduplicated by a map
 * of "from\037to", so each is one line however many workloads share it.
 */
#include <string.h>

#include "graph.h"
#include "endpoints.h"
#include "kinds/kind.h"

struct g {
	struct arena *a;
	const struct m_env *env;
	struct strbuf out;   /* nodes and clusters */
	struct strbuf edges; /* written after them */
	struct strmap seen;  /* edges already written */
	bool internet;       /* an edge goes to the internet node */
	/* Indexes built once, so the drawing stays linear in the model: */
	struct strmap in_net;    /* "%p" of a network -> struct ptrvec * of its m_reach */
	struct strmap in_subnet; /* "%p" of a subnet -> struct ptrvec * of the m_reach in it alone */
	struct strmap exits;     /* "%p" of a route table -> its route to 0.0.0.0/0 */
};

/* ---- escaping ---------------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at `s`, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned min;
	unsigned cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, min = 0x80, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, min = 0x800, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

const char *graph_quote(struct arena *a, const char *s)
{
	struct strbuf b = { 0 };
	strbuf_add(a, &b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p == '"' || *p == '\\') {
			strbuf_add(a, &b, "\\", 1);
			strbuf_add(a, &b, (const char *)p++, 1);
		} else if (*p == '\n') {
			strbuf_add(a, &b, "\\n", 2);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			strbuf_add(a, &b, " ", 1);
			p++;
		} else if (*p < 0x80) {
			strbuf_add(a, &b, (const char *)p++, 1);
		} else {
			size_t n = utf8_len(p);
			strbuf_add(a, &b, n ? (const char *)p : "\xef\xbf\xbd", n ? n : 3);
			p += n ? n : 1;
		}
	}
	strbuf_add(a, &b, "\"", 1);
	return b.s;
}

/* ---- nodes and edges --------------------------------------------------------------- */

static const char *q(struct g *g, const char *s)
{
	return graph_quote(g->a, s);
}

static void node(struct g *g, int depth, const char *id, const char *label, const char *attrs)
{
	strbuf_printf(g->a, &g->out, "%*s%s [label=%s%s%s];\n", 2 * depth, "", q(g, id), q(g, label),
		      attrs ? ", " : "", attrs ? attrs : "");
}

static void edge(struct g *g, const char *from, const char *to, const char *attrs)
{
	const char *key = arena_printf(g->a, "%s\037%s", from, to);
	if (strmap_get(&g->seen, key))
		return;
	strmap_put(g->a, &g->seen, key, (void *)key);
	strbuf_printf(g->a, &g->edges, "  %s -> %s%s%s%s;\n", q(g, from), q(g, to), attrs ? " [" : "",
		      attrs ? attrs : "", attrs ? "]" : "");
}

static void cluster_open(struct g *g, int depth, const char *id, const char *label, const char *style)
{
	strbuf_printf(g->a, &g->out, "%*ssubgraph %s {\n%*slabel=%s;\n%*sstyle=%s;\n", 2 * depth, "",
		      q(g, arena_printf(g->a, "cluster_%s", id)), 2 * depth + 2, "", q(g, label),
		      2 * depth + 2, "", style);
}

static void cluster_close(struct g *g, int depth)
{
	strbuf_printf(g->a, &g->out, "%*s}\n", 2 * depth, "");
}

static const char *fmt_cidr(struct g *g, struct cidr c)
{
	char buf[CIDR_STR_MAX];
	cidr_format(c, buf);
	return arena_strdup(g->a, buf);
}

/* ---- ids ------------------------------------------------------------------------- */

static const char *subnet_id(struct g *g, const struct m_subnet *sn)
{
	return arena_printf(g->a, "subnet %s.%s", sn->net->name, sn->name);
}

static const char *nat_id(struct g *g, const struct m_subnet *sn)
{
	return arena_printf(g->a, "NAT gateway %s.%s", sn->net->name, sn->name);
}

static const char *igw_id(struct g *g, const struct m_network *net)
{
	return arena_printf(g->a, "internet gateway %s", net->name);
}

static const char *fw_id(struct g *g, const struct m_network *net, char zone)
{
	return arena_printf(g->a, "firewall endpoint %s.%c", net->name, zone);
}

static const char *no_way_id(struct g *g, const struct m_network *net)
{
	return arena_printf(g->a, "no way out of %s", net->name);
}

static const char *ep_id(struct g *g, const struct m_network *net, const struct m_endpoint *ep)
{
	return arena_printf(g->a, "endpoint %s.%s", net->name, ep->svc->name);
}

#define INTERNET "internet"

/* ---- routes ---------------------------------------------------------------------- */

/* A route table's key: its subnet, or for the public table (NULL) its network. */
static const char *table_key(struct g *g, const struct m_network *net, const struct m_subnet *table)
{
	return table ? arena_printf(g->a, "%p", (const void *)table)
		     : arena_printf(g->a, "public %p", (const void *)net);
}

static struct ptrvec *bucket(struct g *g, struct strmap *m, const void *key)
{
	const char *k = arena_printf(g->a, "%p", key);
	struct ptrvec *v = strmap_get(m, k);
	if (!v) {
		v = arena_calloc(g->a, 1, sizeof *v);
		strmap_put(g->a, m, k, v);
	}
	return v;
}

static void index_model(struct g *g)
{
	for (size_t i = 0; i < g->env->networks.n; i++) {
		const struct m_network *net = g->env->networks.items[i];
		for (size_t k = 0; k < net->routes.n; k++) {
			const struct m_route *r = net->routes.items[k];
			const char *key = table_key(g, net, r->table);
			if (r->dest.prefix == 0 && !strmap_get(&g->exits, key))
				strmap_put(g->a, &g->exits, key, (void *)r);
		}
	}
	for (size_t i = 0; i < g->env->reached.n; i++) {
		struct m_reach *r = g->env->reached.items[i];
		if (r->net)
			ptrvec_push(g->a, bucket(g, &g->in_net, r->net), r);
		if (r->net && r->subnets.n == 1)
			ptrvec_push(g->a, bucket(g, &g->in_subnet, r->subnets.items[0]), r);
	}
}

/* The route a subnet's table sends the internet (0.0.0.0/0) to, or NULL. */
static const struct m_route *way_out(struct g *g, const struct m_network *net, const struct m_subnet *sn)
{
	return strmap_get(&g->exits, table_key(g, net, sn && sn->public ? NULL : sn));
}

static const struct m_subnet *fw_subnet(const struct m_network *net, char zone)
{
	for (size_t i = 0; net->firewall && i < net->firewall->subnets.n; i++) {
		const struct m_subnet *s = net->firewall->subnets.items[i];
		if (s->zone == zone)
			return s;
	}
	return NULL;
}

static bool has_igw(const struct m_network *net)
{
	for (size_t i = 0; i < net->routes.n; i++)
		if (((const struct m_route *)net->routes.items[i])->hop == HOP_IGW)
			return true;
	return false;
}

/* Does a subnet that holds workloads have no way out? Then its network shows the dead end. */
static bool has_dead_end(struct g *g, const struct m_network *net)
{
	if (net->isolation == ISO_ISOLATED)
		return true;
	const struct ptrvec *ws = bucket(g, &g->in_net, net);
	for (size_t i = 0; i < ws->n; i++) {
		const struct m_reach *r = ws->items[i];
		for (size_t s = 0; s < r->subnets.n; s++)
			if (!way_out(g, net, r->subnets.items[s]))
				return true;
	}
	return false;
}

/*
 * The hops from `from` out of subnet `sn`: its route, then the route of
 * the hop's own subnet, until the internet gateway. `attrs` styles the
 * first edge (the workload's own); depth bounds a hostile model.
 */
static void follow(struct g *g, const struct m_network *net, const char *from,
		   const struct m_subnet *sn, const char *attrs, int depth)
{
	const struct m_route *r = way_out(g, net, sn);
	if (!r) {
		if (depth == 0)
			edge(g, from, no_way_id(g, net), "style=dashed, arrowhead=tee, color=gray40");
		return;
	}
	if (depth > 4)
		return;
	const char *hop_attrs = depth == 0 ? attrs : "color=darkorange";
	switch (r->hop) {
	case HOP_IGW:
		edge(g, from, igw_id(g, net), hop_attrs);
		edge(g, igw_id(g, net), INTERNET, "color=darkorange");
		g->internet = true;
		break;
	case HOP_NAT:
		edge(g, from, nat_id(g, r->via), hop_attrs);
		follow(g, net, nat_id(g, r->via), r->via, NULL, depth + 1);
		break;
	case HOP_FIREWALL:
		edge(g, from, fw_id(g, net, r->zone), hop_attrs);
		follow(g, net, fw_id(g, net, r->zone), fw_subnet(net, r->zone), NULL, depth + 1);
		break;
	}
}

/* ---- workloads ------------------------------------------------------------------- */

static const char *instance_text(struct g *g, const struct m_value *v)
{
	if (v->literal || !v->param)
		return v->literal ? v->literal : "";
	const struct m_param *p = v->param;
	const char *now = p->value ? p->value : p->dflt;
	return now ? arena_printf(g->a, "%s (param.%s)", now, p->name) : arena_printf(g->a, "param.%s", p->name);
}

static const char *workload_label(struct g *g, const struct m_reach *r)
{
	if (strcmp(r->kind, "notebook") == 0) {
		const struct m_notebook *nb = r->obj;
		return arena_printf(g->a, "notebook %s\n%s", nb->name, instance_text(g, &nb->instance));
	}
	if (strcmp(r->kind, "studio") == 0) {
		const struct m_studio *st = r->obj;
		struct strbuf b = { 0 };
		strbuf_printf(g->a, &b, "Studio domain %s\n%s", st->name,
			      st->vpc_only ? "VPC only" : "public internet only");
		for (size_t i = 0; i < st->spaces.n; i++) {
			const struct m_space *sp = st->spaces.items[i];
			strbuf_printf(g->a, &b, "\nspace %s (%s)", sp->name,
				      sp->app == APP_JUPYTERLAB ? "JupyterLab" : "Code Editor");
		}
		return b.s;
	}
	return r->what;
}

/* The workloads drawn inside subnet `sn`: those that live in it alone. */
static void subnet_workloads(struct g *g, int depth, const struct m_subnet *sn, bool *any)
{
	const struct ptrvec *ws = bucket(g, &g->in_subnet, sn);
	for (size_t i = 0; i < ws->n; i++) {
		const struct m_reach *r = ws->items[i];
		node(g, depth, r->what, workload_label(g, r), "style=\"rounded,filled\", fillcolor=lightyellow");
		*any = true;
	}
}

static void workload_edges(struct g *g, const struct m_reach *r)
{
	const struct m_network *net = r->net;
	/* A notebook in no subnet: SageMaker's own network, with internet unless turned off. */
	bool own = r->own_internet ||
		   (!net && strcmp(r->kind, "notebook") == 0 && ((const struct m_notebook *)r->obj)->direct_internet);
	if (own) {
		edge(g, r->what, INTERNET, "style=dashed, color=red, label=\"own way out\"");
		g->internet = true;
	}
	if (!net)
		return;
	for (size_t e = 0; r->required && e < net->endpoints.n; e++) {
		const struct m_endpoint *ep = net->endpoints.items[e];
		if (r->required[ep_index(ep->svc)])
			edge(g, r->what, ep_id(g, net, ep), "color=steelblue");
	}
	/* Behind a NAT gateway without a firewall, its groups may close the way (reach.c, nat_closed). */
	const char *attrs = r->no_internet && !net->firewall
		? "style=dashed, color=gray40, label=\"no HTTPS out: security groups\""
		: "color=darkorange";
	for (size_t s = 0; s < r->subnets.n; s++)
		follow(g, net, r->what, r->subnets.items[s], attrs, 0);
}

/* ---- networks ------------------------------------------------------------------ */

static const char *isolation_text(enum isolation iso)
{
	return iso == ISO_ISOLATED ? "isolated" : iso == ISO_RESTRICTED ? "restricted" : "public";
}

static void subnet(struct g *g, int depth, const struct m_subnet *sn)
{
	const char *label = arena_printf(g->a, "%s %s\n%s%s", sn->firewall ? "firewall subnet" : "subnet",
					 sn->name, fmt_cidr(g, sn->cidr), sn->public ? ", public" : "");
	cluster_open(g, depth, subnet_id(g, sn), label, sn->public ? "\"rounded,filled\"" : "rounded");
	if (sn->public)
		strbuf_printf(g->a, &g->out, "%*sfillcolor=aliceblue;\n", 2 * depth + 2, "");
	bool any = false;
	if (sn->hosts_nat) {
		node(g, depth + 1, nat_id(g, sn), "NAT gateway", "shape=hexagon");
		any = true;
	}
	if (sn->firewall) {
		const struct m_firewall *fw = sn->net->firewall;
		struct strbuf b = { 0 };
		strbuf_printf(g->a, &b, "firewall %s\nendpoint, zone %c\nallows:", fw->name, sn->zone);
		for (size_t i = 0; i < fw->domains.n; i++) {
			if (i == 6) {
				strbuf_printf(g->a, &b, "\n+%zu more", fw->domains.n - i);
				break;
			}
			strbuf_printf(g->a, &b, "\n%s", (const char *)fw->domains.items[i]);
		}
		node(g, depth + 1, fw_id(g, sn->net, sn->zone), b.s, "shape=octagon, color=firebrick");
		any = true;
	}
	subnet_workloads(g, depth + 1, sn, &any);
	if (!any) /* an empty cluster is not drawn */
		node(g, depth + 1, subnet_id(g, sn), "", "shape=point, style=invis");
	cluster_close(g, depth);
}

static void network(struct g *g, const struct m_network *net)
{
	const char *label = arena_printf(g->a, "network %s\n%s, %s", net->name, fmt_cidr(g, net->cidr),
					 isolation_text(net->isolation));
	cluster_open(g, 1, arena_printf(g->a, "network %s", net->name), label, "rounded");
	/* Zones in the Region's order, each with its subnets in declaration order. */
	const struct ptrvec *fws = net->firewall ? &net->firewall->subnets : NULL;
	for (const char *z = g->env->region->zones; *z; z++) {
		bool open = false;
		for (int pass = 0; pass < 2; pass++) {
			const struct ptrvec *v = pass == 0 ? &net->subnets : fws;
			for (size_t i = 0; v && i < v->n; i++) {
				const struct m_subnet *sn = v->items[i];
				if (sn->zone != *z)
					continue;
				if (!open)
					cluster_open(g, 2, arena_printf(g->a, "zone %s.%c", net->name, *z),
						     arena_printf(g->a, "zone %c", *z), "dashed");
				open = true;
				subnet(g, 3, sn);
			}
		}
		if (open)
			cluster_close(g, 2);
	}
	/* Workloads in several subnets (a Studio domain) sit in the network. */
	const struct ptrvec *ws = bucket(g, &g->in_net, net);
	for (size_t i = 0; i < ws->n; i++) {
		const struct m_reach *r = ws->items[i];
		if (r->subnets.n == 1)
			continue;
		struct strbuf b = { 0 };
		strbuf_puts(g->a, &b, workload_label(g, r));
		for (size_t s = 0; s < r->subnets.n; s++)
			strbuf_printf(g->a, &b, "%s%s", s ? ", " : "\nin ",
				      ((const struct m_subnet *)r->subnets.items[s])->name);
		node(g, 2, r->what, b.s, "style=\"rounded,filled\", fillcolor=lightyellow");
	}
	for (size_t e = 0; e < net->endpoints.n; e++) {
		const struct m_endpoint *ep = net->endpoints.items[e];
		bool gw = ep->svc->type == EP_GATEWAY;
		node(g, 2, ep_id(g, net, ep),
		     arena_printf(g->a, "%s endpoint\n%s", gw ? "gateway" : "interface", ep->svc->name),
		     gw ? "shape=cylinder, color=steelblue" : "shape=component, color=steelblue");
	}
	if (has_igw(net))
		node(g, 2, igw_id(g, net), "internet gateway", "shape=hexagon, color=darkorange");
	if (has_dead_end(g, net))
		node(g, 2, no_way_id(g, net), "no route to the internet",
		     "style=dashed, color=gray40, fontcolor=gray40");
	cluster_close(g, 1);
}

const char *graph_dot(struct arena *a, const struct m_env *env, size_t *len)
{
	struct g g = { .a = a, .env = env };
	index_model(&g);
	const char *title = env->description
		? arena_printf(a, "environment %s (%s)\n%s", env->name, env->region->name, env->description)
		: arena_printf(a, "environment %s (%s)", env->name, env->region->name);
	strbuf_printf(a, &g.out, "digraph %s {\n", q(&g, env->name));
	strbuf_printf(a, &g.out, "  graph [label=%s, labelloc=t, rankdir=LR, fontname=\"Helvetica\", "
		      "compound=true, newrank=true];\n", q(&g, title));
	strbuf_puts(a, &g.out, "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
			       "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	for (size_t i = 0; i < env->networks.n; i++)
		network(&g, env->networks.items[i]);
	for (size_t i = 0; i < env->reached.n; i++) {
		const struct m_reach *r = env->reached.items[i];
		if (!r->net)
			node(&g, 1, r->what, workload_label(&g, r), "style=\"rounded,filled\", fillcolor=lightyellow");
	}
	for (size_t i = 0; i < env->reached.n; i++)
		workload_edges(&g, env->reached.items[i]);
	if (g.internet)
		node(&g, 1, INTERNET, "internet", "shape=ellipse, color=darkorange");
	if (g.edges.s)
		strbuf_add(a, &g.out, g.edges.s, g.edges.n);
	strbuf_puts(a, &g.out, "}\n");
	*len = g.out.n;
	return g.out.s;
}
