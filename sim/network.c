/* network: random regular (pairing with rejection, Steger-Wormald style),
 * small world (Watts-Strogatz) and scale free (Barabasi-Albert) graphs.
 *
 * Invariants of a built graph: no self-loops, no multi-edges, undirected
 * (j in adj(i) iff i in adj(j)); random_regular gives every node exactly
 * `degree` neighbours. */
#include "network.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "bigmem.h"

#define RR_MAX_RESTARTS       200
#define RR_TRIES_BEFORE_CHECK 1000
#define RR_EXHAUSTIVE_MAX     4096 /* stubs left at which a dead end is checked */
#define WS_MAX_TRIES          1000 /* draws for a rewiring target before giving up */
#define RR_AHEAD              16   /* random regular: attempts peeked ahead */
#define RR_RING               (RR_AHEAD + 1)
#define SF_AHEAD              8 /* scale free: nodes whose draws are peeked ahead */
#define SF_RING               (SF_AHEAD + 1)
#define WS_AHEAD              8 /* small world: rewirings whose draws are peeked ahead */
#define EMPTY_KEY             0 /* edge_key of (0, 0): a self-loop, never stored */

/* A uniform index in [0, n) as the builders draw it: gsl_rng_uniform_int
 * for n up to 2^32 with mt19937 (la_index_at below); beyond that (N *
 * degree of a huge graph) 53 bits from two outputs, here. */
static size_t index53(unsigned long hi, unsigned long lo, size_t n)
{
  double u = ((double)hi * 2097152.0 + (double)(lo >> 11)) / 9007199254740992.0; /* 53 bits */
  size_t x = (size_t)(u * (double)n);
  return x < n ? x : n - 1;
}

/* The generator's outputs taken in order, with a look at those to come.
 * The builders read their arrays at random, and a read from memory costs
 * as much as a hundred draws: they peek at the next draws to fetch what
 * those will read.  What they take are the very numbers the builders drew
 * one at a time from the generator, in the same order (tested: the same
 * graphs); the generator itself runs up to LOOK outputs ahead, which is
 * harmless because it is reseeded before anything else draws from it. */
#define LOOK 1024 /* outputs held ahead (a power of two) */
typedef struct {
  gsl_rng *r;
  unsigned long min, range; /* the generator's */
  size_t head, filled;      /* outputs taken and drawn so far */
  unsigned long raw[LOOK];
} lookahead;

static void la_init(lookahead *la, gsl_rng *r)
{
  la->r = r;
  la->min = gsl_rng_min(r);
  la->range = gsl_rng_max(r) - la->min;
  la->head = la->filled = 0;
}

/* Output number pos (head <= pos < head + LOOK). */
static unsigned long la_raw(lookahead *la, size_t pos)
{
  while (la->filled <= pos)
    la->raw[la->filled++ % LOOK] = gsl_rng_get(la->r);
  return la->raw[pos % LOOK];
}

/* floor(a / b) for 0 < b and a below 2^32, by one double division: its
 * rounding (relative 2^-53) cannot carry the quotient across an integer,
 * since a quotient short of one is short by at least 1/b, relatively 1/a >
 * 2^-32.  The double divider is pipelined; the 64-bit integer one is not,
 * and the builders divide twice an attempt. */
static inline unsigned long div32(unsigned long a, unsigned long b)
{
  return (unsigned long)((double)a / (double)b);
}

/* A uniform index's draw in [0, n), from the outputs at *pos on:
 * gsl_rng_uniform_int's rule (gsl_rng.h: k = (x - min) / (range / n),
 * again while k >= n) or the 53-bit one; *pos moves past them.  Returns n
 * when the draw would reach past the outputs held (only a peek can). */
typedef struct {
  size_t n;
  unsigned long scale, limit; /* range / n, and scale n: x - min >= limit is drawn again */
} la_range;

static la_range la_range_of(const lookahead *la, size_t n)
{
  la_range q = {n, 0, 0};
  if (n <= 0xffffffffu) {
    q.scale = la->range <= 0xffffffffu ? div32(la->range, n) : la->range / n;
    q.limit = q.scale * n;
  }
  return q;
}

