/* analysis: each method on a function with a known answer (SPEC 12):
 * Ishigami for Sobol, a linear function for Morris and PRCC, a planted box
 * for PRIM.  Fixed seeds, stated sample sizes and tolerances. */
#include "testutil.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "analysis.h"
#include "sweep.h"

#define ISHIGAMI_A 7.0
#define ISHIGAMI_B 0.1

static double ishigami(const double *u)
{
  double x[3];
  for (int i = 0; i < 3; i++)
    x[i] = -M_PI + 2 * M_PI * u[i];
  double s2 = sin(x[1]);
  return sin(x[0]) + ISHIGAMI_A * s2 * s2 + ISHIGAMI_B * pow(x[2], 4) * sin(x[0]);
}

/* Ishigami (a = 7, b = 0.1) on a Saltelli design of 2^13 base samples:
 * S1 = 0.3139, 0.4424, 0 and ST = 0.5576, 0.4424, 0.2437 (Saltelli et al.
 * 2008), each within 0.03 and inside its bootstrap interval. */
static void test_sobol_ishigami(void **state)
{
  (void)state;
  const size_t N = 8192, k = 3;
  double *f = malloc(N * (k + 2) * sizeof *f), ab[6], x[3];
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 6);
  for (size_t j = 0; j < N; j++) {
    gsl_qrng_get(q, ab);
    f[j * 5] = ishigami(ab);
    f[j * 5 + 1] = ishigami(ab + 3);
    for (size_t i = 0; i < k; i++) {
      memcpy(x, ab, sizeof x);
      x[i] = ab[3 + i];
      f[j * 5 + 2 + i] = ishigami(x);
    }
  }
  gsl_qrng_free(q);
  sobol_index si[3];
  assert_int_equal(analysis_sobol(f, N, k, 1, si), 0);
  const double S1[3] = {0.3139, 0.4424, 0.0}, ST[3] = {0.5576, 0.4424, 0.2437};
  for (size_t i = 0; i < k; i++) {
    print_message("x%zu: S1 %.4f [%.4f, %.4f] (exact %.4f), ST %.4f [%.4f, %.4f] (exact %.4f)\n",
                  i + 1, si[i].S1, si[i].S1_lo, si[i].S1_hi, S1[i], si[i].ST, si[i].ST_lo,
                  si[i].ST_hi, ST[i]);
    assert_close(si[i].S1, S1[i], 0.03);
    assert_close(si[i].ST, ST[i], 0.03);
    assert_true(si[i].S1_lo <= S1[i] && S1[i] <= si[i].S1_hi);
    assert_true(si[i].ST_lo <= ST[i] && ST[i] <= si[i].ST_hi);
  }
  free(f);
}

/* Morris on f = 2 x1 - 3 x2 + 0 x3 with x1 in [0, 1], x2 in [10, 30],
 * x3 in [0, 5]: every elementary effect is the coefficient times the
 * range, so mu = 2, -60, 0, mu_star = 2, 60, 0 and sigma = 0 exactly. */
static void test_morris_linear(void **state)
{
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/m.cfg", tmp);
  FILE *fp = fopen(path, "w");
  fputs("sweep: { design = \"morris\"; points = 20; seed = 9; parameters = (\n"
        "  { path = \"utility.tilt\"; min = 0.0; max = 1.0; },\n"
        "  { path = \"utility.maturity\"; min = 10.0; max = 30.0; },\n"
        "  { path = \"utility.catalog\"; min = 0.0; max = 5.0; } ); };\n",
        fp);
  fclose(fp);
  sweep *w = malloc(sizeof *w);
  scn_errors *err = malloc(sizeof *err);
  assert_int_equal(sweep_load(path, w, err), 0);
  size_t P = w->n_points, k = 3;
  double *u = malloc(P * k * sizeof *u), *f = malloc(P * sizeof *f);
  assert_int_equal(sweep_design_points(w, u), 0);
  const double lo[3] = {0, 10, 0}, range[3] = {1, 20, 5}, c[3] = {2, -3, 0};
  for (size_t p = 0; p < P; p++) {
    f[p] = 0;
    for (size_t i = 0; i < k; i++)
      f[p] += c[i] * (lo[i] + u[p * k + i] * range[i]);
  }
  morris_index mi[3];
  assert_int_equal(analysis_morris(u, f, P / (k + 1), k, 1, mi), 0);
  for (size_t i = 0; i < k; i++) {
    assert_int_equal(mi[i].n, 20);
    assert_close(mi[i].mu, c[i] * range[i], 1e-9);
    assert_close(mi[i].mu_star, fabs(c[i]) * range[i], 1e-9);
    assert_close(mi[i].sigma, 0, 1e-9);
    assert_close(mi[i].mu_star_lo, mi[i].mu_star, 1e-9); /* no spread, no width */
  }
  free(u);
  free(f);
  sweep_free(w);
  free(w);
  free(err);
}

