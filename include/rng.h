/* rng: the project's only source of randomness.
 *
 * Per-developer draws come from Philox4x32-10 (Salmon et al., SC'11) as
 * shipped by Random123: a counter-based generator, so the draw of developer i
 * at step t for a purpose is a pure function of (replication seed, purpose,
 * step, i) and is the same in every scenario and in every thread; so is a
 * response's coin, keyed by (replication seed, purpose, event, response).
 * Sequential draws (graph building, sweep designs) use a GSL gsl_rng seeded
 * from (replication seed, purpose). */
#ifndef LOCKIN_RNG_H
#define LOCKIN_RNG_H

#include <stddef.h>
#include <math.h>
#include <stdint.h>

#include <Random123/philox.h>
#include <gsl/gsl_rng.h>

/* What a draw is for: one counter lane each, so purposes never share draws. */
typedef enum {
  RNG_SEED = 1, /* deriving a replication's seed */
  RNG_SEGMENT,  /* a developer's segment and publisher flag */
  RNG_HETERO,   /* a developer's three heterogeneity multipliers */
  RNG_ENTRY,    /* Bass entry: geometric skips over inactive developers */
  RNG_REVISE,   /* revision: geometric skips over active developers */
  RNG_CHOICE,   /* the uniform that picks a cell in the logit */
  RNG_DEFAULT,  /* a launched hub's SDK default moving a developer (step: event,
                   lane: response) */
  RNG_ASSIGN,   /* the initial deal of vendors and hubs */
  RNG_GRAPH,    /* gsl_rng: building the network */
  RNG_SWEEP,    /* gsl_rng: a sweep's random and Latin hypercube designs */
  RNG_RESPONSE, /* a response's coin (step: event, index: response) */
  RNG_ANALYZE   /* gsl_rng: bootstrap resamples of lockin analyze */
} rng_purpose;

/* The seed of replication r of a scenario with seed `seed`: a Philox hash of
 * the pair, so replications of different scenarios with one seed share it. */
uint64_t rng_replication_seed(uint64_t seed, uint64_t r);

/* Four raw 32-bit outputs for (key, purpose, step, index, lane). */
void rng_block(uint64_t key, uint32_t purpose, uint32_t step, uint32_t index, uint32_t lane,
               uint32_t out[4]);

/* A uniform in (0, 1) from two 32-bit words: 52 random bits, centred in
 * their cell, so never 0 and never 1 (with 53 bits the top cell's centre,
 * 1 - 2^-54, would round to 1). */
static inline double rng_u01(uint32_t hi, uint32_t lo)
{
  uint64_t m = ((uint64_t)hi << 20) | (uint64_t)(lo >> 12);
  /* m < 2^52: converted as signed, one instruction (the same value) */
  return ((double)(int64_t)m + 0.5) * (1.0 / 4503599627370496.0);
}

/* Two uniforms in the open interval (0, 1), 52 bits each.  Inline: it is
 * called once per choice. */
static inline void rng_uniform2(uint64_t key, uint32_t purpose, uint32_t step, uint32_t index,
                                uint32_t lane, double u[2])
{
  philox4x32_ctr_t c = {{index, step, purpose, lane}};
  philox4x32_key_t k = {{(uint32_t)(key & 0xffffffffu), (uint32_t)(key >> 32)}};
  philox4x32_ctr_t r = philox4x32(c, k);
  u[0] = rng_u01(r.v[0], r.v[1]);
  u[1] = rng_u01(r.v[2], r.v[3]);
}

/* rng_uniform2 for k (<= RNG_SETS_MAX) sets of eight developers at once,
 * one step: u[x][d] are the very numbers rng_uniform2(key, sets[x].purpose,
 * step, sets[x].index0 + d, sets[x].lane, u[x][d]) gives (tested bit for
 * bit).  Philox4x32-10 on eight counters side by side in AVX2 registers
 * where the processor has them (checked at run time), the rounds and key
 * schedule of Random123's philox4x32, the sets' rounds interleaved so that
 * the multiplies' latencies overlap; else the scalar Philox.  Set-up draws
 * five blocks per developer this way. */
#define RNG_SETS_MAX 4
typedef struct {
  uint32_t purpose, index0, lane;
} rng_set8;
void rng_uniform2x8n(uint64_t key, uint32_t step, size_t k, const rng_set8 *sets,
                     double (*u)[8][2]);

/* A keyed stream of uniforms: (key, purpose, step) fixed, the counter runs.
 * Used for geometric skipping, where the draws are not tied to a developer.
 * Blocks are drawn RNG_STREAM_BLOCKS at a time by rng_uniform2x8n: the
 * numbers block by block are those of rng_uniform2 (tested). */
#define RNG_STREAM_BLOCKS 16
typedef struct {
  uint64_t key;
  uint32_t purpose, step, lane, next; /* next block index */
  int have;                           /* uniforms left in buf */
  double buf[2 * RNG_STREAM_BLOCKS];
} rng_stream;

/* `lane` >= 1 tells streams of one (purpose, step) apart (lane 0 is the
 * per-developer draws'). */
void rng_stream_init(rng_stream *s, uint64_t key, uint32_t purpose, uint32_t step, uint32_t lane);
void rng_stream_refill(rng_stream *s);

static inline double rng_stream_uniform(rng_stream *s)
{
  if (s->have == 0)
    rng_stream_refill(s);
  return s->buf[2 * RNG_STREAM_BLOCKS - s->have--];
}

/* Geometric skipping over Bernoulli(p) trials: iterate the positions in
 * [0, n) that succeed.  `log1mp` is log(1 - p), cached by the caller.
 * Returns the next successful position >= pos, or n when there is none. */
typedef struct {
  rng_stream s;
  double p, log1mp;
} rng_skip;

void rng_skip_init(rng_skip *k, uint64_t key, uint32_t purpose, uint32_t step, uint32_t lane,
                   double p);

static inline size_t rng_skip_next(rng_skip *k, size_t pos, size_t n)
{
  if (pos >= n || k->p <= 0.0)
    return n;
  if (k->p >= 1.0)
    return pos;
  /* Trials before the next success: floor(log U / log(1 - p)). */
  double gap = floor(log(rng_stream_uniform(&k->s)) / k->log1mp);
  if (gap >= (double)(n - pos))
    return n;
  return pos + (size_t)gap;
}

/* A gsl_rng (mt19937) reseeded for (replication seed, purpose). */
void rng_gsl_seed(gsl_rng *r, uint64_t key, uint32_t purpose);

#endif
