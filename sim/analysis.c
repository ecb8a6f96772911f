/* analysis: Sobol, Morris, PRCC and PRIM (SPEC 12) on plain arrays.
 * Where the SPEC is silent these follow SALib (intervals: estimate +- 1.96
 * bootstrap standard deviations; the variance of f over A and B with n in
 * the denominator) and the EMA Workbench (PRIM's "lenient1" objective:
 * gain in mean over loss of points; peels at the alpha quantile; ties
 * broken toward fewer restricted parameters). */
#include "analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "rng.h"
#include "stats.h"

/* ------------------------------------------------------------------ Sobol */

/* S1 and ST of parameter i over the base samples idx[0..n). */
static void sobol_one(const double *f, const size_t *idx, size_t n, size_t k, size_t i, double *S1,
                      double *ST)
{
  size_t per = k + 2;
  double sum = 0, sum2 = 0;
  for (size_t x = 0; x < n; x++) {
    const double *g = f + idx[x] * per;
    sum += g[0] + g[1];
    sum2 += g[0] * g[0] + g[1] * g[1];
  }
  double mean = sum / (double)(2 * n), V = sum2 / (double)(2 * n) - mean * mean;
  double s1 = 0, st = 0;
  for (size_t x = 0; x < n; x++) {
    const double *g = f + idx[x] * per;
    double fa = g[0], fb = g[1], fab = g[2 + i];
    s1 += fb * (fab - fa);
    st += (fa - fab) * (fa - fab);
  }
  *S1 = V > 0 ? s1 / (double)n / V : NAN;
  *ST = V > 0 ? st / (double)n / 2.0 / V : NAN;
}

int analysis_sobol(const double *f, size_t n_base, size_t k, uint64_t seed, sobol_index *out)
{
  if (n_base < 2)
    return -1;
  size_t *idx = malloc(n_base * sizeof *idx);
  double *b1 = malloc(ANALYSIS_BOOTSTRAP * sizeof *b1),
         *bt = malloc(ANALYSIS_BOOTSTRAP * sizeof *bt);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  int rc = -1;
  if (!idx || !b1 || !bt || !r)
    goto done;
  for (size_t j = 0; j < n_base; j++)
    idx[j] = j;
  for (size_t i = 0; i < k; i++) {
    sobol_one(f, idx, n_base, k, i, &out[i].S1, &out[i].ST);
    if (!isfinite(out[i].S1))
      goto done;
  }
  rng_gsl_seed(r, seed, RNG_ANALYZE);
  for (size_t i = 0; i < k; i++) {
    size_t nb = 0;
    for (size_t b = 0; b < ANALYSIS_BOOTSTRAP; b++) {
      for (size_t j = 0; j < n_base; j++)
        idx[j] = gsl_rng_uniform_int(r, n_base);
      double s1, st;
      sobol_one(f, idx, n_base, k, i, &s1, &st);
      if (isfinite(s1)) { /* a resample with no variance tells nothing */
        b1[nb] = s1;
        bt[nb++] = st;
      }
    }
    double h1 = nb > 1 ? ANALYSIS_Z95 * stats_sd(b1, nb, stats_mean(b1, nb)) : 0;
    double ht = nb > 1 ? ANALYSIS_Z95 * stats_sd(bt, nb, stats_mean(bt, nb)) : 0;
    out[i].S1_lo = out[i].S1 - h1;
    out[i].S1_hi = out[i].S1 + h1;
    out[i].ST_lo = out[i].ST - ht;
    out[i].ST_hi = out[i].ST + ht;
  }
  rc = 0;
done:
  free(idx);
  free(b1);
  free(bt);
  if (r)
    gsl_rng_free(r);
  return rc;
}

/* ----------------------------------------------------------------- Morris */

