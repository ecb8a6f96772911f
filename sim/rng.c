/* rng: Philox4x32-10 wrappers and geometric skipping.  No generator of our
 * own: the bits come from Random123's header, the sequential generator from
 * GSL.  Counter layout: {index, step, purpose, lane}, key = 64-bit seed. */
#include "rng.h"

#include <math.h>

#include <Random123/philox.h>

static philox4x32_ctr_t block(uint64_t key, uint32_t purpose, uint32_t step, uint32_t index,
                              uint32_t lane)
{
  philox4x32_ctr_t c = {{index, step, purpose, lane}};
  philox4x32_key_t k = {{(uint32_t)(key & 0xffffffffu), (uint32_t)(key >> 32)}};
  return philox4x32(c, k);
}

void rng_block(uint64_t key, uint32_t purpose, uint32_t step, uint32_t index, uint32_t lane,
               uint32_t out[4])
{
  philox4x32_ctr_t r = block(key, purpose, step, index, lane);
  for (int i = 0; i < 4; i++)
    out[i] = r.v[i];
}

uint64_t rng_replication_seed(uint64_t seed, uint64_t r)
{
  philox4x32_ctr_t r4 = block(seed, RNG_SEED, (uint32_t)(r >> 32), (uint32_t)(r & 0xffffffffu), 0);
  return ((uint64_t)r4.v[0] << 32) | r4.v[1];
}

void rng_stream_init(rng_stream *s, uint64_t key, uint32_t purpose, uint32_t step, uint32_t lane)
{
  s->lane = lane;
  s->key = key;
  s->purpose = purpose;
  s->step = step;
  s->next = 0;
  s->have = 0;
}

double rng_stream_uniform(rng_stream *s)
{
  if (s->have == 0) {
    /* The stream's block counter sits in the index word; its lane (>= 1)
     * keeps it apart from per-developer draws of the same purpose and step. */
    rng_uniform2(s->key, s->purpose, s->step, s->next++, s->lane, s->buf);
    s->have = 2;
  }
  return s->buf[2 - s->have--];
}

void rng_skip_init(rng_skip *k, uint64_t key, uint32_t purpose, uint32_t step, uint32_t lane,
                   double p)
{
  rng_stream_init(&k->s, key, purpose, step, lane);
  k->p = p;
  k->log1mp = p < 1.0 ? log1p(-p) : 0.0;
}

size_t rng_skip_next(rng_skip *k, size_t pos, size_t n)
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

void rng_gsl_seed(gsl_rng *r, uint64_t key, uint32_t purpose)
{
  uint32_t out[4];
  rng_block(key, purpose, 0, 0, 2u, out);
  /* mt19937 takes 32 bits of seed; 0 would mean its default, so avoid it. */
  gsl_rng_set(r, out[0] == 0 ? 1u : out[0]);
}