static inline size_t la_index_at(lookahead *la, size_t *pos, const la_range *q)
{
  if (q->scale) {
    unsigned long x;
    do {
      if (*pos >= la->head + LOOK)
        return q->n;
      x = la_raw(la, (*pos)++) - la->min;
    } while (x >= q->limit); /* the k >= n of gsl_rng_uniform_int */
    return (size_t)(la->range <= 0xffffffffu ? div32(x, q->scale) : x / q->scale);
  }
  if (*pos + 1 >= la->head + LOOK)
    return q->n;
  unsigned long hi = la_raw(la, *pos), lo = la_raw(la, *pos + 1);
  *pos += 2;
  return index53(hi, lo, q->n);
}

/* The next draw, taken. */
static size_t la_index(lookahead *la, const la_range *q)
{
  return la_index_at(la, &la->head, q);
}

size_t network_max_adj(const scenario *s)
{
  if (s->network == NET_MEAN_FIELD)
    return 0;
  return (size_t)s->developers * (size_t)s->degree;
}

/* Whether a small world of scenario s keeps its lattice implicit: its
 * rewired ends (at most every lattice edge's two) fit 32-bit offsets. */
static int implicit_small_world(const scenario *s)
{
  return s->network == NET_SMALL_WORLD && s->degree >= 2 &&
         (double)s->developers * (double)s->degree < 4294967295.0;
}

network *network_alloc_as(const scenario *s, int implicit)
{
  if (s->network == NET_MEAN_FIELD)
    return NULL;
  network *g = calloc(1, sizeof *g);
  if (!g)
    return NULL;
  g->n = (size_t)s->developers;
  int ok;
  if (implicit && implicit_small_world(s)) {
    g->half = (size_t)s->degree / 2;
    g->moved = malloc(g->n * g->half / 8 + 1);
    ok = g->moved != NULL; /* xoff and xadj are made by each build */
  } else {
    g->cap_adj = network_max_adj(s);
    if (s->network == NET_RANDOM_REGULAR) /* every node has degree neighbours */
      g->stride = (size_t)s->degree;
    else
      g->offset = big_alloc((g->n + 1) * sizeof *g->offset);
    g->adj = big_alloc((g->cap_adj ? g->cap_adj : 1) * sizeof *g->adj);
    ok = (g->stride || g->offset) && g->adj;
  }
  if (!ok) {
    network_free(g); /* exception in constructor, avoid memory leak */
    return NULL;
  }
  return g;
}

network *network_alloc(const scenario *s)
{
  return network_alloc_as(s, 1);
}

void network_free(network *g)
{
  if (!g)
    return;
  free(g->offset);
  free(g->adj);
  free(g->moved);
  free(g->xoff);
  free(g->xadj);
  free(g->work);
  free(g);
}

/* The builder's working array of at least `bytes`, kept for the next
 * build; NULL when there is no memory. */
static void *work_area(network *g, size_t bytes)
{
  if (g->work_bytes < bytes) {
    free(g->work);
    g->work = big_alloc(bytes);
    g->work_bytes = g->work ? bytes : 0;
  }
  return g->work;
}

double network_bytes(const network *g)
{
  if (!g)
    return 0;
  if (g->half)
    return (double)(g->n * g->half / 8 + 1) +
           (g->xoff ? (double)(g->n + 1) * sizeof *g->xoff + (double)g->xoff[g->n] * sizeof *g->xadj
                    : 0.0);
  return (g->offset ? (double)(g->n + 1) * sizeof *g->offset : 0.0) +
         (double)g->n_adj * sizeof *g->adj;
}

size_t network_degree(const network *g, size_t i)
{
  if (!g->half)
    return network_first(g, i + 1) - network_first(g, i);
  size_t d = g->xoff[i + 1] - g->xoff[i];
  for (size_t j = 1; j <= g->half; j++)
    d += (size_t)(!network_moved(g, i, j) + !network_moved(g, (i + g->n - j) % g->n, j));
  return d;
}