int analysis_morris(const double *u, const double *f, size_t n_traj, size_t k, uint64_t seed,
                    morris_index *out)
{
  double *ee = malloc((n_traj * k + 1) * sizeof *ee),
         *abs_ee = malloc((n_traj + 1) * sizeof *abs_ee);
  double *boot = malloc(ANALYSIS_BOOTSTRAP * sizeof *boot);
  size_t *cnt = calloc(k, sizeof *cnt);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  int rc = -1;
  if (!ee || !abs_ee || !boot || !cnt || !r)
    goto done;
  /* ee[i * n_traj + c]: parameter i's effects in trajectory order */
  for (size_t t = 0; t < n_traj; t++)
    for (size_t m = 0; m < k; m++) {
      size_t a = t * (k + 1) + m, b = a + 1, moved = k;
      for (size_t i = 0; i < k; i++)
        if (u[b * k + i] != u[a * k + i])
          moved = moved == k ? i : k + 1; /* k + 1: more than one moved */
      if (moved >= k)
        continue; /* not a Morris step: skipped */
      ee[moved * n_traj + cnt[moved]++] = (f[b] - f[a]) / (u[b * k + moved] - u[a * k + moved]);
    }
  rng_gsl_seed(r, seed, RNG_ANALYZE);
  for (size_t i = 0; i < k; i++) {
    size_t n = cnt[i];
    const double *e = ee + i * n_traj;
    morris_index *o = &out[i];
    memset(o, 0, sizeof *o);
    o->n = n;
    if (n == 0)
      continue;
    for (size_t c = 0; c < n; c++)
      abs_ee[c] = fabs(e[c]);
    o->mu = stats_mean(e, n);
    o->mu_star = stats_mean(abs_ee, n);
    o->sigma = stats_sd(e, n, o->mu);
    for (size_t b = 0; b < ANALYSIS_BOOTSTRAP; b++) {
      double s = 0;
      for (size_t c = 0; c < n; c++)
        s += abs_ee[gsl_rng_uniform_int(r, n)];
      boot[b] = s / (double)n;
    }
    double h =
        ANALYSIS_Z95 * stats_sd(boot, ANALYSIS_BOOTSTRAP, stats_mean(boot, ANALYSIS_BOOTSTRAP));
    o->mu_star_lo = o->mu_star - h;
    o->mu_star_hi = o->mu_star + h;
  }
  rc = 0;
done:
  free(ee);
  free(abs_ee);
  free(boot);
  free(cnt);
  if (r)
    gsl_rng_free(r);
  return rc;
}

/* ------------------------------------------------------------------- PRCC */

#define SINGULAR 1e-12 /* a rank correlation matrix with a smaller determinant */

void analysis_rank(const double *x, size_t n, double *r)
{
  size_t *p = malloc((n ? n : 1) * sizeof *p);
  if (!p)
    return;
  gsl_sort_index(p, x, 1, n);
  for (size_t a = 0; a < n;) {
    size_t b = a;
    while (b + 1 < n && x[p[b + 1]] == x[p[a]])
      b++;
    double avg = 0.5 * (double)(a + b) + 1.0;
    for (size_t c = a; c <= b; c++)
      r[p[c]] = avg;
    a = b + 1;
  }
  free(p);
}

/* Pearson's correlation in double (GSL's accumulates in long double, whose
 * width differs between machines). */
static double correlation(const double *x, const double *y, size_t n)
{
  double mx = stats_mean(x, n), my = stats_mean(y, n), sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / sqrt(sxx * syy); /* NaN for a constant column */
}

