/* analysis: the sensitivity and scenario-discovery methods of SPEC 12 on
 * plain arrays, so that tests can check them on functions with known
 * answers: Sobol indices from a Saltelli design, Morris elementary effects,
 * partial rank correlation coefficients, and PRIM.  No files here (see
 * analyze.h). */
#ifndef LOCKIN_ANALYSIS_H
#define LOCKIN_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#define ANALYSIS_BOOTSTRAP 1000              /* resamples for the intervals */
#define ANALYSIS_Z95       1.959963984540054 /* the normal quantile of 0.975 */

typedef struct {
  double S1, S1_lo, S1_hi; /* first order (Saltelli et al. 2010) */
  double ST, ST_lo, ST_hi; /* total (Jansen 1999) */
} sobol_index;

/* f: n_base * (k + 2) values in saltelli order (A_j, B_j, AB_j^(1..k) for
 * each base sample j).  Fills out[0..k).  Intervals: the estimate +- 1.96
 * standard deviations of ANALYSIS_BOOTSTRAP bootstrap resamples of the base
 * samples (as SALib), drawn from a gsl_rng seeded with `seed`.  0, or -1
 * (out of memory, fewer than 2 base samples, or zero variance). */
int analysis_sobol(const double *f, size_t n_base, size_t k, uint64_t seed, sobol_index *out);

typedef struct {
  double mu, mu_star, sigma; /* metric per unit of the parameter's range */
  double mu_star_lo, mu_star_hi;
  size_t n; /* elementary effects found */
} morris_index;

/* u: unit-cube coordinates of n_traj * (k + 1) points in trajectory order,
 * u[p * k + i]; f their values.  Each step of a trajectory changes one
 * coordinate i: its effect is (f(next) - f(prev)) / (u_next - u_prev).
 * mu, mu_star (Campolongo et al. 2007) and sigma (n - 1) per parameter;
 * mu_star's interval by bootstrap as for Sobol.  0, or -1. */
int analysis_morris(const double *u, const double *f, size_t n_traj, size_t k, uint64_t seed,
                    morris_index *out);

typedef struct {
  double prcc, lo, hi; /* 95% interval by Fisher's z */
} prcc_index;

/* x[p * k + i], y[p], n points: the partial rank correlation of each x_i
 * with y given the other x_j (Marino et al. 2008), ties ranked by their
 * average.  0, or -1 (n < k + 4, a constant column, out of memory). */
int analysis_prcc(const double *x, const double *y, size_t n, size_t k, prcc_index *out);

/* PRIM (Friedman and Fisher 1999): one box per step of the peeling
 * trajectory, then the pasted box. */
#define PRIM_MAX_STEPS 1000
typedef struct {
  double coverage, density, mass;
  size_t restricted; /* parameters whose bounds are inside the data's range */
  double *lo, *hi;   /* k bounds each */
} prim_box;

typedef struct {
  size_t k, n_steps, chosen; /* chosen: the last step with density >= 0.8, else the densest */
  prim_box step[PRIM_MAX_STEPS];
  double *bounds; /* storage of every step's lo and hi */
} prim_result;

/* Peel with alpha down to min_mass (fractions of all points), then paste.
 * x[p * k + i], y[p] in {0, 1}.  0, or -1 (no point with y = 1, out of
 * memory).  Free with analysis_prim_free. */
int analysis_prim(const double *x, const int *y, size_t n, size_t k, double alpha, double min_mass,
                  double threshold, prim_result *out);
void analysis_prim_free(prim_result *r);

/* Average ranks (1-based) of x[0..n) into r; tie groups share their mean. */
void analysis_rank(const double *x, size_t n, double *r);

#endif