/* PRCC: a monotone function of x1 alone gives exactly 1 (ranks are
 * invariant); on y = 3 x1 - 2 x2 + noise, x3 irrelevant, x1 and x2 are
 * strongly partially correlated and x3's interval holds 0. */
static void test_prcc_linear(void **state)
{
  (void)state;
  const size_t n = 500, k = 3;
  double *x = malloc(n * k * sizeof *x), *y = malloc(n * sizeof *y);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 17);
  for (size_t p = 0; p < n; p++) {
    for (size_t i = 0; i < k; i++)
      x[p * k + i] = gsl_rng_uniform(r);
    y[p] = exp(5 * x[p * k]);
  }
  prcc_index pc[3];
  double *x1 = malloc(n * sizeof *x1);
  for (size_t p = 0; p < n; p++)
    x1[p] = x[p * k];
  assert_int_equal(analysis_prcc(x1, y, n, 1, pc), 0);
  assert_close(pc[0].prcc, 1.0, 1e-12);
  for (size_t p = 0; p < n; p++)
    y[p] = 3 * x[p * k] - 2 * x[p * k + 1] + 0.3 * (gsl_rng_uniform(r) - 0.5);
  assert_int_equal(analysis_prcc(x, y, n, k, pc), 0);
  print_message("prcc %.3f %.3f %.3f [%.3f, %.3f]\n", pc[0].prcc, pc[1].prcc, pc[2].prcc, pc[2].lo,
                pc[2].hi);
  assert_true(pc[0].prcc > 0.95 && pc[0].lo > 0.9);
  assert_true(pc[1].prcc < -0.95 && pc[1].hi < -0.9);
  assert_true(pc[2].lo < 0 && pc[2].hi > 0);
  /* Fisher z: the interval of r with n - (k - 1) - 3 degrees */
  double se = 1 / sqrt((double)n - 2 - 3);
  assert_close(pc[2].lo, tanh(atanh(pc[2].prcc) - 1.959963984540054 * se), 1e-12);
  free(x);
  free(x1);
  free(y);
  gsl_rng_free(r);
}

/* PRIM on a planted box: y = 1 where x1 > 0.6 and x2 < 0.3, on 2,000
 * uniform points in the unit cube.  The chosen box restricts x1 and x2 to
 * within 0.05 of the planted bounds and leaves x3 free; its density and
 * coverage are what the points in its bounds give by hand. */