size_t network_neighbours(const network *g, size_t i, uint32_t *out)
{
  size_t k = 0;
  if (!g->half) {
    for (size_t x = network_first(g, i); x < network_first(g, i + 1); x++)
      out[k++] = g->adj[x];
    return k;
  }
  size_t n = g->n;
  for (size_t j = 1; j <= g->half; j++) {
    if (!network_moved(g, i, j))
      out[k++] = (uint32_t)((i + j) % n);
    size_t u = (i + n - j) % n;
    if (!network_moved(g, u, j))
      out[k++] = (uint32_t)u;
  }
  for (size_t x = g->xoff[i]; x < g->xoff[i + 1]; x++)
    out[k++] = g->xadj[x];
  return k;
}

/* Edge list into CSR: edge e joins ends[2e] and ends[2e + 1].  Both passes
 * touch rows at random: the row (and its cursor) of the end AHEAD places
 * on is fetched while this one is written. */
#define AHEAD 16
static void to_csr(network *g, const uint32_t *ends, size_t m)
{
  memset(g->offset, 0, (g->n + 1) * sizeof *g->offset);
  for (size_t e = 0; e < 2 * m; e++) {
    if (e + AHEAD < 2 * m)
      __builtin_prefetch(&g->offset[ends[e + AHEAD] + 1]);
    g->offset[ends[e] + 1]++;
  }
  for (size_t i = 0; i < g->n; i++)
    g->offset[i + 1] += g->offset[i];
  g->n_adj = g->offset[g->n];
  /* Fill with a moving cursor per node, then restore the offsets. */
  for (size_t e = 0; e < 2 * m; e += 2) {
    if (e + 2 * AHEAD < 2 * m) {
      __builtin_prefetch(&g->offset[ends[e + 2 * AHEAD]]);
      __builtin_prefetch(&g->offset[ends[e + 2 * AHEAD + 1]]);
    }
    if (e + AHEAD < 2 * m) {
      __builtin_prefetch(&g->adj[g->offset[ends[e + AHEAD]]]);
      __builtin_prefetch(&g->adj[g->offset[ends[e + AHEAD + 1]]]);
    }
    uint32_t u = ends[e], v = ends[e + 1];
    g->adj[g->offset[u]++] = v;
    g->adj[g->offset[v]++] = u;
  }
  for (size_t i = g->n; i > 0; i--)
    g->offset[i] = g->offset[i - 1];
  g->offset[0] = 0;
}

/* ----------------------------------------------------------- random regular */

/* A node's row while the graph is built: its neighbours so far from the
 * front, then RR_FREE (no degree array: one random read less an attempt). */
#define RR_FREE UINT32_MAX

/* Where v would go in row (its first free slot), or d when v is there
 * already or the row is full. */
static size_t rr_slot(const uint32_t *row, size_t d, uint32_t v)
{
  for (size_t x = 0; x < d; x++) {
    if (row[x] == RR_FREE)
      return x;
    if (row[x] == v)
      return d;
  }
  return d;
}

static int rr_any_valid(const uint32_t *stubs, size_t ns, const uint32_t *adj, size_t d)
{
  for (size_t a = 0; a < ns; a++)
    for (size_t b = a + 1; b < ns; b++)
      if (stubs[a] != stubs[b] && rr_slot(&adj[(size_t)stubs[a] * d], d, stubs[b]) < d)
        return 1;
  return 0;
}

typedef struct {
  size_t a, b; /* the stubs an attempt picks */
  size_t next; /* the output after its draws */
} rr_pair;

