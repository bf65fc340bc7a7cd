/*
 * paths.h - the path proof (paths.c): each service a workload without
 * internet requires is reached through its network hop by hop (security
 * group egress, route, endpoint group ingress, DNS). reach.c calls it for
 * each workload, and once per network for the network's own DNS facts.
 */
#ifndef SGC_PATHS_H
#define SGC_PATHS_H

#include "attrs.h"
#include "kinds/kind.h"

/* `required`: [ep_count], the services the workload's needs require. */
void ck_paths(struct checker *ck, const struct kind_workload *w, const bool *required);
void ck_paths_network(struct checker *ck, const struct m_network *net);
/* A firewalled network: every route from a workload subnet to the internet crosses its zone's endpoint. */
void ck_routes_network(struct checker *ck, const struct m_network *net);

#endif
