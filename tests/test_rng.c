/* rng: Philox known answers, uniform and geometric-skip statistics. */
#include "testutil.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "normal.h"

/* Known-answer vectors of Philox4x32-10 from Random123's kat_vectors
 * (Salmon et al., SC'11): counter, key, expected output. */
static void test_philox_known_answers(void **state)
{
  (void)state;
  static const uint32_t kat[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
       0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
       0x94fdcceb, 0x5001e420, 0x24126ea1}};
  for (int v = 0; v < 3; v++) {
    const uint32_t *k = kat[v];
    uint64_t key = ((uint64_t)k[5] << 32) | k[4];
    uint32_t out[4];
    /* Our counter layout is {index, step, purpose, lane}. */
    rng_block(key, k[2], k[1], k[0], k[3], out);
    for (int i = 0; i < 4; i++)
      assert_int_equal(out[i], k[6 + i]);
  }
}

static void test_u01_open_interval(void **state)
{
  (void)state;
  assert_true(rng_u01(0, 0) > 0.0);
  assert_true(rng_u01(0xffffffffu, 0xffffffffu) < 1.0);
  assert_true(rng_u01(0x80000000u, 0) == 0.5 + 0.5 / 4503599627370496.0);
}

static void test_uniform_moments(void **state)
{
  (void)state;
  const size_t n = 200000;
  double sum = 0, sum2 = 0;
  for (size_t i = 0; i < n / 2; i++) {
    double u[2];
    rng_uniform2(42, RNG_CHOICE, 3, (uint32_t)i, 0, u);
    for (int x = 0; x < 2; x++) {
      assert_true(u[x] > 0 && u[x] < 1);
      sum += u[x];
      sum2 += u[x] * u[x];
    }
  }
  double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
  /* mean of U(0,1): 1/2 with sd 1/sqrt(12 n); variance 1/12, sd of the
   * sample variance sqrt((1/80 - 1/144) / n). */
  assert_true(fabs(mean - 0.5) < N_SE * sqrt(1.0 / 12.0 / (double)n));
  assert_true(fabs(var - 1.0 / 12.0) < N_SE * sqrt((1.0 / 80 - 1.0 / 144) / (double)n));
}

static void test_draws_depend_on_every_key_part(void **state)
{
  (void)state;
  double base[2], other[2];
  rng_uniform2(7, RNG_CHOICE, 1, 2, 0, base);
  rng_uniform2(8, RNG_CHOICE, 1, 2, 0, other);
  assert_true(base[0] != other[0]);
  rng_uniform2(7, RNG_REVISE, 1, 2, 0, other);
  assert_true(base[0] != other[0]);
  rng_uniform2(7, RNG_CHOICE, 2, 2, 0, other);
  assert_true(base[0] != other[0]);
  rng_uniform2(7, RNG_CHOICE, 1, 3, 0, other);
  assert_true(base[0] != other[0]);
  rng_uniform2(7, RNG_CHOICE, 1, 2, 0, other);
  assert_true(base[0] == other[0] && base[1] == other[1]);
  assert_true(rng_replication_seed(1, 0) == rng_replication_seed(1, 0));
  assert_true(rng_replication_seed(1, 0) != rng_replication_seed(1, 1));
  assert_true(rng_replication_seed(1, 0) != rng_replication_seed(2, 0));
}

static void test_geometric_skipping_rate(void **state)
{
  (void)state;
  const double p = 0.0417;
  const size_t n = 1000000;
  rng_skip k;
  rng_skip_init(&k, 99, RNG_REVISE, 5, 1, p);
  size_t hits = 0, last = 0;
  int ordered = 1;
  for (size_t pos = rng_skip_next(&k, 0, n); pos < n; pos = rng_skip_next(&k, pos + 1, n)) {
    ordered &= hits == 0 || pos > last;
    last = pos;
    hits++;
  }
  assert_true(ordered);
  double se = sqrt((double)n * p * (1 - p));
  assert_true(fabs((double)hits - (double)n * p) < N_SE * se);
  /* p = 0 selects nothing, p = 1 everything. */
  rng_skip_init(&k, 99, RNG_REVISE, 5, 1, 0.0);
  assert_int_equal(rng_skip_next(&k, 0, 10), 10);
  rng_skip_init(&k, 99, RNG_REVISE, 5, 1, 1.0);
  for (size_t pos = 0; pos < 10; pos++)
    assert_int_equal(rng_skip_next(&k, pos, 10), pos);
}

/* The test's own inputs: xorshift64. */
static uint64_t next(uint64_t *x)
{
  *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
  return *x;
}

