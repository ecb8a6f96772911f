/* network: the peer graph of a replication, in compressed sparse rows.
 * Built once per replication before the time loop; neighbours are all
 * developers, active or not.  Mean field needs no graph. */
#ifndef LOCKIN_NETWORK_H
#define LOCKIN_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "scenario.h"

typedef struct {
  size_t n;       /* nodes */
  size_t n_adj;   /* adjacency entries (twice the undirected edges) */
  size_t cap_adj; /* capacity of adj */
  size_t *offset; /* n + 1: neighbours of i are adj[offset[i] .. offset[i+1]) */
  uint32_t *adj;
} network;

/* Room for the graph a scenario asks for; NULL on mean field or no memory. */
network *network_alloc(const scenario *s);
void network_free(network *g);

/* Upper bound of the adjacency entries of the scenario's graph. */
size_t network_max_adj(const scenario *s);

/* Build the scenario's graph with draws from r.  Returns 0, or -1 when a
 * random regular graph could not be completed after many restarts or memory
 * ran out. */
int network_build(network *g, const scenario *s, gsl_rng *r);

#endif