static void test_prim_planted_box(void **state)
{
  (void)state;
  const size_t n = 2000, k = 3;
  double *x = malloc(n * k * sizeof *x);
  int *y = malloc(n * sizeof *y);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 5);
  size_t pos = 0;
  for (size_t p = 0; p < n; p++) {
    for (size_t i = 0; i < k; i++)
      x[p * k + i] = gsl_rng_uniform(r);
    y[p] = x[p * k] > 0.6 && x[p * k + 1] < 0.3;
    pos += (size_t)y[p];
  }
  prim_result pr;
  assert_int_equal(analysis_prim(x, y, n, k, 0.05, 0.05, 0.8, &pr), 0);
  const prim_box *b = &pr.step[pr.chosen];
  print_message("prim: %zu steps, chosen %zu: x1 [%.3f, %.3f], x2 [%.3f, %.3f], x3 [%.3f, %.3f], "
                "density %.3f coverage %.3f mass %.3f\n",
                pr.n_steps, pr.chosen, b->lo[0], b->hi[0], b->lo[1], b->hi[1], b->lo[2], b->hi[2],
                b->density, b->coverage, b->mass);
  assert_close(b->lo[0], 0.6, 0.05);
  assert_close(b->hi[1], 0.3, 0.05);
  assert_true(b->hi[0] > 0.95 && b->lo[1] < 0.05);
  assert_true(b->lo[2] < 0.05 && b->hi[2] > 0.95);
  assert_int_equal(b->restricted, 2);
  size_t in = 0, in_pos = 0;
  for (size_t p = 0; p < n; p++) {
    int ok = 1;
    for (size_t i = 0; i < k; i++)
      ok &= x[p * k + i] >= b->lo[i] && x[p * k + i] <= b->hi[i];
    in += (size_t)ok;
    in_pos += (size_t)(ok && y[p]);
  }
  assert_close(b->density, (double)in_pos / (double)in, 1e-15);
  assert_close(b->coverage, (double)in_pos / (double)pos, 1e-15);
  assert_close(b->mass, (double)in / (double)n, 1e-15);
  assert_true(b->density >= 0.8 && b->coverage >= 0.8);
  /* The chosen box is the last step with density at least 0.8 (SPEC 12);
   * peeling and pasting only take steps that raise the density, so the
   * density rises step by step. */
  size_t last = 0;
  for (size_t st = 0; st < pr.n_steps; st++) {
    if (pr.step[st].density >= 0.8)
      last = st;
    if (st > 0)
      assert_true(pr.step[st].density > pr.step[st - 1].density);
  }
  assert_int_equal(pr.chosen, last);
  /* The trajectory: mass never grows while peeling, the first box is all. */
  assert_close(pr.step[0].mass, 1.0, 0);
  assert_close(pr.step[0].coverage, 1.0, 0);
  analysis_prim_free(&pr);
  free(x);
  free(y);
  gsl_rng_free(r);
}

/* With noise inside and outside a planted box, peeling goes on to a mass of
 * about 0.18; a minimum mass of 0.3 stops it there, after the last peel
 * that keeps at least 0.3 of the points. */
static void test_prim_minimum_mass(void **state)
{
  (void)state;
  const size_t n = 2000, k = 3;
  double *x = malloc(n * k * sizeof *x);
  int *y = malloc(n * sizeof *y);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 8);
  for (size_t p = 0; p < n; p++) {
    for (size_t i = 0; i < k; i++)
      x[p * k + i] = gsl_rng_uniform(r);
    int in = x[p * k] > 0.5 && x[p * k + 1] < 0.5;
    y[p] = gsl_rng_uniform(r) < (in ? 0.8 : 0.1);
  }
  prim_result pr;
  assert_int_equal(analysis_prim(x, y, n, k, 0.05, 0.3, 0.8, &pr), 0);
  double smallest = 1;
  for (size_t st = 0; st < pr.n_steps; st++)
    smallest = pr.step[st].mass < smallest ? pr.step[st].mass : smallest;
  print_message("prim with noise: %zu steps, smallest mass %.4f\n", pr.n_steps, smallest);
  assert_true(smallest >= 0.3);
  assert_true(smallest < 0.3 / (1 - 0.05) + 0.01); /* it peeled as far as allowed */
  analysis_prim_free(&pr);
  free(x);
  free(y);
  gsl_rng_free(r);
}

static void test_rank_ties(void **state)
{
  (void)state;
  const double x[6] = {3, 1, 3, 2, 5, 3};
  double rk[6];
  analysis_rank(x, 6, rk);
  const double want[6] = {4, 1, 4, 2, 6, 4};
  for (int i = 0; i < 6; i++)
    assert_close(rk[i], want[i], 0);
}

static int setup(void **state)
{
  (void)state;
  return tmp_make("analysis");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sobol_ishigami),    cmocka_unit_test(test_morris_linear),
      cmocka_unit_test(test_prcc_linear),       cmocka_unit_test(test_prim_planted_box),
      cmocka_unit_test(test_prim_minimum_mass), cmocka_unit_test(test_rank_ties),
  };
  return cmocka_run_group_tests_name("analysis", tests, setup, tmp_remove);
}
