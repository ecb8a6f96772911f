/* rng: Philox known answers, uniform and geometric-skip statistics. */
#include "testutil.h"

#include <math.h>

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

/* The eight-at-once Philox (AVX2 where the processor has it, as here) gives
 * the scalar one's numbers bit for bit, for
 * keys, counters and lanes across their whole ranges (index0 near 2^32 - 8
 * included, and key words that make the schedule wrap). */
static void test_eight_at_once_is_the_same(void **state)
{
  (void)state;
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int trial = 0; trial < 20000; trial++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift: the test's own inputs */
    uint64_t key = trial == 0 ? UINT64_MAX : x;
    uint32_t purpose = (uint32_t)(x >> 8) & 0xff, step = (uint32_t)(x >> 16);
    uint32_t index0 = trial == 1 ? UINT32_MAX - 7 : (uint32_t)(x >> 24);
    uint32_t lane = (uint32_t)x & 3;
    double eight[8][2], one[2];
    rng_uniform2x8(key, purpose, step, index0, lane, eight);
    for (uint32_t d = 0; d < 8; d++) {
      rng_uniform2(key, purpose, step, index0 + d, lane, one);
      assert_memory_equal(eight[d], one, sizeof one);
    }
  }
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
      cmocka_unit_test(test_gsl_seeding_reproducible),
      cmocka_unit_test(test_eight_at_once_is_the_same),
  };
  return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
