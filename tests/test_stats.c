/* stats: against values computed by hand. */
#include "testutil.h"

#include <math.h>

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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_known_answers),
      cmocka_unit_test(test_one_value),
      cmocka_unit_test(test_halfwidth_large_n_is_normal),
  };
  return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