static int build_random_regular(network *g, size_t d, gsl_rng *r)
{
  size_t n = g->n, total = n * d;
  uint32_t *stubs = work_area(g, total * sizeof *stubs);
  lookahead *la = malloc(sizeof *la);
  int rc = -1;
  if (!stubs || !la)
    goto done;
  la_init(la, r);
  for (int restart = 0; restart < RR_MAX_RESTARTS && rc != 0; restart++) {
    for (size_t i = 0, x = 0; i < n; i++)
      for (size_t c = 0; c < d; c++)
        stubs[x++] = (uint32_t)i;
    memset(g->adj, 0xff, total * sizeof *g->adj); /* every slot RR_FREE */
    size_t ns = total;
    int dead = 0;
    /* The attempts up to RR_AHEAD pairs on are peeked, as if each of them
     * made an edge (stubs left go down by two), and the stubs they will
     * pick fetched; half way there, the rows those stubs name.  A failed
     * attempt makes the peeks miss: they start again. */
    rr_pair ahead[RR_RING];
    size_t peek_pos = la->head, peek_ns = ns; /* the attempt at peek_ns stubs starts at peek_pos */
    while (ns > 0 && !dead) {
      for (size_t tries = 0;; tries++) {
        for (; peek_ns >= 2 && ns - peek_ns < 2 * RR_AHEAD; peek_ns -= 2) {
          la_range qa = la_range_of(la, peek_ns), qb = la_range_of(la, peek_ns - 1);
          size_t p = peek_pos, pa = la_index_at(la, &p, &qa), pb = la_index_at(la, &p, &qb);
          if (pa == qa.n || pb == qb.n)
            break; /* past the outputs held */
          pb += pb >= pa;
          ahead[peek_ns / 2 % RR_RING] = (rr_pair){pa, pb, p};
          __builtin_prefetch(&stubs[pa]);
          __builtin_prefetch(&stubs[pb]);
          peek_pos = p;
        }
        if (ns >= RR_AHEAD + 2 && peek_ns < ns - RR_AHEAD) {
          rr_pair q = ahead[(ns - RR_AHEAD) / 2 % RR_RING];
          uint32_t pu = stubs[q.a], pv = stubs[q.b];
          __builtin_prefetch(&g->adj[(size_t)pu * d]); /* a row may span two lines */
          __builtin_prefetch(&g->adj[(size_t)pu * d + d - 1]);
          __builtin_prefetch(&g->adj[(size_t)pv * d]);
          __builtin_prefetch(&g->adj[(size_t)pv * d + d - 1]);
        }
        /* This attempt as peeked, or drawn now.  peek_ns < ns: it was
         * peeked since the last miss, so from the very outputs it takes
         * now (the ring holds RR_AHEAD attempts on: none overwrote it). */
        const rr_pair *e = &ahead[ns / 2 % RR_RING];
        size_t a, b;
        if (peek_ns < ns) {
          a = e->a;
          b = e->b;
          la->head = e->next;
        } else {
          la_range qa = la_range_of(la, ns), qb = la_range_of(la, ns - 1);
          a = la_index(la, &qa);
          b = la_index(la, &qb);
          b += b >= a;
        }
        uint32_t u = stubs[a], v = stubs[b];
        uint32_t *ru = &g->adj[(size_t)u * d], *rv = &g->adj[(size_t)v * d];
        size_t su;
        if (u != v && (su = rr_slot(ru, d, v)) < d) {
          ru[su] = v;
          rv[rr_slot(rv, d, u)] = u; /* v's row has room: v has a stub left */
          size_t hi = a > b ? a : b, lo = a > b ? b : a;
          stubs[hi] = stubs[--ns];
          stubs[lo] = stubs[--ns];
          break;
        }
        peek_pos = la->head; /* the peeks counted on an edge */
        peek_ns = ns;
        /* A dead end: no valid pair left (checked exhaustively when few
         * stubs remain), or far more failures than a live state gives. */
        if ((tries >= RR_TRIES_BEFORE_CHECK && ns <= RR_EXHAUSTIVE_MAX &&
             !rr_any_valid(stubs, ns, g->adj, d)) ||
            tries > RR_TRIES_BEFORE_CHECK * (ns + RR_EXHAUSTIVE_MAX)) {
          dead = 1;
          break;
        }
      }
    }
    if (!dead)
      rc = 0;
  }
  if (rc == 0)
    g->n_adj = total; /* node i's at adj[i d ..]: no offsets */
done:
  free(la);
  return rc;
}

/* -------------------------------------------------------------- edge set */

/* Open addressing, insert-only; grows when half full. */
typedef struct {
  uint64_t *key;
  size_t mask, used; /* keys held */
} edge_set;

static uint64_t edge_key(uint32_t u, uint32_t v)
{
  return u < v ? ((uint64_t)u << 32) | v : ((uint64_t)v << 32) | u;
}

