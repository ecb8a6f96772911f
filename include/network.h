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
  size_t stride; /* a random regular graph has no offsets (offset NULL): i's
                  * neighbours are adj[i stride .. (i + 1) stride) */
  /* A small world keeps its ring lattice implicit (half > 0): i's lattice
   * neighbours are i + j and i - j (mod n), j = 1 .. half, but for the
   * lattice edges rewired away, bit (u half + j - 1) of `moved` for the edge
   * u -- u + j; the other neighbours (the rewired edges' ends) are in a
   * small CSR, xadj[xoff[i] .. xoff[i + 1]).  offset and adj are unused. */
  size_t half;
  uint8_t *moved;
  uint32_t *xoff, *xadj;
  size_t xcap; /* capacity of xadj; xoff and xadj are made by each build, after
                * the rewiring's own scratch is freed, so both are not in the peak */
  /* The random regular and scale free builders' working arrays, kept from
   * one replication's build to the next: fresh ones cost the kernel's
   * zeroing of every page, each time (a tenth of a build). */
  void *work;
  size_t work_bytes;
} network;

/* Room for the graph a scenario asks for; NULL on mean field or no memory.
 * A small world is implicit when its rewired ends fit 32-bit offsets. */
network *network_alloc(const scenario *s);
/* The same with the small world's lattice stored in full (implicit = 0), as
 * before; for tests that compare the two. */
network *network_alloc_as(const scenario *s, int implicit);

/* Bytes of the graph's arrays once built (memory figures). */
double network_bytes(const network *g);

/* Node i's neighbours into out (room for its degree; network_degree), in
 * no particular order; returns how many. */
size_t network_degree(const network *g, size_t i);
size_t network_neighbours(const network *g, size_t i, uint32_t *out);

/* Where node i's neighbours start in adj (graphs stored in adj). */
static inline size_t network_first(const network *g, size_t i)
{
  return g->offset ? g->offset[i] : i * g->stride;
}

static inline int network_moved(const network *g, size_t u, size_t j)
{
  size_t b = u * g->half + j - 1;
  return (g->moved[b >> 3] >> (b & 7)) & 1;
}
void network_free(network *g);

/* Upper bound of the adjacency entries of the scenario's graph. */
size_t network_max_adj(const scenario *s);

/* Build the scenario's graph with draws from r.  Returns 0, or -1 when a
 * random regular graph could not be completed after many restarts or memory
 * ran out. */
int network_build(network *g, const scenario *s, gsl_rng *r);

#endif
