/*
 * graph.h - `sgc graph`: a checked environment as a Graphviz DOT picture.
 *
 * Networks, zones and subnets are nested clusters; endpoints, NAT and
 * internet gateways and firewall endpoints are nodes; workloads sit in
 * their subnets. Edges are the paths the checker proved (reach.c keeps
 * each workload's in env->reached): workload -> each endpoint it needs,
 * and its way out along the routes sgc emits (firewall endpoint -> NAT
 * gateway -> internet gateway -> internet). A workload with no way out
 * points at a dashed "no route to the internet" node of its network.
 *
 * Every identifier and label is a quoted DOT string escaped by
 * graph_quote: the input is hostile. Output is deterministic: declaration
 * order, endpoints in the services table's order.
 */
#ifndef SGC_GRAPH_H
#define SGC_GRAPH_H

#include <stddef.h>

#include "arena.h"
#include "model.h"

/* The DOT text of `env` (checked without errors), in `a`; its length in *len. */
const char *graph_dot(struct arena *a, const struct m_env *env, size_t *len);

/*
 * `s` as a DOT quoted string, quotes included: `"` and `\` escaped, line
 * breaks and other control characters as `\n` or a space, bytes that are
 * not UTF-8 as U+FFFD. Safe as an ID and as a label.
 */
const char *graph_quote(struct arena *a, const char *s);

#endif