static size_t edge_slot(const edge_set *h, uint64_t k)
{
  uint64_t x = k * 0x9E3779B97F4A7C15ull; /* Fibonacci hashing */
  return (size_t)(x >> 20) & h->mask;
}

static int edge_init(edge_set *h, size_t expect)
{
  size_t cap = 64;
  while (cap < 2 * expect)
    cap <<= 1;
  h->key = calloc(cap, sizeof *h->key); /* all EMPTY_KEY, as the kernel hands pages out */
  h->mask = cap - 1;
  h->used = 0;
  return h->key ? 0 : -1;
}

static int edge_has(const edge_set *h, uint64_t k)
{
  for (size_t i = edge_slot(h, k);; i = (i + 1) & h->mask) {
    if (h->key[i] == k)
      return 1;
    if (h->key[i] == EMPTY_KEY)
      return 0;
  }
}

static int edge_put(edge_set *h, uint64_t k);

static int edge_grow(edge_set *h)
{
  edge_set big;
  size_t live = 0;
  for (size_t i = 0; i <= h->mask; i++)
    live += h->key[i] != EMPTY_KEY;
  if (edge_init(&big, 2 * live + 64) != 0)
    return -1;
  for (size_t i = 0; i <= h->mask; i++)
    if (h->key[i] != EMPTY_KEY)
      edge_put(&big, h->key[i]);
  free(h->key);
  *h = big;
  return 0;
}

static int edge_put(edge_set *h, uint64_t k)
{
  if (2 * (h->used + 1) > h->mask + 1 && edge_grow(h) != 0)
    return -1;
  size_t i = edge_slot(h, k);
  while (h->key[i] != EMPTY_KEY)
    i = (i + 1) & h->mask;
  h->key[i] = k;
  h->used++;
  return 0;
}

/* -------------------------------------------------------------- small world */

/* Lattice edge e = (j - 1) n + u joins u and u + j (mod n), j = 1 .. d/2.
 * While building, an edge is either still its lattice pair (moved[e] clear)
 * or rewired, and then listed in a hash set of rewired edges: memory
 * follows the rewired edges, not all of them. */
typedef struct {
  size_t n, half;
  const uint8_t *moved; /* bitset over lattice edges */
  const edge_set *extra;
} ws_graph;

static int bit(const uint8_t *b, size_t e)
{
  return (b[e >> 3] >> (e & 7)) & 1;
}

/* The moved bit of lattice edge e = (j - 1) n + u sits at u half + j - 1:
 * a node's edges side by side, as the implicit graph reads them. */
static size_t moved_bit(size_t e, size_t n, size_t half)
{
  return (e % n) * half + e / n;
}

static int ws_has(const ws_graph *w, uint32_t u, uint32_t v)
{
  /* dist = (v - u) mod n; edge (dist - 1) n + u's bit is u half + dist - 1 */
  size_t dist = v >= u ? (size_t)v - u : (size_t)v + w->n - u;
  if (dist >= 1 && dist <= w->half && !bit(w->moved, (size_t)u * w->half + dist - 1))
    return 1;
  size_t back = w->n - dist;
  if (back >= 1 && back <= w->half && !bit(w->moved, (size_t)v * w->half + back - 1))
    return 1;
  return edge_has(w->extra, edge_key(u, v));
}

/* The far end of lattice edge e: its rewired end if it has one (the next
 * entry of the rewired list, which is sorted by edge), else u + j. */
static uint32_t far_end(size_t e, size_t n, size_t half, const uint8_t *moved,
                        const uint32_t *rew_w, size_t *next_rew)
{
  if (bit(moved, moved_bit(e, n, half)))
    return rew_w[(*next_rew)++];
  return (uint32_t)((e % n + e / n + 1) % n);
}

/* One rewiring's draws from the look-ahead: the next edge to rewire at or
 * after `from`, the first success of Bernoulli(p) trials by a geometric
 * gap floor(log U / log(1 - p)) (U as gsl_rng_uniform_pos draws it from
 * mt19937: an output / 2^32, again while 0; computed in double so that a
 * tiny p cannot overflow it), and, when that edge is below m, its first
 * candidate end (la_index_at); `end` is the output position after them. */