int analysis_prcc(const double *x, const double *y, size_t n, size_t k, prcc_index *out)
{
  size_t d = k + 1; /* the ranks of x_1..x_k and y */
  if (n < k + 4)
    return -1;
  double *col = malloc(n * sizeof *col), *rk = malloc(n * d * sizeof *rk);
  gsl_matrix *c = gsl_matrix_alloc(d, d), *inv = gsl_matrix_alloc(d, d);
  gsl_permutation *perm = gsl_permutation_alloc(d);
  int rc = -1, sign;
  if (!col || !rk || !c || !inv || !perm)
    goto done;
  for (size_t j = 0; j < d; j++) {
    for (size_t p = 0; p < n; p++)
      col[p] = j < k ? x[p * k + j] : y[p];
    analysis_rank(col, n, rk + j * n);
  }
  /* The correlation matrix of the ranks; its inverse gives every partial
   * correlation at once: r_iy.rest = -P_iy / sqrt(P_ii P_yy). */
  for (size_t a = 0; a < d; a++)
    for (size_t b = a; b < d; b++) {
      double v = correlation(rk + a * n, rk + b * n, n);
      if (!isfinite(v))
        goto done; /* a constant column */
      gsl_matrix_set(c, a, b, v);
      gsl_matrix_set(c, b, a, v);
    }
  if (k == 1) { /* no other parameter: the rank (Spearman) correlation itself */
    gsl_matrix_set_identity(inv);
    double r1 = gsl_matrix_get(c, 0, 1);
    gsl_matrix_set(inv, 0, 1, -r1);
    gsl_matrix_set(inv, 1, 0, -r1);
  } else if (gsl_linalg_LU_decomp(c, perm, &sign) != 0 ||
             fabs(gsl_linalg_LU_det(c, sign)) < SINGULAR ||
             gsl_linalg_LU_invert(c, perm, inv) != 0) {
    goto done; /* ranks that are linear combinations of each other */
  }
  double se = n > k + 2 ? 1.0 / sqrt((double)n - (double)(k - 1) - 3.0) : INFINITY;
  for (size_t i = 0; i < k; i++) {
    double pii = gsl_matrix_get(inv, i, i), pyy = gsl_matrix_get(inv, k, k);
    double r = -gsl_matrix_get(inv, i, k) / sqrt(pii * pyy);
    if (!isfinite(r))
      goto done;
    r = r > 1 ? 1 : r < -1 ? -1 : r;
    double z = atanh(r < 1 - 1e-15 ? (r > -1 + 1e-15 ? r : -1 + 1e-15) : 1 - 1e-15);
    out[i].prcc = r;
    out[i].lo = tanh(z - ANALYSIS_Z95 * se);
    out[i].hi = tanh(z + ANALYSIS_Z95 * se);
  }
  rc = 0;
done:
  free(col);
  free(rk);
  gsl_matrix_free(c);
  gsl_matrix_free(inv);
  gsl_permutation_free(perm);
  return rc;
}

/* ------------------------------------------------------------------- PRIM */

typedef struct {
  const double *x;
  const int *y;
  size_t n, k;
  double *lo, *hi;         /* the current box */
  const double *dlo, *dhi; /* the data's range */
  unsigned char *in;       /* in the current box */
  double *vals;            /* scratch: values of one column */
} prim_ws;

static int inside(const prim_ws *w, size_t p, const double *lo, const double *hi)
{
  for (size_t i = 0; i < w->k; i++) {
    double v = w->x[p * w->k + i];
    if (v < lo[i] || v > hi[i])
      return 0;
  }
  return 1;
}

/* Points and points with y = 1 in the box (lo, hi). */
static void box_count(const prim_ws *w, const double *lo, const double *hi, size_t *np, size_t *ny)
{
  *np = *ny = 0;
  for (size_t p = 0; p < w->n; p++)
    if (inside(w, p, lo, hi)) {
      (*np)++;
      *ny += (size_t)(w->y[p] != 0);
    }
}

static size_t restricted(const prim_ws *w, const double *lo, const double *hi)
{
  size_t r = 0;
  for (size_t i = 0; i < w->k; i++)
    r += lo[i] > w->dlo[i] || hi[i] < w->dhi[i];
  return r;
}

static void record_box(prim_result *res, const prim_ws *w, size_t n_pos)
{
  if (res->n_steps >= PRIM_MAX_STEPS)
    return;
  prim_box *b = &res->step[res->n_steps++];
  size_t np, ny;
  box_count(w, w->lo, w->hi, &np, &ny);
  b->mass = (double)np / (double)w->n;
  b->density = np ? (double)ny / (double)np : 0;
  b->coverage = (double)ny / (double)n_pos;
  b->restricted = restricted(w, w->lo, w->hi);
  memcpy(b->lo, w->lo, w->k * sizeof *w->lo);
  memcpy(b->hi, w->hi, w->k * sizeof *w->hi);
}

