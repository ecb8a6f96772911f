/* normal: AS 241's normal quantile and a polynomial exp, in a scalar and
 * an AVX2 path that round every operation alike (see normal.h).
 *
 * Bit-for-bit agreement rests on doing the same IEEE operations in the same
 * order in both paths: no fused multiply-add (GCC does not contract in ISO
 * C mode, -std=c11; clang is told below), no libm call, branches in the
 * scalar path where the vector path selects. */
#include "normal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* AS 241 (Wichura 1988): numerator and denominator coefficients, constant
 * term first, for |p - 1/2| <= 0.425 (A/B, in r = 0.180625 - q^2), for
 * r = sqrt(-log(min(p, 1 - p))) <= 5 (C/D, in r - 1.6) and beyond (E/F, in
 * r - 5). */
static const double A[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2,
                            1.9715909503065514427e+3, 1.3731693765509461125e+4,
                            4.5921953931549871457e+4, 6.7265770927008700853e+4,
                            3.3430575583588128105e+4, 2.5090809287301226727e+3};
static const double B[8] = {1.0,
                            4.2313330701600911252e+1,
                            6.8718700749205790830e+2,
                            5.3941960214247511077e+3,
                            2.1213794301586595867e+4,
                            3.9307895800092710610e+4,
                            2.8729085735721942674e+4,
                            5.2264952788528545610e+3};
