/* rng: Philox4x32-10 wrappers and geometric skipping.  No generator of our
 * own: the bits come from Random123's header, the sequential generator from
 * GSL.  Counter layout: {index, step, purpose, lane}, key = 64-bit seed. */
#include "rng.h"

#include <math.h>

#include <Random123/philox.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

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

void rng_stream_refill(rng_stream *s)
{
  enum { SETS = RNG_STREAM_BLOCKS / 8 };
  /* The stream's block counter sits in the index word; its lane (>= 1)
   * keeps it apart from per-developer draws of the same purpose and step.
   * Blocks next, next + 1, ... in order: set x holds next + 8x .. + 7. */
  rng_set8 sets[SETS];
  for (int x = 0; x < SETS; x++)
    sets[x] = (rng_set8){s->purpose, s->next + 8u * (uint32_t)x, s->lane};
  rng_uniform2x8n(s->key, s->step, SETS, sets, (double(*)[8][2])s->buf);
  s->next += RNG_STREAM_BLOCKS;
  s->have = 2 * RNG_STREAM_BLOCKS;
}

void rng_skip_init(rng_skip *k, uint64_t key, uint32_t purpose, uint32_t step, uint32_t lane,
                   double p)
{
  rng_stream_init(&k->s, key, purpose, step, lane);
  k->p = p;
  k->log1mp = p < 1.0 ? log1p(-p) : 0.0;
}

void rng_gsl_seed(gsl_rng *r, uint64_t key, uint32_t purpose)
{
  uint32_t out[4];
  rng_block(key, purpose, 0, 0, 2u, out);
  /* mt19937 takes 32 bits of seed; 0 would mean its default, so avoid it. */
  gsl_rng_set(r, out[0] == 0 ? 1u : out[0]);
}

#ifdef HAVE_AVX2_PATH
#define AVX2 __attribute__((target("avx2")))

/* Philox's rounds on k sets of eight counters side by side (their chains
 * overlap): _mm256_mul_epu32 multiplies the even 32-bit lanes into 64
 * bits, the odd ones after a shift; hi and lo are put back together lane
 * by lane.  Then each pair of words becomes rng_u01's double without a
 * scalar conversion: m < 2^52 OR-ed into the significand of 2^52 is
 * 2^52 + m exactly, so subtracting 2^52 leaves m (the same value). */
AVX2 static inline __attribute__((always_inline)) void
philox8_avx2(uint64_t key, uint32_t step, size_t k, const rng_set8 *sets, double (*u)[8][2])
{
  __m256i c[RNG_SETS_MAX][4];
  for (size_t x = 0; x < k; x++) {
    c[x][0] = _mm256_add_epi32(_mm256_set1_epi32((int)sets[x].index0),
                               _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    c[x][1] = _mm256_set1_epi32((int)step);
    c[x][2] = _mm256_set1_epi32((int)sets[x].purpose);
    c[x][3] = _mm256_set1_epi32((int)sets[x].lane);
  }
  const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M4x32_0);
  const __m256i m1 = _mm256_set1_epi32((int)PHILOX_M4x32_1);
  uint32_t k0 = (uint32_t)(key & 0xffffffffu), k1 = (uint32_t)(key >> 32);
  for (int r = 0; r < 10; r++) {
    if (r) {
      k0 += PHILOX_W32_0;
      k1 += PHILOX_W32_1;
    }
    __m256i kk0 = _mm256_set1_epi32((int)k0), kk1 = _mm256_set1_epi32((int)k1);
#pragma GCC unroll 4
    for (size_t x = 0; x < k; x++) {
      __m256i *v = c[x];
      __m256i e0 = _mm256_mul_epu32(v[0], m0),
              o0 = _mm256_mul_epu32(_mm256_srli_epi64(v[0], 32), m0);
      __m256i e1 = _mm256_mul_epu32(v[2], m1),
              o1 = _mm256_mul_epu32(_mm256_srli_epi64(v[2], 32), m1);
      __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xaa);
      __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xaa);
      __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xaa);
      __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xaa);
      v[0] = _mm256_xor_si256(_mm256_xor_si256(hi1, v[1]), kk0);
      v[1] = lo1;
      v[2] = _mm256_xor_si256(_mm256_xor_si256(hi0, v[3]), kk1);
      v[3] = lo0;
    }
  }
  const __m256i two52 = _mm256_set1_epi64x(0x4330000000000000LL);
  const __m256d sub = _mm256_set1_pd(4503599627370496.0), half = _mm256_set1_pd(0.5);
  const __m256d scale = _mm256_set1_pd(1.0 / 4503599627370496.0);
  for (size_t x = 0; x < k; x++)
    for (int h = 0; h < 2; h++) { /* developers 4h .. 4h + 3 */
      __m256d w2[2];
      for (int w = 0; w < 2; w++) { /* u[d][w] from words 2w (high) and 2w + 1 */
        __m256i hi = c[x][2 * w], lo = c[x][2 * w + 1];
        __m256i h64 =
            _mm256_cvtepu32_epi64(h ? _mm256_extracti128_si256(hi, 1) : _mm256_castsi256_si128(hi));
        __m256i l64 =
            _mm256_cvtepu32_epi64(h ? _mm256_extracti128_si256(lo, 1) : _mm256_castsi256_si128(lo));
        __m256i m = _mm256_or_si256(_mm256_slli_epi64(h64, 20), _mm256_srli_epi64(l64, 12));
        __m256d md = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(m, two52)), sub);
        w2[w] = _mm256_mul_pd(_mm256_add_pd(md, half), scale);
      }
      /* Interleaved as u[d][0], u[d][1]: developers 4h, 4h + 1, then 4h + 2, 4h + 3. */
      __m256d t0 = _mm256_unpacklo_pd(w2[0], w2[1]), t1 = _mm256_unpackhi_pd(w2[0], w2[1]);
      _mm256_storeu_pd(u[x][4 * h], _mm256_permute2f128_pd(t0, t1, 0x20));
      _mm256_storeu_pd(u[x][4 * h + 2], _mm256_permute2f128_pd(t0, t1, 0x31));
    }
}

AVX2 static void uniform2x8_avx2(uint64_t key, uint32_t step, size_t k, const rng_set8 *sets,
                                 double (*u)[8][2])
{
  switch (k) { /* each count its own unrolled copy */
  case 1:
    philox8_avx2(key, step, 1, sets, u);
    break;
  case 2:
    philox8_avx2(key, step, 2, sets, u);
    break;
  case 3:
    philox8_avx2(key, step, 3, sets, u);
    break;
  default:
    philox8_avx2(key, step, RNG_SETS_MAX, sets, u);
  }
}
#endif

void rng_uniform2x8n(uint64_t key, uint32_t step, size_t k, const rng_set8 *sets, double (*u)[8][2])
{
#ifdef HAVE_AVX2_PATH
  if (__builtin_cpu_supports("avx2")) { /* a read of what libgcc found at start */
    uniform2x8_avx2(key, step, k, sets, u);
    return;
  }
#endif
  for (size_t x = 0; x < k; x++)
    for (uint32_t d = 0; d < 8; d++)
      rng_uniform2(key, sets[x].purpose, step, sets[x].index0 + d, sets[x].lane, u[x][d]);
}