/* The eight-at-once Philox (AVX2 where the processor has it, as here),
 * one to four sets side by side, gives the scalar one's numbers bit for
 * bit, for keys, counters and lanes across their whole ranges (index0 near
 * 2^32 - 8 included, and key words that make the schedule wrap). */
/* A stream's uniforms, drawn sixteen blocks at a time, are block b's two
 * numbers of rng_uniform2 in order (b = 0, 1, ...), across refills, for
 * any key, purpose, step and lane. */
static void test_stream_is_block_by_block(void **state)
{
  (void)state;
  const uint64_t keys[] = {0, 99, 0x9e3779b97f4a7c15ull};
  for (size_t x = 0; x < 3; x++)
    for (uint32_t lane = 1; lane <= 3; lane += 2) {
      rng_stream st;
      rng_stream_init(&st, keys[x], RNG_ENTRY, 7 + lane, lane);
      for (uint32_t b = 0; b < 3 * RNG_STREAM_BLOCKS + 5; b++) {
        double u[2];
        rng_uniform2(keys[x], RNG_ENTRY, 7 + lane, b, lane, u);
        for (int w = 0; w < 2; w++) {
          double got = rng_stream_uniform(&st);
          assert_memory_equal(&got, &u[w], sizeof got);
        }
      }
    }
}

static void test_eight_at_once_is_the_same(void **state)
{
  (void)state;
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int trial = 0; trial < 20000; trial++) {
    uint64_t key = trial == 0 ? UINT64_MAX : next(&x);
    uint32_t step = (uint32_t)(next(&x) >> 16);
    size_t k = 1 + (size_t)trial % RNG_SETS_MAX;
    rng_set8 sets[RNG_SETS_MAX];
    for (size_t s = 0; s < k; s++) {
      next(&x);
      sets[s].purpose = (uint32_t)(x >> 8) & 0xff;
      sets[s].index0 = trial == 1 && s == 0 ? UINT32_MAX - 7 : (uint32_t)(x >> 24);
      sets[s].lane = (uint32_t)x & 3;
    }
    double eight[RNG_SETS_MAX][8][2], one[2];
    rng_uniform2x8n(key, step, k, sets, eight);
    for (size_t s = 0; s < k; s++)
      for (uint32_t d = 0; d < 8; d++) {
        rng_uniform2(key, sets[s].purpose, step, sets[s].index0 + d, sets[s].lane, one);
        assert_memory_equal(eight[s][d], one, sizeof one);
      }
  }
}

/* A p for the quantile tests: a uniform as the model draws it, or one
 * pushed into either tail, and every fifth beyond AS 241's last split
 * (r > 5: p < 1.4e-11; down to 2^-60, and 1 - 2^-53). */
static double test_p(uint64_t *x, int i)
{
  uint64_t r = next(x);
  double p = rng_u01((uint32_t)(r >> 32), (uint32_t)r);
  if (i % 5 == 4)
    p = i % 2 ? ldexp(p, -37 - (int)(r % 24)) : 1.0 - ldexp(0.5 + 0.5 * p, -(int)(r % 16) - 37);
  else if (i % 4 == 1)
    p = ldexp(p, -(int)(r % 8));
  else if (i % 4 == 3)
    p = 1.0 - ldexp(p, -(int)(r % 8) - 1);
  return p;
}

/* normal_quantile against GSL's AS 241: within 1.2e-15 relative (the
 * largest difference seen over 20 million p is 1.12e-15, at p = 0.3095:
 * the two evaluate the same rational in a different order), at the ends of
 * rng_u01's range, either side of the splits at |p - 1/2| = 0.425 and
 * r = 5, and over 400,000 draws. */
static void test_normal_quantile_accuracy(void **state)
{
  (void)state;
  const double edge[] = {0x1p-53,
                         1 - 0x1p-53,
                         0x1p-60,
                         0.075,
                         0.925,
                         0.0749999999,
                         0.9250000001,
                         0.5,
                         0.5 + 0x1p-53,
                         exp(-25.0),
                         exp(-25.0) * 1.0000001,
                         exp(-25.0) * 0.9999999,
                         1e-300,
                         0.3095484680498525};
  uint64_t x = 0x1234567887654321ull;
  double worst = 0;
  for (int i = 0; i < 400000 + (int)(sizeof edge / sizeof *edge); i++) {
    double p = i < (int)(sizeof edge / sizeof *edge) ? edge[i] : test_p(&x, i);
    double z = normal_quantile(p), g = gsl_cdf_ugaussian_Pinv(p);
    double err = g == 0 ? fabs(z) : fabs(z - g) / fabs(g);
    worst = err > worst ? err : worst;
  }
  assert_true(worst < 1.2e-15);
  assert_true(worst > 0); /* the test compares two evaluations, not one */
  assert_true(normal_quantile(0.5) == 0.0);
}

