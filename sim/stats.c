/* stats: mean, sd, Student-t interval and quantiles, all from GSL. */
#include "stats.h"

#include <math.h>

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