static const double C[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,
                            5.76949722146069140550e0,  3.64784832476320460504e0,
                            1.27045825245236838258e0,  2.41780725177450611770e-1,
                            2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double D[8] = {1.0,
                            2.05319162663775882187e0,
                            1.67638483018380384940e0,
                            6.89767334985100004550e-1,
                            1.48103976427480074590e-1,
                            1.51986665636164571966e-2,
                            5.47593808499534494600e-4,
                            1.05075007164441684324e-9};
static const double E[8] = {6.65790464350110377720e0,  5.46378491116411436990e0,
                            1.78482653991729133580e0,  2.96560571828504891230e-1,
                            2.65321895265761230930e-2, 1.24266094738807843860e-3,
                            2.71155556874348757815e-5, 2.01033439929228813265e-7};
static const double F[8] = {1.0,
                            5.99832206555887937690e-1,
                            1.36929880922735805310e-1,
                            1.48753612908506148525e-2,
                            7.86869131145613259100e-4,
                            1.84631831751005468180e-5,
                            1.42151175831644588870e-7,
                            2.04426310338993978564e-15};

/* log 2 split so that k * LN2_HI is exact for |k| < 2^21 (its low 21
 * significand bits are zero), and the rest. */
#define LN2_HI  6.93147180369123816490e-01
#define LN2_LO  1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
#define ROUNDER 0x1.8p52 /* x + ROUNDER - ROUNDER: x to the nearest integer */

/* exp(r) for |r| <= log(2)/2 + a little: the Taylor series to r^13 (the
 * next term is below 5e-18 of the sum). */
static const double EXP_C[14] = {1.0,
                                 1.0,
                                 1.0 / 2,
                                 1.0 / 6,
                                 1.0 / 24,
                                 1.0 / 120,
                                 1.0 / 720,
                                 1.0 / 5040,
                                 1.0 / 40320,
                                 1.0 / 362880,
                                 1.0 / 3628800,
                                 1.0 / 39916800,
                                 1.0 / 479001600,
                                 1.0 / 6227020800.0};

/* log(1 + f) = 2 atanh(s), s = f / (2 + f): 2 s + s z P(z), z = s^2, P the
 * series 2/3 + 2/5 z + ... to z^10 (|s| <= 0.172, so z^11 / 23 is below
 * 1e-18). */
static const double LOG_P[11] = {2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,  2.0 / 11, 2.0 / 13,
                                 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21, 2.0 / 23};

static double from_bits(uint64_t b)
{
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

static uint64_t to_bits(double x)
{
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

/* Polynomials c[0] + c[1] x + ... by Estrin's scheme: pairs c[2i] +
 * c[2i+1] x, then pairs of those in x^2, then in x^4, ...: a dependency
 * chain of three or four steps instead of Horner's seven to thirteen.
 * Nothing cancels: the rationals' and log's terms are all positive where
 * they are used, and exp's r is below 0.35 in size, so 1 + r dominates.
 * Against an 80-bit evaluation of AS 241's central rational, Estrin's
 * largest error is 6.5e-16 relative, Horner's 7.8e-16.  Written once for
 * both paths, over their add, mul and broadcast, so both do the same
 * operations in the same order. */
#define PAIR(c, i, x) ADD(SET((c)[i]), MUL(SET((c)[(i) + 1]), x))
#define ESTRIN8(T, c, x)                                                                           \
  T x2 = MUL(x, x), x4 = MUL(x2, x2);                                                              \
  T q0 = ADD(PAIR(c, 0, x), MUL(PAIR(c, 2, x), x2)),                                               \
    q1 = ADD(PAIR(c, 4, x), MUL(PAIR(c, 6, x), x2));                                               \
  return ADD(q0, MUL(q1, x4))
#define ESTRIN11(T, c, x)                                                                          \
  T x2 = MUL(x, x), x4 = MUL(x2, x2), x8 = MUL(x4, x4);                                            \
  T q0 = ADD(PAIR(c, 0, x), MUL(PAIR(c, 2, x), x2)),                                               \
    q1 = ADD(PAIR(c, 4, x), MUL(PAIR(c, 6, x), x2));                                               \
  T q2 = ADD(PAIR(c, 8, x), MUL(SET((c)[10]), x2));                                                \
  return ADD(ADD(q0, MUL(q1, x4)), MUL(q2, x8))
#define ESTRIN14(T, c, x)                                                                          \
  T x2 = MUL(x, x), x4 = MUL(x2, x2), x8 = MUL(x4, x4);                                            \
  T q0 = ADD(PAIR(c, 0, x), MUL(PAIR(c, 2, x), x2)),                                               \
    q1 = ADD(PAIR(c, 4, x), MUL(PAIR(c, 6, x), x2));                                               \
  T q2 = ADD(PAIR(c, 8, x), MUL(PAIR(c, 10, x), x2)), q3 = PAIR(c, 12, x);                         \
  return ADD(ADD(q0, MUL(q1, x4)), MUL(ADD(q2, MUL(q3, x4)), x8))

#define ADD(a, b) ((a) + (b))
#define MUL(a, b) ((a) * (b))
#define SET(a)    (a)
static inline double estrin8(const double *c, double x)
{
  ESTRIN8(double, c, x);
}
static inline double estrin11(const double *c, double x)
{
  ESTRIN11(double, c, x);
}
static inline double estrin14(const double *c, double x)
{
  ESTRIN14(double, c, x);
}
#undef ADD
#undef MUL
#undef SET

/* log(x) for a positive normal x. */
static double normal_log(double x)
{
  uint64_t b = to_bits(x);
  double e = from_bits(0x4338000000000000u + (b >> 52)) - (ROUNDER + 1023.0);
  double m = from_bits((b & 0x000fffffffffffffu) | 0x3ff0000000000000u); /* [1, 2) */
  if (m > M_SQRT2) {
    m = m * 0.5;
    e = e + 1.0;
  }
  double f = m - 1.0, s = f / (2.0 + f), z = s * s;
  return e * LN2_HI + ((2.0 * s + s * (z * estrin11(LOG_P, z))) + e * LN2_LO);
}

double normal_exp(double x)
{
  double t = x * INV_LN2 + ROUNDER, k = t - ROUNDER;
  double r = (x - k * LN2_HI) - k * LN2_LO;
  /* t's low bits hold k; (k + 1023) << 52 is 2^k (the rest shifts out) */
  return estrin14(EXP_C, r) * from_bits((to_bits(t) + 1023u) << 52);
}

double normal_quantile(double p)
{
  double q = p - 0.5;
  if (fabs(q) <= 0.425) {
    double r = 0.180625 - q * q;
    return q * (estrin8(A, r) / estrin8(B, r));
  }
  double r = sqrt(-normal_log(p < 0.5 ? p : 1.0 - p)), x;
  if (r <= 5.0)
    x = estrin8(C, r - 1.6) / estrin8(D, r - 1.6);
  else
    x = estrin8(E, r - 5.0) / estrin8(F, r - 5.0);
  return p < 0.5 ? -x : x;
}

static double lognormal1(double sigma, double u)
{
  if (!(sigma > 0))
    return 1.0;
  return normal_exp(sigma * normal_quantile(u) - 0.5 * sigma * sigma);
}

#ifdef HAVE_AVX2_PATH
/* The same operations four at a time. */
#define AVX2 __attribute__((target("avx2")))

AVX2 static inline __m256d set(double x)
{
  return _mm256_set1_pd(x);
}

AVX2 static inline __m256d add(__m256d a, __m256d b)
{
  return _mm256_add_pd(a, b);
}

AVX2 static inline __m256d mul(__m256d a, __m256d b)
{
  return _mm256_mul_pd(a, b);
}

#define ADD(a, b) add(a, b)
#define MUL(a, b) mul(a, b)
#define SET(a)    set(a)
AVX2 static inline __m256d estrin8_v(const double *c, __m256d x)
{
  ESTRIN8(__m256d, c, x);
}
AVX2 static inline __m256d estrin11_v(const double *c, __m256d x)
{
  ESTRIN11(__m256d, c, x);
}
AVX2 static inline __m256d estrin14_v(const double *c, __m256d x)
{
  ESTRIN14(__m256d, c, x);
}
#undef ADD
#undef MUL
#undef SET

AVX2 static inline __m256d log_v(__m256d x)
{
  __m256i b = _mm256_castpd_si256(x);
  __m256d e = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_add_epi64(
                                _mm256_set1_epi64x(0x4338000000000000), _mm256_srli_epi64(b, 52))),
                            set(ROUNDER + 1023.0));
  __m256d m = _mm256_castsi256_pd(
      _mm256_or_si256(_mm256_and_si256(b, _mm256_set1_epi64x(0x000fffffffffffff)),
                      _mm256_set1_epi64x(0x3ff0000000000000)));
  __m256d big = _mm256_cmp_pd(m, set(M_SQRT2), _CMP_GT_OQ);
  m = _mm256_blendv_pd(m, mul(m, set(0.5)), big);
  e = add(e, _mm256_and_pd(big, set(1.0)));
  __m256d f = _mm256_sub_pd(m, set(1.0));
  __m256d s = _mm256_div_pd(f, add(set(2.0), f)), z = mul(s, s);
  __m256d ls = add(mul(set(2.0), s), mul(s, mul(z, estrin11_v(LOG_P, z))));
  return add(mul(e, set(LN2_HI)), add(ls, mul(e, set(LN2_LO))));
}

AVX2 static inline __m256d exp_v(__m256d x)
{
  __m256d t = add(mul(x, set(INV_LN2)), set(ROUNDER));
  __m256d k = _mm256_sub_pd(t, set(ROUNDER));
  __m256d r = _mm256_sub_pd(_mm256_sub_pd(x, mul(k, set(LN2_HI))), mul(k, set(LN2_LO)));
  __m256i two_k =
      _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023)), 52);
  return mul(estrin14_v(EXP_C, r), _mm256_castsi256_pd(two_k));
}

