/* stats: against values computed by hand. */
#include "testutil.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

static void test_known_answers(void **state)
{
  (void)state;
  double x[5] = {5, 1, 4, 2, 3};
  stats_summary s;
  stats_summarize(x, 5, &s);
  assert_close(s.mean, 3.0, 1e-15);
  assert_close(s.sd, sqrt(2.5), 1e-15);
  /* t(0.975, 4) = 2.7764451051977987 */
  double h = 2.7764451051977987 * sqrt(2.5) / sqrt(5.0);
  assert_close(s.lo, 3.0 - h, 1e-12);
  assert_close(s.hi, 3.0 + h, 1e-12);
  /* linear interpolation between order statistics: 1 + 0.05 * 4 */
  assert_close(s.p05, 1.2, 1e-15);
  assert_close(s.p50, 3.0, 1e-15);
  assert_close(s.p95, 4.8, 1e-15);
  assert_close(x[0], 1.0, 0); /* sorted in place */
}

static void test_one_value(void **state)
{
  (void)state;
  double x[1] = {0.25};
  stats_summary s;
  stats_summarize(x, 1, &s);
  assert_true(s.mean == 0.25 && s.sd == 0 && s.lo == 0.25 && s.hi == 0.25);
  assert_true(s.p05 == 0.25 && s.p50 == 0.25 && s.p95 == 0.25);
}

static void test_halfwidth_large_n_is_normal(void **state)
{
  (void)state;
  /* t(0.975, inf) = 1.959964: at n = 1e6 the t quantile is within 1e-5. */
  assert_close(stats_halfwidth(1.0, 1000000) * 1000.0, 1.959964, 1e-5);
  assert_true(stats_halfwidth(1.0, 1) == 0.0);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* stats_summarize sorts with its own quicksort: the result must be GSL's
 * sorted array and GSL's figures, bit for bit, for sizes 0 to 400 and
 * values drawn from few levels (many ties, as shares of a small market
 * are), sorted, reversed, constant, and with -0 among them.  The t quantile
 * is cached per n: alternating n must give each n its own. */
static void test_summary_same_as_gsl(void **state)
{
  (void)state;
  uint64_t s = 88172645463325252ull;
  double *x = malloc(400 * sizeof *x), *ref = malloc(400 * sizeof *ref);
  for (int trial = 0; trial < 3000; trial++) {
    size_t n = (size_t)(trial % 401);
    int kind = trial % 5;
    for (size_t i = 0; i < n; i++) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      double u = (double)(s >> 11) * 0x1p-53;
      x[i] = kind == 0   ? u
             : kind == 1 ? floor(u * 7) / 7 - 0.5  /* ties */
             : kind == 2 ? (double)i               /* sorted */
             : kind == 3 ? -(double)i              /* reversed */
                         : (u < 0.5 ? -0.0 : 0.0); /* zeros of both signs */
      ref[i] = x[i] + 0.0;
    }
    qsort(ref, n, sizeof *ref, cmp_double);
    stats_summary got;
    stats_summarize(x, n, &got);
    assert_memory_equal(x, ref, n * sizeof *x);
    if (n == 0)
      continue;
    assert_true(got.p05 == gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.05));
    assert_true(got.p50 == gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.50));
    assert_true(got.p95 == gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.95));
    double t = n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) : 0.0;
    assert_true(got.hi - got.mean == got.mean + t * got.sd / sqrt((double)n) - got.mean);
  }
  free(x);
  free(ref);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_known_answers),
      cmocka_unit_test(test_one_value),
      cmocka_unit_test(test_halfwidth_large_n_is_normal),
      cmocka_unit_test(test_summary_same_as_gsl),
  };
  return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
