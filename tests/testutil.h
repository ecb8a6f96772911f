/* Helpers shared by the cmocka test programs. */
#ifndef LOCKIN_TESTUTIL_H
#define LOCKIN_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>

#include "market.h"
#include "rng.h"
#include "scenario.h"

/* How many standard errors a Monte Carlo estimate may be off. */
#define N_SE 4.0

#define assert_close(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

/* Load scenario text (with optional --set strings) or fail the test. */
static inline void load_ok(const char *text, scenario *s, const char *const *sets, size_t n)
{
  scn_errors *err = malloc(sizeof *err);
  scn_overrides ov = {sets, n};
  int rc = scenario_load_string(text, "test.cfg", &ov, s, NULL, err);
  if (rc != 0)
    scn_errors_print(err, stderr);
  free(err);
  assert_int_equal(rc, 0);
}

/* Run replication r of s; returns the metrics (caller frees). */
static inline double *run_rep(const scenario *s, size_t r, long *tip)
{
  metric_layout l;
  metric_layout_init(&l, s);
  double *out = malloc((size_t)s->steps * l.n * sizeof *out);
  market *m = market_alloc(s, 1);
  assert_non_null(out);
  assert_non_null(m);
  long t;
  assert_int_equal(market_run(m, rng_replication_seed((uint64_t)s->seed, r), out, &t), 0);
  if (tip)
    *tip = t;
  market_free(m);
  return out;
}

#endif