AVX2 static inline __m256d rational_v(const double *num, const double *den, __m256d x)
{
  return _mm256_div_pd(estrin8_v(num, x), estrin8_v(den, x));
}

/* AS 241 in the tails, |p - 1/2| > 0.425. */
AVX2 static inline __m256d tail_v(__m256d p)
{
  const __m256d sign = set(-0.0);
  __m256d low = _mm256_cmp_pd(p, set(0.5), _CMP_LT_OQ);
  __m256d r = _mm256_blendv_pd(_mm256_sub_pd(set(1.0), p), p, low);
  r = _mm256_sqrt_pd(_mm256_xor_pd(log_v(r), sign));
  __m256d mid = rational_v(C, D, _mm256_sub_pd(r, set(1.6)));
  __m256d far = rational_v(E, F, _mm256_sub_pd(r, set(5.0)));
  __m256d x = _mm256_blendv_pd(far, mid, _mm256_cmp_pd(r, set(5.0), _CMP_LE_OQ));
  return _mm256_blendv_pd(x, _mm256_xor_pd(x, sign), low);
}

#define CHUNK 256 /* values at a time: their tails are gathered together */

/* n <= CHUNK multipliers, n a multiple of 4. */
AVX2 static void lognormal_chunk(const double *sigma, const double *u, double *out, size_t n)
{
  /* AS 241's central part everywhere, noting the tails (15% of draws),
   * which are gathered into as few vectors as they fill, computed and put
   * back: the same operations on each value as one at a time. */
  double tp[CHUNK];
  uint16_t at[CHUNK];
  size_t nt = 0;
  for (size_t i = 0; i < n; i += 4) {
    __m256d q = _mm256_sub_pd(_mm256_loadu_pd(u + i), set(0.5));
    __m256d rc = _mm256_sub_pd(set(0.180625), mul(q, q));
    _mm256_storeu_pd(out + i, mul(q, rational_v(A, B, rc)));
    int far =
        _mm256_movemask_pd(_mm256_cmp_pd(_mm256_andnot_pd(set(-0.0), q), set(0.425), _CMP_NLE_UQ));
    while (far) {
      size_t l = (size_t)__builtin_ctz((unsigned)far);
      far &= far - 1;
      at[nt] = (uint16_t)(i + l);
      tp[nt++] = u[i + l];
    }
  }
  for (size_t i = nt; i % 4; i++)
    tp[i] = 0.01; /* padding: any p in the tails */
  for (size_t i = 0; i < nt; i += 4)
    _mm256_storeu_pd(tp + i, tail_v(_mm256_loadu_pd(tp + i)));
  for (size_t i = 0; i < nt; i++)
    out[at[i]] = tp[i];
  for (size_t i = 0; i < n; i += 4) {
    __m256d s = _mm256_loadu_pd(sigma + i);
    __m256d x = exp_v(_mm256_sub_pd(mul(s, _mm256_loadu_pd(out + i)), mul(mul(set(0.5), s), s)));
    __m256d pos = _mm256_cmp_pd(s, _mm256_setzero_pd(), _CMP_GT_OQ);
    _mm256_storeu_pd(out + i, _mm256_blendv_pd(set(1.0), x, pos));
  }
}

/* The values in whole vectors; the rest is left to the scalar path. */
AVX2 static size_t lognormal_avx2(const double *sigma, const double *u, double *out, size_t n)
{
  size_t done = 0;
  while (n - done >= 4) {
    size_t k = n - done < CHUNK ? (n - done) / 4 * 4 : CHUNK;
    lognormal_chunk(sigma + done, u + done, out + done, k);
    done += k;
  }
  return done;
}
#endif

void normal_lognormal(const double *sigma, const double *u, double *out, size_t n)
{
  size_t i = 0;
#ifdef HAVE_AVX2_PATH
  if (__builtin_cpu_supports("avx2")) {
    i = lognormal_avx2(sigma, u, out, n);
  }
#endif
  for (; i < n; i++)
    out[i] = lognormal1(sigma[i], u[i]);
}