typedef struct {
  size_t end, e;
  uint32_t x;
} ws_draw;

/* Those draws from output *pos on, moving *pos past them; returns 0 when
 * they would reach past the outputs held (a peek far ahead only). */
static int ws_draws_at(lookahead *la, size_t *pos, size_t from, double p, double log1mp, size_t m,
                       const la_range *q, ws_draw *out)
{
  size_t e = from;
  if (p < 1.0) {
    unsigned long raw;
    do {
      if (*pos >= la->head + LOOK)
        return 0;
      raw = la_raw(la, (*pos)++);
    } while (raw == 0);
    double gap = floor(log((double)raw / 4294967296.0) / log1mp);
    e = gap < (double)(SIZE_MAX / 2) ? from + (size_t)gap : SIZE_MAX / 2;
  }
  out->e = e;
  out->x = 0;
  if (e < m) {
    size_t x = la_index_at(la, pos, q);
    if (x == q->n)
      return 0;
    out->x = (uint32_t)x;
  }
  out->end = *pos;
  return 1;
}

/* The implicit graph's other neighbours: each rewired edge u -- x (in
 * lattice edge order, their near ends in rew_u and new ends in rew_w) in
 * both ends' lists. */
static int extras_csr(network *g, size_t m, const uint32_t *rew_u, const uint32_t *rew_w,
                      size_t n_rew)
{
  size_t n = g->n;
  g->xoff = big_alloc((n + 1) * sizeof *g->xoff);
  g->xadj = malloc((2 * n_rew + 1) * sizeof *g->xadj);
  g->xcap = 2 * n_rew + 1;
  if (!g->xoff || !g->xadj)
    return -1;
  memset(g->xoff, 0, (n + 1) * sizeof *g->xoff);
  for (size_t k = 0; k < n_rew; k++) {
    g->xoff[rew_u[k] + 1]++;
    g->xoff[rew_w[k] + 1]++;
  }
  for (size_t i = 0; i < n; i++)
    g->xoff[i + 1] += g->xoff[i];
  for (size_t k = 0; k < n_rew; k++) {
    uint32_t u = rew_u[k], x = rew_w[k];
    g->xadj[g->xoff[u]++] = x;
    g->xadj[g->xoff[x]++] = u;
  }
  for (size_t i = n; i > 0; i--)
    g->xoff[i] = g->xoff[i - 1];
  g->xoff[0] = 0;
  g->n_adj = 2 * m; /* every node's degree sums to twice the edges, as in CSR */
  return 0;
}