/* One candidate: box (lo, hi) with limit i on `side` (0 lower, 1 upper)
 * moved to v; its lenient1 score against (np, ny) of the current box. */
static double candidate(const prim_ws *w, size_t i, int side, double v, size_t np, size_t ny,
                        size_t *np_new, size_t *ny_new)
{
  double keep = side ? w->hi[i] : w->lo[i];
  if (side)
    w->hi[i] = v;
  else
    w->lo[i] = v;
  box_count(w, w->lo, w->hi, np_new, ny_new);
  if (side)
    w->hi[i] = keep;
  else
    w->lo[i] = keep;
  if (*np_new == np || *np_new == 0)
    return -INFINITY;
  double gain = (double)*ny_new / (double)*np_new - (double)ny / (double)np;
  double dn = fabs((double)*np_new - (double)np);
  return gain / dn;
}

/* The alpha quantile of sorted v[0..m) as the EMA Workbench takes it: the
 * midpoint of the two values around it, moved past ties toward the middle
 * so that a peel always removes something when the values differ. */
static double peel_quantile(const double *v, size_t m, double q)
{
  double at = (double)(m - 1) * q;
  size_t lo = (size_t)floor(at), hi = (size_t)ceil(at);
  if (q > 0.5)
    while (v[lo] == v[hi] && lo > 0)
      lo--;
  else
    while (v[lo] == v[hi] && hi < m - 1)
      hi++;
  return 0.5 * (v[lo] + v[hi]);
}

/* Limit i of the box: its lower end (side 0) or upper end (side 1). */
static double *limit(prim_ws *w, size_t i, int side)
{
  return side ? &w->hi[i] : &w->lo[i];
}

/* Peel the best of the 2k candidates at the alpha quantile of the box's
 * points (lenient1; ties to fewer restricted parameters) if it raises the
 * density and keeps min_mass of the points.  1 if it peeled. */
static int peel_once(prim_ws *w, double alpha, double min_mass)
{
  size_t np, ny, n = w->n, k = w->k;
  box_count(w, w->lo, w->hi, &np, &ny);
  double best = -INFINITY, best_v = 0;
  size_t best_i = 0, best_np = 0, best_res = 0;
  int best_side = 0;
  for (size_t i = 0; i < k; i++) {
    size_t m = 0;
    for (size_t p = 0; p < n; p++)
      if (inside(w, p, w->lo, w->hi))
        w->vals[m++] = w->x[p * k + i];
    if (m < 2)
      continue;
    gsl_sort(w->vals, 1, m);
    for (int side = 0; side < 2; side++) {
      double v = peel_quantile(w->vals, m, side ? 1 - alpha : alpha);
      size_t np2, ny2;
      double sc = candidate(w, i, side, v, np, ny, &np2, &ny2);
      if ((double)np2 / (double)n < min_mass)
        continue;
      double keep = *limit(w, i, side);
      *limit(w, i, side) = v;
      size_t res = restricted(w, w->lo, w->hi);
      *limit(w, i, side) = keep;
      if (sc > best || (sc == best && res < best_res)) {
        best = sc;
        best_i = i;
        best_side = side;
        best_v = v;
        best_np = np2;
        best_res = res;
      }
    }
  }
  if (!(best > 0) || best_np >= np)
    return 0;
  *limit(w, best_i, best_side) = best_v;
  return 1;
}

/* Widen the restricted limit whose nearest outside points, alpha of the
 * box's count, raise the density most (lenient1), if any does.  1 if it
 * pasted. */