/* normal_exp against libm: within 4.5e-16 relative (largest seen: 4.33e-16)
 * over [-700, 700], and exact where it must be. */
static void test_normal_exp_accuracy(void **state)
{
  (void)state;
  uint64_t x = 0x0F1E2D3C4B5A6978ull;
  double worst = 0;
  for (int i = 0; i < 400000; i++) {
    uint64_t r = next(&x);
    double v = (rng_u01((uint32_t)(r >> 32), (uint32_t)r) - 0.5) * (i % 2 ? 1400.0 : 2.0);
    double err = fabs(normal_exp(v) - exp(v)) / exp(v);
    worst = err > worst ? err : worst;
  }
  assert_true(worst < 4.5e-16);
  assert_true(normal_exp(0.0) == 1.0);
  assert_true(normal_exp(1.0) == exp(1.0) || fabs(normal_exp(1.0) / exp(1.0) - 1) < 4.5e-16);
  assert_true(normal_exp(-700.0) > 0 && normal_exp(700.0) < INFINITY);
}

/* normal_lognormal (AVX2 here, four at a time, tails gathered) gives
 * normal_exp(sigma normal_quantile(u) - sigma^2 / 2) one at a time to the
 * bit, 1 where sigma is 0, for every count 0..300 (whole vectors, chunks
 * of 256 and the scalar rest); and the multipliers' mean is 1 (sigma =
 * 0.5: standard error sqrt(e^0.25 - 1) / sqrt(n) = 0.0011 at n = 200,000;
 * within 4 of them). */
static void test_lognormal_paths_agree(void **state)
{
  (void)state;
  enum { N = 300 };
  double sigma[N] = {0}, u[N] = {0}, out[N];
  uint64_t x = 0xDEADBEEFCAFEF00Dull;
  for (size_t n = 0; n <= N; n += n < 40 ? 1 : 13) {
    for (size_t i = 0; i < n; i++) {
      uint64_t r = next(&x);
      sigma[i] = r % 5 == 0 ? 0.0 : 5.0 * (double)(r >> 40) / 16777216.0;
      u[i] = test_p(&x, (int)i);
    }
    normal_lognormal(sigma, u, out, n);
    for (size_t i = 0; i < n; i++) {
      double want = sigma[i] > 0
                        ? normal_exp(sigma[i] * normal_quantile(u[i]) - 0.5 * sigma[i] * sigma[i])
                        : 1.0;
      assert_memory_equal(&out[i], &want, sizeof want);
    }
  }
  double sum = 0;
  for (int b = 0; b < 200000 / N; b++) {
    for (size_t i = 0; i < N; i++) {
      uint32_t w[4];
      rng_block(3, RNG_HETERO, 0, (uint32_t)(b * N + (int)i), 0, w);
      sigma[i] = 0.5;
      u[i] = rng_u01(w[0], w[1]);
    }
    normal_lognormal(sigma, u, out, N);
    for (size_t i = 0; i < N; i++)
      sum += out[i];
  }
  double n = (double)(200000 / N * N), se = sqrt(exp(0.25) - 1) / sqrt(n);
  assert_true(fabs(sum / n - 1.0) < 4 * se);
}

static void test_gsl_seeding_reproducible(void **state)
{
  (void)state;
  gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937), *b = gsl_rng_alloc(gsl_rng_mt19937);
  rng_gsl_seed(a, 5, RNG_GRAPH);
  rng_gsl_seed(b, 5, RNG_GRAPH);
  for (int i = 0; i < 100; i++)
    assert_true(gsl_rng_get(a) == gsl_rng_get(b));
  rng_gsl_seed(b, 5, RNG_ASSIGN);
  rng_gsl_seed(a, 5, RNG_GRAPH);
  assert_true(gsl_rng_get(a) != gsl_rng_get(b));
  gsl_rng_free(a);
  gsl_rng_free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_philox_known_answers),
      cmocka_unit_test(test_u01_open_interval),
      cmocka_unit_test(test_uniform_moments),
      cmocka_unit_test(test_draws_depend_on_every_key_part),
      cmocka_unit_test(test_geometric_skipping_rate),
      cmocka_unit_test(test_stream_is_block_by_block),
      cmocka_unit_test(test_gsl_seeding_reproducible),
      cmocka_unit_test(test_eight_at_once_is_the_same),
      cmocka_unit_test(test_normal_quantile_accuracy),
      cmocka_unit_test(test_normal_exp_accuracy),
      cmocka_unit_test(test_lognormal_paths_agree),
  };
  return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