static int build_small_world(network *g, size_t d, double p, gsl_rng *r)
{
  size_t n = g->n, half = d / 2, m = n * half;
  size_t n_rew = 0, cap = (size_t)(1.2 * p * (double)m) + 1024;
  uint8_t *moved = g->half ? g->moved : calloc(m / 8 + 1, 1);
  if (g->half) {
    /* The last replication's extras go first: with the rewiring's hash
     * set they would all be part of the peak. */
    memset(moved, 0, m / 8 + 1);
    free(g->xoff);
    free(g->xadj);
    g->xoff = g->xadj = NULL;
    g->xcap = 0;
  }
  /* the rewired edges' near and new far ends, in edge order (near ends
   * only for the implicit graph's extras) */
  uint32_t *rew_w = malloc(cap * sizeof *rew_w),
           *rew_u = g->half ? malloc(cap * sizeof *rew_u) : NULL;
  edge_set h = {NULL, 0, 0};
  int rc = -1;
  double log1mp = log1p(-p);
  lookahead *la = malloc(sizeof *la);
  if (!moved || !rew_w || (g->half && !rew_u) || !la ||
      edge_init(&h, (size_t)(p * (double)m) + 64) != 0)
    goto done;
  ws_graph w = {n, half, moved, &h};
  /* Rewire each edge's far end with probability p to a node that is not
   * u and not already u's neighbour (Watts and Strogatz, 1998), lattice
   * edges taken by distance, then by node.  The edges to rewire are
   * Bernoulli(p) trials: jump from one to the next with geometric gaps
   * rather than a draw per edge.  Each edge is visited once, so only
   * lattice edges are ever rewired, and the rewired list comes out sorted. */
  /* Each rewiring looks up its edge in the hash set, a read from memory
   * at random: the draws of the next WS_AHEAD rewirings are read ahead
   * from the generator's outputs (the same numbers, taken in the same
   * order: the graphs are those recorded in the tests) and the slots they
   * will probe fetched.  A retry takes more outputs and voids them. */
  ws_draw ahead[WS_AHEAD];
  size_t n_ahead = 0, next_pos = 0; /* peeked rewirings; the output after them */
  la_init(la, r);
  la_range q = la_range_of(la, n);
  size_t cur = 0; /* the edge being rewired */
  for (size_t from = 0; p > 0; from = cur + 1) {
    if (n_ahead == 0)
      next_pos = la->head;
    while (n_ahead < WS_AHEAD) { /* peek: draws of rewirings to come */
      size_t prev = n_ahead ? ahead[n_ahead - 1].e + 1 : from;
      ws_draw *a = &ahead[n_ahead];
      if (prev >= m || !ws_draws_at(la, &next_pos, prev, p, log1mp, m, &q, a))
        break;
      n_ahead++;
      if (a->e < m) {
        uint32_t au = (uint32_t)(a->e % n);
        __builtin_prefetch(&h.key[edge_slot(&h, edge_key(au, a->x))]);
        __builtin_prefetch(&moved[(size_t)a->x * half >> 3]);
      }
    }
    ws_draw now;
    if (n_ahead) { /* the first peeked is this one: take it */
      now = ahead[0];
      la->head = now.end;
      memmove(ahead, ahead + 1, --n_ahead * sizeof *ahead);
    } else {
      size_t pos = la->head;
      ws_draws_at(la, &pos, from, p, log1mp, m, &q, &now); /* from head: always held */
      la->head = pos;
    }
    cur = now.e;
    if (cur >= m)
      break;
    size_t j1 = cur / n; /* e = j1 n + u: distance j1 + 1 */
    uint32_t u = (uint32_t)(cur - j1 * n);
    for (int t = 0; t < WS_MAX_TRIES; t++) {
      uint32_t x = now.x;
      if (t > 0) {
        x = (uint32_t)la_index(la, &q);
        n_ahead = 0; /* the peeked draws started where this one did */
      }
      if (x == u || ws_has(&w, u, x))
        continue;
      if (n_rew == cap) {
        uint32_t *more = realloc(rew_w, 2 * cap * sizeof *rew_w);
        if (!more)
          goto done;
        rew_w = more;
        if (rew_u) {
          more = realloc(rew_u, 2 * cap * sizeof *rew_u);
          if (!more)
            goto done;
          rew_u = more;
        }
        cap *= 2;
      }
      size_t b = (size_t)u * half + j1; /* moved_bit(e, n, half) */
      moved[b >> 3] = (uint8_t)(moved[b >> 3] | (1u << (b & 7)));
      if (edge_put(&h, edge_key(u, x)) != 0)
        goto done;
      if (rew_u)
        rew_u[n_rew] = u;
      rew_w[n_rew++] = x;
      break;
    }
  }
  free(h.key); /* before the extras' CSR: not both at the peak */
  h.key = NULL;
  if (g->half) {
    rc = extras_csr(g, m, rew_u, rew_w, n_rew);
    goto done;
  }
  /* CSR straight from the lattice, the bitset and the rewired ends. */
  memset(g->offset, 0, (n + 1) * sizeof *g->offset);
  for (size_t e = 0, k = 0; e < m; e++) {
    g->offset[e % n + 1]++;
    g->offset[far_end(e, n, half, moved, rew_w, &k) + 1]++;
  }
  for (size_t i = 0; i < n; i++)
    g->offset[i + 1] += g->offset[i];
  g->n_adj = g->offset[n];
  for (size_t e = 0, k = 0; e < m; e++) {
    uint32_t u = (uint32_t)(e % n), v = far_end(e, n, half, moved, rew_w, &k);
    g->adj[g->offset[u]++] = v;
    g->adj[g->offset[v]++] = u;
  }
  for (size_t i = n; i > 0; i--)
    g->offset[i] = g->offset[i - 1];
  g->offset[0] = 0;
  rc = 0;
done:
  if (!g->half)
    free(moved);
  free(rew_w);
  free(rew_u);
  free(h.key);
  free(la);
  return rc;
}