static int paste_once(prim_ws *w, double alpha)
{
  size_t np, ny, n = w->n, k = w->k;
  box_count(w, w->lo, w->hi, &np, &ny);
  size_t want = (size_t)ceil(alpha * (double)np);
  double best = 0, best_v = 0;
  size_t best_i = 0;
  int best_side = 0;
  for (size_t i = 0; i < k; i++)
    for (int side = 0; side < 2; side++) {
      double keep = *limit(w, i, side), end = side ? w->dhi[i] : w->dlo[i];
      if (keep == end)
        continue; /* not restricted on this side */
      /* the points outside only this limit, nearest first */
      size_t m = 0;
      *limit(w, i, side) = end;
      for (size_t p = 0; p < n; p++) {
        double v = w->x[p * k + i];
        if ((side ? v > keep : v < keep) && inside(w, p, w->lo, w->hi))
          w->vals[m++] = v;
      }
      *limit(w, i, side) = keep;
      if (m == 0)
        continue;
      gsl_sort(w->vals, 1, m);
      size_t take = want < m ? want : m;
      double v = side ? w->vals[take - 1] : w->vals[m - take];
      size_t np2, ny2;
      double sc = candidate(w, i, side, v, np, ny, &np2, &ny2);
      if (sc > best) {
        best = sc;
        best_i = i;
        best_side = side;
        best_v = v;
      }
    }
  if (!(best > 0))
    return 0;
  *limit(w, best_i, best_side) = best_v;
  return 1;
}

/* The last step at or above the threshold, else the densest. */
static size_t choose_box(const prim_result *r, double threshold)
{
  size_t chosen = 0;
  int found = 0;
  for (size_t s = 0; s < r->n_steps; s++)
    if (r->step[s].density >= threshold) {
      chosen = s;
      found = 1;
    }
  if (!found)
    for (size_t s = 1; s < r->n_steps; s++)
      if (r->step[s].density > r->step[chosen].density)
        chosen = s;
  return chosen;
}

int analysis_prim(const double *x, const int *y, size_t n, size_t k, double alpha, double min_mass,
                  double threshold, prim_result *out)
{
  memset(out, 0, sizeof *out);
  out->k = k;
  size_t n_pos = 0;
  for (size_t p = 0; p < n; p++)
    n_pos += (size_t)(y[p] != 0);
  if (n == 0 || n_pos == 0 || k == 0)
    return -1;
  prim_ws w = {x, y, n, k, NULL, NULL, NULL, NULL, NULL, NULL};
  double *mem = malloc(4 * k * sizeof *mem);
  w.vals = malloc(n * sizeof *w.vals);
  out->bounds = malloc(2 * k * PRIM_MAX_STEPS * sizeof *out->bounds);
  if (!mem || !w.vals || !out->bounds) {
    free(mem);
    free(w.vals);
    analysis_prim_free(out);
    return -1;
  }
  for (size_t s = 0; s < PRIM_MAX_STEPS; s++) {
    out->step[s].lo = out->bounds + 2 * k * s;
    out->step[s].hi = out->step[s].lo + k;
  }
  w.lo = mem;
  w.hi = mem + k;
  double *dlo = mem + 2 * k, *dhi = mem + 3 * k;
  for (size_t i = 0; i < k; i++) {
    dlo[i] = dhi[i] = x[i];
    for (size_t p = 1; p < n; p++) {
      double v = x[p * k + i];
      dlo[i] = v < dlo[i] ? v : dlo[i];
      dhi[i] = v > dhi[i] ? v : dhi[i];
    }
    w.lo[i] = dlo[i];
    w.hi[i] = dhi[i];
  }
  w.dlo = dlo;
  w.dhi = dhi;
  record_box(out, &w, n_pos);

  /* Peeling while a peel raises the density and keeps min_mass, then
   * pasting; the pasted box is the trajectory's last step. */
  while (out->n_steps < PRIM_MAX_STEPS && peel_once(&w, alpha, min_mass))
    record_box(out, &w, n_pos);
  int pasted = 0;
  while (paste_once(&w, alpha))
    pasted = 1;
  if (pasted)
    record_box(out, &w, n_pos);
  size_t chosen = choose_box(out, threshold);
  out->chosen = chosen;
  free(mem);
  free(w.vals);
  return 0;
}

void analysis_prim_free(prim_result *r)
{
  free(r->bounds);
  r->bounds = NULL;
  r->n_steps = 0;
}
