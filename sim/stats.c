/* stats: mean, sd, Student-t interval and quantiles, all from GSL. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#define CONFIDENCE 0.95

double stats_halfwidth(double sd, size_t n)
{
  if (n < 2)
    return 0.0;
  double t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - CONFIDENCE) / 2.0, (double)(n - 1));
  return t * sd / sqrt((double)n);
}

void stats_summarize(double *x, size_t n, stats_summary *out)
{
  gsl_sort(x, 1, n);
  out->mean = gsl_stats_mean(x, 1, n);
  out->sd = n > 1 ? gsl_stats_sd_m(x, 1, n, out->mean) : 0.0;
  double h = stats_halfwidth(out->sd, n);
  out->lo = out->mean - h;
  out->hi = out->mean + h;
  out->p05 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.05);
  out->p50 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.50);
  out->p95 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.95);
}

void stats_paired(const double *a, const double *b, size_t R, double *mean, double *hw_paired,
                  double *hw_unpaired)
{
  double *d = calloc(R ? R : 1, sizeof *d);
  *mean = *hw_paired = *hw_unpaired = 0;
  if (!d || R == 0) {
    free(d);
    return;
  }
  for (size_t r = 0; r < R; r++)
    d[r] = b[r] - a[r];
  *mean = gsl_stats_mean(d, 1, R);
  double sd = R > 1 ? gsl_stats_sd(d, 1, R) : 0;
  *hw_paired = stats_halfwidth(sd, R);
  double va = R > 1 ? gsl_stats_variance(a, 1, R) : 0, vb = R > 1 ? gsl_stats_variance(b, 1, R) : 0;
  /* Two independent samples of R each: sd of the difference of means is
   * sqrt((va + vb) / R); stats_halfwidth divides by sqrt(R). */
  *hw_unpaired = stats_halfwidth(sqrt(va + vb), R);
  free(d);
}