/* --------------------------------------------------------------- scale free */

static int build_scale_free(network *g, size_t d, gsl_rng *r)
{
  size_t n = g->n, mm = d / 2, m0 = mm + 1;
  size_t m = m0 * (m0 - 1) / 2 + (n - m0) * mm;
  /* Every edge's two ends, edge by edge: the degree-weighted urn that
   * preferential attachment draws from, and the edge list the CSR is made
   * from (one array for both). */
  uint32_t *ends = work_area(g, 2 * m * sizeof *ends);
  uint32_t *pick = malloc(mm * sizeof *pick);
  /* The peeked nodes' first mm draws, node w's at (w % SF_RING) mm, and
   * where its draws end. */
  size_t *ring = malloc(SF_RING * mm * sizeof *ring), ring_next[SF_RING];
  lookahead *la = malloc(sizeof *la);
  int rc = -1;
  if (!ends || !pick || !ring || !la)
    goto done;
  la_init(la, r);
  size_t ne = 0;
  for (size_t u = 0; u < m0; u++)
    for (size_t v = u + 1; v < m0; v++) {
      ends[ne++] = (uint32_t)u;
      ends[ne++] = (uint32_t)v;
    }
  /* The draws of the nodes up to SF_AHEAD after v are peeked while v
   * draws, as if none of them drew a repeat, and the ends they will read
   * are fetched; after a repeat the peeks start again from v + 1.  (The
   * urn a node draws from is as large whatever the draws before it: every
   * node adds mm edges.) */
  size_t peek = 0, peek_node = m0; /* where node peek_node's draws will start */
  for (size_t v = m0; v < n; v++) {
    while (peek_node < n && peek_node <= v + SF_AHEAD) {
      la_range then = la_range_of(la, ne + 2 * mm * (peek_node - v));
      size_t k = 0, p = peek, *at = &ring[peek_node % SF_RING * mm];
      for (; k < mm; k++) {
        at[k] = la_index_at(la, &p, &then);
        if (at[k] == then.n)
          break;
        __builtin_prefetch(&ends[at[k]]);
      }
      if (k < mm)
        break; /* past the outputs held: peek again later */
      ring_next[peek_node % SF_RING] = peek = p;
      peek_node++;
    }
    /* mm distinct targets, each drawn with probability proportional to
     * degree (a uniform edge end); repeats are drawn again.  The first mm
     * draws as peeked (peek_node > v: since the last repeat, from the very
     * outputs they take), or all drawn now. */
    size_t got = 0, draws = 0;
    int peeked = peek_node > v;
    while (got < mm) {
      size_t at;
      if (peeked && draws < mm) {
        at = ring[v % SF_RING * mm + draws];
        if (draws + 1 == mm)
          la->head = ring_next[v % SF_RING];
      } else {
        la_range now = la_range_of(la, ne);
        at = la_index(la, &now);
      }
      draws++;
      uint32_t t = ends[at];
      int dup = 0;
      for (size_t x = 0; x < got; x++)
        dup |= pick[x] == t;
      if (!dup)
        pick[got++] = t;
    }
    if (draws > mm || !peeked) { /* the peeks ahead are off */
      peek = la->head;
      peek_node = v + 1;
    }
    for (size_t x = 0; x < mm; x++) {
      ends[ne++] = (uint32_t)v;
      ends[ne++] = pick[x];
    }
  }
  to_csr(g, ends, m);
  rc = 0;
done:
  free(la);
  free(ring);
  free(pick);
  return rc;
}

int network_build(network *g, const scenario *s, gsl_rng *r)
{
  size_t d = (size_t)s->degree;
  switch (s->network) {
  case NET_RANDOM_REGULAR:
    return build_random_regular(g, d, r);
  case NET_SMALL_WORLD:
    return build_small_world(g, d, s->rewire, r);
  case NET_SCALE_FREE:
    return build_scale_free(g, d, r);
  default:
    return 0;
  }
}
